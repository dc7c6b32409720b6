// Proves the state machine's contract with its driver on small scripted exchanges: a vote leaves
// only after the block and the safety state are persisted (in that action order), invalid
// payloads and bad messages get no vote and are counted, and a leader turns a quorum of votes
// into a QC and proposes on it. The simulator (src/sim) covers whole clusters under faults.
#include "consensus/state_machine.h"

#include <gtest/gtest.h>

#include "consensus/test_util.h"

namespace onechain::consensus {
namespace {

using testing::TestChain;

template <typename T>
std::vector<const T*> All(const Actions& actions) {
  std::vector<const T*> out;
  for (const Action& a : actions) {
    if (const T* t = std::get_if<T>(&a)) out.push_back(t);
  }
  return out;
}

class StateMachineTest : public ::testing::Test {
 protected:
  TestChain chain{4};
  pb::QuorumCert genesis_qc = GenesisQc(chain.params.genesis);
  std::string root1 = chain.params.suite->Hash("root1");

  std::unique_ptr<StateMachine> Make(uint32_t self) {
    Recovery recovery;
    recovery.root = chain.params.genesis;
    recovery.root_qc = genesis_qc;
    return std::make_unique<StateMachine>(chain.params, *chain.keys[self], self, Options{},
                                          recovery);
  }
  std::string ProposalBytes(const pb::ConsensusBlock& block) {
    pb::ConsensusMessage message;
    *message.mutable_proposal()->mutable_block() = block;
    return EncodeMessage(message);
  }
};

TEST_F(StateMachineTest, PersistsBlockAndSafetyStateBeforeTheVoteLeaves) {
  auto sm = Make(3);
  Actions started = sm->Start(0);
  ASSERT_EQ(All<SetTimer>(started).size(), 1u);
  EXPECT_EQ(All<SetTimer>(started)[0]->round, 1u);

  const pb::ConsensusBlock b1 = chain.Block(1, genesis_qc);
  Actions received = sm->OnMessage(10, 1, ProposalBytes(b1));
  ASSERT_EQ(All<ExecuteBlock>(received).size(), 1u);
  const ExecuteBlock& execute = *All<ExecuteBlock>(received)[0];
  EXPECT_EQ(execute.parent_state_root, chain.params.genesis.state_root());
  EXPECT_TRUE(All<Send>(received).empty());  // no vote before execution

  Actions executed = sm->OnExecuted(11, execute.block_id, root1, true);
  ASSERT_EQ(executed.size(), 3u);
  ASSERT_TRUE(std::holds_alternative<PersistBlock>(executed[0]));
  ASSERT_TRUE(std::holds_alternative<PersistSafety>(executed[1]));
  ASSERT_TRUE(std::holds_alternative<Send>(executed[2]));
  EXPECT_EQ(std::get<PersistSafety>(executed[1]).state.highest_voted_round(), 1u);
  const Send& send = std::get<Send>(executed[2]);
  EXPECT_EQ(send.to, std::optional<uint32_t>(chain.params.LeaderOf(2)));
  Result<pb::ConsensusMessage> vote = DecodeMessage(chain.params, send.bytes);
  ASSERT_TRUE(vote.ok());
  EXPECT_EQ(vote->vote().vote_data().proposed().id(), execute.block_id);
  EXPECT_EQ(vote->vote().vote_data().proposed().state_root(), root1);

  // The same proposal again (a duplicate on the network): no second vote.
  Actions again = sm->OnMessage(12, 1, ProposalBytes(b1));
  EXPECT_TRUE(All<Send>(again).empty());
  EXPECT_TRUE(All<PersistSafety>(again).empty());
}

TEST_F(StateMachineTest, NoVoteForAnInvalidPayloadOrABadProposal) {
  auto sm = Make(3);
  sm->Start(0);
  const pb::ConsensusBlock b1 = chain.Block(1, genesis_qc);
  Actions received = sm->OnMessage(10, 1, ProposalBytes(b1));
  ASSERT_EQ(All<ExecuteBlock>(received).size(), 1u);
  Actions executed = sm->OnExecuted(11, All<ExecuteBlock>(received)[0]->block_id, root1, false);
  EXPECT_TRUE(executed.empty());
  EXPECT_EQ(sm->drops().at("proposal payload invalid"), 1u);

  auto fresh = Make(3);
  fresh->Start(0);
  pb::ConsensusBlock wrong_leader = b1;
  wrong_leader.set_proposer(2);
  wrong_leader.set_signature(chain.keys[2]->Sign(BlockId(chain.params, wrong_leader)));
  EXPECT_TRUE(fresh->OnMessage(10, 2, ProposalBytes(wrong_leader)).empty());
  pb::ConsensusBlock forged = b1;
  forged.set_signature(chain.keys[0]->Sign(BlockId(chain.params, forged)));
  EXPECT_TRUE(fresh->OnMessage(10, 0, ProposalBytes(forged)).empty());
  EXPECT_TRUE(fresh->OnMessage(10, 0, "not a message").empty());
  EXPECT_TRUE(fresh->OnMessage(10, 9, ProposalBytes(b1)).empty());  // not a validator index
  EXPECT_EQ(fresh->drops().at("proposer is not the round's leader"), 1u);
  EXPECT_EQ(fresh->drops().at("bad proposer signature"), 1u);
  EXPECT_EQ(fresh->drops().at("malformed"), 1u);
  EXPECT_EQ(fresh->drops().at("sender not a validator"), 1u);
  EXPECT_EQ(fresh->current_round(), 1u);
}

TEST_F(StateMachineTest, LeaderFormsAQcFromAQuorumAndProposesOnIt) {
  const uint32_t leader2 = chain.params.LeaderOf(2);
  auto sm = Make(leader2);
  sm->Start(0);
  const pb::ConsensusBlock b1 = chain.Block(1, genesis_qc);
  const std::string id1 = BlockId(chain.params, b1);
  sm->OnMessage(10, 1, ProposalBytes(b1));
  Actions own = sm->OnExecuted(11, id1, root1, true);  // its own vote stays local
  EXPECT_TRUE(All<Send>(own).empty());
  EXPECT_EQ(sm->current_round(), 1u);

  Actions after_quorum;
  for (uint32_t v : {0u, 1u}) {
    SafetyRules rules(chain.params, *chain.keys[v], v, {});
    Result<Signed<pb::Vote>> vote = rules.MakeVote(b1, id1, root1, nullptr);
    ASSERT_TRUE(vote.ok());
    pb::ConsensusMessage message;
    *message.mutable_vote() = vote->message;
    after_quorum = sm->OnMessage(20, v, EncodeMessage(message));
  }
  EXPECT_EQ(sm->current_round(), 2u);
  ASSERT_EQ(All<NeedPayload>(after_quorum).size(), 1u);
  EXPECT_EQ(sm->high_qc().vote_data().proposed().id(), id1);

  Actions proposed = sm->OnPayload(21, 2, {"batch-a", "batch-b"});
  ASSERT_FALSE(All<Send>(proposed).empty());
  const Send& broadcast = *All<Send>(proposed)[0];
  EXPECT_FALSE(broadcast.to.has_value());
  Result<pb::ConsensusMessage> proposal = DecodeMessage(chain.params, broadcast.bytes);
  ASSERT_TRUE(proposal.ok());
  const pb::ConsensusBlock& b2 = proposal->proposal().block();
  EXPECT_EQ(b2.round(), 2u);
  EXPECT_EQ(QcBlockId(b2.qc()), id1);
  EXPECT_EQ(b2.qc().signatures_size(), 3);
  EXPECT_EQ(b2.batches_size(), 2);
  Verifier verifier(chain.params);
  EXPECT_TRUE(verifier.VerifyQc(b2.qc()).ok());
  EXPECT_TRUE(verifier.VerifyBlockSignature(b2, BlockId(chain.params, b2)).ok());
  // A second payload for the same round proposes nothing.
  EXPECT_TRUE(sm->OnPayload(22, 2, {"again"}).empty());
}

}  // namespace
}  // namespace onechain::consensus
