#include "contracts/workflow.h"

#include "contracts/grants.h"
#include "contracts/workflow_internal.h"
#include "crypto/seal.h"
#include "util/bytes.h"

namespace onechain::contracts {

namespace {

std::string Joined(std::string_view prefix, std::string_view id) {
  return std::string(prefix) + std::string(id);
}

enum class Module { kNone, kCreditors, kClaims, kReview, kMeetings, kPlans, kGrants };

Module ModuleOf(const pb::TxBody& body) {
  switch (body.action_case()) {
    case pb::TxBody::kReplaceAdministrator:
    case pb::TxBody::kAddKnownCreditor:
    case pb::TxBody::kBindCreditorAccount:
    case pb::TxBody::kSendClaimNotice:
    case pb::TxBody::kAcknowledgeNotice:
      return Module::kCreditors;
    case pb::TxBody::kDeclareClaim:
    case pb::TxBody::kAmendClaim:
    case pb::TxBody::kWithdrawClaim:
    case pb::TxBody::kListEmployeeClaim:
    case pb::TxBody::kTransferClaim:
    case pb::TxBody::kWaivePriority:
      return Module::kClaims;
    case pb::TxBody::kRequestMaterial:
    case pb::TxBody::kReviewClaim:
    case pb::TxBody::kSendReviewNotice:
    case pb::TxBody::kObjectToClaim:
    case pb::TxBody::kSetTemporaryVotingAmount:
    case pb::TxBody::kConfirmClaims:
      return Module::kReview;
    case pb::TxBody::kConveneMeeting:
    case pb::TxBody::kAddMotion:
    case pb::TxBody::kCastBallot:
    case pb::TxBody::kCloseMotion:
    case pb::TxBody::kPublishRecruitment:
      return Module::kMeetings;
    case pb::TxBody::kProposePlan:
    case pb::TxBody::kProposeDistribution:
    case pb::TxBody::kApprovePlan:
    case pb::TxBody::kRecordPayment:
      return Module::kPlans;
    default:
      return IsGrantAction(body) ? Module::kGrants : Module::kNone;
  }
}

// Who may ever do an action, mirroring the Require* checks its Apply makes: a judge of the case's
// court, a member of its administrator, either of them, or whoever acts for a creditor entry
// (its bound self-registered account, or an officer of its department: ActsFor).
enum class Actor {
  kJudge,
  kAdministrator,
  kJudgeOrAdministrator,
  kCreditorSide,
  kDepartment,     // an officer of a department (grants.cc: RequireDepartmentOfficer)
  kGrantReader,    // the court (judge or clerk) or an administrator member (MayReadGrant)
};

// The field by which a creditor-side action names whom it acts for.
std::string CreditorFieldOf(pb::TxBody::ActionCase action) {
  switch (action) {
    case pb::TxBody::kAcknowledgeNotice: return "notice_id";
    case pb::TxBody::kDeclareClaim:
    case pb::TxBody::kCastBallot: return "creditor_id";
    case pb::TxBody::kObjectToClaim: return "objector_creditor_id";
    default: return "claim_id";
  }
}

Actor ActorOf(pb::TxBody::ActionCase action) {
  switch (action) {
    case pb::TxBody::kReplaceAdministrator:
    case pb::TxBody::kSetTemporaryVotingAmount:
    case pb::TxBody::kConfirmClaims:
    case pb::TxBody::kApprovePlan:
      return Actor::kJudge;
    case pb::TxBody::kConveneMeeting:
    case pb::TxBody::kCloseMotion:
      return Actor::kJudgeOrAdministrator;
    case pb::TxBody::kAcknowledgeNotice:
    case pb::TxBody::kDeclareClaim:
    case pb::TxBody::kAmendClaim:
    case pb::TxBody::kWithdrawClaim:
    case pb::TxBody::kTransferClaim:
    case pb::TxBody::kWaivePriority:
    case pb::TxBody::kObjectToClaim:
    case pb::TxBody::kCastBallot:
      return Actor::kCreditorSide;
    case pb::TxBody::kDeclareRecordTypes:
    case pb::TxBody::kAnswerRecords:
    case pb::TxBody::kRevokeGrant:
      return Actor::kDepartment;
    case pb::TxBody::kRecordAccess:
      return Actor::kGrantReader;
    case pb::TxBody::kRequestRecords:
    case pb::TxBody::kAddKnownCreditor:
    case pb::TxBody::kBindCreditorAccount:
    case pb::TxBody::kSendClaimNotice:
    case pb::TxBody::kListEmployeeClaim:
    case pb::TxBody::kRequestMaterial:
    case pb::TxBody::kReviewClaim:
    case pb::TxBody::kSendReviewNotice:
    case pb::TxBody::kAddMotion:
    case pb::TxBody::kPublishRecruitment:
    case pb::TxBody::kProposePlan:
    case pb::TxBody::kProposeDistribution:
    case pb::TxBody::kRecordPayment:
    default:  // a new workflow action is an administrator's until listed otherwise
      return Actor::kAdministrator;
  }
}

}  // namespace

std::string CreditorKey(std::string_view id) { return Joined("creditor/", id); }
std::string ClaimKey(std::string_view id) { return Joined("claim/", id); }
std::string NoticeKey(std::string_view id) { return Joined("notice/", id); }
std::string MeetingKey(std::string_view id) { return Joined("meeting/", id); }
std::string BallotKey(std::string_view motion_id, std::string_view creditor_id) {
  return Joined("ballot/", motion_id) + "/" + std::string(creditor_id);
}
std::string PlanKey(std::string_view id) { return Joined("plan/", id); }
std::string PlannedPaymentKey(std::string_view plan_id, std::string_view payee_id) {
  return Joined("planpay/", plan_id) + "/" + std::string(payee_id);
}
std::string RecruitmentKey(std::string_view id) { return Joined("recruit/", id); }

std::string CaseCreditorsList(std::string_view id) { return Joined("case-creditors/", id); }
std::string CaseClaimsList(std::string_view id) { return Joined("case-claims/", id); }
std::string CaseNoticesList(std::string_view id) { return Joined("case-notices/", id); }
std::string CaseMeetingsList(std::string_view id) { return Joined("case-meetings/", id); }
std::string CasePlansList(std::string_view id) { return Joined("case-plans/", id); }
std::string CaseRecruitmentsList(std::string_view id) { return Joined("case-recruit/", id); }
std::string CreditorClaimsList(std::string_view id) { return Joined("creditor-claims/", id); }
std::string CreditorNoticesList(std::string_view id) { return Joined("creditor-notices/", id); }
std::string AccountCreditorsList(std::string_view id) { return Joined("account-creditors/", id); }
std::string OrgCreditorsList(std::string_view id) { return Joined("org-creditors/", id); }
std::string ClaimHistoryList(std::string_view id) { return Joined("claim-history/", id); }
std::string MotionBallotsList(std::string_view id) { return Joined("motion-ballots/", id); }
std::string PlanPayeesList(std::string_view id) { return Joined("plan-payees/", id); }
std::string PlanPaymentsList(std::string_view id) { return Joined("plan-payments/", id); }

bool IsWorkflowAction(const pb::TxBody& body) { return ModuleOf(body) != Module::kNone; }

Status PrecheckWorkflowAction(const pb::TxBody& body) {
  switch (ModuleOf(body)) {
    case Module::kCreditors: return workflow::PrecheckCreditorAction(body);
    case Module::kClaims: return workflow::PrecheckClaimAction(body);
    case Module::kReview: return workflow::PrecheckReviewAction(body);
    case Module::kMeetings: return workflow::PrecheckMeetingAction(body);
    case Module::kPlans: return workflow::PrecheckPlanAction(body);
    case Module::kGrants: return PrecheckGrantAction(body);
    case Module::kNone: break;
  }
  return Status(pb::Status::MALFORMED, "not a workflow action");
}

Status PrecheckWorkflowRole(const std::optional<pb::Account>& signer, const pb::TxBody& body) {
  bool judge = signer && HasRole(*signer, pb::ROLE_JUDGE);
  bool administrator = signer && HasRole(*signer, pb::ROLE_ADMINISTRATOR_MEMBER);
  bool creditor_side = signer && (HasRole(*signer, pb::ROLE_CREDITOR) ||
                                  HasRole(*signer, pb::ROLE_DEPARTMENT_OFFICER));
  switch (ActorOf(body.action_case())) {
    case Actor::kJudge:
      if (judge) return Status::Ok();
      return Status(pb::Status::UNAUTHORIZED, "only a judge of the case's court may do this");
    case Actor::kAdministrator:
      if (administrator) return Status::Ok();
      return Status(pb::Status::UNAUTHORIZED,
                    "only a member of the case's administrator may do this");
    case Actor::kJudgeOrAdministrator:
      if (judge || administrator) return Status::Ok();
      return Status(pb::Status::UNAUTHORIZED,
                    "only a judge of the case's court or a member of its administrator may do this");
    case Actor::kDepartment:
      if (signer && HasRole(*signer, pb::ROLE_DEPARTMENT_OFFICER)) return Status::Ok();
      return Status(pb::Status::UNAUTHORIZED, "only an officer of a department may do this");
    case Actor::kGrantReader:
      if (judge || administrator || (signer && HasRole(*signer, pb::ROLE_CLERK))) {
        return Status::Ok();
      }
      return Status(pb::Status::UNAUTHORIZED,
                    "only the court and the administrator the grant was made to read its records");
    case Actor::kCreditorSide:
      if (creditor_side) return Status::Ok();
      return Status(pb::Status::UNAUTHORIZED,
                    "the signer acts for no creditor (" + CreditorFieldOf(body.action_case()) +
                        "): only a creditor's account or a department officer acting for its "
                        "department may do this");
  }
  return Status(pb::Status::MALFORMED, "not a workflow action");
}

Status ApplyWorkflowAction(ActionContext& context, const pb::TxBody& body) {
  switch (ModuleOf(body)) {
    case Module::kCreditors: return workflow::ApplyCreditorAction(context, body);
    case Module::kClaims: return workflow::ApplyClaimAction(context, body);
    case Module::kReview: return workflow::ApplyReviewAction(context, body);
    case Module::kMeetings: return workflow::ApplyMeetingAction(context, body);
    case Module::kPlans: return workflow::ApplyPlanAction(context, body);
    case Module::kGrants: return ApplyGrantAction(context, body);
    case Module::kNone: break;
  }
  return Status(pb::Status::MALFORMED, "not a workflow action");
}

std::optional<pb::CaseCreditor> LoadCreditor(const StateReader& state, std::string_view id) {
  return workflow::LoadRecord<pb::CaseCreditor>(state, CreditorKey(id));
}
std::optional<pb::Claim> LoadClaim(const StateReader& state, std::string_view id) {
  return workflow::LoadRecord<pb::Claim>(state, ClaimKey(id));
}
std::optional<pb::Notice> LoadNotice(const StateReader& state, std::string_view id) {
  return workflow::LoadRecord<pb::Notice>(state, NoticeKey(id));
}
std::optional<pb::Meeting> LoadMeeting(const StateReader& state, std::string_view id) {
  return workflow::LoadRecord<pb::Meeting>(state, MeetingKey(id));
}
std::optional<pb::Plan> LoadPlan(const StateReader& state, std::string_view id) {
  return workflow::LoadRecord<pb::Plan>(state, PlanKey(id));
}

pb::Ranking AutomaticRanking(pb::ComponentKind kind) {
  switch (kind) {
    case pb::COMPONENT_KIND_TAX:
      return pb::RANKING_TAX_AND_SOCIAL_INSURANCE;
    case pb::COMPONENT_KIND_TAX_LATE_FEE:
    case pb::COMPONENT_KIND_TAX_SPECIAL_INTEREST:
      return pb::RANKING_ORDINARY;
    case pb::COMPONENT_KIND_TAX_FINE:
      return pb::RANKING_SUBORDINATED;
    default:
      return pb::RANKING_UNSPECIFIED;
  }
}

std::vector<pb::ComponentResult> DeclaredComponents(const pb::Declaration& declaration) {
  std::vector<pb::ComponentResult> out;
  auto add = [&out](pb::ComponentKind kind, const std::string& tax_name, int64_t amount) {
    pb::ComponentResult component;
    component.set_kind(kind);
    component.set_tax_name(tax_name);
    component.set_declared(amount);
    component.set_ranking(AutomaticRanking(kind));
    out.push_back(std::move(component));
  };
  for (const pb::AmountComponent& c : declaration.components()) add(c.kind(), "", c.amount());
  for (const pb::TaxItem& item : declaration.tax_items()) {
    if (item.tax() != 0) add(pb::COMPONENT_KIND_TAX, item.tax_name(), item.tax());
    if (item.late_fee() != 0) add(pb::COMPONENT_KIND_TAX_LATE_FEE, item.tax_name(), item.late_fee());
    if (item.fine() != 0) add(pb::COMPONENT_KIND_TAX_FINE, item.tax_name(), item.fine());
    if (item.special_interest() != 0) {
      add(pb::COMPONENT_KIND_TAX_SPECIAL_INTEREST, item.tax_name(), item.special_interest());
    }
  }
  return out;
}

namespace workflow {

std::string SequenceId(const crypto::Suite& suite, std::string_view tag, std::string_view case_id,
                       uint64_t sequence) {
  std::string number = std::to_string(sequence);
  return ToHex(suite.Hash({tag, case_id, std::string_view("\0", 1), number}).substr(0, 16));
}

std::string CreditorIdFor(const crypto::Suite& suite, std::string_view case_id,
                          std::string_view id_number) {
  return ToHex(
      suite.Hash({"creditor", case_id, std::string_view("\0", 1), id_number}).substr(0, 16));
}

std::string AppendNewId(ActionContext& c, std::string_view tag, std::string_view case_id,
                        const std::string& list) {
  std::string id = SequenceId(c.executor.suite(), tag, case_id, ListSize(c.state, list));
  ListAppend(c.state, list, id);
  return id;
}

Result<pb::Case> LoadOpenCase(const StateReader& state, const std::string& case_id) {
  std::optional<pb::Case> record = LoadCase(state, case_id);
  if (!record) return Status(pb::Status::NOT_FOUND, "case " + case_id + " does not exist");
  if (record->status() == pb::CASE_STATUS_TERMINATED) {
    return Status(pb::Status::FAILED_PRECONDITION, "case " + case_id + " is terminated");
  }
  return std::move(*record);
}

Status RequireAdministrator(const ActionContext& c, const pb::Case& record) {
  if (record.administrator_org_id().empty()) {
    return Status(pb::Status::FAILED_PRECONDITION,
                  "case " + record.id() + " has no administrator appointed yet");
  }
  if (c.signer.org_id() != record.administrator_org_id() ||
      !HasRole(c.signer, pb::ROLE_ADMINISTRATOR_MEMBER)) {
    return Status(pb::Status::UNAUTHORIZED,
                  "only a member of the administrator of case " + record.id() + " may do this");
  }
  return Status::Ok();
}

Status RequireCaseJudge(const ActionContext& c, const pb::Case& record) {
  if (c.signer.org_id() != record.court_org_id() || !HasRole(c.signer, pb::ROLE_JUDGE)) {
    return Status(pb::Status::UNAUTHORIZED,
                  "only a judge of the court of case " + record.id() + " may do this");
  }
  return Status::Ok();
}

Status RequireJudgeOrAdministrator(const ActionContext& c, const pb::Case& record) {
  if (RequireCaseJudge(c, record).ok()) return Status::Ok();
  return RequireAdministrator(c, record);
}

bool ActsFor(const pb::Account& signer, const pb::CaseCreditor& creditor) {
  if (!creditor.bound_account_id().empty() && creditor.bound_account_id() == signer.id()) {
    return true;
  }
  return creditor.kind() == pb::CREDITOR_KIND_DEPARTMENT && !creditor.org_id().empty() &&
         signer.org_id() == creditor.org_id() && HasRole(signer, pb::ROLE_DEPARTMENT_OFFICER);
}

Result<pb::CaseCreditor> LoadCreditorActedFor(const ActionContext& c, const std::string& id,
                                              const std::string& field) {
  std::optional<pb::CaseCreditor> creditor = LoadCreditor(c.state, id);
  if (!creditor) return Status(pb::Status::NOT_FOUND, field + " " + id + " is no creditor entry");
  if (!ActsFor(c.signer, *creditor)) {
    return Status(pb::Status::UNAUTHORIZED,
                  "the signer does not act for creditor " + id + " (" + field + ")");
  }
  return std::move(*creditor);
}

Result<ClaimInCase> LoadClaimInOpenCase(const StateReader& state, const std::string& claim_id) {
  std::optional<pb::Claim> claim = LoadClaim(state, claim_id);
  if (!claim) return Status(pb::Status::NOT_FOUND, "claim_id " + claim_id + " does not exist");
  Result<pb::Case> record = LoadOpenCase(state, claim->case_id());
  if (!record.ok()) return record.status();
  return ClaimInCase{std::move(*claim), std::move(*record)};
}

Status RequireHolder(const ActionContext& c, const pb::Claim& claim) {
  std::optional<pb::CaseCreditor> holder = LoadCreditor(c.state, claim.creditor_id());
  assert(holder.has_value());  // a claim always names an existing entry
  if (!ActsFor(c.signer, *holder)) {
    return Status(pb::Status::UNAUTHORIZED,
                  "only the holder of claim " + claim.id() + " may do this");
  }
  return Status::Ok();
}

Result<ClaimInCase> LoadClaimForHolder(const ActionContext& c, const std::string& claim_id) {
  Result<ClaimInCase> found = LoadClaimInOpenCase(c.state, claim_id);
  if (!found.ok()) return found.status();
  if (Status st = RequireHolder(c, found->claim); !st.ok()) return st;
  return found;
}

Result<CreditorInCase> LoadCreditorForAdministrator(const ActionContext& c,
                                                    const std::string& creditor_id) {
  std::optional<pb::CaseCreditor> creditor = LoadCreditor(c.state, creditor_id);
  if (!creditor) {
    return Status(pb::Status::NOT_FOUND, "creditor_id " + creditor_id + " does not exist");
  }
  Result<pb::Case> record = LoadOpenCase(c.state, creditor->case_id());
  if (!record.ok()) return record.status();
  if (Status st = RequireAdministrator(c, *record); !st.ok()) return st;
  return CreditorInCase{std::move(*creditor), std::move(*record)};
}

void StoreClaimAfter(ActionContext& c, pb::Claim& claim, pb::ClaimEventKind kind) {
  claim.set_version(claim.version() + 1);
  c.state.Put(ClaimKey(claim.id()), claim.SerializeAsString());
  pb::ClaimEvent event;
  event.set_kind(kind);
  event.set_height(c.block.height);
  event.set_time_ms(c.block.time_ms);
  event.set_actor_account_id(c.signer.id());
  *event.mutable_claim() = claim;
  ListAppend(c.state, ClaimHistoryList(claim.id()), event.SerializeAsString());
  *c.changed_id = claim.id();
}

void StoreCreditor(Overlay& state, const pb::CaseCreditor& creditor) {
  state.Put(CreditorKey(creditor.id()), creditor.SerializeAsString());
}

std::string IssueNotice(ActionContext& c, pb::Notice notice) {
  notice.set_id(AppendNewId(c, "notice", notice.case_id(), CaseNoticesList(notice.case_id())));
  notice.set_sender_account_id(c.signer.id());
  notice.set_sent_height(c.block.height);
  notice.set_sent_time_ms(c.block.time_ms);
  c.state.Put(NoticeKey(notice.id()), notice.SerializeAsString());
  ListAppend(c.state, CreditorNoticesList(notice.creditor_id()), notice.id());
  return notice.id();
}

Status CheckAttachment(const std::string& field, const pb::Attachment& attachment) {
  if (attachment.hash().size() != 32) return Invalid(field + ".hash", "must be 32 bytes");
  if (attachment.size() == 0 || attachment.size() > kAttachmentBytesMax) {
    return Invalid(field + ".size", "must be 1 byte to 32 MiB");
  }
  if (attachment.keys_size() > kMaterialReadersMax) {
    return Invalid(field + ".keys",
                   "may wrap the data key for at most " + std::to_string(kMaterialReadersMax) +
                       " readers");
  }
  for (int i = 0; i < attachment.keys_size(); ++i) {
    const pb::WrappedKey& key = attachment.keys(i);
    const std::string at = field + ".keys[" + std::to_string(i) + "]";
    if (Status st = CheckText(at + ".reader_account_id", key.reader_account_id(), kShortTextBytesMax);
        !st.ok()) {
      return st;
    }
    if (key.wrapped().empty() || key.wrapped().size() > crypto::kWrappedKeyBytesMax) {
      return Invalid(at + ".wrapped",
                     "must be 1 to " + std::to_string(crypto::kWrappedKeyBytesMax) + " bytes");
    }
    for (int j = 0; j < i; ++j) {
      if (attachment.keys(j).reader_account_id() == key.reader_account_id()) {
        return Invalid(at + ".reader_account_id", "names reader " + key.reader_account_id() +
                                                      " a second time");
      }
    }
  }
  const std::string& type = attachment.media_type();
  if (Status st = CheckText(field + ".media_type", type, kMediaTypeBytesMax); !st.ok()) return st;
  size_t slash = type.find('/');
  if (slash == std::string::npos || slash == 0 || slash + 1 == type.size()) {
    return Invalid(field + ".media_type", "must look like type/subtype");
  }
  return CheckOptionalText(field + ".name", attachment.name(), kShortTextBytesMax);
}

Status CheckAttachments(const std::string& field,
                        const google::protobuf::RepeatedPtrField<pb::Attachment>& attachments) {
  if (attachments.size() > kAttachmentsMax) {
    return Status(pb::Status::TOO_LARGE,
                  field + " has more than " + std::to_string(kAttachmentsMax) + " attachments");
  }
  for (int i = 0; i < attachments.size(); ++i) {
    if (Status st = CheckAttachment(field + "[" + std::to_string(i) + "]", attachments[i]);
        !st.ok()) {
      return st;
    }
  }
  return Status::Ok();
}

Status CheckFutureTime(const ActionContext& c, const std::string& field, int64_t time_ms) {
  if (time_ms <= c.block.time_ms) {
    return Invalid(field, "must lie after the block time " + std::to_string(c.block.time_ms));
  }
  return Status::Ok();
}

Status CheckObjectionDeadline(const ActionContext& c, int64_t deadline_ms) {
  uint32_t days =
      ParamOr(c.executor.genesis().params().objection_window_min_days(), kDefaultObjectionWindowDays);
  if (deadline_ms < c.block.time_ms + DaysMs(c, days)) {
    return Invalid("objection_deadline_ms",
                   "must leave at least " + std::to_string(days) + " days to object");
  }
  return Status::Ok();
}

uint32_t ParamOr(uint32_t value, uint32_t fallback) { return value != 0 ? value : fallback; }
int64_t DaysMs(const ActionContext& c, uint32_t days) {
  return DaysToMs(c.executor.genesis().params(), days);
}

}  // namespace workflow
}  // namespace onechain::contracts
