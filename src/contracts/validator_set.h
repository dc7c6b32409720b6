// Validator-set governance (docs/consensus.md §14): member organizations propose, approve and
// withdraw changes to the validator set; two thirds of the members apply one, and the applying
// transaction's block ends the epoch. State keys:
//   consensus/epoch       pb::ConsensusEpoch  the set in force after the block that wrote it
//   consensus/validators  pb::ValidatorSet    its keys, as proof bundles read them
//                                             (ledger::kValidatorSetStateKey)
//   valchange/<id>        pb::ValidatorProposal
//   valchange/next        decimal id of the next proposal
#pragma once

#include <string>
#include <string_view>

#include "contracts/cases.h"
#include "tx.pb.h"
#include "validator_set.pb.h"

namespace onechain::contracts {

inline constexpr char kEpochStateKey[] = "consensus/epoch";
inline constexpr char kValidatorKeysStateKey[] = "consensus/validators";
inline constexpr size_t kValidatorsMin = 4;  // fewer tolerate no faulty validator
inline constexpr size_t kAddressBytesMax = 256;

std::string ValidatorProposalKey(uint64_t id);

// The epoch in force: the stored one, or epoch 0 with the genesis validators.
pb::ConsensusEpoch LoadEpoch(const StateReader& state, const pb::Genesis& genesis);
// The organizations that hold a validator in `epoch`, each once, in set order.
std::vector<std::string> MemberOrgs(const pb::ConsensusEpoch& epoch);
// At least two thirds of `members` approved: 3 · approvals ≥ 2 · members.
bool ApprovalsReachTwoThirds(size_t approvals, size_t members);

bool IsValidatorSetAction(const pb::TxBody& body);
Status PrecheckValidatorSetAction(const crypto::Suite& suite,
                                  const std::optional<pb::Account>& signer,
                                  const pb::TxBody& body);
Status ApplyValidatorSetAction(ActionContext& context, const pb::TxBody& body);

}  // namespace onechain::contracts
