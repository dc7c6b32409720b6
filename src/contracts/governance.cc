// Governance: organizations' accounts, roles, revocation, key rotation, self-registration.
#include <algorithm>

#include "contracts/cases.h"
#include "contracts/executor.h"
#include "contracts/validator_set.h"
#include "contracts/workflow.h"
#include "crypto/seal.h"

namespace onechain::contracts {

namespace {

bool HasRole(const pb::Account& account, pb::Role role) {
  return std::find(account.roles().begin(), account.roles().end(), role) != account.roles().end();
}

bool RoleFitsOrg(pb::Role role, pb::OrgKind kind) {
  if (role == pb::ROLE_ORG_ADMIN) return true;
  switch (kind) {
    case pb::ORG_KIND_COURT:
      return role == pb::ROLE_JUDGE || role == pb::ROLE_CLERK;
    case pb::ORG_KIND_TAX_BUREAU:
    case pb::ORG_KIND_MARKET_REGULATOR:
    case pb::ORG_KIND_DEPARTMENT:
      return role == pb::ROLE_DEPARTMENT_OFFICER;
    case pb::ORG_KIND_ADMINISTRATORS_ASSOCIATION:
    case pb::ORG_KIND_ADMINISTRATOR_FIRM:
      return role == pb::ROLE_ADMINISTRATOR_MEMBER;
    default:
      return false;
  }
}

Status CheckRoles(const google::protobuf::RepeatedField<int>& roles) {
  if (roles.empty() || roles.size() > static_cast<int>(kRolesMax)) {
    return Status(pb::Status::INVALID_ARGUMENT,
                  "an account needs 1 to " + std::to_string(kRolesMax) + " roles");
  }
  for (int role : roles) {
    if (!pb::Role_IsValid(role) || role == pb::ROLE_UNSPECIFIED || role == pb::ROLE_CREDITOR) {
      return Status(pb::Status::INVALID_ARGUMENT,
                    "role " + std::to_string(role) + " cannot be granted by an organization");
    }
  }
  return Status::Ok();
}

Status CheckText(std::string_view what, const std::string& text, size_t max_bytes, bool required) {
  if (required && text.empty()) {
    return Status(pb::Status::INVALID_ARGUMENT, std::string(what) + " is required");
  }
  if (text.size() > max_bytes) {
    return Status(pb::Status::TOO_LARGE, std::string(what) + " is longer than " +
                                             std::to_string(max_bytes) + " bytes");
  }
  return Status::Ok();
}

Status CheckAccountId(const std::string& id) {
  bool well_formed = id.size() == 40 && std::all_of(id.begin(), id.end(), [](char c) {
                       return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
                     });
  if (!well_formed) {
    return Status(pb::Status::INVALID_ARGUMENT,
                  "account id '" + id.substr(0, 64) + "' is not 40 lower-case hex digits");
  }
  return Status::Ok();
}

Status RequireOrgAdmin(const std::optional<pb::Account>& signer) {
  if (!signer.has_value() || !HasRole(*signer, pb::ROLE_ORG_ADMIN)) {
    return Status(pb::Status::UNAUTHORIZED, "only an organization admin may manage accounts");
  }
  return Status::Ok();
}

}  // namespace

Status Executor::Precheck(const std::optional<pb::Account>& signer, const pb::TxBody& body) const {
  auto key_size_ok = [this](const std::string& key) {
    return key.size() == suite_.public_key_bytes();
  };
  switch (body.action_case()) {
    case pb::TxBody::kRegisterAccount: {
      const auto& action = body.register_account();
      if (Status st = RequireOrgAdmin(signer); !st.ok()) return st;
      if (!key_size_ok(action.public_key())) {
        return Status(pb::Status::INVALID_ARGUMENT, "public key has the wrong size for the suite");
      }
      if (Status st = CheckRoles(action.roles()); !st.ok()) return st;
      return CheckText("display name", action.display_name(), kDisplayNameBytesMax, true);
    }
    case pb::TxBody::kSetAccountRoles:
      if (Status st = RequireOrgAdmin(signer); !st.ok()) return st;
      if (Status st = CheckAccountId(body.set_account_roles().account_id()); !st.ok()) return st;
      return CheckRoles(body.set_account_roles().roles());
    case pb::TxBody::kRevokeAccount:
      if (Status st = RequireOrgAdmin(signer); !st.ok()) return st;
      if (Status st = CheckAccountId(body.revoke_account().account_id()); !st.ok()) return st;
      return CheckText("reason", body.revoke_account().reason(), kReasonBytesMax, false);
    case pb::TxBody::kRotateKey: {
      const auto& action = body.rotate_key();
      if (!signer.has_value() ||
          (signer->id() != action.account_id() && !HasRole(*signer, pb::ROLE_ORG_ADMIN))) {
        return Status(pb::Status::UNAUTHORIZED,
                      "only the account itself or its organization admin may rotate its key");
      }
      if (Status st = CheckAccountId(action.account_id()); !st.ok()) return st;
      if (!key_size_ok(action.new_public_key())) {
        return Status(pb::Status::INVALID_ARGUMENT, "new public key has the wrong size");
      }
      return Status::Ok();
    }
    case pb::TxBody::kSetEncryptionKey:
      if (!signer.has_value()) {
        return Status(pb::Status::UNKNOWN_SIGNER, "only a registered account sets an encryption key");
      }
      if (!crypto::IsEncryptionPublicKey(suite_.id(), body.set_encryption_key().public_key())) {
        return Status(pb::Status::INVALID_ARGUMENT,
                      std::string("public_key is not an encryption key of the ") + suite_.name() +
                          " suite (" + (suite_.id() == pb::SUITE_INTL
                                            ? "X25519, 32 bytes, not of small order"
                                            : "SM2, 65 bytes, on the curve") +
                          ")");
      }
      return Status::Ok();
    case pb::TxBody::kSelfRegister: {
      const auto& action = body.self_register();
      if (signer.has_value()) {
        return Status(pb::Status::ALREADY_EXISTS,
                      "this key already belongs to account " + signer->id());
      }
      if (!key_size_ok(body.signer())) {
        return Status(pb::Status::INVALID_ARGUMENT, "signer key has the wrong size for the suite");
      }
      if (action.party_kind() != pb::PARTY_KIND_PERSON && action.party_kind() != pb::PARTY_KIND_FIRM) {
        return Status(pb::Status::INVALID_ARGUMENT, "party kind must be person or firm");
      }
      if (Status st = CheckText("display name", action.display_name(), kDisplayNameBytesMax, true);
          !st.ok()) {
        return st;
      }
      return CheckText("id number", action.id_number(), kIdNumberBytesMax, false);
    }
    default:
      break;
  }
  if (IsCaseAction(body)) return PrecheckCaseAction(signer, body);
  if (IsWorkflowAction(body)) {
    if (Status st = PrecheckWorkflowRole(signer, body); !st.ok()) return st;
    return PrecheckWorkflowAction(body);
  }
  if (IsValidatorSetAction(body)) return PrecheckValidatorSetAction(suite_, signer, body);
  return Status(pb::Status::MALFORMED, "transaction carries no known action");
}

Status Executor::CheckNewPublicKey(const StateReader& state, std::string_view public_key) const {
  if (public_key.size() != suite_.public_key_bytes()) {
    return Status(pb::Status::INVALID_ARGUMENT, "public key has the wrong size for the suite");
  }
  if (state.Get(PublicKeyIndexKey(public_key)).has_value() ||
      state.Get(AccountKey(AccountIdForKey(suite_, public_key))).has_value()) {
    return Status(pb::Status::ALREADY_EXISTS, "this public key is already in use");
  }
  return Status::Ok();
}

Result<pb::Account> Executor::LoadManagedAccount(const StateReader& state, const pb::Account& admin,
                                                 std::string_view account_id) const {
  std::optional<pb::Account> account = LoadAccount(state, account_id);
  if (!account.has_value()) {
    return Status(pb::Status::NOT_FOUND, "account " + std::string(account_id) + " does not exist");
  }
  if (account->org_id() != admin.org_id()) {
    return Status(pb::Status::UNAUTHORIZED,
                  "account " + account->id() + " belongs to another organization");
  }
  if (account->status() != pb::ACCOUNT_STATUS_ACTIVE) {
    return Status(pb::Status::FAILED_PRECONDITION, "account " + account->id() + " is revoked");
  }
  return std::move(*account);
}

Status Executor::ApplyRegisterAccount(const BlockContext& block, const pb::RegisterAccount& action,
                                      const pb::Account& signer, Overlay& state,
                                      std::string* changed_account) const {
  std::optional<pb::Org> org = LoadOrg(state, signer.org_id());
  if (!org.has_value()) return Status(pb::Status::UNAUTHORIZED, "signer has no organization");
  for (int role : action.roles()) {
    if (!RoleFitsOrg(static_cast<pb::Role>(role), org->kind())) {
      return Status(pb::Status::INVALID_ARGUMENT,
                    pb::Role_Name(role) + " is not a role of a " + pb::OrgKind_Name(org->kind()));
    }
  }
  if (Status st = CheckNewPublicKey(state, action.public_key()); !st.ok()) return st;
  pb::Account account;
  account.set_id(AccountIdForKey(suite_, action.public_key()));
  account.set_org_id(org->id());
  *account.mutable_roles() = action.roles();
  account.set_public_key(action.public_key());
  account.set_status(pb::ACCOUNT_STATUS_ACTIVE);
  account.set_display_name(action.display_name());
  account.set_registered_height(block.height);
  account.set_updated_height(block.height);
  StoreAccount(state, account);
  *changed_account = account.id();
  return Status::Ok();
}

Status Executor::ApplySetAccountRoles(const BlockContext& block, const pb::SetAccountRoles& action,
                                      const pb::Account& signer, Overlay& state) const {
  if (action.account_id() == signer.id()) {
    return Status(pb::Status::FAILED_PRECONDITION,
                  "an admin cannot change its own roles; another admin of the organization must");
  }
  Result<pb::Account> account = LoadManagedAccount(state, signer, action.account_id());
  if (!account.ok()) return account.status();
  std::optional<pb::Org> org = LoadOrg(state, signer.org_id());
  for (int role : action.roles()) {
    if (!org || !RoleFitsOrg(static_cast<pb::Role>(role), org->kind())) {
      return Status(pb::Status::INVALID_ARGUMENT,
                    pb::Role_Name(role) + " is not a role of this organization");
    }
  }
  *account->mutable_roles() = action.roles();
  account->set_updated_height(block.height);
  StoreAccount(state, *account);
  return Status::Ok();
}

Status Executor::ApplyRevokeAccount(const BlockContext& block, const pb::RevokeAccount& action,
                                    const pb::Account& signer, Overlay& state) const {
  if (action.account_id() == signer.id()) {
    return Status(pb::Status::FAILED_PRECONDITION, "an admin cannot revoke its own account");
  }
  Result<pb::Account> account = LoadManagedAccount(state, signer, action.account_id());
  if (!account.ok()) return account.status();
  account->set_status(pb::ACCOUNT_STATUS_REVOKED);
  account->set_updated_height(block.height);
  StoreAccount(state, *account);
  return Status::Ok();
}

Status Executor::ApplyRotateKey(const BlockContext& block, const pb::RotateKey& action,
                                pb::Account& signer, Overlay& state) const {
  pb::Account account;
  if (action.account_id() == signer.id()) {
    account = signer;
  } else {
    Result<pb::Account> managed = LoadManagedAccount(state, signer, action.account_id());
    if (!managed.ok()) return managed.status();
    account = std::move(*managed);
  }
  if (Status st = CheckNewPublicKey(state, action.new_public_key()); !st.ok()) return st;
  // The old key keeps pointing at the account so that it is refused as rotated out, not unknown.
  account.set_public_key(action.new_public_key());
  account.set_updated_height(block.height);
  StoreAccount(state, account);
  return Status::Ok();
}

Status Executor::ApplySetEncryptionKey(const BlockContext& block,
                                      const pb::SetEncryptionKey& action, pb::Account& signer,
                                      Overlay& state) const {
  signer.set_encryption_key(action.public_key());
  signer.set_updated_height(block.height);
  StoreAccount(state, signer);
  return Status::Ok();
}

Status Executor::ApplySelfRegister(const BlockContext& block, const pb::TxBody& body,
                                   Overlay& state, std::string* changed_account) const {
  const pb::SelfRegister& action = body.self_register();
  if (Status st = CheckNewPublicKey(state, body.signer()); !st.ok()) return st;
  pb::Account account;
  account.set_id(AccountIdForKey(suite_, body.signer()));
  account.add_roles(pb::ROLE_CREDITOR);
  account.set_public_key(body.signer());
  account.set_status(pb::ACCOUNT_STATUS_ACTIVE);
  account.set_nonce(body.nonce());
  account.set_display_name(action.display_name());
  account.set_party_kind(action.party_kind());
  account.set_id_number(action.id_number());
  account.set_registered_height(block.height);
  account.set_updated_height(block.height);
  StoreAccount(state, account);
  *changed_account = account.id();
  return Status::Ok();
}

}  // namespace onechain::contracts
