#include "ledger/state_tree.h"

#include <algorithm>
#include <cassert>
#include <future>
#include <span>

#include "ledger/store.h"

namespace onechain::ledger {

namespace {

constexpr char kLeafTag = '\x02';
constexpr char kInternalTag = '\x03';
constexpr char kNodeKeyPrefix = 'S';
constexpr char kRootKeyPrefix = 'R';
constexpr char kLeafRecord = 'L';
constexpr char kInternalRecord = 'I';
constexpr size_t kRefBytes = 1 + crypto::kHashBytes + 8;  // kind ‖ hash ‖ version
// A block that writes at least this many keys on each side of the root updates the two halves
// of the tree on two threads (disjoint subtrees: their nodes and reads never meet).
constexpr size_t kParallelOpsMin = 256;

enum class Kind : char { kEmpty = 0, kInternal = 1, kLeaf = 2 };

int Bit(std::string_view path, size_t depth) {
  assert(depth < kStateTreeDepthMax && path.size() == crypto::kHashBytes);
  return (static_cast<unsigned char>(path[depth / 8]) >> (7 - depth % 8)) & 1;
}

// The first `depth` bits of `path`, the rest zero.
std::string PathPrefix(std::string_view path, size_t depth) {
  std::string prefix(path.substr(0, (depth + 7) / 8));
  if (depth % 8 != 0) prefix.back() &= static_cast<char>(0xff << (8 - depth % 8));
  return prefix;
}

std::string NodeKey(uint64_t version, size_t depth, std::string_view path) {
  std::string key(1, kNodeKeyPrefix);
  key += EncodeU64(version);
  key.push_back(static_cast<char>(depth >> 8));
  key.push_back(static_cast<char>(depth & 0xff));
  key += PathPrefix(path, depth);
  return key;
}

std::string RootKey(uint64_t version) {
  return std::string(1, kRootKeyPrefix) + EncodeU64(version);
}

// A subtree as the update sees it: where it is stored (if anywhere) and, for a leaf, its contents
// once read.
struct Sub {
  Kind kind = Kind::kEmpty;
  std::string hash;
  uint64_t version = 0;
  int stored_depth = -1;  // depth of its stored node; -1 = not stored yet
  std::string key_hash;   // leaves whose contents are known
  std::string value_hash;
};

std::string EncodeRef(const Sub& sub) {
  std::string out(1, static_cast<char>(sub.kind));
  if (sub.kind != Kind::kEmpty) out += sub.hash + EncodeU64(sub.version);
  return out;
}

// Decodes one reference at `at` (a stored node at `depth`), advancing `at`.
Result<Sub> DecodeRef(std::string_view bytes, size_t& at, int depth) {
  Sub sub;
  if (at >= bytes.size()) return Status(pb::Status::IO, "state tree reference is truncated");
  sub.kind = static_cast<Kind>(bytes[at++]);
  if (sub.kind == Kind::kEmpty) return sub;
  if (sub.kind != Kind::kInternal && sub.kind != Kind::kLeaf) {
    return Status(pb::Status::IO, "state tree reference has an unknown kind");
  }
  if (bytes.size() - at < kRefBytes - 1) {
    return Status(pb::Status::IO, "state tree reference is truncated");
  }
  sub.hash = std::string(bytes.substr(at, crypto::kHashBytes));
  sub.version = DecodeU64(bytes.substr(at + crypto::kHashBytes, 8));
  sub.stored_depth = depth;
  at += kRefBytes - 1;
  return sub;
}

Status MissingNode(std::string_view what, uint64_t version, size_t depth) {
  return Status(pb::Status::IO, "state tree " + std::string(what) + " of version " +
                                    std::to_string(version) + " at depth " + std::to_string(depth) +
                                    " is missing or corrupt");
}

class Updater {
 public:
  Updater(const crypto::Suite& suite, const NodeReader& reader, uint64_t version, NodeWrites& out)
      : suite_(suite), reader_(reader), version_(version), out_(out) {}

  struct Op {
    std::string key_hash;
    std::optional<std::string> value_hash;
  };

  Result<Sub> Update(Sub node, size_t depth, std::string_view path, std::span<const Op> ops);
  void Place(Sub& sub, size_t depth);

  Result<std::pair<Sub, Sub>> ReadInternal(const Sub& node, size_t depth, std::string_view path);
  Status ReadLeaf(Sub& leaf, std::string_view path);

 private:
  Sub Build(size_t depth, std::string_view path, std::span<Sub> leaves);
  Sub Join(size_t depth, std::string_view path, Sub left, Sub right);

