// Proves the state tree's roots depend only on the key-value set, that membership and
// non-membership proofs verify for every version, and that altered proofs, wrong roots and wrong
// values are rejected.
#include "ledger/state_tree.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <random>

#include "ledger/store.h"
#include "util/bytes.h"

namespace onechain::ledger {
namespace {

const crypto::Suite& Intl() { return *crypto::GetSuite(pb::SUITE_INTL); }
const crypto::Suite& Sm() { return *crypto::GetSuite(pb::SUITE_SM); }

// Tree versions applied to memory, with the plain map of contents beside them.
class Harness {
 public:
  explicit Harness(const crypto::Suite& suite) : suite_(suite), tree_(suite, nodes_) {}

  std::string Apply(const StateWrites& writes) {
    NodeWrites out;
    auto root = tree_.Update(next_version_, writes, out);
    EXPECT_TRUE(root.ok()) << root.status().message();
    nodes_.Apply(out);
    for (const auto& [key, value] : writes) {
      if (value.has_value()) {
        contents_[key] = *value;
      } else {
        contents_.erase(key);
      }
    }
    ++next_version_;
    roots_.push_back(*root);
    return *root;
  }

  // Root of the same contents built from scratch in one version.
  std::string FreshRoot() const {
    MemoryNodes nodes;
    StateTree tree(suite_, nodes);
    StateWrites all;
    for (const auto& [key, value] : contents_) all[key] = value;
    NodeWrites out;
    return *tree.Update(0, all, out);
  }

  void ExpectProof(const std::string& key) {
    uint64_t version = next_version_ - 1;
    auto proof = tree_.Prove(version, key);
    ASSERT_TRUE(proof.ok()) << proof.status().message();
    auto it = contents_.find(key);
    std::optional<std::string> value;
    if (it != contents_.end()) value = it->second;
    Status st = VerifyStateProof(suite_, roots_.back(), key, value, *proof);
    ASSERT_TRUE(st.ok()) << key << ": " << st.message();
    // The opposite claim fails.
    std::optional<std::string> other =
        value.has_value() ? std::nullopt : std::optional<std::string>("x");
    EXPECT_FALSE(VerifyStateProof(suite_, roots_.back(), key, other, *proof).ok());
    if (value.has_value()) {
      EXPECT_FALSE(VerifyStateProof(suite_, roots_.back(), key, *value + "!", *proof).ok());
    }
  }

