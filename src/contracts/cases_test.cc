// Proves the case contract: roster, acceptance with field checks, appointment from the roster,
// claim-period and first-meeting bounds judged by block time (EBL 45, 62), termination, and that
// only the court's judges act.
#include "contracts/cases.h"

#include <gtest/gtest.h>

#include "contracts/workflow_fixture.h"

namespace onechain::contracts {
namespace {

using testing::CreditCode;
using testing::Key;

pb::Genesis MakeGenesis() { return testing::WorkflowGenesis(); }

// A demo network whose statutory day lasts one second of block time.
pb::Genesis ShortDayGenesis() {
  pb::Genesis genesis = testing::WorkflowGenesis();
  genesis.mutable_params()->set_day_ms(1000);
  return genesis;
}

class CasesTest : public ::testing::Test {
 protected:
  explicit CasesTest(pb::Genesis genesis = MakeGenesis()) : h_(std::move(genesis)) {
    Register('C', 'j', pb::ROLE_JUDGE);
    Register('D', 'k', pb::ROLE_JUDGE);
    Register('C', 'l', pb::ROLE_CLERK);
  }

  void Register(char admin, char key, pb::Role role) {
    pb::TxBody body = h_.Body(Key(admin));
    body.mutable_register_account()->set_public_key(Key(key));
    body.mutable_register_account()->add_roles(role);
    body.mutable_register_account()->set_display_name("member");
    ASSERT_EQ(h_.Run(body).code(), pb::Status::OK);
  }

  pb::Receipt AddFirm(char signer, const std::string& firm, char admin_key) {
    pb::TxBody body = h_.Body(Key(signer));
    auto* a = body.mutable_add_roster_firm();
    a->set_firm_org_id(firm);
    a->set_firm_name("Zhonglun Law Firm");
    a->set_admin_public_key(Key(admin_key));
    a->set_admin_name("Partner Chen");
    return h_.Run(body);
  }

  pb::Receipt Accept(char signer, const std::string& number, const std::string& code) {
    pb::TxBody body = h_.Body(Key(signer));
    auto* a = body.mutable_accept_case();
    a->set_case_number(number);
    a->set_debtor_name("Shenzhen Example Manufacturing Co., Ltd.");
    a->set_debtor_credit_code(code);
    a->set_procedure(pb::PROCEDURE_LIQUIDATION);
    a->set_acceptance_date("2026-11-20");
    return h_.Run(body);
  }

  std::string AcceptedCase() {
    pb::Receipt receipt = Accept('j', "(2026)粤03破1号", CreditCode("91440300MA5F00000"));
    EXPECT_EQ(receipt.code(), pb::Status::OK) << receipt.message();
    return receipt.record_id();
  }

  pb::Receipt SetPeriod(const std::string& case_id, int64_t end_ms, int64_t meeting_ms) {
    pb::TxBody body = h_.Body(Key('j'));
    body.mutable_set_claim_period()->set_case_id(case_id);
    body.mutable_set_claim_period()->set_claim_period_end_ms(end_ms);
    body.mutable_set_claim_period()->set_first_meeting_ms(meeting_ms);
    return h_.Run(body);
  }

