// Helpers shared by the workflow contracts (creditors.cc, claims.cc, review.cc, meetings.cc,
// plans.cc). Internal to contracts/.
#pragma once

#include <string>

#include "contracts/checks.h"
#include "contracts/index.h"
#include "contracts/workflow.h"

namespace onechain::contracts::workflow {

// Each module's stateless field checks and its state transitions, by action.
Status PrecheckCreditorAction(const pb::TxBody& body);
Status ApplyCreditorAction(ActionContext& c, const pb::TxBody& body);
Status PrecheckClaimAction(const pb::TxBody& body);
Status ApplyClaimAction(ActionContext& c, const pb::TxBody& body);
Status PrecheckReviewAction(const pb::TxBody& body);
Status ApplyReviewAction(ActionContext& c, const pb::TxBody& body);
Status PrecheckMeetingAction(const pb::TxBody& body);
Status ApplyMeetingAction(ActionContext& c, const pb::TxBody& body);
Status PrecheckPlanAction(const pb::TxBody& body);
Status ApplyPlanAction(ActionContext& c, const pb::TxBody& body);

template <typename Record>
std::optional<Record> LoadRecord(const StateReader& state, const std::string& key) {
  std::optional<std::string> bytes = state.Get(key);
  if (!bytes) return std::nullopt;
  Record record;
  bool parsed = record.ParseFromString(*bytes);
  assert(parsed);  // state is written only by this module
  (void)parsed;
  return record;
}

// Hex of the first 16 bytes of H(tag ‖ case id ‖ 0x00 ‖ decimal sequence): ids of records that
// are numbered within a case.
std::string SequenceId(const crypto::Suite& suite, std::string_view tag, std::string_view case_id,
                       uint64_t sequence);

// A creditor entry's id: hex of the first 16 bytes of H("creditor" ‖ case id ‖ 0x00 ‖ id number).
std::string CreditorIdFor(const crypto::Suite& suite, std::string_view case_id,
                          std::string_view id_number);

// A new id numbered in `list` (SequenceId with the list's size), appended to the list.
std::string AppendNewId(ActionContext& c, std::string_view tag, std::string_view case_id,
                        const std::string& list);

// The case exists and is not terminated.
Result<pb::Case> LoadOpenCase(const StateReader& state, const std::string& case_id);
// The signer is a member of the firm appointed as the case's administrator.
Status RequireAdministrator(const ActionContext& c, const pb::Case& record);
// The signer is a judge of the case's court.
Status RequireCaseJudge(const ActionContext& c, const pb::Case& record);
Status RequireJudgeOrAdministrator(const ActionContext& c, const pb::Case& record);
// The signer acts for the creditor entry: its bound account, or an officer of its department.
bool ActsFor(const pb::Account& signer, const pb::CaseCreditor& creditor);
Result<pb::CaseCreditor> LoadCreditorActedFor(const ActionContext& c, const std::string& id,
                                              const std::string& field);

// The claim and its open case.
struct ClaimInCase {
  pb::Claim claim;
  pb::Case record;
};
Result<ClaimInCase> LoadClaimInOpenCase(const StateReader& state, const std::string& claim_id);
// The signer acts for the claim's current holder.
Status RequireHolder(const ActionContext& c, const pb::Claim& claim);
// The claim in an open case, with the signer checked as its holder.
Result<ClaimInCase> LoadClaimForHolder(const ActionContext& c, const std::string& claim_id);
// A creditor entry whose case is open, with the signer checked as a member of its administrator.
struct CreditorInCase {
  pb::CaseCreditor creditor;
  pb::Case record;
};
Result<CreditorInCase> LoadCreditorForAdministrator(const ActionContext& c,
                                                    const std::string& creditor_id);

// Stores the claim after an act: bumps its version, appends the event to its history, and names
// it as the changed record.
void StoreClaimAfter(ActionContext& c, pb::Claim& claim, pb::ClaimEventKind kind);
void StoreCreditor(Overlay& state, const pb::CaseCreditor& creditor);
// A new notice to a creditor entry; returns its id.
std::string IssueNotice(ActionContext& c, pb::Notice notice);

Status CheckAttachment(const std::string& field, const pb::Attachment& attachment);
Status CheckAttachments(const std::string& field,
                        const google::protobuf::RepeatedPtrField<pb::Attachment>& attachments);
// A deadline that must lie after the block's time.
Status CheckFutureTime(const ActionContext& c, const std::string& field, int64_t time_ms);

// An objection window that ends at least the network's minimum days after the block time.
Status CheckObjectionDeadline(const ActionContext& c, int64_t deadline_ms);

uint32_t ParamOr(uint32_t value, uint32_t fallback);
int64_t DaysMs(const ActionContext& c, uint32_t days);

}  // namespace onechain::contracts::workflow
