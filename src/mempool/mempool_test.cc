// Proves the mempool keeps per-signer nonces contiguous, drops duplicates, honours its bounds and
// keeps taken transactions reserved until they are confirmed.
#include "mempool/mempool.h"

#include <gtest/gtest.h>

namespace onechain::mempool {
namespace {

PendingTx Tx(const std::string& account, uint64_t nonce, size_t bytes = 10) {
  PendingTx tx;
  tx.hash = account + "/" + std::to_string(nonce);
  tx.account_id = account;
  tx.nonce = nonce;
  tx.envelope = std::string(bytes, 'x');
  return tx;
}

TEST(Mempool, AdmitsContiguousNoncesOnly) {
  Mempool pool;
  EXPECT_TRUE(pool.Add(Tx("a", 6), 5).ok());
  EXPECT_EQ(pool.Add(Tx("a", 8), 5).code(), pb::Status::NONCE_SKIPPED);
  EXPECT_EQ(pool.Add(Tx("a", 5), 5).code(), pb::Status::NONCE_REPLAYED);
  EXPECT_EQ(pool.Add(Tx("a", 6), 5).code(), pb::Status::DUPLICATE);
  EXPECT_TRUE(pool.Add(Tx("a", 7), 5).ok());
  EXPECT_TRUE(pool.Add(Tx("b", 1), 0).ok());
  EXPECT_EQ(pool.size(), 3u);
}

TEST(Mempool, TakenTransactionsStayReservedUntilConfirmed) {
  Mempool pool;
  ASSERT_TRUE(pool.Add(Tx("a", 1), 0).ok());
  auto batch = pool.TakeBatch(10, 1000);
  ASSERT_EQ(batch.size(), 1u);
  EXPECT_TRUE(pool.Contains("a/1"));
  EXPECT_EQ(pool.Add(Tx("a", 1), 0).code(), pb::Status::DUPLICATE);
  EXPECT_TRUE(pool.Add(Tx("a", 2), 0).ok());  // follows the reserved nonce 1
  pool.Confirm(batch);
  EXPECT_FALSE(pool.Contains("a/1"));
  EXPECT_TRUE(pool.Add(Tx("a", 3), 1).ok());
}

TEST(Mempool, BatchesRespectCountAndBytesInArrivalOrder) {
  Mempool pool;
  for (uint64_t n = 1; n <= 5; ++n) ASSERT_TRUE(pool.Add(Tx("a", n, 100), 0).ok());
  auto first = pool.TakeBatch(2, 1000);
  ASSERT_EQ(first.size(), 2u);
  EXPECT_EQ(first[0].nonce, 1u);
  EXPECT_EQ(first[1].nonce, 2u);
  auto second = pool.TakeBatch(10, 250);
  ASSERT_EQ(second.size(), 2u);
  EXPECT_EQ(second[0].nonce, 3u);
}

TEST(Mempool, RefusesWhenFull) {
  Mempool pool(Limits{.txs_max = 2, .bytes_max = 1000});
  EXPECT_TRUE(pool.Add(Tx("a", 1), 0).ok());
  EXPECT_TRUE(pool.Add(Tx("b", 1), 0).ok());
  EXPECT_EQ(pool.Add(Tx("c", 1), 0).code(), pb::Status::MEMPOOL_FULL);
  Mempool small(Limits{.txs_max = 10, .bytes_max = 15});
  EXPECT_TRUE(small.Add(Tx("a", 1), 0).ok());
  EXPECT_EQ(small.Add(Tx("b", 1), 0).code(), pb::Status::MEMPOOL_FULL);
}

TEST(Mempool, CommittedNonceAfterConfirmGovernsAgain) {
  Mempool pool;
  ASSERT_TRUE(pool.Add(Tx("a", 1), 0).ok());
  auto batch = pool.TakeBatch(10, 1000);
  pool.Confirm(batch);
  // With nothing in flight the committed nonce is the reference.
  EXPECT_EQ(pool.Add(Tx("a", 1), 1).code(), pb::Status::NONCE_REPLAYED);
  EXPECT_TRUE(pool.Add(Tx("a", 2), 1).ok());
}

TEST(Mempool, PeekEnvelopesSkipsCarriedAndKeepsEverythingQueued) {
  Mempool pool;
  PendingTx a = Tx("a", 1, 10), b = Tx("b", 1, 20), c = Tx("c", 1, 30);
  a.envelope = std::string(10, 'a');
  b.envelope = std::string(20, 'b');
  c.envelope = std::string(30, 'c');
  ASSERT_TRUE(pool.Add(a, 0).ok());
  ASSERT_TRUE(pool.Add(b, 0).ok());
  ASSERT_TRUE(pool.Add(c, 0).ok());
  auto skip_b = [](const std::string& hash) { return hash == "b/1"; };
  EXPECT_EQ(pool.PeekEnvelopes(10, 1000, skip_b),
            (std::vector<std::string>{a.envelope, c.envelope}));
  EXPECT_EQ(pool.PeekEnvelopes(1, 1000, skip_b), (std::vector<std::string>{a.envelope}));
  // The byte bound stops at the first envelope that would not fit.
  EXPECT_EQ(pool.PeekEnvelopes(10, 35, [](const std::string&) { return false; }),
            (std::vector<std::string>{a.envelope, b.envelope}));
  EXPECT_EQ(pool.size(), 3u);  // peeking reserves nothing
  pool.Remove({"a/1", "unknown"});
  EXPECT_EQ(pool.PeekEnvelopes(10, 1000, skip_b), (std::vector<std::string>{c.envelope}));
}

}  // namespace
}  // namespace onechain::mempool
