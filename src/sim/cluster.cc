#include "sim/cluster.h"

#include <openssl/evp.h>

#include <algorithm>
#include <functional>
#include <cassert>
#include <iostream>
#include <map>
#include <memory>
#include <queue>
#include <random>
#include <sstream>
#include <unordered_map>

#include "consensus/limits.h"
#include "sim/byzantine.h"
#include "util/bytes.h"

namespace onechain::sim {

using consensus::Action;
using consensus::Actions;

namespace {

constexpr int64_t kRoundTimeoutMs = 400;
constexpr int64_t kRecoveryBoundMs = 20'000;  // commit again this soon after the last fault heals
constexpr int64_t kRestartDelayMsMax = 1'500;

const crypto::Suite& Suite() { return *crypto::GetSuite(pb::SUITE_INTL); }

// Deterministic Ed25519 keys: a PKCS#8 PEM built around a seed derived from the index.
std::unique_ptr<crypto::PrivateKey> ValidatorKey(uint32_t index) {
  const std::string seed = Suite().Hash({"onechain/sim/key", std::to_string(index)});
  std::string der = *FromHex("302e020100300506032b657004220420");
  der += seed;
  std::string b64(4 * ((der.size() + 2) / 3) + 1, '\0');
  const int len = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(b64.data()),
                                  reinterpret_cast<const unsigned char*>(der.data()),
                                  static_cast<int>(der.size()));
  b64.resize(static_cast<size_t>(len));
  const std::string pem = "-----BEGIN PRIVATE KEY-----\n" + b64 + "\n-----END PRIVATE KEY-----\n";
  Result<std::unique_ptr<crypto::PrivateKey>> key = crypto::PrivateKeyFromPem(pem, "");
  assert(key.ok());
  return std::move(key).value();
}

// The toy execution: a hash chain over the payloads. A batch starting with "invalid" makes the
// payload unacceptable, standing in for a transaction whose signature fails.
std::pair<std::string, bool> ToyExecute(const std::string& parent_root,
                                        const pb::ConsensusBlock& block) {
  bool valid = true;
  for (const std::string& batch : block.batches()) valid = valid && !batch.starts_with("invalid");
  return {Suite().Hash({"onechain/sim/exec/v1", parent_root,
                        consensus::PayloadDigest(Suite(), block.batches())}),
          valid};
}

struct Committed {
  std::string id;
  uint64_t height = 0;
  std::string state_root;
  pb::ConsensusBlock block;
  pb::QuorumCert qc;  // certifies this block
};

// What survives a crash: the safety state and the committed chain.
struct Durable {
  pb::SafetyState safety;
  std::map<std::string, pb::ConsensusBlock> blocks;  // PersistBlock, until committed past
  std::vector<Committed> log;
  std::unordered_map<std::string, size_t> by_id;
};

struct Replica {
  uint32_t validator = 0;
  bool honest = true;
  Durable durable;
  std::unique_ptr<consensus::StateMachine> machine;
  bool alive = false;
  uint64_t incarnation = 0;
  uint64_t timer_generation = 0;
  int group = 0;          // partition group; replicas talk only within a group
  int64_t crash_after = -1;  // crash after this many more actions (mid-step crash)
};

struct Event {
  enum class Kind { kDeliver, kTimer, kExecuted, kPayload, kFault };
  int64_t at_ms = 0;
  uint64_t seq = 0;
  Kind kind = Kind::kDeliver;
  size_t replica = 0;
  uint64_t incarnation = 0;
  uint32_t from = 0;
  std::shared_ptr<const std::string> bytes;
  uint64_t round = 0;
  uint64_t generation = 0;
  std::string block_id, state_root;
  bool valid = true;
  std::function<void()> fault;
  bool operator>(const Event& other) const {
    return at_ms != other.at_ms ? at_ms > other.at_ms : seq > other.seq;
  }
};

Event NewEvent(Event::Kind kind, size_t replica = 0, uint64_t incarnation = 0) {
  Event event;
  event.kind = kind;
  event.replica = replica;
  event.incarnation = incarnation;
  return event;
}

struct NetworkFaults {
  double loss = 0;
  double duplicate = 0;
  int64_t delay_min_ms = 5;
  int64_t delay_max_ms = 60;
  double spike = 0;  // chance of a long delay, which reorders
};

class Cluster {
 public:
  Cluster(uint64_t seed, Scenario scenario, bool log);
  RunReport Run();

