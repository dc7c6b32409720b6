// The tax bureau as a Department of the adapter framework: on a claim-declaration notice to one of
// its creditor entries it acknowledges the notice and, if the case's debtor owes tax in the
// bureau's database, declares the claim with every tax item computed to the acceptance date; in
// prepare-only mode it writes the declaration for an officer to approve instead.
#pragma once

#include <map>
#include <string>

#include "framework/declaring.h"
#include "tax/tax_db.h"

namespace onechain::adapters::tax {

inline constexpr const char* kTaxArrearsRecordType = "tax-arrears";

struct TaxOptions {
  std::string state_dir;
  bool prepare_only = false;
  std::string service_address = "the bureau's registered address";
};

// The declaration for `entry` in `record` from the debtor's arrears. NOT_FOUND if the debtor is
// not a taxpayer or owes nothing; INVALID_ARGUMENT for arrears that cannot be declared.
Result<pb::DeclareClaim> PrepareDeclaration(TaxDatabase& db, const pb::Case& record,
                                            const pb::CaseCreditor& entry,
                                            const std::string& service_address);

// Where prepare-only mode leaves the declaration for a notice, and where approval moves it.
std::string PreparedPath(const std::string& state_dir, const std::string& notice_id);
std::string ApprovedPath(const std::string& state_dir, const std::string& notice_id);

class TaxDepartment : public DeclaringDepartment {
 public:
  TaxDepartment(TaxDatabase& db, TaxOptions options) : db_(db), options_(std::move(options)) {}
  Result<pb::DeclareClaim> Prepare(const pb::Case& record, const pb::CaseCreditor& entry) override;
  // Prepare-only mode writes the declaration for an officer instead of filing it.
  Status File(const pb::Notice& notice, pb::DeclareClaim declare,
              std::vector<pb::TxBody>& actions) override;
  // "case.accepted": reads the case and the debtor's arrears at once, so that an officer's log
  // shows what the bureau will declare before the administrator's notice comes, and the notice
  // finds the case cached.
  void OnEvent(const pb::Event& event, NodeClient& node) override;
  // A request for kTaxArrearsRecordType about a case's debtor: the debtor's arrears computed to
  // the case's acceptance date (a pb::Declaration in protobuf JSON: the taxpayer, its code and
  // the tax items; no items when it owes nothing or is not a taxpayer here), sealed under a fresh
  // data key with the grant id as associated data, the key wrapped for the administrator member
  // who asked, uploaded, and answered with AnswerRecords. Other record types are left to an
  // officer. In prepare-only mode nothing is answered.
  Status OnDataRequest(const pb::Grant& grant, NodeClient& node,
                       std::vector<pb::TxBody>& actions) override;

 private:
  TaxDatabase& db_;
  TaxOptions options_;
};

}  // namespace onechain::adapters::tax
