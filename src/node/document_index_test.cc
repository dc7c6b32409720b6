// The document index: entries follow the records' attachments block by block, survive a
// restart, and a store committed before the index existed is indexed when it opens.
#include "node/document_index.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>

#include "claims.pb.h"

namespace onechain::node {
namespace {

std::string ClaimWith(std::vector<std::string> hashes) {
  pb::Claim claim;
  for (const std::string& hash : hashes) {
    claim.mutable_declaration()->add_attachments()->set_hash(hash);
  }
  return claim.SerializeAsString();
}

class DocumentIndexTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("onechain-document-index-test-" + std::to_string(getpid()));
    std::filesystem::remove_all(dir_);
    Reopen();
    ASSERT_TRUE(store_->InitGenesis("g", "gh", {}, "r").ok());
  }
  void TearDown() override {
    store_.reset();
    std::filesystem::remove_all(dir_);
  }
  void Reopen() {
    store_.reset();
    store_ = std::move(ledger::Store::Open(dir_.string())).value();
  }
  // Commits a block of `writes`, with the document index's entries when `indexed`.
  void Commit(const ledger::StateWrites& writes, bool indexed = true) {
    ledger::BlockCommit commit;
    commit.height = store_->height() + 1;
    commit.block_hash = "b" + std::to_string(commit.height);
    commit.state_writes = writes;
    if (indexed) commit.index_writes = *DocumentIndexWrites(writes, *store_);
    ASSERT_TRUE(store_->Commit(commit).ok());
  }
  std::vector<std::string> Find(const std::string& hash) {
    return *RecordsReferencing(*store_, hash, 100);
  }

  std::filesystem::path dir_;
  std::unique_ptr<ledger::Store> store_;
};

TEST_F(DocumentIndexTest, FollowsTheRecordsAndSurvivesARestart) {
  Commit({{"claim/1", ClaimWith({"h-a", "h-b"})}, {"claim/2", ClaimWith({"h-b"})},
          {"case/1", "not a document record"}});
  Reopen();
  EXPECT_EQ(Find("h-a"), std::vector<std::string>({"claim/1"}));
  EXPECT_EQ(Find("h-b"), std::vector<std::string>({"claim/1", "claim/2"}));
  EXPECT_TRUE(Find("h-c").empty());
  EXPECT_TRUE(Find("h-").empty());  // a prefix of a hash is not that hash
  // A record that drops one attachment and adds another; a deleted record.
  Commit({{"claim/1", ClaimWith({"h-b", "h-c"})}, {"claim/2", std::nullopt}});
  EXPECT_TRUE(Find("h-a").empty());
  EXPECT_EQ(Find("h-b"), std::vector<std::string>({"claim/1"}));
  EXPECT_EQ(Find("h-c"), std::vector<std::string>({"claim/1"}));
}

TEST_F(DocumentIndexTest, AStoreFromBeforeTheIndexIsIndexedWhenItOpens) {
  Commit({{"claim/9", ClaimWith({"h-old"})}}, /*indexed=*/false);
  Reopen();
  EXPECT_TRUE(Find("h-old").empty());
  ASSERT_TRUE(EnsureDocumentIndex(*store_).ok());
  EXPECT_EQ(Find("h-old"), std::vector<std::string>({"claim/9"}));
  // Once: a later record is indexed at execution, not by a second pass.
  Commit({{"claim/10", ClaimWith({"h-new"})}}, /*indexed=*/false);
  ASSERT_TRUE(EnsureDocumentIndex(*store_).ok());
  EXPECT_TRUE(Find("h-new").empty());
}

}  // namespace
}  // namespace onechain::node
