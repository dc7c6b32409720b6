// Shared fixtures of the consensus unit tests: a validator set with keys, and signed votes,
// QCs, TCs and blocks built from it.
#pragma once

#include <memory>
#include <vector>

#include "consensus/encoding.h"

namespace onechain::consensus::testing {

struct TestChain {
  std::vector<std::unique_ptr<crypto::PrivateKey>> keys;
  ChainParams params;

  explicit TestChain(size_t n) {
    const crypto::Suite& suite = *crypto::GetSuite(pb::SUITE_INTL);
    params.chain_id = "test-chain";
    params.suite = &suite;
    for (size_t i = 0; i < n; ++i) {
      keys.push_back(std::move(crypto::GenerateKey(pb::SUITE_INTL)).value());
      params.validator_keys.push_back(keys.back()->public_key());
    }
    params.genesis = GenesisInfo(suite, suite.Hash("genesis"), 1000, suite.Hash("state0"));
  }

  pb::BlockInfo Info(uint64_t round, uint64_t height, const std::string& tag) const {
    pb::BlockInfo info;
    info.set_round(round);
    info.set_height(height);
    info.set_id(params.suite->Hash("id" + tag));
    info.set_time_ms(1000 + static_cast<int64_t>(round));
    info.set_state_root(params.suite->Hash("root" + tag));
    return info;
  }

  // A QC for `proposed` over `parent`, signed by validators `signers`.
  pb::QuorumCert Qc(const pb::BlockInfo& proposed, const pb::BlockInfo& parent,
                    const std::vector<uint32_t>& signers) const {
    pb::QuorumCert qc;
    *qc.mutable_vote_data()->mutable_proposed() = proposed;
    *qc.mutable_vote_data()->mutable_parent() = parent;
    const std::string digest = VoteDigest(params, qc.vote_data());
    for (uint32_t s : signers) {
      pb::ValidatorSignature& sig = *qc.add_signatures();
      sig.set_signer(s);
      sig.set_signature(keys[s]->Sign(digest));
    }
    return qc;
  }

  pb::TimeoutCert Tc(uint64_t round, const std::vector<std::pair<uint32_t, uint64_t>>& signers) const {
    pb::TimeoutCert tc;
    tc.set_round(round);
    for (const auto& [s, high_qc_round] : signers) {
      pb::TimeoutSignature& sig = *tc.add_signatures();
      sig.set_signer(s);
      sig.set_high_qc_round(high_qc_round);
      sig.set_signature(keys[s]->Sign(TimeoutDigest(params, round, high_qc_round)));
    }
    return tc;
  }

  pb::ConsensusBlock Block(uint64_t round, const pb::QuorumCert& qc,
                           std::vector<std::string> batches = {"tx"}) const {
    pb::ConsensusBlock block;
    block.set_round(round);
    block.set_time_ms(qc.vote_data().proposed().time_ms() + 1);
    block.set_proposer(params.LeaderOf(round));
    *block.mutable_qc() = qc;
    for (std::string& b : batches) block.add_batches(std::move(b));
    block.set_signature(keys[block.proposer()]->Sign(BlockId(params, block)));
    return block;
  }
};

}  // namespace onechain::consensus::testing
