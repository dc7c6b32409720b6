// Proves the review (EBL 57): outcomes derived from amounts per component, reasons required for
// what is not confirmed, material requests; the review-result notice and its objection window
// judged by block time (JI III 8), objections, re-review with the lawsuit deadline; the court's
// temporary voting amounts (EBL 59) and confirmation of undisputed claims (EBL 58).
#include "contracts/workflow_fixture.h"

namespace onechain::contracts {
namespace {

constexpr pb::Ranking kOrdinary = pb::RANKING_ORDINARY;

class ReviewTest : public testing::WorkflowTest {
 protected:
  void SetUp() override {
    WorkflowTest::SetUp();
    supplier_ = BoundCreditor('a', "Shenzhen Supply Co.", kSupplierCode);
    bank_ = BoundCreditor('f', "Bank of Example", kBankCode);
    claim_ = Declare('a', supplier_, Declaration(kSupplierCode, 100'000, 5'000));
  }

  std::function<void(pb::TxBody&)> ReviewWith(std::vector<std::pair<uint32_t, int64_t>> parts,
                                               pb::Ranking ranking, const std::string& reasons) {
    return [=, this](pb::TxBody& b) {
      auto* a = b.mutable_review_claim();
      a->set_claim_id(claim_);
      for (auto [index, confirmed] : parts) {
        auto* c = a->add_components();
        c->set_index(index);
        c->set_confirmed(confirmed);
        c->set_ranking(ranking);
        c->set_reason(reasons);
      }
      a->set_reasons(reasons);
    };
  }

  std::function<void(pb::TxBody&)> Objection(const std::string& objector) {
    return [=, this](pb::TxBody& b) {
      b.mutable_object_to_claim()->set_claim_id(claim_);
      b.mutable_object_to_claim()->set_objector_creditor_id(objector);
      b.mutable_object_to_claim()->set_reasons("the interest runs from 2025-01-01, not 2025-06-01");
      *b.mutable_object_to_claim()->add_attachments() = testing::File('o');
    };
  }

  std::function<void(pb::TxBody&)> Confirm(const std::vector<std::string>& ids) {
    return [=, this](pb::TxBody& b) {
      b.mutable_confirm_claims()->set_case_id(case_id_);
      for (const std::string& id : ids) b.mutable_confirm_claims()->add_claim_ids(id);
    };
  }