  const crypto::Suite& suite_;
  MemoryNodes nodes_;
  StateTree tree_;
  uint64_t next_version_ = 0;
  std::vector<std::string> roots_;
  std::map<std::string, std::string> contents_;
};

TEST(StateTree, EmptyTreeProvesAbsence) {
  Harness h(Intl());
  EXPECT_EQ(h.Apply({}), StateEmptyHash());
  h.ExpectProof("anything");
  auto proof = *h.tree_.Prove(0, "anything");
  EXPECT_TRUE(proof.siblings.empty());
  EXPECT_TRUE(proof.leaf_key_hash.empty());
}

TEST(StateTree, SingleKeyRootIsItsLeaf) {
  Harness h(Intl());
  std::string root = h.Apply({{"case/1", "accepted"}});
  EXPECT_EQ(root, StateLeafHash(Intl(), Intl().Hash("case/1"), Intl().Hash("accepted")));
  h.ExpectProof("case/1");
  h.ExpectProof("case/2");  // non-membership through another key's leaf
}

TEST(StateTree, RootDependsOnlyOnContentsAcrossVersionsAndDeletes) {
  for (const crypto::Suite* suite : {&Intl(), &Sm()}) {
    Harness h(*suite);
    std::mt19937_64 rng(7);
    for (int version = 0; version < 30; ++version) {
      StateWrites writes;
      for (int i = 0; i < 50; ++i) {
        std::string key = "k/" + std::to_string(rng() % 400);
        if (rng() % 3 == 0) {
          writes[key] = std::nullopt;
        } else {
          writes[key] = "v" + std::to_string(rng());
        }
      }
      std::string root = h.Apply(writes);
      ASSERT_EQ(root, h.FreshRoot()) << "version " << version;
      for (int i = 0; i < 20; ++i) h.ExpectProof("k/" + std::to_string(rng() % 450));
    }
    // Every old version stays provable with its own root.
    for (uint64_t version = 0; version < 30; ++version) {
      EXPECT_EQ(*h.tree_.Root(version), h.roots_[version]);
      for (int i = 0; i < 10; ++i) {
        std::string key = "k/" + std::to_string(rng() % 400);
        auto proof = h.tree_.Prove(version, key);
        ASSERT_TRUE(proof.ok());
        EXPECT_EQ(*StateRootFromProof(*suite, key, *proof), h.roots_[version]);
      }
    }
  }
}

TEST(StateTree, DeletingEverythingEmptiesTheTree) {
  Harness h(Intl());
  StateWrites puts, deletes;
  for (int i = 0; i < 100; ++i) {
    puts["key" + std::to_string(i)] = "value";
    deletes["key" + std::to_string(i)] = std::nullopt;
  }
  h.Apply(puts);
  deletes["key0"] = "kept";
  std::string root = h.Apply(deletes);
  EXPECT_EQ(root, StateLeafHash(Intl(), Intl().Hash("key0"), Intl().Hash("kept")));
  deletes["key0"] = std::nullopt;
  EXPECT_EQ(h.Apply(deletes), StateEmptyHash());
  h.ExpectProof("key0");
  // Deleting absent keys changes nothing.
  EXPECT_EQ(h.Apply({{"absent", std::nullopt}}), StateEmptyHash());
}

TEST(StateTree, ProofsForRandomKeysAndEveryAlterationRejected) {
  Harness h(Intl());
  std::mt19937_64 rng(42);
  StateWrites writes;
  for (int i = 0; i < 5000; ++i) writes["acct/" + std::to_string(rng())] = std::to_string(i);
  h.Apply(writes);
  std::vector<std::string> keys;
  for (const auto& [key, value] : h.contents_) keys.push_back(key);
  std::string root = h.roots_.back();
  for (int sample = 0; sample < 200; ++sample) {
    bool member = sample % 2 == 0;
    std::string key = member ? keys[rng() % keys.size()] : "absent/" + std::to_string(rng());
    h.ExpectProof(key);
    StateProof proof = *h.tree_.Prove(0, key);
    std::optional<std::string> value;
    if (member) value = h.contents_[key];
    ASSERT_TRUE(VerifyStateProof(Intl(), root, key, value, proof).ok());
    // Wrong root.
    std::string wrong_root = root;
    wrong_root[0] ^= 1;
    EXPECT_FALSE(VerifyStateProof(Intl(), wrong_root, key, value, proof).ok());
    EXPECT_FALSE(VerifyStateProof(Intl(), StateEmptyHash(), key, value, proof).ok());
    // Each sibling altered, emptied, removed; one added.
    for (size_t i = 0; i < proof.siblings.size(); ++i) {
      StateProof altered = proof;
      if (altered.siblings[i].empty()) {
        altered.siblings[i] = std::string(32, '\x01');
      } else {
        altered.siblings[i][31] ^= 0x40;
      }
      EXPECT_FALSE(VerifyStateProof(Intl(), root, key, value, altered).ok()) << i;
      altered = proof;
      altered.siblings[i] = altered.siblings[i].empty() ? std::string(32, '\0') : std::string();
      EXPECT_FALSE(VerifyStateProof(Intl(), root, key, value, altered).ok()) << i;
      altered = proof;
      altered.siblings.erase(altered.siblings.begin() + static_cast<ptrdiff_t>(i));
      EXPECT_FALSE(VerifyStateProof(Intl(), root, key, value, altered).ok()) << i;
    }
    StateProof longer = proof;
    longer.siblings.push_back(std::string(32, '\x07'));
    EXPECT_FALSE(VerifyStateProof(Intl(), root, key, value, longer).ok());
    // The terminal leaf altered or dropped.
    if (!proof.leaf_key_hash.empty()) {
      StateProof altered = proof;
      altered.leaf_value_hash[0] ^= 1;
      EXPECT_FALSE(VerifyStateProof(Intl(), root, key, value, altered).ok());
      altered = proof;
      altered.leaf_key_hash[31] ^= 1;
      EXPECT_FALSE(VerifyStateProof(Intl(), root, key, value, altered).ok());
      altered = proof;
      altered.leaf_key_hash.clear();
      altered.leaf_value_hash.clear();
      EXPECT_FALSE(VerifyStateProof(Intl(), root, key, std::nullopt, altered).ok());
    }
    // Another key with the same proof.
    EXPECT_FALSE(VerifyStateProof(Intl(), root, key + "x", value, proof).ok() && member);
  }
}

TEST(StateTree, ProofOfAnotherKeyDoesNotProveAbsence) {
  Harness h(Intl());
  StateWrites writes;
  for (int i = 0; i < 64; ++i) writes["k" + std::to_string(i)] = "v";
  std::string root = h.Apply(writes);
  StateProof proof = *h.tree_.Prove(0, "k1");
  // k1's membership proof presented as the absence of k2 fails: k2's path differs.
  EXPECT_FALSE(VerifyStateProof(Intl(), root, "k2", std::nullopt, proof).ok());
}

TEST(StateTree, UnknownVersionIsNotFound) {
  Harness h(Intl());
  h.Apply({{"a", "1"}});
  EXPECT_EQ(h.tree_.Root(1).status().code(), pb::Status::NOT_FOUND);
  NodeWrites out;
  EXPECT_EQ(h.tree_.Update(5, {{"b", "2"}}, out).status().code(), pb::Status::NOT_FOUND);
}

TEST(StateTree, CommittedWithTheBlockAndProvenAfterReopening) {
  auto dir = std::filesystem::temp_directory_path() /
             ("onechain-state-tree-test-" + std::to_string(getpid()));
  std::filesystem::remove_all(dir);
  std::string root1;
  {
    auto store = std::move(Store::Open(dir.string())).value();
    StoreNodes nodes(*store);
    StateTree tree(Intl(), nodes);
    StateWrites genesis = {{"org/court", "court"}, {"org/tax", "tax"}};
    NodeWrites genesis_nodes;
    std::string root0 = *tree.Update(0, genesis, genesis_nodes);
    ASSERT_TRUE(store->InitGenesis("g", "gh", genesis, root0, genesis_nodes).ok());
    BlockCommit commit;
    commit.height = 1;
    commit.block_hash = "b1";
    commit.state_writes = {{"org/tax", std::nullopt}, {"case/1", "accepted"}};
    root1 = *tree.Update(1, commit.state_writes, commit.proof_writes);
    commit.state_root = root1;
    ASSERT_TRUE(store->Commit(commit).ok());
  }
  auto store = std::move(Store::Open(dir.string())).value();
  StoreNodes nodes(*store);
  StateTree tree(Intl(), nodes);
  EXPECT_EQ(*tree.Root(1), root1);
  EXPECT_TRUE(VerifyStateProof(Intl(), root1, "case/1", "accepted", *tree.Prove(1, "case/1")).ok());
  EXPECT_TRUE(
      VerifyStateProof(Intl(), root1, "org/tax", std::nullopt, *tree.Prove(1, "org/tax")).ok());
  EXPECT_TRUE(
      VerifyStateProof(Intl(), *tree.Root(0), "org/tax", "tax", *tree.Prove(0, "org/tax")).ok());
  store.reset();
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace onechain::ledger

namespace onechain::ledger {
namespace {

// Blocks that write hundreds of keys on each side of the root update the two halves on two
// threads; the roots still match a fresh build of the same contents, and proofs verify.
TEST(StateTree, LargeBlocksMatchAFreshBuild) {
  Harness h(Intl());
  std::mt19937_64 rng(11);
  StateWrites first;
  for (int i = 0; i < 3000; ++i) first["k/" + std::to_string(i)] = "v" + std::to_string(i);
  h.Apply(first);
  for (int version = 1; version <= 4; ++version) {
    StateWrites writes;
    while (writes.size() < 1500) {
      std::string key = "k/" + std::to_string(rng() % 5000);
      if (rng() % 3 == 0) {
        writes[key] = std::nullopt;
      } else {
        writes[key] = "w" + std::to_string(rng());
      }
    }
    std::string root = h.Apply(writes);
    ASSERT_EQ(root, h.FreshRoot()) << "version " << version;
    for (int i = 0; i < 50; ++i) h.ExpectProof("k/" + std::to_string(rng() % 5200));
  }
}

// The node reads tree nodes through RecentNodes: the last blocks' nodes in memory over the
// store. Reads through it give the same roots and proofs as reads of the store alone, also after
// its generations rotate, and a node it does not hold comes from the store.
TEST(RecentNodes, ServesRecentNodesAndFallsBackToTheBase) {
  MemoryNodes base, plain;
  RecentNodes recent(base, 500);
  StateTree cached(Intl(), recent), reference(Intl(), plain);
  std::mt19937_64 rng(12);
  for (uint64_t version = 0; version < 12; ++version) {
    StateWrites writes;
    for (int i = 0; i < 300; ++i) {
      writes["k/" + std::to_string(rng() % 2000)] = "v" + std::to_string(rng());
    }
    NodeWrites out, reference_out;
    auto root = cached.Update(version, writes, out);
    auto reference_root = reference.Update(version, writes, reference_out);
    ASSERT_TRUE(root.ok() && reference_root.ok());
    EXPECT_EQ(*root, *reference_root);
    EXPECT_EQ(out, reference_out);
    base.Apply(out);  // committed first, then remembered
    recent.Add(out);
    plain.Apply(reference_out);
    EXPECT_LE(recent.size(), 1000u);
    auto proof = cached.Prove(version, "k/7");
    ASSERT_TRUE(proof.ok());
    EXPECT_EQ(*StateRootFromProof(Intl(), "k/7", *proof), *root);
  }
  // A node only the base holds, one the cache holds, and a missing one.
  NodeWrites only_base{{"x", std::string("base")}};
  base.Apply(only_base);
  EXPECT_EQ(**recent.Get("x"), "base");
  recent.Add({{"y", std::string("new")}});
  EXPECT_EQ(**recent.Get("y"), "new");
  EXPECT_FALSE(recent.Get("z")->has_value());
  recent.Add({{"y", std::nullopt}});
  EXPECT_FALSE(recent.Get("y")->has_value());
}

}  // namespace
}  // namespace onechain::ledger

namespace onechain::ledger {
namespace {

// Roots of fixed contents, computed by the binary node layout the tree had before its nodes were
// stored 16-way: the storage layout may change, the hashes (and so every state root and proof
// already signed) may not.
TEST(StateTree, RootsAreThoseOfTheBinaryLayout) {
  Harness h(Intl());
  StateWrites first;
  for (int i = 0; i < 2000; ++i) first["k/" + std::to_string(i)] = "v" + std::to_string(i);
  std::string root0 = h.Apply(first);
  StateWrites second;
  for (int i = 0; i < 2000; i += 3) second["k/" + std::to_string(i)] = std::nullopt;
  for (int i = 1; i < 2000; i += 7) second["k/" + std::to_string(i)] = "w";
  second["extra"] = "e";
  std::string root1 = h.Apply(second);
  EXPECT_EQ(ToHex(root0), "5d84a7f8279e3d668507cfe0fe915a64755308ee559b95c34a53524ea913493f");
  EXPECT_EQ(ToHex(root1), "5d7d7e7f3c5632a7891f2eaea3780b3b0a7087b834e4db0cdcae29e22dce3449");
  Harness sm(Sm());
  EXPECT_EQ(ToHex(sm.Apply(first)),
            "0209fbdaabd4141caa93512029ddde2df5c947637d8657b6cdfdc85480b9030b");
}

}  // namespace
}  // namespace onechain::ledger

namespace onechain::ledger {
namespace {

class CountingNodes : public NodeReader {
 public:
  explicit CountingNodes(const NodeReader& base) : base_(base) {}
  Result<std::optional<std::string>> Get(std::string_view key) const override {
    ++reads;
    return base_.Get(key);
  }
  mutable size_t reads = 0;

 private:
  const NodeReader& base_;
};

// Nodes are stored 16-way: a block writes far fewer node records than keys times depth. With the
// committed version's top in memory the next update reads only its root record and nodes below
// the cached depth, and gives the same root and node records as an update that reads them all; a
// top of another version, or of an execution of the same height that was not committed, is
// ignored.
TEST(StateTree, SixteenWayRecordsAndTheCachedTop) {
  MemoryNodes nodes;
  CountingNodes counting(nodes);
  StateTree tree(Intl(), counting);
  StateWrites first;
  for (int i = 0; i < 3000; ++i) first["k/" + std::to_string(i)] = "v" + std::to_string(i);
  NodeWrites out0;
  StateTreeTopPtr top0;
  ASSERT_TRUE(tree.Update(0, first, out0, nullptr, &top0).ok());
  // 3,000 keys are about 12 binary levels deep: records at depths 0, 4 and 8 (1 + 16 + 256),
  // some at 12 and 16, and the root record; the binary layout wrote two records a key (5,999).
  EXPECT_LT(out0.size(), 1500u);
  nodes.Apply(out0);

  StateWrites second = {{"k/5", "changed"}, {"k/6", std::nullopt}, {"new", "n"}};
  NodeWrites cold_out, warm_out;
  counting.reads = 0;
  auto cold = tree.Update(1, second, cold_out);
  size_t cold_reads = counting.reads;
  counting.reads = 0;
  StateTreeTopPtr top1;
  auto warm = tree.Update(1, second, warm_out, top0, &top1);
  size_t warm_reads = counting.reads;
  ASSERT_TRUE(cold.ok() && warm.ok());
  EXPECT_EQ(*cold, *warm);
  EXPECT_EQ(cold_out, warm_out);
  EXPECT_GE(cold_reads, 8u);  // the root record and at least three records a path
  EXPECT_LE(warm_reads, 4u);  // the root record and records below the cached depth
  EXPECT_GE(cold_reads, warm_reads + 6);
  nodes.Apply(warm_out);

  // An execution of height 2 that is not committed, then the committed one: the first one's top
  // is not used for height 3, whose update starts from the stored nodes of the committed block.
  NodeWrites abandoned_out, committed_out;
  StateTreeTopPtr abandoned_top, committed_top;
  ASSERT_TRUE(tree.Update(2, {{"k/7", "a"}}, abandoned_out, top1, &abandoned_top).ok());
  ASSERT_TRUE(tree.Update(2, {{"k/8", "b"}}, committed_out, top1, &committed_top).ok());
  nodes.Apply(committed_out);
  NodeWrites with_stale, reference;
  auto stale = tree.Update(3, {{"k/9", "c"}}, with_stale, abandoned_top, nullptr);
  auto fresh = tree.Update(3, {{"k/9", "c"}}, reference);
  ASSERT_TRUE(stale.ok() && fresh.ok());
  EXPECT_EQ(*stale, *fresh);
  EXPECT_EQ(with_stale, reference);
  // A top of an older version is ignored too.
  NodeWrites with_old;
  auto old = tree.Update(3, {{"k/9", "c"}}, with_old, top0, nullptr);
  ASSERT_TRUE(old.ok());
  EXPECT_EQ(*old, *fresh);
  EXPECT_EQ(with_old, reference);
  nodes.Apply(reference);
  EXPECT_TRUE(
      VerifyStateProof(Intl(), *fresh, "k/8", "b", *StateTree(Intl(), nodes).Prove(3, "k/8")).ok());
}

}  // namespace
}  // namespace onechain::ledger
