// One consensus message kind per target (ONECHAIN_FUZZ_KIND is the ConsensusMessage field
// number: 1 proposal, 2 vote, 3 timeout, 4 block request, 5 block response). The input is the
// inner message's bytes; the target frames them as that field of a ConsensusMessage exactly as
// a peer's bytes arrive, decodes them with the shape checks and then verifies their signatures
// against the fixed validator set.
#include "consensus/certificates.h"
#include "fuzz/fixtures.h"

#ifndef ONECHAIN_FUZZ_KIND
#error "ONECHAIN_FUZZ_KIND must name the ConsensusMessage field"
#endif

namespace {

using namespace onechain;

void AppendVarint(std::string& out, uint64_t value) {
  while (value >= 0x80) {
    out.push_back(static_cast<char>((value & 0x7f) | 0x80));
    value >>= 7;
  }
  out.push_back(static_cast<char>(value));
}

void Check(consensus::Verifier& verifier, const consensus::ChainParams& params,
           const pb::ConsensusBlock& block) {
  if (!consensus::IsGenesisQc(params, block.qc())) (void)verifier.VerifyQc(block.qc());
  (void)verifier.VerifyBlockSignature(block, consensus::BlockId(params, block));
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const fuzz::Fixture& f = fuzz::GetFixture();
  std::string bytes;
  bytes.push_back(static_cast<char>((ONECHAIN_FUZZ_KIND << 3) | 2));  // length-delimited
  AppendVarint(bytes, size);
  bytes.append(fuzz::AsView(data, size));
  Result<pb::ConsensusMessage> message = consensus::DecodeMessage(f.params, bytes);
  if (!message.ok()) return 0;
  consensus::Verifier verifier(f.params);
  switch (message->kind_case()) {
    case pb::ConsensusMessage::kProposal:
      Check(verifier, f.params, message->proposal().block());
      if (message->proposal().has_last_round_tc()) {
        (void)verifier.VerifyTc(message->proposal().last_round_tc());
      }
      break;
    case pb::ConsensusMessage::kVote:
      (void)verifier.VerifyVote(message->vote());
      break;
    case pb::ConsensusMessage::kTimeout:
      (void)verifier.VerifyTimeout(message->timeout());
      break;
    case pb::ConsensusMessage::kBlockResponse:
      for (const pb::ConsensusBlock& block : message->block_response().blocks()) {
        Check(verifier, f.params, block);
      }
      break;
    default:
      break;
  }
  // A decoded message re-encodes to something that decodes again.
  Result<pb::ConsensusMessage> again =
      consensus::DecodeMessage(f.params, consensus::EncodeMessage(*message));
  return again.ok() ? 0 : (__builtin_trap(), 0);
}
