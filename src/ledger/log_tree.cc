#include "ledger/log_tree.h"

#include <bit>
#include <cassert>

#include "ledger/merkle.h"
#include "ledger/merkle_proof.h"
#include "ledger/store.h"

namespace onechain::ledger {

const char kLogSizeKey[] = "l";

std::string LogNodeKey(int level, uint64_t index) {
  assert(level >= 0 && level < kLogTreeLevelsMax);
  std::string key = "L";
  key.push_back(static_cast<char>(level));
  key += EncodeU64(index);
  return key;
}

namespace {

Result<std::string> ReadNode(const NodeReader& reader, int level, uint64_t index) {
  auto value = reader.Get(LogNodeKey(level, index));
  if (!value.ok()) return value.status();
  if (!value->has_value() || (*value)->size() != crypto::kHashBytes) {
    return Status(pb::Status::IO, "log tree node (" + std::to_string(level) + ", " +
                                      std::to_string(index) + ") is missing or corrupt");
  }
  return std::move(**value);
}

// MTH(D[begin:end]) from stored complete subtrees: [begin, end) splits into aligned powers of two
// of decreasing size, folded from the right as RFC 6962's recursion does.
Result<std::string> StoredSubtreeHash(const crypto::Suite& suite, const NodeReader& reader,
                                      uint64_t begin, uint64_t end) {
  assert(begin < end);
  std::vector<std::string> parts;
  for (uint64_t pos = begin; pos < end;) {
    uint64_t width = std::bit_floor(end - pos);
    if (pos % width != 0) {
      return Status(pb::Status::INTERNAL, "log subtree [" + std::to_string(begin) + ", " +
                                              std::to_string(end) + ") is not aligned");
    }
    Result<std::string> hash = ReadNode(reader, std::countr_zero(width), pos / width);
    if (!hash.ok()) return hash.status();
    parts.push_back(std::move(*hash));
    pos += width;
  }
  std::string root = std::move(parts.back());
  for (size_t i = parts.size() - 1; i-- > 0;) root = MerkleNodeHash(suite, parts[i], root);
  return root;
}

Result<uint64_t> StoredSize(const NodeReader& reader) {
  auto value = reader.Get(kLogSizeKey);
  if (!value.ok()) return value.status();
  if (!value->has_value()) return uint64_t{0};
  if ((*value)->size() != 8) return Status(pb::Status::IO, "corrupt log tree size");
  return DecodeU64(**value);
}

}  // namespace

Result<LogTree> LogTree::Load(const crypto::Suite& suite, const NodeReader& reader) {
  LogTree tree(suite);
  Result<uint64_t> size = StoredSize(reader);
  if (!size.ok()) return size.status();
  tree.size_ = *size;
  for (int level = kLogTreeLevelsMax - 1; level >= 0; --level) {
    if (((tree.size_ >> level) & 1) == 0) continue;
    Result<std::string> hash = ReadNode(reader, level, (tree.size_ >> level) - 1);
    if (!hash.ok()) return hash.status();
    tree.frontier_.push_back(std::move(*hash));
  }
  return tree;
}

std::string LogTree::Root() const {
  if (frontier_.empty()) return suite_->Hash(std::string_view());
  std::string root = frontier_.back();
  for (size_t i = frontier_.size() - 1; i-- > 0;)
    root = MerkleNodeHash(*suite_, frontier_[i], root);
  return root;
}

void LogTree::AppendLeafHash(std::string_view leaf_hash, NodeWrites& writes) {
  assert(leaf_hash.size() == crypto::kHashBytes);
  assert(size_ < (uint64_t{1} << (kLogTreeLevelsMax - 1)));
  std::string hash(leaf_hash);
  writes.insert_or_assign(LogNodeKey(0, size_), hash);
  // Each trailing one bit of the old size is a complete subtree that the new leaf completes.
  int level = 0;
  for (uint64_t bits = size_; (bits & 1) == 1; bits >>= 1) {
    assert(!frontier_.empty());
    hash = MerkleNodeHash(*suite_, frontier_.back(), hash);
    frontier_.pop_back();
    ++level;
    writes.insert_or_assign(LogNodeKey(level, size_ >> level), hash);
  }
  frontier_.push_back(std::move(hash));
  ++size_;
  assert(frontier_.size() == static_cast<size_t>(std::popcount(size_)));
  writes.insert_or_assign(kLogSizeKey, EncodeU64(size_));
}

void LogTree::Append(std::span<const std::string> leaf_data, NodeWrites& writes) {
  for (const std::string& data : leaf_data) AppendLeafHash(MerkleLeafHash(*suite_, data), writes);
}

namespace {
Status CheckStoredSize(const NodeReader& reader, uint64_t size) {
  Result<uint64_t> stored = StoredSize(reader);
  if (!stored.ok()) return stored.status();
  if (size > *stored) {
    return Status(pb::Status::NOT_FOUND, "tree size " + std::to_string(size) +
                                             " is beyond the log's " + std::to_string(*stored));
  }
  return Status::Ok();
}
}  // namespace

Result<std::string> LogRootAt(const crypto::Suite& suite, const NodeReader& reader, uint64_t size) {
  if (Status st = CheckStoredSize(reader, size); !st.ok()) return st;
  if (size == 0) return suite.Hash(std::string_view());
  return StoredSubtreeHash(suite, reader, 0, size);
}

Result<std::vector<std::string>> LogInclusionProof(const crypto::Suite& suite,
                                                   const NodeReader& reader, uint64_t index,
                                                   uint64_t size) {
  if (Status st = CheckStoredSize(reader, size); !st.ok()) return st;
  return InclusionPath(index, size, [&](uint64_t begin, uint64_t end) {
    return StoredSubtreeHash(suite, reader, begin, end);
  });
}

Result<std::vector<std::string>> LogConsistencyProof(const crypto::Suite& suite,
                                                     const NodeReader& reader, uint64_t old_size,
                                                     uint64_t new_size) {
  if (Status st = CheckStoredSize(reader, new_size); !st.ok()) return st;
  return ConsistencyPath(old_size, new_size, [&](uint64_t begin, uint64_t end) {
    return StoredSubtreeHash(suite, reader, begin, end);
  });
}

}  // namespace onechain::ledger
