// Node's reads of the bankruptcy workflow: each runs the contracts' pure queries on one snapshot
// of committed state, after node/read_policy.h decided the caller may read the record.
#include <spdlog/spdlog.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <set>

#include "contracts/executor.h"
#include "contracts/grants.h"
#include "contracts/index.h"
#include "util/bytes.h"
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

// Encrypted materials and data grants (docs/privacy.md).
namespace onechain::node {

namespace {

// Reads judge a grant's date by the node's clock; the contracts judge it by block time.
int64_t WallClockMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

}  // namespace

Result<pb::BlobPutResponse> Node::PutBlob(std::string_view hash_hex, std::string_view bytes) {
  std::optional<std::string> hash = FromHex(hash_hex);
  if (!hash || hash->size() != 32) {
    return Status(pb::Status::INVALID_ARGUMENT, "a blob is named by the 64 hex digits of its hash");
  }
  if (bytes.size() > blobs_->max_blob_bytes()) {
    return Status(pb::Status::TOO_LARGE, "a blob is at most " +
                                             std::to_string(blobs_->max_blob_bytes()) + " bytes");
  }
  if (bytes.empty()) return Status(pb::Status::INVALID_ARGUMENT, "the body is empty");
  if (chain_->suite().Hash(bytes) != *hash) {
    return Status(pb::Status::HASH_MISMATCH,
                  "the body does not hash to " + std::string(hash_hex) + "; nothing was stored");
  }
  Result<std::string> stored = blobs_->Put(bytes);
  if (!stored.ok()) return stored.status();
  pb::BlobPutResponse reply;
  reply.set_hash(ToHex(*stored));
  reply.set_size(static_cast<uint32_t>(bytes.size()));
  return reply;
}

Status Node::CheckBlobsHeld(const pb::TxBody& body) const {
  Status missing = Status::Ok();
  contracts::ForEachAttachment(body, [&](const pb::Attachment& file) {
    if (!missing.ok() || file.hash().size() != 32) return;  // the contract names a bad hash
    if (!blobs_->Has(file.hash())) {
      missing = Status(pb::Status::BLOB_MISSING,
                       "material " + ToHex(file.hash()) +
                           " is not on this node: upload it with PUT /v1/blobs/{hash} first");
    }
  });
  return missing;
}

Result<std::string> Node::GetBlob(const pb::Account* caller, std::string_view hash_hex,
                                  int64_t now_ms) const {
  std::optional<std::string> hash = FromHex(hash_hex);
  if (!hash || hash->size() != 32) return NotFound("blob");
  Result<Read> read = BeginRead(*chain_, caller);
  if (!read.ok()) return read.status();
  if (!read->caller) return NotFound("blob");
  const pb::Account& who = *read->caller;
  std::optional<pb::BlobRefs> refs = contracts::LoadBlobRefs(*read->state, *hash);
  if (!refs) return NotFound("blob");
  bool allowed = false;
  for (const pb::BlobRef& ref : refs->refs()) {
    if (ref.submitter_account_id() == who.id()) {
      allowed = true;
      break;
    }
    bool named = std::find(ref.reader_account_ids().begin(), ref.reader_account_ids().end(),
                           who.id()) != ref.reader_account_ids().end();
    if (ref.grant_id().empty()) {
      if (named) {
        allowed = true;
        break;
      }
      continue;
    }
    std::optional<pb::Grant> grant = contracts::LoadGrant(*read->state, ref.grant_id());
    if (!grant) continue;
    std::optional<pb::Case> record = contracts::LoadCase(*read->state, grant->case_id());
    if (!record || !contracts::MayReadGrant(who, *grant, *record)) continue;
    if (contracts::EffectiveStatus(*grant, *record, now_ms) != pb::GRANT_STATUS_ANSWERED) continue;
    std::optional<int64_t> last =
        contracts::LastAccess(*read->state, grant->id(), who.id(), *hash);
    if (last && now_ms - *last <= kGrantReadWindowMs) {
      allowed = true;
      break;
    }
  }
  if (!allowed) return NotFound("blob");
  Result<std::string> bytes = blobs_->Get(*hash);
  if (!bytes.ok() && bytes.status().code() == pb::Status::NOT_FOUND) return NotFound("blob");
  return bytes;
}

Result<pb::RecordTypeList> Node::GetRecordTypes(std::string_view org_id) const {
  Result<Read> read = BeginRead(*chain_, nullptr);
  if (!read.ok()) return read.status();
  std::optional<pb::RecordTypeList> types = contracts::LoadRecordTypes(*read->state, org_id);
  if (!types) return NotFound("record types");
  return std::move(*types);
}

namespace {

// The grant, with its effective status, if `caller` is its reader or its department's officer.
std::optional<pb::Grant> VisibleGrant(const Read& read, std::string_view grant_id,
                                      int64_t now_ms, bool readers_too) {
  if (!read.caller) return std::nullopt;
  std::optional<pb::Grant> grant = contracts::LoadGrant(*read.state, grant_id);
  if (!grant) return std::nullopt;
  std::optional<pb::Case> record = contracts::LoadCase(*read.state, grant->case_id());
  if (!record) return std::nullopt;
  bool court = read.caller->org_id() == record->court_org_id() &&
               contracts::MayReadGrant(*read.caller, *grant, *record);
  bool visible = contracts::IsGrantDepartment(*read.caller, *grant) || court ||
                 (readers_too && contracts::MayReadGrant(*read.caller, *grant, *record));
  if (!visible) return std::nullopt;
  grant->set_status(contracts::EffectiveStatus(*grant, *record, now_ms));
  return grant;
}

}  // namespace

Result<pb::Grant> Node::GetGrant(const pb::Account* caller, std::string_view grant_id) const {
  Result<Read> read = BeginRead(*chain_, caller);
  if (!read.ok()) return read.status();
  std::optional<pb::Grant> grant =
      VisibleGrant(*read, grant_id, WallClockMs(), true);
  if (!grant) return NotFound("grant");
  return std::move(*grant);
}

Result<pb::GrantList> Node::GetMyGrants(const pb::Account* caller) const {
  Result<Read> read = BeginRead(*chain_, caller);
  if (!read.ok()) return read.status();
  if (!read->caller) {
    return Status(pb::Status::UNAUTHENTICATED, "sign the request to read your grants");
  }
  pb::GrantList list;
  int64_t now_ms = WallClockMs();
  for (const std::string& id : contracts::ListRead(
           *read->state, contracts::OrgGrantsList(read->caller->org_id()), 0, kGrantsListMax)) {
    std::optional<pb::Grant> grant = VisibleGrant(*read, id, now_ms, false);
    if (grant) *list.add_grants() = std::move(*grant);
  }
  return list;
}

Result<pb::AccessRecordList> Node::ListGrantAccess(const pb::Account* caller,
                                                   std::string_view grant_id,
                                                   contracts::Page page) const {
  Result<Read> read = BeginRead(*chain_, caller);
  if (!read.ok()) return read.status();
  if (!VisibleGrant(*read, grant_id, 0, false)) return NotFound("grant");
  pb::AccessRecordList list;
  std::string key = contracts::GrantAccessList(grant_id);
  list.set_total(contracts::ListSize(*read->state, key));
  for (const std::string& bytes : contracts::ListRead(*read->state, key, page.offset, page.limit)) {
    (void)list.add_records()->ParseFromString(bytes);
  }
  list.set_next_offset(page.offset + static_cast<uint64_t>(list.records_size()));
  return list;
}

}  // namespace onechain::node
