// Proves creditors' meetings: the first meeting convened by the court at the set time (EBL 62),
// motions, ballots inside the voting window by block time, one ballot per creditor, no ballot
// from a non-creditor, eligibility (EBL 59), the chain's tally for ordinary resolutions (EBL 64),
// compromise (EBL 97) and reorganization plans by class (EBL 82, 84), adoption and approval of a
// plan, and public recruitment notices.
#include "contracts/workflow_fixture.h"

namespace onechain::contracts {
namespace {

class MeetingsTest : public testing::WorkflowTest {
 protected:
  // Creditors a, b, e of the current case with claims reviewed in full as ordinary, notified,
  // and the objection window over.
  void ThreeCreditors(int64_t a_amount, int64_t b_amount, int64_t e_amount) {
    supplier_ = BoundCreditor('a', "Shenzhen Supply Co.", kSupplierCode);
    person_ = BoundCreditor('b', "Li Lei", "440301199001010011");
    other_ = BoundCreditor('e', "Wang Fang", "440301198505050022");
    ReviewedClaim('a', supplier_, kSupplierCode, a_amount);
    ReviewedClaim('b', person_, "440301199001010011", b_amount);
    ReviewedClaim('e', other_, "440301198505050022", e_amount);
    h_.AdvanceTime(15 * kDay + 1);
  }

  std::string ProposePlan(pb::PlanKind kind) {
    return Ok('m', [&](pb::TxBody& b) {
      auto* a = b.mutable_propose_plan();
      a->set_case_id(case_id_);
      a->set_kind(kind);
      a->set_title("draft plan");
      *a->mutable_document() = testing::File('P');
    });
  }

  pb::MotionResult ResultOf(const std::string& meeting, int index) {
    return LoadMeeting(h_.state(), meeting)->motions(index).result();
  }

  void OpenVoting() { h_.AdvanceTime(kHour); }
  void EndVoting() { h_.AdvanceTime(24 * kHour); }

