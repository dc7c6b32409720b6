// Proves declarations (fields of DOMAIN.md, attachments by reference, late claims flagged by block
// time, EBL 56), tax declarations ranked automatically, amendment, withdrawal, transfer, waiver of
// priority and employee claims listed without declaration (EBL 48), with their refusals.
#include "contracts/workflow_fixture.h"

namespace onechain::contracts {
namespace {

class ClaimsTest : public testing::WorkflowTest {
 protected:
  void SetUp() override {
    WorkflowTest::SetUp();
    supplier_ = BoundCreditor('a', "Shenzhen Supply Co.", kSupplierCode);
  }

  std::function<void(pb::TxBody&)> DeclareWith(const pb::Declaration& d) {
    return [=, this](pb::TxBody& b) {
      b.mutable_declare_claim()->set_creditor_id(supplier_);
      *b.mutable_declare_claim()->mutable_declaration() = d;
    };
  }

  static pb::Declaration TaxDeclaration() {
    pb::Declaration d = Declaration(kTaxCode, 0, 0);
    d.clear_components();
    auto* vat = d.add_tax_items();
    vat->set_tax_name("VAT with surcharges");
    vat->set_period("2025-01 to 2026-10");
    vat->set_tax(500'000);
    vat->set_late_fee(40'000);
    vat->set_fine(10'000);
    vat->set_calculation("to the acceptance date, SAT 2019 No. 48");
    auto* cit = d.add_tax_items();
    cit->set_tax_name("corporate income tax");
    cit->set_tax(200'000);
    cit->set_special_interest(7'000);
    return d;
  }

  std::string supplier_;
};

TEST_F(ClaimsTest, DeclarationInsideThePeriodIsTimelyAndTraceable) {
  pb::Declaration d = Declaration(kSupplierCode, 1'000'000, 35'000);
  d.set_agent_name("Lawyer Zhang");
  *d.mutable_agent_authorization() = testing::File('p');
  d.mutable_security()->set_collateral_id("plant-1");
  d.mutable_security()->set_description("mortgage on the plant, registered 2024");
  d.mutable_security()->set_amount(800'000);
  std::string id = Declare('a', supplier_, d);
  pb::Claim claim = ClaimNow(id);
  EXPECT_EQ(claim.status(), pb::CLAIM_STATUS_DECLARED);
  EXPECT_FALSE(claim.late());
  EXPECT_EQ(claim.declared_total(), 1'035'000);
  EXPECT_EQ(claim.declaration().attachments(0).media_type(), "application/pdf");
  auto history = GetClaimHistory(h_.state(), id);
  ASSERT_TRUE(history.ok());
  ASSERT_EQ(history->events_size(), 1);
  EXPECT_EQ(history->events(0).kind(), pb::CLAIM_EVENT_KIND_DECLARED);
  EXPECT_EQ(history->events(0).time_ms(), h_.time_ms());
  EXPECT_EQ(history->events(0).actor_account_id(), AccountId('a'));
  auto inbox = GetCreditorInbox(h_.state(), AccountId('a'));
  ASSERT_EQ(inbox->claims_size(), 1);
  EXPECT_EQ(inbox->claims(0).id(), id);
}

TEST_F(ClaimsTest, AClaimAtOrAfterThePeriodsEndIsLate) {
  int64_t end = CurrentCase().claim_period_end_ms();
  h_.AdvanceTime(end - h_.time_ms() - 1);
  EXPECT_FALSE(ClaimNow(Declare('a', supplier_, Declaration(kSupplierCode, 100, 0))).late());
  h_.AdvanceTime(1);
  EXPECT_TRUE(ClaimNow(Declare('a', supplier_, Declaration(kSupplierCode, 200, 0))).late());
}

TEST_F(ClaimsTest, DeclarationFieldsAreChecked) {
  pb::Declaration d = Declaration(kSupplierCode, 1000, 0);
  d.clear_service_address();
  Refused('a', pb::Status::INVALID_ARGUMENT, "declaration.service_address", DeclareWith(d));
  d = Declaration(kSupplierCode, -1, 0);
  Refused('a', pb::Status::INVALID_ARGUMENT, "components[0].amount", DeclareWith(d));
  d = Declaration(kSupplierCode, INT64_MAX, 1);
  Refused('a', pb::Status::INVALID_ARGUMENT, "overflows", DeclareWith(d));
  d = Declaration(kSupplierCode, 0, 0);
  Refused('a', pb::Status::INVALID_ARGUMENT, "components", DeclareWith(d));
  d = Declaration(kSupplierCode, 1000, 0);
  d.mutable_attachments(0)->set_hash("short");
  Refused('a', pb::Status::INVALID_ARGUMENT, "declaration.attachments[0].hash", DeclareWith(d));
  d = Declaration(kSupplierCode, 1000, 0);
  d.mutable_attachments(0)->set_media_type("pdf");
  Refused('a', pb::Status::INVALID_ARGUMENT, "declaration.attachments[0].media_type", DeclareWith(d));
  d = Declaration(kSupplierCode, 1000, 0);
  d.mutable_attachments(0)->set_size(0);
  Refused('a', pb::Status::INVALID_ARGUMENT, "declaration.attachments[0].size", DeclareWith(d));
  d = Declaration(kSupplierCode, 1000, 0);
  d.set_agent_name("Lawyer Zhang");  // without the authorization
  Refused('a', pb::Status::INVALID_ARGUMENT, "declaration.agent_authorization", DeclareWith(d));
  d = Declaration(kSupplierCode, 1000, 0);
  d.set_joint(true);
  Refused('a', pb::Status::INVALID_ARGUMENT, "declaration.joint_details", DeclareWith(d));
  d = Declaration(kSupplierCode, 1000, 0);
  d.mutable_security()->set_collateral_id("plant");
  d.mutable_security()->set_description("mortgage");
  d.mutable_security()->set_amount(1001);
  Refused('a', pb::Status::INVALID_ARGUMENT, "declaration.security.amount", DeclareWith(d));
  d = Declaration("914403000000000099", 1000, 0);
  Refused('a', pb::Status::INVALID_ARGUMENT, "declaration.creditor_id_number", DeclareWith(d));
  d = Declaration(kSupplierCode, 1000, 0);
  d.add_components()->set_kind(pb::COMPONENT_KIND_TAX);
  Refused('a', pb::Status::INVALID_ARGUMENT, "components[1].kind", DeclareWith(d));
  d = Declaration(kSupplierCode, 1000, 0);
  *d.add_tax_items() = TaxDeclaration().tax_items(0);
  Refused('a', pb::Status::INVALID_ARGUMENT, "declaration.tax_items", DeclareWith(d));
  d = Declaration(kSupplierCode, 1000, 0);
  for (int i = 0; i < kComponentsMax; ++i) *d.add_components() = d.components(0);
  Refused('a', pb::Status::TOO_LARGE, "components", DeclareWith(d));
}

TEST_F(ClaimsTest, OnlyWhoActsForTheEntryDeclares) {
  Refused('x', pb::Status::UNAUTHORIZED, "creditor_id",
          DeclareWith(Declaration(kSupplierCode, 1000, 0)));
  Refused('m', pb::Status::UNAUTHORIZED, "creditor_id",
          DeclareWith(Declaration(kSupplierCode, 1000, 0)));
  Refused('a', pb::Status::NOT_FOUND, "creditor_id", [&](pb::TxBody& b) {
    b.mutable_declare_claim()->set_creditor_id("no-such-entry");
    *b.mutable_declare_claim()->mutable_declaration() = Declaration(kSupplierCode, 1000, 0);
  });
}

TEST_F(ClaimsTest, TaxItemsAreRankedAutomatically) {
  std::string tax = AddCreditor(pb::CREDITOR_KIND_DEPARTMENT, "Tax bureau", kTaxCode, "tax");
  std::string id = Declare('t', tax, TaxDeclaration());
  pb::Claim claim = ClaimNow(id);
  EXPECT_EQ(claim.declared_total(), 500'000 + 40'000 + 10'000 + 200'000 + 7'000);
  std::vector<pb::ComponentResult> components = DeclaredComponents(claim.declaration());
  ASSERT_EQ(components.size(), 5u);
  EXPECT_EQ(components[0].ranking(), pb::RANKING_TAX_AND_SOCIAL_INSURANCE);
  EXPECT_EQ(components[1].ranking(), pb::RANKING_ORDINARY);       // late fee
  EXPECT_EQ(components[2].ranking(), pb::RANKING_SUBORDINATED);   // fine
  EXPECT_EQ(components[3].ranking(), pb::RANKING_TAX_AND_SOCIAL_INSURANCE);
  EXPECT_EQ(components[4].ranking(), pb::RANKING_ORDINARY);       // special-adjustment interest
  // The administrator cannot re-rank a tax item; leaving the ranking out keeps the automatic one.
  pb::Receipt wrong = Review(id, {500'000, 40'000, 10'000, 200'000, 7'000},
                             {pb::RANKING_ORDINARY, {}, {}, {}, {}});
  EXPECT_EQ(wrong.code(), pb::Status::INVALID_ARGUMENT);
  EXPECT_NE(wrong.message().find("components[0].ranking"), std::string::npos) << wrong.message();
  pb::Receipt ok = Review(id, {500'000, 40'000, 10'000, 200'000, 7'000}, {{}, {}, {}, {}, {}});
  ASSERT_EQ(ok.code(), pb::Status::OK) << ok.message();
  auto form = GetClaimForm(h_.state(), case_id_, {0, 10});
  ASSERT_TRUE(form.ok());
  EXPECT_EQ(form->confirmed_by_ranking(pb::RANKING_TAX_AND_SOCIAL_INSURANCE), 700'000);
  EXPECT_EQ(form->confirmed_by_ranking(pb::RANKING_ORDINARY), 47'000);
  EXPECT_EQ(form->confirmed_by_ranking(pb::RANKING_SUBORDINATED), 10'000);
  // Only the tax bureau declares tax items; the social insurance department may not.
  std::string social = AddCreditor(pb::CREDITOR_KIND_DEPARTMENT, "Social insurance",
                                   "11440300SOCIAL0001", "social");
  pb::Declaration d = TaxDeclaration();
  d.set_creditor_id_number("11440300SOCIAL0001");
  Refused('s', pb::Status::INVALID_ARGUMENT, "declaration.tax_items", [&](pb::TxBody& b) {
    b.mutable_declare_claim()->set_creditor_id(social);
    *b.mutable_declare_claim()->mutable_declaration() = d;
  });
}

TEST_F(ClaimsTest, AmendBeforeReviewWithdrawOnce) {
  std::string id = Declare('a', supplier_, Declaration(kSupplierCode, 1000, 0));
  auto amend = [&](int64_t principal) {
    return [=, this](pb::TxBody& b) {
      b.mutable_amend_claim()->set_claim_id(id);
      *b.mutable_amend_claim()->mutable_declaration() = Declaration(kSupplierCode, principal, 50);
    };
  };
  Refused('x', pb::Status::UNAUTHORIZED, "holder", amend(2000));
  Ok('a', amend(2000));
  EXPECT_EQ(ClaimNow(id).declared_total(), 2050);
  EXPECT_EQ(ClaimNow(id).version(), 2u);
  ASSERT_EQ(Review(id, {2000, 50}, {pb::RANKING_ORDINARY, pb::RANKING_ORDINARY}).code(),
            pb::Status::OK);
  Refused('a', pb::Status::FAILED_PRECONDITION, "before its review", amend(3000));
  auto withdraw = [&](pb::TxBody& b) {
    b.mutable_withdraw_claim()->set_claim_id(id);
    b.mutable_withdraw_claim()->set_reason("paid by the guarantor");
  };
  Refused('b', pb::Status::UNAUTHORIZED, "holder", withdraw);
  Ok('a', withdraw);
  EXPECT_EQ(ClaimNow(id).status(), pb::CLAIM_STATUS_WITHDRAWN);
  Refused('a', pb::Status::FAILED_PRECONDITION, "withdrawn", withdraw);
  auto form = GetClaimForm(h_.state(), case_id_, {0, 10});
  EXPECT_EQ(form->claim_count(), 1u);
  EXPECT_EQ(form->declared_total(), 0);  // withdrawn claims are out of the totals
}

TEST_F(ClaimsTest, TransferMovesTheClaimToAnotherEntry) {
  std::string bank = BoundCreditor('f', "Bank of Example", kBankCode);
  std::string id = Declare('a', supplier_, Declaration(kSupplierCode, 1000, 0));
  auto transfer = [&](const std::string& to) {
    return [=](pb::TxBody& b) {
      b.mutable_transfer_claim()->set_claim_id(id);
      b.mutable_transfer_claim()->set_to_creditor_id(to);
      *b.mutable_transfer_claim()->mutable_agreement() = testing::File('t');
    };
  };
  Refused('a', pb::Status::INVALID_ARGUMENT, "to_creditor_id", transfer(supplier_));
  Refused('a', pb::Status::NOT_FOUND, "to_creditor_id", transfer("nobody"));
  Refused('f', pb::Status::UNAUTHORIZED, "holder", transfer(bank));
  Ok('a', transfer(bank));
  pb::Claim claim = ClaimNow(id);
  EXPECT_EQ(claim.creditor_id(), bank);
  ASSERT_EQ(claim.transfers_size(), 1);
  EXPECT_EQ(claim.transfers(0).from_creditor_id(), supplier_);
  EXPECT_EQ(GetCreditorInbox(h_.state(), AccountId('a'))->claims_size(), 0);
  EXPECT_EQ(GetCreditorInbox(h_.state(), AccountId('f'))->claims_size(), 1);
  Refused('a', pb::Status::UNAUTHORIZED, "holder", [&](pb::TxBody& b) {
    b.mutable_withdraw_claim()->set_claim_id(id);
    b.mutable_withdraw_claim()->set_reason("no longer mine");
  });
}

TEST_F(ClaimsTest, EmployeeClaimsAreListedWithoutDeclaration) {
  auto list = [&](int64_t deadline, pb::ComponentKind kind) {
    return [=, this](pb::TxBody& b) {
      auto* a = b.mutable_list_employee_claim();
      a->set_case_id(case_id_);
      a->set_name("Wang Fang");
      a->set_id_number("440301198505050022");
      auto* wages = a->add_components();
      wages->set_kind(kind);
      wages->set_amount(120'000);
      wages->set_calculation("4 months of unpaid wages");
      auto* compensation = a->add_components();
      compensation->set_kind(pb::COMPONENT_KIND_COMPENSATION);
      compensation->set_amount(60'000);
      a->set_objection_deadline_ms(deadline);
    };
  };
  int64_t window = h_.time_ms() + 15 * kDay;
  Refused('m', pb::Status::INVALID_ARGUMENT, "objection_deadline_ms",
          list(window - 1, pb::COMPONENT_KIND_WAGES));
  Refused('m', pb::Status::INVALID_ARGUMENT, "components[0].kind",
          list(window, pb::COMPONENT_KIND_PRINCIPAL));
  Refused('e', pb::Status::UNAUTHORIZED, "administrator", list(window, pb::COMPONENT_KIND_WAGES));
  std::string id = Ok('m', list(window, pb::COMPONENT_KIND_WAGES));
  pb::Claim claim = ClaimNow(id);
  EXPECT_EQ(claim.origin(), pb::CLAIM_ORIGIN_EMPLOYEE_LIST);
  EXPECT_EQ(claim.status(), pb::CLAIM_STATUS_NOTIFIED);
  EXPECT_EQ(claim.review().confirmed_total(), 180'000);
  EXPECT_EQ(claim.review().components(1).ranking(), pb::RANKING_EMPLOYEE);
  std::optional<pb::CaseCreditor> employee = LoadCreditor(h_.state(), claim.creditor_id());
  EXPECT_EQ(employee->kind(), pb::CREDITOR_KIND_EMPLOYEE);
  // The employee, once bound, sees the listing notice, may not declare, and may object.
  Bind(employee->id(), 'e');
  auto inbox = GetCreditorInbox(h_.state(), AccountId('e'));
  ASSERT_EQ(inbox->notices_size(), 1);
  EXPECT_EQ(inbox->notices(0).kind(), pb::NOTICE_KIND_EMPLOYEE_LISTING);
  Refused('e', pb::Status::FAILED_PRECONDITION, "EBL 48", [&](pb::TxBody& b) {
    b.mutable_declare_claim()->set_creditor_id(employee->id());
    *b.mutable_declare_claim()->mutable_declaration() =
        Declaration("440301198505050022", 1000, 0);
  });
  Ok('e', [&](pb::TxBody& b) {
    b.mutable_object_to_claim()->set_claim_id(id);
    b.mutable_object_to_claim()->set_objector_creditor_id(employee->id());
    b.mutable_object_to_claim()->set_reasons("overtime pay of 20,000 yuan is missing");
  });
  EXPECT_EQ(ClaimNow(id).status(), pb::CLAIM_STATUS_OBJECTED);
}

TEST_F(ClaimsTest, ASecuredCreditorMayWaivePriorityOnce) {
  pb::Declaration d = Declaration(kSupplierCode, 1000, 0);
  d.mutable_security()->set_collateral_id("truck");
  d.mutable_security()->set_description("pledge of a truck");
  d.mutable_security()->set_amount(1000);
  std::string secured = Declare('a', supplier_, d);
  std::string plain = Declare('a', supplier_, Declaration(kSupplierCode, 500, 0));
  auto waive = [](const std::string& id) {
    return [=](pb::TxBody& b) { b.mutable_waive_priority()->set_claim_id(id); };
  };
  Refused('a', pb::Status::FAILED_PRECONDITION, "not a secured claim", waive(plain));
  Refused('x', pb::Status::UNAUTHORIZED, "holder", waive(secured));
  Ok('a', waive(secured));
  EXPECT_TRUE(ClaimNow(secured).priority_waived());
  Refused('a', pb::Status::ALREADY_EXISTS, "waived", waive(secured));
}

}  // namespace
}  // namespace onechain::contracts
