// Real-process chaos: four validators started by `onechain net up` under a steady load of signed
// transactions; again and again a random validator is killed with SIGKILL and restarted
// (ONECHAIN_CHAOS_KILLS times, default 20). At the end no transaction whose commit a validator
// reported is lost or moved, and every validator reaches the same height with the same block
// hash and state root at every height. Prints one line of figures (bench/chaos.sh reads it).
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <iostream>
#include <mutex>
#include <random>
#include <thread>

#include "local_net.h"
#include "node/envelope.h"
#include "node/genesis.h"

namespace onechain::integration {
namespace {

constexpr int kValidators = 4;
constexpr int kLoadThreads = 4;
constexpr int kTxsPerRound = 10;
constexpr int64_t kRecoveryTimeoutMs = 60'000;

int64_t NowMs() {
  using namespace std::chrono;
  return duration_cast<milliseconds>(steady_clock::now().time_since_epoch()).count();
}
void SleepMs(int64_t ms) { std::this_thread::sleep_for(std::chrono::milliseconds(ms)); }

int Kills() {
  const char* text = std::getenv("ONECHAIN_CHAOS_KILLS");
  int kills = text == nullptr ? 20 : std::atoi(text);
  return kills > 0 ? kills : 20;
}

struct Committed {
  std::string hash;
  uint64_t height;
  uint32_t index;
};

// Sends self-registrations by fresh keys to validators that run, and remembers those whose
// commit a validator reported.
class Load {
 public:
  Load(const LocalNet& net, const pb::Genesis& genesis) : net_(net), genesis_(genesis) {}

  void Start() {
    for (int t = 0; t < kLoadThreads; ++t) threads_.emplace_back([this, t] { Run(t); });
  }
  void Stop() {
    stop_ = true;
    for (std::thread& thread : threads_) thread.join();
  }
  // The validator being killed (-1: none); the load avoids it.
  void SetDown(int i) { down_ = i; }

  std::vector<Committed> committed() {
    std::lock_guard lock(mu_);
    return committed_;
  }
  int64_t sent() const { return sent_; }
  // Transactions still pending at a validator that ran for 15 s after admitting them.
  int64_t still_pending() const { return still_pending_; }

