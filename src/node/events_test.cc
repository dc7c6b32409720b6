// Event ids, the set of types and the classification of committed acts.
#include "node/events.h"

#include <gtest/gtest.h>

#include <map>

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
  EXPECT_EQ(types.size(), 30u);  // every workflow action of tx.proto
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

}  // namespace
}  // namespace onechain::node
