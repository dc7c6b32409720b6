#include "contracts/executor.h"

#include <cassert>

#include "contracts/cases.h"
#include "contracts/grants.h"
#include "contracts/validator_set.h"
#include "contracts/workflow.h"
#include "util/bytes.h"

namespace onechain::contracts {

std::string OrgKey(std::string_view org_id) { return std::string(kOrgKeyPrefix) += org_id; }
std::string AccountKey(std::string_view account_id) { return "acct/" + std::string(account_id); }
std::string PublicKeyIndexKey(std::string_view public_key) { return "pk/" + ToHex(public_key); }

std::string AccountIdForKey(const crypto::Suite& suite, std::string_view public_key) {
  return ToHex(suite.Hash(public_key).substr(0, 20));
}

Executor::Executor(const crypto::Suite& suite, pb::Genesis genesis)
    : suite_(suite), genesis_(std::move(genesis)) {}

Status Executor::ApplyGenesis(Overlay& state) const {
  for (const pb::GenesisOrg& genesis_org : genesis_.orgs()) {
    if (genesis_org.id().empty() || state.Get(OrgKey(genesis_org.id()))) {
      return Status(pb::Status::INVALID_ARGUMENT,
                    "genesis organization id '" + genesis_org.id() + "' is empty or repeated");
    }
    if (Status st = CheckNewPublicKey(state, genesis_org.admin_public_key()); !st.ok()) {
      return Status(st.code(), "genesis organization '" + genesis_org.id() + "': " + st.message());
    }
    pb::Org org;
    org.set_id(genesis_org.id());
    org.set_name(genesis_org.name());
    org.set_kind(genesis_org.kind());
    state.Put(OrgKey(org.id()), org.SerializeAsString());
    pb::Account admin;
    admin.set_id(AccountIdForKey(suite_, genesis_org.admin_public_key()));
    admin.set_org_id(org.id());
    admin.add_roles(pb::ROLE_ORG_ADMIN);
    admin.set_public_key(genesis_org.admin_public_key());
    admin.set_status(pb::ACCOUNT_STATUS_ACTIVE);
    admin.set_display_name(genesis_org.admin_name());
    StoreAccount(state, admin);
  }
  return Status::Ok();
}

Status Executor::CheckSigner(const std::optional<pb::Account>& signer, const pb::TxBody& body,
                             uint64_t expected_nonce) const {
  if (!signer.has_value()) {
    if (body.action_case() != pb::TxBody::kSelfRegister) {
      return Status(pb::Status::UNKNOWN_SIGNER,
                    "the signing key belongs to no account; register it first");
    }
  } else {
    if (signer->status() != pb::ACCOUNT_STATUS_ACTIVE) {
      return Status(pb::Status::REVOKED_SIGNER, "account " + signer->id() + " is revoked");
    }
    if (signer->public_key() != body.signer()) {
      return Status(pb::Status::REVOKED_SIGNER,
                    "this key of account " + signer->id() + " was rotated out");
    }
  }
  if (body.nonce() < expected_nonce) {
    return Status(pb::Status::NONCE_REPLAYED, "nonce " + std::to_string(body.nonce()) +
                                                  " was used; next is " +
                                                  std::to_string(expected_nonce));
  }
  if (body.nonce() > expected_nonce) {
    return Status(pb::Status::NONCE_SKIPPED, "nonce " + std::to_string(body.nonce()) +
                                                 " skips ahead; next is " +
                                                 std::to_string(expected_nonce));
  }
  return Status::Ok();
}

pb::Receipt Executor::Execute(const BlockContext& block, const pb::TxBody& body,
                              std::string_view tx_hash, Overlay& block_state) const {
  pb::Receipt receipt;
  receipt.set_tx_hash(std::string(tx_hash));
  receipt.set_height(block.height);
  std::optional<pb::Account> signer = LoadAccountByKey(block_state, body.signer());
  uint64_t expected_nonce = signer ? signer->nonce() + 1 : 1;
  Status status = CheckSigner(signer, body, expected_nonce);
  if (status.ok() && body.valid_until_height() < block.height) {
    status = Status(pb::Status::EXPIRED, "valid until height " +
                                             std::to_string(body.valid_until_height()) +
                                             ", included at " + std::to_string(block.height));
  }
  if (!status.ok() && !signer.has_value()) {
    // Nothing to charge the nonce to: the transaction only leaves its receipt.
    receipt.set_code(status.code());
    receipt.set_message(status.message());
    return receipt;
  }
  if (status.ok()) status = Precheck(signer, body);
  std::string changed_account;
  if (status.ok()) {
    const StateReader& block_view = block_state;
    Overlay tx_state(block_view);  // reads through the block's writes
    pb::Account acting = signer.value_or(pb::Account());
    status = Apply(block, body, acting, tx_state, &changed_account);
    if (status.ok()) {
      RecordBlobRefs(body, acting, block.height, tx_state);
      tx_state.MergeInto(block_state);
    }
  }
  // The nonce is consumed whatever the outcome, so the signer's next transaction stays valid.
  if (signer.has_value() && status.code() != pb::Status::NONCE_REPLAYED &&
      status.code() != pb::Status::NONCE_SKIPPED && status.code() != pb::Status::REVOKED_SIGNER) {
    std::optional<pb::Account> current = LoadAccount(block_state, signer->id());
    assert(current.has_value());
    current->set_nonce(body.nonce());
    StoreAccount(block_state, *current);
  }
  receipt.set_code(status.code());
  receipt.set_message(status.ok() ? "ok" : status.message());
  receipt.set_record_id(changed_account);
  return receipt;
}

Status Executor::Apply(const BlockContext& block, const pb::TxBody& body, pb::Account& signer,
                       Overlay& state, std::string* changed_account) const {
  switch (body.action_case()) {
    case pb::TxBody::kRegisterAccount:
      return ApplyRegisterAccount(block, body.register_account(), signer, state, changed_account);
    case pb::TxBody::kSetAccountRoles:
      *changed_account = body.set_account_roles().account_id();
      return ApplySetAccountRoles(block, body.set_account_roles(), signer, state);
    case pb::TxBody::kRevokeAccount:
      *changed_account = body.revoke_account().account_id();
      return ApplyRevokeAccount(block, body.revoke_account(), signer, state);
    case pb::TxBody::kRotateKey:
      *changed_account = body.rotate_key().account_id();
      return ApplyRotateKey(block, body.rotate_key(), signer, state);
    case pb::TxBody::kSelfRegister:
      return ApplySelfRegister(block, body, state, changed_account);
    case pb::TxBody::kSetEncryptionKey:
      *changed_account = signer.id();
      return ApplySetEncryptionKey(block, body.set_encryption_key(), signer, state);
    default:
      break;
  }
  if (IsCaseAction(body)) {
    ActionContext context{*this, block, signer, state, changed_account};
    return ApplyCaseAction(context, body);
  }
  if (IsWorkflowAction(body)) {
    ActionContext context{*this, block, signer, state, changed_account};
    return ApplyWorkflowAction(context, body);
  }
  if (IsValidatorSetAction(body)) {
    ActionContext context{*this, block, signer, state, changed_account};
    return ApplyValidatorSetAction(context, body);
  }
  return Status(pb::Status::MALFORMED, "transaction carries no known action");
}

std::optional<pb::Account> Executor::LoadAccount(const StateReader& state,
                                                 std::string_view id) const {
  std::optional<std::string> bytes = state.Get(AccountKey(id));
  if (!bytes) return std::nullopt;
  pb::Account account;
  bool parsed = account.ParseFromString(*bytes);
  assert(parsed);  // state is written only by this module
  (void)parsed;
  return account;
}

std::optional<pb::Account> Executor::LoadAccountByKey(const StateReader& state,
                                                      std::string_view public_key) const {
  std::optional<std::string> id = state.Get(PublicKeyIndexKey(public_key));
  if (!id) return std::nullopt;
  return LoadAccount(state, *id);
}

std::optional<pb::Org> Executor::LoadOrg(const StateReader& state,
                                         std::string_view org_id) const {
  std::optional<std::string> bytes = state.Get(OrgKey(org_id));
  if (!bytes) return std::nullopt;
  pb::Org org;
  bool parsed = org.ParseFromString(*bytes);
  assert(parsed);
  (void)parsed;
  return org;
}

void Executor::StoreAccount(Overlay& state, const pb::Account& account) const {
  state.Put(AccountKey(account.id()), account.SerializeAsString());
  state.Put(PublicKeyIndexKey(account.public_key()), account.id());
}

}  // namespace onechain::contracts
