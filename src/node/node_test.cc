// Proves admission and block production on one node: accepted transactions commit with receipts
// and survive a restart, and every kind of bad input is refused with its own code and changes
// nothing.
#include "node/node.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>

#include "ledger/log_tree.h"
#include "ledger/merkle.h"
#include "ledger/merkle_proof.h"
#include "ledger/state_tree.h"
#include "node/genesis.h"
#include "util/bytes.h"

namespace onechain::node {
namespace {

class NodeTest : public ::testing::TestWithParam<pb::Suite> {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("onechain-node-test-" + std::to_string(getpid()) + "-" +
            std::to_string(reinterpret_cast<uintptr_t>(this)));
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
    suite_ = GetParam();
    court_admin_ = *crypto::GenerateKey(suite_);
    tax_admin_ = *crypto::GenerateKey(suite_);
    auto validator = *crypto::GenerateKey(suite_);
    pb::Genesis genesis;
    genesis.set_chain_id("node-test");
    genesis.set_suite(suite_);
    auto* court = genesis.add_orgs();
    court->set_id("court");
    court->set_kind(pb::ORG_KIND_COURT);
    court->set_admin_public_key(court_admin_->public_key());
    auto* tax = genesis.add_orgs();
    tax->set_id("tax");
    tax->set_kind(pb::ORG_KIND_TAX_BUREAU);
    tax->set_admin_public_key(tax_admin_->public_key());
    auto* v = genesis.add_validators();
    v->set_org_id("court");
    v->set_public_key(validator->public_key());
    config_.data_dir = (dir_ / "data").string();
    config_.genesis_path = (dir_ / "genesis.json").string();
    config_.validator_key_path = (dir_ / "validator.pem").string();
    ASSERT_TRUE(WriteFile(config_.genesis_path, GenesisJson(genesis)).ok());
    ASSERT_TRUE(WriteFile(config_.validator_key_path, *validator->ToPem("")).ok());
    OpenNode();
  }

  void TearDown() override {
    node_.reset();
    std::filesystem::remove_all(dir_);
  }

  void OpenNode() {
    node_.reset();
    auto node = Node::Open(config_);
    ASSERT_TRUE(node.ok()) << node.status().ToString();
    node_ = std::move(*node);
    node_->Start();
  }

  pb::TxBody Body(const crypto::PrivateKey& key, uint64_t nonce) {
    pb::TxBody body;
    body.set_chain_id("node-test");
    body.set_suite(suite_);
    body.set_signer(key.public_key());
    body.set_nonce(nonce);
    body.set_valid_until_height(node_->height() + 100);
    return body;
  }

  pb::TxBody RegisterBody(const crypto::PrivateKey& admin, uint64_t nonce,
                          const std::string& new_key, pb::Role role) {
    pb::TxBody body = Body(admin, nonce);
    body.mutable_register_account()->set_public_key(new_key);
    body.mutable_register_account()->add_roles(role);
    body.mutable_register_account()->set_display_name("member");
    return body;
  }

