// The checkpoint certifier alone: four validators' certifiers over one executed block. A
// certificate forms at the third distinct valid signature over the executed header bytes, and
// only then; a repeated signer, a signature sent by another peer than its key's, a signature over
// other header bytes and a bad signature do not count; signatures that arrive before the block
// executes here count once it does; the certificate verifies offline and survives a reopen, and
// a stored certificate altered since is passed over.
#include "node/checkpoint_certifier.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>

#include "block.pb.h"
#include "ledger/proof_bundle.h"
#include "node/chain.h"
#include "node/genesis.h"
#include "proof.pb.h"

namespace onechain::node {
namespace {

class CheckpointCertifierTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("onechain-certifier-test-" + std::to_string(getpid()));
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
    pb::Genesis genesis;
    genesis.set_chain_id("certifier-test");
    genesis.set_suite(pb::SUITE_INTL);
    auto* court = genesis.add_orgs();
    court->set_id("court");
    court->set_kind(pb::ORG_KIND_COURT);
    keys_.push_back(*crypto::GenerateKey(pb::SUITE_INTL));
    court->set_admin_public_key(keys_.back()->public_key());
    for (int i = 0; i < 4; ++i) {
      validators_.push_back(*crypto::GenerateKey(pb::SUITE_INTL));
      auto* v = genesis.add_validators();
      v->set_org_id("court");
      v->set_public_key(validators_.back()->public_key());
      v->set_address("127.0.0.1:" + std::to_string(20000 + i));
      keys_public_.push_back(validators_.back()->public_key());
      set_.add_public_keys(validators_.back()->public_key());
    }
    auto chain = Chain::Open((dir_ / "data").string(), genesis);
    ASSERT_TRUE(chain.ok()) << chain.status().ToString();
    chain_ = std::move(*chain);
    ExecutedBlock block = chain_->ExecuteOrdered({}, 1'000, keys_public_[0]);
    ASSERT_TRUE(chain_->Commit(block).ok());
    auto stored = chain_->store().GetBlock(1);
    ASSERT_TRUE(stored.ok() && stored->has_value());
    pb::Block parsed;
    ASSERT_TRUE(parsed.ParseFromString(**stored));
    header_ = parsed.header();
  }

  void TearDown() override {
    chain_.reset();
    std::filesystem::remove_all(dir_);
  }

  std::unique_ptr<CheckpointCertifier> Open(int i) {
    std::string dir = (dir_ / ("v" + std::to_string(i))).string();
    auto certifier = CheckpointCertifier::Open(*chain_, *validators_[i], keys_public_, dir);
    EXPECT_TRUE(certifier.ok()) << certifier.status().ToString();
    return certifier.ok() ? std::move(*certifier) : nullptr;
  }

  // Validator i's signature message over `header` (the executed one by default).
  std::string Message(int i, std::string header = "") {
    if (header.empty()) header = header_;
    pb::Checkpoint message;
    message.set_header(header);
    pb::CertificateSignatures one;
    pb::KeyedSignature* signature = one.add_signatures();
    signature->set_public_key(keys_public_[i]);
    signature->set_signature(validators_[i]->Sign(header));
    message.set_certificate(one.SerializeAsString());
    return message.SerializeAsString();
  }

