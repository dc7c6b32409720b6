#include "contracts/voting.h"

namespace onechain::contracts {

namespace {

Status CheckTally(const Tally& t) {
  if (t.yes > t.present || t.yes_amount < 0 || t.base_amount < 0 ||
      t.yes_amount > t.base_amount) {
    return Status(pb::Status::INVALID_ARGUMENT,
                  "a tally needs yes ≤ present and 0 ≤ yes amount ≤ base amount");
  }
  return Status::Ok();
}

// yes/present > 1/2 and yes_amount/base ≥ num/den, in exact integer arithmetic.
bool Meets(const Tally& t, int64_t num, int64_t den) {
  bool majority_of_heads = 2ull * t.yes > t.present;
  bool amount_share = static_cast<__int128>(t.yes_amount) * den >=
                      static_cast<__int128>(t.base_amount) * num;
  return majority_of_heads && amount_share;
}

}  // namespace

Result<bool> Passes(Resolution kind, const Tally& tally) {
  if (Status st = CheckTally(tally); !st.ok()) return st;
  return kind == Resolution::kOrdinary ? Meets(tally, 1, 2) : Meets(tally, 2, 3);
}

Result<bool> ReorganizationPlanPasses(const std::vector<Tally>& classes) {
  if (classes.empty()) return Status(pb::Status::INVALID_ARGUMENT, "a plan needs a voting class");
  bool all = true;
  for (const Tally& tally : classes) {
    if (Status st = CheckTally(tally); !st.ok()) return st;
    all = all && Meets(tally, 2, 3);
  }
  return all;
}

}  // namespace onechain::contracts