  // Submits and waits for commit; returns the committed status.
  pb::TxStatus SubmitAndWait(const pb::TxBody& body, const crypto::PrivateKey& key) {
    auto hash = node_->Submit(SignEnvelope(key, body));
    EXPECT_TRUE(hash.ok()) << hash.status().ToString();
    if (!hash.ok()) return {};
    auto status = node_->GetTxStatus(ToHex(*hash), 10'000);
    EXPECT_TRUE(status.ok());
    EXPECT_EQ(status->state(), pb::TxStatus::COMMITTED);
    return *status;
  }

  // Expects `bytes` to be refused with `code` and the chain's state to be unchanged.
  void ExpectRefused(const std::string& bytes, pb::Status::Code code) {
    std::string root_before = node_->chain().store().state_root();
    size_t pending_before = node_->Health().pending_txs();
    auto result = node_->Submit(bytes);
    ASSERT_FALSE(result.ok());
    EXPECT_EQ(result.status().code(), code)
        << pb::Status::Code_Name(result.status().code()) << ": " << result.status().message();
    EXPECT_FALSE(result.status().message().empty());
    EXPECT_EQ(node_->chain().store().state_root(), root_before);
    EXPECT_EQ(node_->Health().pending_txs(), pending_before);
  }

  std::filesystem::path dir_;
  pb::Suite suite_;
  Config config_;
  std::unique_ptr<crypto::PrivateKey> court_admin_;
  std::unique_ptr<crypto::PrivateKey> tax_admin_;
  std::unique_ptr<Node> node_;
};

TEST_P(NodeTest, RegistersAccountAndSurvivesRestart) {
  auto judge = *crypto::GenerateKey(suite_);
  pb::TxStatus status =
      SubmitAndWait(RegisterBody(*court_admin_, 1, judge->public_key(), pb::ROLE_JUDGE),
                    *court_admin_);
  EXPECT_EQ(status.code(), pb::Status::OK) << status.message();
  EXPECT_EQ(status.body().nonce(), 1u);
  uint64_t height = node_->height();
  EXPECT_GE(height, 1u);
  auto block = node_->GetBlock(status.height());
  ASSERT_TRUE(block.ok());
  EXPECT_EQ(block->tx_hashes(0), status.hash());

  OpenNode();
  EXPECT_EQ(node_->height(), height);
  auto account = node_->GetAccount(status.record_id());
  ASSERT_TRUE(account.ok());
  EXPECT_EQ(account->roles(0), pb::ROLE_JUDGE);
  // Heights continue after the restart.
  auto clerk = *crypto::GenerateKey(suite_);
  pb::TxStatus next =
      SubmitAndWait(RegisterBody(*court_admin_, 2, clerk->public_key(), pb::ROLE_CLERK),
                    *court_admin_);
  EXPECT_EQ(next.height(), height + 1);
}

TEST_P(NodeTest, BlocksChainByHash) {
  auto a = *crypto::GenerateKey(suite_);
  auto b = *crypto::GenerateKey(suite_);
  SubmitAndWait(RegisterBody(*court_admin_, 1, a->public_key(), pb::ROLE_JUDGE), *court_admin_);
  SubmitAndWait(RegisterBody(*court_admin_, 2, b->public_key(), pb::ROLE_JUDGE), *court_admin_);
  auto first = node_->GetBlock(1);
  auto second = node_->GetBlock(2);
  ASSERT_TRUE(first.ok() && second.ok());
  EXPECT_EQ(ToHex(second->header().prev_hash()), first->hash());
  EXPECT_GE(second->header().time_ms(), first->header().time_ms());
  const crypto::Suite& suite = node_->chain().suite();
  EXPECT_TRUE(suite.Verify(second->header().proposer(), second->header().SerializeAsString(),
                           second->proposer_signature()));
}

TEST_P(NodeTest, RefusesMalformedProtobuf) {
  ExpectRefused(std::string("\xff\xff\xff\x01garbage", 11), pb::Status::MALFORMED);
  pb::SignedTx envelope;
  envelope.set_body("not a body \xff\xff");
  ExpectRefused(envelope.SerializeAsString(), pb::Status::MALFORMED);
}

TEST_P(NodeTest, RefusesOversizedEnvelope) {
  pb::TxBody body = Body(*court_admin_, 1);
  body.mutable_self_register()->set_display_name(std::string(kEnvelopeBytesMax, 'a'));
  ExpectRefused(SignEnvelope(*court_admin_, body), pb::Status::TOO_LARGE);
}

TEST_P(NodeTest, RefusesWrongChainId) {
  pb::TxBody body = RegisterBody(*court_admin_, 1, (*crypto::GenerateKey(suite_))->public_key(), pb::ROLE_JUDGE);
  body.set_chain_id("other-chain");
  ExpectRefused(SignEnvelope(*court_admin_, body), pb::Status::WRONG_CHAIN);
}

TEST_P(NodeTest, RefusesBadSignature) {
  auto judge = *crypto::GenerateKey(suite_);
  std::string bytes =
      SignEnvelope(*court_admin_, RegisterBody(*court_admin_, 1, judge->public_key(),
                                               pb::ROLE_JUDGE));
  pb::SignedTx envelope;
  ASSERT_TRUE(envelope.ParseFromString(bytes));
  std::string signature = envelope.signature();
  signature[5] ^= 0x01;
  envelope.set_signature(signature);
  ExpectRefused(envelope.SerializeAsString(), pb::Status::BAD_SIGNATURE);
  // Signed by another key than the one it names.
  ExpectRefused(SignEnvelope(*tax_admin_, RegisterBody(*court_admin_, 1, judge->public_key(),
                                                       pb::ROLE_JUDGE)),
                pb::Status::BAD_SIGNATURE);
}

TEST_P(NodeTest, RefusesReplayedAndSkippedNonce) {
  auto judge = *crypto::GenerateKey(suite_);
  SubmitAndWait(RegisterBody(*court_admin_, 1, judge->public_key(), pb::ROLE_JUDGE),
                *court_admin_);
  auto clerk = *crypto::GenerateKey(suite_);
  ExpectRefused(SignEnvelope(*court_admin_,
                             RegisterBody(*court_admin_, 1, clerk->public_key(), pb::ROLE_CLERK)),
                pb::Status::NONCE_REPLAYED);
  ExpectRefused(SignEnvelope(*court_admin_,
                             RegisterBody(*court_admin_, 3, clerk->public_key(), pb::ROLE_CLERK)),
                pb::Status::NONCE_SKIPPED);
}

TEST_P(NodeTest, RefusesDuplicate) {
  auto judge = *crypto::GenerateKey(suite_);
  pb::TxBody body = RegisterBody(*court_admin_, 1, judge->public_key(), pb::ROLE_JUDGE);
  std::string bytes = SignEnvelope(*court_admin_, body);
  auto first = node_->Submit(bytes);
  ASSERT_TRUE(first.ok());
  auto second = node_->Submit(bytes);
  ASSERT_FALSE(second.ok());
  EXPECT_EQ(second.status().code(), pb::Status::DUPLICATE);
  ASSERT_EQ(node_->GetTxStatus(ToHex(*first), 10'000)->state(), pb::TxStatus::COMMITTED);
  ExpectRefused(bytes, pb::Status::DUPLICATE);
}

TEST_P(NodeTest, RefusesUnknownSigner) {
  auto stranger = *crypto::GenerateKey(suite_);
  auto judge = *crypto::GenerateKey(suite_);
  ExpectRefused(SignEnvelope(*stranger,
                             RegisterBody(*stranger, 1, judge->public_key(), pb::ROLE_JUDGE)),
                pb::Status::UNKNOWN_SIGNER);
}

TEST_P(NodeTest, RefusesRevokedSigner) {
  auto judge = *crypto::GenerateKey(suite_);
  pb::TxStatus registered = SubmitAndWait(
      RegisterBody(*court_admin_, 1, judge->public_key(), pb::ROLE_JUDGE), *court_admin_);
  pb::TxBody revoke = Body(*court_admin_, 2);
  revoke.mutable_revoke_account()->set_account_id(registered.record_id());
  ASSERT_EQ(SubmitAndWait(revoke, *court_admin_).code(), pb::Status::OK);
  pb::TxBody rotate = Body(*judge, 1);
  rotate.mutable_rotate_key()->set_account_id(registered.record_id());
  rotate.mutable_rotate_key()->set_new_public_key((*crypto::GenerateKey(suite_))->public_key());
  ExpectRefused(SignEnvelope(*judge, rotate), pb::Status::REVOKED_SIGNER);
}

TEST_P(NodeTest, RefusesUnauthorizedAction) {
  auto judge = *crypto::GenerateKey(suite_);
  pb::TxStatus registered = SubmitAndWait(
      RegisterBody(*court_admin_, 1, judge->public_key(), pb::ROLE_JUDGE), *court_admin_);
  // A judge is no org admin.
  auto other = *crypto::GenerateKey(suite_);
  ExpectRefused(SignEnvelope(*judge, RegisterBody(*judge, 1, other->public_key(), pb::ROLE_CLERK)),
                pb::Status::UNAUTHORIZED);
  // The tax bureau's admin cannot revoke the court's judge: refused at execution, state kept.
  pb::TxBody revoke = Body(*tax_admin_, 1);
  revoke.mutable_revoke_account()->set_account_id(registered.record_id());
  pb::TxStatus status = SubmitAndWait(revoke, *tax_admin_);
  EXPECT_EQ(status.code(), pb::Status::UNAUTHORIZED);
  EXPECT_EQ(node_->GetAccount(registered.record_id())->status(), pb::ACCOUNT_STATUS_ACTIVE);
}

TEST_P(NodeTest, RefusesExpired) {
  auto judge = *crypto::GenerateKey(suite_);
  SubmitAndWait(RegisterBody(*court_admin_, 1, judge->public_key(), pb::ROLE_JUDGE),
                *court_admin_);
  pb::TxBody body = RegisterBody(*court_admin_, 2, (*crypto::GenerateKey(suite_))->public_key(), pb::ROLE_JUDGE);
  body.set_valid_until_height(node_->height());
  ExpectRefused(SignEnvelope(*court_admin_, body), pb::Status::EXPIRED);
}

TEST_P(NodeTest, RejectionIsQueryable) {
  pb::TxBody body = RegisterBody(*court_admin_, 7, (*crypto::GenerateKey(suite_))->public_key(), pb::ROLE_JUDGE);
  std::string bytes = SignEnvelope(*court_admin_, body);
  auto result = node_->Submit(bytes);
  ASSERT_FALSE(result.ok());
  pb::SignedTx envelope;
  envelope.ParseFromString(bytes);
  auto status = node_->GetTxStatus(ToHex(TxHash(node_->chain().suite(), envelope)), 0);
  ASSERT_TRUE(status.ok());
  EXPECT_EQ(status->state(), pb::TxStatus::REJECTED);
  EXPECT_EQ(status->code(), pb::Status::NONCE_SKIPPED);
}

TEST_P(NodeTest, PipelinedNoncesCommitInOrder) {
  std::vector<std::string> hashes;
  for (uint64_t nonce = 1; nonce <= 50; ++nonce) {
    auto key = *crypto::GenerateKey(suite_);
    auto hash = node_->Submit(SignEnvelope(
        *court_admin_, RegisterBody(*court_admin_, nonce, key->public_key(), pb::ROLE_CLERK)));
    ASSERT_TRUE(hash.ok()) << hash.status().ToString();
    hashes.push_back(ToHex(*hash));
  }
  for (const auto& hash : hashes) {
    auto status = node_->GetTxStatus(hash, 10'000);
    ASSERT_EQ(status->state(), pb::TxStatus::COMMITTED);
    EXPECT_EQ(status->code(), pb::Status::OK) << status->message();
  }
  EXPECT_EQ(node_->GetAccountByKey(court_admin_->public_key())->nonce(), 50u);
}

// Every header commits to the ledger accumulator over all transactions so far and to the state
// tree after the block; both survive a restart and prove a transaction and an account.
TEST_P(NodeTest, HeadersCarryLogAndStateTreeRoots) {
  const crypto::Suite& suite = node_->chain().suite();
  std::vector<pb::TxStatus> committed;
  for (uint64_t nonce = 1; nonce <= 3; ++nonce) {
    auto key = *crypto::GenerateKey(suite_);
    committed.push_back(SubmitAndWait(
        RegisterBody(*court_admin_, nonce, key->public_key(), pb::ROLE_JUDGE), *court_admin_));
    if (nonce == 2) OpenNode();  // the trees continue after a restart
  }
  ledger::StoreNodes nodes(node_->chain().store());
  ledger::StateTree tree(suite, nodes);
  uint64_t log_size = 0;
  for (uint64_t height = 1; height <= node_->height(); ++height) {
    auto bytes = node_->chain().store().GetBlock(height);
    ASSERT_TRUE(bytes.ok() && bytes->has_value());
    pb::Block block;
    pb::BlockHeader header;
    ASSERT_TRUE(block.ParseFromString(**bytes) && header.ParseFromString(block.header()));
    log_size += static_cast<uint64_t>(block.txs_size());
    EXPECT_EQ(header.log_size(), log_size);
    EXPECT_EQ(header.log_root(), *ledger::LogRootAt(suite, nodes, log_size));
    EXPECT_EQ(header.state_root(), *tree.Root(height));
    EXPECT_NE(header.state_root(), ledger::StateEmptyHash());
    // Each transaction is proven in this header's log and in the latest one.
    for (int i = 0; i < block.txs_size(); ++i) {
      uint64_t leaf = log_size - static_cast<uint64_t>(block.txs_size()) + static_cast<uint64_t>(i);
      auto path = ledger::LogInclusionProof(suite, nodes, leaf, log_size);
      ASSERT_TRUE(path.ok()) << path.status().ToString();
      EXPECT_TRUE(ledger::VerifyInclusion(suite, leaf, log_size,
                                          ledger::MerkleLeafHash(suite, block.txs(i)), *path,
                                          header.log_root())
                      .ok());
    }
  }
  EXPECT_EQ(log_size, 3u);
  EXPECT_EQ(node_->chain().store().state_root(), *tree.Root(node_->height()));
  // The last registered account, present with its stored value; a made-up key, absent.
  std::string key = "acct/" + committed.back().record_id();
  auto value = node_->chain().store().GetState(key);
  ASSERT_TRUE(value.ok() && value->has_value());
  std::string root = node_->chain().store().state_root();
  auto proof = tree.Prove(node_->height(), key);
  ASSERT_TRUE(proof.ok());
  EXPECT_TRUE(ledger::VerifyStateProof(suite, root, key, **value, *proof).ok());
  EXPECT_FALSE(ledger::VerifyStateProof(suite, root, key, std::nullopt, *proof).ok());
  auto absent = tree.Prove(node_->height(), "acct/none");
  ASSERT_TRUE(absent.ok());
  EXPECT_TRUE(ledger::VerifyStateProof(suite, root, "acct/none", std::nullopt, *absent).ok());
}

INSTANTIATE_TEST_SUITE_P(Suites, NodeTest, ::testing::Values(pb::SUITE_INTL, pb::SUITE_SM),
                         [](const auto& info) {
                           return info.param == pb::SUITE_INTL ? "intl" : "sm";
                         });

// A statutory day may be shortened for demo and test networks but never exceed a real day; 0 is
// a real day.
TEST(GenesisParams, DayLengthIsAtMostARealDay) {
  auto admin = *crypto::GenerateKey(pb::SUITE_INTL);
  pb::Genesis genesis;
  genesis.set_chain_id("day-test");
  genesis.set_suite(pb::SUITE_INTL);
  auto* court = genesis.add_orgs();
  court->set_id("court");
  court->set_kind(pb::ORG_KIND_COURT);
  court->set_admin_public_key(admin->public_key());
  auto* v = genesis.add_validators();
  v->set_org_id("court");
  v->set_public_key(admin->public_key());
  for (uint64_t ok : {uint64_t{0}, uint64_t{1000}, uint64_t{86'400'000}}) {
    genesis.mutable_params()->set_day_ms(ok);
    EXPECT_TRUE(ValidateGenesis(genesis).ok()) << ok;
  }
  genesis.mutable_params()->set_day_ms(86'400'001);
  Status refused = ValidateGenesis(genesis);
  EXPECT_EQ(refused.code(), pb::Status::INVALID_ARGUMENT);
  EXPECT_NE(refused.message().find("day_ms"), std::string::npos) << refused.message();
}

}  // namespace
}  // namespace onechain::node