 private:
  void Schedule(Event event);
  void Perform(size_t r, Actions actions);
  void PerformOne(size_t r, Action& action);
  void SendFrom(size_t r, std::optional<uint32_t> to, const std::string& bytes);
  void Transmit(size_t from_replica, uint32_t to, std::shared_ptr<const std::string> bytes);
  void ServeCommitted(size_t r, const consensus::ServeCommitted& request);
  void CheckCommit(size_t r, const consensus::CommitBlock& commit);
  void Fail(const std::string& what);
  void Start(size_t r);
  void Crash(size_t r);
  void Dispatch(Event& event);
  void PlanFaults();
  void PlanNetworkFaults(int64_t from_ms, int64_t to_ms);
  void PlanPartitions(int64_t from_ms, int64_t to_ms, bool split_twins);
  void PlanCrashes(int64_t from_ms, int64_t to_ms);
  void Heal();
  uint64_t HonestMinHeight() const;
  uint64_t HonestMaxHeight() const;
  void Log(const std::string& line) const {
    if (log_) std::cerr << "[" << now_ms_ << " ms] " << line << "\n";
  }

  const uint64_t seed_;
  const Scenario scenario_;
  const bool log_;
  std::mt19937_64 rng_;
  std::vector<std::unique_ptr<crypto::PrivateKey>> keys_;
  consensus::ChainParams params_;
  std::vector<Replica> replicas_;
  std::vector<std::vector<size_t>> replicas_of_;  // validator -> its replicas
  std::unique_ptr<Byzantine> byzantine_;
  size_t byzantine_replica_ = SIZE_MAX;
  std::priority_queue<Event, std::vector<Event>, std::greater<>> events_;
  uint64_t seq_ = 0;
  int64_t now_ms_ = 0;
  NetworkFaults faults_;
  int64_t heal_ms_ = 0;
  bool healed_ = false;
  uint64_t heal_height_ = 0;
  RunReport report_;
  // Checker state: the first honest commit at each height.
  std::map<uint64_t, Committed> chain_;
  consensus::Verifier checker_verifier_;

  double Chance() { return std::uniform_real_distribution<double>(0, 1)(rng_); }
  int64_t Between(int64_t lo, int64_t hi) {
    return std::uniform_int_distribution<int64_t>(lo, hi)(rng_);
  }
};

}  // namespace

std::unique_ptr<crypto::PrivateKey> SimValidatorKey(uint32_t index) { return ValidatorKey(index); }

