// Proves distribution through the chain: a plan computed from court-confirmed claims (secured
// from collateral, expenses, tiers in statutory order, exact pro rata), voted without secured
// creditors who kept priority (EBL 59), approved by the court, paid by payment records that
// cannot exceed the plan; late claims joining only later rounds (EBL 56) and nothing after the
// final distribution; overflow refused; and, over random cases, that payments add up, no tier is
// paid before the one above is full, and pro rata holds to 1 fen.
#include <random>

#include "contracts/workflow_fixture.h"

namespace onechain::contracts {
namespace {

constexpr int kExpensesTier = static_cast<int>(Tier::kExpenses);
constexpr int kOrdinaryTier = static_cast<int>(Tier::kOrdinary);

class PlansTest : public testing::WorkflowTest {
 protected:
  std::function<void(pb::TxBody&)> Propose(int64_t estate, int64_t plant, bool final_round,
                                           int64_t expense = 0) {
    return [=, this](pb::TxBody& b) {
      auto* a = b.mutable_propose_distribution();
      a->set_case_id(case_id_);
      a->set_title("distribution");
      a->set_general_estate(estate);
      a->set_final(final_round);
      if (plant > 0) {
        auto* c = a->add_collaterals();
        c->set_collateral_id("plant");
        c->set_realized_value(plant);
      }
      if (expense > 0) {
        auto* e = a->add_expenses();
        e->set_id("fees");
        e->set_description("administrator's fees (EBL 41)");
        e->set_amount(expense);
      }
    };
  }

  // The supplier (a) and a person (b) on the list; the supplier's claim confirmed by the court.
  std::string SupplierClaimConfirmed(int64_t amount) {
    supplier_ = BoundCreditor('a', "Shenzhen Supply Co.", kSupplierCode);
    person_ = BoundCreditor('b', "Li Lei", "440301199001010011");
    std::string claim = ReviewedClaim('a', supplier_, kSupplierCode, amount);
    h_.AdvanceTime(15 * kDay + 1);
    ConfirmByCourt({claim});
    return claim;
  }

  // A meeting adopts the plan with the voters' yes; the court approves it.
  void AdoptAndApprove(const std::string& plan,
                       const std::vector<std::pair<char, std::string>>& voters) {
    std::string meeting = Convene('m', 1);
    std::string motion = Ok('m', Motion(meeting, pb::MOTION_KIND_DISTRIBUTION_PLAN, plan));
    h_.AdvanceTime(kHour);
    for (const auto& [key, creditor] : voters) {
      Ok(key, Ballot(motion, creditor, pb::BALLOT_CHOICE_YES));
    }
    h_.AdvanceTime(kHour);
    Ok('m', Close(motion));
    ASSERT_EQ(LoadPlan(h_.state(), plan)->status(), pb::PLAN_STATUS_ADOPTED);
    Ok('j', [&](pb::TxBody& b) { b.mutable_approve_plan()->set_plan_id(plan); });
  }

  static std::map<std::string, pb::PlannedPayment> ByPayee(const pb::Plan& plan) {
    std::map<std::string, pb::PlannedPayment> out;
    for (const pb::PlannedPayment& p : plan.distribution().payments()) out[p.payee_id()] = p;
    return out;
  }

  std::string supplier_, person_;

