#include "node/events.h"

#include <charconv>

#include "contracts/cases.h"
#include "contracts/grants.h"
#include "contracts/queries.h"
#include "contracts/workflow.h"
#include "node/chain.h"
#include "node/envelope.h"
#include "util/bytes.h"

namespace onechain::node {

namespace {

// How an action's event is found: its type, how its case is found, and its privacy class.
enum class Subject {
  kCase,      // body's case id / the receipt's record is the case
  kCreditor,  // the receipt's record is a creditor entry
  kNotice,    // the receipt's record is a notice (to a creditor entry)
  kClaim,     // the receipt's record is a claim (to its holder)
  kMeeting,   // the receipt's record is a meeting
  kMotion,    // the receipt's record is a motion "<meeting id>-<n>"
  kPlan,      // the receipt's record is a plan
  kRecruitment,
  kGrant,     // the receipt's record is a department's data grant
};

struct Kind {
  const char* type;
  Subject subject;
  PrivacyClass privacy;
};

std::optional<Kind> KindOf(const pb::TxBody& body) {
  using P = PrivacyClass;
  using S = Subject;
  switch (body.action_case()) {
    case pb::TxBody::kAcceptCase:
      return Kind{"case.accepted", S::kCase, P::kPublic};
    case pb::TxBody::kAppointAdministrator:
      return Kind{"case.administrator_appointed", S::kCase, P::kPublic};
    case pb::TxBody::kSetClaimPeriod:
      return Kind{"case.claim_period_set", S::kCase, P::kPublic};
    case pb::TxBody::kTerminateCase:
      return Kind{"case.terminated", S::kCase, P::kPublic};
    case pb::TxBody::kReplaceAdministrator:
      return Kind{"case.administrator_replaced", S::kCase, P::kPublic};
    case pb::TxBody::kAddKnownCreditor:
      return Kind{"creditor.listed", S::kCreditor, P::kParty};
    case pb::TxBody::kBindCreditorAccount:
      return Kind{"creditor.bound", S::kCreditor, P::kParty};
    case pb::TxBody::kSendClaimNotice:
      return Kind{"notice.sent", S::kNotice, P::kParty};
    case pb::TxBody::kAcknowledgeNotice:
      return Kind{"notice.acknowledged", S::kNotice, P::kParty};
    case pb::TxBody::kDeclareClaim:
      return Kind{"claim.declared", S::kClaim, P::kParty};
    case pb::TxBody::kAmendClaim:
      return Kind{"claim.amended", S::kClaim, P::kParty};
    case pb::TxBody::kWithdrawClaim:
      return Kind{"claim.withdrawn", S::kClaim, P::kParty};
    case pb::TxBody::kListEmployeeClaim:
      return Kind{"claim.employee_listed", S::kClaim, P::kParty};
    case pb::TxBody::kRequestMaterial:
      return Kind{"claim.material_requested", S::kClaim, P::kParty};
    case pb::TxBody::kReviewClaim:
      return Kind{"claim.reviewed", S::kClaim, P::kParty};
    case pb::TxBody::kSendReviewNotice:
      return Kind{"claim.review_notice_sent", S::kClaim, P::kParty};
    case pb::TxBody::kObjectToClaim:
      return Kind{"claim.objected", S::kClaim, P::kParty};
    case pb::TxBody::kSetTemporaryVotingAmount:
      return Kind{"claim.temporary_amount_set", S::kClaim, P::kParty};
    case pb::TxBody::kConfirmClaims:
      return Kind{"claims.confirmed", S::kCase, P::kCase};
    case pb::TxBody::kTransferClaim:
      return Kind{"claim.transferred", S::kClaim, P::kParty};
    case pb::TxBody::kWaivePriority:
      return Kind{"claim.priority_waived", S::kClaim, P::kParty};
    case pb::TxBody::kConveneMeeting:
      return Kind{"meeting.convened", S::kMeeting, P::kPublic};
    case pb::TxBody::kAddMotion:
      return Kind{"motion.added", S::kMotion, P::kPublic};
    case pb::TxBody::kCastBallot:
      return Kind{"ballot.cast", S::kMotion, P::kParty};
    case pb::TxBody::kCloseMotion:
      return Kind{"motion.closed", S::kMotion, P::kPublic};
    case pb::TxBody::kProposePlan:
      return Kind{"plan.proposed", S::kPlan, P::kCase};
    case pb::TxBody::kProposeDistribution:
      return Kind{"distribution.proposed", S::kPlan, P::kCase};
    case pb::TxBody::kApprovePlan:
      return Kind{"plan.approved", S::kPlan, P::kCase};
    case pb::TxBody::kRecordPayment:
      return Kind{"payment.recorded", S::kPlan, P::kCase};
    case pb::TxBody::kPublishRecruitment:
      return Kind{"recruitment.published", S::kRecruitment, P::kPublic};
    // Data grants: seen by the grant's readers and the department asked (MaySee).
    case pb::TxBody::kRequestRecords:
      return Kind{"data.requested", S::kGrant, P::kParty};
    case pb::TxBody::kAnswerRecords:
      return Kind{"data.answered", S::kGrant, P::kParty};
    case pb::TxBody::kRevokeGrant:
      return Kind{"data.revoked", S::kGrant, P::kParty};
    case pb::TxBody::kRecordAccess:
      return Kind{"data.accessed", S::kGrant, P::kParty};
    default:
      return std::nullopt;  // governance: accounts, keys, the court's roster
  }
}

}  // namespace

const std::set<std::string>& EventTypes() {
  static const std::set<std::string> kTypes = [] {
    std::set<std::string> types;
    pb::TxBody body;
    const auto* descriptor = pb::TxBody::descriptor();
    for (int i = 0; i < descriptor->field_count(); ++i) {
      const auto* field = descriptor->field(i);
      if (field->containing_oneof() == nullptr) continue;
      body.GetReflection()->MutableMessage(&body, field);
      if (auto kind = KindOf(body)) types.insert(kind->type);
    }
    return types;
  }();
  return kTypes;
}

std::string EventId(const EventCursor& cursor) {
  if (cursor.index == UINT32_MAX) return std::to_string(cursor.height);
  return std::to_string(cursor.height) + "." + std::to_string(cursor.index);
}

std::optional<EventCursor> ParseEventId(std::string_view id) {
  EventCursor cursor;
  size_t dot = id.find('.');
  std::string_view height = id.substr(0, dot);
  auto parse = [](std::string_view text, auto& out) {
    if (text.empty() || text.size() > 19) return false;
    auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), out);
    return error == std::errc() && end == text.data() + text.size();
  };
  if (!parse(height, cursor.height)) return std::nullopt;
  if (dot == std::string_view::npos) {
    cursor.index = UINT32_MAX;  // after the whole block
    return cursor;
  }
  if (!parse(id.substr(dot + 1), cursor.index)) return std::nullopt;
  return cursor;
}

