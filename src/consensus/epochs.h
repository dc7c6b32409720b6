// Epochs (docs/consensus.md §14): the parameters of each epoch's instance of the protocol, the
// epoch prefix of messages on the wire, and the verification of epoch changes from genesis.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "consensus/encoding.h"
#include "epochs.pb.h"

namespace onechain::consensus {

inline constexpr size_t kEpochChangesMax = 4096;
inline constexpr size_t kEpochAncestryMax = 64;  // QCs from the committed block down to h

// The chain id every signature of `epoch` covers: the bare chain id for epoch 0, else
// chain_id ‖ "/epoch/" ‖ decimal(epoch). Signatures of one epoch never verify in another.
std::string EpochChainId(std::string_view chain_id, uint64_t epoch);

// The parameters of `epoch`: the genesis parameters' suite, the epoch's chain id, `keys`, and as
// its start the certified info of the previous epoch's last block (genesis for epoch 0).
ChainParams EpochParams(const ChainParams& genesis_params, uint64_t epoch,
                        std::vector<std::string> keys, const pb::BlockInfo& start);

// On the wire: u64 epoch (big-endian) ‖ the encoded ConsensusMessage.
std::string EncodeEpochFrame(uint64_t epoch, std::string_view message);
std::optional<std::pair<uint64_t, std::string_view>> DecodeEpochFrame(std::string_view frame);

// True when `qc` proves `last` committed by the two-chain rule: its parent is `last` and its
// round is last.round + 1.
bool IsCommitQcOf(const pb::QuorumCert& qc, const pb::BlockInfo& last);

// Checks that `binding` proves `keys` to be the set in force after block `last` (whose certified
// state root it must match). The node binds with a state proof, the simulator with its toy
// execution.
using SetBinding = std::function<Status(const pb::BlockInfo& last,
                                        const std::vector<std::string>& keys,
                                        std::string_view binding)>;

// Verifies one epoch change against the parameters of the epoch before it and returns the new
// epoch's parameters: the commit QC verifies under `current` (a quorum of the old set, the old
// epoch's chain id) and commits a block B; the ancestry QCs (each verified too) link B down to
// the epoch's last block h, above current's start; the new set is 1 to kValidatorsMax distinct
// keys of the suite's size, bound to h's state root.
Result<ChainParams> VerifyEpochChange(const ChainParams& genesis_params, const ChainParams& current,
                                      uint64_t current_epoch, const pb::EpochChangeProof& change,
                                      const SetBinding& binding);

// Follows `chain` from genesis; returns the parameters of its last epoch (genesis for an empty
// chain), or the first change that fails and why.
Result<ChainParams> VerifyEpochChain(const ChainParams& genesis_params, const pb::EpochChain& chain,
                                     const SetBinding& binding);

}  // namespace onechain::consensus
