#include "net/frame.h"

#include <cassert>

namespace onechain::net {
namespace {

constexpr size_t kSequenceOffset = 6;

void PutBigEndian(uint8_t* out, uint64_t value, size_t bytes) {
  for (size_t i = 0; i < bytes; ++i) {
    out[i] = static_cast<uint8_t>(value >> (8 * (bytes - 1 - i)));
  }
}

uint64_t GetBigEndian(const uint8_t* in, size_t bytes) {
  uint64_t value = 0;
  for (size_t i = 0; i < bytes; ++i) value = (value << 8) | in[i];
  return value;
}

}  // namespace

std::array<uint8_t, kFrameHeaderBytes> EncodeFrameHeader(const FrameHeader& header) {
  std::array<uint8_t, kFrameHeaderBytes> out{};
  PutBigEndian(out.data(), header.payload_bytes, 4);
  PutBigEndian(out.data() + 4, header.type, 2);
  PutBigEndian(out.data() + kSequenceOffset, header.sequence, 8);
  return out;
}

FrameHeader DecodeFrameHeader(std::span<const uint8_t, kFrameHeaderBytes> bytes) {
  FrameHeader header;
  header.payload_bytes = static_cast<uint32_t>(GetBigEndian(bytes.data(), 4));
  header.type = static_cast<uint16_t>(GetBigEndian(bytes.data() + 4, 2));
  header.sequence = GetBigEndian(bytes.data() + kSequenceOffset, 8);
  return header;
}

std::string EncodeFrame(uint16_t type, std::string_view payload) {
  assert(payload.size() <= kFramePayloadBytesMax);
  const auto header = EncodeFrameHeader(
      {.payload_bytes = static_cast<uint32_t>(payload.size()), .type = type, .sequence = 0});
  std::string frame;
  frame.reserve(kFrameHeaderBytes + payload.size());
  frame.append(reinterpret_cast<const char*>(header.data()), header.size());
  frame.append(payload);
  return frame;
}

void StampSequence(std::string& frame, uint64_t sequence) {
  assert(frame.size() >= kFrameHeaderBytes);
  PutBigEndian(reinterpret_cast<uint8_t*>(frame.data()) + kSequenceOffset, sequence, 8);
}

}  // namespace onechain::net
