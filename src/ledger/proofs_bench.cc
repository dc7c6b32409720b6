// Micro benchmarks of the ledger accumulator and the state tree (built, not run by ctest):
//   build/src/ledger/ledger_proofs_bench [--benchmark_filter=...]
// StateTreeUpdate: one block of 15,000 written keys (5,000 transactions) on a tree that already
// holds `keys` keys, nodes in memory or in RocksDB; counter us_per_key.
#include <benchmark/benchmark.h>
#include <unistd.h>

#include <filesystem>
#include <random>

#include "ledger/log_tree.h"
#include "ledger/merkle.h"
#include "ledger/merkle_proof.h"
#include "ledger/proof_bundle.h"
#include "ledger/state_tree.h"
#include "ledger/store.h"

namespace onechain::ledger {
namespace {

constexpr int kBlockKeys = 15'000;
constexpr int kBlockTxs = 5'000;

const crypto::Suite& Intl() { return *crypto::GetSuite(pb::SUITE_INTL); }

StateWrites RandomWrites(std::mt19937_64& rng, int count, uint64_t key_space) {
  StateWrites writes;
  while (static_cast<int>(writes.size()) < count) {
    writes["claim/" + std::to_string(rng() % key_space)] =
        std::string(120, 'v') + std::to_string(rng());
  }
  return writes;
}

// Version 0 holds `keys` keys (written in blocks of 100,000 so that no single map grows huge).
template <typename Nodes>
void Populate(const StateTree& tree, Nodes& apply, uint64_t keys, uint64_t& version,
              StateTreeTopPtr* top = nullptr) {
  std::mt19937_64 rng(1);
  version = 0;
  for (uint64_t done = 0; done == 0 || done < keys; done += 100'000) {
    StateWrites writes;
    for (uint64_t i = done; i < std::min(keys, done + 100'000); ++i) {
      writes["claim/" + std::to_string(i)] = std::string(120, 'v');
    }
    NodeWrites out;
    StateTreeTopPtr base = top != nullptr ? *top : nullptr;
    if (!tree.Update(version, writes, out, base, top).ok()) std::abort();
    apply(out);
    ++version;
  }
}

void StateTreeUpdateInMemory(benchmark::State& state) {
  uint64_t keys = static_cast<uint64_t>(state.range(0));
  MemoryNodes nodes;
  StateTree tree(Intl(), nodes);
  uint64_t version = 0;
  auto apply = [&](const NodeWrites& out) { nodes.Apply(out); };
  StateTreeTopPtr top;  // the node keeps the committed version's top, so does this
  Populate(tree, apply, keys, version, &top);
  std::mt19937_64 rng(2);
  size_t node_writes = 0, node_bytes = 0;
  for (auto _ : state) {
    state.PauseTiming();
    StateWrites writes = RandomWrites(rng, kBlockKeys, keys * 2);  // half new, half updates
    NodeWrites out;
    state.ResumeTiming();
    auto root = tree.Update(version, writes, out, top, nullptr);  // version-1 is populated
    benchmark::DoNotOptimize(root);
    node_writes = out.size();
    node_bytes = 0;
    for (const auto& [key, value] : out) node_bytes += key.size() + (value ? value->size() : 0);
  }
  state.counters["us_per_key"] = benchmark::Counter(
      static_cast<double>(kBlockKeys) * static_cast<double>(state.iterations()),
      benchmark::Counter::kIsRate | benchmark::Counter::kInvert, benchmark::Counter::kIs1000);
  state.counters["node_writes_per_block"] = static_cast<double>(node_writes);
  state.counters["node_bytes_per_block"] = static_cast<double>(node_bytes);
}
BENCHMARK(StateTreeUpdateInMemory)
    ->Arg(100'000)
    ->Arg(1'000'000)
    ->Unit(benchmark::kMillisecond)
    ->Iterations(5);

// Nodes in the Store's proofs family; each block's nodes committed with a synced batch, as the
// node will, and the commit counted in the time.
void StateTreeUpdateWithStoreCommit(benchmark::State& state) {
  uint64_t keys = static_cast<uint64_t>(state.range(0));
  auto dir = std::filesystem::temp_directory_path() /
             ("onechain-proofs-bench-" + std::to_string(getpid()));
  std::filesystem::remove_all(dir);
  auto store = std::move(Store::Open(dir.string())).value();
  if (!store->InitGenesis("g", "gh", {}, "r").ok()) std::abort();
  StoreNodes nodes(*store);
  StateTree tree(Intl(), nodes);
  uint64_t height = 0;
  auto apply = [&](const NodeWrites& out) {
    BlockCommit commit;
    commit.height = store->height() + 1;
    commit.block_hash = "b" + std::to_string(commit.height);
    commit.proof_writes = out;
    if (!store->Commit(commit).ok()) std::abort();
  };
  Populate(tree, apply, keys, height);
  std::mt19937_64 rng(3);
  for (auto _ : state) {
    state.PauseTiming();
    StateWrites writes = RandomWrites(rng, kBlockKeys, keys * 2);
    BlockCommit commit;
    commit.height = store->height() + 1;
    commit.block_hash = "b" + std::to_string(commit.height);
    state.ResumeTiming();
    auto root = tree.Update(height, writes, commit.proof_writes);
    if (!root.ok() || !store->Commit(commit).ok()) std::abort();
    ++height;
  }
  state.counters["us_per_key"] = benchmark::Counter(
      static_cast<double>(kBlockKeys) * static_cast<double>(state.iterations()),
      benchmark::Counter::kIsRate | benchmark::Counter::kInvert, benchmark::Counter::kIs1000);
  store.reset();
  std::filesystem::remove_all(dir);
}
BENCHMARK(StateTreeUpdateWithStoreCommit)
    ->Arg(200'000)
    ->Unit(benchmark::kMillisecond)
    ->Iterations(5);

void LogTreeAppendBlock(benchmark::State& state) {
  MemoryNodes nodes;
  LogTree tree = *LogTree::Load(Intl(), nodes);
  std::vector<std::string> txs(kBlockTxs, std::string(400, 't'));
  for (auto _ : state) {
    NodeWrites writes;
    tree.Append(txs, writes);
    benchmark::DoNotOptimize(tree.Root());
  }
  state.counters["us_per_tx"] = benchmark::Counter(
      static_cast<double>(kBlockTxs) * static_cast<double>(state.iterations()),
      benchmark::Counter::kIsRate | benchmark::Counter::kInvert, benchmark::Counter::kIs1000);
}
BENCHMARK(LogTreeAppendBlock)->Unit(benchmark::kMillisecond);

// Proof generation and verification on a log of one million leaves.
struct MillionLeafLog {
  MemoryNodes nodes;
  std::string root;
  MillionLeafLog() {
    LogTree tree = *LogTree::Load(Intl(), nodes);
    NodeWrites writes;
    for (uint64_t i = 0; i < 1'000'000; ++i)
      tree.AppendLeafHash(Intl().Hash(std::to_string(i)), writes);
    nodes.Apply(writes);
    root = tree.Root();
  }
};
MillionLeafLog& Log() {
  static MillionLeafLog log;
  return log;
}

void LogInclusionProve(benchmark::State& state) {
  Log();  // built outside the timed loop
  std::mt19937_64 rng(4);
  for (auto _ : state) {
    benchmark::DoNotOptimize(LogInclusionProof(Intl(), Log().nodes, rng() % 999'999, 999'999));
  }
}
BENCHMARK(LogInclusionProve)->Unit(benchmark::kMicrosecond);

void LogInclusionVerify(benchmark::State& state) {
  uint64_t index = 123'456;
  auto path = *LogInclusionProof(Intl(), Log().nodes, index, 1'000'000);
  std::string leaf = Intl().Hash(std::to_string(index));
  for (auto _ : state) {
    if (!VerifyInclusion(Intl(), index, 1'000'000, leaf, path, Log().root).ok()) std::abort();
  }
}
BENCHMARK(LogInclusionVerify)->Unit(benchmark::kMicrosecond);

void LogConsistencyVerify(benchmark::State& state) {
  auto old_root = *LogRootAt(Intl(), Log().nodes, 654'321);
  auto path = *LogConsistencyProof(Intl(), Log().nodes, 654'321, 1'000'000);
  for (auto _ : state) {
    if (!VerifyConsistency(Intl(), 654'321, 1'000'000, old_root, Log().root, path).ok()) {
      std::abort();
    }
  }
}
BENCHMARK(LogConsistencyVerify)->Unit(benchmark::kMicrosecond);

// A state tree of 1,000,000 keys, built once for the proof benchmarks (Google Benchmark calls a
// benchmark function more than once).
struct MillionKeyState {
  MemoryNodes nodes;
  StateTree tree{Intl(), nodes};
  uint64_t version = 0;
  std::string root;
  MillionKeyState() {
    auto apply = [&](const NodeWrites& out) { nodes.Apply(out); };
    Populate(tree, apply, 1'000'000, version);
    --version;
    root = *tree.Root(version);
  }
};
MillionKeyState& KeyState() {
  static MillionKeyState state;
  return state;
}

void StateProveAndVerify(benchmark::State& state) {
  const MillionKeyState& s = KeyState();
  std::mt19937_64 rng(5);
  for (auto _ : state) {
    std::string key = "claim/" + std::to_string(rng() % 2'000'000);
    auto proof = s.tree.Prove(s.version, key);
    if (!proof.ok() || !StateRootFromProof(Intl(), key, *proof).ok()) std::abort();
  }
}
BENCHMARK(StateProveAndVerify)->Unit(benchmark::kMicrosecond);

// Verification only, of one state proof on 1,000,000 keys (presence, then absence).
void StateProofVerify(benchmark::State& state) {
  const MillionKeyState& s = KeyState();
  const std::string& root = s.root;
  const std::string present_key = "claim/777", absent_key = "claim/1777777";
  StateProof present = *s.tree.Prove(s.version, present_key);
  StateProof absent = *s.tree.Prove(s.version, absent_key);
  const std::optional<std::string> value = std::string(120, 'v');
  bool which = false;
  for (auto _ : state) {
    which = !which;
    Status st = which ? VerifyStateProof(Intl(), root, present_key, value, present)
                      : VerifyStateProof(Intl(), root, absent_key, std::nullopt, absent);
    if (!st.ok()) std::abort();
  }
}
BENCHMARK(StateProofVerify)->Unit(benchmark::kMicrosecond);

// What `onechain verify bundle` does per file, without the file and the genesis parsing: a
// record bundle from a log of 1,000,000 leaves, its header certified by 3 of 4 validators
// (decode, 3 signature checks, inclusion).
void BundleVerify(benchmark::State& state) {
  pb::ValidatorSet validators;
  std::vector<std::unique_ptr<crypto::PrivateKey>> keys;
  for (int i = 0; i < 4; ++i) {
    keys.push_back(std::move(*crypto::GenerateKey(pb::SUITE_INTL)));
    validators.add_public_keys(keys.back()->public_key());
  }
  pb::BlockHeader header;
  header.set_chain_id("bench");
  header.set_height(1);
  header.set_log_size(1'000'000);
  header.set_log_root(Log().root);
  pb::Checkpoint checkpoint;
  header.SerializeToString(checkpoint.mutable_header());
  pb::CertificateSignatures certificate;
  for (int i = 0; i < 3; ++i) {
    pb::KeyedSignature* signature = certificate.add_signatures();
    signature->set_public_key(keys[i]->public_key());
    signature->set_signature(keys[i]->Sign(checkpoint.header()));
  }
  checkpoint.set_certificate(certificate.SerializeAsString());
  auto bundle = BuildRecordBundle(Intl(), Log().nodes, 123'456, "", checkpoint);
  if (!bundle.ok()) std::abort();
  bundle->set_leaf_hash(Intl().Hash(std::to_string(123'456)));
  const std::string bytes = bundle->SerializeAsString();
  TrustRoot trust{&Intl(), "bench", validators};
  for (auto _ : state) {
    auto decoded = DecodeProofBundle(bytes);
    if (!decoded.ok() || !VerifyProofBundle(trust, *decoded, VerifySignatureListCertificate).ok()) {
      std::abort();
    }
  }
}
BENCHMARK(BundleVerify)->Unit(benchmark::kMicrosecond);

}  // namespace
}  // namespace onechain::ledger

BENCHMARK_MAIN();
