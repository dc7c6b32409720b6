// Data grants: a department declares what it can answer, an administrator asks about its case's
// debtor, the department answers with records encrypted for that administrator and the court,
// and every read leaves an access record (contracts/grants.h, docs/privacy.md).
#include "contracts/grants.h"

#include <google/protobuf/descriptor.h>
#include <google/protobuf/reflection.h>

#include <algorithm>
#include <charconv>
#include <set>

#include "contracts/workflow_internal.h"
#include "util/bytes.h"

namespace onechain::contracts {

namespace {

using workflow::LoadRecord;

bool IsDepartmentKind(pb::OrgKind kind) {
  return kind == pb::ORG_KIND_TAX_BUREAU || kind == pb::ORG_KIND_MARKET_REGULATOR ||
         kind == pb::ORG_KIND_DEPARTMENT;
}

Status RequireDepartmentOfficer(const ActionContext& c) {
  std::optional<pb::Org> org = c.executor.LoadOrg(c.state, c.signer.org_id());
  if (!org || !IsDepartmentKind(org->kind()) ||
      !HasRole(c.signer, pb::ROLE_DEPARTMENT_OFFICER)) {
    return Status(pb::Status::UNAUTHORIZED, "only an officer of a department may do this");
  }
  return Status::Ok();
}

Status PrecheckRecordTypes(const pb::DeclareRecordTypes& a) {
  if (a.types_size() == 0) return Invalid("types", "is required: name at least one record type");
  if (a.types_size() > kRecordTypesMax) {
    return Status(pb::Status::TOO_LARGE,
                  "types has more than " + std::to_string(kRecordTypesMax) + " record types");
  }
  std::set<std::string> names;
  for (int i = 0; i < a.types_size(); ++i) {
    const pb::RecordType& type = a.types(i);
    const std::string at = "types[" + std::to_string(i) + "]";
    if (Status st = CheckText(at + ".name", type.name(), kShortTextBytesMax); !st.ok()) return st;
    if (!names.insert(type.name()).second) {
      return Invalid(at + ".name", "names record type " + type.name() + " a second time");
    }
    if (type.fields_size() == 0) return Invalid(at + ".fields", "is required");
    if (type.fields_size() > kRecordFieldsMax) {
      return Status(pb::Status::TOO_LARGE, at + ".fields has more than " +
                                               std::to_string(kRecordFieldsMax) + " fields");
    }
    std::set<std::string> fields;
    for (int j = 0; j < type.fields_size(); ++j) {
      const std::string field_at = at + ".fields[" + std::to_string(j) + "]";
      if (Status st = CheckText(field_at, type.fields(j), kShortTextBytesMax); !st.ok()) return st;
      if (!fields.insert(type.fields(j)).second) {
        return Invalid(field_at, "names field " + type.fields(j) + " a second time");
      }
    }
  }
  return Status::Ok();
}

Status ApplyRecordTypes(ActionContext& c, const pb::DeclareRecordTypes& a) {
  if (Status st = RequireDepartmentOfficer(c); !st.ok()) return st;
  pb::RecordTypeList list;
  list.set_org_id(c.signer.org_id());
  *list.mutable_types() = a.types();
  list.set_height(c.block.height);
  c.state.Put(RecordTypesKey(c.signer.org_id()), list.SerializeAsString());
  *c.changed_id = c.signer.org_id();
  return Status::Ok();
}

Status ApplyRequest(ActionContext& c, const pb::RequestRecords& a) {
  Result<pb::Case> record = workflow::LoadOpenCase(c.state, a.case_id());
  if (!record.ok()) return record.status();
  if (Status st = workflow::RequireAdministrator(c, *record); !st.ok()) return st;
  if (a.debtor_credit_code() != record->debtor_credit_code()) {
    return Invalid("debtor_credit_code",
                   "is not the debtor of case " + record->id() +
                       "; an administrator may ask only about its own case's debtor");
  }
  std::optional<pb::Org> department = c.executor.LoadOrg(c.state, a.department_org_id());
  if (!department || !IsDepartmentKind(department->kind())) {
    return Status(pb::Status::NOT_FOUND, "no department " + a.department_org_id());
  }
  std::optional<pb::RecordTypeList> types = LoadRecordTypes(c.state, a.department_org_id());
  bool known = types && std::any_of(types->types().begin(), types->types().end(),
                                    [&](const pb::RecordType& t) { return t.name() == a.record_type(); });
  if (!known) {
    return Invalid("record_type", "department " + a.department_org_id() +
                                      " has declared no record type " + a.record_type());
  }
  if (a.expires_ms() != 0) {
    if (Status st = workflow::CheckFutureTime(c, "expires_ms", a.expires_ms()); !st.ok()) return st;
  }
  pb::Grant grant;
  grant.set_id(workflow::AppendNewId(c, "grant", record->id(), CaseGrantsList(record->id())));
  ListAppend(c.state, OrgGrantsList(a.department_org_id()), grant.id());
  grant.set_case_id(record->id());
  grant.set_debtor_credit_code(record->debtor_credit_code());
  grant.set_department_org_id(a.department_org_id());
  grant.set_record_type(a.record_type());
  grant.set_administrator_org_id(record->administrator_org_id());
  grant.set_court_org_id(record->court_org_id());
  grant.set_requested_by(c.signer.id());
  grant.set_requested_time_ms(c.block.time_ms);
  grant.set_expires_ms(a.expires_ms());
  grant.set_status(pb::GRANT_STATUS_REQUESTED);
  c.state.Put(GrantKey(grant.id()), grant.SerializeAsString());
  *c.changed_id = grant.id();
  return Status::Ok();
}

// The grant and its case, with the grant still in force at block time.
struct GrantInCase {
  pb::Grant grant;
  pb::Case record;
};

Result<GrantInCase> LoadLiveGrant(const ActionContext& c, const std::string& grant_id) {
  std::optional<pb::Grant> grant = LoadGrant(c.state, grant_id);
  if (!grant) return Status(pb::Status::NOT_FOUND, "no grant " + grant_id);
  std::optional<pb::Case> record = LoadCase(c.state, grant->case_id());
  assert(record.has_value());
  switch (EffectiveStatus(*grant, *record, c.block.time_ms)) {
    case pb::GRANT_STATUS_REVOKED:
      return Status(pb::Status::FAILED_PRECONDITION, "grant " + grant_id + " was revoked");
    case pb::GRANT_STATUS_CASE_CLOSED:
      return Status(pb::Status::FAILED_PRECONDITION,
                    "grant " + grant_id + " ended with the termination of its case");
    case pb::GRANT_STATUS_EXPIRED:
      return Status(pb::Status::EXPIRED, "grant " + grant_id + " expired at " +
                                             std::to_string(grant->expires_ms()));
    default:
      break;
  }
  return GrantInCase{std::move(*grant), std::move(*record)};
}

Status ApplyAnswer(ActionContext& c, const pb::AnswerRecords& a) {
  Result<GrantInCase> loaded = LoadLiveGrant(c, a.grant_id());
  if (!loaded.ok()) return loaded.status();
  pb::Grant& grant = loaded->grant;
  if (!IsGrantDepartment(c.signer, grant)) {
    return Status(pb::Status::UNAUTHORIZED,
                  "only an officer of department " + grant.department_org_id() +
                      " answers grant " + grant.id());
  }
  if (grant.records_size() + a.records_size() > kAttachmentsMax) {
    return Status(pb::Status::TOO_LARGE, "a grant holds at most " +
                                             std::to_string(kAttachmentsMax) + " records");
  }
  for (int i = 0; i < a.records_size(); ++i) {
    const pb::Attachment& file = a.records(i);
    const std::string at = "records[" + std::to_string(i) + "]";
    if (file.keys_size() == 0) {
      return Invalid(at + ".keys", "must wrap the data key for the administrator or the court");
    }
    for (int k = 0; k < file.keys_size(); ++k) {
      const std::string& id = file.keys(k).reader_account_id();
      const std::string key_at = at + ".keys[" + std::to_string(k) + "].reader_account_id";
      std::optional<pb::Account> reader = c.executor.LoadAccount(c.state, id);
      if (!reader || reader->status() != pb::ACCOUNT_STATUS_ACTIVE) {
        return Invalid(key_at, "names " + id + ", which is no active account");
      }
      if (reader->encryption_key().empty()) {
        return Invalid(key_at, "names " + id + ", which has set no encryption key");
      }
      if (!MayReadGrant(*reader, grant, loaded->record)) {
        return Invalid(key_at, "names " + id + ", who may not read this grant's records");
      }
    }
    for (const pb::Attachment& held : grant.records()) {
      if (held.hash() == file.hash()) {
        return Status(pb::Status::ALREADY_EXISTS, at + " is already a record of this grant");
      }
    }
    *grant.add_records() = file;
  }
  grant.set_status(pb::GRANT_STATUS_ANSWERED);
  grant.set_answered_by(c.signer.id());
  grant.set_answered_time_ms(c.block.time_ms);
  if (grant.first_answered_time_ms() == 0) grant.set_first_answered_time_ms(c.block.time_ms);
  c.state.Put(GrantKey(grant.id()), grant.SerializeAsString());
  *c.changed_id = grant.id();
  return Status::Ok();
}

Status ApplyRevoke(ActionContext& c, const pb::RevokeGrant& a) {
  std::optional<pb::Grant> grant = LoadGrant(c.state, a.grant_id());
  if (!grant) return Status(pb::Status::NOT_FOUND, "no grant " + a.grant_id());
  if (!IsGrantDepartment(c.signer, *grant)) {
    return Status(pb::Status::UNAUTHORIZED, "only an officer of department " +
                                                grant->department_org_id() + " revokes grant " +
                                                grant->id());
  }
  if (grant->status() == pb::GRANT_STATUS_REVOKED) {
    return Status(pb::Status::FAILED_PRECONDITION, "grant " + grant->id() + " is revoked already");
  }
  grant->set_status(pb::GRANT_STATUS_REVOKED);
  grant->set_revoked_by(c.signer.id());
  grant->set_revoked_time_ms(c.block.time_ms);
  grant->set_revoke_reason(a.reason());
  c.state.Put(GrantKey(grant->id()), grant->SerializeAsString());
  *c.changed_id = grant->id();
  return Status::Ok();
}

Status ApplyAccess(ActionContext& c, const pb::RecordAccess& a) {
  Result<GrantInCase> loaded = LoadLiveGrant(c, a.grant_id());
  if (!loaded.ok()) return loaded.status();
  pb::Grant& grant = loaded->grant;
  if (!MayReadGrant(c.signer, grant, loaded->record)) {
    return Status(pb::Status::UNAUTHORIZED,
                  "only the court and the administrator the grant was made to read its records");
  }
  bool held = std::any_of(grant.records().begin(), grant.records().end(),
                          [&](const pb::Attachment& r) { return r.hash() == a.blob_hash(); });
  if (!held) {
    return Status(pb::Status::NOT_FOUND, "grant " + grant.id() + " has no record " +
                                             ToHex(a.blob_hash()));
  }
  pb::AccessRecord access;
  access.set_grant_id(grant.id());
  access.set_account_id(c.signer.id());
  access.set_blob_hash(a.blob_hash());
  access.set_height(c.block.height);
  access.set_time_ms(c.block.time_ms);
  ListAppend(c.state, GrantAccessList(grant.id()), access.SerializeAsString());
  c.state.Put(LastAccessKey(grant.id(), c.signer.id(), a.blob_hash()),
              std::to_string(c.block.time_ms));
  grant.set_access_count(grant.access_count() + 1);
  c.state.Put(GrantKey(grant.id()), grant.SerializeAsString());
  *c.changed_id = grant.id();
  return Status::Ok();
}

}  // namespace

std::string RecordTypesKey(std::string_view org_id) { return "rtypes/" + std::string(org_id); }
std::string GrantKey(std::string_view id) { return "grant/" + std::string(id); }
std::string CaseGrantsList(std::string_view id) { return "case-grants/" + std::string(id); }
std::string OrgGrantsList(std::string_view id) { return "org-grants/" + std::string(id); }
std::string GrantAccessList(std::string_view id) { return "grant-access/" + std::string(id); }
std::string LastAccessKey(std::string_view grant_id, std::string_view account_id,
                          std::string_view blob_hash) {
  return "gaccess/" + std::string(grant_id) + "/" + std::string(account_id) + "/" +
         ToHex(blob_hash);
}
std::string BlobRefsKey(std::string_view blob_hash) { return "blobref/" + ToHex(blob_hash); }

bool IsGrantAction(const pb::TxBody& body) {
  switch (body.action_case()) {
    case pb::TxBody::kDeclareRecordTypes:
    case pb::TxBody::kRequestRecords:
    case pb::TxBody::kAnswerRecords:
    case pb::TxBody::kRevokeGrant:
    case pb::TxBody::kRecordAccess:
      return true;
    default:
      return false;
  }
}

Status PrecheckGrantAction(const pb::TxBody& body) {
  switch (body.action_case()) {
    case pb::TxBody::kDeclareRecordTypes:
      return PrecheckRecordTypes(body.declare_record_types());
    case pb::TxBody::kRequestRecords: {
      const pb::RequestRecords& a = body.request_records();
      if (Status st = CheckText("case_id", a.case_id(), kShortTextBytesMax); !st.ok()) return st;
      if (Status st = CheckText("department_org_id", a.department_org_id(), kShortTextBytesMax);
          !st.ok()) {
        return st;
      }
      if (Status st = CheckText("record_type", a.record_type(), kShortTextBytesMax); !st.ok()) {
        return st;
      }
      if (Status st = CheckText("debtor_credit_code", a.debtor_credit_code(), kShortTextBytesMax);
          !st.ok()) {
        return st;
      }
      if (a.expires_ms() < 0) return Invalid("expires_ms", "must not be negative");
      return Status::Ok();
    }
    case pb::TxBody::kAnswerRecords: {
      const pb::AnswerRecords& a = body.answer_records();
      if (Status st = CheckText("grant_id", a.grant_id(), kShortTextBytesMax); !st.ok()) return st;
      if (a.records_size() == 0) return Invalid("records", "is required: attach the records");
      return workflow::CheckAttachments("records", a.records());
    }
    case pb::TxBody::kRevokeGrant: {
      const pb::RevokeGrant& a = body.revoke_grant();
      if (Status st = CheckText("grant_id", a.grant_id(), kShortTextBytesMax); !st.ok()) return st;
      return CheckOptionalText("reason", a.reason(), kTextBytesMax);
    }
    case pb::TxBody::kRecordAccess: {
      const pb::RecordAccess& a = body.record_access();
      if (Status st = CheckText("grant_id", a.grant_id(), kShortTextBytesMax); !st.ok()) return st;
      if (a.blob_hash().size() != 32) return Invalid("blob_hash", "must be 32 bytes");
      return Status::Ok();
    }
    default:
      return Status(pb::Status::MALFORMED, "not a grant action");
  }
}

Status ApplyGrantAction(ActionContext& c, const pb::TxBody& body) {
  switch (body.action_case()) {
    case pb::TxBody::kDeclareRecordTypes:
      return ApplyRecordTypes(c, body.declare_record_types());
    case pb::TxBody::kRequestRecords:
      return ApplyRequest(c, body.request_records());
    case pb::TxBody::kAnswerRecords:
      return ApplyAnswer(c, body.answer_records());
    case pb::TxBody::kRevokeGrant:
      return ApplyRevoke(c, body.revoke_grant());
    case pb::TxBody::kRecordAccess:
      return ApplyAccess(c, body.record_access());
    default:
      return Status(pb::Status::MALFORMED, "not a grant action");
  }
}

std::optional<pb::Grant> LoadGrant(const StateReader& state, std::string_view id) {
  return LoadRecord<pb::Grant>(state, GrantKey(id));
}
std::optional<pb::RecordTypeList> LoadRecordTypes(const StateReader& state,
                                                  std::string_view org_id) {
  return LoadRecord<pb::RecordTypeList>(state, RecordTypesKey(org_id));
}
std::optional<pb::BlobRefs> LoadBlobRefs(const StateReader& state, std::string_view blob_hash) {
  return LoadRecord<pb::BlobRefs>(state, BlobRefsKey(blob_hash));
}

std::optional<int64_t> LastAccess(const StateReader& state, std::string_view grant_id,
                                  std::string_view account_id, std::string_view blob_hash) {
  std::optional<std::string> text = state.Get(LastAccessKey(grant_id, account_id, blob_hash));
  if (!text) return std::nullopt;
  int64_t value = 0;
  std::from_chars(text->data(), text->data() + text->size(), value);
  return value;
}

pb::GrantStatus EffectiveStatus(const pb::Grant& grant, const pb::Case& record, int64_t now_ms) {
  if (grant.status() == pb::GRANT_STATUS_REVOKED) return pb::GRANT_STATUS_REVOKED;
  if (record.status() == pb::CASE_STATUS_TERMINATED) return pb::GRANT_STATUS_CASE_CLOSED;
  if (grant.expires_ms() != 0 && now_ms >= grant.expires_ms()) return pb::GRANT_STATUS_EXPIRED;
  return grant.status();
}

bool MayReadGrant(const pb::Account& account, const pb::Grant& grant, const pb::Case& record) {
  if (account.status() != pb::ACCOUNT_STATUS_ACTIVE || account.org_id().empty()) return false;
  if (account.org_id() == record.court_org_id() &&
      (HasRole(account, pb::ROLE_JUDGE) || HasRole(account, pb::ROLE_CLERK))) {
    return true;
  }
  return account.org_id() == grant.administrator_org_id() &&
         account.org_id() == record.administrator_org_id() &&
         HasRole(account, pb::ROLE_ADMINISTRATOR_MEMBER);
}

bool IsGrantDepartment(const pb::Account& account, const pb::Grant& grant) {
  return account.status() == pb::ACCOUNT_STATUS_ACTIVE &&
         account.org_id() == grant.department_org_id() &&
         HasRole(account, pb::ROLE_DEPARTMENT_OFFICER);
}

void ForEachAttachment(const google::protobuf::Message& message,
                       const std::function<void(const pb::Attachment&)>& fn) {
  if (message.GetDescriptor() == pb::Attachment::descriptor()) {
    fn(static_cast<const pb::Attachment&>(message));
    return;
  }
  const google::protobuf::Reflection* reflection = message.GetReflection();
  std::vector<const google::protobuf::FieldDescriptor*> fields;
  reflection->ListFields(message, &fields);
  for (const google::protobuf::FieldDescriptor* field : fields) {
    if (field->cpp_type() != google::protobuf::FieldDescriptor::CPPTYPE_MESSAGE) continue;
    if (field->is_repeated()) {
      for (int i = 0; i < reflection->FieldSize(message, field); ++i) {
        ForEachAttachment(reflection->GetRepeatedMessage(message, field, i), fn);
      }
    } else {
      ForEachAttachment(reflection->GetMessage(message, field), fn);
    }
  }
}

void RecordBlobRefs(const pb::TxBody& body, const pb::Account& signer, uint64_t height,
                    Overlay& state) {
  std::string grant_id =
      body.action_case() == pb::TxBody::kAnswerRecords ? body.answer_records().grant_id() : "";
  ForEachAttachment(body, [&](const pb::Attachment& file) {
    pb::BlobRefs refs = LoadBlobRefs(state, file.hash()).value_or(pb::BlobRefs());
    pb::BlobRef* ref = refs.add_refs();
    ref->set_submitter_account_id(signer.id());
    for (const pb::WrappedKey& key : file.keys()) ref->add_reader_account_ids(key.reader_account_id());
    ref->set_grant_id(grant_id);
    ref->set_height(height);
    state.Put(BlobRefsKey(file.hash()), refs.SerializeAsString());
  });
}

}  // namespace onechain::contracts
