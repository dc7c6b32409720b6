// Read-only queries over contract state for the API layer: pure functions of a StateReader. They
// return every matching record; deciding who may read what (DOMAIN.md privacy classes) is the
// caller's job.
#pragma once

#include <cstdint>
#include <string_view>

#include "contracts/workflow.h"
#include "queries.pb.h"

namespace onechain::contracts {

inline constexpr uint32_t kPageSizeMax = 1000;
inline constexpr uint32_t kInboxItemsMax = 10'000;

struct Page {
  uint64_t offset = 0;
  uint32_t limit = 100;  // 1 to kPageSizeMax
};

// The claim form of a case: a page of rows and the totals over every claim in force.
Result<pb::ClaimForm> GetClaimForm(const StateReader& state, std::string_view case_id, Page page);
// Every act on a claim with its height and block time, and the claim after each.
Result<pb::ClaimHistory> GetClaimHistory(const StateReader& state, std::string_view claim_id);
// An account's creditor entries (bound to it, or of its department if it is a department
// officer), their notices and the claims they hold now; at most kInboxItemsMax of each.
Result<pb::CreditorInbox> GetCreditorInbox(const StateReader& state, std::string_view account_id);
Result<pb::MeetingResults> GetMeetingResults(const StateReader& state,
                                             std::string_view meeting_id);
Result<pb::CaseCreditorList> ListCaseCreditors(const StateReader& state, std::string_view case_id,
                                               Page page);
// A plan; for a distribution plan its payments (each payee's share and what was paid) and the
// payment records.
Result<pb::PlanView> GetPlan(const StateReader& state, std::string_view plan_id);
// What a distribution plan with these inputs would pay now, without proposing it. The inputs are
// checked as ProposeDistribution's are.
Result<pb::DistributionDetail> PreviewDistribution(const StateReader& state,
                                                   const pb::ProposeDistribution& input);

// Pages of a case's meetings (with their results), plans (distribution plans without their
// payments: GetPlan has them) and recruitment notices, in creation order.
Result<pb::MeetingList> ListCaseMeetings(const StateReader& state, std::string_view case_id,
                                         Page page);
Result<pb::PlanList> ListCasePlans(const StateReader& state, std::string_view case_id, Page page);
Result<pb::RecruitmentList> ListCaseRecruitments(const StateReader& state,
                                                 std::string_view case_id, Page page);

// Whether `account` acts for the creditor entry: its bound account, or a department officer of
// its organization (the rule the workflow actions apply).
bool ActsForCreditor(const pb::Account& account, const pb::CaseCreditor& creditor);
// Whether `account` acts for some creditor entry of the case. Reads the account's bound entries
// and, for a department officer, its organization's entries: at most kInboxItemsMax of each.
bool IsCreditorOfCase(const StateReader& state, const pb::Account& account,
                      std::string_view case_id);

}  // namespace onechain::contracts
