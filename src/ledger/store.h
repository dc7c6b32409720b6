// Durable storage of the chain in RocksDB. Column families:
//   default   meta: "height" (u64 BE), "head" (last block hash), "genesis" (Genesis bytes),
//             "genesis_hash", "state_root"
//   blocks    u64 BE height            -> serialized pb::Block
//   txs       tx hash                  -> location: u64 BE height ‖ u32 BE index
//   receipts  tx hash                  -> serialized pb::Receipt
//   state     contract key             -> contract value (see contracts/README.md)
//   indexes   "bh/" ‖ block hash       -> u64 BE height
//             read-side indexes the node derives from each block (BlockCommit::index_writes),
//             e.g. the public case search of node/case_search.h
//   proofs    nodes of the ledger accumulator and the state tree (ledger/proof_nodes.h), written
//             with the block (BlockCommit::proof_writes)
// Every block is committed with one synced WriteBatch, so a crash leaves either all of a block or
// none of it; Commit() returns only after the batch is durable.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "block.pb.h"
#include "ledger/state_writes.h"
#include "util/status.h"

namespace onechain::ledger {

struct BlockCommit {
  uint64_t height = 0;
  std::string block_hash;
  std::string block_bytes;  // serialized pb::Block
  std::vector<std::string> tx_hashes;
  std::vector<pb::Receipt> receipts;  // same order as tx_hashes
  StateWrites state_writes;
  std::string state_root;
  StateWrites index_writes;  // to the indexes family; never part of the state root
  StateWrites proof_writes;  // to the proofs family: LogTree::Append and StateTree::Update output
};

struct TxLocation {
  uint64_t height = 0;
  uint32_t index = 0;
};

// A consistent read-only view of committed state as of one block: blocks committed after it was
// taken are invisible to it. Holds a RocksDB snapshot until destroyed; must not outlive its Store.
class StateSnapshot {
 public:
  ~StateSnapshot();
  StateSnapshot(const StateSnapshot&) = delete;
  StateSnapshot& operator=(const StateSnapshot&) = delete;
  uint64_t height() const { return height_; }
  Result<std::optional<std::string>> Get(std::string_view key) const;

 private:
  friend class Store;
  struct Impl;
  StateSnapshot(std::unique_ptr<Impl> impl, uint64_t height);
  std::unique_ptr<Impl> impl_;
  uint64_t height_ = 0;
};

class Store {
 public:
  ~Store();
  Store(const Store&) = delete;
  Store& operator=(const Store&) = delete;

  // Opens or creates the database in `dir`.
  static Result<std::unique_ptr<Store>> Open(const std::string& dir);

  // Empty store only: records genesis and its state as height 0.
  // `proof_writes` are the state tree's nodes of version 0 (StateTree::Update(0, state)).
  Status InitGenesis(const std::string& genesis_bytes, const std::string& genesis_hash,
                     const StateWrites& state, const std::string& state_root,
                     const StateWrites& proof_writes = {});
  bool initialized() const { return !genesis_hash_.empty(); }

  uint64_t height() const { return height_; }
  // A RocksDB integer property (e.g. "rocksdb.total-sst-files-size") summed over the column
  // families; 0 when RocksDB does not know it.
  uint64_t IntProperty(const std::string& name) const;
  const std::string& head_hash() const { return head_hash_; }
  const std::string& state_root() const { return state_root_; }
  const std::string& genesis_hash() const { return genesis_hash_; }
  const std::string& genesis_bytes() const { return genesis_bytes_; }

  // Appends block `commit.height` == height() + 1 atomically and durably.
  Status Commit(const BlockCommit& commit);

  Result<std::optional<std::string>> GetState(std::string_view key) const;
  // A snapshot of `state` and the height it holds (see StateSnapshot).
  Result<std::unique_ptr<StateSnapshot>> SnapshotState() const;
  Result<std::optional<std::string>> GetBlock(uint64_t height) const;
  Result<std::optional<uint64_t>> HeightOfBlock(std::string_view block_hash) const;
  Result<std::optional<TxLocation>> GetTxLocation(std::string_view tx_hash) const;
  Result<std::optional<pb::Receipt>> GetReceipt(std::string_view tx_hash) const;
  // Keys of `state` that start with `prefix`, in order, at most `limit`.
  Result<std::vector<std::pair<std::string, std::string>>> ScanState(std::string_view prefix,
                                                                      size_t limit) const;
  // The same, only keys after `start_after` (all when empty).
  Result<std::vector<std::pair<std::string, std::string>>> ScanState(
      std::string_view prefix, std::string_view start_after, size_t limit) const;
  Result<std::optional<std::string>> GetIndex(std::string_view key) const;
  // A node of the `proofs` family (ledger/proof_nodes.h).
  Result<std::optional<std::string>> GetProofNode(std::string_view key) const;
  // Writes read-side index entries outside a block (e.g. building a new index over old blocks),
  // durably.
  Status WriteIndexes(const StateWrites& writes);
  // Keys of `indexes` that start with `prefix` and sort after `start_after` (all when empty), in
  // order, at most `limit`.
  Result<std::vector<std::pair<std::string, std::string>>> ScanIndex(
      std::string_view prefix, std::string_view start_after, size_t limit) const;

  // Snapshot import (docs/snapshots.md), on an empty store only: ImportRows writes contract state
  // and proof nodes in as many calls as it takes (not synced); InitFromSnapshot then records
  // genesis, the head block `height` and the state root (synced), after which the store is
  // initialized at `height` and Commit continues from there. FAILED_PRECONDITION once initialized.
  Status ImportRows(const StateWrites& state, const StateWrites& proof_nodes);
  Status InitFromSnapshot(const std::string& genesis_bytes, const std::string& genesis_hash,
                          uint64_t height, const std::string& block_bytes,
                          const std::string& block_hash, const std::string& state_root);

 private:
  struct Impl;
  explicit Store(std::unique_ptr<Impl> impl);
  Status LoadMeta();

  std::unique_ptr<Impl> impl_;
  uint64_t height_ = 0;
  std::string head_hash_;
  std::string state_root_;
  std::string genesis_hash_;
  std::string genesis_bytes_;
};

std::string EncodeU64(uint64_t v);
uint64_t DecodeU64(std::string_view bytes);  // bytes.size() == 8

}  // namespace onechain::ledger
