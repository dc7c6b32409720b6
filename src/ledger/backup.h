// Consistent backups of a node's RocksDB while the node runs, and their restore.
//
// The node keeps the database open (RocksDB's LOCK), so a backup opens it as a *secondary*
// instance (read-only, beside the primary), catches up once with the primary's files and WAL,
// and copies every column family as of that instant into a new database. Each block is one
// WriteBatch (Store::Commit), so the copy holds whole blocks: it ends at some height H with H's
// blocks, receipts, state and head record together. The copy is opened with Store::Open before
// it is reported done.
//
// Only the ledger is copied; data/bft (the BFT driver's pending and committed consensus blocks)
// is not: a restored validator rejoins from its peers (src/node/README.md).
#pragma once

#include <cstdint>
#include <string>

#include "util/status.h"

namespace onechain::ledger {

struct BackupInfo {
  uint64_t height = 0;
  std::string head_hash;  // raw bytes
  uint64_t keys = 0;      // key-value pairs copied, over every column family
};

// Copies the database in `data_dir` (a node may have it open) into `out_dir`, which must not
// exist. `scratch_dir` (must not exist; removed afterwards) holds the secondary instance's files.
// ALREADY_EXISTS if `out_dir` exists, IO if a read or write fails (then `out_dir` is removed).
Result<BackupInfo> CreateBackup(const std::string& data_dir, const std::string& out_dir,
                                const std::string& scratch_dir);

// Copies the backup in `backup_dir` to `data_dir`, which must not hold a database (no node may
// run on it). ALREADY_EXISTS if it does; MALFORMED if the backup does not open as a store.
Result<BackupInfo> RestoreBackup(const std::string& backup_dir, const std::string& data_dir);

}  // namespace onechain::ledger
