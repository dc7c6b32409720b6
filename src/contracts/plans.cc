// Plans and distribution (EBL 86, 98, 109, 113, 115; EBL 56 for late claims): reorganization and
// compromise plans by reference, distribution plans the chain computes, the court's approval, and
// payment records.
//
// A distribution plan is computed from the court-confirmed claims (EBL 58) when it is proposed:
//  - each claim weighs what is still outstanding: its confirmed amount per tier less what earlier
//    approved plans allocated to it, so a late claim (EBL 56) joins from the next plan on and takes
//    nothing from distributions already made;
//  - a secured part is paid from its collateral in the plan that lists the collateral's realized
//    value (secured claims on one collateral in the order they were declared); the unpaid rest
//    becomes ordinary from then on; a secured part whose collateral is not listed waits;
//  - expenses and common-benefit debts are paid first from the general estate;
//  - the waterfall and the remainder rule are distribution.h's.
// The plan stores the claims' versions; the court approves it only if none changed since.
#include <set>

#include "contracts/workflow_internal.h"

namespace onechain::contracts {

namespace {

constexpr std::string_view kExpensePrefix = "expense:";
constexpr int kOrdinaryTier = static_cast<int>(Tier::kOrdinary);

int64_t AllocatedAt(const pb::Claim& claim, int tier) {
  return tier < claim.allocated_by_tier_size() ? claim.allocated_by_tier(tier) : 0;
}

// What the claim still weighs in this plan; `collaterals` are the ones the plan realizes.
ClaimAmounts OutstandingOf(const pb::Claim& claim, const std::set<std::string>& collaterals) {
  ConfirmedAmounts confirmed = ConfirmedAmountsOf(claim);
  ClaimAmounts amounts;
  amounts.claim_id = claim.id();
  if (!claim.secured_settled() && confirmed.secured > 0 &&
      collaterals.count(claim.review().collateral_id()) > 0) {
    amounts.secured = {claim.review().collateral_id(), confirmed.secured};
  }
  for (int t = 0; t < kTierCount; ++t) {
    int64_t owed = confirmed.by_tier[t] + (t == kOrdinaryTier ? claim.secured_shortfall() : 0);
    amounts.by_tier[t] = owed - AllocatedAt(claim, t);
    assert(amounts.by_tier[t] >= 0);  // allocations never exceed what was owed
  }
  return amounts;
}

bool IsEmpty(const ClaimAmounts& amounts) {
  if (amounts.secured.amount != 0) return false;
  for (int64_t amount : amounts.by_tier) {
    if (amount != 0) return false;
  }
  return true;
}

}  // namespace

Result<pb::DistributionDetail> ComputeCaseDistribution(const StateReader& state,
                                                       const pb::ProposeDistribution& input) {
  DistributionInput estate;
  estate.general_estate = input.general_estate();
  std::set<std::string> collaterals;
  for (const pb::CollateralValue& c : input.collaterals()) {
    estate.collaterals.push_back({c.collateral_id(), c.realized_value()});
    collaterals.insert(c.collateral_id());
  }
  std::vector<pb::PlannedPayment> planned;
  for (const std::string& id : ListRead(state, CaseClaimsList(input.case_id()), 0, kListReadMax)) {
    std::optional<pb::Claim> claim = LoadClaim(state, id);
    assert(claim.has_value());
    if (claim->status() != pb::CLAIM_STATUS_CONFIRMED) continue;
    ClaimAmounts amounts = OutstandingOf(*claim, collaterals);
    if (IsEmpty(amounts)) continue;
    estate.claims.push_back(amounts);
    pb::PlannedPayment payment;
    payment.set_payee_id(claim->id());
    payment.set_creditor_id(claim->creditor_id());
    payment.set_late(claim->late());
    payment.set_claim_version(claim->version());
    planned.push_back(std::move(payment));
  }
  for (const pb::ExpenseItem& expense : input.expenses()) {
    ClaimAmounts amounts;
    amounts.claim_id = std::string(kExpensePrefix) + expense.id();
    amounts.by_tier[static_cast<int>(Tier::kExpenses)] = expense.amount();
    estate.claims.push_back(amounts);
    pb::PlannedPayment payment;
    payment.set_payee_id(amounts.claim_id);
    planned.push_back(std::move(payment));
  }
  Result<DistributionPlan> plan = ComputeDistribution(estate);
  if (!plan.ok()) return plan.status();
  pb::DistributionDetail detail;
  detail.set_final(input.final());
  detail.set_general_estate(input.general_estate());
  *detail.mutable_collaterals() = input.collaterals();
  *detail.mutable_expenses() = input.expenses();
  for (size_t i = 0; i < planned.size(); ++i) {
    const ClaimPayment& paid = plan->payments[i];
    planned[i].set_from_collateral(paid.from_collateral);
    for (int64_t amount : paid.by_tier) planned[i].add_by_tier(amount);
    planned[i].set_total(paid.total);
    *detail.add_payments() = std::move(planned[i]);
  }
  for (int t = 0; t < kTierCount; ++t) {
    detail.add_tier_totals(plan->tier_totals[t]);
    detail.add_tier_paid(plan->tier_paid[t]);
  }
  detail.set_collateral_surplus(plan->collateral_surplus);
  detail.set_distributed(plan->distributed);
  detail.set_undistributed(plan->undistributed);
  return detail;
}

namespace workflow {

namespace {

pb::Plan NewPlan(ActionContext& c, const pb::Case& record, pb::PlanKind kind,
                 const std::string& title) {
  pb::Plan plan;
  plan.set_id(AppendNewId(c, "plan", record.id(), CasePlansList(record.id())));
  plan.set_case_id(record.id());
  plan.set_kind(kind);
  plan.set_title(title);
  plan.set_status(pb::PLAN_STATUS_PROPOSED);
  plan.set_proposed_height(c.block.height);
  plan.set_proposed_time_ms(c.block.time_ms);
  *c.changed_id = plan.id();
  return plan;
}

Status ApplyProposePlan(ActionContext& c, const pb::ProposePlan& a) {
  Result<pb::Case> record = LoadOpenCase(c.state, a.case_id());
  if (!record.ok()) return record.status();
  if (Status st = RequireAdministrator(c, *record); !st.ok()) return st;
  pb::Procedure wanted = a.kind() == pb::PLAN_KIND_REORGANIZATION ? pb::PROCEDURE_REORGANIZATION
                                                                  : pb::PROCEDURE_COMPROMISE;
  if (record->procedure() != wanted) {
    return Status(pb::Status::FAILED_PRECONDITION,
                  "kind " + pb::PlanKind_Name(a.kind()) + " does not fit a case of procedure " +
                      pb::Procedure_Name(record->procedure()));
  }
  pb::Plan plan = NewPlan(c, *record, a.kind(), a.title());
  *plan.mutable_document() = a.document();
  c.state.Put(PlanKey(plan.id()), plan.SerializeAsString());
  return Status::Ok();
}

Status ApplyProposeDistribution(ActionContext& c, const pb::ProposeDistribution& a) {
  Result<pb::Case> record = LoadOpenCase(c.state, a.case_id());
  if (!record.ok()) return record.status();
  if (Status st = RequireAdministrator(c, *record); !st.ok()) return st;
  if (record->procedure() != pb::PROCEDURE_LIQUIDATION) {
    return Status(pb::Status::FAILED_PRECONDITION,
                  "case_id " + a.case_id() + " is not a liquidation; distribution plans are "
                  "for liquidations (EBL 115)");
  }
  if (record->final_distribution_height() != 0) {
    return Status(pb::Status::FAILED_PRECONDITION,
                  "case_id " + a.case_id() + " made its final distribution");
  }
  Result<pb::DistributionDetail> detail = ComputeCaseDistribution(c.state, a);
  if (!detail.ok()) return detail.status();
  pb::Plan plan = NewPlan(c, *record, pb::PLAN_KIND_DISTRIBUTION, a.title());
  detail->set_round(record->distribution_rounds() + 1);
  for (const pb::PlannedPayment& payment : detail->payments()) {
    c.state.Put(PlannedPaymentKey(plan.id(), payment.payee_id()), payment.SerializeAsString());
    ListAppend(c.state, PlanPayeesList(plan.id()), payment.payee_id());
  }
  detail->clear_payments();  // kept apart, so that a payment rewrites one record, not the plan
  *plan.mutable_distribution() = std::move(*detail);
  c.state.Put(PlanKey(plan.id()), plan.SerializeAsString());
  record->set_open_distribution_plan_id(plan.id());  // supersedes an earlier open plan
  c.state.Put(CaseKey(record->id()), record->SerializeAsString());
  return Status::Ok();
}

struct PlanInCase {
  pb::Plan plan;
  pb::Case record;
};

Result<PlanInCase> LoadPlanInOpenCase(const StateReader& state, const std::string& plan_id) {
  std::optional<pb::Plan> plan = LoadPlan(state, plan_id);
  if (!plan) return Status(pb::Status::NOT_FOUND, "plan_id " + plan_id + " does not exist");
  Result<pb::Case> record = LoadOpenCase(state, plan->case_id());
  if (!record.ok()) return record.status();
  return PlanInCase{std::move(*plan), std::move(*record)};
}

// Applies an approved distribution plan's shares to its claims.
Status AllocateDistribution(ActionContext& c, const pb::Plan& plan) {
  std::set<std::string> collaterals;
  for (const pb::CollateralValue& v : plan.distribution().collaterals()) {
    collaterals.insert(v.collateral_id());
  }
  for (const std::string& payee : ListRead(c.state, PlanPayeesList(plan.id()), 0, kListReadMax)) {
    if (payee.starts_with(kExpensePrefix)) continue;
    auto payment = LoadRecord<pb::PlannedPayment>(c.state, PlannedPaymentKey(plan.id(), payee));
    std::optional<pb::Claim> claim = LoadClaim(c.state, payee);
    assert(payment.has_value() && claim.has_value());
    if (claim->version() != payment->claim_version() ||
        claim->status() != pb::CLAIM_STATUS_CONFIRMED) {
      return Status(pb::Status::FAILED_PRECONDITION,
                    "claim " + payee + " changed since plan_id " + plan.id() +
                        " was proposed; the administrator must propose the plan again");
    }
    ClaimAmounts outstanding = OutstandingOf(*claim, collaterals);
    claim->mutable_allocated_by_tier()->Resize(kTierCount, 0);
    for (int t = 0; t < kTierCount; ++t) {
      claim->set_allocated_by_tier(t, claim->allocated_by_tier(t) + payment->by_tier(t));
    }
    if (outstanding.secured.amount > 0) {
      claim->set_secured_settled(true);
      claim->set_allocated_from_collateral(payment->from_collateral());
      claim->set_secured_shortfall(outstanding.secured.amount - payment->from_collateral());
    }
    StoreClaimAfter(c, *claim, pb::CLAIM_EVENT_KIND_ALLOCATED);
  }
  return Status::Ok();
}

Status ApplyApprovePlan(ActionContext& c, const pb::ApprovePlan& a) {
  Result<PlanInCase> found = LoadPlanInOpenCase(c.state, a.plan_id());
  if (!found.ok()) return found.status();
  pb::Plan* plan = &found->plan;
  pb::Case* record = &found->record;
  if (Status st = RequireCaseJudge(c, *record); !st.ok()) return st;
  if (plan->status() != pb::PLAN_STATUS_ADOPTED) {
    return Status(pb::Status::FAILED_PRECONDITION,
                  "plan_id " + a.plan_id() + " is " + pb::PlanStatus_Name(plan->status()) +
                      "; the court approves a plan the creditors' meeting adopted");
  }
  if (plan->kind() == pb::PLAN_KIND_DISTRIBUTION) {
    if (record->open_distribution_plan_id() != plan->id()) {
      return Status(pb::Status::FAILED_PRECONDITION,
                    "plan_id " + a.plan_id() + " was superseded by a later distribution plan");
    }
    if (Status st = AllocateDistribution(c, *plan); !st.ok()) return st;
    record->clear_open_distribution_plan_id();
    record->set_distribution_rounds(record->distribution_rounds() + 1);
    if (plan->distribution().final()) record->set_final_distribution_height(c.block.height);
    c.state.Put(CaseKey(record->id()), record->SerializeAsString());
  }
  plan->set_status(pb::PLAN_STATUS_APPROVED);
  plan->set_approved_height(c.block.height);
  plan->set_approved_time_ms(c.block.time_ms);
  c.state.Put(PlanKey(plan->id()), plan->SerializeAsString());
  *c.changed_id = plan->id();
  return Status::Ok();
}

Status ApplyRecordPayment(ActionContext& c, const pb::RecordPayment& a) {
  Result<PlanInCase> found = LoadPlanInOpenCase(c.state, a.plan_id());
  if (!found.ok()) return found.status();
  pb::Plan* plan = &found->plan;
  pb::Case* record = &found->record;
  if (Status st = RequireAdministrator(c, *record); !st.ok()) return st;
  if (plan->kind() != pb::PLAN_KIND_DISTRIBUTION || plan->status() != pb::PLAN_STATUS_APPROVED) {
    return Status(pb::Status::FAILED_PRECONDITION,
                  "plan_id " + a.plan_id() + " is no court-approved distribution plan");
  }
  std::string key = PlannedPaymentKey(plan->id(), a.payee_id());
  std::optional<pb::PlannedPayment> payment = LoadRecord<pb::PlannedPayment>(c.state, key);
  if (!payment) {
    return Status(pb::Status::NOT_FOUND, "payee_id " + a.payee_id() + " is not in the plan");
  }
  int64_t paid = payment->paid();
  if (!AddChecked(paid, a.amount())) return Overflow("amount");
  if (paid > payment->total()) {
    return Invalid("amount", "exceeds what the plan leaves to pay: " +
                                 std::to_string(payment->total() - payment->paid()) + " fen");
  }
  payment->set_paid(paid);
  c.state.Put(key, payment->SerializeAsString());
  pb::PaymentRecord entry;
  entry.set_plan_id(plan->id());
  entry.set_payee_id(a.payee_id());
  entry.set_amount(a.amount());
  entry.set_reference(a.reference());
  entry.set_recorded_by(c.signer.id());
  entry.set_height(c.block.height);
  entry.set_time_ms(c.block.time_ms);
  ListAppend(c.state, PlanPaymentsList(plan->id()), entry.SerializeAsString());
  *c.changed_id = plan->id();
  if (a.payee_id().starts_with(kExpensePrefix)) return Status::Ok();
  std::optional<pb::Claim> claim = LoadClaim(c.state, a.payee_id());
  assert(claim.has_value());
  claim->set_paid_total(claim->paid_total() + a.amount());  // ≤ the planned totals
  StoreClaimAfter(c, *claim, pb::CLAIM_EVENT_KIND_PAID);
  *c.changed_id = plan->id();
  return Status::Ok();
}

Status PrecheckProposeDistribution(const pb::ProposeDistribution& a) {
  if (Status st = CheckText("title", a.title(), kShortTextBytesMax); !st.ok()) return st;
  if (Status st = CheckAmount("general_estate", a.general_estate()); !st.ok()) return st;
  if (a.collaterals_size() > kCollateralsMax || a.expenses_size() > kExpensesMax) {
    return Status(pb::Status::TOO_LARGE, "collaterals or expenses has too many entries");
  }
  std::set<std::string> ids;
  for (int i = 0; i < a.collaterals_size(); ++i) {
    std::string field = "collaterals[" + std::to_string(i) + "]";
    const pb::CollateralValue& v = a.collaterals(i);
    if (Status st = CheckText(field + ".collateral_id", v.collateral_id(), kShortTextBytesMax);
        !st.ok()) {
      return st;
    }
    if (!ids.insert(v.collateral_id()).second) return Invalid(field + ".collateral_id", "repeats");
    if (Status st = CheckAmount(field + ".realized_value", v.realized_value()); !st.ok()) return st;
  }
  ids.clear();
  for (int i = 0; i < a.expenses_size(); ++i) {
    std::string field = "expenses[" + std::to_string(i) + "]";
    const pb::ExpenseItem& e = a.expenses(i);
    if (Status st = CheckText(field + ".id", e.id(), kShortTextBytesMax); !st.ok()) return st;
    if (!ids.insert(e.id()).second) return Invalid(field + ".id", "repeats");
    if (Status st = CheckText(field + ".description", e.description(), kTextBytesMax); !st.ok()) {
      return st;
    }
    if (e.amount() <= 0) return Invalid(field + ".amount", "must be positive (fen)");
  }
  return Status::Ok();
}

Status PrecheckProposePlan(const pb::ProposePlan& a) {
  if (a.kind() != pb::PLAN_KIND_REORGANIZATION && a.kind() != pb::PLAN_KIND_COMPROMISE) {
    return Invalid("kind", "must be reorganization or compromise (distribution plans are "
                           "computed by ProposeDistribution)");
  }
  if (Status st = CheckText("title", a.title(), kShortTextBytesMax); !st.ok()) return st;
  return CheckAttachment("document", a.document());
}

}  // namespace

Status PrecheckPlanAction(const pb::TxBody& body) {
  switch (body.action_case()) {
    case pb::TxBody::kProposePlan:
      return PrecheckProposePlan(body.propose_plan());
    case pb::TxBody::kProposeDistribution:
      return PrecheckProposeDistribution(body.propose_distribution());
    case pb::TxBody::kApprovePlan:
      return CheckText("plan_id", body.approve_plan().plan_id(), 64);
    case pb::TxBody::kRecordPayment: {
      const pb::RecordPayment& a = body.record_payment();
      if (a.amount() <= 0) return Invalid("amount", "must be positive (fen)");
      if (Status st = CheckText("payee_id", a.payee_id(), kShortTextBytesMax); !st.ok()) return st;
      return CheckText("reference", a.reference(), kShortTextBytesMax);
    }
    default:
      return Status(pb::Status::MALFORMED, "not a plan action");
  }
}

Status ApplyPlanAction(ActionContext& c, const pb::TxBody& body) {
  switch (body.action_case()) {
    case pb::TxBody::kProposePlan:
      return ApplyProposePlan(c, body.propose_plan());
    case pb::TxBody::kProposeDistribution:
      return ApplyProposeDistribution(c, body.propose_distribution());
    case pb::TxBody::kApprovePlan:
      return ApplyApprovePlan(c, body.approve_plan());
    case pb::TxBody::kRecordPayment:
      return ApplyRecordPayment(c, body.record_payment());
    default:
      return Status(pb::Status::MALFORMED, "not a plan action");
  }
}

}  // namespace workflow
}  // namespace onechain::contracts
