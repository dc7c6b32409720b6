// Creditors' meeting thresholds (EBL 59, 61, 64, 84, 97). Pure arithmetic over who voted and
// with what amounts; who may vote (confirmed claims, court-set temporary amounts, secured
// creditors who did not waive priority) is decided before ballots reach here.
//   ordinary resolution (EBL 64):  yes voters > 1/2 of voters present, and
//                                  yes amounts ≥ 1/2 of all unsecured claims
//   compromise agreement (EBL 97): yes voters > 1/2 present, yes amounts ≥ 2/3 of unsecured
//   reorganization plan (EBL 84):  per class, yes voters > 1/2 of the class present and yes
//                                  amounts ≥ 2/3 of the class's claims; passes if every class does
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "util/status.h"

namespace onechain::contracts {

enum class Resolution { kOrdinary, kCompromise };

struct Tally {
  uint32_t present = 0;    // voting creditors present (in person or remotely)
  uint32_t yes = 0;        // of them, voting yes
  int64_t yes_amount = 0;  // fen held by the yes voters
  int64_t base_amount = 0; // fen of the base: all unsecured claims, or the class's claims
};

// True when the motion passes. INVALID_ARGUMENT when the tally is inconsistent.
Result<bool> Passes(Resolution kind, const Tally& tally);
// A reorganization plan: every class must pass with > 1/2 of those present and ≥ 2/3 of amounts.
Result<bool> ReorganizationPlanPasses(const std::vector<Tally>& classes);

}  // namespace onechain::contracts
