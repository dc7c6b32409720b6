// Wire format of a peer link inside TLS (README.md "Frame format"):
//   u32 payload_bytes (big-endian) ‖ u16 type ‖ u64 sequence ‖ payload
// Internal to src/net; tests use it to speak the protocol byte by byte.
#pragma once

#include <array>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>

namespace onechain::net {

inline constexpr size_t kFrameHeaderBytes = 14;
// Largest payload a frame may carry; a header that declares more ends the connection.
inline constexpr size_t kFramePayloadBytesMax = 16u << 20;
// Largest hello payload; checked before the body is read, so an unauthenticated peer can make
// us buffer at most this much.
inline constexpr size_t kHelloPayloadBytesMax = 4096;

struct FrameHeader {
  uint32_t payload_bytes = 0;
  uint16_t type = 0;
  uint64_t sequence = 0;
};

std::array<uint8_t, kFrameHeaderBytes> EncodeFrameHeader(const FrameHeader& header);
FrameHeader DecodeFrameHeader(std::span<const uint8_t, kFrameHeaderBytes> bytes);

// A whole frame with sequence 0; the writer stamps the sequence with StampSequence just before
// the frame goes out, so queued frames need no renumbering when a link is replaced.
std::string EncodeFrame(uint16_t type, std::string_view payload);
void StampSequence(std::string& frame, uint64_t sequence);

}  // namespace onechain::net