std::optional<ClassifiedEvent> ClassifyTx(const contracts::StateReader& state,
                                          const pb::TxBody& body, const pb::Receipt& receipt) {
  if (receipt.code() != pb::Status::OK) return std::nullopt;
  std::optional<Kind> kind = KindOf(body);
  if (!kind) return std::nullopt;
  ClassifiedEvent out;
  out.privacy = kind->privacy;
  pb::Event& e = out.event;
  e.set_type(kind->type);
  e.set_record_id(receipt.record_id());
  e.set_height(receipt.height());
  e.set_index(receipt.index());
  e.set_id(EventId({receipt.height(), receipt.index()}));
  e.set_tx_hash(ToHex(receipt.tx_hash()));
  const std::string& record = receipt.record_id();
  switch (kind->subject) {
    case Subject::kCase: {
      // Actions on a case name it; acceptance creates it (the receipt's record).
      std::string case_id = record;
      if (body.has_appoint_administrator()) case_id = body.appoint_administrator().case_id();
      if (body.has_set_claim_period()) case_id = body.set_claim_period().case_id();
      if (body.has_terminate_case()) case_id = body.terminate_case().case_id();
      if (body.has_replace_administrator()) case_id = body.replace_administrator().case_id();
      if (body.has_confirm_claims()) case_id = body.confirm_claims().case_id();
      e.set_case_id(case_id);
      break;
    }
    case Subject::kCreditor: {
      std::optional<pb::CaseCreditor> creditor = contracts::LoadCreditor(state, record);
      if (!creditor) return std::nullopt;
      e.set_case_id(creditor->case_id());
      e.set_creditor_id(creditor->id());
      break;
    }
    case Subject::kNotice: {
      std::optional<pb::Notice> notice = contracts::LoadNotice(state, record);
      if (!notice) return std::nullopt;
      e.set_case_id(notice->case_id());
      e.set_creditor_id(notice->creditor_id());
      break;
    }
    case Subject::kClaim: {
      std::optional<pb::Claim> claim = contracts::LoadClaim(state, record);
      if (!claim) return std::nullopt;
      e.set_case_id(claim->case_id());
      e.set_creditor_id(claim->creditor_id());
      break;
    }
    case Subject::kMeeting:
    case Subject::kMotion: {
      std::string meeting_id = record.substr(0, record.find('-'));
      std::optional<pb::Meeting> meeting = contracts::LoadMeeting(state, meeting_id);
      if (!meeting) return std::nullopt;
      e.set_case_id(meeting->case_id());
      if (body.has_cast_ballot()) e.set_creditor_id(body.cast_ballot().creditor_id());
      break;
    }
    case Subject::kPlan: {
      std::optional<pb::Plan> plan = contracts::LoadPlan(state, record);
      if (!plan) return std::nullopt;
      e.set_case_id(plan->case_id());
      break;
    }
    case Subject::kRecruitment:
      e.set_case_id(body.publish_recruitment().case_id());
      break;
    case Subject::kGrant: {
      std::optional<pb::Grant> grant = contracts::LoadGrant(state, record);
      if (!grant) return std::nullopt;
      e.set_case_id(grant->case_id());
      out.grant_id = grant->id();
      break;
    }
  }
  return out;
}

