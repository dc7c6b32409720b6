// Proves blocks, receipts and state survive reopening and that heights must follow in order.
#include "ledger/store.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>

#include "ledger/state_root.h"

namespace onechain::ledger {
namespace {

class StoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("onechain-store-test-" + std::to_string(getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  std::unique_ptr<Store> OpenStore() {
    auto store = Store::Open(dir_.string());
    EXPECT_TRUE(store.ok()) << store.status().message();
    return std::move(store).value();
  }

  std::filesystem::path dir_;
};

BlockCommit MakeCommit(uint64_t height, const std::string& tx_hash) {
  BlockCommit commit;
  commit.height = height;
  commit.block_hash = "block-" + std::to_string(height);
  commit.block_bytes = "bytes-" + std::to_string(height);
  commit.tx_hashes = {tx_hash};
  pb::Receipt receipt;
  receipt.set_tx_hash(tx_hash);
  receipt.set_height(height);
  receipt.set_message("ok");
  commit.receipts = {receipt};
  commit.state_writes["k/" + std::to_string(height)] = "v";
  commit.state_root = "root-" + std::to_string(height);
  return commit;
}

TEST_F(StoreTest, CommitsSurviveReopen) {
  {
    auto store = OpenStore();
    EXPECT_FALSE(store->initialized());
    ASSERT_TRUE(store->InitGenesis("genesis", "ghash", {{"k/0", "v0"}}, "root-0").ok());
    ASSERT_TRUE(store->Commit(MakeCommit(1, "tx1")).ok());
    ASSERT_TRUE(store->Commit(MakeCommit(2, "tx2")).ok());
  }
  auto store = OpenStore();
  EXPECT_TRUE(store->initialized());
  EXPECT_EQ(store->height(), 2u);
  EXPECT_EQ(store->head_hash(), "block-2");
  EXPECT_EQ(store->state_root(), "root-2");
  EXPECT_EQ(store->genesis_bytes(), "genesis");
  EXPECT_EQ(**store->GetBlock(1), "bytes-1");
  EXPECT_EQ(**store->HeightOfBlock("block-2"), 2u);
  auto location = *store->GetTxLocation("tx2");
  ASSERT_TRUE(location.has_value());
  EXPECT_EQ(location->height, 2u);
  EXPECT_EQ(location->index, 0u);
  EXPECT_EQ((*store->GetReceipt("tx1"))->height(), 1u);
  EXPECT_EQ(**store->GetState("k/0"), "v0");
  EXPECT_EQ(store->ScanState("k/", 10)->size(), 3u);
  EXPECT_FALSE(store->GetBlock(3)->has_value());
}

TEST_F(StoreTest, RejectsOutOfOrderHeightAndChangesNothing) {
  auto store = OpenStore();
  ASSERT_TRUE(store->InitGenesis("genesis", "ghash", {}, "root-0").ok());
  Status status = store->Commit(MakeCommit(2, "tx2"));
  EXPECT_EQ(status.code(), pb::Status::FAILED_PRECONDITION);
  EXPECT_EQ(store->height(), 0u);
  EXPECT_FALSE(store->GetTxLocation("tx2")->has_value());
  EXPECT_FALSE(store->InitGenesis("again", "h", {}, "r").ok());
}

TEST_F(StoreTest, DeletesInStateWrites) {
  auto store = OpenStore();
  ASSERT_TRUE(store->InitGenesis("genesis", "ghash", {{"k/1", "v"}}, "root-0").ok());
  BlockCommit commit = MakeCommit(1, "tx1");
  commit.state_writes = {{"k/1", std::nullopt}};
  ASSERT_TRUE(store->Commit(commit).ok());
  EXPECT_FALSE(store->GetState("k/1")->has_value());
}

TEST(StateRoot, DependsOnPreviousRootAndEveryWrite) {
  const crypto::Suite& suite = *crypto::GetSuite(pb::SUITE_INTL);
  StateWrites writes = {{"a", "1"}, {"b", std::nullopt}};
  std::string root = NextStateRoot(suite, "prev", writes);
  EXPECT_EQ(root.size(), crypto::kHashBytes);
  EXPECT_NE(root, NextStateRoot(suite, "prev2", writes));
  EXPECT_NE(root, NextStateRoot(suite, "prev", {{"a", "1"}, {"b", ""}}));
  EXPECT_NE(root, NextStateRoot(suite, "prev", {{"a", "2"}, {"b", std::nullopt}}));
  EXPECT_EQ(root, NextStateRoot(suite, "prev", writes));
}

}  // namespace
}  // namespace onechain::ledger
