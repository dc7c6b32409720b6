// Proves the meeting thresholds exactly at and on both sides of one half and two thirds, by
// worked tallies and over random meetings.
#include "contracts/voting.h"

#include <gtest/gtest.h>

#include <random>

namespace onechain::contracts {
namespace {

TEST(Voting, OrdinaryNeedsMoreThanHalfOfHeadsAndHalfOfAmounts) {
  // 5 of 10 heads is not more than half.
  EXPECT_FALSE(*Passes(Resolution::kOrdinary, {10, 5, 600, 1000}));
  EXPECT_TRUE(*Passes(Resolution::kOrdinary, {10, 6, 500, 1000}));   // exactly half the amount
  EXPECT_FALSE(*Passes(Resolution::kOrdinary, {10, 6, 499, 1000}));  // one fen short
  EXPECT_TRUE(*Passes(Resolution::kOrdinary, {1, 1, 1, 1}));
}

TEST(Voting, CompromiseNeedsTwoThirdsOfAmounts) {
  EXPECT_TRUE(*Passes(Resolution::kCompromise, {3, 2, 200, 300}));   // exactly two thirds
  EXPECT_FALSE(*Passes(Resolution::kCompromise, {3, 2, 199, 300}));
  EXPECT_TRUE(*Passes(Resolution::kCompromise, {3, 2, 667, 1000}));
  EXPECT_FALSE(*Passes(Resolution::kCompromise, {3, 2, 666, 1000}));  // 66.6 % < 2/3
}

TEST(Voting, ReorganizationPlanNeedsEveryClass) {
  Tally pass{4, 3, 700, 1000};
  Tally fail{4, 2, 900, 1000};  // half the heads only
  EXPECT_TRUE(*ReorganizationPlanPasses({pass, pass}));
  EXPECT_FALSE(*ReorganizationPlanPasses({pass, fail}));
  EXPECT_FALSE(ReorganizationPlanPasses({}).ok());
}

TEST(Voting, RefusesInconsistentTallies) {
  EXPECT_FALSE(Passes(Resolution::kOrdinary, {2, 3, 0, 10}).ok());
  EXPECT_FALSE(Passes(Resolution::kOrdinary, {2, 1, 11, 10}).ok());
  EXPECT_FALSE(Passes(Resolution::kOrdinary, {2, 1, -1, 10}).ok());
}

// The smallest amount that reaches num/den of base: ceil(base × num ÷ den).
int64_t Reach(int64_t base, int num, int den) {
  return static_cast<int64_t>((static_cast<__int128>(base) * num + den - 1) / den);
}

// Property: over random meetings, the fewest yes heads that are more than half of those present
// and the least amount that reaches one half (ordinary) or two thirds (compromise, each class of a
// reorganization plan) pass; one head or one fen fewer fails. Bases reach INT64_MAX.
TEST(Voting, ThresholdsHoldExactlyOnBothSidesOverRandomMeetings) {
  std::mt19937_64 rng(59'64'84'97);
  for (int round = 0; round < 20'000; ++round) {
    uint32_t present = 1 + static_cast<uint32_t>(rng() % 2000);
    int64_t base = round % 10 == 0 ? INT64_MAX - static_cast<int64_t>(rng() % 1000)
                                   : 1 + static_cast<int64_t>(rng() % 1'000'000'000'000);
    uint32_t heads = present / 2 + 1;  // the fewest heads that are more than half
    for (auto [kind, num, den] : {std::tuple{Resolution::kOrdinary, 1, 2},
                                  {Resolution::kCompromise, 2, 3}}) {
      int64_t amount = Reach(base, num, den);
      EXPECT_TRUE(*Passes(kind, {present, heads, amount, base})) << present << " " << base;
      EXPECT_FALSE(*Passes(kind, {present, heads - 1, amount, base})) << present << " " << base;
      EXPECT_FALSE(*Passes(kind, {present, heads, amount - 1, base})) << present << " " << base;
      EXPECT_TRUE(*Passes(kind, {present, present, base, base}));
    }
    Tally at_two_thirds{present, heads, Reach(base, 2, 3), base};
    Tally one_fen_short{present, heads, Reach(base, 2, 3) - 1, base};
    Tally one_head_short{present, heads - 1, base, base};
    EXPECT_TRUE(*ReorganizationPlanPasses({at_two_thirds, at_two_thirds}));
    EXPECT_FALSE(*ReorganizationPlanPasses({at_two_thirds, one_fen_short}));
    EXPECT_FALSE(*ReorganizationPlanPasses({one_head_short, at_two_thirds}));
  }
}

}  // namespace
}  // namespace onechain::contracts
