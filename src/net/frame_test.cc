// Proves the frame header round-trips in big-endian order, sequences are stamped in place, and the
// backoff and log-limit policies stay inside their bounds.
#include "net/frame.h"

#include <gtest/gtest.h>

#include <cstring>

#include "net/policy.h"

namespace onechain::net {
namespace {

TEST(Frame, HeaderIsBigEndianAndRoundTrips) {
  const FrameHeader header{
      .payload_bytes = 0x01020304, .type = 0x0506, .sequence = 0x0708090a0b0c0d0e};
  const auto bytes = EncodeFrameHeader(header);
  const std::array<uint8_t, kFrameHeaderBytes> expected{1, 2, 3,  4,  5,  6,  7,
                                                        8, 9, 10, 11, 12, 13, 14};
  EXPECT_EQ(bytes, expected);
  const FrameHeader decoded = DecodeFrameHeader(bytes);
  EXPECT_EQ(decoded.payload_bytes, header.payload_bytes);
  EXPECT_EQ(decoded.type, header.type);
  EXPECT_EQ(decoded.sequence, header.sequence);
}

TEST(Frame, EncodeFrameThenStampSequence) {
  std::string frame = EncodeFrame(17, "abc");
  ASSERT_EQ(frame.size(), kFrameHeaderBytes + 3);
  EXPECT_EQ(frame.substr(kFrameHeaderBytes), "abc");
  StampSequence(frame, 42);
  std::array<uint8_t, kFrameHeaderBytes> header{};
  std::memcpy(header.data(), frame.data(), header.size());
  const FrameHeader decoded = DecodeFrameHeader(header);
  EXPECT_EQ(decoded.payload_bytes, 3u);
  EXPECT_EQ(decoded.type, 17);
  EXPECT_EQ(decoded.sequence, 42u);
}

TEST(Backoff, DoublesUpToTheMaximumWithJitterInTheUpperHalf) {
  for (uint32_t attempt = 0; attempt < 80; ++attempt) {
    const uint64_t ceiling =
        std::min<uint64_t>(10'000, attempt < 40 ? (100ull << attempt) : 10'000);
    EXPECT_EQ(BackoffDelayMs(attempt, 100, 10'000, 0), ceiling / 2) << attempt;
    EXPECT_EQ(BackoffDelayMs(attempt, 100, 10'000, ceiling - ceiling / 2), ceiling) << attempt;
    for (uint64_t random : {1ull, 12345ull, ~0ull}) {
      const uint64_t delay = BackoffDelayMs(attempt, 100, 10'000, random);
      EXPECT_GE(delay, ceiling / 2);
      EXPECT_LE(delay, ceiling);
    }
  }
  EXPECT_EQ(BackoffDelayMs(0, 0, 0, 7), 1u);  // never zero
}

TEST(LogLimiter, AllowsABurstThenCountsWhatItSuppressed) {
  LogLimiter limiter(2, std::chrono::milliseconds(1000));
  const auto t0 = LogLimiter::Clock::time_point{} + std::chrono::hours(1);
  uint64_t suppressed = 99;
  EXPECT_TRUE(limiter.Allow(t0, suppressed));
  EXPECT_EQ(suppressed, 0u);
  EXPECT_TRUE(limiter.Allow(t0, suppressed));
  EXPECT_FALSE(limiter.Allow(t0, suppressed));
  EXPECT_FALSE(limiter.Allow(t0 + std::chrono::milliseconds(999), suppressed));
  EXPECT_TRUE(limiter.Allow(t0 + std::chrono::milliseconds(1000), suppressed));
  EXPECT_EQ(suppressed, 2u);
}

}  // namespace
}  // namespace onechain::net