 private:
  void Run(int thread) {
    std::mt19937 rng(1000 + thread);
    int n = 0;
    while (!stop_) {
      int target = static_cast<int>(rng() % kValidators);
      if (target == down_) continue;
      std::vector<std::string> hashes;
      for (int k = 0; k < kTxsPerRound; ++k) {
        auto key = crypto::GenerateKey(genesis_.suite());
        if (!key.ok()) continue;
        std::string envelope = node::SignEnvelope(
            **key, SelfRegisterBody(genesis_.chain_id(), **key,
                                    "Firm " + std::to_string(thread) + "-" + std::to_string(n++)));
        Result<cli::HttpReply> reply = net_.api(target).PostBinary("/v1/tx", envelope);
        if (!reply.ok() || reply->status != 202) break;  // the validator went down
        ++sent_;
        hashes.push_back(TxHashHex(envelope));
      }
      for (const std::string& hash : hashes) {
        Result<pb::TxStatus> status = WaitForTx(net_.api(target), hash, 15'000);
        if (!status.ok()) break;  // the validator went down: these stay unknown
        if (status->state() == pb::TxStatus::PENDING) ++still_pending_;
        if (status->state() != pb::TxStatus::COMMITTED) continue;
        std::lock_guard lock(mu_);
        committed_.push_back({hash, status->height(), status->index()});
      }
    }
  }

  const LocalNet& net_;
  const pb::Genesis& genesis_;
  std::vector<std::thread> threads_;
  std::atomic<bool> stop_{false};
  std::atomic<int> down_{-1};
  std::atomic<int64_t> sent_{0};
  std::atomic<int64_t> still_pending_{0};
  std::mutex mu_;
  std::vector<Committed> committed_;
};

uint64_t MaxHeightExcept(const LocalNet& net, int except) {
  uint64_t height = 0;
  for (int i = 0; i < kValidators; ++i) {
    if (i != except) height = std::max(height, net.Height(i));
  }
  return height;
}

TEST(BftChaosTest, RandomSigkillsAndRestartsLoseNoCommittedTransaction) {
  const int kills = Kills();
  LocalNet net("bft-chaos");
  const char* log_level = std::getenv("ONECHAIN_CHAOS_LOG_LEVEL");  // the nodes' (warn)
  Result<CommandResult> up =
      net.Up({"-n", "4", "--log-level", log_level != nullptr ? log_level : "warn"});
  ASSERT_TRUE(up.ok()) << up.status().ToString();
  ASSERT_EQ(up->exit_code, 0) << up->err;
  Result<pb::Genesis> genesis = node::LoadGenesisFile(net.net_dir() + "/genesis.json");
  ASSERT_TRUE(genesis.ok());

  Load load(net, *genesis);
  load.Start();
  std::mt19937 rng(std::random_device{}());
  int64_t max_recovery_ms = 0, total_recovery_ms = 0;
  const int64_t started_ms = NowMs();
  for (int k = 0; k < kills; ++k) {
    SleepMs(200 + static_cast<int64_t>(rng() % 800));  // the load runs on all four
    int victim = static_cast<int>(rng() % kValidators);
    load.SetDown(victim);
    net.Kill(victim);
    SleepMs(static_cast<int64_t>(rng() % 1000));  // three of four carry on
    int64_t restart_ms = NowMs();
    Status restarted = net.Restart(victim);
    ASSERT_TRUE(restarted.ok()) << "kill " << k << ": " << restarted.ToString();
    load.SetDown(-1);
    // Recovered: the restarted validator reaches the height the others had at its restart.
    uint64_t target = MaxHeightExcept(net, victim);
    while (net.Height(victim) < target && NowMs() - restart_ms < kRecoveryTimeoutMs) SleepMs(20);
    ASSERT_GE(net.Height(victim), target)
        << "kill " << k << ": validator " << victim << " did not catch up to " << target << "\n"
        << net.LogTail(victim);
    int64_t recovery_ms = NowMs() - restart_ms;
    if (std::getenv("ONECHAIN_CHAOS_VERBOSE") != nullptr) {
      std::cout << "kill " << k << ": validator " << victim << " recovered to height " << target
                << " in " << recovery_ms << " ms; committed so far " << load.committed().size()
                << std::endl;
    }
    max_recovery_ms = std::max(max_recovery_ms, recovery_ms);
    total_recovery_ms += recovery_ms;
  }
  load.Stop();
  const int64_t chaos_ms = NowMs() - started_ms;

  // Every validator reaches the highest height any of them had when the load stopped.
  uint64_t target = MaxHeightExcept(net, -1);
  int64_t deadline = NowMs() + kRecoveryTimeoutMs;
  for (int i = 0; i < kValidators; ++i) {
    while (net.Height(i) < target && NowMs() < deadline) SleepMs(50);
    ASSERT_GE(net.Height(i), target) << "validator " << i << "\n" << net.LogTail(i);
  }
  // Same block hash and state root at every height, on every validator.
  for (uint64_t h = 1; h <= target; ++h) {
    std::string path = "/v1/blocks/" + std::to_string(h);
    Result<pb::BlockView> reference = GetMessage<pb::BlockView>(net.api(0), path);
    ASSERT_TRUE(reference.ok()) << reference.status().ToString();
    for (int i = 1; i < kValidators; ++i) {
      Result<pb::BlockView> block = GetMessage<pb::BlockView>(net.api(i), path);
      ASSERT_TRUE(block.ok()) << "validator " << i << " height " << h;
      ASSERT_EQ(block->hash(), reference->hash()) << "validator " << i << " height " << h;
      ASSERT_EQ(block->header().state_root(), reference->header().state_root())
          << "validator " << i << " height " << h;
    }
  }
  // Every transaction whose commit was reported is committed at every validator, at the same
  // height and position.
  std::vector<Committed> committed = load.committed();
  ASSERT_GT(committed.size(), 0u) << "the load committed nothing";
  for (const Committed& tx : committed) {
    for (int i = 0; i < kValidators; ++i) {
      Result<pb::TxStatus> status = GetMessage<pb::TxStatus>(net.api(i), "/v1/tx/" + tx.hash);
      ASSERT_TRUE(status.ok()) << tx.hash << " at " << i << ": " << status.status().ToString();
      ASSERT_EQ(status->state(), pb::TxStatus::COMMITTED) << tx.hash << " lost at " << i;
      ASSERT_EQ(status->height(), tx.height) << tx.hash << " at " << i;
      ASSERT_EQ(status->index(), tx.index) << tx.hash << " at " << i;
    }
  }
  // And the network still commits: a new transaction, at every validator.
  auto key = crypto::GenerateKey(genesis->suite());
  ASSERT_TRUE(key.ok());
  std::string last = node::SignEnvelope(**key, SelfRegisterBody(genesis->chain_id(), **key, "Last"));
  Result<cli::HttpReply> posted = net.api(3).PostBinary("/v1/tx", last);
  ASSERT_TRUE(posted.ok() && posted->status == 202);
  Result<pb::TxStatus> last_status = WaitForTx(net.api(3), TxHashHex(last), 30'000);
  ASSERT_TRUE(last_status.ok()) << last_status.status().ToString();
  ASSERT_EQ(last_status->state(), pb::TxStatus::COMMITTED);
  deadline = NowMs() + kRecoveryTimeoutMs;
  for (int i = 0; i < kValidators; ++i) {
    while (net.Height(i) < last_status->height() && NowMs() < deadline) SleepMs(50);
    Result<pb::TxStatus> status = GetMessage<pb::TxStatus>(net.api(i), "/v1/tx/" + TxHashHex(last));
    ASSERT_TRUE(status.ok()) << "validator " << i << ": " << status.status().ToString();
    EXPECT_EQ(status->state(), pb::TxStatus::COMMITTED) << "validator " << i;
  }

  std::cout << "chaos: kills=" << kills << " txs_sent=" << load.sent()
            << " txs_committed=" << committed.size()
            << " txs_pending_15s=" << load.still_pending() << " height=" << target
            << " max_recovery_ms=" << max_recovery_ms
            << " mean_recovery_ms=" << total_recovery_ms / kills << " duration_ms=" << chaos_ms
            << std::endl;

  Result<CommandResult> down = net.Run("down");
  ASSERT_TRUE(down.ok());
  EXPECT_EQ(down->exit_code, 0) << down->err;
  for (int i = 0; i < kValidators; ++i) EXPECT_FALSE(ProcessRuns(net.pid(i)));
}

}  // namespace
}  // namespace onechain::integration