  std::filesystem::path dir_;
  std::vector<std::unique_ptr<crypto::PrivateKey>> keys_, validators_;
  std::vector<std::string> keys_public_;
  pb::ValidatorSet set_;
  std::unique_ptr<Chain> chain_;
  std::string header_;
};

TEST_F(CheckpointCertifierTest, AQuorumOfDistinctValidSignaturesCertifiesTheExecutedHeader) {
  std::unique_ptr<CheckpointCertifier> c0 = Open(0);
  ASSERT_NE(c0, nullptr);
  Result<std::string> own = c0->OnExecuted(1);
  ASSERT_TRUE(own.ok()) << own.status().ToString();
  EXPECT_TRUE(c0->OnMessage(1, Message(1)).ok());
  EXPECT_TRUE(c0->OnMessage(1, Message(1)).ok());  // the same signer again
  EXPECT_EQ(c0->Latest().height, 0u) << "two distinct signers of four are no quorum";

  // Validator 2's signature relayed as validator 3's, validator 2 signing other header bytes,
  // a broken signature, a message that does not decode: none counts.
  EXPECT_FALSE(c0->OnMessage(3, Message(2)).ok());
  pb::BlockHeader other;
  ASSERT_TRUE(other.ParseFromString(header_));
  other.set_state_root(std::string(32, 's'));
  EXPECT_FALSE(c0->OnMessage(2, Message(2, other.SerializeAsString())).ok());
  pb::Checkpoint broken;
  ASSERT_TRUE(broken.ParseFromString(Message(2)));
  pb::CertificateSignatures one;
  ASSERT_TRUE(one.ParseFromString(broken.certificate()));
  (*one.mutable_signatures(0)->mutable_signature())[7] ^= 1;
  broken.set_certificate(one.SerializeAsString());
  EXPECT_FALSE(c0->OnMessage(2, broken.SerializeAsString()).ok());
  EXPECT_FALSE(c0->OnMessage(2, "not a message").ok());
  EXPECT_FALSE(c0->OnMessage(9, Message(2)).ok());
  EXPECT_EQ(c0->Latest().height, 0u);

  EXPECT_TRUE(c0->OnMessage(2, Message(2)).ok());
  CertifiedCheckpoint latest = c0->Latest();
  ASSERT_EQ(latest.height, 1u);
  EXPECT_TRUE(ledger::VerifySignatureListCertificate(chain_->suite(), set_, header_, "",
                                                     latest.certificate)
                  .ok());
  pb::CertificateSignatures certificate;
  ASSERT_TRUE(certificate.ParseFromString(latest.certificate));
  EXPECT_EQ(certificate.signatures_size(), 3);
  EXPECT_EQ(c0->CertificateOf(1), latest.certificate);
  EXPECT_EQ(c0->CertificateOf(2), std::nullopt);

  // Reopened from its directory: the same latest certificate.
  c0 = Open(0);
  ASSERT_NE(c0, nullptr);
  EXPECT_EQ(c0->Latest().height, 1u);
  EXPECT_EQ(c0->Latest().certificate, latest.certificate);
  // A file torn or altered since is passed over.
  pb::CertificateSignatures torn = certificate;
  torn.mutable_signatures()->RemoveLast();
  c0.reset();
  std::string file = (dir_ / "v0" / "checkpoints" / "1").string();
  ASSERT_TRUE(WriteFile(file, torn.SerializeAsString()).ok());
  c0 = Open(0);
  ASSERT_NE(c0, nullptr);
  EXPECT_EQ(c0->Latest().height, 0u);
}

TEST_F(CheckpointCertifierTest, SignaturesThatArriveBeforeExecutionCountOnceItMatches) {
  std::unique_ptr<CheckpointCertifier> c3 = Open(3);
  ASSERT_NE(c3, nullptr);
  EXPECT_TRUE(c3->OnMessage(0, Message(0)).ok());
  EXPECT_TRUE(c3->OnMessage(1, Message(1)).ok());
  EXPECT_EQ(c3->Latest().height, 0u) << "not executed here yet";
  ASSERT_TRUE(c3->OnExecuted(1).ok());
  EXPECT_EQ(c3->Latest().height, 1u);

  // A signature over other bytes that came first is dropped at execution: no quorum with it.
  std::unique_ptr<CheckpointCertifier> c2 = Open(2);
  ASSERT_NE(c2, nullptr);
  pb::BlockHeader other;
  ASSERT_TRUE(other.ParseFromString(header_));
  other.set_log_root(std::string(32, 'l'));
  EXPECT_TRUE(c2->OnMessage(0, Message(0, other.SerializeAsString())).ok());
  EXPECT_TRUE(c2->OnMessage(1, Message(1)).ok());
  ASSERT_TRUE(c2->OnExecuted(1).ok());
  EXPECT_EQ(c2->Latest().height, 0u);
  EXPECT_TRUE(c2->OnMessage(3, Message(3)).ok());
  EXPECT_EQ(c2->Latest().height, 1u);
}

}  // namespace
}  // namespace onechain::node
