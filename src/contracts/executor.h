// Deterministic execution of transactions against contract state. Pure: no clock, thread, disk or
// randomness; block height and time come in through BlockContext. See contracts/README.md for the
// state keys and the authorization rules.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "block.pb.h"
#include "contracts/state.h"
#include "crypto/crypto.h"
#include "tx.pb.h"
#include "util/status.h"

namespace onechain::contracts {

inline constexpr size_t kDisplayNameBytesMax = 200;
inline constexpr size_t kIdNumberBytesMax = 64;
inline constexpr size_t kReasonBytesMax = 1000;
inline constexpr size_t kRolesMax = 8;

struct BlockContext {
  uint64_t height = 0;
  int64_t time_ms = 0;  // block time
};

// State keys.
std::string OrgKey(std::string_view org_id);
std::string AccountKey(std::string_view account_id);
std::string PublicKeyIndexKey(std::string_view public_key);
inline constexpr std::string_view kOrgKeyPrefix = "org/";

// An account's id: hex of the first 20 bytes of the suite hash of its first public key.
std::string AccountIdForKey(const crypto::Suite& suite, std::string_view public_key);

class Executor {
 public:
  Executor(const crypto::Suite& suite, pb::Genesis genesis);

  const crypto::Suite& suite() const { return suite_; }
  const pb::Genesis& genesis() const { return genesis_; }

  // Writes the genesis organizations and their admin accounts into `state`.
  Status ApplyGenesis(Overlay& state) const;

  // Checks a transaction's signer and nonce: `signer` is the account its key maps to (nullopt for
  // an unknown key), `expected_nonce` the nonce it must carry. Shared by admission and execution.
  Status CheckSigner(const std::optional<pb::Account>& signer, const pb::TxBody& body,
                     uint64_t expected_nonce) const;
  // Admission checks that need only the signer and the body: field formats and the signer's roles.
  Status Precheck(const std::optional<pb::Account>& signer, const pb::TxBody& body) const;

  // Executes one admitted transaction (signature already verified). Always yields a receipt; a
  // failed action leaves state unchanged except that the signer's nonce is consumed.
  pb::Receipt Execute(const BlockContext& block, const pb::TxBody& body, std::string_view tx_hash,
                      Overlay& block_state) const;

  std::optional<pb::Account> LoadAccount(const StateReader& state, std::string_view id) const;
  std::optional<pb::Account> LoadAccountByKey(const StateReader& state,
                                              std::string_view public_key) const;
  std::optional<pb::Org> LoadOrg(const StateReader& state, std::string_view org_id) const;
  // An unused key of the suite's size; ALREADY_EXISTS or INVALID_ARGUMENT otherwise.
  Status CheckNewPublicKey(const StateReader& state, std::string_view public_key) const;
  void StoreAccount(Overlay& state, const pb::Account& account) const;

 private:
  // Runs the action on `state`; on success sets *changed_account to the account it touched.
  Status Apply(const BlockContext& block, const pb::TxBody& body, pb::Account& signer,
               Overlay& state, std::string* changed_account) const;
  Status ApplyRegisterAccount(const BlockContext& block, const pb::RegisterAccount& action,
                              const pb::Account& signer, Overlay& state,
                              std::string* changed_account) const;
  Status ApplySetAccountRoles(const BlockContext& block, const pb::SetAccountRoles& action,
                              const pb::Account& signer, Overlay& state) const;
  Status ApplyRevokeAccount(const BlockContext& block, const pb::RevokeAccount& action,
                            const pb::Account& signer, Overlay& state) const;
  Status ApplySetEncryptionKey(const BlockContext& block, const pb::SetEncryptionKey& action,
                               pb::Account& signer, Overlay& state) const;
  Status ApplyRotateKey(const BlockContext& block, const pb::RotateKey& action,
                        pb::Account& signer, Overlay& state) const;
  Status ApplySelfRegister(const BlockContext& block, const pb::TxBody& body, Overlay& state,
                           std::string* changed_account) const;
  Result<pb::Account> LoadManagedAccount(const StateReader& state, const pb::Account& admin,
                                         std::string_view account_id) const;
  const crypto::Suite& suite_;
  pb::Genesis genesis_;
};

}  // namespace onechain::contracts
