// Departments' data grants (DOMAIN.md "grant" privacy class, docs/privacy.md) and the index of
// who referenced which encrypted material (blob). State keys:
//   rtypes/<org id>                 pb::RecordTypeList  record types a department answers
//   grant/<grant id>                pb::Grant
//   case-grants/<case id>           list of grant ids (index.h)
//   org-grants/<department org id>  list of grant ids
//   grant-access/<grant id>         list of pb::AccessRecord, one per read
//   gaccess/<grant>/<account>/<hex blob hash>  block time (decimal ms) of that reader's last read
//   blobref/<hex blob hash>         pb::BlobRefs, every committed action that referenced the blob
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "claims.pb.h"
#include "contracts/cases.h"
#include "privacy.pb.h"
#include "tx.pb.h"

namespace onechain::contracts {

inline constexpr int kRecordTypesMax = 32;
inline constexpr int kRecordFieldsMax = 64;

std::string RecordTypesKey(std::string_view org_id);
std::string GrantKey(std::string_view grant_id);
std::string CaseGrantsList(std::string_view case_id);
std::string OrgGrantsList(std::string_view org_id);
std::string GrantAccessList(std::string_view grant_id);
std::string LastAccessKey(std::string_view grant_id, std::string_view account_id,
                          std::string_view blob_hash);
std::string BlobRefsKey(std::string_view blob_hash);

bool IsGrantAction(const pb::TxBody& body);
Status PrecheckGrantAction(const pb::TxBody& body);
Status ApplyGrantAction(ActionContext& context, const pb::TxBody& body);

std::optional<pb::Grant> LoadGrant(const StateReader& state, std::string_view grant_id);
std::optional<pb::RecordTypeList> LoadRecordTypes(const StateReader& state,
                                                  std::string_view org_id);
std::optional<pb::BlobRefs> LoadBlobRefs(const StateReader& state, std::string_view blob_hash);
// Block time of `account_id`'s last recorded read of `blob_hash` under the grant, if any.
std::optional<int64_t> LastAccess(const StateReader& state, std::string_view grant_id,
                                  std::string_view account_id, std::string_view blob_hash);

// The grant's status at time `now_ms` with its case as `record`: REVOKED, then CASE_CLOSED once
// the case is terminated, then EXPIRED from expires_ms on, else the stored status.
pb::GrantStatus EffectiveStatus(const pb::Grant& grant, const pb::Case& record, int64_t now_ms);
// Who reads a grant's records: a judge or clerk of the case's court, or a member of the firm the
// grant was made to while it is still the case's administrator.
bool MayReadGrant(const pb::Account& account, const pb::Grant& grant, const pb::Case& record);
// An officer of the department that answers the grant.
bool IsGrantDepartment(const pb::Account& account, const pb::Grant& grant);

// Calls `fn` for every pb::Attachment anywhere in `message` (fields and nested messages).
void ForEachAttachment(const google::protobuf::Message& message,
                       const std::function<void(const pb::Attachment&)>& fn);
// After a successful action: adds a BlobRef for every attachment the action carries.
void RecordBlobRefs(const pb::TxBody& body, const pb::Account& signer, uint64_t height,
                    Overlay& state);

}  // namespace onechain::contracts
