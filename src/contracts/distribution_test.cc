// Proves the distribution waterfall: secured claims from their collateral, tiers in statutory
// order, exact pro rata within a tier (shares add up to the fen, each within 1 fen of its exact
// share), and overflow refused — by worked examples and by property tests over random cases.
#include "contracts/distribution.h"

#include <gtest/gtest.h>

#include <random>

namespace onechain::contracts {
namespace {

constexpr int kOrdinary = static_cast<int>(Tier::kOrdinary);
constexpr int kEmployee = static_cast<int>(Tier::kEmployee);
constexpr int kTax = static_cast<int>(Tier::kTaxAndSocialInsurance);
constexpr int kExpenses = static_cast<int>(Tier::kExpenses);

ClaimAmounts Claim(const std::string& id, int tier, int64_t amount) {
  ClaimAmounts claim;
  claim.claim_id = id;
  claim.by_tier[tier] = amount;
  return claim;
}

TEST(ProRata, ThreeWaySplitOfOneYuanUsesLargestRemainders) {
  auto shares = ProRata(100, {500, 500, 500}, {"b", "a", "c"});
  ASSERT_TRUE(shares.ok());
  // 33.33 each; the one leftover fen goes to the smallest id on a tie.
  EXPECT_EQ(*shares, (std::vector<int64_t>{33, 34, 33}));
}

TEST(ProRata, RefusesPotAboveTotalAndNegativeWeights) {
  EXPECT_FALSE(ProRata(11, {5, 5}, {"a", "b"}).ok());
  EXPECT_FALSE(ProRata(1, {-1, 5}, {"a", "b"}).ok());
}

TEST(Distribution, WorkedExampleFollowsTheStatutoryOrder) {
  DistributionInput input;
  input.general_estate = 1'000'000;  // 10,000 yuan
  input.collaterals = {{"plant", 500'000}};
  ClaimAmounts bank;
  bank.claim_id = "bank";
  bank.secured = {"plant", 800'000};  // 3,000 yuan shortfall becomes ordinary
  input.claims = {bank,
                  Claim("admin-fees", kExpenses, 100'000),
                  Claim("workers", kEmployee, 300'000),
                  Claim("tax", kTax, 200'000),
                  Claim("supplier", kOrdinary, 700'000)};
  auto plan = ComputeDistribution(input);
  ASSERT_TRUE(plan.ok()) << plan.status().message();
  EXPECT_EQ(plan->payments[0].from_collateral, 500'000);
  EXPECT_EQ(plan->payments[1].total, 100'000);
  EXPECT_EQ(plan->payments[2].total, 300'000);
  EXPECT_EQ(plan->payments[3].total, 200'000);
  // 400,000 left for ordinary claims of 300,000 (bank) + 700,000 (supplier): 40 %.
  EXPECT_EQ(plan->tier_totals[kOrdinary], 1'000'000);
  EXPECT_EQ(plan->payments[0].by_tier[kOrdinary], 120'000);
  EXPECT_EQ(plan->payments[4].by_tier[kOrdinary], 280'000);
  EXPECT_EQ(plan->distributed, 1'500'000);
  EXPECT_EQ(plan->undistributed, 0);
}

TEST(Distribution, CollateralSurplusJoinsTheEstate) {
  DistributionInput input;
  input.collaterals = {{"car", 50'000}};
  ClaimAmounts lender;
  lender.claim_id = "lender";
  lender.secured = {"car", 30'000};
  input.claims = {lender, Claim("supplier", kOrdinary, 100'000)};
  auto plan = ComputeDistribution(input);
  ASSERT_TRUE(plan.ok());
  EXPECT_EQ(plan->collateral_surplus, 20'000);
  EXPECT_EQ(plan->payments[1].total, 20'000);
}

TEST(Distribution, RefusesOverflowAndBadInput) {
  DistributionInput input;
  input.general_estate = 1;
  input.claims = {Claim("a", kOrdinary, INT64_MAX), Claim("b", kOrdinary, 1)};
  auto plan = ComputeDistribution(input);
  ASSERT_FALSE(plan.ok());
  EXPECT_EQ(plan.status().code(), pb::Status::INVALID_ARGUMENT);
  input.claims = {Claim("a", kOrdinary, -5)};
  EXPECT_FALSE(ComputeDistribution(input).ok());
  ClaimAmounts orphan;
  orphan.claim_id = "orphan";
  orphan.secured = {"nowhere", 10};
  input.claims = {orphan};
  EXPECT_FALSE(ComputeDistribution(input).ok());
}

TEST(Distribution, PropertiesHoldOnRandomCases) {
  std::mt19937_64 rng(20261128);
  for (int round = 0; round < 2000; ++round) {
    DistributionInput input;
    input.general_estate = static_cast<int64_t>(rng() % 50'000'000);
    int collaterals = static_cast<int>(rng() % 3);
    for (int c = 0; c < collaterals; ++c) {
      input.collaterals.push_back({"c" + std::to_string(c), static_cast<int64_t>(rng() % 5'000'000)});
    }
    int claims = 1 + static_cast<int>(rng() % 40);
    for (int i = 0; i < claims; ++i) {
      ClaimAmounts claim;
      claim.claim_id = "claim-" + std::to_string(rng() % 1000) + "-" + std::to_string(i);
      for (int64_t& amount : claim.by_tier) {
        amount = rng() % 3 == 0 ? static_cast<int64_t>(rng() % 3'000'000) : 0;
      }
      if (collaterals > 0 && rng() % 4 == 0) {
        claim.secured = {"c" + std::to_string(rng() % collaterals),
                         static_cast<int64_t>(rng() % 4'000'000)};
      }
      input.claims.push_back(claim);
    }
    auto plan = ComputeDistribution(input);
    ASSERT_TRUE(plan.ok()) << plan.status().message();
    int64_t estate = input.general_estate + plan->collateral_surplus;
    int64_t paid_from_estate = 0;
    bool lower_tier_may_be_paid = true;
    for (int t = 0; t < kTierCount; ++t) {
      int64_t tier_sum = 0;
      for (const ClaimPayment& p : plan->payments) tier_sum += p.by_tier[t];
      EXPECT_EQ(tier_sum, plan->tier_paid[t]);  // shares add up exactly
      if (!lower_tier_may_be_paid) {
        EXPECT_EQ(plan->tier_paid[t], 0) << "tier " << t;
      }
      if (plan->tier_paid[t] < plan->tier_totals[t]) lower_tier_may_be_paid = false;
      paid_from_estate += plan->tier_paid[t];
      // Pro rata within 1 fen of the exact share.
      for (size_t i = 0; i < plan->payments.size(); ++i) {
        if (plan->tier_totals[t] == 0) continue;
        int64_t claimed = input.claims[i].by_tier[t];
        if (t == kOrdinary) {
          claimed += input.claims[i].secured.amount - plan->payments[i].from_collateral;
        }
        long double exact = static_cast<long double>(plan->tier_paid[t]) * claimed /
                            static_cast<long double>(plan->tier_totals[t]);
        EXPECT_LE(std::abs(static_cast<long double>(plan->payments[i].by_tier[t]) - exact), 1.0L);
        EXPECT_LE(plan->payments[i].by_tier[t], claimed);
      }
    }
    EXPECT_EQ(paid_from_estate + plan->undistributed, estate);
    if (plan->undistributed > 0) {
      EXPECT_TRUE(lower_tier_may_be_paid) << "estate left while a tier was short";
    }
  }
}

}  // namespace
}  // namespace onechain::contracts
