// The ledger accumulator: one append-only RFC 6962 Merkle tree over every transaction of the
// chain in commit order (leaf data = the SignedTx bytes as stored in the block), so that a
// checkpoint (log size, log root) proves a transaction's inclusion and every later checkpoint's
// consistency with an earlier one.
//
// Storage (ledger/proof_nodes.h): the hash of every complete subtree, keyed by (level, index):
// node (0, i) is leaf i's hash, node (l+1, i) = H(0x01 ‖ node(l, 2i) ‖ node(l, 2i+1)); about two
// nodes per leaf. Any root, inclusion path or consistency path of any size up to the stored size
// then takes O(log n) reads: complete subtrees are read, the right border is folded from at most
// log n of them. Appending keeps the O(log n) right frontier in memory and only writes.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "crypto/crypto.h"
#include "ledger/proof_nodes.h"

namespace onechain::ledger {

inline constexpr int kLogTreeLevelsMax = 64;

std::string LogNodeKey(int level, uint64_t index);
extern const char kLogSizeKey[];

class LogTree {
 public:
  // An empty tree, or the one whose nodes `reader` holds (its size and right frontier).
  static Result<LogTree> Load(const crypto::Suite& suite, const NodeReader& reader);

  uint64_t size() const { return size_; }
  // Root of all leaves appended so far; H("") when there are none.
  std::string Root() const;

  // Appends one leaf per element of `leaf_data` (hashed with MerkleLeafHash) and adds the new
  // nodes and the new size to `writes`, which must reach the reader before proofs are asked for
  // the new leaves.
  void Append(std::span<const std::string> leaf_data, NodeWrites& writes);
  void AppendLeafHash(std::string_view leaf_hash, NodeWrites& writes);

 private:
  explicit LogTree(const crypto::Suite& suite) : suite_(&suite) {}

  const crypto::Suite* suite_;
  uint64_t size_ = 0;
  // Hashes of the complete subtrees that make up the tree, largest (leftmost) first: one per set
  // bit of size_.
  std::vector<std::string> frontier_;
};

// Proofs over stored nodes, for any sizes up to the stored size. A node missing from `reader`
// is an IO error (the store lost it or the size is beyond what was committed).
Result<std::string> LogRootAt(const crypto::Suite& suite, const NodeReader& reader, uint64_t size);
Result<std::vector<std::string>> LogInclusionProof(const crypto::Suite& suite,
                                                   const NodeReader& reader, uint64_t index,
                                                   uint64_t size);
Result<std::vector<std::string>> LogConsistencyProof(const crypto::Suite& suite,
                                                     const NodeReader& reader, uint64_t old_size,
                                                     uint64_t new_size);

}  // namespace onechain::ledger