bool MaySee(const contracts::StateReader& state, const pb::Account* viewer,
            const ClassifiedEvent& event) {
  if (event.privacy == PrivacyClass::kPublic) return true;
  if (viewer == nullptr || viewer->status() != pb::ACCOUNT_STATUS_ACTIVE) return false;
  if (!viewer->id().empty() && viewer->id() == event.event.signer_account_id()) return true;
  std::optional<pb::Case> record = contracts::LoadCase(state, event.event.case_id());
  if (!record) return false;
  if (!event.grant_id.empty()) {  // the grant's readers and the department asked, no one else
    std::optional<pb::Grant> grant = contracts::LoadGrant(state, event.grant_id);
    return grant && (contracts::MayReadGrant(*viewer, *grant, *record) ||
                     contracts::IsGrantDepartment(*viewer, *grant));
  }
  std::optional<pb::CaseCreditor> party;
  if (!event.event.creditor_id().empty()) {
    party = contracts::LoadCreditor(state, event.event.creditor_id());
  }
  CallerRelation relation =
      RelationTo(state, viewer, *record, event.privacy, party ? &*party : nullptr);
  return MayRead(event.privacy, relation);
}

pb::Account OrgViewer(std::string_view org_id) {
  pb::Account viewer;
  viewer.set_org_id(std::string(org_id));
  viewer.set_status(pb::ACCOUNT_STATUS_ACTIVE);
  for (pb::Role role : {pb::ROLE_JUDGE, pb::ROLE_CLERK, pb::ROLE_ADMINISTRATOR_MEMBER,
                        pb::ROLE_DEPARTMENT_OFFICER}) {
    viewer.add_roles(role);
  }
  return viewer;
}

bool EventFilter::Matches(const pb::Event& event) const {
  if (!case_id.empty() && event.case_id() != case_id) return false;
  return types.empty() || types.contains(event.type());
}

Result<EventPage> ReadEvents(const Chain& chain, const std::optional<pb::Account>& viewer,
                             const EventCursor& after, const EventFilter& filter, size_t limit,
                             uint64_t up_to, uint64_t blocks_max) {
  EventPage page;
  page.next = after;
  const contracts::StateReader& state = chain.state();
  // The viewer as committed state knows it now (a revoked account sees public events only).
  std::optional<pb::Account> current;
  if (viewer && !viewer->id().empty()) {
    current = chain.executor().LoadAccount(state, viewer->id());
    if (current && current->status() != pb::ACCOUNT_STATUS_ACTIVE) current.reset();
  } else if (viewer) {
    current = viewer;  // an organization's view (OrgViewer)
  }
  const pb::Account* who = current ? &*current : nullptr;
  uint64_t height =
      after.index == UINT32_MAX ? after.height + 1 : std::max<uint64_t>(after.height, 1);
  uint64_t scanned = 0;
  for (; height <= up_to && scanned < blocks_max; ++height, ++scanned) {
    auto bytes = chain.store().GetBlock(height);
    if (!bytes.ok()) return bytes.status();
    pb::Block block;
    if (!bytes->has_value() || !block.ParseFromString(**bytes)) {
      return Status(pb::Status::IO, "block " + std::to_string(height) + " is missing or corrupt");
    }
    pb::BlockHeader header;
    header.ParseFromString(block.header());
    uint32_t first = height == after.height ? after.index + 1 : 0;
    if (height == after.height && after.index == UINT32_MAX) first = UINT32_MAX;
    for (uint32_t index = first; index < static_cast<uint32_t>(block.txs_size()); ++index) {
      pb::SignedTx envelope;
      pb::TxBody body;
      if (!envelope.ParseFromString(block.txs(index)) || !body.ParseFromString(envelope.body())) {
        continue;  // admission never lets such bytes in
      }
      auto receipt = chain.store().GetReceipt(TxHash(chain.suite(), envelope));
      if (!receipt.ok()) return receipt.status();
      page.next = {height, index};
      if (!receipt->has_value() || (*receipt)->height() != height) continue;
      std::optional<ClassifiedEvent> event = ClassifyTx(state, body, **receipt);
      if (!event) continue;
      event->event.set_time_ms(header.time_ms());
      if (auto signer = chain.executor().LoadAccountByKey(state, body.signer())) {
        event->event.set_signer_account_id(signer->id());
      }
      if (!filter.Matches(event->event) || !MaySee(state, who, *event)) continue;
      page.events.push_back(std::move(event->event));
      if (page.events.size() >= limit) return page;
    }
    page.next = {height, UINT32_MAX};
  }
  return page;
}

}  // namespace onechain::node