  std::function<void(pb::TxBody&)> Pay(const std::string& plan, const std::string& payee,
                                       int64_t amount) {
    return [=](pb::TxBody& b) {
      b.mutable_record_payment()->set_plan_id(plan);
      b.mutable_record_payment()->set_payee_id(payee);
      b.mutable_record_payment()->set_amount(amount);
      b.mutable_record_payment()->set_reference("ICBC transfer 2027-03-01");
    };
  }
};

TEST_F(PlansTest, ComputedVotedApprovedAndPaid) {
  std::string supplier = BoundCreditor('a', "Shenzhen Supply Co.", kSupplierCode);
  std::string person = BoundCreditor('b', "Li Lei", "440301199001010011");
  std::string bank = BoundCreditor('f', "Bank of Example", kBankCode);
  std::string tax = AddCreditor(pb::CREDITOR_KIND_DEPARTMENT, "Tax bureau", kTaxCode, "tax");
  std::string a_claim = ReviewedClaim('a', supplier, kSupplierCode, 600);
  std::string b_claim = ReviewedClaim('b', person, "440301199001010011", 400);
  pb::Declaration mortgage = Declaration(kBankCode, 800, 0);
  mortgage.mutable_security()->set_collateral_id("plant");
  mortgage.mutable_security()->set_description("mortgage on the plant");
  mortgage.mutable_security()->set_amount(800);
  std::string bank_claim = Declare('f', bank, mortgage);
  ASSERT_EQ(Review(bank_claim, {800}, {pb::RANKING_SECURED}, "", "plant").code(), pb::Status::OK);
  Notify(bank_claim, h_.time_ms() + 15 * kDay);
  pb::Declaration vat = Declaration(kTaxCode, 0, 0);
  vat.clear_components();
  vat.add_tax_items()->set_tax_name("VAT");
  vat.mutable_tax_items(0)->set_tax(200);
  std::string tax_claim = Declare('t', tax, vat);
  ASSERT_EQ(Review(tax_claim, {200}, {{}}).code(), pb::Status::OK);
  Notify(tax_claim, h_.time_ms() + 15 * kDay);
  std::string employee_claim = Ok('m', [&](pb::TxBody& b) {
    auto* a = b.mutable_list_employee_claim();
    a->set_case_id(case_id_);
    a->set_name("Wang Fang");
    a->set_id_number("440301198505050022");
    a->add_components()->set_kind(pb::COMPONENT_KIND_WAGES);
    a->mutable_components(0)->set_amount(300);
    a->set_objection_deadline_ms(h_.time_ms() + 15 * kDay);
  });
  h_.AdvanceTime(15 * kDay + 1);
  ConfirmByCourt({a_claim, b_claim, bank_claim, tax_claim, employee_claim});

  std::string plan_id = Ok('m', Propose(900, 500, false, 100));
  auto view = GetPlan(h_.state(), plan_id);
  ASSERT_TRUE(view.ok());
  std::map<std::string, pb::PlannedPayment> pay = ByPayee(view->plan());
  // Expenses 100, employee 300, tax 200 from the estate of 900; 300 left for ordinary claims of
  // 600 + 400 + the bank's shortfall 300: 138.46, 92.31, 69.23 — the leftover fen to the largest
  // remainder (the supplier).
  EXPECT_EQ(pay["expense:fees"].total(), 100);
  EXPECT_EQ(pay[employee_claim].total(), 300);
  EXPECT_EQ(pay[tax_claim].total(), 200);
  EXPECT_EQ(pay[bank_claim].from_collateral(), 500);
  EXPECT_EQ(pay[bank_claim].by_tier(kOrdinaryTier), 69);
  EXPECT_EQ(pay[a_claim].total(), 139);
  EXPECT_EQ(pay[b_claim].total(), 92);
  EXPECT_EQ(view->plan().distribution().distributed(), 900 + 500);
  EXPECT_EQ(view->plan().distribution().undistributed(), 0);
  EXPECT_EQ(view->plan().distribution().round(), 1u);

  // Paying before the court approves is refused; the secured bank has no vote on it (EBL 59).
  Refused('m', pb::Status::FAILED_PRECONDITION, "court-approved", Pay(plan_id, a_claim, 139));
  Refused('j', pb::Status::FAILED_PRECONDITION, "adopted",
          [&](pb::TxBody& b) { b.mutable_approve_plan()->set_plan_id(plan_id); });
  AdoptAndApprove(plan_id, {{'a', supplier}, {'b', person}});
  pb::Claim bank_now = ClaimNow(bank_claim);
  EXPECT_TRUE(bank_now.secured_settled());
  EXPECT_EQ(bank_now.secured_shortfall(), 300);
  EXPECT_EQ(bank_now.allocated_from_collateral(), 500);
  EXPECT_EQ(ClaimNow(a_claim).allocated_by_tier(kOrdinaryTier), 139);
  EXPECT_EQ(CurrentCase().distribution_rounds(), 1u);

  Refused('a', pb::Status::UNAUTHORIZED, "administrator", Pay(plan_id, a_claim, 139));
  Refused('m', pb::Status::NOT_FOUND, "payee_id", Pay(plan_id, "nobody", 1));
  Refused('m', pb::Status::INVALID_ARGUMENT, "amount", Pay(plan_id, a_claim, 0));
  Ok('m', Pay(plan_id, a_claim, 100));
  Ok('m', Pay(plan_id, a_claim, 39));
  Refused('m', pb::Status::INVALID_ARGUMENT, "amount", Pay(plan_id, a_claim, 1));
  Refused('m', pb::Status::INVALID_ARGUMENT, "amount", Pay(plan_id, b_claim, INT64_MAX));
  Ok('m', Pay(plan_id, "expense:fees", 100));
  EXPECT_EQ(ClaimNow(a_claim).paid_total(), 139);
  view = GetPlan(h_.state(), plan_id);
  EXPECT_EQ(ByPayee(view->plan())[a_claim].paid(), 139);
  ASSERT_EQ(view->payments_size(), 3);
  EXPECT_EQ(view->payments(2).payee_id(), "expense:fees");
  // The bank, settled from its collateral, cannot waive priority any more.
  Refused('f', pb::Status::FAILED_PRECONDITION, "collateral",
          [&](pb::TxBody& b) { b.mutable_waive_priority()->set_claim_id(bank_claim); });
}

TEST_F(PlansTest, LateClaimJoinsOnlyLaterRoundsAndNothingAfterTheFinal) {
  std::string timely = SupplierClaimConfirmed(1000);
  const std::string& supplier = supplier_;
  const std::string& person = person_;
  std::string first = Ok('m', Propose(400, 0, false));
  AdoptAndApprove(first, {{'a', supplier}});
  EXPECT_EQ(ClaimNow(timely).allocated_by_tier(kOrdinaryTier), 400);

  ASSERT_GT(h_.time_ms(), CurrentCase().claim_period_end_ms());
  std::string late = ReviewedClaim('b', person, "440301199001010011", 1000);
  EXPECT_TRUE(ClaimNow(late).late());
  h_.AdvanceTime(15 * kDay + 1);
  ConfirmByCourt({late});
  std::string second = Ok('m', Propose(600, 0, true));
  std::map<std::string, pb::PlannedPayment> pay = ByPayee(GetPlan(h_.state(), second)->plan());
  // Outstanding 600 (timely) and 1000 (late) share 600: 225 and 375. The late claim takes
  // nothing of the 400 already distributed.
  EXPECT_EQ(pay[timely].total(), 225);
  EXPECT_EQ(pay[late].total(), 375);
  EXPECT_TRUE(pay[late].late());
  EXPECT_EQ(GetPlan(h_.state(), second)->plan().distribution().round(), 2u);
  AdoptAndApprove(second, {{'a', supplier}, {'b', person}});
  EXPECT_NE(CurrentCase().final_distribution_height(), 0u);
  EXPECT_EQ(ClaimNow(timely).allocated_by_tier(kOrdinaryTier), 625);
  Refused('a', pb::Status::FAILED_PRECONDITION, "EBL 56", [&](pb::TxBody& b) {
    b.mutable_declare_claim()->set_creditor_id(supplier);
    *b.mutable_declare_claim()->mutable_declaration() = Declaration(kSupplierCode, 10, 0);
  });
  Refused('m', pb::Status::FAILED_PRECONDITION, "final distribution", Propose(10, 0, false));
}

TEST_F(PlansTest, ApprovalNeedsTheCurrentUnchangedPlan) {
  std::string claim = SupplierClaimConfirmed(1000);
  const std::string& supplier = supplier_;
  const std::string& person = person_;
  std::string superseded = Ok('m', Propose(100, 0, false));
  std::string current = Ok('m', Propose(200, 0, false));
  std::string meeting = Convene('m', 1);
  Refused('m', pb::Status::FAILED_PRECONDITION, "superseded",
          Motion(meeting, pb::MOTION_KIND_DISTRIBUTION_PLAN, superseded));
  Refused('m', pb::Status::NOT_FOUND, "plan_id", Motion(meeting, pb::MOTION_KIND_COMPROMISE, current));
  std::string motion = Ok('m', Motion(meeting, pb::MOTION_KIND_DISTRIBUTION_PLAN, current));
  h_.AdvanceTime(kHour);
  Ok('a', Ballot(motion, supplier, pb::BALLOT_CHOICE_YES));
  h_.AdvanceTime(kHour);
  Ok('m', Close(motion));
  // The claim changes hands after the vote: the plan no longer matches the claims.
  Ok('a', [&](pb::TxBody& b) {
    b.mutable_transfer_claim()->set_claim_id(claim);
    b.mutable_transfer_claim()->set_to_creditor_id(person);
    *b.mutable_transfer_claim()->mutable_agreement() = testing::File('t');
  });
  Refused('j', pb::Status::FAILED_PRECONDITION, "changed since",
          [&](pb::TxBody& b) { b.mutable_approve_plan()->set_plan_id(current); });
}

TEST_F(PlansTest, BadInputAndOverflowAreRefused) {
  SupplierClaimConfirmed(1000);
  Refused('m', pb::Status::INVALID_ARGUMENT, "overflows", Propose(INT64_MAX, INT64_MAX, false));
  Refused('m', pb::Status::INVALID_ARGUMENT, "general_estate", Propose(-1, 0, false));
  Refused('m', pb::Status::INVALID_ARGUMENT, "collaterals[1].collateral_id", [&](pb::TxBody& b) {
    Propose(10, 5, false)(b);
    *b.mutable_propose_distribution()->add_collaterals() =
        b.propose_distribution().collaterals(0);
  });
  Refused('m', pb::Status::INVALID_ARGUMENT, "expenses[0].amount", [&](pb::TxBody& b) {
    Propose(10, 0, false)(b);
    auto* e = b.mutable_propose_distribution()->add_expenses();
    e->set_id("fees");
    e->set_description("fees");
  });
  Refused('a', pb::Status::UNAUTHORIZED, "administrator", Propose(10, 0, false));
  pb::ProposeDistribution input;
  input.set_case_id(case_id_);
  input.set_title("preview");
  input.set_general_estate(INT64_MAX);
  input.add_collaterals()->set_collateral_id("plant");
  input.mutable_collaterals(0)->set_realized_value(1);
  EXPECT_EQ(PreviewDistribution(h_.state(), input).status().code(), pb::Status::INVALID_ARGUMENT);
  input.set_general_estate(300);
  auto preview = PreviewDistribution(h_.state(), input);
  ASSERT_TRUE(preview.ok()) << preview.status().message();
  std::string plan = Ok('m', [&](pb::TxBody& b) { *b.mutable_propose_distribution() = input; });
  auto view = GetPlan(h_.state(), plan);
  ASSERT_TRUE(view.ok());
  const pb::DistributionDetail& proposed = view->plan().distribution();
  ASSERT_EQ(proposed.payments_size(), preview->payments_size());
  EXPECT_EQ(proposed.payments(0).total(), preview->payments(0).total());
  EXPECT_EQ(preview->payments(0).total(), 301);  // the plant had no secured claim: its 1 fen joins
  // A reorganization case has no distribution plan.
  case_id_ = AcceptCase(pb::PROCEDURE_REORGANIZATION, "(2026)粤03破5号");
  Refused('m', pb::Status::FAILED_PRECONDITION, "liquidation", Propose(10, 0, false));
}

// Random cases through the chain: random claims, rankings and amounts, confirmed by the court,
// then a preview with a random estate and collateral value.
TEST_F(PlansTest, PropertiesHoldThroughTheChain) {
  std::mt19937_64 rng(20261128);
  const std::vector<std::pair<char, std::string>> parties = {
      {'a', kSupplierCode}, {'b', "440301199001010011"}, {'e', "440301198505050022"},
      {'f', kBankCode}};
  const pb::Ranking rankings[] = {pb::RANKING_SECURED, pb::RANKING_EMPLOYEE,
                                  pb::RANKING_TAX_AND_SOCIAL_INSURANCE, pb::RANKING_ORDINARY,
                                  pb::RANKING_SUBORDINATED};
  for (int round = 0; round < 100; ++round) {
    case_id_ = AcceptCase(pb::PROCEDURE_LIQUIDATION, "(2027)粤03破" + std::to_string(round) + "号");
    std::vector<std::string> claims;
    for (const auto& [key, id_number] : parties) {
      std::string creditor = BoundCreditor(key, "creditor", id_number);
      for (int n = 1 + static_cast<int>(rng() % 3); n > 0; --n) {
        int64_t principal = 1 + static_cast<int64_t>(rng() % 1'000'000);
        int64_t interest = 1 + static_cast<int64_t>(rng() % 100'000);
        pb::Ranking ranking = rankings[rng() % 5];
        pb::Declaration d = Declaration(id_number, principal, interest);
        if (ranking == pb::RANKING_SECURED) {
          d.mutable_security()->set_collateral_id("plant");
          d.mutable_security()->set_description("mortgage");
          d.mutable_security()->set_amount(principal);
        }
        std::string claim = Declare(key, creditor, d);
        ASSERT_EQ(Review(claim, {principal, interest}, {ranking, pb::RANKING_ORDINARY}, "",
                         ranking == pb::RANKING_SECURED ? "plant" : "")
                      .code(),
                  pb::Status::OK);
        Notify(claim, h_.time_ms() + 15 * kDay);
        claims.push_back(claim);
      }
    }
    h_.AdvanceTime(15 * kDay + 1);
    ConfirmByCourt(claims);
    pb::ProposeDistribution input;
    input.set_case_id(case_id_);
    input.set_title("preview");
    input.set_general_estate(static_cast<int64_t>(rng() % 3'000'000));
    input.add_collaterals()->set_collateral_id("plant");
    input.mutable_collaterals(0)->set_realized_value(static_cast<int64_t>(rng() % 2'000'000));
    auto plan = PreviewDistribution(h_.state(), input);
    ASSERT_TRUE(plan.ok()) << plan.status().message();
    int64_t paid = 0;
    int64_t tier_sum[kTierCount] = {};
    for (const pb::PlannedPayment& p : plan->payments()) {
      int64_t parts = p.from_collateral();
      for (int t = 0; t < kTierCount; ++t) {
        parts += p.by_tier(t);
        tier_sum[t] += p.by_tier(t);
      }
      EXPECT_EQ(parts, p.total());
      paid += p.total();
    }
    int64_t available = input.general_estate() + input.collaterals(0).realized_value();
    EXPECT_EQ(paid, plan->distributed());
    EXPECT_EQ(plan->distributed() + plan->undistributed(), available);
    bool short_above = false;
    for (int t = kExpensesTier; t < kTierCount; ++t) {
      EXPECT_EQ(tier_sum[t], plan->tier_paid(t));
      if (short_above) {
        EXPECT_EQ(plan->tier_paid(t), 0) << "tier " << t << " paid under a short tier";
      }
      short_above = short_above || plan->tier_paid(t) < plan->tier_totals(t);
      // Pro rata within 1 fen: payment_i × total ≈ claim_i × paid.
      std::map<std::string, int64_t> owed;
      for (const std::string& id : claims) {
        ConfirmedAmounts amounts = ConfirmedAmountsOf(ClaimNow(id));
        owed[id] = amounts.by_tier[t];
      }
      for (const pb::PlannedPayment& p : plan->payments()) {
        if (t == kOrdinaryTier || plan->tier_totals(t) == 0) continue;  // ordinary adds shortfalls
        long double exact = static_cast<long double>(plan->tier_paid(t)) * owed[p.payee_id()] /
                            static_cast<long double>(plan->tier_totals(t));
        EXPECT_LE(std::abs(static_cast<long double>(p.by_tier(t)) - exact), 1.0L);
      }
    }
    if (plan->undistributed() > 0) {
      EXPECT_FALSE(short_above);
    }
  }
}

}  // namespace
}  // namespace onechain::contracts
