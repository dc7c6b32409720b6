// Proves the read policy (DOMAIN.md privacy classes): every class against every kind of caller,
// the relations gathered from real workflow state (court, clerk, appointed and other firms,
// bound creditors, department officers, strangers, revoked accounts), and that a refused read
// and a missing record get the same answer.
#include "node/read_policy.h"

#include <gtest/gtest.h>

#include "contracts/workflow_fixture.h"

namespace onechain::node {
namespace {

constexpr PrivacyClass kClasses[] = {PrivacyClass::kPublic, PrivacyClass::kCase,
                                     PrivacyClass::kParty, PrivacyClass::kOwn};

struct Expectation {
  const char* caller;
  CallerRelation relation;
  bool public_, case_, party, own;
};

TEST(MayReadTest, EveryClassForEveryKindOfCaller) {
  const Expectation table[] = {
      {"anonymous", {}, true, false, false, false},
      {"signed stranger", {.authenticated = true}, true, false, false, true},
      {"court", {.authenticated = true, .court = true}, true, true, true, true},
      {"administrator", {.authenticated = true, .administrator = true}, true, true, true, true},
      {"creditor of the case",
       {.authenticated = true, .case_creditor = true},
       true,
       true,
       false,
       true},
      {"the record's own creditor",
       {.authenticated = true, .case_creditor = true, .party = true},
       true,
       true,
       true,
       true},
      // Negative space: relations without a verified signature count for nothing.
      {"unsigned with court flags",
       {.authenticated = false,
        .court = true,
        .administrator = true,
        .case_creditor = true,
        .party = true},
       true,
       false,
       false,
       false},
  };
  for (const Expectation& e : table) {
    const bool expected[] = {e.public_, e.case_, e.party, e.own};
    for (int i = 0; i < 4; ++i) {
      EXPECT_EQ(MayRead(kClasses[i], e.relation), expected[i]) << e.caller << ", class " << i;
    }
  }
}

TEST(NotFoundTest, SameAnswerWhateverTheReason) {
  Status missing = NotFound("claim");
  EXPECT_EQ(missing.code(), pb::Status::NOT_FOUND);
  EXPECT_EQ(missing.message(), "no such claim");
}

TEST(RedactTest, KeepsNameAndKindOnly) {
  pb::CaseCreditor creditor;
  creditor.set_id("c1");
  creditor.set_case_id("case");
  creditor.set_name("Li Lei");
  creditor.set_kind(pb::CREDITOR_KIND_PERSON);
  creditor.set_id_number("440301199001010011");
  creditor.set_service_address("Nanshan");
  creditor.set_bound_account_id("acct");
  creditor.set_basis("books");
  RedactCreditorIdentity(creditor);
  EXPECT_EQ(creditor.name(), "Li Lei");
  EXPECT_EQ(creditor.id(), "c1");
  EXPECT_TRUE(creditor.id_number().empty());
  EXPECT_TRUE(creditor.service_address().empty());
  EXPECT_TRUE(creditor.bound_account_id().empty());
  EXPECT_TRUE(creditor.basis().empty());
}

class RelationTest : public contracts::testing::WorkflowTest {
 protected:
  void SetUp() override {
    WorkflowTest::SetUp();
    Register('C', 'l', pb::ROLE_CLERK);
    Register('C', 'o', pb::ROLE_ORG_ADMIN);
    Register('w', 'n', pb::ROLE_ADMINISTRATOR_MEMBER);  // member of kingwood, not appointed
    supplier_ = BoundCreditor('a', "Shenzhen Supply Co.", kSupplierCode);
    bank_ = BoundCreditor('f', "Bank of Example", kBankCode);
    tax_ = AddCreditor(pb::CREDITOR_KIND_DEPARTMENT, "Tax bureau", kTaxCode, "tax");
  }

  pb::Account Account(char key) const {
    std::optional<pb::Account> account = h_.executor().LoadAccount(h_.state(), AccountId(key));
    EXPECT_TRUE(account.has_value()) << key;
    return account.value_or(pb::Account());
  }

  CallerRelation Relation(char key, PrivacyClass privacy, const std::string& party = "") {
    pb::Account caller = Account(key);
    std::optional<pb::CaseCreditor> creditor = contracts::LoadCreditor(h_.state(), party);
    return RelationTo(h_.state(), &caller, CurrentCase(), privacy, creditor ? &*creditor : nullptr);
  }

  bool May(char key, PrivacyClass privacy, const std::string& party = "") {
    return MayRead(privacy, Relation(key, privacy, party));
  }

