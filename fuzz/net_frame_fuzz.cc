// The byte stream a peer writes into a TLS link: frames (u32 length ‖ u16 type ‖ u64 sequence ‖
// payload) read the way the link reader reads them — the first frame must be a hello of at most
// kHelloPayloadBytesMax checked against the genesis; later frames are bounded by
// kFramePayloadBytesMax, sequenced, and a consensus frame's payload is decoded.
#include <span>

#include "consensus/encoding.h"
#include "fuzz/fixtures.h"
#include "net/frame.h"
#include "net/tls.h"
#include "node/bft_driver.h"
#include "node/envelope.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace onechain;
  const fuzz::Fixture& f = fuzz::GetFixture();
  // The seeds bind their hellos to this session value and come from validator 1 dialing us (3).
  static const std::string kBinding(net::kTlsBindingBytes, 'b');
  static const std::string kPeerKey = f.keys[1]->public_key();
  const net::HelloExpectation expect{.genesis = &f.genesis,
                                     .genesis_hash = f.genesis_hash,
                                     .self = 3,
                                     .tls_binding = kBinding,
                                     .we_dialed = false,
                                     .dialed = 0,
                                     .certificate_key = kPeerKey};
  bool hello = true;
  uint64_t sequence = 0;
  size_t at = 0;
  while (size - at >= net::kFrameHeaderBytes) {
    const net::FrameHeader header = net::DecodeFrameHeader(
        std::span<const uint8_t, net::kFrameHeaderBytes>(data + at, net::kFrameHeaderBytes));
    at += net::kFrameHeaderBytes;
    const size_t limit = hello ? net::kHelloPayloadBytesMax : net::kFramePayloadBytesMax;
    if (header.payload_bytes > limit || header.payload_bytes > size - at) return 0;
    const std::string_view payload = fuzz::AsView(data + at, header.payload_bytes);
    at += header.payload_bytes;
    if (hello) {
      if (header.type != net::kHelloType || header.sequence != 1) return 0;
      if (net::CheckHello(payload, expect).verdict != net::HelloVerdict::kOk) return 0;
      hello = false;
    } else if (header.sequence != sequence + 1) {
      return 0;
    } else if (header.type == node::kConsensusMessage) {
      (void)consensus::DecodeMessage(f.params, payload);
    } else if (header.type == node::kTxRelayMessage) {
      (void)node::DecodeEnvelope(payload);
    } else if (header.type == node::kTxBatchRelayMessage) {
      pb::Block batch;
      if (batch.ParseFromArray(payload.data(), static_cast<int>(payload.size()))) {
        for (const std::string& envelope : batch.txs()) (void)node::DecodeEnvelope(envelope);
      }
    }
    sequence = header.sequence;
  }
  return 0;
}
