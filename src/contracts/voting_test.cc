// Proves the meeting thresholds exactly at and on both sides of one half and two thirds.
#include "contracts/voting.h"

#include <gtest/gtest.h>

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

}  // namespace
}  // namespace onechain::contracts
