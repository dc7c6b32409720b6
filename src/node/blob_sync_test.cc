// BlobFetcher between in-memory validators: a blob held by one peer reaches the others in
// chunks and is hashed before it is stored; "absent" peers and silent ones are left for the next;
// a peer sending bytes of another hash or a size over the limit is reported and nothing is
// stored; fetches in flight are capped, rounds back off and end.
#include "node/blob_sync.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <deque>
#include <filesystem>
#include <functional>
#include <map>
#include <optional>
#include <set>

#include "util/bytes.h"

namespace onechain::node {
namespace {

namespace fs = std::filesystem;

const crypto::Suite& Suite() { return *crypto::GetSuite(pb::SUITE_INTL); }

std::string Bytes(size_t n, char seed) {
  std::string out(n, '\0');
  for (size_t i = 0; i < n; ++i) out[i] = static_cast<char>(seed + i * 31 + (i >> 11));
  return out;
}

// `n` validators, each with a store and a fetcher; messages wait in one queue until Pump.
class Mesh {
 public:
  explicit Mesh(uint32_t n, const std::string& name) {
    base_ = fs::temp_directory_path() / ("onechain-blobsync-" + std::to_string(::getpid()) + "-" + name);
    fs::remove_all(base_);
    for (uint32_t i = 0; i < n; ++i) {
      stores_.push_back(std::move(*ledger::BlobStore::Open(base_ + "/" + std::to_string(i), Suite())));
    }
    for (uint32_t i = 0; i < n; ++i) {
      BlobFetcher::Io io{
          [this, i](uint32_t peer, net::MessageType type, std::string_view payload) {
            if (silent_.contains(peer)) return true;  // queued, never answered
            queue_.push_back({i, peer, type, std::string(payload)});
            return true;
          },
          [](uint32_t) { return true; },
          [this, i](uint32_t peer, const std::string& reason) {
            rejected_.push_back({i, peer, reason});
          }};
      fetchers_.push_back(std::make_unique<BlobFetcher>(Suite(), *stores_[i], i, n, std::move(io)));
    }
  }
  ~Mesh() { fs::remove_all(base_); }

  // Delivers queued messages (and what they cause) and ticks every fetcher, until quiet.
  void Pump(int64_t now_ms) {
    for (int turn = 0; turn < 10'000; ++turn) {
      for (auto& f : fetchers_) f->Tick(now_ms);
      if (queue_.empty()) return;
      while (!queue_.empty()) {
        Msg m = std::move(queue_.front());
        queue_.pop_front();
        if (tamper_ && m.type == kBlobChunkMessage && m.from == *tamper_) tamper_fn_(m.payload);
        fetchers_[m.to]->OnMessage(m.from, m.type, m.payload, now_ms);
      }
    }
  }

