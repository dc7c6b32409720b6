// Four real validator processes ordering blocks with BFT consensus over mutual-TLS peer links:
// transactions sent to different validators all commit, every validator commits the same blocks
// (same hash and state root per height), the network keeps committing while one validator is
// killed with SIGKILL, and that validator catches up to the same head after a restart without
// losing a committed transaction.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <signal.h>
#include <sys/wait.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include "ledger/proof_bundle.h"
#include "node/envelope.h"
#include "node/genesis.h"
#include "test_cluster.h"
#include "util/bytes.h"

namespace onechain::integration {
namespace {

constexpr int kValidators = 4;
constexpr int kTxsPerPhase = 24;
constexpr int64_t kCatchUpTimeoutMs = 60'000;

int64_t NowMs() {
  using namespace std::chrono;
  return duration_cast<milliseconds>(steady_clock::now().time_since_epoch()).count();
}

class BftNetwork {
 public:
  ~BftNetwork() {
    for (int i = 0; i < kValidators; ++i) Kill(i);
    if (!dir_.empty() && std::getenv("ONECHAIN_KEEP_TEST_DIRS") == nullptr) {
      std::error_code ec;
      std::filesystem::remove_all(dir_, ec);
    }
  }

  Status Create() {
    dir_ = (std::filesystem::temp_directory_path() /
            ("onechain-bft-" + std::to_string(getpid())))
               .string();
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
    std::filesystem::create_directories(dir_, ec);
    Result<CommandResult> made = RunOnechain(
        {"genesis", "new", "--out", dir_ + "/net", "--validators", std::to_string(kValidators)},
        dir_);
    if (!made.ok()) return made.status();
    if (made->exit_code != 0) return Status(pb::Status::INTERNAL, "genesis new: " + made->err);
    // Peer addresses on free loopback ports, so parallel tests do not collide.
    std::ifstream in(dir_ + "/net/genesis.json");
    std::stringstream text;
    text << in.rdbuf();
    nlohmann::json genesis = nlohmann::json::parse(text.str());
    std::vector<int> ports;  // 2 per validator, all distinct
    while (ports.size() < 2 * kValidators) {
      Result<int> port = PickFreePort();
      if (!port.ok()) return port.status();
      if (std::find(ports.begin(), ports.end(), *port) == ports.end()) ports.push_back(*port);
    }
    for (int i = 0; i < kValidators; ++i) {
      genesis["validators"][i]["address"] = "127.0.0.1:" + std::to_string(ports[2 * i]);
      api_ports_[i] = ports[2 * i + 1];
    }
    std::ofstream(dir_ + "/net/genesis.json") << genesis.dump(2);
    Result<pb::Genesis> parsed = node::LoadGenesisFile(dir_ + "/net/genesis.json");
    if (!parsed.ok()) return parsed.status();
    genesis_ = *parsed;
    return Status::Ok();
  }

