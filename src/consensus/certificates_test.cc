// Proves that a QC or TC verifies only with a quorum of distinct validators' valid signatures
// over exactly its content, and that the genesis QC is the only unsigned one.
#include "consensus/certificates.h"

#include <gtest/gtest.h>

#include "consensus/test_util.h"

namespace onechain::consensus {
namespace {

using testing::TestChain;

TEST(Certificates, QcNeedsAQuorumOfDistinctValidSigners) {
  TestChain chain(4);  // f = 1, quorum 3
  Verifier verifier(chain.params);
  const pb::BlockInfo block = chain.Info(1, 1, "a");
  EXPECT_TRUE(verifier.VerifyQc(chain.Qc(block, chain.params.genesis, {0, 1, 2})).ok());
  EXPECT_TRUE(verifier.VerifyQc(chain.Qc(block, chain.params.genesis, {3, 1, 2, 0})).ok());
  EXPECT_EQ(verifier.VerifyQc(chain.Qc(block, chain.params.genesis, {0, 1})).code(),
            pb::Status::BAD_SIGNATURE);

  pb::QuorumCert duplicate = chain.Qc(block, chain.params.genesis, {0, 1, 1});
  EXPECT_EQ(verifier.VerifyQc(duplicate).code(), pb::Status::BAD_SIGNATURE);

  pb::QuorumCert relabelled = chain.Qc(block, chain.params.genesis, {0, 1, 2});
  relabelled.mutable_signatures(2)->set_signer(3);  // 2's signature claimed as 3's
  EXPECT_EQ(verifier.VerifyQc(relabelled).code(), pb::Status::BAD_SIGNATURE);

  pb::QuorumCert tampered = chain.Qc(block, chain.params.genesis, {0, 1, 2});
  tampered.mutable_vote_data()->mutable_proposed()->set_state_root(chain.params.suite->Hash("x"));
  EXPECT_EQ(verifier.VerifyQc(tampered).code(), pb::Status::BAD_SIGNATURE);

  pb::QuorumCert flipped = chain.Qc(block, chain.params.genesis, {0, 1, 2});
  (*flipped.mutable_signatures(0)->mutable_signature())[5] ^= 1;
  EXPECT_EQ(verifier.VerifyQc(flipped).code(), pb::Status::BAD_SIGNATURE);
}

TEST(Certificates, OnlyTheGenesisQcIsUnsigned) {
  TestChain chain(4);
  Verifier verifier(chain.params);
  EXPECT_TRUE(verifier.VerifyQc(GenesisQc(chain.params.genesis)).ok());
  pb::BlockInfo fake_genesis = chain.params.genesis;
  fake_genesis.set_state_root(chain.params.suite->Hash("another state"));
  EXPECT_FALSE(verifier.VerifyQc(GenesisQc(fake_genesis)).ok());
  pb::QuorumCert unsigned_qc = chain.Qc(chain.Info(1, 1, "a"), chain.params.genesis, {});
  EXPECT_FALSE(verifier.VerifyQc(unsigned_qc).ok());
}

TEST(Certificates, QuorumFollowsTheSetSize) {
  for (size_t n : {1u, 4u, 5u, 7u, 10u}) {
    TestChain chain(n);
    EXPECT_GT(chain.params.quorum() * 3, n * 2) << n;
    Verifier verifier(chain.params);
    std::vector<uint32_t> signers;
    for (uint32_t i = 0; i < chain.params.quorum(); ++i) signers.push_back(i);
    EXPECT_TRUE(verifier.VerifyQc(chain.Qc(chain.Info(1, 1, "a"), chain.params.genesis, signers)).ok());
    signers.pop_back();
    EXPECT_FALSE(verifier.VerifyQc(chain.Qc(chain.Info(1, 1, "a"), chain.params.genesis, signers)).ok());
  }
}

TEST(Certificates, TcSignaturesCoverRoundAndHighQcRound) {
  TestChain chain(4);
  Verifier verifier(chain.params);
  EXPECT_TRUE(verifier.VerifyTc(chain.Tc(5, {{0, 3}, {1, 4}, {2, 2}})).ok());
  EXPECT_FALSE(verifier.VerifyTc(chain.Tc(5, {{0, 3}, {1, 4}})).ok());
  EXPECT_FALSE(verifier.VerifyTc(chain.Tc(5, {{0, 3}, {1, 4}, {1, 4}})).ok());
  pb::TimeoutCert raised = chain.Tc(5, {{0, 3}, {1, 4}, {2, 2}});
  raised.mutable_signatures(2)->set_high_qc_round(4);  // claims a higher QC than it signed
  EXPECT_FALSE(verifier.VerifyTc(raised).ok());
  pb::TimeoutCert moved = chain.Tc(5, {{0, 3}, {1, 4}, {2, 2}});
  moved.set_round(6);
  EXPECT_FALSE(verifier.VerifyTc(moved).ok());
}

}  // namespace
}  // namespace onechain::consensus
