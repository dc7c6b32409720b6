// The authenticated state: a sparse Merkle tree over contract state, 256 levels deep, in which a
// key sits on the path given by the bits of H(key) (most significant bit first, 0 = left) and
// every subtree that holds one key is replaced by that key's leaf (the compressed form of
// Diem's Jellyfish tree and of Libra's sparse Merkle tree), so a path has about log2(keys)
// nodes. Hashing, domain-separated from the RFC 6962 log tree (0x00 / 0x01):
//   leaf     = H(0x02 ‖ H(key) ‖ H(value))
//   internal = H(0x03 ‖ left ‖ right)
//   empty    = 32 zero bytes
// The root is a function of the set of (key, value) pairs only, not of the order of updates.
// Nodes are persisted by (version, depth, path) with version = block height, so the tree of every
// height stays readable and provable. docs/state-tree.md has the layout and the proof format.
#pragma once

#include <cstdint>
#include <memory>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "crypto/crypto.h"
#include "ledger/proof_nodes.h"
#include "ledger/state_writes.h"

namespace onechain::ledger {

inline constexpr size_t kStateTreeDepthMax = 256;

// A proof for one key against one root. `siblings` runs from the root down; an empty string
// stands for the empty subtree. The path ends at an empty subtree (leaf_key_hash empty) or at a
// leaf: the key's own (membership) or another key's that shares the first siblings.size() bits
// of the path (non-membership).
struct StateProof {
  std::vector<std::string> siblings;
  std::string leaf_key_hash;
  std::string leaf_value_hash;
};

std::string StateEmptyHash();
std::string StateLeafHash(const crypto::Suite& suite, std::string_view key_hash,
                          std::string_view value_hash);
std::string StateInternalHash(const crypto::Suite& suite, std::string_view left,
                              std::string_view right);

// The root the proof implies for `key`; MALFORMED for a proof out of format, INVALID_ARGUMENT when
// the proof's terminal leaf cannot sit on the key's path.
Result<std::string> StateRootFromProof(const crypto::Suite& suite, std::string_view key,
                                       const StateProof& proof);
// OK when `proof` shows that under `root` the key holds `value` (nullopt: the key is absent);
// otherwise INVALID_ARGUMENT or MALFORMED with the reason.
Status VerifyStateProof(const crypto::Suite& suite, std::string_view root, std::string_view key,
                        const std::optional<std::string>& value, const StateProof& proof);

// The upper levels of one version of the tree as its update left them in memory, decoded, down to
// depth kStateTreeCachedDepth. Handing the committed version's top to the next Update spares that
// update reading and decoding those nodes again. Immutable; versions share their unchanged parts.
struct StateTreeTop;
using StateTreeTopPtr = std::shared_ptr<const StateTreeTop>;
inline constexpr size_t kStateTreeCachedDepth = 16;
// Walks the stored tree of `version` from its root record, checking every node's hash against
// the reference that names it (so the walk proves the nodes hash to the root), and calls
// `on_node` with each stored record it reads (the root record first) and `on_leaf` with each
// leaf's (key hash, value hash). Snapshots (docs/snapshots.md) export and verify with it.
// NOT_FOUND when the version was never written; MALFORMED when a node is missing, out of format
// or does not hash to its reference; a visitor's error stops the walk and is returned.
using StateNodeVisitor = std::function<Status(std::string_view key, std::string_view bytes)>;
using StateLeafVisitor =
    std::function<Status(std::string_view key_hash, std::string_view value_hash)>;
Status VisitStateTree(const crypto::Suite& suite, const NodeReader& reader, uint64_t version,
                      const StateNodeVisitor& on_node, const StateLeafVisitor& on_leaf);

class StateTree {
 public:
  StateTree(const crypto::Suite& suite, const NodeReader& reader)
      : suite_(suite), reader_(reader) {}

  // Root of version `version`; NOT_FOUND when that version was never written.
  Result<std::string> Root(uint64_t version) const;
  // Applies `writes` (puts and deletes) to the tree of version - 1 (the empty tree for version 0)
  // and returns the root of `version`; the new nodes and the version's root record go to `out`,
  // which must reach the reader before version + 1 is updated or proven.
  Result<std::string> Update(uint64_t version, const StateWrites& writes, NodeWrites& out) const {
    return Update(version, writes, out, nullptr, nullptr);
  }
  // The same, starting from `base` when it is the top of version - 1 (as committed: its root and
  // record version match the stored root record; otherwise it is ignored), and leaving the new
  // version's top in `*next` when `next` is not null.
  Result<std::string> Update(uint64_t version, const StateWrites& writes, NodeWrites& out,
                             const StateTreeTopPtr& base, StateTreeTopPtr* next) const;
  // Membership or non-membership proof of `key` in version `version`.
  Result<StateProof> Prove(uint64_t version, std::string_view key) const;

 private:
  const crypto::Suite& suite_;
  const NodeReader& reader_;
};

}  // namespace onechain::ledger
