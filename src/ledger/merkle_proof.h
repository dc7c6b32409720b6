// RFC 6962 / RFC 9162 Merkle audit paths: generation over any source of subtree hashes, and the
// verification algorithms of RFC 9162 section 2.1.3.2 (inclusion) and 2.1.4.2 (consistency).
// Hashing is ledger/merkle.h's: leaf = H(0x00 ‖ data), node = H(0x01 ‖ left ‖ right), with H the
// network suite's hash. Every hash is crypto::kHashBytes long; anything else is rejected.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "crypto/crypto.h"
#include "util/status.h"

namespace onechain::ledger {

// A tree of up to 2^63 leaves needs at most 63 inclusion hashes and 64 consistency hashes.
inline constexpr size_t kLogProofHashesMax = 64;

// Hash of leaves [begin, end) as RFC 6962 defines MTH(D[begin:end]); called only with ranges that
// arise in PATH and SUBPROOF: `begin` is a multiple of the largest power of two ≤ end - begin, and
// the range is either such a whole power of two or ends at the tree's size.
using SubtreeHashFn = std::function<Result<std::string>(uint64_t begin, uint64_t end)>;

// PATH(index, D[size]) of RFC 6962 2.1.1, the leaf's sibling first. index < size.
Result<std::vector<std::string>> InclusionPath(uint64_t index, uint64_t size,
                                               const SubtreeHashFn& subtree_hash);
// PROOF(old_size, D[new_size]) of RFC 6962 2.1.2. 0 < old_size < new_size; empty otherwise.
Result<std::vector<std::string>> ConsistencyPath(uint64_t old_size, uint64_t new_size,
                                                 const SubtreeHashFn& subtree_hash);

// OK when `path` proves leaf `index` with `leaf_hash` in the tree of `size` leaves and `root`;
// otherwise INVALID_ARGUMENT with the reason (MALFORMED for a hash of the wrong length).
Status VerifyInclusion(const crypto::Suite& suite, uint64_t index, uint64_t size,
                       std::string_view leaf_hash, const std::vector<std::string>& path,
                       std::string_view root);
// The root that `path` implies for the leaf; the first half of VerifyInclusion.
Result<std::string> RootFromInclusionPath(const crypto::Suite& suite, uint64_t index, uint64_t size,
                                          std::string_view leaf_hash,
                                          const std::vector<std::string>& path);
// OK when `path` proves the tree of `old_size` leaves and `old_root` is a prefix of the tree of
// `new_size` leaves and `new_root`. Equal sizes need equal roots and an empty path; old size 0
// needs old_root = H("") and an empty path.
Status VerifyConsistency(const crypto::Suite& suite, uint64_t old_size, uint64_t new_size,
                         std::string_view old_root, std::string_view new_root,
                         const std::vector<std::string>& path);

}  // namespace onechain::ledger
