#include "ledger/state_tree.h"

#include <algorithm>
#include <array>
#include <cassert>
#include <cstring>
#include <future>
#include <memory>
#include <span>

#include "ledger/store.h"

namespace onechain::ledger {

namespace {

constexpr char kLeafTag = '\x02';
constexpr char kInternalTag = '\x03';
constexpr char kNodeKeyPrefix = 'N';
constexpr char kRootKeyPrefix = 'T';
constexpr char kRecordFormat = 'J';
constexpr char kEmptyCode = 'E';
constexpr char kLeafCode = 'L';
constexpr char kInnerCode = 'I';
constexpr char kChildCode = 'C';
// A node record holds the binary subtree of an internal node at a depth that is a multiple of
// kSpan, down to kSpan levels below it: 16 positions at its bottom, as a Jellyfish node.
constexpr size_t kSpan = 4;
// A block that writes at least this many keys on each side of the root updates the two halves
// of the tree on two threads (disjoint subtrees: their nodes and reads never meet).
constexpr size_t kParallelOpsMin = 256;

enum class Kind : char { kEmpty = 0, kInternal = 1, kLeaf = 2 };

struct Digest {
  std::array<char, crypto::kHashBytes> bytes{};
  std::string_view view() const { return {bytes.data(), bytes.size()}; }
  static Digest Of(std::string_view data) {
    assert(data.size() == crypto::kHashBytes);
    Digest d;
    std::memcpy(d.bytes.data(), data.data(), crypto::kHashBytes);
    return d;
  }
};

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
  assert(depth % kSpan == 0 && depth < kStateTreeDepthMax);
  std::string key(1, kNodeKeyPrefix);
  key += EncodeU64(version);
  key.push_back(static_cast<char>(depth));
  key += PathPrefix(path, depth);
  return key;
}

std::string RootKey(uint64_t version) {
  return std::string(1, kRootKeyPrefix) + EncodeU64(version);
}

struct Sub;
using SubPtr = std::shared_ptr<const Sub>;

// A subtree as the update sees it. Leaves carry their contents; an internal node carries its
// children when they are known (decoded from its record, or made by this update), and otherwise
// sits at a record boundary and is found by its record's version.
struct Sub {
  Kind kind = Kind::kEmpty;
  Digest hash;
  uint64_t version = 0;  // internal nodes at a record boundary: the version of their record
  Digest key_hash;       // leaves
  Digest value_hash;
  SubPtr left, right;    // internal nodes whose children are known
};

const SubPtr& EmptySub() {
  static const SubPtr empty = std::make_shared<const Sub>();
  return empty;
}

SubPtr Share(Sub sub) {
  if (sub.kind == Kind::kEmpty) return EmptySub();
  return std::make_shared<const Sub>(std::move(sub));
}

std::string_view HashOrEmpty(const Sub& sub) {
  static const Digest empty;
  return sub.kind == Kind::kEmpty ? empty.view() : sub.hash.view();
}

void AppendU64(std::string& out, uint64_t v) {
  for (int shift = 56; shift >= 0; shift -= 8) out.push_back(static_cast<char>(v >> shift));
}

// The subtree under `node` at `level` levels below its record's root.
void EncodePosition(const Sub& node, size_t level, std::string& out) {
  switch (node.kind) {
    case Kind::kEmpty:
      out.push_back(kEmptyCode);
      return;
    case Kind::kLeaf:
      out.push_back(kLeafCode);
      out.append(node.key_hash.view());
      out.append(node.value_hash.view());
      return;
    case Kind::kInternal:
      if (level == kSpan) {
        out.push_back(kChildCode);
        out.append(node.hash.view());
        AppendU64(out, node.version);
        return;
      }
      assert(node.left && node.right);
      out.push_back(kInnerCode);
      EncodePosition(*node.left, level + 1, out);
      EncodePosition(*node.right, level + 1, out);
      return;
  }
}

std::string EncodeRecord(const Sub& root) {
  std::string out(1, kRecordFormat);
  out.reserve(1024);
  EncodePosition(*root.left, 1, out);
  EncodePosition(*root.right, 1, out);
  return out;
}

// Decodes the position at `level` below the record's root, advancing `at`, and hashes the leaves
// and inner nodes it holds (a record stores no hash it can recompute); false when the bytes are
// out of format.
bool DecodePosition(const crypto::Suite& suite, std::string_view bytes, size_t& at, size_t level,
                    Sub& node) {
  if (at >= bytes.size()) return false;
  char code = bytes[at++];
  auto take = [&](Digest& d) {
    if (bytes.size() - at < crypto::kHashBytes) return false;
    d = Digest::Of(bytes.substr(at, crypto::kHashBytes));
    at += crypto::kHashBytes;
    return true;
  };
  switch (code) {
    case kEmptyCode:
      node.kind = Kind::kEmpty;
      return true;
    case kLeafCode:
      node.kind = Kind::kLeaf;
      if (!take(node.key_hash) || !take(node.value_hash)) return false;
      node.hash = Digest::Of(StateLeafHash(suite, node.key_hash.view(), node.value_hash.view()));
      return true;
    case kChildCode:
      if (level != kSpan) return false;
      node.kind = Kind::kInternal;
      if (!take(node.hash) || bytes.size() - at < 8) return false;
      node.version = DecodeU64(bytes.substr(at, 8));
      at += 8;
      return true;
    case kInnerCode: {
      if (level >= kSpan) return false;
      node.kind = Kind::kInternal;
      Sub left, right;
      if (!DecodePosition(suite, bytes, at, level + 1, left) ||
          !DecodePosition(suite, bytes, at, level + 1, right)) {
        return false;
      }
      node.hash = Digest::Of(StateInternalHash(suite, HashOrEmpty(left), HashOrEmpty(right)));
      node.left = Share(std::move(left));
      node.right = Share(std::move(right));
      return true;
    }
    default:
      return false;
  }
}

// Root record: kind ‖ internal: hash ‖ version of its record; leaf: hash ‖ key hash ‖ value hash.
std::string EncodeRoot(const Sub& root) {
  std::string out(1, static_cast<char>(root.kind));
  if (root.kind == Kind::kInternal) {
    out.append(root.hash.view());
    AppendU64(out, root.version);
  } else if (root.kind == Kind::kLeaf) {
    out.append(root.hash.view());
    out.append(root.key_hash.view());
    out.append(root.value_hash.view());
  }
  return out;
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

  // The children of internal `node` at `depth`; `path` is any path through the node.
  Result<std::pair<SubPtr, SubPtr>> ReadInternal(const Sub& node, size_t depth,
                                                 std::string_view path);

 private:
  Sub Build(size_t depth, std::string_view path, std::span<Sub> leaves);
  Sub Join(size_t depth, std::string_view path, Sub left, Sub right);

  const crypto::Suite& suite_;
  const NodeReader& reader_;
  uint64_t version_;
  NodeWrites& out_;
};

Result<std::pair<SubPtr, SubPtr>> Updater::ReadInternal(const Sub& node, size_t depth,
                                                        std::string_view path) {
  if (node.left && node.right) return std::pair<SubPtr, SubPtr>(node.left, node.right);
  if (depth % kSpan != 0) return MissingNode("internal node", node.version, depth);
  auto bytes = reader_.Get(NodeKey(node.version, depth, path));
  if (!bytes.ok()) return bytes.status();
  if (!bytes->has_value() || (*bytes)->empty() || (**bytes)[0] != kRecordFormat) {
    return MissingNode("node record", node.version, depth);
  }
  std::string_view record = **bytes;
  size_t at = 1;
  Sub left, right;
  if (!DecodePosition(suite_, record, at, 1, left) ||
      !DecodePosition(suite_, record, at, 1, right) || at != record.size() ||
      StateInternalHash(suite_, HashOrEmpty(left), HashOrEmpty(right)) != node.hash.view()) {
    return MissingNode("node record", node.version, depth);
  }
  return std::pair<SubPtr, SubPtr>(Share(std::move(left)), Share(std::move(right)));
}

// An internal node over `left` and `right` at `depth`, or the one child that stands for both; a
// new internal node at a record's depth writes its record.
Sub Updater::Join(size_t depth, std::string_view path, Sub left, Sub right) {
  if (left.kind == Kind::kEmpty && right.kind != Kind::kInternal) return right;
  if (right.kind == Kind::kEmpty && left.kind == Kind::kLeaf) return left;
  Sub node;
  node.kind = Kind::kInternal;
  node.hash = Digest::Of(StateInternalHash(suite_, HashOrEmpty(left), HashOrEmpty(right)));
  node.version = version_;
  node.left = Share(std::move(left));
  node.right = Share(std::move(right));
  if (depth % kSpan == 0) {
    out_.insert_or_assign(NodeKey(version_, depth, path), EncodeRecord(node));
    // Below the cached depth a node is found again through its record, not kept in memory.
    if (depth >= kStateTreeCachedDepth) node.left = node.right = nullptr;
  }
  return node;
}

// A subtree at `depth` holding exactly `leaves` (sorted by key hash, with contents).
Sub Updater::Build(size_t depth, std::string_view path, std::span<Sub> leaves) {
  if (leaves.empty()) return Sub();
  if (leaves.size() == 1) return leaves[0];
  assert(depth < kStateTreeDepthMax);
  auto split = std::partition_point(leaves.begin(), leaves.end(), [&](const Sub& s) {
    return Bit(s.key_hash.view(), depth) == 0;
  });
  size_t left_count = static_cast<size_t>(split - leaves.begin());
  return Join(depth, path, Build(depth + 1, leaves[0].key_hash.view(), leaves.first(left_count)),
              Build(depth + 1, leaves.back().key_hash.view(), leaves.subspan(left_count)));
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
      return updater.Update(*children->first, depth + 1,
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
    Result<Sub> right = Update(*children->second, depth + 1,
                               right_ops.empty() ? path : right_ops[0].key_hash, right_ops);
    if (left_future.valid()) {
      left.emplace(left_future.get());
      out_.merge(left_out);
    }
    if (!left->ok()) return left->status();
    if (!right.ok()) return right.status();
    return Join(depth, path, std::move(**left), std::move(*right));
  }
  std::vector<Sub> leaves;
  bool existing_kept = false;
  if (node.kind == Kind::kLeaf) {
    existing_kept = std::none_of(ops.begin(), ops.end(), [&](const Op& op) {
      return op.key_hash == node.key_hash.view();
    });
  }
  for (const Op& op : ops) {
    if (existing_kept && node.key_hash.view() < std::string_view(op.key_hash)) {
      leaves.push_back(node);
      existing_kept = false;
    }
    if (!op.value_hash.has_value()) continue;
    Sub leaf;
    leaf.kind = Kind::kLeaf;
    leaf.key_hash = Digest::Of(op.key_hash);
    leaf.value_hash = Digest::Of(*op.value_hash);
    leaf.hash = Digest::Of(StateLeafHash(suite_, op.key_hash, *op.value_hash));
    leaves.push_back(std::move(leaf));
  }
  if (existing_kept) leaves.push_back(node);
  if (node.kind == Kind::kLeaf && leaves.size() == 1 && leaves[0].hash.view() == node.hash.view()) {
    return node;  // only deletes of absent keys, or the same value again: nothing changed
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
  std::string_view record = **bytes;
  Sub root;
  if (record.empty()) return MissingNode("root", version, 0);
  root.kind = static_cast<Kind>(record[0]);
  auto digest = [&](size_t i) { return Digest::Of(record.substr(1 + i * crypto::kHashBytes,
                                                                crypto::kHashBytes)); };
  if (root.kind == Kind::kEmpty && record.size() == 1) return root;
  if (root.kind == Kind::kInternal && record.size() == 1 + crypto::kHashBytes + 8) {
    root.hash = digest(0);
    root.version = DecodeU64(record.substr(1 + crypto::kHashBytes));
    return root;
  }
  if (root.kind == Kind::kLeaf && record.size() == 1 + 3 * crypto::kHashBytes) {
    root.hash = digest(0);
    root.key_hash = digest(1);
    root.value_hash = digest(2);
    return root;
  }
  return MissingNode("root", version, 0);
}

}  // namespace

struct StateTreeTop {
  uint64_t version = 0;
  Sub root;
};

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
  return root->kind == Kind::kEmpty ? StateEmptyHash() : std::string(root->hash.view());
}

