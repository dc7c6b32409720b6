#include "sim/epochs.h"

#include <algorithm>
#include <cassert>
#include <functional>
#include <iostream>
#include <map>
#include <memory>
#include <queue>
#include <random>
#include <sstream>
#include <unordered_map>

#include "consensus/epochs.h"
#include "consensus/state_machine.h"
#include "sim/cluster.h"
#include "util/bytes.h"

namespace onechain::sim {

using consensus::Action;
using consensus::Actions;

namespace {

constexpr int64_t kRoundTimeoutMs = 400;
constexpr int64_t kRetiredEpochKeepMs = 5'000;  // an old epoch keeps running for stragglers
constexpr int64_t kChainPollMs = 300;           // a replica missing epoch changes asks this often
constexpr int64_t kFaultsEndMs = 6'000;
constexpr int64_t kEndMs = 14'000;
constexpr uint64_t kProofEpoch = UINT64_MAX;  // frame "epoch" of epoch-chain requests/answers
constexpr size_t kBufferedMax = 4'096;

const crypto::Suite& Suite() { return *crypto::GetSuite(pb::SUITE_INTL); }

struct Member {
  uint32_t node = 0;
  uint32_t key = 0;  // index of SimValidatorKey
  bool operator==(const Member&) const = default;
};

struct Change {
  enum class Kind { kAdd, kRemove, kRotate } kind;
  Member member;  // add: the new member; remove: its node; rotate: its node and new key
  int64_t release_ms = 0;
};

// Toy execution state after a block: a root, the number of changes applied, the set.
struct Exec {
  std::string root;
  uint64_t applied = 0;
  std::vector<Member> set;
};

std::string U64(uint64_t v) { return std::to_string(v); }

std::string SetDigest(const std::vector<std::string>& keys) {
  std::string all;
  for (const std::string& key : keys) all += key;
  return Suite().Hash({"onechain/sim/set/v1", all});
}

// The toy state root binds the parent root, the payload, the set in force and the count applied;
// an epoch change proves its set by giving the parent root, payload digest and count.
std::string ExecRoot(const std::string& parent_root, const std::string& payload_digest,
                     const std::vector<std::string>& keys, uint64_t applied) {
  return Suite().Hash({"onechain/sim/epoch-exec/v1", parent_root, payload_digest, SetDigest(keys),
                       U64(applied)});
}

Status BindSet(const pb::BlockInfo& last, const std::vector<std::string>& keys,
               std::string_view binding) {
  if (binding.size() <= 64) return Status(pb::Status::MALFORMED, "binding too short");
  const std::string parent_root(binding.substr(0, 32));
  const std::string payload(binding.substr(32, 32));
  const uint64_t applied = std::strtoull(std::string(binding.substr(64)).c_str(), nullptr, 10);
  if (ExecRoot(parent_root, payload, keys, applied) != last.state_root()) {
    return Status(pb::Status::BAD_SIGNATURE, "the set does not hash to the certified state root");
  }
  return Status::Ok();
}

struct Committed {
  uint64_t epoch = 0;
  std::string id;
  uint64_t height = 0;
  pb::BlockInfo info;
  pb::QuorumCert qc;
  pb::ConsensusBlock block;
  std::string binding;  // parent root ‖ payload digest ‖ decimal count applied (BindSet)
};

struct EpochStart {
  uint64_t epoch = 0;
  pb::BlockInfo start;
  std::vector<Member> set;
};

// What survives a crash.
struct Durable {
  std::map<uint64_t, pb::SafetyState> safety;  // per epoch
  std::map<uint64_t, std::map<std::string, pb::ConsensusBlock>> blocks;  // per epoch
  std::vector<Committed> log;
  std::vector<EpochStart> epochs;  // entered, in order; [0] is genesis or the joining point
  std::map<std::string, Exec> exec_committed;  // block id -> state, for committed blocks
  pb::EpochChain chain;  // proven epoch changes from genesis
};

struct EpochRun {
  uint64_t epoch = 0;
  std::unique_ptr<consensus::ChainParams> params;
  std::vector<Member> set;
  std::unique_ptr<consensus::StateMachine> machine;  // null: not a member
  uint64_t last_height = UINT64_MAX;  // set when the epoch's last block is committed here
  std::string last_id;
  bool proof_pending = false;
  std::map<uint64_t, pb::QuorumCert> above_qcs;  // QCs of blocks committed above last_height
  int64_t retire_at = INT64_MAX;
  uint64_t timer_generation = 0;
};

struct Replica {
  uint32_t node = 0;
  bool alive = false;
  uint64_t incarnation = 0;
  Durable durable;
  std::map<uint64_t, EpochRun> runs;
  uint64_t epoch = 0;
  std::unordered_map<std::string, Exec> exec;  // speculative and committed
  std::vector<std::pair<uint32_t, std::string>> buffered;  // frames of later epochs
  int64_t next_poll_ms = 0;
  uint32_t old_key_votes_to_send = 0;
  uint32_t old_key = 0;
  bool forged_tried = false;
};

struct Event {
  enum class Kind { kDeliver, kTimer, kExecuted, kPayload, kFault, kPoll };
  int64_t at_ms = 0;
  uint64_t seq = 0;
  Kind kind = Kind::kDeliver;
  size_t replica = 0;
  uint64_t incarnation = 0;
  uint64_t epoch = 0;
  uint32_t from = 0;
  std::shared_ptr<const std::string> bytes;
  uint64_t round = 0;
  uint64_t generation = 0;
  std::string block_id;
  std::function<void()> fault;
  bool operator>(const Event& other) const {
    return at_ms != other.at_ms ? at_ms > other.at_ms : seq > other.seq;
  }
};

class EpochCluster {
 public:
  EpochCluster(uint64_t seed, EpochScenario scenario, bool log);
  EpochReport Run();

