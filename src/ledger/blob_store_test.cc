#include "ledger/blob_store.h"

#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>

#include "util/bytes.h"

namespace onechain::ledger {
namespace {

namespace fs = std::filesystem;

class BlobStoreTest : public testing::TestWithParam<pb::Suite> {
 protected:
  void SetUp() override {
    std::string name = testing::UnitTest::GetInstance()->current_test_info()->name();
    std::replace(name.begin(), name.end(), '/', '_');
    dir_ = fs::temp_directory_path() / ("onechain-blobs-" + std::to_string(::getpid()) + "-" + name);
    fs::remove_all(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }
  const crypto::Suite& suite() const { return *crypto::GetSuite(GetParam()); }
  std::unique_ptr<BlobStore> OpenStore(uint64_t max = kBlobBytesMaxDefault) {
    Result<std::unique_ptr<BlobStore>> store = BlobStore::Open(dir_, suite(), max);
    EXPECT_TRUE(store.ok()) << store.status().ToString();
    return std::move(store).value();
  }
  size_t FileCount() const {
    size_t count = 0;
    for (const auto& entry : fs::recursive_directory_iterator(dir_)) count += entry.is_regular_file();
    return count;
  }
  std::string dir_;
};

TEST_P(BlobStoreTest, StoresByHashAndReadsBackAfterReopening) {
  std::string hash;
  {
    auto store = OpenStore();
    Result<std::string> put = store->Put("ciphertext of a loan contract");
    ASSERT_TRUE(put.ok()) << put.status().ToString();
    hash = *put;
    EXPECT_EQ(hash, suite().Hash("ciphertext of a loan contract"));
    EXPECT_EQ(*store->Put("ciphertext of a loan contract"), hash);  // idempotent
    EXPECT_EQ(FileCount(), 1u);
    Result<std::string> empty = store->Put("");
    ASSERT_TRUE(empty.ok());
    EXPECT_EQ(*store->Get(*empty), "");
  }
  auto store = OpenStore();
  EXPECT_TRUE(store->Has(hash));
  EXPECT_EQ(*store->Get(hash), "ciphertext of a loan contract");
}

TEST_P(BlobStoreTest, RefusesWhatItCannotServe) {
  auto store = OpenStore(/*max=*/16);
  Result<std::string> big = store->Put(std::string(17, 'x'));
  ASSERT_FALSE(big.ok());
  EXPECT_EQ(big.status().code(), pb::Status::TOO_LARGE);
  EXPECT_EQ(FileCount(), 0u);
  EXPECT_TRUE(store->Put(std::string(16, 'x')).ok());

  EXPECT_EQ(store->Get("short").status().code(), pb::Status::MALFORMED);
  EXPECT_FALSE(store->Has("short"));
  const std::string absent = suite().Hash("never stored");
  EXPECT_EQ(store->Get(absent).status().code(), pb::Status::NOT_FOUND);
  EXPECT_FALSE(store->Has(absent));
}

TEST_P(BlobStoreTest, ADamagedFileIsReportedNotServed) {
  auto store = OpenStore();
  const std::string hash = *store->Put("original bytes");
  const std::string hex = ToHex(hash);
  {
    std::ofstream out(dir_ + "/" + hex.substr(0, 2) + "/" + hex, std::ios::binary | std::ios::trunc);
    out << "altered bytes!";
  }
  Result<std::string> read = store->Get(hash);
  ASSERT_FALSE(read.ok());
  EXPECT_EQ(read.status().code(), pb::Status::IO);
  EXPECT_NE(read.status().message().find("no longer matches"), std::string::npos);
}

// A writer killed with SIGKILL at arbitrary instants leaves only whole blobs: after reopening,
// every stored blob reads back and matches its name, and no temporary file remains.
TEST_P(BlobStoreTest, KillDuringWritesLeavesOnlyWholeBlobs) {
  for (int round = 0; round < 5; ++round) {
    // The writer reports its first whole blob through a pipe, so the kill lands during later
    // writes however slow the machine is, and at a different point in each round.
    int ready[2];
    ASSERT_EQ(::pipe(ready), 0);
    const pid_t child = ::fork();
    ASSERT_GE(child, 0);
    if (child == 0) {
      ::close(ready[0]);
      auto store = BlobStore::Open(dir_, suite());
      if (!store.ok()) ::_exit(2);
      for (uint32_t i = 0;; ++i) {
        std::string bytes(256 * 1024 + i % 4096, static_cast<char>('a' + i % 26));
        bytes += std::to_string(round) + "/" + std::to_string(i);
        if (!(*store)->Put(bytes).ok()) ::_exit(3);
        if (i == 0 && ::write(ready[1], "x", 1) != 1) ::_exit(4);
      }
    }
    ::close(ready[1]);
    char byte = 0;
    ASSERT_EQ(::read(ready[0], &byte, 1), 1) << "the writer stored no blob";
    ::close(ready[0]);
    ::usleep(static_cast<useconds_t>(round * 7000));
    ::kill(child, SIGKILL);
    int status = 0;
    ::waitpid(child, &status, 0);
    ASSERT_TRUE(WIFSIGNALED(status)) << "writer exited on its own with " << WEXITSTATUS(status);

    auto store = OpenStore();
    size_t blobs = 0;
    for (const auto& entry : fs::recursive_directory_iterator(dir_)) {
      if (!entry.is_regular_file()) continue;
      const std::string name = entry.path().filename().string();
      ASSERT_FALSE(name.starts_with('.')) << "temporary file left: " << name;
      std::optional<std::string> hash = FromHex(name);
      ASSERT_TRUE(hash.has_value()) << name;
      Result<std::string> bytes = store->Get(*hash);
      ASSERT_TRUE(bytes.ok()) << bytes.status().ToString();
      ++blobs;
    }
    EXPECT_GT(blobs, 0u);
  }
}

INSTANTIATE_TEST_SUITE_P(Suites, BlobStoreTest, testing::Values(pb::SUITE_INTL, pb::SUITE_SM),
                         [](const auto& info) { return info.param == pb::SUITE_INTL ? "intl" : "sm"; });

}  // namespace
}  // namespace onechain::ledger