  Status Start(int i) {
    std::string log = dir_ + "/node-" + std::to_string(i) + ".log";
    Result<pid_t> pid = SpawnOnechain(
        {"node", "--genesis", dir_ + "/net/genesis.json", "--key",
         dir_ + "/net/keys/validator-" + std::to_string(i) + ".pem", "--data-dir",
         dir_ + "/data-" + std::to_string(i), "--listen",
         "127.0.0.1:" + std::to_string(api_ports_[i])},
        log);
    if (!pid.ok()) return pid.status();
    pids_[i] = *pid;
    int64_t deadline = NowMs() + kNodeStartTimeoutMs;
    while (NowMs() < deadline) {
      Result<pb::Health> health = GetMessage<pb::Health>(api(i), "/v1/health");
      if (health.ok() && health->status() == "ok") return Status::Ok();
      int wait_status = 0;
      if (waitpid(pids_[i], &wait_status, WNOHANG) == pids_[i]) {
        pids_[i] = -1;
        return Status(pb::Status::UNAVAILABLE, "validator " + std::to_string(i) + " exited");
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    return Status(pb::Status::UNAVAILABLE, "validator " + std::to_string(i) + " did not answer");
  }

  void Kill(int i) {
    if (pids_[i] <= 0) return;
    kill(pids_[i], SIGKILL);
    waitpid(pids_[i], nullptr, 0);
    pids_[i] = -1;
  }

  NodeApi api(int i) const { return NodeApi("http://127.0.0.1:" + std::to_string(api_ports_[i])); }
  uint64_t Height(int i) const {
    Result<pb::Health> health = GetMessage<pb::Health>(api(i), "/v1/health");
    return health.ok() ? health->height() : 0;
  }
  const pb::Genesis& genesis() const { return genesis_; }
  const std::string& dir() const { return dir_; }

 private:
  std::string dir_;
  pb::Genesis genesis_;
  int api_ports_[kValidators] = {};
  pid_t pids_[kValidators] = {-1, -1, -1, -1};
};

// A self-registration by a fresh key: independent of every other transaction of the test.
std::string NewTx(const pb::Genesis& genesis, int n) {
  auto key = crypto::GenerateKey(genesis.suite());
  EXPECT_TRUE(key.ok());
  return node::SignEnvelope(**key, SelfRegisterBody(genesis.chain_id(), **key,
                                                   "Firm " + std::to_string(n)));
}

// Posts each envelope to validator targets[k % size]; returns the hashes (hex).
std::vector<std::string> Post(const BftNetwork& net, const std::vector<std::string>& envelopes,
                              const std::vector<int>& targets) {
  std::vector<std::string> hashes;
  for (size_t k = 0; k < envelopes.size(); ++k) {
    NodeApi client = net.api(targets[k % targets.size()]);
    Result<cli::HttpReply> reply = client.PostBinary("/v1/tx", envelopes[k]);
    EXPECT_TRUE(reply.ok() && reply->status == 202)
        << (reply.ok() ? reply->body : reply.status().ToString());
    hashes.push_back(TxHashHex(envelopes[k]));
  }
  return hashes;
}

void ExpectCommitted(const BftNetwork& net, int validator, const std::vector<std::string>& hashes) {
  for (const std::string& hash : hashes) {
    // A transaction posted elsewhere is unknown here (NOT_FOUND) until its relay arrives (one
    // batch per flush) or a block carrying it commits.
    const int64_t deadline = NowMs() + 60'000;
    Result<pb::TxStatus> status = WaitForTx(net.api(validator), hash, 60'000);
    while (!status.ok() && status.status().code() == pb::Status::NOT_FOUND && NowMs() < deadline) {
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
      status = WaitForTx(net.api(validator), hash, deadline - NowMs());
    }
    ASSERT_TRUE(status.ok()) << status.status().ToString();
    EXPECT_EQ(status->state(), pb::TxStatus::COMMITTED) << hash << " at " << validator;
  }
}

TEST(BftNetworkTest, FourValidatorsCommitTheSameBlocksThroughACrashAndCatchUp) {
  BftNetwork net;
  ASSERT_TRUE(net.Create().ok());
  for (int i = 0; i < kValidators; ++i) ASSERT_TRUE(net.Start(i).ok()) << "validator " << i;

  // Every validator reports BFT state with all peer links up.
  int64_t deadline = NowMs() + kCatchUpTimeoutMs;
  bool linked = false;
  while (!linked && NowMs() < deadline) {
    linked = true;
    for (int i = 0; i < kValidators; ++i) {
      Result<pb::ConsensusInfo> info = GetMessage<pb::ConsensusInfo>(net.api(i), "/v1/consensus");
      ASSERT_TRUE(info.ok()) << info.status().ToString();
      EXPECT_EQ(info->self(), static_cast<uint32_t>(i));
      EXPECT_EQ(info->quorum(), 3u);
      for (const pb::ConsensusValidator& v : info->validators()) linked &= v.connected();
    }
    if (!linked) std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  ASSERT_TRUE(linked) << "the peer links did not all come up";

  // Phase 1: transactions to all four validators; each commits, seen from every validator.
  std::vector<std::string> phase1;
  for (int n = 0; n < kTxsPerPhase; ++n) phase1.push_back(NewTx(net.genesis(), n));
  std::vector<std::string> hashes1 = Post(net, phase1, {0, 1, 2, 3});
  for (int i = 0; i < kValidators; ++i) ExpectCommitted(net, i, hashes1);

  // Phase 2: load to validators 0-2; validator 3 is killed in the middle of it.
  std::vector<std::string> phase2;
  for (int n = 0; n < kTxsPerPhase; ++n) phase2.push_back(NewTx(net.genesis(), 100 + n));
  std::vector<std::string> first(phase2.begin(), phase2.begin() + kTxsPerPhase / 2);
  std::vector<std::string> second(phase2.begin() + kTxsPerPhase / 2, phase2.end());
  std::vector<std::string> hashes2 = Post(net, first, {0, 1, 2});
  net.Kill(3);
  uint64_t height_at_kill = net.Height(0);
  std::vector<std::string> more = Post(net, second, {0, 1, 2});
  hashes2.insert(hashes2.end(), more.begin(), more.end());
  for (int i = 0; i < 3; ++i) ExpectCommitted(net, i, hashes2);
  EXPECT_GT(net.Height(0), height_at_kill) << "three of four validators stopped committing";

  // Restart: validator 3 catches up to the head the others had.
  ASSERT_TRUE(net.Start(3).ok());
  uint64_t target = net.Height(0);
  deadline = NowMs() + kCatchUpTimeoutMs;
  while (net.Height(3) < target && NowMs() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  ASSERT_GE(net.Height(3), target) << "validator 3 did not catch up";
  ExpectCommitted(net, 3, hashes1);
  ExpectCommitted(net, 3, hashes2);

  // Same block hash and state root at every height, on every validator.
  for (uint64_t h = 1; h <= target; ++h) {
    std::string path = "/v1/blocks/" + std::to_string(h);
    Result<pb::BlockView> reference = GetMessage<pb::BlockView>(net.api(0), path);
    ASSERT_TRUE(reference.ok()) << reference.status().ToString();
    for (int i = 1; i < kValidators; ++i) {
      Result<pb::BlockView> block = GetMessage<pb::BlockView>(net.api(i), path);
      ASSERT_TRUE(block.ok()) << "validator " << i << " height " << h;
      ASSERT_EQ(block->hash(), reference->hash()) << "validator " << i << " height " << h;
      ASSERT_EQ(block->header().state_root(), reference->header().state_root());
    }
  }
}


// Whether every validator reports all its peer links up within kCatchUpTimeoutMs.
bool AllLinked(const BftNetwork& net) {
  for (int64_t deadline = NowMs() + kCatchUpTimeoutMs; NowMs() < deadline;) {
    bool linked = true;
    for (int i = 0; i < kValidators; ++i) {
      Result<pb::ConsensusInfo> info = GetMessage<pb::ConsensusInfo>(net.api(i), "/v1/consensus");
      if (!info.ok()) {
        linked = false;
        continue;
      }
      for (const pb::ConsensusValidator& v : info->validators()) linked &= v.connected();
    }
    if (linked) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  return false;
}

// `onechain verify bundle` on `armored` against the network's genesis; its exit code.
int VerifyBundle(const BftNetwork& net, const std::string& armored, const std::string& name,
                 std::string* out) {
  std::string path = net.dir() + "/" + name;
  std::ofstream(path) << armored;
  Result<CommandResult> result = RunOnechain(
      {"verify", "bundle", path, "--genesis", net.dir() + "/net/genesis.json"}, net.dir());
  EXPECT_TRUE(result.ok()) << result.status().ToString();
  if (!result.ok()) return -1;
  *out = result->out + result->err;
  return result->exit_code;
}

// Under BFT the executed header is certified after commit by 2f+1 validators' signatures
// (node/checkpoint_certifier.h): the proof bundles any validator serves verify offline against
// the genesis, and the same bundle with a certificate cut below the quorum does not.
TEST(BftNetworkTest, ProofBundlesCarryAQuorumCertificateOfTheExecutedHeader) {
  BftNetwork net;
  ASSERT_TRUE(net.Create().ok());
  for (int i = 0; i < kValidators; ++i) ASSERT_TRUE(net.Start(i).ok()) << "validator " << i;
  ASSERT_TRUE(AllLinked(net)) << "the peer links did not all come up";
  std::vector<std::string> envelopes;
  for (int n = 0; n < 4; ++n) envelopes.push_back(NewTx(net.genesis(), n));
  std::vector<std::string> hashes = Post(net, envelopes, {0, 1, 2, 3});
  for (int i = 0; i < kValidators; ++i) ExpectCommitted(net, i, hashes);

  for (int i = 0; i < kValidators; ++i) {
    // The certificate follows the commit by one exchange of signatures.
    Result<pb::ProofBundleView> view(Status(pb::Status::UNAVAILABLE, "not asked"));
    int64_t deadline = NowMs() + kCatchUpTimeoutMs;
    while (NowMs() < deadline) {
      view = GetMessage<pb::ProofBundleView>(net.api(i), "/v1/proofs/tx/" + hashes[3]);
      if (view.ok()) break;
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    ASSERT_TRUE(view.ok()) << "validator " << i << ": " << view.status().ToString();
    pb::CertificateSignatures certificate;
    ASSERT_TRUE(certificate.ParseFromString(view->bundle().checkpoint().certificate()));
    EXPECT_GE(certificate.signatures_size(), 3) << "validator " << i;
    std::string out;
    EXPECT_EQ(VerifyBundle(net, view->armored(), "tx-" + std::to_string(i) + ".proof", &out), 0)
        << "validator " << i << ": " << out;

    // Two signatures of four are not a quorum; a signature repeated does not count twice.
    pb::ProofBundle cut = view->bundle();
    pb::CertificateSignatures two;
    *two.add_signatures() = certificate.signatures(0);
    *two.add_signatures() = certificate.signatures(1);
    cut.mutable_checkpoint()->set_certificate(two.SerializeAsString());
    EXPECT_EQ(VerifyBundle(net, ledger::ArmorProofBundle(cut), "cut.proof", &out), 1) << out;
    EXPECT_NE(out.find("are needed"), std::string::npos) << out;
    *two.add_signatures() = certificate.signatures(0);
    cut.mutable_checkpoint()->set_certificate(two.SerializeAsString());
    EXPECT_EQ(VerifyBundle(net, ledger::ArmorProofBundle(cut), "dup.proof", &out), 1) << out;
  }

  // The latest checkpoint and a state proof at it verify alike.
  Result<pb::CheckpointView> latest = GetMessage<pb::CheckpointView>(net.api(2),
                                                                     "/v1/checkpoints/latest");
  ASSERT_TRUE(latest.ok()) << latest.status().ToString();
  EXPECT_GE(latest->height(), 1u);
  Result<pb::ProofBundleView> state = GetMessage<pb::ProofBundleView>(
      net.api(1), std::string("/v1/proofs/state/") + ledger::kValidatorSetStateKey);
  ASSERT_TRUE(state.ok()) << state.status().ToString();
  std::string out;
  EXPECT_EQ(VerifyBundle(net, state->armored(), "state.proof", &out), 0) << out;
}

// Block sync: validator 3 is down while the others commit a few thousand transactions; after a
// restart it fetches the certified blocks it missed, verifies their certificates, executes them
// without verifying their transactions' signatures again, and ends with the same blocks.
TEST(BftNetworkTest, ValidatorDownDuringThousandsOfTxsCatchesUpFromCertifiedBlocks) {
  constexpr int kTxs = 2000;
  constexpr int kBatch = 500;  // each batch committed before the next: at least 4 blocks
  BftNetwork net;
  ASSERT_TRUE(net.Create().ok());
  for (int i = 0; i < kValidators; ++i) ASSERT_TRUE(net.Start(i).ok()) << "validator " << i;
  net.Kill(3);
  const uint64_t height_at_kill = net.Height(0);

  std::vector<std::string> hashes;
  for (int first = 0; first < kTxs; first += kBatch) {
    pb::SubmitBatchRequest request;
    for (int n = first; n < first + kBatch; ++n) {
      request.add_txs(NewTx(net.genesis(), 1000 + n));
      hashes.push_back(TxHashHex(request.txs(request.txs_size() - 1)));
    }
    Result<cli::HttpReply> reply = net.api(first / kBatch % 3).PostBinary(
        "/v1/txs", request.SerializeAsString());
    ASSERT_TRUE(reply.ok() && reply->status == 200)
        << (reply.ok() ? reply->body : reply.status().ToString());
    ExpectCommitted(net, 0, {hashes.back()});
  }
  ExpectCommitted(net, 0, hashes);
  const uint64_t target = net.Height(0);
  ASSERT_GE(target, height_at_kill + kTxs / kBatch);

  ASSERT_TRUE(net.Start(3).ok());
  int64_t deadline = NowMs() + kCatchUpTimeoutMs;
  while (net.Height(3) < target && NowMs() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  ASSERT_GE(net.Height(3), target) << "validator 3 did not catch up";
  ExpectCommitted(net, 3, hashes);
  for (uint64_t h = std::max<uint64_t>(height_at_kill, 1); h <= target; ++h) {
    std::string path = "/v1/blocks/" + std::to_string(h);
    Result<pb::BlockView> reference = GetMessage<pb::BlockView>(net.api(0), path);
    Result<pb::BlockView> synced = GetMessage<pb::BlockView>(net.api(3), path);
    ASSERT_TRUE(reference.ok() && synced.ok()) << "height " << h;
    ASSERT_EQ(synced->hash(), reference->hash()) << "height " << h;
    ASSERT_EQ(synced->header().state_root(), reference->header().state_root());
  }
  // The missed transactions arrived in certified blocks and their signatures were not verified
  // at validator 3 (it was down while they were relayed, so it never admitted them). Only the
  // newest block may have come in a proposal before its certificate: verified as usual.
  Result<pb::ConsensusInfo> info = GetMessage<pb::ConsensusInfo>(net.api(3), "/v1/consensus");
  ASSERT_TRUE(info.ok()) << info.status().ToString();
  EXPECT_GT(info->counters().certified_blocks_executed(), 0u);
  EXPECT_GE(info->counters().certified_txs_unverified(), static_cast<uint64_t>(kTxs - kBatch));
  EXPECT_LE(info->counters().signatures_verified(), static_cast<uint64_t>(kBatch));
  for (const pb::PeerInputCounters& peer : info->counters().peers()) {
    EXPECT_EQ(peer.rejected(), 0u) << "honest validator " << peer.peer() << " penalized";
  }
}

}  // namespace
}  // namespace onechain::integration
