#include "consensus/safety_rules.h"

#include <cassert>

namespace onechain::consensus {
namespace {

Status Refused(std::string message) {
  return Status(pb::Status::FAILED_PRECONDITION, std::move(message));
}

}  // namespace

bool SafeToVote(const pb::SafetyState& state, uint64_t block_round, uint64_t qc_round,
                const pb::TimeoutCert* last_round_tc) {
  if (block_round <= state.highest_voted_round()) return false;
  if (block_round == qc_round + 1) return true;
  return last_round_tc != nullptr && last_round_tc->round() + 1 == block_round &&
         qc_round >= MaxHighQcRound(*last_round_tc);
}

bool SafeToTimeout(const pb::SafetyState& state, uint64_t round, uint64_t qc_round,
                   const pb::TimeoutCert* last_round_tc) {
  if (round < state.highest_voted_round() || qc_round < state.highest_qc_round()) return false;
  return qc_round + 1 == round || (last_round_tc != nullptr && last_round_tc->round() + 1 == round);
}

SafetyRules::SafetyRules(const ChainParams& params, const crypto::PrivateKey& key, uint32_t self,
                         pb::SafetyState durable)
    : params_(params), key_(key), self_(self), verifier_(params), state_(std::move(durable)) {
  assert(self_ < params_.n());
  assert(key_.public_key() == params_.validator_keys[self_]);
  if (!state_.has_highest_qc()) {
    // A new validator, or a new epoch: its start block is the highest QC (round 0 at genesis).
    *state_.mutable_highest_qc() = GenesisQc(params_.genesis);
    state_.set_highest_qc_round(params_.genesis.round());
  }
  assert(QcRound(state_.highest_qc()) == state_.highest_qc_round());
}

void SafetyRules::RememberCertificates(const pb::QuorumCert& qc, const pb::TimeoutCert* tc) {
  if (QcRound(qc) > state_.highest_qc_round()) {
    state_.set_highest_qc_round(QcRound(qc));
    *state_.mutable_highest_qc() = qc;
  }
  if (tc != nullptr && (!state_.has_highest_tc() || tc->round() > state_.highest_tc().round())) {
    *state_.mutable_highest_tc() = *tc;
  }
}

Status SafetyRules::VerifyCertificates(const pb::QuorumCert& qc, const pb::TimeoutCert* tc) {
  Status status = verifier_.VerifyQc(qc);
  if (!status.ok() || tc == nullptr) return status;
  return verifier_.VerifyTc(*tc);
}

Result<Signed<pb::Vote>> SafetyRules::MakeVote(const pb::ConsensusBlock& block,
                                               const std::string& block_id,
                                               const std::string& state_root,
                                               const pb::TimeoutCert* last_round_tc) {
  Status status = VerifyCertificates(block.qc(), last_round_tc);
  if (!status.ok()) return status;
  if (BlockId(params_, block) != block_id) return Refused("block id does not match the block");
  const uint64_t qc_round = QcRound(block.qc());
  if (!SafeToVote(state_, block.round(), qc_round, last_round_tc)) {
    return Refused("not safe to vote in round " + std::to_string(block.round()) +
                   " (highest voted " + std::to_string(state_.highest_voted_round()) + ")");
  }
  RememberCertificates(block.qc(), last_round_tc);
  state_.set_highest_voted_round(block.round());

  pb::Vote vote;
  pb::BlockInfo& proposed = *vote.mutable_vote_data()->mutable_proposed();
  proposed.set_round(block.round());
  proposed.set_height(BlockHeight(block));
  proposed.set_id(block_id);
  proposed.set_time_ms(block.time_ms());
  proposed.set_state_root(state_root);
  *vote.mutable_vote_data()->mutable_parent() = block.qc().vote_data().proposed();
  vote.set_signer(self_);
  vote.set_signature(key_.Sign(VoteDigest(params_, vote.vote_data())));
  return Signed<pb::Vote>{std::move(vote), state_};
}

Result<Signed<pb::Timeout>> SafetyRules::MakeTimeout(uint64_t round, const pb::QuorumCert& high_qc,
                                                     const pb::TimeoutCert* last_round_tc) {
  Status status = VerifyCertificates(high_qc, last_round_tc);
  if (!status.ok()) return status;
  const uint64_t qc_round = QcRound(high_qc);
  if (!SafeToTimeout(state_, round, qc_round, last_round_tc)) {
    return Refused("not safe to time out in round " + std::to_string(round));
  }
  RememberCertificates(high_qc, last_round_tc);
  state_.set_highest_voted_round(std::max(state_.highest_voted_round(), round));

  pb::Timeout timeout;
  timeout.set_round(round);
  timeout.set_signer(self_);
  *timeout.mutable_high_qc() = high_qc;
  timeout.set_signature(key_.Sign(TimeoutDigest(params_, round, qc_round)));
  if (last_round_tc != nullptr) *timeout.mutable_last_round_tc() = *last_round_tc;
  return Signed<pb::Timeout>{std::move(timeout), state_};
}

}  // namespace onechain::consensus