Result<std::string> StateTree::Update(uint64_t version, const StateWrites& writes,
                                      NodeWrites& out, const StateTreeTopPtr& base,
                                      StateTreeTopPtr* next_top) const {
  Sub root;
  if (version > 0) {
    Result<Sub> previous = ReadRoot(reader_, version - 1);
    if (!previous.ok()) return previous.status();
    root = std::move(*previous);
    if (base != nullptr && base->version == version - 1 && base->root.kind == root.kind &&
        base->root.hash.view() == root.hash.view() && base->root.version == root.version) {
      root = base->root;
    }
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
  out.insert_or_assign(RootKey(version), EncodeRoot(*next));
  if (next_top != nullptr) {
    *next_top = std::make_shared<const StateTreeTop>(StateTreeTop{version, *next});
  }
  return next->kind == Kind::kEmpty ? StateEmptyHash() : std::string(next->hash.view());
}

Result<StateProof> StateTree::Prove(uint64_t version, std::string_view key) const {
  Result<Sub> node = ReadRoot(reader_, version);
  if (!node.ok()) return node.status();
  std::string key_hash = suite_.Hash(key);
  NodeWrites unused;
  Updater reader(suite_, reader_, version, unused);
  StateProof proof;
  Sub current = std::move(*node);
  for (size_t depth = 0; current.kind == Kind::kInternal; ++depth) {
    if (depth >= kStateTreeDepthMax) return MissingNode("internal node", version, depth);
    auto children = reader.ReadInternal(current, depth, key_hash);
    if (!children.ok()) return children.status();
    bool right = Bit(key_hash, depth) == 1;
    const Sub& sibling = right ? *children->first : *children->second;
    proof.siblings.push_back(sibling.kind == Kind::kEmpty ? std::string()
                                                          : std::string(sibling.hash.view()));
    current = right ? *children->second : *children->first;
  }
  if (current.kind == Kind::kLeaf) {
    proof.leaf_key_hash = std::string(current.key_hash.view());
    proof.leaf_value_hash = std::string(current.value_hash.view());
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

// Visits the subtree `node` at `depth` (`path` holds its first `depth` bits). An internal node
// whose children are not known sits at a record boundary: its record is read, decoded (which
// recomputes every hash inside it) and checked against the node's hash, so each record the walk
// hands out is proved by the reference that named it, down from the root.
Status Walk(const crypto::Suite& suite, const NodeReader& reader, const Sub& node, size_t depth,
            std::string& path, const StateNodeVisitor& on_node, const StateLeafVisitor& on_leaf) {
  if (node.kind == Kind::kEmpty) return Status::Ok();
  if (node.kind == Kind::kLeaf) {
    if (PathPrefix(node.key_hash.view(), depth) != PathPrefix(path, depth)) {
      return BadNode("leaf", depth);
    }
    return on_leaf(node.key_hash.view(), node.value_hash.view());
  }
  if (depth >= kStateTreeDepthMax) return BadNode("internal node", depth);
  SubPtr left = node.left, right = node.right;
  if (!left || !right) {
    if (depth % kSpan != 0) return BadNode("internal node", depth);
    const std::string key = NodeKey(node.version, depth, path);
    auto bytes = reader.Get(key);
    if (!bytes.ok()) return bytes.status();
    if (!bytes->has_value() || (*bytes)->empty() || (**bytes)[0] != kRecordFormat) {
      return BadNode("node record", depth);
    }
    const std::string& record = **bytes;
    size_t at = 1;
    Sub l, r;
    if (!DecodePosition(suite, record, at, 1, l) || !DecodePosition(suite, record, at, 1, r) ||
        at != record.size() ||
        StateInternalHash(suite, HashOrEmpty(l), HashOrEmpty(r)) != node.hash.view() ||
        (l.kind == Kind::kEmpty && r.kind == Kind::kEmpty)) {
      return BadNode("node record", depth);
    }
    if (Status st = on_node(key, record); !st.ok()) return st;
    left = Share(std::move(l));
    right = Share(std::move(r));
  }
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
  // The root record decodes only from its exact size, so its encoding is the stored bytes.
  if (root->kind == Kind::kLeaf &&
      StateLeafHash(suite, root->key_hash.view(), root->value_hash.view()) != root->hash.view()) {
    return BadNode("root record", 0);
  }
  if (Status st = on_node(RootKey(version), EncodeRoot(*root)); !st.ok()) return st;
  std::string path = StateEmptyHash();
  return Walk(suite, reader, *root, 0, path, on_node, on_leaf);
}

}  // namespace onechain::ledger
