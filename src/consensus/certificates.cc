#include "consensus/certificates.h"

#include <vector>

#include "consensus/limits.h"

namespace onechain::consensus {
namespace {

Status BadSignature(std::string message) {
  return Status(pb::Status::BAD_SIGNATURE, std::move(message));
}

// Distinct signers, at least a quorum of them.
Status CheckSigners(const ChainParams& params, const std::vector<uint32_t>& signers,
                    const char* what) {
  std::vector<bool> seen(params.n(), false);
  for (uint32_t signer : signers) {
    if (signer >= params.n()) return BadSignature(std::string(what) + " signer out of range");
    if (seen[signer]) return BadSignature(std::string(what) + " has a duplicate signer");
    seen[signer] = true;
  }
  if (signers.size() < params.quorum()) {
    return BadSignature(std::string(what) + " has " + std::to_string(signers.size()) +
                        " signers, quorum is " + std::to_string(params.quorum()));
  }
  return Status::Ok();
}

}  // namespace

void Verifier::Remember(std::string key) {
  if (verified_order_.size() >= kVerifiedCacheMax) {
    verified_.erase(verified_order_.front());
    verified_order_.pop_front();
  }
  verified_order_.push_back(key);
  verified_.insert(std::move(key));
}

Status Verifier::VerifyQc(const pb::QuorumCert& qc) {
  if (IsGenesisQc(params_, qc)) return Status::Ok();
  const std::string key = "qc" + qc.SerializeAsString();
  if (Cached(key)) return Status::Ok();
  if (QcRound(qc) == 0) return BadSignature("QC of round 0 that is not the genesis QC");
  if (qc.vote_data().parent().round() >= QcRound(qc) ||
      qc.vote_data().parent().height() + 1 != qc.vote_data().proposed().height()) {
    return BadSignature("QC parent is not below its block");
  }
  std::vector<uint32_t> signers;
  for (const pb::ValidatorSignature& s : qc.signatures()) signers.push_back(s.signer());
  Status status = CheckSigners(params_, signers, "QC");
  if (!status.ok()) return status;
  const std::string digest = VoteDigest(params_, qc.vote_data());
  for (const pb::ValidatorSignature& s : qc.signatures()) {
    if (!params_.suite->Verify(params_.validator_keys[s.signer()], digest, s.signature())) {
      return BadSignature("QC signature of validator " + std::to_string(s.signer()) +
                          " does not verify");
    }
  }
  Remember(key);
  return Status::Ok();
}

Status Verifier::VerifyTc(const pb::TimeoutCert& tc) {
  const std::string key = "tc" + tc.SerializeAsString();
  if (Cached(key)) return Status::Ok();
  std::vector<uint32_t> signers;
  for (const pb::TimeoutSignature& s : tc.signatures()) signers.push_back(s.signer());
  Status status = CheckSigners(params_, signers, "TC");
  if (!status.ok()) return status;
  for (const pb::TimeoutSignature& s : tc.signatures()) {
    const std::string digest = TimeoutDigest(params_, tc.round(), s.high_qc_round());
    if (!params_.suite->Verify(params_.validator_keys[s.signer()], digest, s.signature())) {
      return BadSignature("TC signature of validator " + std::to_string(s.signer()) +
                          " does not verify");
    }
  }
  Remember(key);
  return Status::Ok();
}

Status Verifier::VerifyVote(const pb::Vote& vote) const {
  if (!params_.suite->Verify(params_.validator_keys[vote.signer()],
                             VoteDigest(params_, vote.vote_data()), vote.signature())) {
    return BadSignature("vote signature of validator " + std::to_string(vote.signer()) +
                        " does not verify");
  }
  return Status::Ok();
}

Status Verifier::VerifyTimeout(const pb::Timeout& timeout) const {
  const std::string digest = TimeoutDigest(params_, timeout.round(), QcRound(timeout.high_qc()));
  if (!params_.suite->Verify(params_.validator_keys[timeout.signer()], digest,
                             timeout.signature())) {
    return BadSignature("timeout signature of validator " + std::to_string(timeout.signer()) +
                        " does not verify");
  }
  return Status::Ok();
}

Status Verifier::VerifyBlockSignature(const pb::ConsensusBlock& block,
                                      const std::string& block_id) const {
  if (!params_.suite->Verify(params_.validator_keys[block.proposer()], block_id,
                             block.signature())) {
    return BadSignature("proposer signature of block in round " + std::to_string(block.round()) +
                        " does not verify");
  }
  return Status::Ok();
}

}  // namespace onechain::consensus
