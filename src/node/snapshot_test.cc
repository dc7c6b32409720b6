// Snapshots without processes: a chain of four validators' genesis commits blocks; the snapshot
// of its store (with a checkpoint certificate and a root QC signed by three validators) verifies,
// survives encoding, and imports into a new directory whose chain continues with the very same
// next block. Every kind of tampering is refused with its code.
#include "node/snapshot.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>

#include "consensus/encoding.h"
#include "ledger/proof_bundle.h"
#include "node/chain.h"
#include "node/envelope.h"
#include "node/genesis.h"
#include "proof.pb.h"

namespace onechain::node {
namespace {

class SnapshotTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("onechain-snapshot-test-" + std::to_string(getpid()));
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_ / "bft" / "checkpoints");
    genesis_.set_chain_id("snapshot-test");
    genesis_.set_suite(pb::SUITE_INTL);
    genesis_.set_genesis_time_ms(1'000);
    auto* court = genesis_.add_orgs();
    court->set_id("court");
    court->set_kind(pb::ORG_KIND_COURT);
    admin_ = *crypto::GenerateKey(pb::SUITE_INTL);
    court->set_admin_public_key(admin_->public_key());
    for (int i = 0; i < 4; ++i) {
      validators_.push_back(*crypto::GenerateKey(pb::SUITE_INTL));
      auto* v = genesis_.add_validators();
      v->set_org_id("court");
      v->set_public_key(validators_.back()->public_key());
      v->set_address("127.0.0.1:" + std::to_string(21000 + i));
    }
    ASSERT_TRUE(ValidateGenesis(genesis_).ok());
    auto chain = Chain::Open((dir_ / "data").string(), genesis_);
    ASSERT_TRUE(chain.ok()) << chain.status().ToString();
    chain_ = std::move(*chain);
    const crypto::Suite& suite = chain_->suite();
    // Block 1 carries two self-registrations (the log gets leaves), block 2 none.
    std::vector<mempool::PendingTx> txs;
    for (int i = 0; i < 2; ++i) {
      auto key = crypto::GenerateKey(pb::SUITE_INTL);
      ASSERT_TRUE(key.ok());
      pb::TxBody body;
      body.set_chain_id(genesis_.chain_id());
      body.set_suite(pb::SUITE_INTL);
      body.set_signer((*key)->public_key());
      body.set_nonce(1);
      body.set_valid_until_height(100);
      body.mutable_self_register()->set_display_name("creditor " + std::to_string(i));
      std::string envelope = SignEnvelope(**key, body);
      auto decoded = DecodeEnvelope(envelope);
      ASSERT_TRUE(decoded.ok());
      mempool::PendingTx tx;
      tx.hash = TxHash(suite, decoded->envelope);
      tx.envelope = envelope;
      tx.body = decoded->body;
      txs.push_back(std::move(tx));
    }
    ASSERT_TRUE(chain_->Commit(chain_->ExecuteOrdered(txs, 2'000, validators_[0]->public_key())).ok());
    ASSERT_TRUE(chain_->Commit(chain_->ExecuteOrdered({}, 3'000, validators_[0]->public_key())).ok());
    // The certificate of height 2 and its QC, as the BFT driver keeps them.
    auto stored = chain_->store().GetBlock(2);
    ASSERT_TRUE(stored.ok() && stored->has_value());
    pb::Block block;
    ASSERT_TRUE(block.ParseFromString(**stored));
    pb::CertificateSignatures certificate;
    for (int i = 0; i < 3; ++i) {
      pb::KeyedSignature* s = certificate.add_signatures();
      s->set_public_key(validators_[i]->public_key());
      s->set_signature(validators_[i]->Sign(block.header()));
    }
    ASSERT_TRUE(WriteFile((dir_ / "bft" / "checkpoints" / "2").string(),
                          certificate.SerializeAsString()).ok());
    consensus::ChainParams params;
    params.chain_id = genesis_.chain_id();
    params.suite = &suite;
    for (const auto& v : validators_) params.validator_keys.push_back(v->public_key());
    const std::string genesis_hash = chain_->store().genesis_hash();
    params.genesis = consensus::GenesisInfo(suite, genesis_hash, 1'000, genesis_hash);
    pb::QuorumCert qc;
    pb::BlockInfo& proposed = *qc.mutable_vote_data()->mutable_proposed();
    proposed.set_round(2);
    proposed.set_height(2);
    proposed.set_id(suite.Hash("block 2"));
    proposed.set_time_ms(3'000);
    proposed.set_state_root(suite.Hash("order 2"));
    pb::BlockInfo& parent = *qc.mutable_vote_data()->mutable_parent();
    parent = proposed;
    parent.set_round(1);
    parent.set_height(1);
    parent.set_id(suite.Hash("block 1"));
    const std::string digest = consensus::VoteDigest(params, qc.vote_data());
    for (uint32_t i = 1; i < 4; ++i) {
      pb::ValidatorSignature* s = qc.add_signatures();
      s->set_signer(i);
      s->set_signature(validators_[i]->Sign(digest));
    }
    ASSERT_TRUE(WriteFile((dir_ / "bft" / "root.qc").string(), qc.SerializeAsString()).ok());
  }

  void TearDown() override {
    chain_.reset();
    std::filesystem::remove_all(dir_);
  }

  Snapshot Take() {
    auto snapshot = SnapshotOf(chain_->store(), (dir_ / "bft").string());
    EXPECT_TRUE(snapshot.ok()) << snapshot.status().ToString();
    EXPECT_TRUE(snapshot.ok() && snapshot->has_value());
    return snapshot.ok() && snapshot->has_value() ? **snapshot : Snapshot{};
  }

  Code Refusal(const Snapshot& snapshot) {
    Result<SnapshotInfo> info = VerifySnapshot(genesis_, snapshot);
    return info.ok() ? pb::Status::OK : info.status().code();
  }

  std::filesystem::path dir_;
  pb::Genesis genesis_;
  std::unique_ptr<crypto::PrivateKey> admin_;
  std::vector<std::unique_ptr<crypto::PrivateKey>> validators_;
  std::unique_ptr<Chain> chain_;
};

TEST_F(SnapshotTest, VerifiesEncodesAndImportsIntoAChainThatContinuesAlike) {
  Snapshot snapshot = Take();
  EXPECT_EQ(snapshot.header.height(), 2u);
  EXPECT_FALSE(snapshot.state.empty());
  EXPECT_FALSE(snapshot.state_nodes.empty());
  EXPECT_FALSE(snapshot.log_nodes.empty());
  auto info = VerifySnapshot(genesis_, snapshot);
  ASSERT_TRUE(info.ok()) << info.status().ToString();
  EXPECT_EQ(info->state_root, chain_->store().state_root());

  const std::string bytes = EncodeSnapshot(snapshot);
  auto parsed = ParseSnapshot(bytes);
  ASSERT_TRUE(parsed.ok()) << parsed.status().ToString();
  EXPECT_EQ(parsed->state.size(), snapshot.state.size());
  ASSERT_TRUE(WriteFile((dir_ / "file").string(), bytes).ok());

  // A block committed at height 2 is on disk: its database refuses an import.
  auto refused = ImportSnapshot((dir_ / "file").string(), (dir_ / "data").string(), genesis_);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.status().code(), pb::Status::ALREADY_EXISTS);

  const std::string fresh = (dir_ / "fresh").string();
  auto imported = ImportSnapshot((dir_ / "file").string(), fresh, genesis_);
  ASSERT_TRUE(imported.ok()) << imported.status().ToString();
  EXPECT_TRUE(std::filesystem::exists(fresh + "/bft/root.qc"));
  EXPECT_TRUE(std::filesystem::exists(fresh + "/bft/checkpoints/2"));
  auto other = Chain::Open(fresh, genesis_);
  ASSERT_TRUE(other.ok()) << other.status().ToString();
  EXPECT_EQ((*other)->store().height(), 2u);
  EXPECT_EQ((*other)->store().head_hash(), chain_->store().head_hash());
  EXPECT_EQ((*other)->store().state_root(), chain_->store().state_root());
  EXPECT_FALSE((*other)->store().GetBlock(1)->has_value());  // history was not copied
  // Block 3 on both: byte for byte the same.
  ExecutedBlock ours = chain_->ExecuteOrdered({}, 4'000, validators_[1]->public_key());
  ExecutedBlock theirs = (*other)->ExecuteOrdered({}, 4'000, validators_[1]->public_key());
  EXPECT_EQ(ours.commit.block_bytes, theirs.commit.block_bytes);
  ASSERT_TRUE((*other)->Commit(theirs).ok());
  EXPECT_EQ((*other)->store().height(), 3u);
}

TEST_F(SnapshotTest, TamperedSnapshotsAreRefusedWithTheirCodes) {
  const Snapshot good = Take();
  ASSERT_EQ(Refusal(good), pb::Status::OK);
  ASSERT_GE(good.state.size(), 2u);
  ASSERT_FALSE(good.state_nodes.empty());
  ASSERT_FALSE(good.log_nodes.empty());
  {
    Snapshot s = good;  // a state value changed
    s.state.back().set_value(s.state.back().value() + "!");
    EXPECT_EQ(Refusal(s), pb::Status::HASH_MISMATCH);
  }
  {
    Snapshot s = good;  // an entry added
    pb::SnapshotEntry extra;
    extra.set_key("zzz/extra");
    extra.set_value("v");
    s.state.push_back(extra);
    EXPECT_EQ(Refusal(s), pb::Status::HASH_MISMATCH);
  }
  {
    Snapshot s = good;  // an entry dropped
    s.state.pop_back();
    EXPECT_EQ(Refusal(s), pb::Status::HASH_MISMATCH);
  }
  {
    Snapshot s = good;  // keys out of order
    ASSERT_GE(s.state.size(), 2u);
    std::swap(s.state[0], s.state[1]);
    EXPECT_EQ(Refusal(s), pb::Status::MALFORMED);
  }
  {
    Snapshot s = good;  // a tree record changed
    std::string value = s.state_nodes.back().value();
    value.back() = static_cast<char>(value.back() ^ 1);
    s.state_nodes.back().set_value(value);
    EXPECT_EQ(Refusal(s), pb::Status::HASH_MISMATCH);
  }
  {
    Snapshot s = good;  // a record no node reaches
    pb::SnapshotEntry extra;
    extra.set_key("S-unreached");
    extra.set_value("I");
    s.state_nodes.push_back(extra);
    EXPECT_EQ(Refusal(s), pb::Status::MALFORMED);
  }
  {
    Snapshot s = good;  // the log frontier changed
    std::string value = s.log_nodes.back().value();
    value[0] = static_cast<char>(value[0] ^ 1);
    s.log_nodes.back().set_value(value);
    EXPECT_EQ(Refusal(s), pb::Status::HASH_MISMATCH);
  }
  {
    Snapshot s = good;  // two of three certificate signatures
    pb::CertificateSignatures certificate;
    ASSERT_TRUE(certificate.ParseFromString(s.header.certificate()));
    certificate.mutable_signatures()->RemoveLast();
    s.header.set_certificate(certificate.SerializeAsString());
    EXPECT_EQ(Refusal(s), pb::Status::BAD_SIGNATURE);
  }
  {
    Snapshot s = good;  // a QC signature altered
    std::string sig = s.header.root_qc().signatures(0).signature();
    sig[0] = static_cast<char>(sig[0] ^ 1);
    s.header.mutable_root_qc()->mutable_signatures(0)->set_signature(sig);
    EXPECT_EQ(Refusal(s), pb::Status::BAD_SIGNATURE);
  }
  {
    Snapshot s = good;  // a QC of another height
    s.header.mutable_root_qc()->mutable_vote_data()->mutable_proposed()->set_height(1);
    EXPECT_EQ(Refusal(s), pb::Status::INVALID_ARGUMENT);
  }
  {
    Snapshot s = good;  // a validator set the state does not record
    s.header.mutable_validators()->mutable_public_keys()->RemoveLast();
    EXPECT_EQ(Refusal(s), pb::Status::INVALID_ARGUMENT);
  }
  {
    pb::Genesis other = genesis_;  // another network's genesis
    other.set_chain_id("another-chain");
    auto info = VerifySnapshot(other, good);
    ASSERT_FALSE(info.ok());
    EXPECT_EQ(info.status().code(), pb::Status::WRONG_CHAIN);
  }
  // Framing: truncated, trailing bytes, wrong magic.
  const std::string bytes = EncodeSnapshot(good);
  for (const std::string& bad : {bytes.substr(0, bytes.size() - 1), bytes + "x",
                                 "onechain-snapshot@v2\n" + bytes.substr(21)}) {
    auto parsed = ParseSnapshot(bad);
    ASSERT_FALSE(parsed.ok());
    EXPECT_EQ(parsed.status().code(), pb::Status::MALFORMED);
  }
  // Nothing is written for a refused file.
  ASSERT_TRUE(WriteFile((dir_ / "bad").string(), bytes.substr(0, bytes.size() - 1)).ok());
  auto refused = ImportSnapshot((dir_ / "bad").string(), (dir_ / "never").string(), genesis_);
  ASSERT_FALSE(refused.ok());
  EXPECT_FALSE(std::filesystem::exists(dir_ / "never"));
}

}  // namespace
}  // namespace onechain::node