  const crypto::Suite& suite_;
  const NodeReader& reader_;
  uint64_t version_;
  NodeWrites& out_;
};

Result<std::pair<Sub, Sub>> Updater::ReadInternal(const Sub& node, size_t depth,
                                                  std::string_view path) {
  auto bytes = reader_.Get(NodeKey(node.version, depth, path));
  if (!bytes.ok()) return bytes.status();
  if (!bytes->has_value() || (*bytes)->empty() || (**bytes)[0] != kInternalRecord) {
    return MissingNode("internal node", node.version, depth);
  }
  size_t at = 1;
  Result<Sub> left = DecodeRef(**bytes, at, static_cast<int>(depth + 1));
  if (!left.ok()) return left.status();
  Result<Sub> right = DecodeRef(**bytes, at, static_cast<int>(depth + 1));
  if (!right.ok()) return right.status();
  return std::pair<Sub, Sub>(std::move(*left), std::move(*right));
}

// `path` is any path through the leaf's position (the key hash works).
Status Updater::ReadLeaf(Sub& leaf, std::string_view path) {
  if (!leaf.key_hash.empty()) return Status::Ok();
  assert(leaf.stored_depth >= 0);
  auto bytes = reader_.Get(NodeKey(leaf.version, leaf.stored_depth, path));
  if (!bytes.ok()) return bytes.status();
  if (!bytes->has_value() || (*bytes)->size() != 1 + 2 * crypto::kHashBytes ||
      (**bytes)[0] != kLeafRecord) {
    return MissingNode("leaf", leaf.version, leaf.stored_depth);
  }
  leaf.key_hash = (*bytes)->substr(1, crypto::kHashBytes);
  leaf.value_hash = (*bytes)->substr(1 + crypto::kHashBytes);
  return Status::Ok();
}

// Writes a leaf that moved (or is new) at `depth`; internal nodes are written where they are made.
void Updater::Place(Sub& sub, size_t depth) {
  if (sub.kind != Kind::kLeaf || sub.stored_depth == static_cast<int>(depth)) return;
  assert(sub.key_hash.size() == crypto::kHashBytes);
  out_.insert_or_assign(NodeKey(version_, depth, sub.key_hash),
                        std::string(1, kLeafRecord) + sub.key_hash + sub.value_hash);
  sub.version = version_;
  sub.stored_depth = static_cast<int>(depth);
}

Sub Updater::Join(size_t depth, std::string_view path, Sub left, Sub right) {
  if (left.kind == Kind::kEmpty && right.kind != Kind::kInternal) return right;
  if (right.kind == Kind::kEmpty && left.kind == Kind::kLeaf) return left;
  Place(left, depth + 1);
  Place(right, depth + 1);
  Sub node;
  node.kind = Kind::kInternal;
  node.hash = StateInternalHash(suite_, left.kind == Kind::kEmpty ? StateEmptyHash() : left.hash,
                                right.kind == Kind::kEmpty ? StateEmptyHash() : right.hash);
  node.version = version_;
  node.stored_depth = static_cast<int>(depth);
  out_.insert_or_assign(NodeKey(version_, depth, path),
                        std::string(1, kInternalRecord) + EncodeRef(left) + EncodeRef(right));
  return node;
}

// A subtree at `depth` holding exactly `leaves` (sorted by key hash, with contents).
Sub Updater::Build(size_t depth, std::string_view path, std::span<Sub> leaves) {
  if (leaves.empty()) return Sub();
  if (leaves.size() == 1) return leaves[0];
  assert(depth < kStateTreeDepthMax);
  auto split = std::partition_point(leaves.begin(), leaves.end(),
                                    [&](const Sub& s) { return Bit(s.key_hash, depth) == 0; });
  size_t left_count = static_cast<size_t>(split - leaves.begin());
  return Join(depth, path, Build(depth + 1, leaves[0].key_hash, leaves.first(left_count)),
              Build(depth + 1, leaves.back().key_hash, leaves.subspan(left_count)));
}

Result<Sub> Updater::Update(Sub node, size_t depth, std::string_view path,
                            std::span<const Op> ops) {
  if (ops.empty()) return node;
  if (node.kind == Kind::kInternal) {
    auto children = ReadInternal(node, depth, path);
    if (!children.ok()) return children.status();
    auto split = std::partition_point(ops.begin(), ops.end(),
                                      [&](const Op& op) { return Bit(op.key_hash, depth) == 0; });
    size_t left_count = static_cast<size_t>(split - ops.begin());
    std::span<const Op> left_ops = ops.first(left_count), right_ops = ops.subspan(left_count);
    auto update_left = [&](Updater& updater) {
      return updater.Update(std::move(children->first), depth + 1,
                            left_ops.empty() ? path : left_ops[0].key_hash, left_ops);
    };
    std::optional<Result<Sub>> left;
    NodeWrites left_out;
    Updater left_updater(suite_, reader_, version_, left_out);
    std::future<Result<Sub>> left_future;
    if (depth == 0 && left_ops.size() >= kParallelOpsMin && right_ops.size() >= kParallelOpsMin) {
      left_future = std::async(std::launch::async, update_left, std::ref(left_updater));
    } else {
      left.emplace(update_left(*this));
    }
    Result<Sub> right = Update(std::move(children->second), depth + 1,
                               right_ops.empty() ? path : right_ops[0].key_hash, right_ops);
    if (left_future.valid()) {
      left.emplace(left_future.get());
      out_.merge(left_out);
    }
    if (!left->ok()) return left->status();
    if (!right.ok()) return right.status();
    // A leaf left alone by a delete on the other side floats up; its contents are needed then.
    std::string child_path(path);
    if ((*left)->kind == Kind::kEmpty && right->kind == Kind::kLeaf) {
      child_path[depth / 8] |= static_cast<char>(0x80 >> (depth % 8));
      if (Status st = ReadLeaf(*right, child_path); !st.ok()) return st;
    } else if (right->kind == Kind::kEmpty && (*left)->kind == Kind::kLeaf) {
      child_path[depth / 8] &= static_cast<char>(~(0x80 >> (depth % 8)));
      if (Status st = ReadLeaf(**left, child_path); !st.ok()) return st;
    }
    return Join(depth, path, std::move(**left), std::move(*right));
  }
  std::vector<Sub> leaves;
  bool existing_kept = false;
  if (node.kind == Kind::kLeaf) {
    if (Status st = ReadLeaf(node, path); !st.ok()) return st;
    existing_kept = std::none_of(ops.begin(), ops.end(),
                                 [&](const Op& op) { return op.key_hash == node.key_hash; });
  }
  for (const Op& op : ops) {
    if (existing_kept && node.key_hash < op.key_hash) {
      leaves.push_back(node);
      existing_kept = false;
      node.key_hash.clear();
    }
    if (!op.value_hash.has_value()) continue;
    Sub leaf;
    leaf.kind = Kind::kLeaf;
    leaf.key_hash = op.key_hash;
    leaf.value_hash = *op.value_hash;
    leaf.hash = StateLeafHash(suite_, leaf.key_hash, leaf.value_hash);
    leaves.push_back(std::move(leaf));
  }
  if (existing_kept) leaves.push_back(node);
  if (node.kind == Kind::kLeaf && leaves.size() == 1 && leaves[0].hash == node.hash) {
    return leaves[0];  // only deletes of absent keys: nothing changed
  }
  return Build(depth, path, leaves);
}

Result<Sub> ReadRoot(const NodeReader& reader, uint64_t version) {
  auto bytes = reader.Get(RootKey(version));
  if (!bytes.ok()) return bytes.status();
  if (!bytes->has_value()) {
    return Status(pb::Status::NOT_FOUND,
                  "the state tree has no version " + std::to_string(version));
  }
  size_t at = 0;
  Result<Sub> root = DecodeRef(**bytes, at, 0);
  if (root.ok() && at != (*bytes)->size()) return MissingNode("root", version, 0);
  return root;
}

}  // namespace

std::string StateEmptyHash() { return std::string(crypto::kHashBytes, '\0'); }

std::string StateLeafHash(const crypto::Suite& suite, std::string_view key_hash,
                          std::string_view value_hash) {
  return suite.Hash({std::string_view(&kLeafTag, 1), key_hash, value_hash});
}

std::string StateInternalHash(const crypto::Suite& suite, std::string_view left,
                              std::string_view right) {
  return suite.Hash({std::string_view(&kInternalTag, 1), left, right});
}

Result<std::string> StateTree::Root(uint64_t version) const {
  Result<Sub> root = ReadRoot(reader_, version);
  if (!root.ok()) return root.status();
  return root->kind == Kind::kEmpty ? StateEmptyHash() : root->hash;
}

Result<std::string> StateTree::Update(uint64_t version, const StateWrites& writes,
                                      NodeWrites& out) const {
  Sub root;
  if (version > 0) {
    Result<Sub> previous = ReadRoot(reader_, version - 1);
    if (!previous.ok()) return previous.status();
    root = std::move(*previous);
  }
  std::vector<Updater::Op> ops;
  ops.reserve(writes.size());
  for (const auto& [key, value] : writes) {
    Updater::Op op{suite_.Hash(key), std::nullopt};
    if (value.has_value()) op.value_hash = suite_.Hash(*value);
    ops.push_back(std::move(op));
  }
  std::sort(ops.begin(), ops.end(),
            [](const Updater::Op& a, const Updater::Op& b) { return a.key_hash < b.key_hash; });
  Updater updater(suite_, reader_, version, out);
  std::string path = ops.empty() ? StateEmptyHash() : ops[0].key_hash;
  Result<Sub> next = updater.Update(std::move(root), 0, path, ops);
  if (!next.ok()) return next.status();
  updater.Place(*next, 0);
  out.insert_or_assign(RootKey(version), EncodeRef(*next));
  return next->kind == Kind::kEmpty ? StateEmptyHash() : next->hash;
}

Result<StateProof> StateTree::Prove(uint64_t version, std::string_view key) const {
  Result<Sub> node = ReadRoot(reader_, version);
  if (!node.ok()) return node.status();
  std::string key_hash = suite_.Hash(key);
  NodeWrites unused;
  Updater reader(suite_, reader_, version, unused);
  StateProof proof;
  for (size_t depth = 0; node->kind == Kind::kInternal; ++depth) {
    auto children = reader.ReadInternal(*node, depth, key_hash);
    if (!children.ok()) return children.status();
    bool right = Bit(key_hash, depth) == 1;
    const Sub& sibling = right ? children->first : children->second;
    proof.siblings.push_back(sibling.kind == Kind::kEmpty ? std::string() : sibling.hash);
    node = std::move(right ? children->second : children->first);
  }
  if (node->kind == Kind::kLeaf) {
    if (Status st = reader.ReadLeaf(*node, key_hash); !st.ok()) return st;
    proof.leaf_key_hash = node->key_hash;
    proof.leaf_value_hash = node->value_hash;
  }
  return proof;
}

Result<std::string> StateRootFromProof(const crypto::Suite& suite, std::string_view key,
                                       const StateProof& proof) {
  const size_t depth = proof.siblings.size();
  if (depth > kStateTreeDepthMax) {
    return Status(pb::Status::MALFORMED,
                  "state proof has " + std::to_string(depth) + " siblings, more than 256");
  }
  for (size_t i = 0; i < depth; ++i) {
    if (!proof.siblings[i].empty() && proof.siblings[i].size() != crypto::kHashBytes) {
      return Status(pb::Status::MALFORMED,
                    "state proof sibling " + std::to_string(i) + " is neither 32 bytes nor empty");
    }
    if (proof.siblings[i] == StateEmptyHash()) {
      return Status(pb::Status::MALFORMED, "state proof sibling " + std::to_string(i) +
                                               " spells out the empty subtree; it must be empty");
    }
  }
  std::string key_hash = suite.Hash(key);
  std::string hash;
  if (proof.leaf_key_hash.empty()) {
    if (!proof.leaf_value_hash.empty()) {
      return Status(pb::Status::MALFORMED, "state proof has a value hash without a leaf");
    }
    hash = StateEmptyHash();
  } else {
    if (proof.leaf_key_hash.size() != crypto::kHashBytes ||
        proof.leaf_value_hash.size() != crypto::kHashBytes) {
      return Status(pb::Status::MALFORMED, "state proof leaf hashes are not 32 bytes");
    }
    if (PathPrefix(proof.leaf_key_hash, depth) != PathPrefix(key_hash, depth)) {
      return Status(pb::Status::INVALID_ARGUMENT,
                    "the proof's leaf does not lie on the key's path");
    }
    hash = StateLeafHash(suite, proof.leaf_key_hash, proof.leaf_value_hash);
  }
  // A canonical tree has no internal node over an empty subtree and a leaf or another empty one.
  if (depth > 0 && proof.siblings.back().empty()) {
    return Status(pb::Status::INVALID_ARGUMENT,
                  "the proof ends beside an empty subtree, which a canonical tree never does");
  }
  for (size_t i = depth; i-- > 0;) {
    const std::string sibling_hash =
        proof.siblings[i].empty() ? StateEmptyHash() : proof.siblings[i];
    hash = Bit(key_hash, i) == 1 ? StateInternalHash(suite, sibling_hash, hash)
                                 : StateInternalHash(suite, hash, sibling_hash);
  }
  return hash;
}

Status VerifyStateProof(const crypto::Suite& suite, std::string_view root, std::string_view key,
                        const std::optional<std::string>& value, const StateProof& proof) {
  Result<std::string> computed = StateRootFromProof(suite, key, proof);
  if (!computed.ok()) return computed.status();
  if (*computed != root) {
    return Status(pb::Status::INVALID_ARGUMENT, "state proof leads to another root");
  }
  bool present = !proof.leaf_key_hash.empty() && proof.leaf_key_hash == suite.Hash(key);
  if (value.has_value() && !present) {
    return Status(pb::Status::INVALID_ARGUMENT, "the proof shows the key absent");
  }
  if (!value.has_value() && present) {
    return Status(pb::Status::INVALID_ARGUMENT, "the proof shows the key present");
  }
  if (present && suite.Hash(*value) != proof.leaf_value_hash) {
    return Status(pb::Status::INVALID_ARGUMENT, "the key holds another value");
  }
  return Status::Ok();
}

namespace {

Status BadNode(std::string_view what, size_t depth) {
  return Status(pb::Status::MALFORMED, "state tree " + std::string(what) + " at depth " +
                                           std::to_string(depth) +
                                           " is missing, out of format or hashes wrong");
}

Status Walk(const crypto::Suite& suite, const NodeReader& reader, const Sub& node, size_t depth,
            std::string& path, const StateNodeVisitor& on_node, const StateLeafVisitor& on_leaf) {
  if (node.kind == Kind::kEmpty) return Status::Ok();
  const std::string key = NodeKey(node.version, depth, path);
  auto bytes = reader.Get(key);
  if (!bytes.ok()) return bytes.status();
  if (!bytes->has_value() || (*bytes)->empty()) return BadNode("node", depth);
  const std::string& record = **bytes;
  if (node.kind == Kind::kLeaf) {
    if (record[0] != kLeafRecord || record.size() != 1 + 2 * crypto::kHashBytes) {
      return BadNode("leaf", depth);
    }
    std::string_view key_hash = std::string_view(record).substr(1, crypto::kHashBytes);
    std::string_view value_hash = std::string_view(record).substr(1 + crypto::kHashBytes);
    if (PathPrefix(key_hash, depth) != PathPrefix(path, depth) ||
        StateLeafHash(suite, key_hash, value_hash) != node.hash) {
      return BadNode("leaf", depth);
    }
    if (Status st = on_node(key, record); !st.ok()) return st;
    return on_leaf(key_hash, value_hash);
  }
  if (depth >= kStateTreeDepthMax || record[0] != kInternalRecord) {
    return BadNode("internal node", depth);
  }
  size_t at = 1;
  Result<Sub> left = DecodeRef(record, at, static_cast<int>(depth + 1));
  if (!left.ok()) return BadNode("internal node", depth);
  Result<Sub> right = DecodeRef(record, at, static_cast<int>(depth + 1));
  if (!right.ok() || at != record.size()) return BadNode("internal node", depth);
  auto hash_of = [](const Sub& sub) {
    return sub.kind == Kind::kEmpty ? StateEmptyHash() : sub.hash;
  };
  if (StateInternalHash(suite, hash_of(*left), hash_of(*right)) != node.hash ||
      (left->kind == Kind::kEmpty && right->kind == Kind::kEmpty)) {
    return BadNode("internal node", depth);
  }
  if (Status st = on_node(key, record); !st.ok()) return st;
  const size_t byte = depth / 8;
  const auto bit = static_cast<char>(0x80 >> (depth % 8));
  path[byte] = static_cast<char>(path[byte] & ~bit);
  if (Status st = Walk(suite, reader, *left, depth + 1, path, on_node, on_leaf); !st.ok()) {
    return st;
  }
  path[byte] = static_cast<char>(path[byte] | bit);
  Status st = Walk(suite, reader, *right, depth + 1, path, on_node, on_leaf);
  path[byte] = static_cast<char>(path[byte] & ~bit);
  return st;
}

}  // namespace

Status VisitStateTree(const crypto::Suite& suite, const NodeReader& reader, uint64_t version,
                      const StateNodeVisitor& on_node, const StateLeafVisitor& on_leaf) {
  Result<Sub> root = ReadRoot(reader, version);
  if (!root.ok()) {
    return root.status().code() == pb::Status::NOT_FOUND ? root.status()
                                                         : BadNode("root record", 0);
  }
  // The record decoded whole, so its encoding is the stored bytes.
  if (Status st = on_node(RootKey(version), EncodeRef(*root)); !st.ok()) return st;
  std::string path = StateEmptyHash();
  return Walk(suite, reader, *root, 0, path, on_node, on_leaf);
}

}  // namespace onechain::ledger
