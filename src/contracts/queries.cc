#include "contracts/queries.h"

#include <set>

#include "contracts/checks.h"
#include "contracts/index.h"
#include "contracts/workflow_internal.h"

namespace onechain::contracts {

namespace {

constexpr int kRankingCount = pb::Ranking_ARRAYSIZE;

Status CheckPage(const Page& page) {
  if (page.limit == 0 || page.limit > kPageSizeMax) {
    return Invalid("page_size", "must be 1 to " + std::to_string(kPageSizeMax));
  }
  return Status::Ok();
}

uint64_t NextOffset(const Page& page, size_t returned, uint64_t size) {
  uint64_t next = page.offset + returned;
  return next < size ? next : 0;
}

pb::ClaimFormRow FormRow(const StateReader& state, const pb::Claim& claim) {
  pb::ClaimFormRow row;
  row.set_claim_id(claim.id());
  row.set_creditor_id(claim.creditor_id());
  std::optional<pb::CaseCreditor> creditor = LoadCreditor(state, claim.creditor_id());
  assert(creditor.has_value());
  row.set_creditor_name(creditor->name());
  row.set_creditor_kind(creditor->kind());
  row.set_status(claim.status());
  row.set_origin(claim.origin());
  row.set_late(claim.late());
  row.set_declared_total(claim.declared_total());
  row.set_outcome(claim.review().outcome());
  row.set_confirmed_total(claim.review().confirmed_total());
  row.mutable_confirmed_by_ranking()->Resize(kRankingCount, 0);
  for (const pb::ComponentResult& component : claim.review().components()) {
    // ≤ the overflow-checked declared total.
    row.set_confirmed_by_ranking(component.ranking(),
                                 row.confirmed_by_ranking(component.ranking()) +
                                     component.confirmed());
  }
  row.set_collateral_id(claim.review().collateral_id());
  row.set_temporary_voting_amount(claim.temporary_voting_amount());
  row.set_objections(static_cast<uint32_t>(claim.objections_size()));
  return row;
}

}  // namespace

Result<pb::ClaimForm> GetClaimForm(const StateReader& state, std::string_view case_id, Page page) {
  if (Status st = CheckPage(page); !st.ok()) return st;
  if (!LoadCase(state, case_id)) {
    return Status(pb::Status::NOT_FOUND, "case " + std::string(case_id) + " does not exist");
  }
  pb::ClaimForm form;
  form.set_case_id(std::string(case_id));
  form.mutable_confirmed_by_ranking()->Resize(kRankingCount, 0);
  std::vector<std::string> ids = ListRead(state, CaseClaimsList(case_id), 0, kListReadMax);
  form.set_claim_count(ids.size());
  int64_t declared = 0;
  int64_t confirmed = 0;
  for (size_t i = 0; i < ids.size(); ++i) {
    std::optional<pb::Claim> claim = LoadClaim(state, ids[i]);
    assert(claim.has_value());
    pb::ClaimFormRow row = FormRow(state, *claim);
    if (claim->status() != pb::CLAIM_STATUS_WITHDRAWN) {
      if (!AddChecked(declared, row.declared_total()) ||
          !AddChecked(confirmed, row.confirmed_total())) {
        return Overflow("the claim form's total");
      }
      for (int r = 0; r < kRankingCount; ++r) {
        int64_t sum = form.confirmed_by_ranking(r);
        if (!AddChecked(sum, row.confirmed_by_ranking(r))) return Overflow("a ranking total");
        form.set_confirmed_by_ranking(r, sum);
      }
    }
    if (i >= page.offset && form.rows_size() < static_cast<int>(page.limit)) {
      *form.add_rows() = std::move(row);
    }
  }
  form.set_declared_total(declared);
  form.set_confirmed_total(confirmed);
  form.set_next_offset(NextOffset(page, form.rows_size(), ids.size()));
  return form;
}

Result<pb::ClaimHistory> GetClaimHistory(const StateReader& state, std::string_view claim_id) {
  if (!LoadClaim(state, claim_id)) {
    return Status(pb::Status::NOT_FOUND, "claim " + std::string(claim_id) + " does not exist");
  }
  pb::ClaimHistory history;
  history.set_claim_id(std::string(claim_id));
  for (const std::string& bytes : ListRead(state, ClaimHistoryList(claim_id), 0, kListReadMax)) {
    bool parsed = history.add_events()->ParseFromString(bytes);
    assert(parsed);
    (void)parsed;
  }
  return history;
}

Result<pb::CreditorInbox> GetCreditorInbox(const StateReader& state, std::string_view account_id) {
  std::optional<pb::Account> account =
      workflow::LoadRecord<pb::Account>(state, AccountKey(account_id));
  if (!account) {
    return Status(pb::Status::NOT_FOUND, "account " + std::string(account_id) + " does not exist");
  }
  std::vector<std::string> entries =
      ListRead(state, AccountCreditorsList(account_id), 0, kInboxItemsMax);
  if (HasRole(*account, pb::ROLE_DEPARTMENT_OFFICER)) {
    for (std::string& id : ListRead(state, OrgCreditorsList(account->org_id()), 0, kInboxItemsMax)) {
      entries.push_back(std::move(id));
    }
  }
  pb::CreditorInbox inbox;
  inbox.set_account_id(std::string(account_id));
  std::set<std::string> claims_seen;
  for (const std::string& creditor_id : entries) {
    std::optional<pb::CaseCreditor> creditor = LoadCreditor(state, creditor_id);
    assert(creditor.has_value());
    *inbox.add_creditors() = *creditor;
    for (const std::string& id : ListRead(state, CreditorNoticesList(creditor_id), 0, kInboxItemsMax)) {
      if (inbox.notices_size() >= static_cast<int>(kInboxItemsMax)) break;
      *inbox.add_notices() = *LoadNotice(state, id);
    }
    for (const std::string& id : ListRead(state, CreditorClaimsList(creditor_id), 0, kInboxItemsMax)) {
      std::optional<pb::Claim> claim = LoadClaim(state, id);
      // A claim transferred away stays in the old holder's list; show it to its holder only.
      if (claim->creditor_id() != creditor_id || !claims_seen.insert(id).second) continue;
      if (inbox.claims_size() >= static_cast<int>(kInboxItemsMax)) break;
      *inbox.add_claims() = std::move(*claim);
    }
  }
  return inbox;
}

Result<pb::MeetingResults> GetMeetingResults(const StateReader& state,
                                             std::string_view meeting_id) {
  std::optional<pb::Meeting> meeting = LoadMeeting(state, meeting_id);
  if (!meeting) {
    return Status(pb::Status::NOT_FOUND, "meeting " + std::string(meeting_id) + " does not exist");
  }
  pb::MeetingResults results;
  for (const pb::Motion& motion : meeting->motions()) {
    results.add_ballots_cast(static_cast<uint32_t>(ListSize(state, MotionBallotsList(motion.id()))));
  }
  *results.mutable_meeting() = std::move(*meeting);
  return results;
}

Result<pb::CaseCreditorList> ListCaseCreditors(const StateReader& state, std::string_view case_id,
                                               Page page) {
  if (Status st = CheckPage(page); !st.ok()) return st;
  if (!LoadCase(state, case_id)) {
    return Status(pb::Status::NOT_FOUND, "case " + std::string(case_id) + " does not exist");
  }
  pb::CaseCreditorList list;
  std::string name = CaseCreditorsList(case_id);
  std::vector<std::string> ids = ListRead(state, name, page.offset, page.limit);
  for (const std::string& id : ids) *list.add_creditors() = *LoadCreditor(state, id);
  list.set_next_offset(NextOffset(page, ids.size(), ListSize(state, name)));
  return list;
}

Result<pb::PlanView> GetPlan(const StateReader& state, std::string_view plan_id) {
  std::optional<pb::Plan> plan = LoadPlan(state, plan_id);
  if (!plan) return Status(pb::Status::NOT_FOUND, "plan " + std::string(plan_id) + " does not exist");
  pb::PlanView view;
  for (const std::string& payee : ListRead(state, PlanPayeesList(plan_id), 0, kListReadMax)) {
    *plan->mutable_distribution()->add_payments() =
        *workflow::LoadRecord<pb::PlannedPayment>(state, PlannedPaymentKey(plan_id, payee));
  }
  for (const std::string& bytes : ListRead(state, PlanPaymentsList(plan_id), 0, kListReadMax)) {
    bool parsed = view.add_payments()->ParseFromString(bytes);
    assert(parsed);
    (void)parsed;
  }
  *view.mutable_plan() = std::move(*plan);
  return view;
}

Result<pb::DistributionDetail> PreviewDistribution(const StateReader& state,
                                                   const pb::ProposeDistribution& input) {
  pb::TxBody body;
  *body.mutable_propose_distribution() = input;
  if (Status st = PrecheckWorkflowAction(body); !st.ok()) return st;
  if (!LoadCase(state, input.case_id())) {
    return Status(pb::Status::NOT_FOUND, "case " + input.case_id() + " does not exist");
  }
  return ComputeCaseDistribution(state, input);
}

template <typename List, typename Add>
Result<List> ListCaseRecords(const StateReader& state, std::string_view case_id, Page page,
                             const std::string& list_name, const Add& add) {
  if (Status st = CheckPage(page); !st.ok()) return st;
  if (!LoadCase(state, case_id)) {
    return Status(pb::Status::NOT_FOUND, "case " + std::string(case_id) + " does not exist");
  }
  List list;
  std::vector<std::string> ids = ListRead(state, list_name, page.offset, page.limit);
  for (const std::string& id : ids) add(list, id);
  list.set_next_offset(NextOffset(page, ids.size(), ListSize(state, list_name)));
  return list;
}

Result<pb::MeetingList> ListCaseMeetings(const StateReader& state, std::string_view case_id,
                                         Page page) {
  return ListCaseRecords<pb::MeetingList>(
      state, case_id, page, CaseMeetingsList(case_id),
      [&](pb::MeetingList& list, const std::string& id) {
        Result<pb::MeetingResults> results = GetMeetingResults(state, id);
        assert(results.ok());  // listed ids are stored records
        *list.add_meetings() = std::move(*results);
      });
}

Result<pb::PlanList> ListCasePlans(const StateReader& state, std::string_view case_id, Page page) {
  return ListCaseRecords<pb::PlanList>(state, case_id, page, CasePlansList(case_id),
                                       [&](pb::PlanList& list, const std::string& id) {
                                         std::optional<pb::Plan> plan = LoadPlan(state, id);
                                         assert(plan.has_value());
                                         *list.add_plans() = std::move(*plan);
                                       });
}

Result<pb::RecruitmentList> ListCaseRecruitments(const StateReader& state,
                                                 std::string_view case_id, Page page) {
  return ListCaseRecords<pb::RecruitmentList>(
      state, case_id, page, CaseRecruitmentsList(case_id),
      [&](pb::RecruitmentList& list, const std::string& id) {
        std::optional<pb::RecruitmentNotice> notice =
            workflow::LoadRecord<pb::RecruitmentNotice>(state, RecruitmentKey(id));
        assert(notice.has_value());
        *list.add_notices() = std::move(*notice);
      });
}

bool ActsForCreditor(const pb::Account& account, const pb::CaseCreditor& creditor) {
  return workflow::ActsFor(account, creditor);
}

bool IsCreditorOfCase(const StateReader& state, const pb::Account& account,
                      std::string_view case_id) {
  std::vector<std::string> entries =
      ListRead(state, AccountCreditorsList(account.id()), 0, kInboxItemsMax);
  if (HasRole(account, pb::ROLE_DEPARTMENT_OFFICER) && !account.org_id().empty()) {
    for (std::string& id : ListRead(state, OrgCreditorsList(account.org_id()), 0, kInboxItemsMax)) {
      entries.push_back(std::move(id));
    }
  }
  for (const std::string& id : entries) {
    std::optional<pb::CaseCreditor> creditor = LoadCreditor(state, id);
    assert(creditor.has_value());
    if (creditor->case_id() == case_id && ActsForCreditor(account, *creditor)) return true;
  }
  return false;
}

}  // namespace onechain::contracts