  testing::Harness h_;
};

TEST(CreditCode, ChecksTheCheckCharacter) {
  std::string code = CreditCode("91440300MA5F00000");
  EXPECT_TRUE(IsValidCreditCode(code));
  std::string altered = code;
  altered[10] = altered[10] == '1' ? '2' : '1';
  EXPECT_FALSE(IsValidCreditCode(altered));
  EXPECT_FALSE(IsValidCreditCode("91440300MA5F0000"));     // 16 characters
  EXPECT_FALSE(IsValidCreditCode("9144030OMA5F000001"));   // O is not in the alphabet
  EXPECT_TRUE(IsValidCreditCode("914403001922038216"));    // a registered company's code
}

TEST(Dates, OnlyRealCalendarDates) {
  EXPECT_TRUE(IsValidDate("2024-02-29"));
  EXPECT_FALSE(IsValidDate("2026-02-29"));
  EXPECT_FALSE(IsValidDate("2026-13-01"));
  EXPECT_FALSE(IsValidDate("2026/11/20"));
}

TEST_F(CasesTest, JudgeAcceptsCaseAsPublicRecord) {
  std::string id = AcceptedCase();
  std::optional<pb::Case> record = LoadCase(h_.state(), id);
  ASSERT_TRUE(record.has_value());
  EXPECT_EQ(record->court_org_id(), "court");
  EXPECT_EQ(record->status(), pb::CASE_STATUS_ACCEPTED);
  EXPECT_EQ(record->accepted_time_ms(), h_.time_ms());
  EXPECT_EQ(id, CaseIdFor(h_.executor().suite(), "court", "(2026)粤03破1号"));
  // The same number again at the same court is refused.
  EXPECT_EQ(Accept('j', "(2026)粤03破1号", CreditCode("91440300MA5F00000")).code(),
            pb::Status::ALREADY_EXISTS);
}

TEST_F(CasesTest, AcceptanceFieldsAreChecked) {
  EXPECT_EQ(Accept('j', "", CreditCode("91440300MA5F00000")).code(), pb::Status::INVALID_ARGUMENT);
  pb::Receipt bad_code = Accept('j', "(2026)粤03破2号", "914403000000000000");
  EXPECT_EQ(bad_code.code(), pb::Status::INVALID_ARGUMENT);
  EXPECT_NE(bad_code.message().find("debtor_credit_code"), std::string::npos);
  EXPECT_EQ(Accept('l', "(2026)粤03破3号", CreditCode("91440300MA5F00000")).code(),
            pb::Status::UNAUTHORIZED);  // a clerk is no judge
}

TEST_F(CasesTest, AppointmentNeedsAnActiveRosterFirm) {
  std::string id = AcceptedCase();
  pb::TxBody appoint = h_.Body(Key('j'));
  appoint.mutable_appoint_administrator()->set_case_id(id);
  appoint.mutable_appoint_administrator()->set_firm_org_id("zhonglun");
  EXPECT_EQ(h_.Run(appoint).code(), pb::Status::FAILED_PRECONDITION);

  ASSERT_EQ(AddFirm('j', "zhonglun", 'z').code(), pb::Status::OK);
  auto firm_admin = h_.executor().LoadAccountByKey(h_.state(), Key('z'));
  ASSERT_TRUE(firm_admin.has_value());
  EXPECT_EQ(firm_admin->org_id(), "zhonglun");
  // Another court's roster does not count.
  EXPECT_EQ(AddFirm('k', "kingandwood", 'w').code(), pb::Status::OK);

  appoint = h_.Body(Key('j'));
  appoint.mutable_appoint_administrator()->set_case_id(id);
  appoint.mutable_appoint_administrator()->set_firm_org_id("kingandwood");
  EXPECT_EQ(h_.Run(appoint).code(), pb::Status::FAILED_PRECONDITION);
  appoint = h_.Body(Key('j'));
  appoint.mutable_appoint_administrator()->set_case_id(id);
  appoint.mutable_appoint_administrator()->set_firm_org_id("zhonglun");
  EXPECT_EQ(h_.Run(appoint).code(), pb::Status::OK);
  EXPECT_EQ(LoadCase(h_.state(), id)->administrator_org_id(), "zhonglun");
}

TEST_F(CasesTest, AnotherCourtCannotActOnTheCase) {
  std::string id = AcceptedCase();
  pb::TxBody terminate = h_.Body(Key('k'));
  terminate.mutable_terminate_case()->set_case_id(id);
  terminate.mutable_terminate_case()->set_reason("no assets");
  EXPECT_EQ(h_.Run(terminate).code(), pb::Status::UNAUTHORIZED);
  EXPECT_EQ(LoadCase(h_.state(), id)->status(), pb::CASE_STATUS_ACCEPTED);
}

TEST_F(CasesTest, ClaimPeriodBoundsAreExactInBlockTime) {
  std::string id = AcceptedCase();
  int64_t accepted = LoadCase(h_.state(), id)->accepted_time_ms();
  int64_t day = kMsPerDay;
  EXPECT_EQ(SetPeriod(id, accepted + 30 * day - 1, accepted + 31 * day).code(),
            pb::Status::INVALID_ARGUMENT);
  EXPECT_EQ(SetPeriod(id, accepted + 90 * day + 1, accepted + 91 * day).code(),
            pb::Status::INVALID_ARGUMENT);
  // First meeting more than 15 days after the period, or before its end.
  EXPECT_EQ(SetPeriod(id, accepted + 30 * day, accepted + 45 * day + 1).code(),
            pb::Status::INVALID_ARGUMENT);
  EXPECT_EQ(SetPeriod(id, accepted + 30 * day, accepted + 30 * day).code(),
            pb::Status::INVALID_ARGUMENT);
  EXPECT_EQ(SetPeriod(id, accepted + 30 * day, accepted + 45 * day).code(), pb::Status::OK);
  EXPECT_EQ(SetPeriod(id, accepted + 90 * day, accepted + 91 * day).code(), pb::Status::OK);
  // Once the period has ended, it cannot be reset.
  h_.AdvanceTime(90 * day);
  EXPECT_EQ(SetPeriod(id, accepted + 90 * day, accepted + 91 * day).code(),
            pb::Status::FAILED_PRECONDITION);
}

class ShortDayCasesTest : public CasesTest {
 protected:
  ShortDayCasesTest() : CasesTest(ShortDayGenesis()) {}
};

TEST(DaysToMs, ZeroMeansARealDay) {
  pb::NetworkParams params;
  EXPECT_EQ(DaysToMs(params, 15), 15 * kMsPerDay);
  params.set_day_ms(1000);
  EXPECT_EQ(DaysToMs(params, 15), 15'000);
  params.set_day_ms(86'400'000);
  EXPECT_EQ(DaysToMs(params, 4'000'000'000u), 4'000'000'000LL * kMsPerDay);  // no overflow
}

// The same statutory bounds (30 to 90 days, first meeting within 15 days) in one-second days.
TEST_F(ShortDayCasesTest, ClaimPeriodBoundsFollowTheNetworksDay) {
  std::string id = AcceptedCase();
  int64_t accepted = LoadCase(h_.state(), id)->accepted_time_ms();
  int64_t day = 1000;
  EXPECT_EQ(SetPeriod(id, accepted + 30 * day - 1, accepted + 31 * day).code(),
            pb::Status::INVALID_ARGUMENT);
  EXPECT_EQ(SetPeriod(id, accepted + 90 * day + 1, accepted + 91 * day).code(),
            pb::Status::INVALID_ARGUMENT);
  EXPECT_EQ(SetPeriod(id, accepted + 30 * day, accepted + 45 * day + 1).code(),
            pb::Status::INVALID_ARGUMENT);
  EXPECT_EQ(SetPeriod(id, accepted + 30 * day, accepted + 45 * day).code(), pb::Status::OK);
  // A real-day period is far too long here.
  EXPECT_EQ(SetPeriod(id, accepted + 45 * kMsPerDay, accepted + 46 * kMsPerDay).code(),
            pb::Status::INVALID_ARGUMENT);
}

TEST_F(CasesTest, TerminatedCaseRefusesEveryAct) {
  std::string id = AcceptedCase();
  pb::TxBody terminate = h_.Body(Key('j'));
  terminate.mutable_terminate_case()->set_case_id(id);
  terminate.mutable_terminate_case()->set_reason("distribution completed");
  ASSERT_EQ(h_.Run(terminate).code(), pb::Status::OK);
  int64_t accepted = LoadCase(h_.state(), id)->accepted_time_ms();
  EXPECT_EQ(SetPeriod(id, accepted + 30 * kMsPerDay, accepted + 31 * kMsPerDay).code(),
            pb::Status::FAILED_PRECONDITION);
  terminate = h_.Body(Key('j'));
  terminate.mutable_terminate_case()->set_case_id(id);
  terminate.mutable_terminate_case()->set_reason("again");
  EXPECT_EQ(h_.Run(terminate).code(), pb::Status::FAILED_PRECONDITION);
}

TEST_F(CasesTest, RosterFirmCanBeDeactivated) {
  ASSERT_EQ(AddFirm('C', "zhonglun", 'z').code(), pb::Status::OK);  // the court's admin may
  EXPECT_EQ(AddFirm('j', "zhonglun", 'y').code(), pb::Status::ALREADY_EXISTS);
  EXPECT_EQ(AddFirm('T', "taxfirm", 'x').code(), pb::Status::UNAUTHORIZED);
  pb::TxBody off = h_.Body(Key('j'));
  off.mutable_set_roster_firm_active()->set_firm_org_id("zhonglun");
  off.mutable_set_roster_firm_active()->set_active(false);
  ASSERT_EQ(h_.Run(off).code(), pb::Status::OK);
  std::string id = AcceptedCase();
  pb::TxBody appoint = h_.Body(Key('j'));
  appoint.mutable_appoint_administrator()->set_case_id(id);
  appoint.mutable_appoint_administrator()->set_firm_org_id("zhonglun");
  EXPECT_EQ(h_.Run(appoint).code(), pb::Status::FAILED_PRECONDITION);
}

}  // namespace
}  // namespace onechain::contracts
