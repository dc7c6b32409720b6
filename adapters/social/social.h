// The social insurance fund as a department of the adapter framework: on a claim-declaration
// notice it declares the debtor's unpaid contributions, ranked by DOMAIN.md (EBL 113):
//   - basic pension and basic medical insurance owed to employees' personal accounts: tier 1,
//     with the employees' claims (EBL 113 (1)) -> COMPONENT_KIND_PENSION;
//   - every other contribution (the employer's pooled share of any insurance, personal
//     unemployment, work injury, maternity): tier 2, "other social insurance" (EBL 113 (2))
//     -> COMPONENT_KIND_SOCIAL_INSURANCE;
//   - late fees of 0.05% a day (Social Insurance Law art. 86), counted from the day after the due
//     date through the acceptance date, like the tax bureau's: ordinary -> COMPONENT_KIND_OTHER.
// The administrator ranks each component by its kind in the review.
#pragma once

#include <string>
#include <vector>

#include "framework/declaring.h"
#include "framework/pg.h"

namespace onechain::adapters::social {

struct Contribution {
  std::string insurance;  // pension, medical, unemployment, work_injury, maternity
  std::string account;    // personal or pooled
  std::string period;
  int64_t amount = 0;    // fen
  std::string due_date;  // YYYY-MM-DD
};

// Whether the contribution is owed to employees' personal accounts for basic pension or medical
// insurance (EBL 113 (1)).
bool IsEmployeeTier(const Contribution& row);

// The declaration of `rows` (the debtor's unpaid contributions) for `entry` in `record`:
// NOT_FOUND if nothing is owed; INVALID_ARGUMENT for a bad date or a sum beyond int64 fen.
Result<pb::DeclareClaim> SocialDeclaration(const std::vector<Contribution>& rows,
                                           const pb::Case& record, const pb::CaseCreditor& entry);

class SocialDepartment : public DeclaringDepartment {
 public:
  explicit SocialDepartment(PgDatabase& db) : db_(db) {}
  Result<pb::DeclareClaim> Prepare(const pb::Case& record, const pb::CaseCreditor& entry) override;

 private:
  PgDatabase& db_;
};

}  // namespace onechain::adapters::social
