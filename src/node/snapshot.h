// State snapshots (docs/snapshots.md): a node's committed state at one height — contract state,
// the state-tree records reachable from its root, the log tree's frontier, the block of that
// height with its checkpoint certificate and consensus QC, the validator set — written to one
// file, and the import that verifies such a file against a genesis and lays it down as a data
// directory from which `onechain node` starts at that height and catches up from its peers.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "block.pb.h"
#include "ledger/store.h"
#include "snapshot.pb.h"
#include "util/status.h"

namespace onechain::node {

inline constexpr char kSnapshotMagic[] = "onechain-snapshot@v1\n";
inline constexpr uint32_t kSnapshotFormat = 1;
inline constexpr size_t kSnapshotRecordBytesMax = 16u << 20;
inline constexpr uint64_t kSnapshotBytesMax = 4ull << 30;
inline constexpr size_t kSnapshotChunkBytes = 1u << 20;  // what export puts in one chunk

// A parsed snapshot file, not yet verified.
struct Snapshot {
  pb::SnapshotHeader header;
  std::vector<pb::SnapshotEntry> state;
  std::vector<pb::SnapshotEntry> state_nodes;
  std::vector<pb::SnapshotEntry> log_nodes;
};

struct SnapshotInfo {
  uint64_t height = 0;
  std::string block_hash;  // raw
  std::string state_root;  // raw
  uint64_t state_entries = 0;
  uint64_t state_nodes = 0;
  uint64_t bytes = 0;
};

// Serializes / parses the file form. Parse: MALFORMED (magic, record framing, counts, trailing
// bytes), TOO_LARGE (a record or the file over its limit).
std::string EncodeSnapshot(const Snapshot& snapshot);
Result<Snapshot> ParseSnapshot(std::string_view bytes);

// Checks everything a snapshot claims against `genesis` alone: chain id and genesis hash
// (WRONG_CHAIN), the block's header at the height, its checkpoint certificate by a quorum of the
// genesis validators and the consensus QC (BAD_SIGNATURE), the state entries and tree records
// against the header's state root and the log frontier against its log root (HASH_MISMATCH), the
// validator set against the state (INVALID_ARGUMENT), shapes (MALFORMED).
Result<SnapshotInfo> VerifySnapshot(const pb::Genesis& genesis, const Snapshot& snapshot);

// The snapshot of `store` (not written to by anyone meanwhile) at its height, with the certificate
// and QC from the BFT driver's directory `bft_dir`; nullopt while either is missing there.
// FAILED_PRECONDITION at height 0.
Result<std::optional<Snapshot>> SnapshotOf(const ledger::Store& store, const std::string& bft_dir);

// Writes the snapshot of the node in `data_dir` (running or stopped) to `out_path`: a consistent
// copy of its database (ledger::CreateBackup) at height H whose certificate and QC the node
// already holds; retried for a few seconds while the running node certifies H.
// FAILED_PRECONDITION when no such height is found (nothing committed, or not a BFT node).
Result<SnapshotInfo> ExportSnapshot(const std::string& data_dir, const std::string& out_path);

// Verifies the file at `in_path` (VerifySnapshot) and only then writes the store and the BFT
// driver's root into `data_dir`, which must hold no database (ALREADY_EXISTS otherwise).
Result<SnapshotInfo> ImportSnapshot(const std::string& in_path, const std::string& data_dir,
                                    const pb::Genesis& genesis);

}  // namespace onechain::node