 private:
  const crypto::PrivateKey& Key(uint32_t index) {
    auto& key = keys_[index];
    if (!key) key = SimValidatorKey(index);
    return *key;
  }
  std::vector<std::string> KeysOf(const std::vector<Member>& set) {
    std::vector<std::string> keys;
    for (const Member& m : set) keys.push_back(Key(m.key).public_key());
    return keys;
  }
  std::optional<uint32_t> IndexOf(const std::vector<Member>& set, uint32_t node) const {
    for (size_t i = 0; i < set.size(); ++i) {
      if (set[i].node == node) return static_cast<uint32_t>(i);
    }
    return std::nullopt;
  }
  void Schedule(Event event) {
    event.seq = seq_++;
    events_.push(std::move(event));
  }
  void Fail(const std::string& what) {
    if (!report_.ok) return;
    report_.ok = false;
    report_.failure = "at " + std::to_string(now_ms_) + " ms: " + what;
  }
  void Log(const std::string& line) const {
    if (log_) std::cerr << "[" << now_ms_ << " ms] " << line << "\n";
  }
  double Chance() { return std::uniform_real_distribution<double>(0, 1)(rng_); }
  int64_t Between(int64_t lo, int64_t hi) {
    return std::uniform_int_distribution<int64_t>(lo, hi)(rng_);
  }

  void Start(size_t r);
  void Crash(size_t r);
  void StartRun(size_t r, const EpochStart& start, std::optional<Committed> root);
  void Perform(size_t r, uint64_t epoch, Actions actions);
  void Execute(size_t r, uint64_t epoch, const consensus::ExecuteBlock& execute);
  void Commit(size_t r, uint64_t epoch, const consensus::CommitBlock& commit);
  void EnterNextEpoch(size_t r, uint64_t epoch);
  void TryProof(size_t r, uint64_t epoch);
  void ServeCommitted(size_t r, uint64_t epoch, const consensus::ServeCommitted& request);
  void Payload(size_t r, uint64_t epoch, uint64_t round);
  void Send(size_t r, uint64_t epoch, std::optional<uint32_t> to, const std::string& bytes);
  void Transmit(size_t from, size_t to, std::shared_ptr<const std::string> frame,
                int64_t delay_ms = -1);
  void Deliver(size_t r, uint32_t from, const std::string& frame);
  void OnChain(size_t r, const std::string& bytes, bool forged);
  void Poll(size_t r);
  void Retire(size_t r);
  void Dispatch(Event& event);
  void PlanFaults();
  Exec ApplyPayload(const Exec& parent, const pb::ConsensusBlock& block);
  uint64_t ExpectedHeight(const Replica& rep, uint64_t epoch) const;
  uint64_t CommittedApplied(const Replica& rep) const;
  std::vector<Member> FinalSet() const;
  void CheckEnd();