  std::string supplier_, bank_, tax_;
};

TEST_F(RelationTest, CourtMeansJudgesAndClerksOfTheCasesCourtOnly) {
  EXPECT_TRUE(Relation('j', PrivacyClass::kCase).court);
  EXPECT_TRUE(Relation('l', PrivacyClass::kCase).court);
  EXPECT_FALSE(Relation('o', PrivacyClass::kCase).court);  // the court's org admin
  EXPECT_FALSE(Relation('k', PrivacyClass::kCase).court);  // judge of another court
  EXPECT_FALSE(May('k', PrivacyClass::kCase));
  EXPECT_FALSE(May('k', PrivacyClass::kParty, supplier_));
  EXPECT_TRUE(May('l', PrivacyClass::kParty, supplier_));
}

TEST_F(RelationTest, AdministratorMeansMembersOfTheFirmAppointedNow) {
  EXPECT_TRUE(Relation('m', PrivacyClass::kCase).administrator);
  // An account of the appointed firm without the member role.
  Register('z', 'q', pb::ROLE_ORG_ADMIN);
  EXPECT_FALSE(Relation('q', PrivacyClass::kCase).administrator);
  EXPECT_FALSE(May('n', PrivacyClass::kCase));  // member of another firm
  EXPECT_FALSE(May('n', PrivacyClass::kParty, supplier_));
  Ok('j', [&](pb::TxBody& b) {
    b.mutable_replace_administrator()->set_case_id(case_id_);
    b.mutable_replace_administrator()->set_firm_org_id("kingwood");
    b.mutable_replace_administrator()->set_reason("conflict of interest");
  });
  EXPECT_FALSE(May('m', PrivacyClass::kCase));  // the replaced firm
  EXPECT_TRUE(May('n', PrivacyClass::kCase));
  EXPECT_TRUE(May('n', PrivacyClass::kParty, supplier_));
}

TEST_F(RelationTest, CreditorsReadTheCaseAndTheirOwnPartyRecordsOnly) {
  EXPECT_TRUE(May('a', PrivacyClass::kCase));
  EXPECT_TRUE(May('a', PrivacyClass::kParty, supplier_));
  EXPECT_FALSE(May('a', PrivacyClass::kParty, bank_));
  EXPECT_TRUE(May('f', PrivacyClass::kParty, bank_));
  // A self-registered account not bound to any entry of the case.
  EXPECT_FALSE(May('x', PrivacyClass::kCase));
  EXPECT_FALSE(May('x', PrivacyClass::kParty, supplier_));
  EXPECT_TRUE(May('x', PrivacyClass::kOwn));
  EXPECT_TRUE(May('x', PrivacyClass::kPublic));
}

TEST_F(RelationTest, DepartmentOfficersActForTheirDepartmentsEntries) {
  EXPECT_TRUE(May('t', PrivacyClass::kCase));
  EXPECT_TRUE(May('t', PrivacyClass::kParty, tax_));
  EXPECT_FALSE(May('t', PrivacyClass::kParty, supplier_));
  EXPECT_FALSE(May('s', PrivacyClass::kCase));  // social insurance has no entry in this case
}

TEST_F(RelationTest, CreditorOfAnotherCaseIsAStrangerHere) {
  std::string other_case = AcceptCase(pb::PROCEDURE_LIQUIDATION, "(2026)粤03破2号");
  std::string saved = case_id_;
  case_id_ = other_case;
  std::string entry = BoundCreditor('b', "Li Lei", "440301199001010011");
  EXPECT_TRUE(May('b', PrivacyClass::kCase));
  EXPECT_TRUE(May('b', PrivacyClass::kParty, entry));
  case_id_ = saved;
  EXPECT_FALSE(May('b', PrivacyClass::kCase));
  // The entry belongs to another case: no party relation to this one's records.
  EXPECT_FALSE(May('b', PrivacyClass::kParty, entry));
}

TEST_F(RelationTest, UnsignedAndRevokedCallersSeePublicOnly) {
  for (PrivacyClass privacy : kClasses) {
    CallerRelation none = RelationTo(h_.state(), nullptr, CurrentCase(), privacy);
    EXPECT_EQ(MayRead(privacy, none), privacy == PrivacyClass::kPublic);
    pb::Account revoked = Account('j');
    revoked.set_status(pb::ACCOUNT_STATUS_REVOKED);
    CallerRelation relation = RelationTo(h_.state(), &revoked, CurrentCase(), privacy);
    EXPECT_FALSE(relation.authenticated);
    EXPECT_EQ(MayRead(privacy, relation), privacy == PrivacyClass::kPublic);
  }
}

TEST_F(RelationTest, CourtAndAdministratorSeeCreditorIdentitiesCreditorsDoNot) {
  EXPECT_TRUE(SeesCreditorIdentities(Relation('j', PrivacyClass::kCase)));
  EXPECT_TRUE(SeesCreditorIdentities(Relation('m', PrivacyClass::kCase)));
  EXPECT_FALSE(SeesCreditorIdentities(Relation('a', PrivacyClass::kCase)));
  EXPECT_FALSE(SeesCreditorIdentities(CallerRelation{}));
}

}  // namespace
}  // namespace onechain::node
