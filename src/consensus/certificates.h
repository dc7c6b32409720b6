// Signature checks of consensus messages through the chain's crypto suite: QCs and TCs (quorum
// of distinct validators, duplicate signers rejected), votes, timeouts, proposer signatures.
// Certificates that verified once are remembered (bounded), since the same QC arrives in many
// messages.
#pragma once

#include <deque>
#include <string>
#include <unordered_set>

#include "consensus/encoding.h"

namespace onechain::consensus {

class Verifier {
 public:
  explicit Verifier(const ChainParams& params) : params_(params) {}

  // OK, or BAD_SIGNATURE / MALFORMED saying what is wrong. Shapes are checked already.
  Status VerifyQc(const pb::QuorumCert& qc);
  Status VerifyTc(const pb::TimeoutCert& tc);
  Status VerifyVote(const pb::Vote& vote) const;
  Status VerifyTimeout(const pb::Timeout& timeout) const;
  Status VerifyBlockSignature(const pb::ConsensusBlock& block, const std::string& block_id) const;

 private:
  bool Cached(const std::string& key) const { return verified_.contains(key); }
  void Remember(std::string key);

  const ChainParams& params_;
  std::unordered_set<std::string> verified_;
  std::deque<std::string> verified_order_;
};

}  // namespace onechain::consensus