  const uint64_t seed_;
  const EpochScenario scenario_;
  const bool log_;
  std::mt19937_64 rng_;
  std::map<uint32_t, std::unique_ptr<crypto::PrivateKey>> keys_;
  consensus::ChainParams genesis_;
  std::vector<Member> genesis_set_;
  std::vector<Change> changes_;
  std::map<std::string, uint32_t> key_owner_;  // public key -> node (the sim's address book)
  std::vector<Replica> replicas_;  // replica i is node i
  std::priority_queue<Event, std::vector<Event>, std::greater<>> events_;
  uint64_t seq_ = 0;
  int64_t now_ms_ = 0;
  double loss_ = 0;
  int64_t delay_max_ms_ = 40;
  EpochReport report_;
  std::map<uint64_t, std::pair<std::string, std::string>> chain_;  // height -> id, root
  std::map<uint64_t, uint64_t> boundaries_;                        // epoch -> last height
};

EpochCluster::EpochCluster(uint64_t seed, EpochScenario scenario, bool log)
    : seed_(seed),
      scenario_(scenario),
      log_(log),
      rng_(seed * 0xD1B54A32D192ED03ull + static_cast<uint64_t>(scenario) + 1) {
  const uint32_t initial = scenario == EpochScenario::kRemove ? 5 : 4;
  for (uint32_t i = 0; i < initial; ++i) genesis_set_.push_back({i, i});
  const int64_t first = Between(500, 1'500);
  switch (scenario) {
    case EpochScenario::kAdd:
      changes_.push_back({Change::Kind::kAdd, {4, 4}, first});
      break;
    case EpochScenario::kRemove:
      changes_.push_back({Change::Kind::kRemove, {static_cast<uint32_t>(rng_() % 5), 0}, first});
      break;
    case EpochScenario::kRotate:
      changes_.push_back(
          {Change::Kind::kRotate, {static_cast<uint32_t>(rng_() % 4), 10}, first});
      break;
    case EpochScenario::kAll:
      changes_.push_back({Change::Kind::kAdd, {4, 4}, first});
      changes_.push_back(
          {Change::Kind::kRotate, {static_cast<uint32_t>(rng_() % 5), 10}, first + 1'500});
      changes_.push_back(
          {Change::Kind::kRemove, {static_cast<uint32_t>(rng_() % 5), 0}, first + 3'000});
      break;
  }
  report_.changes = changes_.size();
  for (const Member& m : genesis_set_) key_owner_[Key(m.key).public_key()] = m.node;
  for (const Change& change : changes_) {
    if (change.kind != Change::Kind::kRemove) {
      key_owner_[Key(change.member.key).public_key()] = change.member.node;
    }
  }
  genesis_.chain_id = "onechain-sim-epochs";
  genesis_.suite = &Suite();
  genesis_.validator_keys = KeysOf(genesis_set_);
  genesis_.genesis = consensus::GenesisInfo(
      Suite(), Suite().Hash("onechain/sim/epochs/genesis"), 0,
      ExecRoot(std::string(32, '\0'), std::string(32, '\0'), genesis_.validator_keys, 0));
  uint32_t nodes = initial;
  for (const Change& change : changes_) nodes = std::max(nodes, change.member.node + 1);
  replicas_.resize(nodes);
  for (uint32_t i = 0; i < nodes; ++i) {
    replicas_[i].node = i;
    if (i < initial) {
      replicas_[i].durable.epochs.push_back({0, genesis_.genesis, genesis_set_});
      replicas_[i].durable.exec_committed[genesis_.genesis.id()] =
          Exec{genesis_.genesis.state_root(), 0, genesis_set_};
    }
  }
}

Exec EpochCluster::ApplyPayload(const Exec& parent, const pb::ConsensusBlock& block) {
  Exec next = parent;
  for (const std::string& batch : block.batches()) {
    if (!batch.starts_with("gov:")) continue;
    const uint64_t index = std::strtoull(batch.c_str() + 4, nullptr, 10);
    if (index != next.applied || index >= changes_.size()) continue;
    const Change& change = changes_[index];
    auto it = std::find_if(next.set.begin(), next.set.end(),
                           [&](const Member& m) { return m.node == change.member.node; });
    switch (change.kind) {
      case Change::Kind::kAdd:
        if (it == next.set.end()) next.set.push_back(change.member);
        break;
      case Change::Kind::kRemove:
        if (it != next.set.end() && next.set.size() > 4) next.set.erase(it);
        break;
      case Change::Kind::kRotate:
        if (it != next.set.end()) it->key = change.member.key;
        break;
    }
    ++next.applied;
  }
  next.root = ExecRoot(parent.root, consensus::PayloadDigest(Suite(), block.batches()),
                       KeysOf(next.set), next.applied);
  return next;
}

uint64_t EpochCluster::ExpectedHeight(const Replica& rep, uint64_t epoch) const {
  uint64_t start = 0;
  for (const EpochStart& e : rep.durable.epochs) {
    if (e.epoch == epoch) start = e.start.height();
  }
  if (!rep.durable.log.empty() && rep.durable.log.back().height >= start) {
    return rep.durable.log.back().height + 1;
  }
  return start + 1;
}

uint64_t EpochCluster::CommittedApplied(const Replica& rep) const {
  const std::string& id = !rep.durable.log.empty() ? rep.durable.log.back().id
                                                   : rep.durable.epochs.back().start.id();
  auto it = rep.durable.exec_committed.find(id);
  return it == rep.durable.exec_committed.end() ? 0 : it->second.applied;
}

std::vector<Member> EpochCluster::FinalSet() const {
  std::vector<Member> set = genesis_set_;
  for (const Change& change : changes_) {
    auto it = std::find_if(set.begin(), set.end(),
                           [&](const Member& m) { return m.node == change.member.node; });
    if (change.kind == Change::Kind::kAdd && it == set.end()) set.push_back(change.member);
    if (change.kind == Change::Kind::kRemove && it != set.end() && set.size() > 4) set.erase(it);
    if (change.kind == Change::Kind::kRotate && it != set.end()) it->key = change.member.key;
  }
  return set;
}

// ---------------------------------------------------------------- replicas

void EpochCluster::Start(size_t r) {
  Replica& rep = replicas_[r];
  assert(!rep.alive);
  rep.alive = true;
  if (rep.incarnation > 0) ++report_.restarts;
  ++rep.incarnation;
  rep.runs.clear();
  rep.buffered.clear();
  rep.exec.clear();
  for (const auto& [id, exec] : rep.durable.exec_committed) rep.exec[id] = exec;
  Event poll;
  poll.kind = Event::Kind::kPoll;
  poll.at_ms = now_ms_ + Between(0, kChainPollMs);
  poll.replica = r;
  poll.incarnation = rep.incarnation;
  Schedule(std::move(poll));
  if (rep.durable.epochs.empty()) {  // a new validator: waits for the epoch chain
    Log("start node " + U64(r) + " (joining)");
    return;
  }
  const EpochStart start = rep.durable.epochs.back();
  std::optional<Committed> root;
  if (!rep.durable.log.empty() && rep.durable.log.back().epoch == start.epoch &&
      rep.durable.log.back().height > start.start.height()) {
    root = rep.durable.log.back();
  }
  rep.epoch = start.epoch;
  Log("start node " + U64(r) + " in epoch " + U64(start.epoch));
  StartRun(r, start, root);
}

void EpochCluster::StartRun(size_t r, const EpochStart& start, std::optional<Committed> root) {
  Replica& rep = replicas_[r];
  EpochRun& run = rep.runs[start.epoch];
  run.epoch = start.epoch;
  run.set = start.set;
  run.params = std::make_unique<consensus::ChainParams>(
      consensus::EpochParams(genesis_, start.epoch, KeysOf(start.set), start.start));
  std::optional<uint32_t> self = IndexOf(start.set, rep.node);
  if (!self) {
    Log("node " + U64(r) + " is not a validator of epoch " + U64(start.epoch));
    return;
  }
  consensus::Recovery recovery;
  recovery.safety = rep.durable.safety[start.epoch];
  if (root) {
    recovery.root_qc = root->qc;
    recovery.root = root->info;
  } else {
    recovery.root = start.start;
    recovery.root_qc = consensus::GenesisQc(start.start);
  }
  for (const auto& [id, block] : rep.durable.blocks[start.epoch]) recovery.blocks.push_back(block);
  consensus::Options options;
  options.round_timeout_ms = kRoundTimeoutMs;
  run.machine = std::make_unique<consensus::StateMachine>(
      *run.params, Key(start.set[*self].key), *self, options, std::move(recovery));
  Perform(r, start.epoch, run.machine->Start(now_ms_));
  // Frames that arrived for this epoch before this replica reached it.
  std::vector<std::pair<uint32_t, std::string>> buffered = std::exchange(rep.buffered, {});
  for (auto& [from, frame] : buffered) Deliver(r, from, frame);
}

void EpochCluster::Crash(size_t r) {
  Replica& rep = replicas_[r];
  if (!rep.alive) return;
  Log("crash node " + U64(r));
  rep.alive = false;
  rep.runs.clear();
  rep.buffered.clear();
  ++rep.incarnation;
}

void EpochCluster::Perform(size_t r, uint64_t epoch, Actions actions) {
  for (Action& action : actions) {
    Replica& rep = replicas_[r];
    if (!rep.alive) return;
    auto run_it = rep.runs.find(epoch);
    if (run_it == rep.runs.end() || !run_it->second.machine) return;
    EpochRun& run = run_it->second;
    if (auto* persist = std::get_if<consensus::PersistSafety>(&action)) {
      rep.durable.safety[epoch] = persist->state;
    } else if (auto* block = std::get_if<consensus::PersistBlock>(&action)) {
      rep.durable.blocks[epoch][block->block_id] = block->block;
    } else if (auto* send = std::get_if<consensus::Send>(&action)) {
      Send(r, epoch, send->to, send->bytes);
    } else if (auto* execute = std::get_if<consensus::ExecuteBlock>(&action)) {
      Execute(r, epoch, *execute);
    } else if (auto* commit = std::get_if<consensus::CommitBlock>(&action)) {
      Commit(r, epoch, *commit);
    } else if (auto* timer = std::get_if<consensus::SetTimer>(&action)) {
      Event event;
      event.kind = Event::Kind::kTimer;
      event.replica = r;
      event.incarnation = rep.incarnation;
      event.epoch = epoch;
      event.at_ms = timer->at_ms;
      event.round = timer->round;
      event.generation = ++run.timer_generation;
      Schedule(std::move(event));
    } else if (auto* need = std::get_if<consensus::NeedPayload>(&action)) {
      Event event;
      event.kind = Event::Kind::kPayload;
      event.replica = r;
      event.incarnation = rep.incarnation;
      event.epoch = epoch;
      event.at_ms = now_ms_ + Between(0, 5);
      event.round = need->round;
      Schedule(std::move(event));
    } else if (auto* serve = std::get_if<consensus::ServeCommitted>(&action)) {
      ServeCommitted(r, epoch, *serve);
    }
  }
  TryProof(r, epoch);
}

void EpochCluster::ServeCommitted(size_t r, uint64_t epoch,
                                  const consensus::ServeCommitted& request) {
  const Durable& durable = replicas_[r].durable;
  auto it = std::find_if(durable.log.begin(), durable.log.end(),
                         [&](const Committed& c) { return c.id == request.block_id; });
  if (it == durable.log.end()) return;
  std::vector<pb::ConsensusBlock> blocks;
  for (auto at = it;; --at) {
    if (at->epoch != epoch || blocks.size() >= request.count) break;
    blocks.push_back(at->block);
    if (at == durable.log.begin()) break;
  }
  Send(r, epoch, request.peer, consensus::EncodeBlockResponse(blocks));
}

void EpochCluster::Payload(size_t r, uint64_t epoch, uint64_t round) {
  Replica& rep = replicas_[r];
  auto it = rep.runs.find(epoch);
  if (it == rep.runs.end() || !it->second.machine) return;
  std::vector<std::string> batches;  // an ended epoch (kept for stragglers) proposes empty blocks
  if (it->second.last_height == UINT64_MAX) {
    batches.push_back("tx:" + U64(r) + ":" + U64(epoch) + ":" + U64(round));
    const uint64_t next = CommittedApplied(rep);
    if (next < changes_.size() && now_ms_ >= changes_[next].release_ms) {
      batches.push_back("gov:" + U64(next));
    }
  }
  Perform(r, epoch, it->second.machine->OnPayload(now_ms_, round, std::move(batches)));
}

void EpochCluster::Execute(size_t r, uint64_t epoch, const consensus::ExecuteBlock& execute) {
  Replica& rep = replicas_[r];
  auto parent = rep.exec.find(execute.parent_id);
  if (parent == rep.exec.end()) {
    Fail("node " + U64(r) + " executes a block whose parent it has not executed");
    return;
  }
  Exec next = ApplyPayload(parent->second, execute.block);
  Event event;
  event.kind = Event::Kind::kExecuted;
  event.replica = r;
  event.incarnation = rep.incarnation;
  event.epoch = epoch;
  event.at_ms = now_ms_ + Between(0, 3);
  event.block_id = execute.block_id;
  rep.exec[execute.block_id] = std::move(next);
  Schedule(std::move(event));
}

void EpochCluster::Commit(size_t r, uint64_t epoch, const consensus::CommitBlock& commit) {
  Replica& rep = replicas_[r];
  EpochRun& run = rep.runs.at(epoch);
  if (commit.height > run.last_height) {
    ++report_.abandoned_commits;  // above the epoch's last block: no honest replica applies it
    if (run.proof_pending) run.above_qcs[commit.height] = commit.qc;
    return;
  }
  ++report_.commits_checked;
  const std::string at = "node " + U64(r) + " epoch " + U64(epoch) + " height " + U64(commit.height);
  const uint64_t expected = ExpectedHeight(rep, epoch);
  if (commit.height != expected) Fail(at + ": committed out of order, expected " + U64(expected));
  consensus::Verifier verifier(*run.params);
  if (Status st = verifier.VerifyQc(commit.qc); !st.ok()) {
    Fail(at + ": certificate invalid under its epoch's set: " + st.ToString());
  }
  const pb::BlockInfo& info = commit.qc.vote_data().proposed();
  if (info.id() != commit.block_id ||
      consensus::BlockId(*run.params, commit.block) != commit.block_id) {
    Fail(at + ": certificate does not name the block");
  }
  auto exec = rep.exec.find(commit.block_id);
  const std::string parent_id = consensus::QcBlockId(commit.block.qc());
  auto parent = rep.exec.find(parent_id);
  if (exec == rep.exec.end() || parent == rep.exec.end() ||
      exec->second.root != info.state_root()) {
    Fail(at + ": certified state root differs from the replica's execution");
    return;
  }
  auto [it, first] =
      chain_.emplace(commit.height, std::make_pair(commit.block_id, info.state_root()));
  if (!first && it->second.first != commit.block_id) {
    Fail(at + ": two replicas committed different blocks at one height");
  }
  report_.max_height = std::max(report_.max_height, commit.height);
  rep.durable.log.push_back(
      {epoch, commit.block_id, commit.height, info, commit.qc, commit.block,
       parent->second.root + consensus::PayloadDigest(Suite(), commit.block.batches()) +
           U64(exec->second.applied)});
  rep.durable.exec_committed[commit.block_id] = exec->second;
  std::erase_if(rep.durable.blocks[epoch], [&](const auto& kept) {
    return consensus::BlockHeight(kept.second) <= commit.height;
  });
  if (exec->second.applied > parent->second.applied) {
    // This block applied a change: the epoch's last block (docs/consensus.md §14.2).
    run.last_height = commit.height;
    run.last_id = commit.block_id;
    run.proof_pending = true;
    auto [b, fresh] = boundaries_.emplace(epoch, commit.height);
    if (!fresh && b->second != commit.height) {
      Fail(at + ": epoch " + U64(epoch) + " ends at " + U64(commit.height) + " here but at " +
           U64(b->second) + " elsewhere");
    }
    EnterNextEpoch(r, epoch);
  }
}

void EpochCluster::EnterNextEpoch(size_t r, uint64_t epoch) {
  Replica& rep = replicas_[r];
  EpochRun& run = rep.runs.at(epoch);
  run.retire_at = now_ms_ + kRetiredEpochKeepMs;
  const Exec exec = rep.exec.at(run.last_id);
  const EpochStart start{epoch + 1, rep.durable.log.back().info, exec.set};
  rep.durable.epochs.push_back(start);
  rep.epoch = epoch + 1;
  Log("node " + U64(r) + " enters epoch " + U64(epoch + 1) + " after height " +
      U64(start.start.height()) + " with " + U64(exec.set.size()) + " validators");
  // A rotated validator's replica also sends a few votes signed by its old key.
  if (auto self = IndexOf(exec.set, rep.node)) {
    if (auto before = IndexOf(run.set, rep.node);
        before && run.set[*before].key != exec.set[*self].key) {
      rep.old_key = run.set[*before].key;
      rep.old_key_votes_to_send = 3;
    }
  }
  StartRun(r, start, std::nullopt);
}

// Once the replica holds the QC that commits its epoch's last block, it records the change proof.
void EpochCluster::TryProof(size_t r, uint64_t epoch) {
  Replica& rep = replicas_[r];
  auto it = rep.runs.find(epoch);
  if (it == rep.runs.end() || !it->second.proof_pending || !it->second.machine) return;
  EpochRun& run = it->second;
  if (static_cast<uint64_t>(rep.durable.chain.changes_size()) != epoch) return;  // earlier missing
  // The commit QC of the highest block committed here, and the QCs linking it down to the
  // epoch's last block.
  const pb::BlockInfo& root = run.machine->committed();
  if (root.height() < run.last_height) return;
  std::optional<pb::QuorumCert> qc = run.machine->CommitQcOf(root.id());
  if (!qc) return;
  std::vector<pb::QuorumCert> ancestry;
  for (uint64_t height = root.height(); height > run.last_height; --height) {
    auto link = run.above_qcs.find(height);
    if (link == run.above_qcs.end() || ancestry.size() >= consensus::kEpochAncestryMax) return;
    ancestry.push_back(link->second);
  }
  auto last = std::find_if(rep.durable.log.begin(), rep.durable.log.end(),
                           [&](const Committed& c) { return c.id == run.last_id; });
  if (last == rep.durable.log.end()) return;
  pb::EpochChangeProof* change = rep.durable.chain.add_changes();
  change->set_epoch(epoch + 1);
  *change->mutable_commit_qc() = *qc;
  for (const std::string& key : KeysOf(rep.durable.exec_committed.at(run.last_id).set)) {
    change->add_next_keys(key);
  }
  change->set_binding(last->binding);
  for (pb::QuorumCert& link : ancestry) *change->add_ancestry() = std::move(link);
  run.proof_pending = false;
  run.above_qcs.clear();
}

// ---------------------------------------------------------------- network

void EpochCluster::Send(size_t r, uint64_t epoch, std::optional<uint32_t> to,
                        const std::string& bytes) {
  Replica& rep = replicas_[r];
  const EpochRun& run = rep.runs.at(epoch);
  auto frame = std::make_shared<const std::string>(consensus::EncodeEpochFrame(epoch, bytes));
  if (rep.old_key_votes_to_send > 0 && to && epoch == rep.epoch && *to < run.set.size()) {
    Result<pb::ConsensusMessage> message = consensus::DecodeMessage(*run.params, bytes);
    if (message.ok() && message->has_vote()) {
      --rep.old_key_votes_to_send;
      pb::ConsensusMessage forged = *message;
      forged.mutable_vote()->set_signature(
          Key(rep.old_key).Sign(consensus::VoteDigest(*run.params, forged.vote().vote_data())));
      // The forged copy arrives first, so it is judged by its signature, not as a second vote.
      Transmit(r, run.set[*to].node,
               std::make_shared<const std::string>(
                   consensus::EncodeEpochFrame(epoch, consensus::EncodeMessage(forged))),
               1);
    }
  }
  for (size_t i = 0; i < run.set.size(); ++i) {
    if ((to && *to != i) || run.set[i].node == rep.node) continue;
    Transmit(r, run.set[i].node, frame);
  }
}

void EpochCluster::Transmit(size_t from, size_t to, std::shared_ptr<const std::string> frame,
                            int64_t delay_ms) {
  if (to >= replicas_.size() || Chance() < loss_) return;
  Event event;
  event.kind = Event::Kind::kDeliver;
  event.replica = to;
  event.from = replicas_[from].node;
  event.bytes = std::move(frame);
  event.at_ms = now_ms_ + (delay_ms >= 0 ? delay_ms : Between(2, delay_max_ms_));
  Schedule(std::move(event));
}

void EpochCluster::Deliver(size_t r, uint32_t from, const std::string& frame) {
  Replica& rep = replicas_[r];
  if (!rep.alive) return;
  auto decoded = consensus::DecodeEpochFrame(frame);
  if (!decoded) return;
  const auto [epoch, bytes] = *decoded;
  if (epoch == kProofEpoch) {
    if (bytes == "?") {
      // A request for the epoch chain: answer with what this replica proved.
      Transmit(r, from,
               std::make_shared<const std::string>(consensus::EncodeEpochFrame(
                   kProofEpoch, "C" + rep.durable.chain.SerializeAsString())));
    } else if (bytes.starts_with("C")) {
      OnChain(r, std::string(bytes.substr(1)), false);
    }
    return;
  }
  auto it = rep.runs.find(epoch);
  if (it == rep.runs.end()) {
    if (epoch > rep.epoch && rep.buffered.size() < kBufferedMax) {
      rep.buffered.emplace_back(from, frame);
    }
    return;
  }
  EpochRun& run = it->second;
  if (!run.machine) return;
  std::optional<uint32_t> index = IndexOf(run.set, from);
  if (!index) return;  // not a validator of that epoch
  auto bad_votes = [&] {
    auto found = run.machine->drops().find("bad vote signature");
    return found == run.machine->drops().end() ? uint64_t{0} : found->second;
  };
  const uint64_t before = bad_votes();
  Actions actions = run.machine->OnMessage(now_ms_, *index, bytes);
  report_.old_key_votes_refused += bad_votes() - before;
  Perform(r, epoch, std::move(actions));
}

void EpochCluster::OnChain(size_t r, const std::string& bytes, bool forged) {
  Replica& rep = replicas_[r];
  pb::EpochChain chain;
  if (!chain.ParseFromString(bytes)) return;
  if (chain.changes_size() <= rep.durable.chain.changes_size()) return;
  Result<consensus::ChainParams> verified = consensus::VerifyEpochChain(genesis_, chain, BindSet);
  if (!verified.ok()) {
    if (forged) {
      ++report_.forged_chains_refused;
    } else {
      Fail("node " + U64(r) + " refused an honest epoch chain: " + verified.status().ToString());
    }
    return;
  }
  if (forged) {
    Fail("node " + U64(r) + " accepted a forged epoch chain");
    return;
  }
  rep.durable.chain = chain;
  const uint64_t epoch = static_cast<uint64_t>(chain.changes_size());
  if (!rep.durable.epochs.empty() && epoch <= rep.epoch) return;  // it follows by itself
  // Behind (a new validator, or one down while its peers retired the old epoch): start the last
  // epoch from the proven change, as a node would from a snapshot of the state of its start.
  std::vector<Member> set;
  for (const std::string& key : verified->validator_keys) {
    set.push_back({key_owner_.at(key), 0});
    for (const auto& [index, owned] : keys_) {
      if (owned && owned->public_key() == key) set.back().key = index;
    }
  }
  if (!IndexOf(set, rep.node)) return;
  const pb::EpochChangeProof& last = chain.changes(chain.changes_size() - 1);
  const std::string& binding = last.binding();
  Exec exec{verified->genesis.state_root(),
            std::strtoull(binding.substr(64).c_str(), nullptr, 10), set};
  const EpochStart start{epoch, verified->genesis, set};
  rep.durable.epochs.push_back(start);
  rep.durable.exec_committed[start.start.id()] = exec;
  rep.exec[start.start.id()] = exec;
  rep.epoch = epoch;
  ++report_.joined_from_chain;
  Log("node " + U64(r) + " joins epoch " + U64(epoch) + " from the epoch chain at height " +
      U64(start.start.height()));
  StartRun(r, start, std::nullopt);
}

// A replica missing epoch changes asks every other node for its chain; a joining one is also
// offered a forged chain once, which it must refuse.
void EpochCluster::Poll(size_t r) {
  Replica& rep = replicas_[r];
  const bool joining = rep.durable.epochs.empty();
  if (!joining && static_cast<uint64_t>(rep.durable.chain.changes_size()) >= rep.epoch) return;
  for (size_t other = 0; other < replicas_.size(); ++other) {
    if (other == r) continue;
    Transmit(r, other,
             std::make_shared<const std::string>(consensus::EncodeEpochFrame(kProofEpoch, "?")));
  }
  if (joining && !rep.forged_tried) {
    for (const Replica& other : replicas_) {
      if (other.durable.chain.changes_size() == 0) continue;
      pb::EpochChain forged = other.durable.chain;
      pb::EpochChangeProof& last = *forged.mutable_changes(forged.changes_size() - 1);
      last.set_next_keys(0, Key(31).public_key());  // a stranger in place of a validator
      rep.forged_tried = true;
      OnChain(r, forged.SerializeAsString(), true);
      break;
    }
  }
}

void EpochCluster::Retire(size_t r) {
  Replica& rep = replicas_[r];
  for (auto it = rep.runs.begin(); it != rep.runs.end();) {
    if (it->first < rep.epoch && now_ms_ >= it->second.retire_at) {
      it = rep.runs.erase(it);
    } else {
      ++it;
    }
  }
}

void EpochCluster::Dispatch(Event& event) {
  if (event.kind == Event::Kind::kFault) {
    event.fault();
    return;
  }
  Replica& rep = replicas_[event.replica];
  if (!rep.alive) return;
  if (event.kind == Event::Kind::kDeliver) {
    ++report_.messages;
    Deliver(event.replica, event.from, *event.bytes);
    return;
  }
  if (event.incarnation != rep.incarnation) return;
  Retire(event.replica);
  if (event.kind == Event::Kind::kPoll) {
    Poll(event.replica);
    event.at_ms = now_ms_ + kChainPollMs;
    Schedule(std::move(event));
    return;
  }
  auto it = rep.runs.find(event.epoch);
  if (it == rep.runs.end() || !it->second.machine) return;
  EpochRun& run = it->second;
  switch (event.kind) {
    case Event::Kind::kTimer:
      if (event.generation == run.timer_generation) {
        Perform(event.replica, event.epoch, run.machine->OnTimer(now_ms_, event.round));
      }
      break;
    case Event::Kind::kExecuted: {
      const std::string root = rep.exec.at(event.block_id).root;
      Perform(event.replica, event.epoch,
              run.machine->OnExecuted(now_ms_, event.block_id, root, true));
      break;
    }
    case Event::Kind::kPayload:
      Payload(event.replica, event.epoch, event.round);
      break;
    default:
      break;
  }
}

void EpochCluster::PlanFaults() {
  loss_ = std::uniform_real_distribution<double>(0, 0.1)(rng_);
  delay_max_ms_ = Between(20, 150);
  const int crashes = static_cast<int>(Between(0, 2));
  for (int c = 0; c < crashes; ++c) {
    const size_t r = static_cast<size_t>(rng_() % replicas_.size());
    const int64_t at = Between(500, kFaultsEndMs - 1'500);
    const int64_t back = at + Between(200, 1'500);
    Event crash;
    crash.kind = Event::Kind::kFault;
    crash.at_ms = at;
    crash.fault = [this, r] { Crash(r); };
    Schedule(std::move(crash));
    Event restart;
    restart.kind = Event::Kind::kFault;
    restart.at_ms = back;
    restart.fault = [this, r] {
      if (!replicas_[r].alive) Start(r);
    };
    Schedule(std::move(restart));
  }
  Event heal;
  heal.kind = Event::Kind::kFault;
  heal.at_ms = kFaultsEndMs;
  heal.fault = [this] {
    loss_ = 0;
    delay_max_ms_ = 20;
    Log("faults heal");
  };
  Schedule(std::move(heal));
}

void EpochCluster::CheckEnd() {
  for (const auto& [epoch, height] : boundaries_) report_.boundaries.push_back(height);
  if (boundaries_.size() != changes_.size()) {
    Fail(U64(boundaries_.size()) + " of " + U64(changes_.size()) + " set changes took effect");
    return;
  }
  const uint64_t final_epoch = changes_.size();
  const uint64_t last_boundary = boundaries_.rbegin()->second;
  for (const Member& m : FinalSet()) {
    const Replica& rep = replicas_[m.node];
    const uint64_t height = rep.durable.log.empty() ? 0 : rep.durable.log.back().height;
    if (rep.epoch != final_epoch || height < last_boundary + 3) {
      Fail("node " + U64(m.node) + " of the final set is in epoch " + U64(rep.epoch) +
           " at height " + U64(height) + "; epoch " + U64(final_epoch) + " started after " +
           U64(last_boundary));
    }
  }
}

EpochReport EpochCluster::Run() {
  PlanFaults();
  for (size_t r = 0; r < replicas_.size(); ++r) Start(r);
  uint64_t steps = 0;
  while (!events_.empty() && report_.ok) {
    Event event = events_.top();
    events_.pop();
    if (event.at_ms > kEndMs) break;
    now_ms_ = event.at_ms;
    Dispatch(event);
    if (++steps > 5'000'000) {
      Fail("more than 5,000,000 events");
      break;
    }
  }
  now_ms_ = kEndMs;
  if (report_.ok) CheckEnd();
  return report_;
}

}  // namespace

std::vector<EpochScenario> AllEpochScenarios() {
  return {EpochScenario::kAdd, EpochScenario::kRemove, EpochScenario::kRotate,
          EpochScenario::kAll};
}

const char* EpochScenarioName(EpochScenario scenario) {
  switch (scenario) {
    case EpochScenario::kAdd: return "add";
    case EpochScenario::kRemove: return "remove";
    case EpochScenario::kRotate: return "rotate";
    case EpochScenario::kAll: return "all";
  }
  return "?";
}

std::optional<EpochScenario> EpochScenarioByName(std::string_view name) {
  for (EpochScenario scenario : AllEpochScenarios()) {
    if (name == EpochScenarioName(scenario)) return scenario;
  }
  return std::nullopt;
}

std::string EpochReport::Summary() const {
  std::ostringstream out;
  out << (ok ? "ok" : "FAILED: " + failure) << "; changes " << changes << ", boundaries";
  for (uint64_t b : boundaries) out << " " << b;
  out << ", max height " << max_height << ", commits checked " << commits_checked
      << ", abandoned " << abandoned_commits << ", joined " << joined_from_chain
      << ", old-key votes refused " << old_key_votes_refused << ", forged chains refused "
      << forged_chains_refused << ", restarts " << restarts << ", messages " << messages;
  return out.str();
}

EpochReport RunEpochSeed(uint64_t seed, EpochScenario scenario, bool log) {
  return EpochCluster(seed, scenario, log).Run();
}

}  // namespace onechain::sim
