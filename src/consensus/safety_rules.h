// Safety rules: the only code that signs votes and timeouts (docs/consensus.md §3). It keeps the
// durable safety state (highest voted round, highest QC round) and refuses to sign anything that
// could let two conflicting blocks be committed.
//
// Persist-before-send contract: every signed message comes back with the new safety state. The
// caller must make that state durable before the message leaves the node; the state machine
// emits a PersistSafety action ahead of the Send.
#pragma once

#include <optional>

#include "consensus/certificates.h"
#include "consensus/encoding.h"

namespace onechain::consensus {

// Pure predicates of the spec, for the rules below and for tests.
bool SafeToVote(const pb::SafetyState& state, uint64_t block_round, uint64_t qc_round,
                const pb::TimeoutCert* last_round_tc);
bool SafeToTimeout(const pb::SafetyState& state, uint64_t round, uint64_t qc_round,
                   const pb::TimeoutCert* last_round_tc);

template <typename Message>
struct Signed {
  Message message;
  pb::SafetyState persist;  // durable before `message` is sent
};

class SafetyRules {
 public:
  // `durable` is the state last persisted (empty for a new validator).
  SafetyRules(const ChainParams& params, const crypto::PrivateKey& key, uint32_t self,
              pb::SafetyState durable);

  const pb::SafetyState& state() const { return state_; }

  // [Step] MakeVote: a vote on `block` (id `block_id`) whose execution gave `state_root`.
  // FAILED_PRECONDITION when SafeToVote refuses, BAD_SIGNATURE when a certificate is invalid.
  Result<Signed<pb::Vote>> MakeVote(const pb::ConsensusBlock& block, const std::string& block_id,
                                    const std::string& state_root,
                                    const pb::TimeoutCert* last_round_tc);
  // [Step] MakeTimeout for `round` on top of `high_qc`.
  Result<Signed<pb::Timeout>> MakeTimeout(uint64_t round, const pb::QuorumCert& high_qc,
                                          const pb::TimeoutCert* last_round_tc);
  // The proposer's signature over a block id; proposing needs no safety state (the vote does).
  std::string SignBlock(const std::string& block_id) const { return key_.Sign(block_id); }

 private:
  Status VerifyCertificates(const pb::QuorumCert& qc, const pb::TimeoutCert* tc);
  void RememberCertificates(const pb::QuorumCert& qc, const pb::TimeoutCert* tc);

  const ChainParams& params_;
  const crypto::PrivateKey& key_;
  const uint32_t self_;
  Verifier verifier_;
  pb::SafetyState state_;
};

}  // namespace onechain::consensus
