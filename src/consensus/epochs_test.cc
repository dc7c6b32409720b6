// Proves the epoch machinery (docs/consensus.md §14): signatures are scoped to their epoch, a
// rotated-out key no longer signs votes, a state machine starts an epoch on top of the previous
// epoch's last block, and an epoch chain verifies from genesis while every forged change (other
// set, too few or the wrong signers, a QC that does not commit, another epoch's signatures) is
// refused.
#include "consensus/epochs.h"

#include <gtest/gtest.h>

#include "consensus/certificates.h"
#include "consensus/state_machine.h"
#include "consensus/test_util.h"

namespace onechain::consensus {
namespace {

using testing::TestChain;

// The test's binding: the last block's state root is H("set" ‖ keys); the binding bytes are unused.
std::string SetRoot(const crypto::Suite& suite, const std::vector<std::string>& keys) {
  std::string all;
  for (const std::string& key : keys) all += key;
  return suite.Hash({"set", all});
}

Status Bind(const pb::BlockInfo& last, const std::vector<std::string>& keys, std::string_view) {
  const crypto::Suite& suite = *crypto::GetSuite(pb::SUITE_INTL);
  return last.state_root() == SetRoot(suite, keys)
             ? Status::Ok()
             : Status(pb::Status::BAD_SIGNATURE, "state root does not hold this set");
}

class EpochsTest : public ::testing::Test {
 protected:
  EpochsTest() : chain_(7) {}

  const crypto::Suite& suite() const { return *chain_.params.suite; }
  ChainParams Genesis4() const {
    ChainParams params = chain_.params;
    params.validator_keys.resize(4);
    return params;
  }
  std::vector<std::string> KeysOf(const std::vector<size_t>& indices) const {
    std::vector<std::string> keys;
    for (size_t i : indices) keys.push_back(chain_.keys[i]->public_key());
    return keys;
  }
  // A QC under `params` signed by `signers` (indices into params' set, keys from `key_of`).
  pb::QuorumCert Qc(const ChainParams& params, const std::vector<size_t>& key_of,
                    const pb::BlockInfo& proposed, const pb::BlockInfo& parent,
                    const std::vector<uint32_t>& signers) const {
    pb::QuorumCert qc;
    *qc.mutable_vote_data()->mutable_proposed() = proposed;
    *qc.mutable_vote_data()->mutable_parent() = parent;
    const std::string digest = VoteDigest(params, qc.vote_data());
    for (uint32_t s : signers) {
      pb::ValidatorSignature* sig = qc.add_signatures();
      sig->set_signer(s);
      sig->set_signature(chain_.keys[key_of[s]]->Sign(digest));
    }
    return qc;
  }
  // The change to `epoch` with set `next` (key indices) after a block at height `height`,
  // committed by `signers` of `current` (whose keys are chain keys `current_keys`).
  pb::EpochChangeProof Change(const ChainParams& current, const std::vector<size_t>& current_keys,
                              uint64_t epoch, uint64_t height, const std::vector<size_t>& next,
                              const std::vector<uint32_t>& signers) const {
    pb::BlockInfo last = chain_.Info(10 * height, height, "last" + std::to_string(height));
    last.set_state_root(SetRoot(suite(), KeysOf(next)));
    pb::BlockInfo child = chain_.Info(10 * height + 1, height + 1, "child" + std::to_string(height));
    pb::EpochChangeProof change;
    change.set_epoch(epoch);
    *change.mutable_commit_qc() = Qc(current, current_keys, child, last, signers);
    for (const std::string& key : KeysOf(next)) change.add_next_keys(key);
    return change;
  }

