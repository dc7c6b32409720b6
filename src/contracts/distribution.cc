#include "contracts/distribution.h"

#include <algorithm>
#include <map>
#include <numeric>

namespace onechain::contracts {

namespace {

Status Overflow(const std::string& what) {
  return Status(pb::Status::INVALID_ARGUMENT, what + " overflows a 64-bit amount of fen");
}

bool AddChecked(int64_t& sum, int64_t value) { return !__builtin_add_overflow(sum, value, &sum); }

Status CheckNonNegative(int64_t value, const std::string& what) {
  if (value < 0) return Status(pb::Status::INVALID_ARGUMENT, what + " is negative");
  return Status::Ok();
}

}  // namespace

Result<std::vector<int64_t>> ProRata(int64_t pot, const std::vector<int64_t>& weights,
                                     const std::vector<std::string>& ids) {
  if (weights.size() != ids.size()) {
    return Status(pb::Status::INVALID_ARGUMENT, "weights and ids differ in count");
  }
  int64_t total = 0;
  for (int64_t w : weights) {
    if (w < 0) return Status(pb::Status::INVALID_ARGUMENT, "a pro rata weight is negative");
    if (!AddChecked(total, w)) return Overflow("the tier total");
  }
  if (pot < 0 || pot > total) {
    return Status(pb::Status::INVALID_ARGUMENT, "the pot must lie between 0 and the tier total");
  }
  std::vector<int64_t> shares(weights.size(), 0);
  if (pot == total) return weights;
  std::vector<std::pair<__int128, size_t>> remainders;  // (fractional part × total, index)
  int64_t given = 0;
  for (size_t i = 0; i < weights.size(); ++i) {
    __int128 product = static_cast<__int128>(pot) * weights[i];
    shares[i] = static_cast<int64_t>(product / total);
    given += shares[i];
    remainders.emplace_back(product % total, i);
  }
  std::sort(remainders.begin(), remainders.end(), [&ids](const auto& a, const auto& b) {
    if (a.first != b.first) return a.first > b.first;
    return ids[a.second] < ids[b.second];
  });
  int64_t left = pot - given;  // < number of claims, since each lost < 1 fen
  for (size_t k = 0; left > 0; ++k, --left) shares[remainders[k].second] += 1;
  return shares;
}

Result<DistributionPlan> ComputeDistribution(const DistributionInput& input) {
  DistributionPlan plan;
  if (Status st = CheckNonNegative(input.general_estate, "the general estate"); !st.ok()) return st;
  std::map<std::string, int64_t> collateral_left;
  for (const Collateral& c : input.collaterals) {
    if (Status st = CheckNonNegative(c.realized_value, "collateral " + c.id); !st.ok()) return st;
    if (!collateral_left.emplace(c.id, c.realized_value).second) {
      return Status(pb::Status::INVALID_ARGUMENT, "collateral " + c.id + " is listed twice");
    }
  }
  // Step 1: secured claims from their collateral; the shortfall becomes ordinary.
  std::vector<int64_t> tier_claims[kTierCount];
  std::vector<std::string> ids;
  for (const ClaimAmounts& claim : input.claims) {
    ClaimPayment payment;
    payment.claim_id = claim.claim_id;
    ids.push_back(claim.claim_id);
    int64_t ordinary_extra = 0;
    if (claim.secured.amount != 0) {
      if (Status st = CheckNonNegative(claim.secured.amount, "secured amount of " + claim.claim_id);
          !st.ok()) {
        return st;
      }
      auto it = collateral_left.find(claim.secured.collateral_id);
      if (it == collateral_left.end()) {
        return Status(pb::Status::INVALID_ARGUMENT, "claim " + claim.claim_id +
                                                        " is secured on unknown collateral " +
                                                        claim.secured.collateral_id);
      }
      payment.from_collateral = std::min(it->second, claim.secured.amount);
      it->second -= payment.from_collateral;
      ordinary_extra = claim.secured.amount - payment.from_collateral;
    }
    for (int t = 0; t < kTierCount; ++t) {
      int64_t amount = claim.by_tier[t];
      if (Status st = CheckNonNegative(amount, "an amount of " + claim.claim_id); !st.ok()) {
        return st;
      }
      if (t == static_cast<int>(Tier::kOrdinary) && !AddChecked(amount, ordinary_extra)) {
        return Overflow("the ordinary amount of " + claim.claim_id);
      }
      tier_claims[t].push_back(amount);
      if (!AddChecked(plan.tier_totals[t], amount)) return Overflow("a tier total");
    }
    plan.payments.push_back(payment);
  }
  // Step 2: the estate, tier by tier.
  int64_t estate = input.general_estate;
  for (const auto& [id, left] : collateral_left) {
    if (!AddChecked(plan.collateral_surplus, left)) return Overflow("the collateral surplus");
  }
  if (!AddChecked(estate, plan.collateral_surplus)) return Overflow("the estate");
  for (int t = 0; t < kTierCount; ++t) {
    int64_t pot = std::min(estate, plan.tier_totals[t]);
    Result<std::vector<int64_t>> shares = ProRata(pot, tier_claims[t], ids);
    if (!shares.ok()) return shares.status();
    for (size_t i = 0; i < shares->size(); ++i) plan.payments[i].by_tier[t] = (*shares)[i];
    plan.tier_paid[t] = pot;
    estate -= pot;
  }
  plan.undistributed = estate;
  for (ClaimPayment& payment : plan.payments) {
    payment.total = payment.from_collateral;
    for (int64_t paid : payment.by_tier) payment.total += paid;  // bounded by the checked sums
    plan.distributed += payment.total;
  }
  return plan;
}

}  // namespace onechain::contracts
