// Creditors' meetings (EBL 59-64): convening, motions, ballots and the chain's tally by the
// thresholds of voting.h (EBL 64, 84 by class, 97); investor-recruitment notices.
#include <set>

#include "contracts/voting.h"
#include "contracts/workflow_internal.h"

namespace onechain::contracts {

namespace {

constexpr int kEmployeeTier = static_cast<int>(Tier::kEmployee);
constexpr int kTaxTier = static_cast<int>(Tier::kTaxAndSocialInsurance);
constexpr int kOrdinaryTier = static_cast<int>(Tier::kOrdinary);
constexpr int kSubordinatedTier = static_cast<int>(Tier::kSubordinated);

int TierOf(pb::Ranking ranking) {
  switch (ranking) {
    case pb::RANKING_EMPLOYEE: return kEmployeeTier;
    case pb::RANKING_TAX_AND_SOCIAL_INSURANCE: return kTaxTier;
    case pb::RANKING_SUBORDINATED: return kSubordinatedTier;
    default: return kOrdinaryTier;
  }
}

// Confirmed amounts decide the vote: ruled by the court, or notified and unopposed once the
// objection window is over.
bool IsDetermined(const pb::Claim& claim, int64_t now_ms) {
  return claim.status() == pb::CLAIM_STATUS_CONFIRMED ||
         (claim.status() == pb::CLAIM_STATUS_NOTIFIED && now_ms > claim.objection_deadline_ms());
}

// sum += add; false on overflow of any part or of the total.
bool AddWeight(VotingWeight& sum, const VotingWeight& add) {
  if (!AddChecked(sum.secured, add.secured) || !AddChecked(sum.employee, add.employee) ||
      !AddChecked(sum.tax, add.tax) || !AddChecked(sum.ordinary, add.ordinary)) {
    return false;
  }
  int64_t total = sum.secured;
  return AddChecked(total, sum.employee) && AddChecked(total, sum.tax) &&
         AddChecked(total, sum.ordinary);
}

std::optional<VotingWeight> WeightOf(const pb::Claim& claim, int64_t now_ms) {
  if (claim.status() == pb::CLAIM_STATUS_WITHDRAWN) return std::nullopt;
  VotingWeight weight;
  if (IsDetermined(claim, now_ms)) {
    ConfirmedAmounts amounts = ConfirmedAmountsOf(claim);
    weight.secured = amounts.secured;
    weight.employee = amounts.by_tier[kEmployeeTier];
    weight.tax = amounts.by_tier[kTaxTier];
    weight.ordinary = amounts.by_tier[kOrdinaryTier] + amounts.by_tier[kSubordinatedTier];
  } else if (claim.has_temporary_voting_amount()) {
    weight.ordinary = claim.temporary_voting_amount();
  }
  if (weight.Total() == 0) return std::nullopt;
  return weight;
}

std::string MeetingIdOf(const std::string& motion_id) {
  size_t dash = motion_id.rfind('-');
  return dash == std::string::npos ? "" : motion_id.substr(0, dash);
}

}  // namespace

ConfirmedAmounts ConfirmedAmountsOf(const pb::Claim& claim) {
  ConfirmedAmounts amounts;
  for (const pb::ComponentResult& component : claim.review().components()) {
    // Each confirmed ≤ declared, and the declared total was overflow-checked.
    if (component.ranking() == pb::RANKING_SECURED) {
      (claim.priority_waived() ? amounts.by_tier[kOrdinaryTier] : amounts.secured) +=
          component.confirmed();
    } else {
      amounts.by_tier[TierOf(component.ranking())] += component.confirmed();
    }
  }
  return amounts;
}

Result<std::map<std::string, VotingWeight>> CaseVotingWeights(const StateReader& state,
                                                              std::string_view case_id,
                                                              int64_t now_ms) {
  std::map<std::string, VotingWeight> weights;
  for (const std::string& claim_id : ListRead(state, CaseClaimsList(case_id), 0, kListReadMax)) {
    std::optional<pb::Claim> claim = LoadClaim(state, claim_id);
    assert(claim.has_value());
    std::optional<VotingWeight> weight = WeightOf(*claim, now_ms);
    if (!weight) continue;
    if (!AddWeight(weights[claim->creditor_id()], *weight)) {
      return Overflow("the voting amount of creditor " + claim->creditor_id());
    }
  }
  return weights;
}

Result<VotingWeight> CreditorVotingWeight(const StateReader& state, std::string_view creditor_id,
                                          int64_t now_ms) {
  VotingWeight sum;
  std::set<std::string> seen;  // a claim transferred away and back is listed twice
  for (const std::string& claim_id :
       ListRead(state, CreditorClaimsList(creditor_id), 0, kListReadMax)) {
    std::optional<pb::Claim> claim = LoadClaim(state, claim_id);
    assert(claim.has_value());
    if (claim->creditor_id() != creditor_id || !seen.insert(claim_id).second) continue;
    std::optional<VotingWeight> weight = WeightOf(*claim, now_ms);
    if (weight && !AddWeight(sum, *weight)) {
      return Overflow("the voting amount of creditor " + std::string(creditor_id));
    }
  }
  return sum;
}

Status CheckEligible(const VotingWeight& weight, pb::MotionKind kind) {
  if (weight.Total() == 0) {
    return Status(pb::Status::FAILED_PRECONDITION,
                  "creditor_id holds no confirmed claim and no temporary voting amount (EBL 59)");
  }
  bool plan_of_ebl_61_7_or_10 =
      kind == pb::MOTION_KIND_COMPROMISE || kind == pb::MOTION_KIND_DISTRIBUTION_PLAN;
  if (plan_of_ebl_61_7_or_10 && weight.secured > 0) {
    return Status(pb::Status::FAILED_PRECONDITION,
                  "creditor_id holds a secured claim without waiving priority and has no vote on "
                  "a compromise or a distribution plan (EBL 59)");
  }
  return Status::Ok();
}

namespace {

struct CountedBallot {
  VotingWeight weight;
  pb::BallotChoice choice;
};

Result<pb::MotionResult> TallyByHeadsAndAmount(const std::map<std::string, VotingWeight>& weights,
                                               const std::vector<CountedBallot>& ballots,
                                               pb::MotionKind kind) {
  Tally tally;
  for (const auto& [creditor, weight] : weights) {
    if (CheckEligible(weight, kind).ok() && !AddChecked(tally.base_amount, weight.Unsecured())) {
      return Overflow("the unsecured total of the case");
    }
  }
  pb::MotionResult result;
  for (const CountedBallot& ballot : ballots) {
    ++tally.present;
    if (ballot.choice == pb::BALLOT_CHOICE_YES) {
      ++tally.yes;
      tally.yes_amount += ballot.weight.Unsecured();  // a part of base_amount
    }
  }
  Result<bool> passes = Passes(
      kind == pb::MOTION_KIND_COMPROMISE ? Resolution::kCompromise : Resolution::kOrdinary, tally);
  if (!passes.ok()) return passes.status();
  result.set_passed(*passes);
  result.set_yes_amount(tally.yes_amount);
  result.set_base_amount(tally.base_amount);
  return result;
}

int64_t ClassAmount(const VotingWeight& weight, pb::VotingClass voting_class) {
  switch (voting_class) {
    case pb::VOTING_CLASS_SECURED: return weight.secured;
    case pb::VOTING_CLASS_EMPLOYEE: return weight.employee;
    case pb::VOTING_CLASS_TAX: return weight.tax;
    default: return weight.ordinary;
  }
}

// EBL 82, 84: each class with members votes apart; the plan passes when every such class does.
Result<pb::MotionResult> TallyByClass(const std::map<std::string, VotingWeight>& weights,
                                      const std::map<std::string, CountedBallot>& ballots) {
  pb::MotionResult result;
  std::vector<Tally> tallies;
  for (pb::VotingClass voting_class : {pb::VOTING_CLASS_SECURED, pb::VOTING_CLASS_EMPLOYEE,
                                       pb::VOTING_CLASS_TAX, pb::VOTING_CLASS_ORDINARY}) {
    Tally tally;
    uint32_t members = 0;
    for (const auto& [creditor, weight] : weights) {
      int64_t amount = ClassAmount(weight, voting_class);
      if (amount == 0) continue;
      ++members;
      if (!AddChecked(tally.base_amount, amount)) return Overflow("a class total");
      auto ballot = ballots.find(creditor);
      if (ballot == ballots.end()) continue;
      ++tally.present;
      if (ballot->second.choice == pb::BALLOT_CHOICE_YES) {
        ++tally.yes;
        tally.yes_amount += amount;
      }
    }
    if (members == 0) continue;
    Result<bool> passes = ReorganizationPlanPasses({tally});
    if (!passes.ok()) return passes.status();
    pb::ClassTally* row = result.add_classes();
    row->set_voting_class(voting_class);
    row->set_members(members);
    row->set_present(tally.present);
    row->set_yes(tally.yes);
    row->set_yes_amount(tally.yes_amount);
    row->set_base_amount(tally.base_amount);
    row->set_passed(*passes);
    tallies.push_back(tally);
  }
  if (tallies.empty()) {
    result.set_passed(false);
    return result;
  }
  Result<bool> passes = ReorganizationPlanPasses(tallies);
  if (!passes.ok()) return passes.status();
  result.set_passed(*passes);
  return result;
}

}  // namespace

Result<pb::MotionResult> TallyMotion(const StateReader& state, const pb::Meeting& meeting,
                                     const pb::Motion& motion, int64_t now_ms) {
  Result<std::map<std::string, VotingWeight>> weights =
      CaseVotingWeights(state, meeting.case_id(), now_ms);
  if (!weights.ok()) return weights.status();
  std::vector<CountedBallot> counted;
  std::map<std::string, CountedBallot> by_creditor;
  uint32_t choices[4] = {};
  for (const std::string& creditor : ListRead(state, MotionBallotsList(motion.id()), 0, kListReadMax)) {
    std::optional<pb::Ballot> ballot =
        workflow::LoadRecord<pb::Ballot>(state, BallotKey(motion.id(), creditor));
    assert(ballot.has_value());
    auto weight = weights->find(creditor);
    // Eligibility is judged again at the tally: a claim withdrawn since the ballot no longer counts.
    if (weight == weights->end() || !CheckEligible(weight->second, motion.kind()).ok()) continue;
    CountedBallot entry{weight->second, ballot->choice()};
    counted.push_back(entry);
    by_creditor.emplace(creditor, entry);
    ++choices[ballot->choice()];
  }
  Result<pb::MotionResult> result = motion.kind() == pb::MOTION_KIND_REORGANIZATION_PLAN
                                        ? TallyByClass(*weights, by_creditor)
                                        : TallyByHeadsAndAmount(*weights, counted, motion.kind());
  if (!result.ok()) return result.status();
  result->set_present(static_cast<uint32_t>(counted.size()));
  result->set_yes(choices[pb::BALLOT_CHOICE_YES]);
  result->set_no(choices[pb::BALLOT_CHOICE_NO]);
  result->set_abstain(choices[pb::BALLOT_CHOICE_ABSTAIN]);
  return result;
}

namespace workflow {

namespace {

Status ApplyConveneMeeting(ActionContext& c, const pb::ConveneMeeting& a) {
  Result<pb::Case> record = LoadOpenCase(c.state, a.case_id());
  if (!record.ok()) return record.status();
  if (a.kind() == pb::MEETING_KIND_FIRST) {
    if (Status st = RequireCaseJudge(c, *record); !st.ok()) return st;
    if (!record->first_meeting_id().empty()) {
      return Status(pb::Status::ALREADY_EXISTS, "case_id " + a.case_id() +
                                                    " has its first meeting " +
                                                    record->first_meeting_id());
    }
    if (record->first_meeting_ms() == 0 || a.start_ms() != record->first_meeting_ms()) {
      return Invalid("start_ms", "of the first meeting must be the time the court set with the "
                                 "claim period (EBL 62)");
    }
  } else if (Status st = RequireJudgeOrAdministrator(c, *record); !st.ok()) {
    return st;
  }
  if (Status st = CheckFutureTime(c, "start_ms", a.start_ms()); !st.ok()) return st;
  pb::Meeting meeting;
  meeting.set_id(AppendNewId(c, "meeting", a.case_id(), CaseMeetingsList(a.case_id())));
  meeting.set_case_id(a.case_id());
  meeting.set_kind(a.kind());
  meeting.set_start_ms(a.start_ms());
  meeting.set_vote_end_ms(a.vote_end_ms());
  meeting.set_place(a.place());
  meeting.set_convened_by(c.signer.id());
  meeting.set_convened_height(c.block.height);
  c.state.Put(MeetingKey(meeting.id()), meeting.SerializeAsString());
  if (a.kind() == pb::MEETING_KIND_FIRST) {
    record->set_first_meeting_id(meeting.id());
    c.state.Put(CaseKey(record->id()), record->SerializeAsString());
  }
  *c.changed_id = meeting.id();
  return Status::Ok();
}

pb::PlanKind PlanKindFor(pb::MotionKind kind) {
  switch (kind) {
    case pb::MOTION_KIND_COMPROMISE: return pb::PLAN_KIND_COMPROMISE;
    case pb::MOTION_KIND_REORGANIZATION_PLAN: return pb::PLAN_KIND_REORGANIZATION;
    case pb::MOTION_KIND_DISTRIBUTION_PLAN: return pb::PLAN_KIND_DISTRIBUTION;
    default: return pb::PLAN_KIND_UNSPECIFIED;
  }
}

Status CheckMotionPlan(const ActionContext& c, const pb::Case& record, const pb::AddMotion& a) {
  pb::PlanKind wanted = PlanKindFor(a.kind());
  if (wanted == pb::PLAN_KIND_UNSPECIFIED) {
    return a.plan_id().empty() ? Status::Ok() : Invalid("plan_id", "is only for plan motions");
  }
  std::optional<pb::Plan> plan = LoadPlan(c.state, a.plan_id());
  if (!plan || plan->case_id() != record.id() || plan->kind() != wanted) {
    return Status(pb::Status::NOT_FOUND, "plan_id '" + a.plan_id() + "' is no " +
                                             pb::PlanKind_Name(wanted) + " plan of the case");
  }
  if (plan->status() != pb::PLAN_STATUS_PROPOSED) {
    return Status(pb::Status::FAILED_PRECONDITION, "plan_id " + a.plan_id() + " is " +
                                                       pb::PlanStatus_Name(plan->status()));
  }
  if (wanted == pb::PLAN_KIND_DISTRIBUTION && record.open_distribution_plan_id() != plan->id()) {
    return Status(pb::Status::FAILED_PRECONDITION,
                  "plan_id " + a.plan_id() + " was superseded by a later distribution plan");
  }
  return Status::Ok();
}

Status ApplyAddMotion(ActionContext& c, const pb::AddMotion& a) {
  std::optional<pb::Meeting> meeting = LoadMeeting(c.state, a.meeting_id());
  if (!meeting) return Status(pb::Status::NOT_FOUND, "meeting_id " + a.meeting_id() + " does not exist");
  Result<pb::Case> record = LoadOpenCase(c.state, meeting->case_id());
  if (!record.ok()) return record.status();
  if (Status st = RequireAdministrator(c, *record); !st.ok()) return st;
  if (c.block.time_ms >= meeting->start_ms()) {
    return Status(pb::Status::FAILED_PRECONDITION,
                  "meeting_id " + a.meeting_id() + " has started; motions are added before");
  }
  if (meeting->motions_size() >= kMotionsPerMeetingMax) {
    return Status(pb::Status::TOO_LARGE, "meeting_id " + a.meeting_id() + " has " +
                                             std::to_string(kMotionsPerMeetingMax) + " motions");
  }
  if (Status st = CheckMotionPlan(c, *record, a); !st.ok()) return st;
  pb::Motion* motion = meeting->add_motions();
  motion->set_id(meeting->id() + "-" + std::to_string(meeting->motions_size()));
  motion->set_kind(a.kind());
  motion->set_title(a.title());
  motion->set_text(a.text());
  motion->set_plan_id(a.plan_id());
  c.state.Put(MeetingKey(meeting->id()), meeting->SerializeAsString());
  *c.changed_id = motion->id();
  return Status::Ok();
}

// The meeting and the index of the motion in it.
struct MotionInMeeting {
  pb::Meeting meeting;
  int index = 0;
  pb::Case record;
};

Result<MotionInMeeting> LoadMotion(const StateReader& state, const std::string& motion_id) {
  std::optional<pb::Meeting> meeting = LoadMeeting(state, MeetingIdOf(motion_id));
  for (int i = 0; meeting && i < meeting->motions_size(); ++i) {
    if (meeting->motions(i).id() != motion_id) continue;
    Result<pb::Case> record = LoadOpenCase(state, meeting->case_id());
    if (!record.ok()) return record.status();
    return MotionInMeeting{std::move(*meeting), i, std::move(*record)};
  }
  return Status(pb::Status::NOT_FOUND, "motion_id " + motion_id + " does not exist");
}

Status ApplyCastBallot(ActionContext& c, const pb::CastBallot& a) {
  Result<MotionInMeeting> found = LoadMotion(c.state, a.motion_id());
  if (!found.ok()) return found.status();
  const pb::Meeting& meeting = found->meeting;
  const pb::Motion& motion = meeting.motions(found->index);
  Result<pb::CaseCreditor> creditor = LoadCreditorActedFor(c, a.creditor_id(), "creditor_id");
  if (!creditor.ok()) return creditor.status();
  if (creditor->case_id() != meeting.case_id()) {
    return Status(pb::Status::UNAUTHORIZED,
                  "creditor_id " + a.creditor_id() + " is a creditor of another case");
  }
  if (c.block.time_ms < meeting.start_ms() || c.block.time_ms >= meeting.vote_end_ms() ||
      motion.result().closed()) {
    return Status(pb::Status::FAILED_PRECONDITION,
                  "voting on motion_id " + a.motion_id() + " is open from " +
                      std::to_string(meeting.start_ms()) + " until " +
                      std::to_string(meeting.vote_end_ms()) + "; block time is " +
                      std::to_string(c.block.time_ms));
  }
  std::string key = BallotKey(motion.id(), creditor->id());
  if (c.state.Get(key)) {
    return Status(pb::Status::ALREADY_EXISTS,
                  "creditor_id " + a.creditor_id() + " has already voted on this motion");
  }
  Result<VotingWeight> weight = CreditorVotingWeight(c.state, creditor->id(), c.block.time_ms);
  if (!weight.ok()) return weight.status();
  if (Status st = CheckEligible(*weight, motion.kind()); !st.ok()) return st;
  pb::Ballot ballot;
  ballot.set_motion_id(motion.id());
  ballot.set_creditor_id(creditor->id());
  ballot.set_account_id(c.signer.id());
  ballot.set_choice(a.choice());
  ballot.set_height(c.block.height);
  ballot.set_time_ms(c.block.time_ms);
  c.state.Put(key, ballot.SerializeAsString());
  ListAppend(c.state, MotionBallotsList(motion.id()), creditor->id());
  *c.changed_id = motion.id();
  return Status::Ok();
}

Status ApplyCloseMotion(ActionContext& c, const pb::CloseMotion& a) {
  Result<MotionInMeeting> found = LoadMotion(c.state, a.motion_id());
  if (!found.ok()) return found.status();
  if (Status st = RequireJudgeOrAdministrator(c, found->record); !st.ok()) return st;
  pb::Meeting& meeting = found->meeting;
  pb::Motion* motion = meeting.mutable_motions(found->index);
  if (motion->result().closed()) {
    return Status(pb::Status::FAILED_PRECONDITION, "motion_id " + a.motion_id() + " is closed");
  }
  if (c.block.time_ms < meeting.vote_end_ms()) {
    return Status(pb::Status::FAILED_PRECONDITION,
                  "voting on motion_id " + a.motion_id() + " runs until " +
                      std::to_string(meeting.vote_end_ms()));
  }
  Result<pb::MotionResult> result = TallyMotion(c.state, meeting, *motion, c.block.time_ms);
  if (!result.ok()) return result.status();
  result->set_closed(true);
  result->set_closed_height(c.block.height);
  result->set_closed_time_ms(c.block.time_ms);
  *motion->mutable_result() = std::move(*result);
  c.state.Put(MeetingKey(meeting.id()), meeting.SerializeAsString());
  if (motion->result().passed() && !motion->plan_id().empty()) {
    std::optional<pb::Plan> plan = LoadPlan(c.state, motion->plan_id());
    assert(plan.has_value());
    if (plan->status() == pb::PLAN_STATUS_PROPOSED) {
      plan->set_status(pb::PLAN_STATUS_ADOPTED);
      plan->set_adopted_by_motion(motion->id());
      c.state.Put(PlanKey(plan->id()), plan->SerializeAsString());
    }
  }
  *c.changed_id = motion->id();
  return Status::Ok();
}

Status ApplyPublishRecruitment(ActionContext& c, const pb::PublishRecruitment& a) {
  Result<pb::Case> record = LoadOpenCase(c.state, a.case_id());
  if (!record.ok()) return record.status();
  if (Status st = RequireAdministrator(c, *record); !st.ok()) return st;
  if (record->procedure() != pb::PROCEDURE_REORGANIZATION) {
    return Status(pb::Status::FAILED_PRECONDITION,
                  "case_id " + a.case_id() + " is not a reorganization; investors are recruited "
                  "for reorganizations");
  }
  if (Status st = CheckFutureTime(c, "deadline_ms", a.deadline_ms()); !st.ok()) return st;
  pb::RecruitmentNotice notice;
  notice.set_id(AppendNewId(c, "recruit", a.case_id(), CaseRecruitmentsList(a.case_id())));
  notice.set_case_id(a.case_id());
  notice.set_title(a.title());
  notice.set_text(a.text());
  notice.set_contact(a.contact());
  notice.set_deadline_ms(a.deadline_ms());
  notice.set_published_height(c.block.height);
  notice.set_published_time_ms(c.block.time_ms);
  c.state.Put(RecruitmentKey(notice.id()), notice.SerializeAsString());
  *c.changed_id = notice.id();
  return Status::Ok();
}

Status PrecheckConveneMeeting(const pb::ConveneMeeting& a) {
  if (a.kind() != pb::MEETING_KIND_FIRST && a.kind() != pb::MEETING_KIND_SUBSEQUENT) {
    return Invalid("kind", "must be first or subsequent");
  }
  if (a.vote_end_ms() <= a.start_ms()) return Invalid("vote_end_ms", "must lie after start_ms");
  return CheckText("place", a.place(), kTextBytesMax);
}

Status PrecheckAddMotion(const pb::AddMotion& a) {
  if (!pb::MotionKind_IsValid(a.kind()) || a.kind() == pb::MOTION_KIND_UNSPECIFIED) {
    return Invalid("kind", "must be ordinary, compromise, reorganization plan or distribution plan");
  }
  if (a.kind() != pb::MOTION_KIND_ORDINARY && a.plan_id().empty()) {
    return Invalid("plan_id", "is required for a plan motion");
  }
  if (Status st = CheckText("title", a.title(), kShortTextBytesMax); !st.ok()) return st;
  return CheckOptionalText("text", a.text(), kTextBytesMax);
}

Status PrecheckPublishRecruitment(const pb::PublishRecruitment& a) {
  if (Status st = CheckText("title", a.title(), kShortTextBytesMax); !st.ok()) return st;
  if (Status st = CheckText("text", a.text(), kTextBytesMax); !st.ok()) return st;
  return CheckText("contact", a.contact(), kShortTextBytesMax);
}

}  // namespace

Status PrecheckMeetingAction(const pb::TxBody& body) {
  switch (body.action_case()) {
    case pb::TxBody::kConveneMeeting:
      return PrecheckConveneMeeting(body.convene_meeting());
    case pb::TxBody::kAddMotion:
      return PrecheckAddMotion(body.add_motion());
    case pb::TxBody::kCastBallot: {
      pb::BallotChoice choice = body.cast_ballot().choice();
      if (!pb::BallotChoice_IsValid(choice) || choice == pb::BALLOT_CHOICE_UNSPECIFIED) {
        return Invalid("choice", "must be yes, no or abstain");
      }
      return Status::Ok();
    }
    case pb::TxBody::kCloseMotion:
      return CheckText("motion_id", body.close_motion().motion_id(), 64);
    case pb::TxBody::kPublishRecruitment:
      return PrecheckPublishRecruitment(body.publish_recruitment());
    default:
      return Status(pb::Status::MALFORMED, "not a meeting action");
  }
}

Status ApplyMeetingAction(ActionContext& c, const pb::TxBody& body) {
  switch (body.action_case()) {
    case pb::TxBody::kConveneMeeting:
      return ApplyConveneMeeting(c, body.convene_meeting());
    case pb::TxBody::kAddMotion:
      return ApplyAddMotion(c, body.add_motion());
    case pb::TxBody::kCastBallot:
      return ApplyCastBallot(c, body.cast_ballot());
    case pb::TxBody::kCloseMotion:
      return ApplyCloseMotion(c, body.close_motion());
    case pb::TxBody::kPublishRecruitment:
      return ApplyPublishRecruitment(c, body.publish_recruitment());
    default:
      return Status(pb::Status::MALFORMED, "not a meeting action");
  }
}

}  // namespace workflow
}  // namespace onechain::contracts