  TestChain chain_;
};

TEST_F(EpochsTest, SignaturesAreScopedToTheirEpoch) {
  EXPECT_EQ(EpochChainId("c", 0), "c");
  EXPECT_EQ(EpochChainId("c", 3), "c/epoch/3");
  const ChainParams zero = Genesis4();
  const ChainParams one = EpochParams(zero, 1, zero.validator_keys, chain_.Info(5, 5, "b"));
  pb::Vote vote;
  *vote.mutable_vote_data()->mutable_proposed() = chain_.Info(7, 7, "p");
  *vote.mutable_vote_data()->mutable_parent() = chain_.Info(6, 6, "q");
  vote.set_signer(2);
  vote.set_signature(chain_.keys[2]->Sign(VoteDigest(zero, vote.vote_data())));
  EXPECT_TRUE(Verifier(zero).VerifyVote(vote).ok());
  // Same key, same validator index, same vote data: refused in the next epoch.
  EXPECT_FALSE(Verifier(one).VerifyVote(vote).ok());
  pb::Timeout timeout;
  timeout.set_round(9);
  timeout.set_signer(1);
  *timeout.mutable_high_qc() = GenesisQc(zero.genesis);
  timeout.set_signature(chain_.keys[1]->Sign(TimeoutDigest(zero, 9, 0)));
  EXPECT_TRUE(Verifier(zero).VerifyTimeout(timeout).ok());
  EXPECT_FALSE(Verifier(one).VerifyTimeout(timeout).ok());
  // Frames carry the epoch.
  const std::string encoded = EncodeEpochFrame(1234567890123ull, "msg");  // frame views into it
  auto frame = DecodeEpochFrame(encoded);
  ASSERT_TRUE(frame.has_value());
  EXPECT_EQ(frame->first, 1234567890123ull);
  EXPECT_EQ(frame->second, "msg");
  EXPECT_FALSE(DecodeEpochFrame("short").has_value());
}

TEST_F(EpochsTest, ARotatedOutKeyNoLongerSignsVotes) {
  const ChainParams zero = Genesis4();
  // Validator 2 rotates to key 6 at the boundary.
  const ChainParams one = EpochParams(zero, 1, KeysOf({0, 1, 6, 3}), chain_.Info(5, 5, "b"));
  pb::Vote vote;
  *vote.mutable_vote_data()->mutable_proposed() = chain_.Info(7, 7, "p");
  *vote.mutable_vote_data()->mutable_parent() = chain_.Info(6, 6, "q");
  vote.set_signer(2);
  const std::string digest = VoteDigest(one, vote.vote_data());
  vote.set_signature(chain_.keys[2]->Sign(digest));  // the old key, in the new epoch's domain
  Status old_key = Verifier(one).VerifyVote(vote);
  EXPECT_EQ(old_key.code(), pb::Status::BAD_SIGNATURE) << old_key.ToString();
  vote.set_signature(chain_.keys[6]->Sign(digest));
  EXPECT_TRUE(Verifier(one).VerifyVote(vote).ok());
}

TEST_F(EpochsTest, AStateMachineStartsAnEpochOnThePreviousLastBlock) {
  const ChainParams zero = Genesis4();
  pb::BlockInfo last = chain_.Info(41, 17, "last");
  const ChainParams one = EpochParams(zero, 1, KeysOf({0, 1, 2, 3, 4}), last);
  Recovery recovery;
  recovery.root = last;
  recovery.root_qc = GenesisQc(last);
  // Validator 2 leads round 42 = 41 + 1 (42 mod 5).
  StateMachine machine(one, *chain_.keys[2], 2, Options{}, recovery);
  Actions actions = machine.Start(1000);
  EXPECT_EQ(machine.current_round(), 42u);
  bool asked = false;
  for (const Action& action : actions) {
    if (auto* need = std::get_if<NeedPayload>(&action)) asked = need->round == 42;
  }
  ASSERT_TRUE(asked);
  actions = machine.OnPayload(1000, 42, {"tx"});
  bool proposed = false;
  for (const Action& action : actions) {
    if (auto* execute = std::get_if<ExecuteBlock>(&action)) {
      proposed = BlockHeight(execute->block) == 18 && execute->parent_id == last.id();
    }
  }
  EXPECT_TRUE(proposed);
}

TEST_F(EpochsTest, AnEpochChainVerifiesFromGenesisAndForgedChangesAreRefused) {
  const ChainParams zero = Genesis4();
  pb::EpochChain chain;
  // Epoch 1 adds key 4 (committed by 3 of the 4 genesis validators); epoch 2 rotates validator 1
  // to key 5 (committed by 4 of the 5 of epoch 1).
  *chain.add_changes() = Change(zero, {0, 1, 2, 3}, 1, 10, {0, 1, 2, 3, 4}, {0, 1, 3});
  const ChainParams one =
      EpochParams(zero, 1, KeysOf({0, 1, 2, 3, 4}), chain.changes(0).commit_qc().vote_data().parent());
  *chain.add_changes() = Change(one, {0, 1, 2, 3, 4}, 2, 20, {0, 5, 2, 3, 4}, {1, 2, 3, 4});
  Result<ChainParams> verified = VerifyEpochChain(zero, chain, Bind);
  ASSERT_TRUE(verified.ok()) << verified.status().ToString();
  EXPECT_EQ(verified->chain_id, "test-chain/epoch/2");
  EXPECT_EQ(verified->validator_keys, KeysOf({0, 5, 2, 3, 4}));
  EXPECT_EQ(verified->genesis.height(), 20u);

  auto refused = [&](pb::EpochChain forged, const std::string& why) {
    Result<ChainParams> result = VerifyEpochChain(zero, forged, Bind);
    EXPECT_FALSE(result.ok()) << why;
    if (!result.ok()) {
      EXPECT_TRUE(result.status().code() == pb::Status::BAD_SIGNATURE ||
                  result.status().code() == pb::Status::MALFORMED)
          << why << ": " << result.status().ToString();
    }
  };
  // A forged set: keys other than the ones the certified block holds.
  pb::EpochChain forged = chain;
  forged.mutable_changes(1)->set_next_keys(1, chain_.keys[6]->public_key());
  refused(forged, "forged set");
  // The new validators certify their own admission (signed under epoch 1's set, not epoch 0's).
  forged = chain;
  *forged.mutable_changes(0)->mutable_commit_qc() =
      Change(one, {0, 1, 2, 3, 4}, 1, 10, {0, 1, 2, 3, 4}, {1, 2, 3, 4}).commit_qc();
  refused(forged, "signed by the new set");
  // Too few of the old set.
  forged = chain;
  forged.mutable_changes(0)->mutable_commit_qc()->mutable_signatures()->RemoveLast();
  refused(forged, "2 of 4");
  // Keys outside the old set signing as its members.
  forged = chain;
  *forged.mutable_changes(0)->mutable_commit_qc() =
      Qc(zero, {4, 5, 6, 3}, chain.changes(0).commit_qc().vote_data().proposed(),
         chain.changes(0).commit_qc().vote_data().parent(), {0, 1, 2});
  refused(forged, "strangers");
  // A QC that certifies the block but does not commit it (not the next round).
  forged = chain;
  forged.mutable_changes(0)->mutable_commit_qc()->mutable_vote_data()->mutable_proposed()->set_round(
      102);
  refused(forged, "not a two-chain");
  // The unsigned start QC of the epoch.
  forged = chain;
  *forged.mutable_changes(0)->mutable_commit_qc() = GenesisQc(zero.genesis);
  refused(forged, "genesis QC");
  // Skipped or repeated epochs.
  forged = chain;
  forged.mutable_changes(1)->set_epoch(3);
  refused(forged, "epoch skipped");
  forged = chain;
  *forged.add_changes() = chain.changes(1);
  refused(forged, "repeated");
  // A repeated key in the new set.
  forged = chain;
  forged.mutable_changes(1)->set_next_keys(2, chain_.keys[0]->public_key());
  refused(forged, "repeated key");
}

TEST_F(EpochsTest, ACommitAboveTheLastBlockLinksDownByCertifiedParents) {
  // The last block h (height 10) was committed together with its child B (after a timeout, so no
  // QC commits h directly): the proof is B's commit QC and B's own QC, whose parent is h.
  const ChainParams zero = Genesis4();
  const std::vector<size_t> keys{0, 1, 2, 3};
  pb::BlockInfo last = chain_.Info(100, 10, "h");
  last.set_state_root(SetRoot(suite(), KeysOf({0, 1, 2, 3, 4})));
  const pb::BlockInfo b = chain_.Info(103, 11, "B");
  const pb::BlockInfo b_child = chain_.Info(104, 12, "B'");
  pb::EpochChain chain;
  pb::EpochChangeProof* change = chain.add_changes();
  change->set_epoch(1);
  *change->mutable_commit_qc() = Qc(zero, keys, b_child, b, {0, 1, 2});
  *change->add_ancestry() = Qc(zero, keys, b, last, {1, 2, 3});
  for (const std::string& key : KeysOf({0, 1, 2, 3, 4})) change->add_next_keys(key);
  Result<ChainParams> verified = VerifyEpochChain(zero, chain, Bind);
  ASSERT_TRUE(verified.ok()) << verified.status().ToString();
  EXPECT_EQ(verified->genesis.height(), 10u);
  // Without the link, B's state root does not hold the set.
  pb::EpochChain forged = chain;
  forged.mutable_changes(0)->clear_ancestry();
  EXPECT_FALSE(VerifyEpochChain(zero, forged, Bind).ok());
  // A link that certifies another block than B.
  forged = chain;
  *forged.mutable_changes(0)->mutable_ancestry(0) =
      Qc(zero, keys, chain_.Info(103, 11, "other"), last, {1, 2, 3});
  EXPECT_FALSE(VerifyEpochChain(zero, forged, Bind).ok());
  // A link signed by too few.
  forged = chain;
  *forged.mutable_changes(0)->mutable_ancestry(0) = Qc(zero, keys, b, last, {1, 2});
  EXPECT_FALSE(VerifyEpochChain(zero, forged, Bind).ok());
}

}  // namespace
}  // namespace onechain::consensus