  std::string supplier_, bank_, claim_;
};

TEST_F(ReviewTest, OutcomeFollowsTheAmounts) {
  ASSERT_EQ(Review(claim_, {100'000, 5'000}, {kOrdinary, kOrdinary}).code(), pb::Status::OK);
  EXPECT_EQ(ClaimNow(claim_).review().outcome(), pb::REVIEW_OUTCOME_CONFIRMED);
  ASSERT_EQ(Review(claim_, {100'000, 2'000}, {kOrdinary, kOrdinary}, "interest rate too high")
                .code(),
            pb::Status::OK);
  pb::ReviewResult review = ClaimNow(claim_).review();
  EXPECT_EQ(review.outcome(), pb::REVIEW_OUTCOME_PARTLY_CONFIRMED);
  EXPECT_EQ(review.confirmed_total(), 102'000);
  EXPECT_EQ(review.not_confirmed(), 3'000);
  EXPECT_EQ(review.components(1).reason(), "interest rate too high");
  ASSERT_EQ(Review(claim_, {0, 0}, {kOrdinary, kOrdinary}, "no contract proven").code(),
            pb::Status::OK);
  EXPECT_EQ(ClaimNow(claim_).review().outcome(), pb::REVIEW_OUTCOME_REJECTED);
  EXPECT_EQ(ClaimNow(claim_).status(), pb::CLAIM_STATUS_REVIEWED);
}

TEST_F(ReviewTest, ReviewFieldsAreChecked) {
  Refused('m', pb::Status::INVALID_ARGUMENT, "reason", ReviewWith({{0, 90'000}, {1, 5'000}}, kOrdinary, ""));
  Refused('m', pb::Status::INVALID_ARGUMENT, "components[0].confirmed",
          ReviewWith({{0, 100'001}, {1, 5'000}}, kOrdinary, "x"));
  Refused('m', pb::Status::INVALID_ARGUMENT, "components[0].confirmed",
          ReviewWith({{0, -1}, {1, 5'000}}, kOrdinary, "x"));
  Refused('m', pb::Status::INVALID_ARGUMENT, "components", ReviewWith({{0, 100'000}}, kOrdinary, ""));
  Refused('m', pb::Status::INVALID_ARGUMENT, "components[1].index",
          ReviewWith({{0, 100'000}, {0, 100'000}}, kOrdinary, ""));
  Refused('m', pb::Status::INVALID_ARGUMENT, "components[0].ranking",
          ReviewWith({{0, 100'000}, {1, 5'000}}, pb::RANKING_UNSPECIFIED, ""));
  // SECURED needs a collateral, and the declaration claimed no security.
  Refused('m', pb::Status::INVALID_ARGUMENT, "collateral_id",
          ReviewWith({{0, 100'000}, {1, 5'000}}, pb::RANKING_SECURED, ""));
  Refused('m', pb::Status::INVALID_ARGUMENT, "SECURED", [&](pb::TxBody& b) {
    ReviewWith({{0, 100'000}, {1, 5'000}}, pb::RANKING_SECURED, "")(b);
    b.mutable_review_claim()->set_collateral_id("plant");
  });
  // Wrong roles: the creditor itself, the judge.
  Refused('a', pb::Status::UNAUTHORIZED, "administrator", ReviewWith({{0, 1}, {1, 1}}, kOrdinary, "x"));
  Refused('j', pb::Status::UNAUTHORIZED, "administrator", ReviewWith({{0, 1}, {1, 1}}, kOrdinary, "x"));
}

TEST_F(ReviewTest, MaterialRequestThenAmendment) {
  auto request = [&](int64_t deadline) {
    return [=, this](pb::TxBody& b) {
      b.mutable_request_material()->set_claim_id(claim_);
      b.mutable_request_material()->set_what("the delivery notes of March 2025");
      b.mutable_request_material()->set_deadline_ms(deadline);
    };
  };
  Refused('m', pb::Status::INVALID_ARGUMENT, "deadline_ms", request(h_.time_ms()));
  Ok('m', request(h_.time_ms() + 7 * kDay));
  EXPECT_EQ(ClaimNow(claim_).status(), pb::CLAIM_STATUS_MATERIAL_REQUESTED);
  auto inbox = GetCreditorInbox(h_.state(), AccountId('a'));
  ASSERT_EQ(inbox->notices_size(), 1);
  EXPECT_EQ(inbox->notices(0).kind(), pb::NOTICE_KIND_MATERIAL_REQUEST);
  pb::Declaration d = Declaration(kSupplierCode, 100'000, 5'000);
  *d.add_attachments() = testing::File('d');
  Ok('a', [&](pb::TxBody& b) {
    b.mutable_amend_claim()->set_claim_id(claim_);
    *b.mutable_amend_claim()->mutable_declaration() = d;
  });
  EXPECT_EQ(ClaimNow(claim_).status(), pb::CLAIM_STATUS_DECLARED);
  EXPECT_EQ(ClaimNow(claim_).declaration().attachments_size(), 2);
}

TEST_F(ReviewTest, ObjectionWindowIsJudgedByBlockTime) {
  ASSERT_EQ(Review(claim_, {100'000, 2'000}, {kOrdinary, kOrdinary}, "rate").code(), pb::Status::OK);
  Refused('a', pb::Status::FAILED_PRECONDITION, "review-result notice", Objection(supplier_));
  int64_t deadline = h_.time_ms() + 15 * kDay;
  Refused('m', pb::Status::INVALID_ARGUMENT, "objection_deadline_ms", [&](pb::TxBody& b) {
    b.mutable_send_review_notice()->set_claim_id(claim_);
    b.mutable_send_review_notice()->set_objection_deadline_ms(deadline - 1);
  });
  Notify(claim_, deadline);
  EXPECT_EQ(ClaimNow(claim_).status(), pb::CLAIM_STATUS_NOTIFIED);
  auto inbox = GetCreditorInbox(h_.state(), AccountId('a'));
  ASSERT_EQ(inbox->notices_size(), 1);
  EXPECT_EQ(inbox->notices(0).kind(), pb::NOTICE_KIND_REVIEW_RESULT);
  EXPECT_EQ(inbox->notices(0).deadline_ms(), deadline);
  // A stranger acts for no creditor of the case; the holder must name an entry it acts for.
  Refused('x', pb::Status::UNAUTHORIZED, "objector_creditor_id", Objection(supplier_));
  Refused('a', pb::Status::UNAUTHORIZED, "objector_creditor_id", Objection(bank_));
  h_.AdvanceTime(deadline - h_.time_ms());  // block time exactly at the deadline is inside
  Ok('a', Objection(supplier_));
  EXPECT_EQ(ClaimNow(claim_).status(), pb::CLAIM_STATUS_OBJECTED);
  Refused('a', pb::Status::ALREADY_EXISTS, "already objected", Objection(supplier_));
  Ok('f', Objection(bank_));  // another creditor of the case may object too (EBL 58)
  EXPECT_EQ(ClaimNow(claim_).objections_size(), 2);
  std::string third = BoundCreditor('b', "Li Lei", "440301199001010011");
  h_.AdvanceTime(1);
  Refused('b', pb::Status::FAILED_PRECONDITION, "objection window", Objection(third));
}

TEST_F(ReviewTest, ReReviewAfterObjectionSetsTheLawsuitDeadline) {
  ASSERT_EQ(Review(claim_, {100'000, 2'000}, {kOrdinary, kOrdinary}, "rate").code(), pb::Status::OK);
  Notify(claim_, h_.time_ms() + 15 * kDay);
  Ok('a', Objection(supplier_));
  ASSERT_EQ(Review(claim_, {100'000, 4'000}, {kOrdinary, kOrdinary}, "rate corrected").code(),
            pb::Status::OK);
  pb::Claim claim = ClaimNow(claim_);
  EXPECT_EQ(claim.status(), pb::CLAIM_STATUS_RE_REVIEWED);
  EXPECT_TRUE(claim.review().re_review());
  EXPECT_EQ(claim.review().confirmed_total(), 104'000);
  EXPECT_EQ(claim.lawsuit_deadline_ms(), CurrentCase().first_meeting_ms() + 15 * kDay);
  Refused('m', pb::Status::INVALID_ARGUMENT, "objection_deadline_ms", [&](pb::TxBody& b) {
    b.mutable_send_review_notice()->set_claim_id(claim_);
    b.mutable_send_review_notice()->set_objection_deadline_ms(h_.time_ms() + 20 * kDay);
  });
  Notify(claim_, 0);
  auto inbox = GetCreditorInbox(h_.state(), AccountId('a'));
  EXPECT_EQ(inbox->notices(inbox->notices_size() - 1).kind(), pb::NOTICE_KIND_RE_REVIEW_RESULT);
  EXPECT_EQ(inbox->notices(inbox->notices_size() - 1).deadline_ms(), claim.lawsuit_deadline_ms());
  Refused('a', pb::Status::FAILED_PRECONDITION, "review-result notice", Objection(supplier_));
  // The whole history: declared, reviewed, notified, objected, re-reviewed, notified.
  auto history = GetClaimHistory(h_.state(), claim_);
  std::vector<pb::ClaimEventKind> kinds;
  uint64_t last_height = 0;
  for (const pb::ClaimEvent& event : history->events()) {
    kinds.push_back(event.kind());
    EXPECT_GT(event.height(), last_height);
    last_height = event.height();
  }
  EXPECT_EQ(kinds, (std::vector<pb::ClaimEventKind>{
                       pb::CLAIM_EVENT_KIND_DECLARED, pb::CLAIM_EVENT_KIND_REVIEWED,
                       pb::CLAIM_EVENT_KIND_NOTIFIED, pb::CLAIM_EVENT_KIND_OBJECTED,
                       pb::CLAIM_EVENT_KIND_RE_REVIEWED, pb::CLAIM_EVENT_KIND_NOTIFIED}));
  EXPECT_EQ(history->events(1).claim().review().confirmed_total(), 102'000);  // earlier version
}

TEST_F(ReviewTest, CourtConfirmsOnlyUndisputedClaimsAfterTheFirstMeeting) {
  std::string bank_claim = ReviewedClaim('f', bank_, kBankCode, 70'000);
  ASSERT_EQ(Review(claim_, {0, 0}, {kOrdinary, kOrdinary}, "no contract").code(), pb::Status::OK);
  Notify(claim_, h_.time_ms() + 15 * kDay);
  h_.AdvanceTime(15 * kDay + 1);
  int64_t first_meeting = CurrentCase().first_meeting_ms();
  h_.AdvanceTime(first_meeting - h_.time_ms() - 1);
  Refused('j', pb::Status::FAILED_PRECONDITION, "first meeting", Confirm({bank_claim}));
  h_.AdvanceTime(1);
  std::string fresh = ReviewedClaim('f', bank_, kBankCode, 10'000);
  Refused('j', pb::Status::FAILED_PRECONDITION, "undisputed", Confirm({fresh}));  // window open
  Refused('m', pb::Status::UNAUTHORIZED, "judge", Confirm({bank_claim}));
  Refused('k', pb::Status::UNAUTHORIZED, "judge", Confirm({bank_claim}));
  Refused('j', pb::Status::NOT_FOUND, "claim_ids", Confirm({bank_claim, "nothing"}));
  Refused('j', pb::Status::FAILED_PRECONDITION, "rejected", Confirm({bank_claim, claim_}));
  Refused('j', pb::Status::INVALID_ARGUMENT, "claim_ids", Confirm({bank_claim, bank_claim}));
  Refused('j', pb::Status::INVALID_ARGUMENT, "claim_ids", Confirm({}));
  pb::Receipt ruling = Act('j', Confirm({bank_claim}));
  ASSERT_EQ(ruling.code(), pb::Status::OK) << ruling.message();
  EXPECT_EQ(ClaimNow(bank_claim).status(), pb::CLAIM_STATUS_CONFIRMED);
  EXPECT_EQ(ClaimNow(bank_claim).confirmed_height(), ruling.height());
  Refused('j', pb::Status::FAILED_PRECONDITION, "undisputed", Confirm({bank_claim}));  // twice
}

TEST_F(ReviewTest, TemporaryVotingAmountIsTheCourts) {
  auto temporary = [&](int64_t amount) {
    return [=, this](pb::TxBody& b) {
      b.mutable_set_temporary_voting_amount()->set_claim_id(claim_);
      b.mutable_set_temporary_voting_amount()->set_amount(amount);
    };
  };
  Refused('m', pb::Status::UNAUTHORIZED, "judge", temporary(50'000));
  Refused('j', pb::Status::INVALID_ARGUMENT, "amount", temporary(105'001));
  Refused('j', pb::Status::INVALID_ARGUMENT, "amount", temporary(-1));
  Ok('j', temporary(50'000));
  EXPECT_TRUE(ClaimNow(claim_).has_temporary_voting_amount());
  EXPECT_EQ(ClaimNow(claim_).temporary_voting_amount(), 50'000);
  Ok('j', temporary(0));
  EXPECT_FALSE(ClaimNow(claim_).has_temporary_voting_amount());
}

TEST_F(ReviewTest, ClaimFormListsEveryClaimWithTotals) {
  std::string bank_claim = ReviewedClaim('f', bank_, kBankCode, 70'000);
  ASSERT_EQ(Review(claim_, {100'000, 2'000}, {kOrdinary, pb::RANKING_SUBORDINATED}, "rate").code(),
            pb::Status::OK);
  auto form = GetClaimForm(h_.state(), case_id_, {0, 1});
  ASSERT_TRUE(form.ok());
  EXPECT_EQ(form->claim_count(), 2u);
  ASSERT_EQ(form->rows_size(), 1);
  EXPECT_EQ(form->next_offset(), 1u);
  EXPECT_EQ(form->rows(0).claim_id(), claim_);
  EXPECT_EQ(form->rows(0).creditor_name(), "Shenzhen Supply Co.");
  EXPECT_EQ(form->rows(0).outcome(), pb::REVIEW_OUTCOME_PARTLY_CONFIRMED);
  EXPECT_EQ(form->declared_total(), 105'000 + 70'000);
  EXPECT_EQ(form->confirmed_total(), 102'000 + 70'000);
  EXPECT_EQ(form->confirmed_by_ranking(pb::RANKING_ORDINARY), 170'000);
  EXPECT_EQ(form->confirmed_by_ranking(pb::RANKING_SUBORDINATED), 2'000);
  auto second = GetClaimForm(h_.state(), case_id_, {1, 1});
  EXPECT_EQ(second->rows(0).claim_id(), bank_claim);
  EXPECT_EQ(second->next_offset(), 0u);
  EXPECT_FALSE(GetClaimForm(h_.state(), case_id_, {0, 0}).ok());
  EXPECT_EQ(GetClaimForm(h_.state(), "nocase", {0, 10}).status().code(), pb::Status::NOT_FOUND);
}

}  // namespace
}  // namespace onechain::contracts