namespace {

consensus::ChainParams MakeParams(const std::vector<std::unique_ptr<crypto::PrivateKey>>& keys) {
  consensus::ChainParams params;
  params.chain_id = "onechain-sim";
  params.suite = &Suite();
  for (const auto& key : keys) params.validator_keys.push_back(key->public_key());
  params.genesis = consensus::GenesisInfo(Suite(), Suite().Hash("onechain/sim/genesis"), 0,
                                          Suite().Hash("onechain/sim/state/0"));
  return params;
}

std::vector<std::unique_ptr<crypto::PrivateKey>> MakeKeys(size_t n) {
  std::vector<std::unique_ptr<crypto::PrivateKey>> keys;
  for (uint32_t i = 0; i < n; ++i) keys.push_back(ValidatorKey(i));
  return keys;
}

size_t ValidatorsFor(Scenario scenario, std::mt19937_64& rng) {
  if (scenario == Scenario::kMixed && rng() % 4 == 0) return 7;
  return 4;
}

Cluster::Cluster(uint64_t seed, Scenario scenario, bool log)
    : seed_(seed),
      scenario_(scenario),
      log_(log),
      rng_(seed * 0x9E3779B97F4A7C15ull + static_cast<uint64_t>(scenario)),
      keys_(MakeKeys(ValidatorsFor(scenario, rng_))),
      params_(MakeParams(keys_)),
      checker_verifier_(params_) {
  const size_t n = params_.n();
  report_.validators = n;
  replicas_of_.resize(n);
  ByzantineMode mode = ByzantineMode::kNone;
  switch (scenario_) {
    case Scenario::kEquivocation: mode = ByzantineMode::kEquivocate; break;
    case Scenario::kInvalidCerts: mode = ByzantineMode::kInvalidCerts; break;
    case Scenario::kGarbage: mode = ByzantineMode::kGarbage; break;
    case Scenario::kMixed: mode = static_cast<ByzantineMode>(rng_() % 4); break;
    default: break;
  }
  const uint32_t bad = static_cast<uint32_t>(rng_() % n);
  const bool twins = scenario_ == Scenario::kTwins;
  for (uint32_t v = 0; v < n; ++v) {
    const int copies = twins && v == bad ? 2 : 1;
    for (int c = 0; c < copies; ++c) {
      Replica replica;
      replica.validator = v;
      replica.honest = !(v == bad && (twins || mode != ByzantineMode::kNone));
      replicas_of_[v].push_back(replicas_.size());
      replicas_.push_back(std::move(replica));
    }
  }
  if (mode != ByzantineMode::kNone) {
    byzantine_replica_ = replicas_of_[bad][0];
    byzantine_ = std::make_unique<Byzantine>(mode, params_, *keys_[bad], bad, rng_);
  }
}

void Cluster::Schedule(Event event) {
  event.seq = seq_++;
  events_.push(std::move(event));
}

void Cluster::Fail(const std::string& what) {
  if (!report_.ok) return;
  report_.ok = false;
  report_.failure = "at " + std::to_string(now_ms_) + " ms: " + what;
}

// ---------------------------------------------------------------- replicas

void Cluster::Start(size_t r) {
  Replica& rep = replicas_[r];
  assert(!rep.alive);
  consensus::Recovery recovery;
  recovery.safety = rep.durable.safety;
  if (rep.durable.log.empty()) {
    recovery.root = params_.genesis;
    recovery.root_qc = consensus::GenesisQc(params_.genesis);
  } else {
    recovery.root_qc = rep.durable.log.back().qc;
    recovery.root = recovery.root_qc.vote_data().proposed();
  }
  for (const auto& [id, block] : rep.durable.blocks) recovery.blocks.push_back(block);
  consensus::Options options;
  options.round_timeout_ms = kRoundTimeoutMs;
  rep.machine = std::make_unique<consensus::StateMachine>(params_, *keys_[rep.validator],
                                                          rep.validator, options, recovery);
  rep.alive = true;
  if (rep.incarnation > 0) ++report_.restarts;
  ++rep.incarnation;
  rep.crash_after = -1;
  Log("start replica " + std::to_string(r) + " at height " + std::to_string(recovery.root.height()));
  Perform(r, rep.machine->Start(now_ms_));
}

void Cluster::Crash(size_t r) {
  Replica& rep = replicas_[r];
  if (!rep.alive) return;
  Log("crash replica " + std::to_string(r));
  rep.alive = false;
  rep.machine.reset();
  rep.crash_after = -1;
  ++rep.incarnation;  // drops its timers and pending execution results
}

void Cluster::Perform(size_t r, Actions actions) {
  for (Action& action : actions) {
    Replica& rep = replicas_[r];
    if (!rep.alive) return;
    if (rep.crash_after == 0) {
      Crash(r);
      return;
    }
    if (rep.crash_after > 0) --rep.crash_after;
    PerformOne(r, action);
  }
}

void Cluster::PerformOne(size_t r, Action& action) {
  Replica& rep = replicas_[r];
  if (auto* persist = std::get_if<consensus::PersistSafety>(&action)) {
    rep.durable.safety = persist->state;
  } else if (auto* persist_block = std::get_if<consensus::PersistBlock>(&action)) {
    rep.durable.blocks[persist_block->block_id] = persist_block->block;
  } else if (auto* send = std::get_if<consensus::Send>(&action)) {
    SendFrom(r, send->to, send->bytes);
  } else if (auto* execute = std::get_if<consensus::ExecuteBlock>(&action)) {
    auto [root, valid] = ToyExecute(execute->parent_state_root, execute->block);
    Event event = NewEvent(Event::Kind::kExecuted, r, rep.incarnation);
    event.at_ms = now_ms_ + Between(0, 3);
    event.block_id = execute->block_id;
    event.state_root = root;
    event.valid = valid;
    Schedule(std::move(event));
  } else if (auto* commit = std::get_if<consensus::CommitBlock>(&action)) {
    CheckCommit(r, *commit);
    Committed entry{commit->block_id, commit->height,
                    commit->qc.vote_data().proposed().state_root(), commit->block, commit->qc};
    std::erase_if(rep.durable.blocks, [&](const auto& kept) {
      return consensus::BlockHeight(kept.second) <= commit->height;
    });
    rep.durable.by_id[entry.id] = rep.durable.log.size();
    rep.durable.log.push_back(std::move(entry));
  } else if (auto* timer = std::get_if<consensus::SetTimer>(&action)) {
    Event event = NewEvent(Event::Kind::kTimer, r, rep.incarnation);
    event.at_ms = timer->at_ms;
    event.round = timer->round;
    event.generation = ++rep.timer_generation;
    Schedule(std::move(event));
  } else if (auto* need = std::get_if<consensus::NeedPayload>(&action)) {
    Event event = NewEvent(Event::Kind::kPayload, r, rep.incarnation);
    event.at_ms = now_ms_ + Between(0, 5);
    event.round = need->round;
    Schedule(std::move(event));
  } else if (auto* serve = std::get_if<consensus::ServeCommitted>(&action)) {
    ServeCommitted(r, *serve);
  }
}

void Cluster::ServeCommitted(size_t r, const consensus::ServeCommitted& request) {
  const Durable& durable = replicas_[r].durable;
  auto it = durable.by_id.find(request.block_id);
  if (it == durable.by_id.end()) return;
  std::vector<pb::ConsensusBlock> blocks;
  for (size_t i = it->second + 1; i-- > 0 && blocks.size() < request.count;) {
    blocks.push_back(durable.log[i].block);
  }
  SendFrom(r, request.peer, consensus::EncodeBlockResponse(blocks));
}

// ---------------------------------------------------------------- network

void Cluster::SendFrom(size_t r, std::optional<uint32_t> to, const std::string& bytes) {
  if (r == byzantine_replica_) {
    for (Outgoing& out : byzantine_->Mutate(to, bytes)) {
      auto shared = std::make_shared<const std::string>(std::move(out.bytes));
      Transmit(r, out.to, shared);
    }
    return;
  }
  auto shared = std::make_shared<const std::string>(bytes);
  const uint32_t self = replicas_[r].validator;
  if (to) {
    Transmit(r, *to, shared);
    return;
  }
  for (uint32_t v = 0; v < params_.n(); ++v) {
    if (v != self) Transmit(r, v, shared);
  }
}

void Cluster::Transmit(size_t from_replica, uint32_t to,
                       std::shared_ptr<const std::string> bytes) {
  for (size_t target : replicas_of_[to]) {
    if (target == from_replica) continue;
    if (replicas_[target].group != replicas_[from_replica].group) continue;
    if (Chance() < faults_.loss) continue;
    const int copies = Chance() < faults_.duplicate ? 2 : 1;
    for (int c = 0; c < copies; ++c) {
      int64_t delay = Between(faults_.delay_min_ms, faults_.delay_max_ms);
      if (Chance() < faults_.spike) delay += Between(100, 1'000);
      Event event = NewEvent(Event::Kind::kDeliver, target);
      event.at_ms = now_ms_ + delay;
      event.from = replicas_[from_replica].validator;
      event.bytes = bytes;
      Schedule(std::move(event));
    }
  }
}

// ---------------------------------------------------------------- checkers

// Every honest commit: contiguous heights on the replica's own chain, a QC that verifies through
// the suite and names this block with its height and the replica's executed state root, and the
// same block and state root as every other honest replica at that height.
void Cluster::CheckCommit(size_t r, const consensus::CommitBlock& commit) {
  Replica& rep = replicas_[r];
  if (!rep.honest) return;
  ++report_.commits_checked;
  const std::string at = "replica " + std::to_string(r) + " height " + std::to_string(commit.height);
  const uint64_t expected = rep.durable.log.empty() ? 1 : rep.durable.log.back().height + 1;
  if (commit.height != expected) Fail(at + ": committed out of order, expected " + std::to_string(expected));
  const std::string& parent = rep.durable.log.empty() ? params_.genesis.id() : rep.durable.log.back().id;
  if (consensus::QcBlockId(commit.block.qc()) != parent) Fail(at + ": does not extend its chain");
  Status status = checker_verifier_.VerifyQc(commit.qc);
  if (!status.ok()) Fail(at + ": certificate invalid: " + status.ToString());
  const pb::BlockInfo& certified = commit.qc.vote_data().proposed();
  if (certified.id() != commit.block_id || consensus::BlockId(params_, commit.block) != commit.block_id ||
      certified.height() != commit.height) {
    Fail(at + ": certificate does not name the committed block");
  }
  const std::string& parent_root =
      rep.durable.log.empty() ? params_.genesis.state_root() : rep.durable.log.back().state_root;
  if (ToyExecute(parent_root, commit.block).first != certified.state_root()) {
    Fail(at + ": certified state root differs from the replica's execution");
  }
  auto [it, first] = chain_.emplace(
      commit.height,
      Committed{commit.block_id, commit.height, certified.state_root(), commit.block, commit.qc});
  if (!first && (it->second.id != commit.block_id || it->second.state_root != certified.state_root())) {
    Fail(at + ": committed " + ToHex(commit.block_id).substr(0, 16) + " but another honest replica committed " +
         ToHex(it->second.id).substr(0, 16));
  }
  report_.max_height = std::max(report_.max_height, commit.height);
}

uint64_t Cluster::HonestMinHeight() const {
  uint64_t min = UINT64_MAX;
  for (const Replica& rep : replicas_) {
    if (rep.honest) min = std::min<uint64_t>(min, rep.durable.log.empty() ? 0 : rep.durable.log.back().height);
  }
  return min;
}

uint64_t Cluster::HonestMaxHeight() const {
  uint64_t max = 0;
  for (const Replica& rep : replicas_) {
    if (rep.honest && !rep.durable.log.empty()) max = std::max(max, rep.durable.log.back().height);
  }
  return max;
}

// ---------------------------------------------------------------- events and faults

void Cluster::Dispatch(Event& event) {
  if (event.kind == Event::Kind::kFault) {
    event.fault();
    return;
  }
  Replica& rep = replicas_[event.replica];
  if (!rep.alive) return;
  const bool current = event.incarnation == rep.incarnation;
  switch (event.kind) {
    case Event::Kind::kDeliver:
      ++report_.messages;
      Perform(event.replica, rep.machine->OnMessage(now_ms_, event.from, *event.bytes));
      break;
    case Event::Kind::kTimer:
      if (current && event.generation == rep.timer_generation) {
        Perform(event.replica, rep.machine->OnTimer(now_ms_, event.round));
      }
      break;
    case Event::Kind::kExecuted:
      if (current) {
        Perform(event.replica, rep.machine->OnExecuted(now_ms_, event.block_id, event.state_root,
                                                       event.valid));
      }
      break;
    case Event::Kind::kPayload:
      if (current) {
        std::vector<std::string> batches;
        const int count = static_cast<int>(Between(0, 3));
        for (int i = 0; i < count; ++i) {
          batches.push_back("tx-" + std::to_string(rep.validator) + "-" +
                            std::to_string(event.round) + "-" + std::to_string(rng_() % 1000000));
        }
        Perform(event.replica, rep.machine->OnPayload(now_ms_, event.round, std::move(batches)));
      }
      break;
    case Event::Kind::kFault:
      break;
  }
  if (rep.alive && rep.honest && rep.machine->halted()) Fail("honest replica halted");
}

void Cluster::PlanNetworkFaults(int64_t from_ms, int64_t to_ms) {
  for (int64_t t = from_ms; t < to_ms; t += Between(300, 1'500)) {
    NetworkFaults next;
    next.loss = Chance() * 0.3;
    next.duplicate = Chance() * 0.2;
    next.delay_min_ms = Between(1, 20);
    next.delay_max_ms = next.delay_min_ms + Between(10, 200);
    next.spike = Chance() * 0.15;
    Event event = NewEvent(Event::Kind::kFault);
    event.at_ms = t;
    event.fault = [this, next] {
      faults_ = next;
      Log("network: loss " + std::to_string(next.loss) + " dup " + std::to_string(next.duplicate));
    };
    Schedule(std::move(event));
  }
}

void Cluster::PlanPartitions(int64_t from_ms, int64_t to_ms, bool split_twins) {
  for (int64_t t = from_ms + Between(0, 500); t < to_ms; t += Between(400, 1'500)) {
    std::vector<int> groups(replicas_.size());
    for (int& g : groups) g = static_cast<int>(rng_() % 2);
    if (split_twins) {
      for (const std::vector<size_t>& copies : replicas_of_) {
        if (copies.size() == 2) {
          groups[copies[0]] = 0;
          groups[copies[1]] = 1;
        }
      }
    }
    const int64_t length = Between(100, 1'200);
    Event split = NewEvent(Event::Kind::kFault);
    split.at_ms = t;
    split.fault = [this, groups] {
      for (size_t r = 0; r < replicas_.size(); ++r) replicas_[r].group = groups[r];
      Log("partition");
    };
    Schedule(std::move(split));
    Event heal = NewEvent(Event::Kind::kFault);
    heal.at_ms = std::min(t + length, to_ms);
    heal.fault = [this] {
      for (Replica& rep : replicas_) rep.group = 0;
      Log("partition healed");
    };
    Schedule(std::move(heal));
  }
}

void Cluster::PlanCrashes(int64_t from_ms, int64_t to_ms) {
  for (int64_t t = from_ms + Between(100, 800); t < to_ms; t += Between(200, 1'200)) {
    size_t r = static_cast<size_t>(rng_() % replicas_.size());
    if (r == byzantine_replica_) continue;
    const bool mid_step = Chance() < 0.5;
    const int64_t after = Between(0, 4);
    Event crash = NewEvent(Event::Kind::kFault);
    crash.at_ms = t;
    crash.fault = [this, r, mid_step, after] {
      if (!replicas_[r].alive) return;
      if (!mid_step) return Crash(r);
      replicas_[r].crash_after = after;  // in the middle of its next steps
      Event force = NewEvent(Event::Kind::kFault);
      force.at_ms = now_ms_ + 50;
      force.fault = [this, r] {
        if (replicas_[r].crash_after >= 0) Crash(r);  // still pending: no step came in time
      };
      Schedule(std::move(force));
    };
    Schedule(std::move(crash));
    Event restart = NewEvent(Event::Kind::kFault);
    restart.at_ms = std::min(t + 50 + Between(100, kRestartDelayMsMax), to_ms);
    restart.fault = [this, r] {
      if (!replicas_[r].alive) Start(r);
    };
    Schedule(std::move(restart));
  }
}

void Cluster::PlanFaults() {
  heal_ms_ = Between(1'500, 3'500);
  const bool network = scenario_ == Scenario::kLossy || scenario_ == Scenario::kMixed ||
                       scenario_ == Scenario::kTwins;
  const bool partitions = scenario_ == Scenario::kPartition || scenario_ == Scenario::kTwins ||
                          (scenario_ == Scenario::kMixed && Chance() < 0.5);
  const bool crashes = scenario_ == Scenario::kCrash || (scenario_ == Scenario::kMixed && Chance() < 0.5);
  if (network) PlanNetworkFaults(Between(0, 500), heal_ms_);
  if (partitions) PlanPartitions(0, heal_ms_, scenario_ == Scenario::kTwins);
  if (crashes) PlanCrashes(0, heal_ms_);
  Event heal = NewEvent(Event::Kind::kFault);
  heal.at_ms = heal_ms_;
  heal.fault = [this] { Heal(); };
  Schedule(std::move(heal));
}

// The last fault heals: a calm network, no partition, every crashed replica restarted. The
// Byzantine validator (or the twins) keeps going.
void Cluster::Heal() {
  faults_ = NetworkFaults{};
  for (size_t r = 0; r < replicas_.size(); ++r) {
    replicas_[r].group = 0;
    replicas_[r].crash_after = -1;
    if (!replicas_[r].alive) Start(r);
  }
  heal_height_ = HonestMaxHeight();
  healed_ = true;
  Log("healed at height " + std::to_string(heal_height_));
}

RunReport Cluster::Run() {
  for (size_t r = 0; r < replicas_.size(); ++r) Start(r);
  PlanFaults();
  while (report_.ok && !events_.empty()) {
    Event event = events_.top();
    events_.pop();
    now_ms_ = event.at_ms;
    if (now_ms_ > heal_ms_ + kRecoveryBoundMs) {
      Fail("no commit by every honest replica within " + std::to_string(kRecoveryBoundMs) +
           " ms after the last fault healed (heights " + std::to_string(HonestMinHeight()) + ".." +
           std::to_string(HonestMaxHeight()) + ", head at heal " + std::to_string(heal_height_) + ")");
      break;
    }
    Dispatch(event);
    if (healed_ && HonestMinHeight() > heal_height_) {
      report_.recovered_ms = now_ms_;
      break;
    }
  }
  if (report_.ok && report_.recovered_ms == 0) Fail("simulation ran out of events");
  for (size_t r = 0; r < replicas_.size() && !report_.ok; ++r) {
    const Replica& rep = replicas_[r];
    Log("replica " + std::to_string(r) + (rep.honest ? "" : " (byzantine)") + ": " +
        (rep.alive ? rep.machine->DebugString() : "down"));
  }
  report_.heal_ms = heal_ms_;
  report_.end_ms = now_ms_;
  for (const Replica& rep : replicas_) {
    if (!rep.honest || !rep.alive) continue;
    for (const auto& [reason, count] : rep.machine->drops()) report_.drops[reason] += count;
  }
  return report_;
}

}  // namespace

std::vector<Scenario> AllScenarios() {
  return {Scenario::kLossy,        Scenario::kPartition, Scenario::kCrash,
          Scenario::kEquivocation, Scenario::kTwins,     Scenario::kInvalidCerts,
          Scenario::kGarbage,      Scenario::kMixed};
}

const char* ScenarioName(Scenario scenario) {
  switch (scenario) {
    case Scenario::kLossy: return "lossy";
    case Scenario::kPartition: return "partition";
    case Scenario::kCrash: return "crash";
    case Scenario::kEquivocation: return "equivocation";
    case Scenario::kTwins: return "twins";
    case Scenario::kInvalidCerts: return "invalid-certs";
    case Scenario::kGarbage: return "garbage";
    case Scenario::kMixed: return "mixed";
  }
  return "?";
}

std::optional<Scenario> ScenarioByName(std::string_view name) {
  for (Scenario s : AllScenarios()) {
    if (name == ScenarioName(s)) return s;
  }
  return std::nullopt;
}

std::string ReplayCommand(uint64_t seed, Scenario scenario) {
  return "build/src/sim/onechain-sim --seed " + std::to_string(seed) + " --scenario " +
         ScenarioName(scenario) + " --log";
}

std::string RunReport::Summary() const {
  std::ostringstream out;
  out << (ok ? "ok" : "FAILED: " + failure) << "; validators " << validators << ", healed at "
      << heal_ms << " ms, recovered at " << recovered_ms << " ms, height " << max_height
      << ", commits checked " << commits_checked << ", messages " << messages << ", restarts "
      << restarts;
  uint64_t dropped = 0;
  for (const auto& [reason, count] : drops) dropped += count;
  out << ", dropped " << dropped;
  return out.str();
}

RunReport RunSeed(uint64_t seed, Scenario scenario, bool log) {
  Cluster cluster(seed, scenario, log);
  return cluster.Run();
}

}  // namespace onechain::sim
