// Proves the ledger accumulator's roots and proofs follow RFC 6962 / RFC 9162: published vectors,
// random trees up to 100,000 leaves, every single alteration of a proof rejected, and nodes kept
// in the Store's proofs family.
#include "ledger/log_tree.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <random>

#include "ledger/merkle.h"
#include "ledger/merkle_proof.h"
#include "ledger/store.h"
#include "util/bytes.h"

namespace onechain::ledger {
namespace {

const crypto::Suite& Intl() { return *crypto::GetSuite(pb::SUITE_INTL); }
const crypto::Suite& Sm() { return *crypto::GetSuite(pb::SUITE_SM); }

std::string H(const char* hex) { return *FromHex(hex); }

// Vectors of transparency-dev/merkle proof/verify_test.go (inclusionProofs, consistencyProofs,
// roots, leaves), which carry over certificate-transparency's merkle_tree_test: the 8 leaves,
// the roots of sizes 1..8, and known-good audit paths. Leaf numbers there are 1-based.
const char* const kLeaves[] = {"",
                               "00",
                               "10",
                               "2021",
                               "3031",
                               "40414243",
                               "5051525354555657",
                               "606162636465666768696a6b6c6d6e6f"};
const char* const kRoots[] = {
    "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
    "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
    "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
    "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
    "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
    "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
    "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
    "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
};
struct PathVector {
  uint64_t a;  // leaf number (1-based) or old size
  uint64_t b;  // tree size or new size
  std::vector<const char*> path;
};
const PathVector kInclusion[] = {
    {1, 1, {}},
    {1,
     8,
     {"96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
      "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
      "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4"}},
    {6,
     8,
     {"bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
      "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
      "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7"}},
    {3, 3, {"fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125"}},
    {2,
     5,
     {"6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
      "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
      "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b"}},
};
const PathVector kConsistency[] = {
    {1, 1, {}},
    {1,
     8,
     {"96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
      "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
      "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4"}},
    {6,
     8,
     {"0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
      "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
      "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7"}},
    {2,
     5,
     {"5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
      "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b"}},
    {6,
     7,
     {"0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
      "b08693ec2e721597130641e8211e7eedccb4c26413963eee6c1e2ed16ffb1a5f",
      "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7"}},
};

std::vector<std::string> Hashes(const std::vector<const char*>& hex) {
  std::vector<std::string> out;
  for (const char* h : hex) out.push_back(H(h));
  return out;
}

// A tree of the 8 vector leaves in memory.
struct VectorTree {
  MemoryNodes nodes;
  VectorTree() {
    NodeWrites writes;
    LogTree tree = *LogTree::Load(Intl(), nodes);
    for (const char* leaf : kLeaves) {
      std::string data = H(leaf);
      tree.Append(std::span(&data, 1), writes);
    }
    nodes.Apply(writes);
  }
};

TEST(LogTree, RootsMatchTheVectorsForEverySize) {
  VectorTree t;
  for (uint64_t size = 1; size <= 8; ++size) {
    EXPECT_EQ(ToHex(*LogRootAt(Intl(), t.nodes, size)), kRoots[size - 1]) << size;
  }
  EXPECT_EQ(ToHex(*LogRootAt(Intl(), t.nodes, 0)),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(LogRootAt(Intl(), t.nodes, 9).status().code(), pb::Status::NOT_FOUND);
}

TEST(LogTree, InclusionVectorsAreGeneratedAndVerified) {
  VectorTree t;
  for (const PathVector& v : kInclusion) {
    uint64_t index = v.a - 1;
    auto path = LogInclusionProof(Intl(), t.nodes, index, v.b);
    ASSERT_TRUE(path.ok()) << path.status().message();
    EXPECT_EQ(*path, Hashes(v.path)) << "leaf " << v.a << " size " << v.b;
    std::string leaf_hash = MerkleLeafHash(Intl(), H(kLeaves[index]));
    Status st = VerifyInclusion(Intl(), index, v.b, leaf_hash, Hashes(v.path), H(kRoots[v.b - 1]));
    EXPECT_TRUE(st.ok()) << st.message();
  }
}

TEST(LogTree, ConsistencyVectorsAreGeneratedAndVerified) {
  VectorTree t;
  for (const PathVector& v : kConsistency) {
    auto path = LogConsistencyProof(Intl(), t.nodes, v.a, v.b);
    ASSERT_TRUE(path.ok()) << path.status().message();
    EXPECT_EQ(*path, Hashes(v.path)) << v.a << " -> " << v.b;
    Status st =
        VerifyConsistency(Intl(), v.a, v.b, H(kRoots[v.a - 1]), H(kRoots[v.b - 1]), Hashes(v.path));
    EXPECT_TRUE(st.ok()) << st.message();
  }
}

// The edge cases of transparency-dev's TestVerifyConsistency, with one deliberate difference:
// an old size of 0 needs the empty tree's root H("").
TEST(LogTree, ConsistencyEdgeCases) {
  std::string empty = Intl().Hash(std::string_view());
  std::string r1 = std::string(32, '1'), r2 = std::string(32, '2');
  EXPECT_TRUE(VerifyConsistency(Intl(), 0, 0, empty, empty, {}).ok());
  EXPECT_TRUE(VerifyConsistency(Intl(), 0, 1, empty, r2, {}).ok());
  EXPECT_FALSE(VerifyConsistency(Intl(), 0, 1, r1, r2, {}).ok());
  EXPECT_TRUE(VerifyConsistency(Intl(), 1, 1, r2, r2, {}).ok());
  EXPECT_FALSE(VerifyConsistency(Intl(), 1, 1, r1, r2, {}).ok());
  EXPECT_FALSE(VerifyConsistency(Intl(), 1, 0, r1, r2, {}).ok());
  EXPECT_FALSE(VerifyConsistency(Intl(), 2, 1, r1, r2, {}).ok());
  EXPECT_FALSE(VerifyConsistency(Intl(), 1, 2, r1, r2, {}).ok());
  EXPECT_FALSE(VerifyConsistency(Intl(), 0, 0, empty, empty, {empty}).ok());
  EXPECT_FALSE(VerifyConsistency(Intl(), 1, 1, empty, empty, {empty}).ok());
}

TEST(LogTree, InclusionEdgeCases) {
  std::string leaf = MerkleLeafHash(Intl(), "data");
  EXPECT_TRUE(VerifyInclusion(Intl(), 0, 1, leaf, {}, leaf).ok());
  EXPECT_FALSE(VerifyInclusion(Intl(), 0, 1, leaf, {}, "").ok());
  EXPECT_FALSE(VerifyInclusion(Intl(), 0, 1, "", {}, leaf).ok());
  for (auto [index, size] : {std::pair<uint64_t, uint64_t>{0, 0}, {1, 0}, {2, 1}, {1, 1}}) {
    EXPECT_FALSE(VerifyInclusion(Intl(), index, size, leaf, {}, leaf).ok()) << index << size;
  }
}

// Every single alteration of a valid inclusion proof, in the manner of transparency-dev's
// corruptInclusionProof, plus each bit position of each hash.
void ExpectInclusionAlterationsRejected(const crypto::Suite& suite, uint64_t index, uint64_t size,
                                        const std::string& leaf,
                                        const std::vector<std::string>& path,
                                        const std::string& root) {
  ASSERT_TRUE(VerifyInclusion(suite, index, size, leaf, path, root).ok());
  auto rejected = [&](uint64_t i, uint64_t n, const std::string& l,
                      const std::vector<std::string>& p,
                      const std::string& r) { return !VerifyInclusion(suite, i, n, l, p, r).ok(); };
  EXPECT_TRUE(rejected(index - 1, size, leaf, path, root));
  EXPECT_TRUE(rejected(index + 1, size, leaf, path, root));
  EXPECT_TRUE(rejected(index ^ 2, size, leaf, path, root));
  EXPECT_TRUE(rejected(index, size * 2, leaf, path, root));
  EXPECT_TRUE(rejected(index, size / 2, leaf, path, root));
  std::string wrong_leaf = leaf;
  wrong_leaf[31] ^= 1;
  EXPECT_TRUE(rejected(index, size, wrong_leaf, path, root));
  std::string wrong_root = root;
  wrong_root[0] ^= 1;
  EXPECT_TRUE(rejected(index, size, leaf, path, wrong_root));
  EXPECT_TRUE(rejected(index, size, leaf, path, suite.Hash(std::string_view())));
  for (const std::string& extra : {std::string(), root, std::string(32, '\0')}) {
    auto longer = path;
    longer.push_back(extra);
    EXPECT_TRUE(rejected(index, size, leaf, longer, root));
    longer = path;
    longer.insert(longer.begin(), extra);
    EXPECT_TRUE(rejected(index, size, leaf, longer, root));
  }
  for (size_t i = 0; i < path.size(); ++i) {
    for (int bit : {0, 3, 255}) {
      auto altered = path;
      altered[i][bit / 8] ^= static_cast<char>(1 << (bit % 8));
      EXPECT_TRUE(rejected(index, size, leaf, altered, root)) << "hash " << i << " bit " << bit;
    }
    auto shorter = path;
    shorter.erase(shorter.begin() + static_cast<ptrdiff_t>(i));
    EXPECT_TRUE(rejected(index, size, leaf, shorter, root)) << "without hash " << i;
    if (i + 1 < path.size()) {
      auto swapped = path;
      std::swap(swapped[i], swapped[i + 1]);
      if (swapped != path) {
        EXPECT_TRUE(rejected(index, size, leaf, swapped, root));
      }
    }
  }
}

void ExpectConsistencyAlterationsRejected(const crypto::Suite& suite, uint64_t m, uint64_t n,
                                          const std::string& r1, const std::string& r2,
                                          const std::vector<std::string>& path) {
  ASSERT_TRUE(VerifyConsistency(suite, m, n, r1, r2, path).ok());
  if (path.empty()) return;
  auto rejected = [&](uint64_t a, uint64_t b, const std::string& x, const std::string& y,
                      const std::vector<std::string>& p) {
    return !VerifyConsistency(suite, a, b, x, y, p).ok();
  };
  EXPECT_TRUE(rejected(m - 1, n, r1, r2, path));
  EXPECT_TRUE(rejected(m + 1, n, r1, r2, path));
  EXPECT_TRUE(rejected(m ^ 2, n, r1, r2, path));
  EXPECT_TRUE(rejected(m, n * 2, r1, r2, path));
  EXPECT_TRUE(rejected(m, n / 2, r1, r2, path));
  EXPECT_TRUE(rejected(m, n, r2, r1, path));
  std::string bad = r1;
  bad[5] ^= 4;
  EXPECT_TRUE(rejected(m, n, bad, r2, path));
  bad = r2;
  bad[5] ^= 4;
  EXPECT_TRUE(rejected(m, n, r1, bad, path));
  EXPECT_TRUE(rejected(m, n, r1, r2, {}));
  for (const std::string& extra : {std::string(), r1, r2, path[0]}) {
    auto longer = path;
    longer.push_back(extra);
    EXPECT_TRUE(rejected(m, n, r1, r2, longer));
    longer = path;
    longer.insert(longer.begin(), extra);
    EXPECT_TRUE(rejected(m, n, r1, r2, longer));
  }
  for (size_t i = 0; i < path.size(); ++i) {
    for (int bit : {4, 100, 254}) {
      auto altered = path;
      altered[i][bit / 8] ^= static_cast<char>(1 << (bit % 8));
      EXPECT_TRUE(rejected(m, n, r1, r2, altered)) << "hash " << i << " bit " << bit;
    }
    auto shorter = path;
    shorter.erase(shorter.begin() + static_cast<ptrdiff_t>(i));
    EXPECT_TRUE(rejected(m, n, r1, r2, shorter)) << "without hash " << i;
  }
}

TEST(LogTree, EveryAlterationOfTheVectorProofsIsRejected) {
  for (const PathVector& v : kInclusion) {
    if (v.path.empty()) continue;
    ExpectInclusionAlterationsRejected(Intl(), v.a - 1, v.b,
                                       MerkleLeafHash(Intl(), H(kLeaves[v.a - 1])), Hashes(v.path),
                                       H(kRoots[v.b - 1]));
  }
  for (const PathVector& v : kConsistency) {
    ExpectConsistencyAlterationsRejected(Intl(), v.a, v.b, H(kRoots[v.a - 1]), H(kRoots[v.b - 1]),
                                         Hashes(v.path));
  }
}

std::string LeafData(uint64_t i) { return "tx-" + std::to_string(i); }

// Every size of a small tree, every index and every pair of sizes, against MerkleRoot.
TEST(LogTree, AllIndicesAndSizePairsOfSmallTrees) {
  for (const crypto::Suite* suite : {&Intl(), &Sm()}) {
    MemoryNodes nodes;
    NodeWrites writes;
    LogTree tree = *LogTree::Load(*suite, nodes);
    std::vector<std::string> leaves;
    std::vector<std::string> roots = {suite->Hash(std::string_view())};
    for (uint64_t i = 0; i < 40; ++i) {
      leaves.push_back(LeafData(i));
      tree.Append(std::span(&leaves.back(), 1), writes);
      roots.push_back(MerkleRoot(*suite, leaves));
      ASSERT_EQ(tree.Root(), roots.back());
    }
    nodes.Apply(writes);
    for (uint64_t n = 1; n <= 40; ++n) {
      for (uint64_t i = 0; i < n; ++i) {
        auto path = LogInclusionProof(*suite, nodes, i, n);
        ASSERT_TRUE(path.ok());
        ASSERT_TRUE(
            VerifyInclusion(*suite, i, n, MerkleLeafHash(*suite, leaves[i]), *path, roots[n]).ok())
            << i << "/" << n;
      }
      for (uint64_t m = 0; m <= n; ++m) {
        auto path = LogConsistencyProof(*suite, nodes, m, n);
        ASSERT_TRUE(path.ok());
        Status st = VerifyConsistency(*suite, m, n, roots[m], roots[n], *path);
        ASSERT_TRUE(st.ok()) << m << " -> " << n << ": " << st.message();
      }
    }
  }
}

// 100,000 leaves appended in blocks of random sizes, reloaded from the nodes between blocks;
// sampled indices and size pairs are proven and every alteration of sampled proofs rejected.
TEST(LogTree, RandomTreeOfOneHundredThousandLeaves) {
  constexpr uint64_t kLeavesTotal = 100'000;
  std::mt19937_64 rng(20261128);
  MemoryNodes nodes;
  std::vector<std::string> roots = {Intl().Hash(std::string_view())};
  std::vector<std::string> leaf_hashes;
  while (leaf_hashes.size() < kLeavesTotal) {
    LogTree tree = *LogTree::Load(Intl(), nodes);
    ASSERT_EQ(tree.size(), leaf_hashes.size());
    uint64_t block = std::min<uint64_t>(rng() % 3000, kLeavesTotal - leaf_hashes.size());
    NodeWrites writes;
    for (uint64_t i = 0; i < block; ++i) {
      std::string data = LeafData(leaf_hashes.size());
      leaf_hashes.push_back(MerkleLeafHash(Intl(), data));
      tree.AppendLeafHash(leaf_hashes.back(), writes);
    }
    nodes.Apply(writes);
    roots.resize(leaf_hashes.size() + 1);
    roots[leaf_hashes.size()] = tree.Root();
  }
  EXPECT_EQ(roots.back(), MerkleRoot(Intl(), [] {
              std::vector<std::string> all;
              for (uint64_t i = 0; i < kLeavesTotal; ++i) all.push_back(LeafData(i));
              return all;
            }()));
  EXPECT_LT(nodes.size(), 2 * kLeavesTotal + 2);
  auto root_at = [&](uint64_t n) {
    if (roots[n].empty()) roots[n] = *LogRootAt(Intl(), nodes, n);
    return roots[n];
  };
  for (int sample = 0; sample < 300; ++sample) {
    uint64_t n = 1 + rng() % kLeavesTotal;
    uint64_t i = rng() % n;
    auto path = LogInclusionProof(Intl(), nodes, i, n);
    ASSERT_TRUE(path.ok());
    ASSERT_TRUE(VerifyInclusion(Intl(), i, n, leaf_hashes[i], *path, root_at(n)).ok());
    uint64_t m = 1 + rng() % n;
    auto consistency = LogConsistencyProof(Intl(), nodes, m, n);
    ASSERT_TRUE(consistency.ok());
    ASSERT_TRUE(VerifyConsistency(Intl(), m, n, root_at(m), root_at(n), *consistency).ok())
        << m << " -> " << n;
    if (sample % 30 == 0) {
      ExpectInclusionAlterationsRejected(Intl(), i, n, leaf_hashes[i], *path, root_at(n));
      if (m < n) {
        ExpectConsistencyAlterationsRejected(Intl(), m, n, root_at(m), root_at(n), *consistency);
      }
    }
  }
}

TEST(LogTree, NodesCommittedWithTheBlockServeProofsAfterReopening) {
  auto dir = std::filesystem::temp_directory_path() /
             ("onechain-log-tree-test-" + std::to_string(getpid()));
  std::filesystem::remove_all(dir);
  std::vector<std::string> txs = {"a", "b", "c", "d", "e"};
  {
    auto store = std::move(Store::Open(dir.string())).value();
    ASSERT_TRUE(store->InitGenesis("genesis", "ghash", {}, "root").ok());
    LogTree tree = *LogTree::Load(Intl(), StoreNodes(*store));
    BlockCommit commit;
    commit.height = 1;
    commit.block_hash = "block-1";
    tree.Append(txs, commit.proof_writes);
    ASSERT_TRUE(store->Commit(commit).ok());
  }
  auto store = std::move(Store::Open(dir.string())).value();
  StoreNodes nodes(*store);
  LogTree tree = *LogTree::Load(Intl(), nodes);
  EXPECT_EQ(tree.size(), 5u);
  EXPECT_EQ(tree.Root(), MerkleRoot(Intl(), txs));
  auto path = LogInclusionProof(Intl(), nodes, 3, 5);
  ASSERT_TRUE(path.ok());
  EXPECT_TRUE(VerifyInclusion(Intl(), 3, 5, MerkleLeafHash(Intl(), "d"), *path, tree.Root()).ok());
  EXPECT_EQ(LogInclusionProof(Intl(), nodes, 3, 6).status().code(), pb::Status::NOT_FOUND);
  store.reset();
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace onechain::ledger
