// The usual department: on a claim-declaration notice to one of its creditor entries it
// acknowledges the notice and, unless the entry already holds a live claim, declares what its own
// records show about the case's debtor. A department of this shape writes only Prepare.
#pragma once

#include <map>
#include <string>

#include "framework/adapter.h"

namespace onechain::adapters {

class DeclaringDepartment : public Department {
 public:
  // The declaration for `entry` in `record` from the department's records. NOT_FOUND: nothing
  // to declare (acknowledged only); IO or UNAVAILABLE: the records cannot be read now (the
  // notice is handled again next round); any other error: the records cannot be declared as
  // they stand (acknowledged, logged for an officer).
  virtual Result<pb::DeclareClaim> Prepare(const pb::Case& record,
                                           const pb::CaseCreditor& entry) = 0;

  // What becomes of a prepared declaration: by default it is filed (a DeclareClaim action).
  virtual Status File(const pb::Notice& notice, pb::DeclareClaim declare,
                      std::vector<pb::TxBody>& actions);

  Status OnNotice(const pb::Notice& notice, const ChainView& view, NodeClient& node,
                  std::vector<pb::TxBody>& actions) override;

 protected:
  bool HasCase(const std::string& case_id) const { return cases_.contains(case_id); }
  // The case, read once per case (its records read here never change).
  Result<const pb::Case*> CaseOf(const std::string& case_id, NodeClient& node);

 private:
  std::map<std::string, pb::Case> cases_;
};

}  // namespace onechain::adapters