  std::string supplier_, person_, other_;
};

TEST_F(MeetingsTest, TheCourtConvenesTheFirstMeetingAtTheSetTime) {
  int64_t first = CurrentCase().first_meeting_ms();
  auto convene = [&](int64_t start) {
    return [=, this](pb::TxBody& b) {
      auto* a = b.mutable_convene_meeting();
      a->set_case_id(case_id_);
      a->set_kind(pb::MEETING_KIND_FIRST);
      a->set_start_ms(start);
      a->set_vote_end_ms(start + 8 * kHour);
      a->set_place("Court room 3");
    };
  };
  Refused('j', pb::Status::INVALID_ARGUMENT, "start_ms", convene(first + 1));
  Refused('m', pb::Status::UNAUTHORIZED, "judge", convene(first));
  Refused('j', pb::Status::INVALID_ARGUMENT, "vote_end_ms", [&](pb::TxBody& b) {
    convene(first)(b);
    b.mutable_convene_meeting()->set_vote_end_ms(first);
  });
  std::string id = Ok('j', convene(first));
  EXPECT_EQ(CurrentCase().first_meeting_id(), id);
  EXPECT_EQ(LoadMeeting(h_.state(), id)->start_ms(), first);
  Refused('j', pb::Status::ALREADY_EXISTS, "first meeting", convene(first));
  Refused('a', pb::Status::UNAUTHORIZED, "administrator", [&](pb::TxBody& b) {
    auto* a = b.mutable_convene_meeting();
    a->set_case_id(case_id_);
    a->set_kind(pb::MEETING_KIND_SUBSEQUENT);
    a->set_start_ms(h_.time_ms() + kHour);
    a->set_vote_end_ms(h_.time_ms() + 2 * kHour);
    a->set_place("online");
  });
}

TEST_F(MeetingsTest, OrdinaryResolutionByHeadsAndAmounts) {
  ThreeCreditors(600, 300, 100);
  std::string meeting = Convene();
  std::string motion = Ok('m', Motion(meeting, pb::MOTION_KIND_ORDINARY));
  Refused('m', pb::Status::INVALID_ARGUMENT, "plan_id", Motion(meeting, pb::MOTION_KIND_COMPROMISE));
  Refused('a', pb::Status::UNAUTHORIZED, "administrator", Motion(meeting, pb::MOTION_KIND_ORDINARY));
  Refused('a', pb::Status::FAILED_PRECONDITION, "voting", Ballot(motion, supplier_, pb::BALLOT_CHOICE_YES));
  OpenVoting();
  Refused('m', pb::Status::FAILED_PRECONDITION, "started", Motion(meeting, pb::MOTION_KIND_ORDINARY));
  Ok('a', Ballot(motion, supplier_, pb::BALLOT_CHOICE_YES));
  Refused('a', pb::Status::ALREADY_EXISTS, "already voted",
          Ballot(motion, supplier_, pb::BALLOT_CHOICE_NO));
  Refused('x', pb::Status::UNAUTHORIZED, "creditor_id", Ballot(motion, person_, pb::BALLOT_CHOICE_NO));
  Refused('m', pb::Status::UNAUTHORIZED, "creditor_id", Ballot(motion, person_, pb::BALLOT_CHOICE_NO));
  Refused('b', pb::Status::INVALID_ARGUMENT, "choice", Ballot(motion, person_, pb::BALLOT_CHOICE_UNSPECIFIED));
  Ok('b', Ballot(motion, person_, pb::BALLOT_CHOICE_NO));
  Refused('m', pb::Status::FAILED_PRECONDITION, "runs until", Close(motion));
  EndVoting();
  Refused('e', pb::Status::FAILED_PRECONDITION, "voting", Ballot(motion, other_, pb::BALLOT_CHOICE_YES));
  Refused('a', pb::Status::UNAUTHORIZED, "administrator", Close(motion));
  Ok('m', Close(motion));
  pb::MotionResult result = ResultOf(meeting, 0);
  EXPECT_TRUE(result.closed());
  EXPECT_EQ(result.present(), 2u);
  EXPECT_EQ(result.yes(), 1u);
  EXPECT_EQ(result.no(), 1u);
  EXPECT_EQ(result.yes_amount(), 600);
  EXPECT_EQ(result.base_amount(), 1000);
  EXPECT_FALSE(result.passed());  // 1 of 2 present is not more than half
  Refused('m', pb::Status::FAILED_PRECONDITION, "closed", Close(motion));
  auto view = GetMeetingResults(h_.state(), meeting);
  ASSERT_TRUE(view.ok());
  EXPECT_EQ(view->ballots_cast(0), 2u);
}

TEST_F(MeetingsTest, SameBallotsPassAnOrdinaryResolutionButNotACompromise) {
  case_id_ = AcceptCase(pb::PROCEDURE_COMPROMISE, "(2026)粤03破2号");
  ThreeCreditors(600, 350, 50);
  std::string plan = ProposePlan(pb::PLAN_KIND_COMPROMISE);
  Refused('m', pb::Status::FAILED_PRECONDITION, "procedure", [&](pb::TxBody& b) {
    auto* a = b.mutable_propose_plan();
    a->set_case_id(case_id_);
    a->set_kind(pb::PLAN_KIND_REORGANIZATION);
    a->set_title("wrong kind");
    *a->mutable_document() = testing::File('P');
  });
  std::string meeting = Convene('j');
  std::string ordinary = Ok('m', Motion(meeting, pb::MOTION_KIND_ORDINARY));
  std::string compromise = Ok('m', Motion(meeting, pb::MOTION_KIND_COMPROMISE, plan));
  OpenVoting();
  for (const std::string& motion : {ordinary, compromise}) {
    Ok('a', Ballot(motion, supplier_, pb::BALLOT_CHOICE_YES));
    Ok('b', Ballot(motion, person_, pb::BALLOT_CHOICE_NO));
    Ok('e', Ballot(motion, other_, pb::BALLOT_CHOICE_YES));
  }
  EndVoting();
  Ok('j', Close(ordinary));
  Ok('m', Close(compromise));
  // 2 of 3 heads; 650 of 1000 fen: at least one half, short of two thirds.
  EXPECT_TRUE(ResultOf(meeting, 0).passed());
  EXPECT_FALSE(ResultOf(meeting, 1).passed());
  EXPECT_EQ(ResultOf(meeting, 1).yes_amount(), 650);
  EXPECT_EQ(LoadPlan(h_.state(), plan)->status(), pb::PLAN_STATUS_PROPOSED);
  Refused('j', pb::Status::FAILED_PRECONDITION, "adopted",
          [&](pb::TxBody& b) { b.mutable_approve_plan()->set_plan_id(plan); });
}

TEST_F(MeetingsTest, OnlyDeterminedClaimsOrTemporaryAmountsVote) {
  ThreeCreditors(600, 300, 100);
  std::string late_holder = BoundCreditor('f', "Bank of Example", kBankCode);
  std::string undetermined = Declare('f', late_holder, Declaration(kBankCode, 5'000, 0));
  std::string meeting = Convene();
  std::string motion = Ok('m', Motion(meeting, pb::MOTION_KIND_ORDINARY));
  OpenVoting();
  Refused('f', pb::Status::FAILED_PRECONDITION, "EBL 59",
          Ballot(motion, late_holder, pb::BALLOT_CHOICE_YES));
  Ok('j', [&](pb::TxBody& b) {
    b.mutable_set_temporary_voting_amount()->set_claim_id(undetermined);
    b.mutable_set_temporary_voting_amount()->set_amount(1'000);
  });
  Ok('f', Ballot(motion, late_holder, pb::BALLOT_CHOICE_YES));
  Ok('e', Ballot(motion, other_, pb::BALLOT_CHOICE_YES));
  Ok('a', Ballot(motion, supplier_, pb::BALLOT_CHOICE_NO));
  // A ballot whose claim is withdrawn before the tally no longer counts.
  Ok('e', [&](pb::TxBody& b) {
    b.mutable_withdraw_claim()->set_claim_id(GetCreditorInbox(h_.state(), AccountId('e'))->claims(0).id());
    b.mutable_withdraw_claim()->set_reason("settled");
  });
  EndVoting();
  Ok('m', Close(motion));
  pb::MotionResult result = ResultOf(meeting, 0);
  EXPECT_EQ(result.present(), 2u);          // f and a; e's claim is gone
  EXPECT_EQ(result.base_amount(), 1'900);   // 600 + 300 + the temporary 1,000
  EXPECT_EQ(result.yes_amount(), 1'000);
  EXPECT_FALSE(result.passed());            // 1 of 2 heads
}

TEST_F(MeetingsTest, ReorganizationPlanPassesOnlyWhenEveryClassDoes) {
  case_id_ = AcceptCase(pb::PROCEDURE_REORGANIZATION, "(2026)粤03破3号");
  ThreeCreditors(600, 300, 100);  // the ordinary class
  std::string tax = AddCreditor(pb::CREDITOR_KIND_DEPARTMENT, "Tax bureau", kTaxCode, "tax");
  pb::Declaration d = Declaration(kTaxCode, 0, 0);
  d.clear_components();
  auto* item = d.add_tax_items();
  item->set_tax_name("VAT");
  item->set_tax(400);
  std::string tax_claim = Declare('t', tax, d);
  ASSERT_EQ(Review(tax_claim, {400}, {{}}).code(), pb::Status::OK);
  Notify(tax_claim, h_.time_ms() + 15 * kDay);
  h_.AdvanceTime(15 * kDay + 1);
  std::string plan = ProposePlan(pb::PLAN_KIND_REORGANIZATION);
  auto vote_round = [&](pb::BallotChoice tax_choice) {
    std::string meeting = Convene();
    std::string motion = Ok('m', Motion(meeting, pb::MOTION_KIND_REORGANIZATION_PLAN, plan));
    OpenVoting();
    Ok('a', Ballot(motion, supplier_, pb::BALLOT_CHOICE_YES));
    Ok('b', Ballot(motion, person_, pb::BALLOT_CHOICE_YES));
    Ok('t', Ballot(motion, tax, tax_choice));
    EndVoting();
    Ok('m', Close(motion));
    return ResultOf(meeting, 0);
  };
  pb::MotionResult first = vote_round(pb::BALLOT_CHOICE_NO);
  ASSERT_EQ(first.classes_size(), 2);
  EXPECT_EQ(first.classes(0).voting_class(), pb::VOTING_CLASS_TAX);
  EXPECT_FALSE(first.classes(0).passed());
  EXPECT_EQ(first.classes(1).voting_class(), pb::VOTING_CLASS_ORDINARY);
  EXPECT_EQ(first.classes(1).members(), 3u);
  EXPECT_EQ(first.classes(1).yes_amount(), 900);  // 900 of 1000 ≥ 2/3, 2 of 2 present
  EXPECT_TRUE(first.classes(1).passed());
  EXPECT_FALSE(first.passed());
  EXPECT_EQ(LoadPlan(h_.state(), plan)->status(), pb::PLAN_STATUS_PROPOSED);
  pb::MotionResult second = vote_round(pb::BALLOT_CHOICE_YES);
  EXPECT_TRUE(second.passed());
  EXPECT_EQ(LoadPlan(h_.state(), plan)->status(), pb::PLAN_STATUS_ADOPTED);
  auto approve = [&](pb::TxBody& b) { b.mutable_approve_plan()->set_plan_id(plan); };
  Refused('m', pb::Status::UNAUTHORIZED, "judge", approve);
  Refused('k', pb::Status::UNAUTHORIZED, "judge", approve);
  Ok('j', approve);
  EXPECT_EQ(LoadPlan(h_.state(), plan)->status(), pb::PLAN_STATUS_APPROVED);
  Refused('j', pb::Status::FAILED_PRECONDITION, "APPROVED", approve);
}

TEST_F(MeetingsTest, RecruitmentNoticesAreForReorganizations) {
  auto publish = [&](int64_t deadline) {
    return [=, this](pb::TxBody& b) {
      auto* a = b.mutable_publish_recruitment();
      a->set_case_id(case_id_);
      a->set_title("Call for restructuring investors");
      a->set_text("A plant of 20,000 m² and its production line; see the data room.");
      a->set_contact("administrator@zhonglun.example");
      a->set_deadline_ms(deadline);
    };
  };
  Refused('m', pb::Status::FAILED_PRECONDITION, "reorganization", publish(h_.time_ms() + kDay));
  case_id_ = AcceptCase(pb::PROCEDURE_REORGANIZATION, "(2026)粤03破4号");
  Refused('m', pb::Status::INVALID_ARGUMENT, "deadline_ms", publish(h_.time_ms()));
  Refused('a', pb::Status::UNAUTHORIZED, "administrator", publish(h_.time_ms() + kDay));
  std::string id = Ok('m', publish(h_.time_ms() + 30 * kDay));
  auto notice = h_.state().Get(RecruitmentKey(id));
  ASSERT_TRUE(notice.has_value());
  pb::RecruitmentNotice record;
  ASSERT_TRUE(record.ParseFromString(*notice));
  EXPECT_EQ(record.case_id(), case_id_);
  EXPECT_EQ(record.published_time_ms(), h_.time_ms());
}

}  // namespace
}  // namespace onechain::contracts
