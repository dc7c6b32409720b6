// Proves the safety rules sign at most one vote per round, never vote in a round they timed out
// in, honour the Jolteon TC rule, refuse invalid certificates, and that a restart from the
// persisted state keeps every refusal (persist before send).
#include "consensus/safety_rules.h"

#include <gtest/gtest.h>

#include "consensus/test_util.h"

namespace onechain::consensus {
namespace {

using testing::TestChain;

pb::SafetyState State(uint64_t voted, uint64_t qc_round) {
  pb::SafetyState state;
  state.set_highest_voted_round(voted);
  state.set_highest_qc_round(qc_round);
  return state;
}

TEST(SafetyPredicates, VoteRule) {
  TestChain chain(4);
  EXPECT_TRUE(SafeToVote(State(4, 3), 5, 4, nullptr));   // extends the previous round's QC
  EXPECT_FALSE(SafeToVote(State(5, 3), 5, 4, nullptr));  // already voted in round 5
  EXPECT_FALSE(SafeToVote(State(4, 3), 6, 4, nullptr));  // gap without a TC
  const pb::TimeoutCert tc = chain.Tc(5, {{0, 3}, {1, 4}, {2, 2}});
  EXPECT_TRUE(SafeToVote(State(4, 3), 6, 4, &tc));       // TC of round 5, QC >= its highest
  EXPECT_FALSE(SafeToVote(State(4, 3), 6, 3, &tc));      // QC below a TC signer's high QC
  EXPECT_FALSE(SafeToVote(State(4, 3), 7, 4, &tc));      // TC not of the previous round
}

TEST(SafetyPredicates, TimeoutRule) {
  TestChain chain(4);
  EXPECT_TRUE(SafeToTimeout(State(4, 3), 5, 4, nullptr));
  EXPECT_TRUE(SafeToTimeout(State(5, 4), 5, 4, nullptr));   // may time out where it voted
  EXPECT_FALSE(SafeToTimeout(State(6, 4), 5, 4, nullptr));  // an older round
  EXPECT_FALSE(SafeToTimeout(State(4, 5), 6, 4, nullptr));  // QC below the one it voted on
  const pb::TimeoutCert tc = chain.Tc(5, {{0, 3}, {1, 4}, {2, 2}});
  EXPECT_TRUE(SafeToTimeout(State(5, 4), 6, 4, &tc));
  EXPECT_FALSE(SafeToTimeout(State(5, 4), 6, 3, nullptr));
}

class SafetyRulesTest : public ::testing::Test {
 protected:
  TestChain chain{4};
  pb::QuorumCert genesis_qc = GenesisQc(chain.params.genesis);

