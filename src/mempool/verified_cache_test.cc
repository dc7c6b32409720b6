// Proves each signature is verified once: a second look at the same (hash, signature) is
// answered from the cache, another signature over the same body is verified again, failures
// are not remembered, and the cache forgets its oldest entries beyond its bound.
#include "mempool/verified_cache.h"

#include <gtest/gtest.h>

namespace onechain::mempool {
namespace {

TEST(VerifiedCache, VerifiesEachSignatureOnce) {
  VerifiedCache cache;
  int calls = 0;
  auto ok = [&] { ++calls; return true; };
  EXPECT_TRUE(cache.VerifyOnce("h1", "sig", ok));
  EXPECT_TRUE(cache.VerifyOnce("h1", "sig", ok));
  EXPECT_TRUE(cache.Contains("h1", "sig"));
  EXPECT_EQ(calls, 1);
  EXPECT_EQ(cache.counts().hits, 1u);
  EXPECT_EQ(cache.counts().misses, 1u);
}

TEST(VerifiedCache, AnotherSignatureOverTheSameBodyIsVerifiedAgain) {
  VerifiedCache cache;
  int calls = 0;
  EXPECT_TRUE(cache.VerifyOnce("h1", "sig-a", [&] { ++calls; return true; }));
  EXPECT_FALSE(cache.Contains("h1", "sig-b"));
  EXPECT_FALSE(cache.VerifyOnce("h1", "sig-b", [&] { ++calls; return false; }));
  EXPECT_EQ(calls, 2);
  EXPECT_TRUE(cache.Contains("h1", "sig-a"));
}

TEST(VerifiedCache, FailuresAreNotRemembered) {
  VerifiedCache cache;
  int calls = 0;
  auto bad = [&] { ++calls; return false; };
  EXPECT_FALSE(cache.VerifyOnce("h1", "sig", bad));
  EXPECT_FALSE(cache.VerifyOnce("h1", "sig", bad));
  EXPECT_EQ(calls, 2);
  EXPECT_EQ(cache.counts().entries, 0u);
}

TEST(VerifiedCache, ForgetsTheOldestBeyondItsBound) {
  VerifiedCache cache(2);
  cache.Remember("a", "s");
  cache.Remember("b", "s");
  cache.Remember("c", "s");
  EXPECT_FALSE(cache.Contains("a", "s"));
  EXPECT_TRUE(cache.Contains("b", "s"));
  EXPECT_TRUE(cache.Contains("c", "s"));
  EXPECT_EQ(cache.counts().entries, 2u);
}

}  // namespace
}  // namespace onechain::mempool
