// The bankruptcy workflow after acceptance (DOMAIN.md steps 4-14): known creditors, notices,
// claims, reviews, objections, court rulings on claims, meetings and votes, plans, distribution
// and payments, investor recruitment. The Executor dispatches these actions here; queries.h reads
// what they store. contracts/README.md documents every state key below.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "claims.pb.h"
#include "contracts/cases.h"
#include "contracts/distribution.h"
#include "meetings.pb.h"

namespace onechain::contracts {

// Limits on what one action may carry.
inline constexpr size_t kTextBytesMax = 4000;          // facts, reasons, notice texts
inline constexpr size_t kShortTextBytesMax = 200;      // names, titles, ids of collateral
inline constexpr size_t kMediaTypeBytesMax = 100;
inline constexpr int kComponentsMax = 16;
inline constexpr int kTaxItemsMax = 32;
inline constexpr int kAttachmentsMax = 32;
inline constexpr int kObjectionsPerClaimMax = 50;
inline constexpr int kTransfersPerClaimMax = 20;
inline constexpr int kClaimsPerConfirmationMax = 1000;
inline constexpr int kMotionsPerMeetingMax = 20;
inline constexpr int kCollateralsMax = 200;
inline constexpr int kExpensesMax = 200;
// A material is one encrypted file in the node's blob store (ledger::kBlobBytesMaxDefault).
inline constexpr uint64_t kAttachmentBytesMax = uint64_t{32} << 20;  // 32 MiB
// Readers a material's data key may be wrapped for (holder, administrator members, court).
inline constexpr int kMaterialReadersMax = 16;

// Defaults of network parameters that read 0 (block.proto NetworkParams).
inline constexpr uint32_t kDefaultClaimNoticeDays = 25;      // EBL 14
inline constexpr uint32_t kDefaultObjectionWindowDays = 15;
inline constexpr uint32_t kDefaultLawsuitDays = 15;          // JI III 8

// Record keys.
std::string CreditorKey(std::string_view creditor_id);
std::string ClaimKey(std::string_view claim_id);
std::string NoticeKey(std::string_view notice_id);
std::string MeetingKey(std::string_view meeting_id);
std::string BallotKey(std::string_view motion_id, std::string_view creditor_id);
std::string PlanKey(std::string_view plan_id);
std::string PlannedPaymentKey(std::string_view plan_id, std::string_view payee_id);
std::string RecruitmentKey(std::string_view notice_id);

// Lists (see index.h): each names an append-only list of ids or records.
std::string CaseCreditorsList(std::string_view case_id);     // creditor ids
std::string CaseClaimsList(std::string_view case_id);        // claim ids
std::string CaseNoticesList(std::string_view case_id);       // notice ids
std::string CaseMeetingsList(std::string_view case_id);      // meeting ids
std::string CasePlansList(std::string_view case_id);         // plan ids
std::string CaseRecruitmentsList(std::string_view case_id);  // recruitment notice ids
std::string CreditorClaimsList(std::string_view creditor_id);   // claim ids (held now or before)
std::string CreditorNoticesList(std::string_view creditor_id);  // notice ids
std::string AccountCreditorsList(std::string_view account_id);  // creditor entries bound to it
std::string OrgCreditorsList(std::string_view org_id);          // department creditor entries
std::string ClaimHistoryList(std::string_view claim_id);        // pb::ClaimEvent records
std::string MotionBallotsList(std::string_view motion_id);      // creditor ids that voted
std::string PlanPayeesList(std::string_view plan_id);           // payee ids of a distribution
std::string PlanPaymentsList(std::string_view plan_id);         // pb::PaymentRecord records

bool IsWorkflowAction(const pb::TxBody& body);
// Stateless checks of the action's fields.
Status PrecheckWorkflowAction(const pb::TxBody& body);
// The signer holds a role that may ever do the action (judge, administrator member, or a
// creditor's / department officer's account); whether it may do it in this case is judged at
// execution. Refusing the others at admission keeps them out of blocks and their nonces unspent.
Status PrecheckWorkflowRole(const std::optional<pb::Account>& signer, const pb::TxBody& body);
Status ApplyWorkflowAction(ActionContext& context, const pb::TxBody& body);

std::optional<pb::CaseCreditor> LoadCreditor(const StateReader& state, std::string_view id);
std::optional<pb::Claim> LoadClaim(const StateReader& state, std::string_view id);
std::optional<pb::Notice> LoadNotice(const StateReader& state, std::string_view id);
std::optional<pb::Meeting> LoadMeeting(const StateReader& state, std::string_view id);
std::optional<pb::Plan> LoadPlan(const StateReader& state, std::string_view id);

// A declaration's components with tax items expanded (in order: components, then per tax item
// tax, late fee, fine, special-adjustment interest, each only when non-zero), with the automatic
// ranking of tax items: tax -> tier 2; late fees and special-adjustment interest -> ordinary;
// fines -> subordinated (SPC reply 2012 No. 9; SAT 2019 No. 48). Others are left unranked.
std::vector<pb::ComponentResult> DeclaredComponents(const pb::Declaration& declaration);
pb::Ranking AutomaticRanking(pb::ComponentKind kind);

// A claim's confirmed amounts for distribution and voting: the secured part (0 once priority is
// waived) and the unsecured parts per Tier of distribution.h (a waived secured part is ordinary).
struct ConfirmedAmounts {
  int64_t secured = 0;
  int64_t by_tier[kTierCount] = {};
};
ConfirmedAmounts ConfirmedAmountsOf(const pb::Claim& claim);

// What a creditor weighs in a vote (EBL 59): claims confirmed by the court, or reviewed, notified
// and unopposed once the objection window is over, count with their confirmed amounts; any other
// claim in force counts only with a temporary amount the court set (as ordinary).
struct VotingWeight {
  int64_t secured = 0;   // secured, priority not waived
  int64_t employee = 0;
  int64_t tax = 0;       // social insurance and tax
  int64_t ordinary = 0;  // ordinary, subordinated, waived secured, temporary amounts
  int64_t Unsecured() const { return employee + tax + ordinary; }  // bounded by AddWeight
  int64_t Total() const { return secured + Unsecured(); }
};
// Weights of every creditor entry of the case that holds a claim with a vote, at block time
// `now_ms`. INVALID_ARGUMENT if a creditor's sum overflows.
Result<std::map<std::string, VotingWeight>> CaseVotingWeights(const StateReader& state,
                                                              std::string_view case_id,
                                                              int64_t now_ms);
// The weight of one creditor entry: the claims it holds now.
Result<VotingWeight> CreditorVotingWeight(const StateReader& state, std::string_view creditor_id,
                                          int64_t now_ms);
// Whether a creditor of this weight votes on a motion of this kind: not at all without a weight;
// a secured creditor who has not waived priority not on a compromise or a distribution plan
// (EBL 59 ¶3).
Status CheckEligible(const VotingWeight& weight, pb::MotionKind kind);
// The tally of a closed motion from its ballots.
Result<pb::MotionResult> TallyMotion(const StateReader& state, const pb::Meeting& meeting,
                                     const pb::Motion& motion, int64_t now_ms);

// The distribution `input` would make now from the court-confirmed claims' outstanding amounts
// (see plans.cc for the rules); payments in case-claim order, then expenses.
Result<pb::DistributionDetail> ComputeCaseDistribution(const StateReader& state,
                                                       const pb::ProposeDistribution& input);

}  // namespace onechain::contracts
