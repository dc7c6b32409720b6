#include "node/read_policy.h"

#include <algorithm>
#include <string>

#include "contracts/queries.h"

namespace onechain::node {

namespace {

bool HasRole(const pb::Account& account, pb::Role role) {
  return std::find(account.roles().begin(), account.roles().end(), role) != account.roles().end();
}

}  // namespace

bool MayRead(PrivacyClass privacy, const CallerRelation& relation) {
  switch (privacy) {
    case PrivacyClass::kPublic:
      return true;
    case PrivacyClass::kCase:
      return relation.authenticated &&
             (relation.court || relation.administrator || relation.case_creditor);
    case PrivacyClass::kParty:
      return relation.authenticated && (relation.court || relation.administrator || relation.party);
    case PrivacyClass::kOwn:
      return relation.authenticated;
  }
  return false;
}

CallerRelation RelationTo(const contracts::StateReader& state, const pb::Account* caller,
                          const pb::Case& record, PrivacyClass privacy,
                          const pb::CaseCreditor* party) {
  CallerRelation relation;
  if (caller == nullptr || caller->status() != pb::ACCOUNT_STATUS_ACTIVE) return relation;
  relation.authenticated = true;
  const std::string& org = caller->org_id();
  relation.court = !org.empty() && org == record.court_org_id() &&
                   (HasRole(*caller, pb::ROLE_JUDGE) || HasRole(*caller, pb::ROLE_CLERK));
  relation.administrator = !org.empty() && org == record.administrator_org_id() &&
                           HasRole(*caller, pb::ROLE_ADMINISTRATOR_MEMBER);
  if (party != nullptr && party->case_id() == record.id()) {
    relation.party = contracts::ActsForCreditor(*caller, *party);
  }
  if (privacy == PrivacyClass::kCase && !relation.court && !relation.administrator) {
    relation.case_creditor =
        relation.party || contracts::IsCreditorOfCase(state, *caller, record.id());
  }
  return relation;
}

bool SeesCreditorIdentities(const CallerRelation& relation) {
  return relation.authenticated && (relation.court || relation.administrator);
}

void RedactCreditorIdentity(pb::CaseCreditor& creditor) {
  creditor.clear_id_number();
  creditor.clear_service_address();
  creditor.clear_bound_account_id();
  creditor.clear_basis();
}

Status NotFound(std::string_view kind) {
  return Status(pb::Status::NOT_FOUND, "no such " + std::string(kind));
}

}  // namespace onechain::node