  struct Msg {
    uint32_t from, to;
    net::MessageType type;
    std::string payload;
  };
  struct Rejection {
    uint32_t by, peer;
    std::string reason;
  };
  std::string base_;
  std::vector<std::unique_ptr<ledger::BlobStore>> stores_;
  std::vector<std::unique_ptr<BlobFetcher>> fetchers_;
  std::deque<Msg> queue_;
  std::vector<Rejection> rejected_;
  std::set<uint32_t> silent_;
  std::optional<uint32_t> tamper_;
  std::function<void(std::string&)> tamper_fn_;
};

TEST(BlobFetcherTest, ABlobHeldByOnePeerReachesTheOthersInChunks) {
  Mesh mesh(4, "reach");
  std::string blob = Bytes(3 * kBlobChunkBytes + 12345, 'a');  // four chunks
  std::string hash = *mesh.stores_[2]->Put(blob);
  for (uint32_t i : {0u, 1u, 3u}) mesh.fetchers_[i]->Want(hash, 0);
  mesh.Pump(0);
  for (uint32_t i : {0u, 1u, 3u}) {
    Result<std::string> got = mesh.stores_[i]->Get(hash);
    ASSERT_TRUE(got.ok()) << "validator " << i << ": " << got.status().ToString();
    EXPECT_EQ(*got, blob);
    EXPECT_EQ(mesh.fetchers_[i]->counters().fetched, 1u);
    EXPECT_EQ(mesh.fetchers_[i]->wanted(), 0u);
  }
  EXPECT_TRUE(mesh.rejected_.empty());
  EXPECT_GE(mesh.fetchers_[2]->counters().chunks_served, 4u);
  // Validator 0 asks 1 first, which has nothing yet: an "absent" answer, then on to 2.
  EXPECT_GE(mesh.fetchers_[0]->counters().absent, 1u);
  // A held blob is not wanted again.
  mesh.fetchers_[0]->Want(hash, 0);
  EXPECT_EQ(mesh.fetchers_[0]->wanted(), 0u);
}

TEST(BlobFetcherTest, BytesOfAnotherHashAreReportedNotStoredAndAnHonestPeerServesIt) {
  Mesh mesh(3, "mismatch");
  std::string blob = Bytes(5000, 'x');
  std::string hash = *mesh.stores_[1]->Put(blob);
  ASSERT_TRUE(mesh.stores_[2]->Put(blob).ok());
  mesh.tamper_ = 1;  // validator 1 flips a byte of what it sends
  mesh.tamper_fn_ = [](std::string& payload) { payload.back() ^= 1; };
  mesh.fetchers_[0]->Want(hash, 0);
  mesh.Pump(0);
  ASSERT_EQ(mesh.rejected_.size(), 1u);
  EXPECT_EQ(mesh.rejected_[0].by, 0u);
  EXPECT_EQ(mesh.rejected_[0].peer, 1u);
  EXPECT_EQ(mesh.rejected_[0].reason, "blob hash mismatch");
  EXPECT_EQ(*mesh.stores_[0]->Get(hash), blob);  // from validator 2
  EXPECT_EQ(mesh.fetchers_[0]->counters().rejected, 1u);
}

TEST(BlobFetcherTest, ASizeOverTheLimitOrAChunkThatDoesNotFitIsReportedAndNothingStored) {
  Mesh mesh(2, "oversized");
  std::string blob = Bytes(100, 'o');
  std::string hash = *mesh.stores_[1]->Put(blob);
  mesh.tamper_ = 1;
  mesh.tamper_fn_ = [&](std::string& payload) {  // claims a total of 1 GiB
    payload = BlobFetcher::EncodeChunk(hash, uint64_t{1} << 30, 0, blob);
  };
  mesh.fetchers_[0]->Want(hash, 0);
  mesh.Pump(0);
  ASSERT_EQ(mesh.rejected_.size(), 1u);
  EXPECT_EQ(mesh.rejected_[0].reason, "blob oversized");
  EXPECT_FALSE(mesh.stores_[0]->Has(hash));

  mesh.rejected_.clear();
  mesh.tamper_fn_ = [&](std::string& payload) {  // more bytes than the total it names
    payload = BlobFetcher::EncodeChunk(hash, 10, 0, blob);
  };
  mesh.Pump(1'000'000);  // after the round's backoff
  ASSERT_EQ(mesh.rejected_.size(), 1u);
  EXPECT_EQ(mesh.rejected_[0].reason, "blob chunk malformed");
  EXPECT_FALSE(mesh.stores_[0]->Has(hash));

  mesh.rejected_.clear();
  mesh.fetchers_[0]->OnMessage(1, kBlobRequestMessage, "short", 0);
  mesh.fetchers_[0]->OnMessage(1, kBlobChunkMessage, "short", 0);
  ASSERT_EQ(mesh.rejected_.size(), 2u);
  EXPECT_EQ(mesh.rejected_[0].reason, "blob request malformed");
  EXPECT_EQ(mesh.rejected_[1].reason, "blob chunk malformed");
  EXPECT_FALSE(mesh.stores_[0]->Has(hash));
}

TEST(BlobFetcherTest, FetchesInFlightAreCappedTimeOutBackOffAndEnd) {
  Mesh mesh(3, "cap");
  mesh.silent_ = {1, 2};  // nobody answers
  for (int i = 0; i < 10; ++i) mesh.fetchers_[0]->Want(Suite().Hash(std::to_string(i)), 0);
  mesh.fetchers_[0]->Tick(0);
  EXPECT_EQ(mesh.fetchers_[0]->in_flight(), kBlobFetchesMax);
  EXPECT_EQ(mesh.fetchers_[0]->counters().timeouts, 0u);
  int64_t now = kBlobChunkTimeoutMs;
  mesh.fetchers_[0]->Tick(now);  // the four time out and ask the next peer
  EXPECT_EQ(mesh.fetchers_[0]->counters().timeouts, kBlobFetchesMax);
  EXPECT_EQ(mesh.fetchers_[0]->in_flight(), kBlobFetchesMax);
  for (int step = 0; step < 100'000 && mesh.fetchers_[0]->wanted() > 0; ++step) {
    now += 1000;
    mesh.fetchers_[0]->Tick(now);
    ASSERT_LE(mesh.fetchers_[0]->in_flight(), kBlobFetchesMax);
  }
  EXPECT_EQ(mesh.fetchers_[0]->wanted(), 0u);
  EXPECT_EQ(mesh.fetchers_[0]->counters().gave_up, 10u);
  EXPECT_EQ(mesh.fetchers_[0]->counters().fetched, 0u);
  // Two peers per round, kBlobFetchRoundsMax rounds, with backoff of up to a minute between.
  EXPECT_EQ(mesh.fetchers_[0]->counters().timeouts, 10u * 2 * kBlobFetchRoundsMax);
  EXPECT_GT(now, int64_t{kBlobFetchRoundsMax - 10} * kBlobRetryMaxMs);
}

}  // namespace
}  // namespace onechain::node
