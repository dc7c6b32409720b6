// Node's reads of the bankruptcy workflow: each runs the contracts' pure queries on one snapshot
// of committed state, after node/read_policy.h decided the caller may read the record.
#include <spdlog/spdlog.h>

#include <cstdlib>
#include <set>

#include "contracts/executor.h"
#include "node/node.h"

namespace onechain::node {

namespace {

// Committed state as of one block, for the contracts' queries. A storage read failure stops the
// node, as it does for CommittedState: a partial view must never be served as the chain's.
class SnapshotState : public contracts::StateReader {
 public:
  explicit SnapshotState(std::unique_ptr<ledger::StateSnapshot> snapshot)
      : snapshot_(std::move(snapshot)) {}
  std::optional<std::string> Get(std::string_view key) const override {
    auto value = snapshot_->Get(key);
    if (!value.ok()) {
      spdlog::critical("state read failed, stopping: {}", value.status().message());
      std::abort();
    }
    return std::move(*value);
  }

 private:
  std::unique_ptr<ledger::StateSnapshot> snapshot_;
};

// One read: the snapshot, and the caller as that snapshot knows it (a key revoked in a block
// after the request was verified reads as unsigned).
struct Read {
  std::unique_ptr<SnapshotState> state;
  std::optional<pb::Account> caller;
  const pb::Account* caller_ptr() const { return caller ? &*caller : nullptr; }
};

Result<Read> BeginRead(const Chain& chain, const pb::Account* caller) {
  auto snapshot = chain.store().SnapshotState();
  if (!snapshot.ok()) return snapshot.status();
  Read read{std::make_unique<SnapshotState>(std::move(*snapshot)), std::nullopt};
  if (caller != nullptr) {
    read.caller = chain.executor().LoadAccount(*read.state, caller->id());
    if (read.caller && read.caller->status() != pb::ACCOUNT_STATUS_ACTIVE) read.caller.reset();
  }
  return read;
}

// The case, if `read`'s caller may read its records of `privacy`; NotFound(kind) otherwise.
Result<pb::Case> CaseFor(const Read& read, std::string_view case_id, PrivacyClass privacy,
                         std::string_view kind, const pb::CaseCreditor* party = nullptr,
                         CallerRelation* relation_out = nullptr) {
  std::optional<pb::Case> record = contracts::LoadCase(*read.state, case_id);
  if (!record) return NotFound(kind);
  CallerRelation relation = RelationTo(*read.state, read.caller_ptr(), *record, privacy, party);
  if (!MayRead(privacy, relation)) return NotFound(kind);
  if (relation_out != nullptr) *relation_out = relation;
  return std::move(*record);
}

// The claim, if `read`'s caller may read it (party class).
Result<pb::Claim> ClaimFor(const Read& read, std::string_view claim_id) {
  std::optional<pb::Claim> claim = contracts::LoadClaim(*read.state, claim_id);
  if (!claim) return NotFound("claim");
  std::optional<pb::CaseCreditor> holder =
      contracts::LoadCreditor(*read.state, claim->creditor_id());
  Result<pb::Case> record =
      CaseFor(read, claim->case_id(), PrivacyClass::kParty, "claim", holder ? &*holder : nullptr);
  if (!record.ok()) return record.status();
  return std::move(*claim);
}

// A refusal or absence from a contracts query on a record checked readable keeps its own error;
// NOT_FOUND keeps the policy's wording so that both look alike.
template <typename T>
Result<T> Masked(Result<T> result, std::string_view kind) {
  if (!result.ok() && result.status().code() == pb::Status::NOT_FOUND) return NotFound(kind);
  return result;
}

}  // namespace

Result<pb::ClaimForm> Node::GetClaimForm(const pb::Account* caller, std::string_view case_id,
                                         contracts::Page page) const {
  Result<Read> read = BeginRead(*chain_, caller);
  if (!read.ok()) return read.status();
  Result<pb::Case> record = CaseFor(*read, case_id, PrivacyClass::kCase, "claim form");
  if (!record.ok()) return record.status();
  return Masked(contracts::GetClaimForm(*read->state, case_id, page), "claim form");
}

Result<pb::Claim> Node::GetClaim(const pb::Account* caller, std::string_view claim_id) const {
  Result<Read> read = BeginRead(*chain_, caller);
  if (!read.ok()) return read.status();
  return ClaimFor(*read, claim_id);
}

Result<pb::ClaimHistory> Node::GetClaimHistory(const pb::Account* caller,
                                               std::string_view claim_id) const {
  Result<Read> read = BeginRead(*chain_, caller);
  if (!read.ok()) return read.status();
  Result<pb::Claim> claim = ClaimFor(*read, claim_id);
  if (!claim.ok()) return claim.status();
  return Masked(contracts::GetClaimHistory(*read->state, claim_id), "claim");
}

Result<pb::CaseCreditorList> Node::ListCaseCreditors(const pb::Account* caller,
                                                     std::string_view case_id,
                                                     contracts::Page page) const {
  Result<Read> read = BeginRead(*chain_, caller);
  if (!read.ok()) return read.status();
  CallerRelation relation;
  Result<pb::Case> record =
      CaseFor(*read, case_id, PrivacyClass::kCase, "creditor list", nullptr, &relation);
  if (!record.ok()) return record.status();
  Result<pb::CaseCreditorList> list =
      Masked(contracts::ListCaseCreditors(*read->state, case_id, page), "creditor list");
  if (list.ok() && !SeesCreditorIdentities(relation)) {
    for (pb::CaseCreditor& creditor : *list->mutable_creditors()) {
      if (!contracts::ActsForCreditor(*read->caller, creditor)) RedactCreditorIdentity(creditor);
    }
  }
  return list;
}

Result<pb::PlanList> Node::ListCasePlans(const pb::Account* caller, std::string_view case_id,
                                         contracts::Page page) const {
  Result<Read> read = BeginRead(*chain_, caller);
  if (!read.ok()) return read.status();
  Result<pb::Case> record = CaseFor(*read, case_id, PrivacyClass::kCase, "plan list");
  if (!record.ok()) return record.status();
  return Masked(contracts::ListCasePlans(*read->state, case_id, page), "plan list");
}

Result<pb::PlanView> Node::GetPlan(const pb::Account* caller, std::string_view plan_id) const {
  Result<Read> read = BeginRead(*chain_, caller);
  if (!read.ok()) return read.status();
  std::optional<pb::Plan> plan = contracts::LoadPlan(*read->state, plan_id);
  if (!plan) return NotFound("plan");
  Result<pb::Case> record = CaseFor(*read, plan->case_id(), PrivacyClass::kCase, "plan");
  if (!record.ok()) return record.status();
  return Masked(contracts::GetPlan(*read->state, plan_id), "plan");
}

Result<pb::DistributionDetail> Node::PreviewDistribution(
    const pb::Account* caller, const pb::ProposeDistribution& input) const {
  Result<Read> read = BeginRead(*chain_, caller);
  if (!read.ok()) return read.status();
  const std::string& case_id = input.case_id();
  Result<pb::Case> record = CaseFor(*read, case_id, PrivacyClass::kCase, "distribution preview");
  if (!record.ok()) return record.status();
  return Masked(contracts::PreviewDistribution(*read->state, input), "distribution preview");
}

Result<pb::NoticeList> Node::GetMyNotices(const pb::Account* caller) const {
  Result<Read> read = BeginRead(*chain_, caller);
  if (!read.ok()) return read.status();
  if (!read->caller) {
    return Status(pb::Status::UNAUTHENTICATED, "sign the request to read your notices");
  }
  Result<pb::CreditorInbox> inbox = contracts::GetCreditorInbox(*read->state, read->caller->id());
  if (!inbox.ok()) return inbox.status();
  pb::NoticeList list;
  *list.mutable_notices() = std::move(*inbox->mutable_notices());
  return list;
}

Result<pb::ClaimList> Node::GetMyClaims(const pb::Account* caller) const {
  Result<Read> read = BeginRead(*chain_, caller);
  if (!read.ok()) return read.status();
  if (!read->caller) {
    return Status(pb::Status::UNAUTHENTICATED, "sign the request to read your claims");
  }
  Result<pb::CreditorInbox> inbox = contracts::GetCreditorInbox(*read->state, read->caller->id());
  if (!inbox.ok()) return inbox.status();
  pb::ClaimList list;
  *list.mutable_claims() = std::move(*inbox->mutable_claims());
  *list.mutable_creditors() = std::move(*inbox->mutable_creditors());
  return list;
}

Result<pb::MeetingList> Node::ListCaseMeetings(std::string_view case_id,
                                               contracts::Page page) const {
  Result<Read> read = BeginRead(*chain_, nullptr);
  if (!read.ok()) return read.status();
  return Masked(contracts::ListCaseMeetings(*read->state, case_id, page), "case");
}

Result<pb::RecruitmentList> Node::ListCaseRecruitments(std::string_view case_id,
                                                       contracts::Page page) const {
  Result<Read> read = BeginRead(*chain_, nullptr);
  if (!read.ok()) return read.status();
  return Masked(contracts::ListCaseRecruitments(*read->state, case_id, page), "case");
}

Result<pb::RecruitmentList> Node::ListRecruitments(std::string_view page_token,
                                                   uint32_t page_size) const {
  if (page_size == 0 || page_size > contracts::kPageSizeMax) {
    return Status(pb::Status::INVALID_ARGUMENT,
                  "page_size is 1 to " + std::to_string(contracts::kPageSizeMax));
  }
  const std::string prefix = contracts::RecruitmentKey("");
  std::string start_after;
  if (!page_token.empty()) start_after = prefix + std::string(page_token);
  // One more than the page tells whether another page follows.
  auto rows = chain_->store().ScanState(prefix, start_after, page_size + 1);
  if (!rows.ok()) return rows.status();
  pb::RecruitmentList list;
  for (size_t i = 0; i < rows->size() && i < page_size; ++i) {
    bool parsed = list.add_notices()->ParseFromString((*rows)[i].second);
    assert(parsed);
    (void)parsed;
  }
  if (rows->size() > page_size) list.set_next_page_token(list.notices(page_size - 1).id());
  return list;
}

}  // namespace onechain::node
