// Event ids, the set of types and the classification of committed acts.
#include "node/events.h"

#include <gtest/gtest.h>

#include <functional>
#include <map>

#include "contracts/cases.h"
#include "contracts/grants.h"
#include "contracts/workflow.h"

namespace onechain::node {
namespace {

class MapState : public contracts::StateReader {
 public:
  std::optional<std::string> Get(std::string_view key) const override {
    auto it = values.find(std::string(key));
    if (it == values.end()) return std::nullopt;
    return it->second;
  }
  std::map<std::string, std::string> values;
};

TEST(EventIdTest, ParsesHeightAndIndexAndRefusesTheRest) {
  auto id = ParseEventId("1042.3");
  ASSERT_TRUE(id);
  EXPECT_EQ(id->height, 1042u);
  EXPECT_EQ(id->index, 3u);
  EXPECT_EQ(EventId(*id), "1042.3");
  auto block = ParseEventId("7");
  ASSERT_TRUE(block);
  EXPECT_EQ(block->index, UINT32_MAX);  // after the whole block
  EXPECT_EQ(EventId(*block), "7");
  for (const char* bad : {"", ".", "7.", ".3", "x.1", "1.x", "-1.0", "1.2.3", "1 .2",
                          "99999999999999999999.0", "1.99999999999"}) {
    EXPECT_FALSE(ParseEventId(bad)) << bad;
  }
}

TEST(EventTypesTest, EveryWorkflowActionHasOneAndGovernanceNone) {
  const std::set<std::string>& types = EventTypes();
  for (const char* type :
       {"case.accepted", "notice.sent", "notice.acknowledged", "claim.declared", "claim.reviewed",
        "claim.review_notice_sent", "claim.objected", "meeting.convened", "ballot.cast",
        "distribution.proposed", "payment.recorded", "recruitment.published"}) {
    EXPECT_TRUE(types.contains(type)) << type;
  }
  EXPECT_EQ(types.size(), 34u);  // every workflow and data-grant action of tx.proto
  for (const char* type : {"data.requested", "data.answered", "data.revoked", "data.accessed"}) {
    EXPECT_TRUE(types.contains(type)) << type;
  }
  MapState state;
  pb::TxBody body;
  body.mutable_register_account()->set_display_name("x");
  pb::Receipt ok;
  ok.set_code(pb::Status::OK);
  EXPECT_FALSE(ClassifyTx(state, body, ok));
}

TEST(ClassifyTxTest, CaseActsArePublicAndFailedActsMakeNoEvent) {
  MapState state;
  pb::TxBody body;
  body.mutable_appoint_administrator()->set_case_id("c1");
  pb::Receipt receipt;
  receipt.set_code(pb::Status::OK);
  receipt.set_height(9);
  receipt.set_index(2);
  receipt.set_record_id("zhonglun");
  auto event = ClassifyTx(state, body, receipt);
  ASSERT_TRUE(event);
  EXPECT_EQ(event->event.type(), "case.administrator_appointed");
  EXPECT_EQ(event->event.case_id(), "c1");
  EXPECT_EQ(event->event.id(), "9.2");
  EXPECT_EQ(event->privacy, PrivacyClass::kPublic);
  EXPECT_TRUE(MaySee(state, nullptr, *event));
  receipt.set_code(pb::Status::UNAUTHORIZED);
  EXPECT_FALSE(ClassifyTx(state, body, receipt));
  // A notice whose record is unknown to state makes no event (nothing to place it in a case).
  pb::TxBody notice;
  notice.mutable_send_claim_notice()->set_creditor_id("e1");
  receipt.set_code(pb::Status::OK);
  receipt.set_record_id("n1");
  EXPECT_FALSE(ClassifyTx(state, notice, receipt));
}

TEST(ClassifyTxTest, PartyEventsAreHiddenFromThePublic) {
  MapState state;
  pb::TxBody body;
  body.mutable_add_known_creditor()->set_case_id("c1");
  pb::CaseCreditor entry;
  entry.set_id("e1");
  entry.set_case_id("c1");
  state.values[contracts::CreditorKey("e1")] = entry.SerializeAsString();
  pb::Receipt receipt;
  receipt.set_code(pb::Status::OK);
  receipt.set_record_id("e1");
  auto event = ClassifyTx(state, body, receipt);
  ASSERT_TRUE(event);
  EXPECT_EQ(event->event.type(), "creditor.listed");
  EXPECT_EQ(event->event.creditor_id(), "e1");
  EXPECT_EQ(event->privacy, PrivacyClass::kParty);
  EXPECT_FALSE(MaySee(state, nullptr, *event));
  // Its signer sees its own act even without any relation to the case in state.
  pb::Account signer;
  signer.set_id("a1");
  signer.set_status(pb::ACCOUNT_STATUS_ACTIVE);
  event->event.set_signer_account_id("a1");
  EXPECT_TRUE(MaySee(state, &signer, *event));
  signer.set_status(pb::ACCOUNT_STATUS_REVOKED);
  EXPECT_FALSE(MaySee(state, &signer, *event));
}

// A data request reaches the department it addresses (its officers, and its organization's
// webhook), the court and the administrator it was made to; no other department, firm or
// creditor, and not the public.
TEST(ClassifyTxTest, DataRequestEventsReachTheAddressedDepartmentAndTheGrantsReadersOnly) {
  MapState state;
  pb::Case record;
  record.set_id("c1");
  record.set_court_org_id("court");
  record.set_administrator_org_id("zhonglun");
  state.values[contracts::CaseKey("c1")] = record.SerializeAsString();
  pb::Grant grant;
  grant.set_id("g1");
  grant.set_case_id("c1");
  grant.set_department_org_id("tax");
  grant.set_administrator_org_id("zhonglun");
  state.values[contracts::GrantKey("g1")] = grant.SerializeAsString();
  pb::TxBody body;
  body.mutable_request_records()->set_case_id("c1");
  pb::Receipt receipt;
  receipt.set_code(pb::Status::OK);
  receipt.set_record_id("g1");
  auto event = ClassifyTx(state, body, receipt);
  ASSERT_TRUE(event);
  EXPECT_EQ(event->event.type(), "data.requested");
  EXPECT_EQ(event->event.case_id(), "c1");
  EXPECT_EQ(event->event.record_id(), "g1");
  auto account = [](const std::string& org, pb::Role role) {
    pb::Account a;
    a.set_id(org + "-" + std::to_string(role));
    a.set_org_id(org);
    a.set_status(pb::ACCOUNT_STATUS_ACTIVE);
    a.add_roles(role);
    return a;
  };
  for (const pb::Account& who :
       {account("tax", pb::ROLE_DEPARTMENT_OFFICER), account("court", pb::ROLE_JUDGE),
        account("zhonglun", pb::ROLE_ADMINISTRATOR_MEMBER)}) {
    EXPECT_TRUE(MaySee(state, &who, *event)) << who.id();
  }
  pb::Account tax_webhook = OrgViewer("tax");
  EXPECT_TRUE(MaySee(state, &tax_webhook, *event));
  for (const pb::Account& who :
       {account("market", pb::ROLE_DEPARTMENT_OFFICER), account("kingwood", pb::ROLE_ADMINISTRATOR_MEMBER),
        account("tax", pb::ROLE_ORG_ADMIN), account("other-court", pb::ROLE_JUDGE),
        account("", pb::ROLE_CREDITOR)}) {
    EXPECT_FALSE(MaySee(state, &who, *event)) << who.id();
  }
  pb::Account market_webhook = OrgViewer("market");
  EXPECT_FALSE(MaySee(state, &market_webhook, *event));
  EXPECT_FALSE(MaySee(state, nullptr, *event));
  // The answer, the revocation and each access record follow the same rule.
  for (auto fill : std::vector<std::function<void(pb::TxBody&)>>{
           [](pb::TxBody& b) { b.mutable_answer_records()->set_grant_id("g1"); },
           [](pb::TxBody& b) { b.mutable_revoke_grant()->set_grant_id("g1"); },
           [](pb::TxBody& b) { b.mutable_record_access()->set_grant_id("g1"); }}) {
    pb::TxBody act;
    fill(act);
    auto e = ClassifyTx(state, act, receipt);
    ASSERT_TRUE(e);
    pb::Account officer = account("tax", pb::ROLE_DEPARTMENT_OFFICER);
    pb::Account other = account("market", pb::ROLE_DEPARTMENT_OFFICER);
    EXPECT_TRUE(MaySee(state, &officer, *e)) << e->event.type();
    EXPECT_FALSE(MaySee(state, &other, *e)) << e->event.type();
  }
  // A grant unknown to state makes no event.
  receipt.set_record_id("g2");
  EXPECT_FALSE(ClassifyTx(state, body, receipt));
}

}  // namespace
}  // namespace onechain::node