  // Block of round 1 on genesis, and a QC for it.
  pb::ConsensusBlock b1 = chain.Block(1, genesis_qc);
  pb::BlockInfo b1_info() const {
    pb::BlockInfo info;
    info.set_round(1);
    info.set_height(1);
    info.set_id(BlockId(chain.params, b1));
    info.set_time_ms(b1.time_ms());
    info.set_state_root(chain.params.suite->Hash("root1"));
    return info;
  }
};

TEST_F(SafetyRulesTest, OneVotePerRoundAndTheStateToPersist) {
  SafetyRules rules(chain.params, *chain.keys[1], 1, {});
  Result<Signed<pb::Vote>> vote =
      rules.MakeVote(b1, BlockId(chain.params, b1), chain.params.suite->Hash("root1"), nullptr);
  ASSERT_TRUE(vote.ok()) << vote.status().ToString();
  EXPECT_EQ(vote->persist.highest_voted_round(), 1u);
  Verifier verifier(chain.params);
  EXPECT_TRUE(verifier.VerifyVote(vote->message).ok());
  EXPECT_EQ(vote->message.vote_data().proposed().state_root(), chain.params.suite->Hash("root1"));

  // A conflicting block of the same round: refused, now and after a restart from `persist`.
  const pb::ConsensusBlock other = chain.Block(1, genesis_qc, {"other"});
  EXPECT_EQ(rules.MakeVote(other, BlockId(chain.params, other), chain.params.suite->Hash("r"), nullptr)
                .status()
                .code(),
            pb::Status::FAILED_PRECONDITION);
  SafetyRules restarted(chain.params, *chain.keys[1], 1, vote->persist);
  EXPECT_FALSE(
      restarted.MakeVote(other, BlockId(chain.params, other), chain.params.suite->Hash("r"), nullptr).ok());
}

TEST_F(SafetyRulesTest, NoVoteInARoundItTimedOutIn) {
  SafetyRules rules(chain.params, *chain.keys[2], 2, {});
  Result<Signed<pb::Timeout>> timeout = rules.MakeTimeout(1, genesis_qc, nullptr);
  ASSERT_TRUE(timeout.ok()) << timeout.status().ToString();
  EXPECT_EQ(timeout->persist.highest_voted_round(), 1u);
  Verifier verifier(chain.params);
  EXPECT_TRUE(verifier.VerifyTimeout(timeout->message).ok());
  EXPECT_FALSE(
      rules.MakeVote(b1, BlockId(chain.params, b1), chain.params.suite->Hash("root1"), nullptr).ok());
  // A timeout carries the TC that justified it into the persisted state.
  const pb::TimeoutCert tc1 = chain.Tc(1, {{0, 0}, {1, 0}, {2, 0}});
  Result<Signed<pb::Timeout>> next = rules.MakeTimeout(2, genesis_qc, &tc1);
  ASSERT_TRUE(next.ok()) << next.status().ToString();
  EXPECT_EQ(next->persist.highest_tc().round(), 1u);
}

TEST_F(SafetyRulesTest, RefusesInvalidCertificatesAndMismatchedIds) {
  SafetyRules rules(chain.params, *chain.keys[0], 0, {});
  pb::QuorumCert short_qc = chain.Qc(b1_info(), chain.params.genesis, {0, 1});
  const pb::ConsensusBlock b2 = chain.Block(2, short_qc);
  EXPECT_EQ(rules.MakeVote(b2, BlockId(chain.params, b2), chain.params.suite->Hash("r2"), nullptr)
                .status()
                .code(),
            pb::Status::BAD_SIGNATURE);
  EXPECT_EQ(rules.MakeTimeout(2, short_qc, nullptr).status().code(), pb::Status::BAD_SIGNATURE);
  EXPECT_FALSE(rules.MakeVote(b1, std::string(32, 'x'), chain.params.suite->Hash("r"), nullptr).ok());
  EXPECT_EQ(rules.state().highest_voted_round(), 0u);  // refusals change nothing
}

TEST_F(SafetyRulesTest, LocksOnTheHighestQcItVotedOn) {
  SafetyRules rules(chain.params, *chain.keys[3], 3, {});
  const pb::QuorumCert qc1 = chain.Qc(b1_info(), chain.params.genesis, {0, 1, 2});
  const pb::ConsensusBlock b2 = chain.Block(2, qc1);
  ASSERT_TRUE(rules.MakeVote(b2, BlockId(chain.params, b2), chain.params.suite->Hash("r2"), nullptr).ok());
  EXPECT_EQ(rules.state().highest_qc_round(), 1u);
  // Round 3 after a TC of round 2: a block that goes back to the genesis QC is refused.
  const pb::TimeoutCert tc2 = chain.Tc(2, {{0, 1}, {1, 0}, {2, 0}});
  const pb::ConsensusBlock back = chain.Block(3, genesis_qc);
  EXPECT_FALSE(rules.MakeVote(back, BlockId(chain.params, back), chain.params.suite->Hash("r"), &tc2).ok());
  // And it cannot time out on a QC below the one it voted on.
  EXPECT_FALSE(rules.MakeTimeout(3, genesis_qc, &tc2).ok());
  EXPECT_TRUE(rules.MakeTimeout(3, qc1, &tc2).ok());
}

}  // namespace
}  // namespace onechain::consensus
