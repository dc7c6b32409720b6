// Where the ledger accumulator (log_tree.h) and the state tree (state_tree.h) keep their nodes:
// the `proofs` column family of the Store, or a map in tests and tools. Both trees only read
// nodes through NodeReader and return the nodes they create as NodeWrites, which the block commit
// carries in BlockCommit::proof_writes so that they land in the block's one synced WriteBatch.
// Key spaces inside the family (docs/state-tree.md has the details):
//   "L" ‖ u8 level ‖ u64 BE index            log tree node: hash of a complete subtree
//   "l"                                       log tree size, u64 BE
//   "N" ‖ u64 BE version ‖ u8 depth ‖ path bytes   state tree record (16-way: 4 binary levels)
//   "T" ‖ u64 BE version                      state tree root reference of a version (height)
#pragma once

#include <map>
#include <optional>
#include <string>
#include <unordered_map>

#include "ledger/state_writes.h"
#include "util/status.h"

namespace onechain::ledger {

class Store;

// Node key -> bytes (never a delete today; the type leaves room for pruning).
using NodeWrites = StateWrites;

// Get may be called from two threads at once (StateTree::Update reads both halves in parallel).
class NodeReader {
 public:
  virtual ~NodeReader() = default;
  virtual Result<std::optional<std::string>> Get(std::string_view key) const = 0;
};

// Nodes in memory: tests, tools, and a verifier that rebuilds a tree.
class MemoryNodes : public NodeReader {
 public:
  Result<std::optional<std::string>> Get(std::string_view key) const override;
  void Apply(const NodeWrites& writes);
  size_t size() const { return nodes_.size(); }

 private:
  std::unordered_map<std::string, std::string> nodes_;
};

// Nodes in the Store's `proofs` family, as committed.
class StoreNodes : public NodeReader {
 public:
  explicit StoreNodes(const Store& store) : store_(store) {}
  Result<std::optional<std::string>> Get(std::string_view key) const override;

 private:
  const Store& store_;
};

// Reads `writes` first, then `base`: the nodes of a block not yet committed on top of the store.
class OverlayNodes : public NodeReader {
 public:
  OverlayNodes(const NodeReader& base, const NodeWrites& writes) : base_(base), writes_(writes) {}
  Result<std::optional<std::string>> Get(std::string_view key) const override;

 private:
  const NodeReader& base_;
  const NodeWrites& writes_;
};

// The nodes of the last committed blocks in memory, over `base`: every block rewrites the upper
// levels of the state tree and the log tree's right border, so the next block reads most of the
// nodes it needs from here instead of from RocksDB. Two generations of at most `capacity` nodes
// each: when the newer one is full it becomes the older one and the oldest is dropped. Only
// committed nodes may be added (the cache never holds what the store does not). Not
// thread-safe: it belongs to the one thread that executes and commits blocks.
class RecentNodes : public NodeReader {
 public:
  RecentNodes(const NodeReader& base, size_t capacity) : base_(base), capacity_(capacity) {}
  Result<std::optional<std::string>> Get(std::string_view key) const override;
  // Remembers a committed block's nodes.
  void Add(const NodeWrites& writes);
  size_t size() const { return newer_.size() + older_.size(); }

 private:
  const NodeReader& base_;
  size_t capacity_;
  std::unordered_map<std::string, std::string> newer_, older_;
};

}  // namespace onechain::ledger
