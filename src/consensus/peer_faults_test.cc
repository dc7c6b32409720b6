// Proves bad peer input reaches the state machine's drop counters with a reason, and that the
// reasons a driver holds against the sender (IsPeerFault) are exactly those an honest validator
// cannot cause: malformed, oversized, from a non-validator, for another chain. A replayed
// message is counted but not held against the sender (retransmissions look the same).
#include "consensus/peer_faults.h"

#include <gtest/gtest.h>

#include "consensus/limits.h"
#include "consensus/state_machine.h"
#include "consensus/test_util.h"

namespace onechain::consensus {
namespace {

using testing::TestChain;

class PeerFaultsTest : public ::testing::Test {
 protected:
  TestChain chain{4};
  pb::QuorumCert genesis_qc = GenesisQc(chain.params.genesis);
  uint32_t leader2 = chain.params.LeaderOf(2);
  std::unique_ptr<StateMachine> sm;

  void SetUp() override {
    Recovery recovery;
    recovery.root = chain.params.genesis;
    recovery.root_qc = genesis_qc;
    sm = std::make_unique<StateMachine>(chain.params, *chain.keys[leader2], leader2, Options{},
                                        recovery);
    sm->Start(1000);
  }
  // A vote of `signer` for a round-1 block, signed over `params`' chain.
  std::string VoteBytes(uint32_t signer, const ChainParams& params) {
    pb::ConsensusMessage message;
    pb::Vote& vote = *message.mutable_vote();
    *vote.mutable_vote_data()->mutable_proposed() = chain.Info(1, 1, "a");
    *vote.mutable_vote_data()->mutable_parent() = chain.params.genesis;
    vote.set_signer(signer);
    vote.set_signature(chain.keys[signer]->Sign(VoteDigest(params, vote.vote_data())));
    return message.SerializeAsString();
  }
  uint32_t Other() const { return leader2 == 0 ? 1 : 0; }
  // Feeds `bytes` from `from` and returns the one reason it was dropped for ("" if none).
  std::string DropReason(uint32_t from, const std::string& bytes) {
    DropCounts before = sm->drops();
    sm->OnMessage(1001, from, bytes);
    std::string reason;
    for (const auto& [r, count] : sm->drops()) {
      if (count > before[r]) {
        EXPECT_TRUE(reason.empty()) << "two reasons: " << reason << ", " << r;
        reason = r;
      }
    }
    return reason;
  }
};

TEST_F(PeerFaultsTest, MalformedIsAFault) {
  std::string reason = DropReason(Other(), "\xff\xff not a consensus message");
  EXPECT_EQ(reason, "malformed");
  EXPECT_TRUE(IsPeerFault(reason));
}

TEST_F(PeerFaultsTest, OversizedIsAFault) {
  std::string reason = DropReason(Other(), std::string(kMessageBytesMax + 1, 'x'));
  EXPECT_EQ(reason, "too large");
  EXPECT_TRUE(IsPeerFault(reason));
}

TEST_F(PeerFaultsTest, FromANonValidatorIsAFault) {
  std::string reason = DropReason(7, VoteBytes(Other(), chain.params));
  EXPECT_EQ(reason, "sender not a validator");
  EXPECT_TRUE(IsPeerFault(reason));
}

TEST_F(PeerFaultsTest, ForAnotherChainIsAFault) {
  ChainParams other = chain.params;
  other.chain_id = "another-chain";
  std::string reason = DropReason(Other(), VoteBytes(Other(), other));
  EXPECT_EQ(reason, "bad vote signature");
  EXPECT_TRUE(IsPeerFault(reason));
}

TEST_F(PeerFaultsTest, ReplayedIsCountedButNotAFault) {
  const std::string vote = VoteBytes(Other(), chain.params);
  EXPECT_EQ(DropReason(Other(), vote), "");
  std::string reason = DropReason(Other(), vote);
  EXPECT_EQ(reason, "second vote of a signer in a round");
  EXPECT_FALSE(IsPeerFault(reason));
}

TEST_F(PeerFaultsTest, StaleOrUnsolicitedAreNotFaults) {
  EXPECT_FALSE(IsPeerFault("vote for a round out of window"));
  EXPECT_FALSE(IsPeerFault("unsolicited block response"));
  EXPECT_FALSE(IsPeerFault("second timeout of a signer in a round"));
  EXPECT_FALSE(IsPeerFault(""));
}

}  // namespace
}  // namespace onechain::consensus
