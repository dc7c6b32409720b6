#include "ledger/merkle_proof.h"

#include <bit>
#include <cassert>

#include "ledger/merkle.h"

namespace onechain::ledger {

namespace {

// Largest power of two strictly below n (n ≥ 2): RFC 6962's split point k.
uint64_t SplitPoint(uint64_t n) {
  assert(n >= 2);
  return std::bit_floor(n - 1);
}

Status Invalid(std::string message) {
  return Status(pb::Status::INVALID_ARGUMENT, std::move(message));
}

Status CheckHashes(std::string_view what, const std::vector<std::string>& path) {
  if (path.size() > kLogProofHashesMax) {
    return Status(pb::Status::MALFORMED, std::string(what) + " has " + std::to_string(path.size()) +
                                             " hashes, more than " +
                                             std::to_string(kLogProofHashesMax));
  }
  for (size_t i = 0; i < path.size(); ++i) {
    if (path[i].size() != crypto::kHashBytes) {
      return Status(pb::Status::MALFORMED, std::string(what) + " hash " + std::to_string(i) +
                                               " has " + std::to_string(path[i].size()) +
                                               " bytes, not 32");
    }
  }
  return Status::Ok();
}

// PATH(m, D[begin:end]) appended to `out`, deepest sibling first.
Status AppendPath(uint64_t m, uint64_t begin, uint64_t end, const SubtreeHashFn& subtree_hash,
                  std::vector<std::string>& out) {
  uint64_t n = end - begin;
  if (n <= 1) return Status::Ok();
  uint64_t k = SplitPoint(n);
  Result<std::string> sibling = Status(pb::Status::INTERNAL, "unset");
  if (m < k) {
    if (Status st = AppendPath(m, begin, begin + k, subtree_hash, out); !st.ok()) return st;
    sibling = subtree_hash(begin + k, end);
  } else {
    if (Status st = AppendPath(m - k, begin + k, end, subtree_hash, out); !st.ok()) return st;
    sibling = subtree_hash(begin, begin + k);
  }
  if (!sibling.ok()) return sibling.status();
  out.push_back(std::move(*sibling));
  return Status::Ok();
}

// SUBPROOF(m, D[begin:end], b) appended to `out`.
Status AppendSubproof(uint64_t m, uint64_t begin, uint64_t end, bool whole_old_tree,
                      const SubtreeHashFn& subtree_hash, std::vector<std::string>& out) {
  uint64_t n = end - begin;
  if (m == n) {
    if (whole_old_tree) return Status::Ok();
    Result<std::string> hash = subtree_hash(begin, end);
    if (!hash.ok()) return hash.status();
    out.push_back(std::move(*hash));
    return Status::Ok();
  }
  uint64_t k = SplitPoint(n);
  Result<std::string> other = Status(pb::Status::INTERNAL, "unset");
  if (m <= k) {
    Status st = AppendSubproof(m, begin, begin + k, whole_old_tree, subtree_hash, out);
    if (!st.ok()) return st;
    other = subtree_hash(begin + k, end);
  } else {
    Status st = AppendSubproof(m - k, begin + k, end, false, subtree_hash, out);
    if (!st.ok()) return st;
    other = subtree_hash(begin, begin + k);
  }
  if (!other.ok()) return other.status();
  out.push_back(std::move(*other));
  return Status::Ok();
}

}  // namespace

Result<std::vector<std::string>> InclusionPath(uint64_t index, uint64_t size,
                                               const SubtreeHashFn& subtree_hash) {
  if (index >= size) {
    return Invalid("leaf index " + std::to_string(index) + " is not below tree size " +
                   std::to_string(size));
  }
  std::vector<std::string> path;
  if (Status st = AppendPath(index, 0, size, subtree_hash, path); !st.ok()) return st;
  return path;
}

Result<std::vector<std::string>> ConsistencyPath(uint64_t old_size, uint64_t new_size,
                                                 const SubtreeHashFn& subtree_hash) {
  if (old_size > new_size) {
    return Invalid("old size " + std::to_string(old_size) + " exceeds new size " +
                   std::to_string(new_size));
  }
  std::vector<std::string> path;
  if (old_size == 0 || old_size == new_size) return path;
  Status st = AppendSubproof(old_size, 0, new_size, true, subtree_hash, path);
  if (!st.ok()) return st;
  return path;
}

Result<std::string> RootFromInclusionPath(const crypto::Suite& suite, uint64_t index, uint64_t size,
                                          std::string_view leaf_hash,
                                          const std::vector<std::string>& path) {
  if (index >= size) {
    return Invalid("leaf index " + std::to_string(index) + " is not below tree size " +
                   std::to_string(size));
  }
  if (leaf_hash.size() != crypto::kHashBytes) {
    return Status(pb::Status::MALFORMED,
                  "leaf hash has " + std::to_string(leaf_hash.size()) + " bytes, not 32");
  }
  if (Status st = CheckHashes("inclusion proof", path); !st.ok()) return st;
  // RFC 9162 2.1.3.2.
  uint64_t fn = index;
  uint64_t sn = size - 1;
  std::string r(leaf_hash);
  for (const std::string& p : path) {
    if (sn == 0) return Invalid("inclusion proof is longer than the tree is deep");
    if ((fn & 1) == 1 || fn == sn) {
      r = MerkleNodeHash(suite, p, r);
      while ((fn & 1) == 0 && fn != 0) {
        fn >>= 1;
        sn >>= 1;
      }
    } else {
      r = MerkleNodeHash(suite, r, p);
    }
    fn >>= 1;
    sn >>= 1;
  }
  if (sn != 0) return Invalid("inclusion proof is shorter than the tree is deep");
  return r;
}

Status VerifyInclusion(const crypto::Suite& suite, uint64_t index, uint64_t size,
                       std::string_view leaf_hash, const std::vector<std::string>& path,
                       std::string_view root) {
  Result<std::string> computed = RootFromInclusionPath(suite, index, size, leaf_hash, path);
  if (!computed.ok()) return computed.status();
  if (*computed != root) {
    return Invalid("inclusion proof leads to another root than the one given");
  }
  return Status::Ok();
}

Status VerifyConsistency(const crypto::Suite& suite, uint64_t old_size, uint64_t new_size,
                         std::string_view old_root, std::string_view new_root,
                         const std::vector<std::string>& path) {
  if (Status st = CheckHashes("consistency proof", path); !st.ok()) return st;
  if (old_size > new_size) {
    return Invalid("old size " + std::to_string(old_size) + " exceeds new size " +
                   std::to_string(new_size));
  }
  if (old_size == 0 || old_size == new_size) {
    if (!path.empty()) return Invalid("consistency proof must be empty for these sizes");
    if (old_size == 0 && old_root != suite.Hash(std::string_view())) {
      return Invalid("the root of an empty tree must be H(\"\")");
    }
    if (old_size == new_size && old_root != new_root) {
      return Invalid("equal tree sizes with different roots");
    }
    return Status::Ok();
  }
  // RFC 9162 2.1.4.2.
  if (path.empty()) return Invalid("consistency proof is empty");
  std::vector<std::string> full;
  full.reserve(path.size() + 1);
  if (std::has_single_bit(old_size)) full.emplace_back(old_root);
  full.insert(full.end(), path.begin(), path.end());
  uint64_t fn = old_size - 1;
  uint64_t sn = new_size - 1;
  while ((fn & 1) == 1) {
    fn >>= 1;
    sn >>= 1;
  }
  std::string fr = full[0];
  std::string sr = full[0];
  for (size_t i = 1; i < full.size(); ++i) {
    const std::string& c = full[i];
    if (sn == 0) return Invalid("consistency proof is longer than the tree is deep");
    if ((fn & 1) == 1 || fn == sn) {
      fr = MerkleNodeHash(suite, c, fr);
      sr = MerkleNodeHash(suite, c, sr);
      while ((fn & 1) == 0 && fn != 0) {
        fn >>= 1;
        sn >>= 1;
      }
    } else {
      sr = MerkleNodeHash(suite, sr, c);
    }
    fn >>= 1;
    sn >>= 1;
  }
  if (sn != 0) return Invalid("consistency proof is shorter than the tree is deep");
  if (fr != old_root) return Invalid("consistency proof does not lead to the old root");
  if (sr != new_root) return Invalid("consistency proof does not lead to the new root");
  return Status::Ok();
}

}  // namespace onechain::ledger
