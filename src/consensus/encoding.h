// The validator set, the fixed-layout bytes every consensus signature covers
// (docs/consensus.md §7), and decoding of peer messages with shape and size checks (§8).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "consensus.pb.h"
#include "crypto/crypto.h"
#include "util/status.h"

namespace onechain::consensus {

// What every validator of a chain agrees on before the first block: from genesis.
struct ChainParams {
  std::string chain_id;
  const crypto::Suite* suite = nullptr;
  std::vector<std::string> validator_keys;  // raw public keys, genesis order
  pb::BlockInfo genesis;                    // GenesisInfo(...); an epoch's start (epochs.h)

  size_t n() const { return validator_keys.size(); }
  size_t faults_max() const { return (n() - 1) / 3; }
  size_t quorum() const { return n() - faults_max(); }
  uint32_t LeaderOf(uint64_t round) const { return static_cast<uint32_t>(round % n()); }
  // Asserts the invariants above hold (non-empty set within limits, suite present, genesis shape).
  void CheckValid() const;
};

// The genesis block's info: round 0, height 0, id = H("onechain/consensus/genesis/v1" ‖ hash).
pb::BlockInfo GenesisInfo(const crypto::Suite& suite, std::string_view genesis_hash,
                          int64_t genesis_time_ms, std::string_view genesis_state_root);
// The one QC without signatures: it certifies the genesis block.
pb::QuorumCert GenesisQc(const pb::BlockInfo& genesis);
bool IsGenesisQc(const ChainParams& params, const pb::QuorumCert& qc);

std::string InfoBytes(const pb::BlockInfo& info);
std::string VoteDigest(const ChainParams& params, const pb::VoteData& data);
std::string TimeoutDigest(const ChainParams& params, uint64_t round, uint64_t high_qc_round);
std::string PayloadDigest(const crypto::Suite& suite, const google::protobuf::RepeatedPtrField<std::string>& batches);
std::string BlockId(const ChainParams& params, const pb::ConsensusBlock& block);

inline uint64_t QcRound(const pb::QuorumCert& qc) { return qc.vote_data().proposed().round(); }
inline const std::string& QcBlockId(const pb::QuorumCert& qc) {
  return qc.vote_data().proposed().id();
}
inline uint64_t BlockHeight(const pb::ConsensusBlock& block) {
  return block.qc().vote_data().proposed().height() + 1;
}
// The highest high_qc_round among a TC's signatures (0 for an empty TC).
uint64_t MaxHighQcRound(const pb::TimeoutCert& tc);

// Shape checks: sizes of hashes and signatures, counts and bytes within limits, indices within
// the validator set. Content (signatures, rounds) is checked later. MALFORMED or TOO_LARGE.
Status CheckBlockShape(const ChainParams& params, const pb::ConsensusBlock& block);
Status CheckQcShape(const ChainParams& params, const pb::QuorumCert& qc);
Status CheckTcShape(const ChainParams& params, const pb::TimeoutCert& tc);

// Decodes a peer's message: at most kMessageBytesMax, protobuf that parses, then shape checks.
Result<pb::ConsensusMessage> DecodeMessage(const ChainParams& params, std::string_view bytes);
std::string EncodeMessage(const pb::ConsensusMessage& message);

}  // namespace onechain::consensus
