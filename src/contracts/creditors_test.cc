// Proves the known-creditor list (EBL 14), binding of self-registered accounts by id number,
// claim-declaration notices with delivery receipts and the 25-day flag, the court's replacement
// of the administrator, and that a terminated case refuses every act — each with its refusals.
#include "contracts/workflow_fixture.h"

namespace onechain::contracts {
namespace {

using testing::Key;

class CreditorsTest : public testing::WorkflowTest {
 protected:
  pb::Receipt SendNotice(char signer, const std::string& creditor) {
    return Act(signer, [&](pb::TxBody& b) {
      b.mutable_send_claim_notice()->set_creditor_id(creditor);
      b.mutable_send_claim_notice()->set_text("Declare online by the end of the claim period.");
    });
  }
  void Acknowledge(char signer, const std::string& notice, pb::Status::Code code) {
    pb::Receipt receipt =
        Act(signer, [&](pb::TxBody& b) { b.mutable_acknowledge_notice()->set_notice_id(notice); });
    EXPECT_EQ(receipt.code(), code) << receipt.message();
  }
};

TEST_F(CreditorsTest, AdministratorListsFirmsPeopleAndDepartments) {
  std::string firm = AddCreditor(pb::CREDITOR_KIND_FIRM, "Shenzhen Supply Co.", kSupplierCode);
  std::string person = AddCreditor(pb::CREDITOR_KIND_PERSON, "Li Lei", "440301199001010011");
  std::string tax = AddCreditor(pb::CREDITOR_KIND_DEPARTMENT, "Tax bureau", kTaxCode, "tax");
  auto list = ListCaseCreditors(h_.state(), case_id_, {0, 2});
  ASSERT_TRUE(list.ok());
  ASSERT_EQ(list->creditors_size(), 2);
  EXPECT_EQ(list->creditors(0).id(), firm);
  EXPECT_EQ(list->creditors(1).id(), person);
  EXPECT_EQ(list->next_offset(), 2u);
  auto rest = ListCaseCreditors(h_.state(), case_id_, {2, 10});
  ASSERT_EQ(rest->creditors_size(), 1);
  EXPECT_EQ(rest->creditors(0).org_id(), "tax");
  EXPECT_EQ(rest->next_offset(), 0u);
  EXPECT_EQ(rest->creditors(0).id(), tax);
}

TEST_F(CreditorsTest, CreditorListRefusals) {
  AddCreditor(pb::CREDITOR_KIND_FIRM, "Shenzhen Supply Co.", kSupplierCode);
  auto add = [&](pb::CreditorKind kind, const std::string& id, const std::string& org) {
    return [=, this](pb::TxBody& b) {
      auto* a = b.mutable_add_known_creditor();
      a->set_case_id(case_id_);
      a->set_kind(kind);
      a->set_name("someone");
      a->set_id_number(id);
      a->set_org_id(org);
    };
  };
  Refused('m', pb::Status::ALREADY_EXISTS, "id_number", add(pb::CREDITOR_KIND_FIRM, kSupplierCode, ""));
  Refused('m', pb::Status::INVALID_ARGUMENT, "org_id", add(pb::CREDITOR_KIND_DEPARTMENT, "X1", "court"));
  Refused('m', pb::Status::INVALID_ARGUMENT, "org_id", add(pb::CREDITOR_KIND_FIRM, "X2", "tax"));
  Refused('m', pb::Status::INVALID_ARGUMENT, "kind", add(pb::CREDITOR_KIND_EMPLOYEE, "X3", ""));
  Refused('m', pb::Status::INVALID_ARGUMENT, "id_number", add(pb::CREDITOR_KIND_FIRM, "", ""));
  // Wrong roles: a creditor, the judge, the admin of a firm that is not the administrator.
  Refused('a', pb::Status::UNAUTHORIZED, "administrator", add(pb::CREDITOR_KIND_FIRM, "X4", ""));
  Refused('j', pb::Status::UNAUTHORIZED, "administrator", add(pb::CREDITOR_KIND_FIRM, "X4", ""));
  Refused('w', pb::Status::UNAUTHORIZED, "administrator", add(pb::CREDITOR_KIND_FIRM, "X4", ""));
}

TEST_F(CreditorsTest, BindingNeedsTheEntrysIdNumber) {
  std::string supplier = AddCreditor(pb::CREDITOR_KIND_FIRM, "Shenzhen Supply Co.", kSupplierCode);
  std::string tax = AddCreditor(pb::CREDITOR_KIND_DEPARTMENT, "Tax bureau", kTaxCode, "tax");
  auto bind = [&](const std::string& creditor, char key) {
    return [=, this](pb::TxBody& b) {
      b.mutable_bind_creditor_account()->set_creditor_id(creditor);
      b.mutable_bind_creditor_account()->set_account_id(AccountId(key));
    };
  };
  Refused('m', pb::Status::INVALID_ARGUMENT, "account_id", bind(supplier, 'b'));
  Refused('m', pb::Status::NOT_FOUND, "account_id", bind(supplier, 'j'));  // a judge, no creditor
  Refused('m', pb::Status::FAILED_PRECONDITION, "department", bind(tax, 'a'));
  Refused('a', pb::Status::UNAUTHORIZED, "administrator", bind(supplier, 'a'));
  Bind(supplier, 'a');
  Refused('m', pb::Status::ALREADY_EXISTS, "creditor_id", bind(supplier, 'a'));
  EXPECT_EQ(LoadCreditor(h_.state(), supplier)->bound_account_id(), AccountId('a'));
  auto inbox = GetCreditorInbox(h_.state(), AccountId('a'));
  ASSERT_TRUE(inbox.ok());
  ASSERT_EQ(inbox->creditors_size(), 1);
  EXPECT_EQ(inbox->creditors(0).id(), supplier);
  // A tax officer sees the tax bureau's entries without any binding.
  auto officer = GetCreditorInbox(h_.state(), AccountId('t'));
  ASSERT_EQ(officer->creditors_size(), 1);
  EXPECT_EQ(officer->creditors(0).id(), tax);
}

TEST_F(CreditorsTest, NoticeAndDeliveryReceipt) {
  std::string supplier = BoundCreditor('a', "Shenzhen Supply Co.", kSupplierCode);
  std::string tax = AddCreditor(pb::CREDITOR_KIND_DEPARTMENT, "Tax bureau", kTaxCode, "tax");
  pb::Receipt sent = SendNotice('m', supplier);
  ASSERT_EQ(sent.code(), pb::Status::OK) << sent.message();
  std::optional<pb::Notice> notice = LoadNotice(h_.state(), sent.record_id());
  ASSERT_TRUE(notice.has_value());
  EXPECT_EQ(notice->kind(), pb::NOTICE_KIND_CLAIM_DECLARATION);
  EXPECT_EQ(notice->deadline_ms(), CurrentCase().claim_period_end_ms());
  EXPECT_EQ(notice->sent_height(), sent.height());
  EXPECT_FALSE(notice->sent_after_statutory_deadline());
  EXPECT_EQ(notice->acknowledged_height(), 0u);

  Acknowledge('b', notice->id(), pb::Status::UNAUTHORIZED);  // not the addressee
  h_.AdvanceTime(3600'000);
  Acknowledge('a', notice->id(), pb::Status::OK);
  notice = LoadNotice(h_.state(), notice->id());
  EXPECT_EQ(notice->acknowledged_time_ms(), h_.time_ms());
  EXPECT_EQ(notice->acknowledged_by(), AccountId('a'));
  Acknowledge('a', notice->id(), pb::Status::ALREADY_EXISTS);

  // Department notices are acknowledged by the department's officers; the 25th day is the edge.
  h_.AdvanceTime(25 * kDay - 3600'000);
  pb::Receipt on_time = SendNotice('m', tax);
  EXPECT_FALSE(LoadNotice(h_.state(), on_time.record_id())->sent_after_statutory_deadline());
  h_.AdvanceTime(1);
  pb::Receipt late = SendNotice('m', tax);
  EXPECT_TRUE(LoadNotice(h_.state(), late.record_id())->sent_after_statutory_deadline());
  Acknowledge('s', late.record_id(), pb::Status::UNAUTHORIZED);  // another department
  Acknowledge('t', late.record_id(), pb::Status::OK);
  auto inbox = GetCreditorInbox(h_.state(), AccountId('t'));
  ASSERT_EQ(inbox->notices_size(), 2);
  EXPECT_EQ(inbox->notices(1).acknowledged_by(), AccountId('t'));
  Refused('a', pb::Status::UNAUTHORIZED, "administrator", [&](pb::TxBody& b) {
    b.mutable_send_claim_notice()->set_creditor_id(supplier);
    b.mutable_send_claim_notice()->set_text("self-notice");
  });
}

TEST_F(CreditorsTest, NoticeWaitsForTheClaimPeriod) {
  std::string other = Ok('j', [&](pb::TxBody& b) {
    auto* a = b.mutable_accept_case();
    a->set_case_number("(2026)粤03破9号");
    a->set_debtor_name("Another Debtor Co.");
    a->set_debtor_credit_code(testing::CreditCode("91440300MA5F00001"));
    a->set_procedure(pb::PROCEDURE_LIQUIDATION);
    a->set_acceptance_date("2026-11-21");
  });
  Ok('j', [&](pb::TxBody& b) {
    b.mutable_appoint_administrator()->set_case_id(other);
    b.mutable_appoint_administrator()->set_firm_org_id("zhonglun");
  });
  case_id_ = other;
  std::string creditor = AddCreditor(pb::CREDITOR_KIND_FIRM, "Supplier", kSupplierCode);
  Refused('m', pb::Status::FAILED_PRECONDITION, "claim period", [&](pb::TxBody& b) {
    b.mutable_send_claim_notice()->set_creditor_id(creditor);
    b.mutable_send_claim_notice()->set_text("Declare.");
  });
}

TEST_F(CreditorsTest, CourtReplacesTheAdministrator) {
  auto replace = [&](const std::string& firm, const std::string& reason) {
    return [=, this](pb::TxBody& b) {
      b.mutable_replace_administrator()->set_case_id(case_id_);
      b.mutable_replace_administrator()->set_firm_org_id(firm);
      b.mutable_replace_administrator()->set_reason(reason);
    };
  };
  Refused('j', pb::Status::INVALID_ARGUMENT, "firm_org_id", replace("zhonglun", "no change"));
  Refused('j', pb::Status::INVALID_ARGUMENT, "reason", replace("kingwood", ""));
  Refused('j', pb::Status::FAILED_PRECONDITION, "firm_org_id", replace("nofirm", "unknown"));
  Refused('k', pb::Status::UNAUTHORIZED, "judge", replace("kingwood", "other court"));
  Refused('m', pb::Status::UNAUTHORIZED, "judge", replace("kingwood", "self-replacement"));
  Ok('j', replace("kingwood", "conflict of interest (EBL 24)"));
  pb::Case record = CurrentCase();
  EXPECT_EQ(record.administrator_org_id(), "kingwood");
  ASSERT_EQ(record.former_administrators_size(), 1);
  EXPECT_EQ(record.former_administrators(0).firm_org_id(), "zhonglun");
  EXPECT_EQ(record.former_administrators(0).reason(), "conflict of interest (EBL 24)");
  // The former administrator's member no longer acts; the new firm's admin does.
  Refused('m', pb::Status::UNAUTHORIZED, "administrator", [&](pb::TxBody& b) {
    auto* a = b.mutable_add_known_creditor();
    a->set_case_id(case_id_);
    a->set_kind(pb::CREDITOR_KIND_FIRM);
    a->set_name("Supplier");
    a->set_id_number(kSupplierCode);
  });
  Ok('w', [&](pb::TxBody& b) {
    auto* a = b.mutable_add_known_creditor();
    a->set_case_id(case_id_);
    a->set_kind(pb::CREDITOR_KIND_FIRM);
    a->set_name("Supplier");
    a->set_id_number(kSupplierCode);
  });
}

TEST_F(CreditorsTest, TerminatedCaseRefusesWorkflowActs) {
  std::string supplier = BoundCreditor('a', "Shenzhen Supply Co.", kSupplierCode);
  std::string notice = SendNotice('m', supplier).record_id();
  Ok('j', [&](pb::TxBody& b) {
    b.mutable_terminate_case()->set_case_id(case_id_);
    b.mutable_terminate_case()->set_reason("no assets (EBL 43)");
  });
  Refused('a', pb::Status::FAILED_PRECONDITION, "terminated",
          [&](pb::TxBody& b) { b.mutable_acknowledge_notice()->set_notice_id(notice); });
  Refused('m', pb::Status::FAILED_PRECONDITION, "terminated", [&](pb::TxBody& b) {
    b.mutable_send_claim_notice()->set_creditor_id(supplier);
    b.mutable_send_claim_notice()->set_text("Declare.");
  });
  Refused('a', pb::Status::FAILED_PRECONDITION, "terminated", [&](pb::TxBody& b) {
    b.mutable_declare_claim()->set_creditor_id(supplier);
    *b.mutable_declare_claim()->mutable_declaration() = Declaration(kSupplierCode, 1000, 0);
  });
}

}  // namespace
}  // namespace onechain::contracts
