// The statutory distribution waterfall (EBL 43, 109, 113; SPC Minutes 2018 §28), in integer fen.
//  1. Each collateral's realized value pays the claims secured on it, in their listed priority,
//     up to each secured amount; a secured claim's unpaid rest joins the ordinary tier; what is
//     left of the collateral joins the general estate.
//  2. The general estate pays, in order and each in full before the next: bankruptcy expenses and
//     common-benefit debts; tier 1 (employees); tier 2 (social insurance and tax principal);
//     tier 3 (ordinary, including secured shortfalls); subordinated (penalties, fines).
//  3. A tier that cannot be paid in full is paid pro rata. Remainder rule: each claim first gets
//     floor(pot × claim ÷ tier total); the fen left over go one each to the claims with the
//     largest fractional remainders, ties broken by the claim id in ascending byte order. The
//     shares therefore add up exactly to the pot, and no claim is more than 1 fen from its exact
//     pro rata share.
// Pure; every sum is overflow-checked and an overflow is an INVALID_ARGUMENT error.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "util/status.h"

namespace onechain::contracts {

enum class Tier { kExpenses = 0, kEmployee, kTaxAndSocialInsurance, kOrdinary, kSubordinated };
inline constexpr int kTierCount = 5;

struct SecuredPart {
  std::string collateral_id;
  int64_t amount = 0;  // fen secured on that collateral
};

struct ClaimAmounts {
  std::string claim_id;
  SecuredPart secured;           // amount 0 when unsecured
  int64_t by_tier[kTierCount] = {};  // unsecured fen per tier
};

struct Collateral {
  std::string id;
  int64_t realized_value = 0;  // fen
};

struct DistributionInput {
  int64_t general_estate = 0;  // unsecured assets available, fen
  std::vector<Collateral> collaterals;
  std::vector<ClaimAmounts> claims;  // secured claims on one collateral in priority order
};

struct ClaimPayment {
  std::string claim_id;
  int64_t from_collateral = 0;
  int64_t by_tier[kTierCount] = {};
  int64_t total = 0;
};

struct DistributionPlan {
  std::vector<ClaimPayment> payments;    // same order as input claims
  int64_t tier_totals[kTierCount] = {};  // claimed per tier (after secured shortfalls)
  int64_t tier_paid[kTierCount] = {};
  int64_t collateral_surplus = 0;        // collateral value that flowed into the estate
  int64_t distributed = 0;               // everything paid
  int64_t undistributed = 0;             // estate left after every tier is paid in full
};

Result<DistributionPlan> ComputeDistribution(const DistributionInput& input);

// Splits `pot` (≤ sum of `weights`) pro rata by the rule above. `ids` break ties.
Result<std::vector<int64_t>> ProRata(int64_t pot, const std::vector<int64_t>& weights,
                                     const std::vector<std::string>& ids);

}  // namespace onechain::contracts
