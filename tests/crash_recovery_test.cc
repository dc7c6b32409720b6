// Proves that a node process killed with SIGKILL under load loses nothing it reported committed:
// after a restart on the same data directory every such transaction is committed at the same
// height with the same code, the blocks still chain, heights continue, and the lost transactions
// can be sent again until all 1,000 are committed.
#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <map>
#include <set>
#include <thread>
#include <vector>

#include "node/envelope.h"
#include "test_cluster.h"
#include "util/bytes.h"

namespace onechain::integration {
namespace {

constexpr int kDeputies = 4;           // court org admins the court admin registers first
constexpr size_t kTxsPerSigner = 125;  // 8 signers: 1,000 transactions in all
constexpr size_t kLoadTxs = 8 * kTxsPerSigner;
constexpr int kKillAfterCommitted = 400;
constexpr size_t kWindowTxs = 10;  // transactions a signer has in flight at once
constexpr int64_t kLoadTimeoutMs = 30'000;

// One register-account transaction of the load.
struct LoadTx {
  std::string member_public_key;  // the account it registers
  std::string envelope;           // signed SignedTx bytes, as last sent
  std::string hash;               // hex
  bool reported_committed = false;
  pb::TxStatus reported;  // what the node said when it reported the commit
};

// An org admin that registers kTxsPerSigner members of its organization, with pipelined nonces.
struct Signer {
  std::string org;
  std::unique_ptr<crypto::PrivateKey> key;
  std::string account_id;
  pb::Role member_role = pb::ROLE_UNSPECIFIED;
  uint64_t first_nonce = 0;  // nonce of its first load transaction
  std::vector<LoadTx> txs;
  std::vector<std::string> errors;  // written only by the signer's sending thread
};

std::string Sign(const crypto::PrivateKey& key, const pb::TxBody& body) {
  return node::SignEnvelope(key, body);
}

// Sends signer.txs[from..] in windows of kWindowTxs (POST, then wait for each to commit) and
// records every commit the node reports. Stops quietly at the first transport error once
// `killed` is set; any other surprise goes to signer.errors.
void SendLoad(const std::string& base_url, Signer& signer, size_t from,
              std::atomic<int>& committed_count, const std::atomic<bool>& killed) {
  NodeApi client(base_url);
  auto fail = [&](const std::string& what) {
    if (!killed) signer.errors.push_back(signer.org + ": " + what);
  };
  for (size_t window = from; window < signer.txs.size(); window += kWindowTxs) {
    size_t end = std::min(window + kWindowTxs, signer.txs.size());
    for (size_t i = window; i < end; ++i) {
      Result<cli::HttpReply> reply = client.PostBinary("/v1/tx", signer.txs[i].envelope);
      if (!reply.ok())
        return fail("POST of tx " + std::to_string(i) + ": " + reply.status().ToString());
      if (reply->status != 202) {
        return fail("POST of tx " + std::to_string(i) + " answered HTTP " +
                    std::to_string(reply->status) + ": " + reply->body);
      }
      Result<pb::SubmitTxResponse> admitted = ParseJson<pb::SubmitTxResponse>(reply->body);
      if (!admitted.ok() || admitted->hash() != signer.txs[i].hash ||
          admitted->state() != pb::TxStatus::PENDING) {
        return fail("unexpected admission reply: " + reply->body);
      }
    }
    for (size_t i = window; i < end; ++i) {
      LoadTx& tx = signer.txs[i];
      Result<pb::TxStatus> status = WaitForTx(client, tx.hash);
      if (!status.ok()) return fail("status of tx " + tx.hash + ": " + status.status().ToString());
      if (status->state() != pb::TxStatus::COMMITTED) {
        return fail("tx " + tx.hash + " is " + pb::TxStatus::State_Name(status->state()));
      }
      tx.reported_committed = true;
      tx.reported = *status;
      committed_count++;
    }
  }
}

// Runs SendLoad for every signer on its own thread, from `from[s]` on; each thread decrements
// `running_senders` when it is done.
void SendAllLoads(const std::string& base_url, std::vector<Signer>& signers,
                  const std::vector<size_t>& from, std::atomic<int>& committed_count,
                  const std::atomic<bool>& killed, std::atomic<int>& running_senders) {
  std::vector<std::jthread> threads;
  for (size_t s = 0; s < signers.size(); ++s) {
    threads.emplace_back([&, s] {
      SendLoad(base_url, signers[s], from[s], committed_count, killed);
      running_senders--;
    });
  }
}

// Walks blocks 1..height: heights are contiguous, each prev_hash is the previous block's hash
// (the genesis hash for block 1), block time never decreases, and nothing lies beyond the head.
// Returns the position of every transaction found, by hash.
std::map<std::string, std::pair<uint64_t, uint32_t>> CheckChainLinks(
    const NodeApi& client, const std::string& chain_id, const std::string& genesis_hash,
    uint64_t height) {
  std::map<std::string, std::pair<uint64_t, uint32_t>> positions;
  std::string prev_hash = genesis_hash;
  int64_t prev_time_ms = 0;
  for (uint64_t h = 1; h <= height; ++h) {
    Result<pb::BlockView> block =
        GetMessage<pb::BlockView>(client, "/v1/blocks/" + std::to_string(h));
    if (!block.ok()) {
      ADD_FAILURE() << "block " << h << ": " << block.status().ToString();
      return positions;
    }
    EXPECT_EQ(block->header().height(), h);
    EXPECT_EQ(block->header().chain_id(), chain_id);
    EXPECT_EQ(ToHex(block->header().prev_hash()), prev_hash) << "block " << h << " does not link";
    EXPECT_GE(block->header().time_ms(), prev_time_ms) << "block " << h << " goes back in time";
    EXPECT_EQ(block->header().tx_count(), static_cast<uint32_t>(block->tx_hashes_size()));
    EXPECT_GT(block->tx_hashes_size(), 0) << "block " << h << " is empty";
    for (int i = 0; i < block->tx_hashes_size(); ++i) {
      bool fresh =
          positions.emplace(block->tx_hashes(i), std::pair{h, static_cast<uint32_t>(i)}).second;
      EXPECT_TRUE(fresh) << "tx " << block->tx_hashes(i) << " is in two places";
    }
    prev_hash = block->hash();
    prev_time_ms = block->header().time_ms();
  }
  Result<cli::HttpReply> beyond = client.Get("/v1/blocks/" + std::to_string(height + 1));
  EXPECT_TRUE(beyond.ok() && beyond->status == 404) << "a block exists beyond the head";
  if (height > 0) {
    Result<pb::BlockView> latest = GetMessage<pb::BlockView>(client, "/v1/blocks/latest");
    EXPECT_TRUE(latest.ok() && latest->hash() == prev_hash) << "latest is not the head";
  }
  return positions;
}

class CrashRecoveryTest : public ::testing::Test {
 protected:
  void SetUp() override {
    test_start_ = std::chrono::steady_clock::now();
    auto cluster = TestCluster::Create("crash");
    ASSERT_TRUE(cluster.ok()) << cluster.status().ToString();
    cluster_ = std::move(*cluster);
    chain_id_ = cluster_->chain_id();
    ASSERT_NO_FATAL_FAILURE(StartNode());
    Result<pb::Health> health = GetMessage<pb::Health>(*client_, "/v1/health");
    ASSERT_TRUE(health.ok()) << health.status().ToString();
    ASSERT_EQ(health->chain_id(), chain_id_);
    ASSERT_EQ(health->height(), 0u);
    genesis_hash_ = health->genesis_hash();
    ASSERT_EQ(genesis_hash_, cluster_->genesis_hash());
  }

  void TearDown() override {
    if (HasFailure() && cluster_ != nullptr) std::cerr << cluster_->LogTail() << "\n";
  }

  void StartNode() {
    Status started = cluster_->Start();
    ASSERT_TRUE(started.ok()) << started.ToString();
    client_ = std::make_unique<NodeApi>(cluster_->base_url());
  }

  void Phase(const char* name) const {
    auto elapsed = std::chrono::steady_clock::now() - test_start_;
    std::cerr << "[" << std::chrono::duration_cast<std::chrono::milliseconds>(elapsed).count()
              << " ms] " << name << "\n";
  }

  std::string SignLoadTx(const Signer& signer, size_t k) const {
    const LoadTx& tx = signer.txs[k];
    return Sign(*signer.key,
                RegisterBody(chain_id_, *signer.key, signer.first_nonce + k, tx.member_public_key,
                             signer.member_role, signer.org + " member " + std::to_string(k)));
  }

  // The court admin (key read from keys/court-admin.pem) registers deputies with the org-admin
  // role; with the tax, market and association admins, eight signers of four organizations.
  void SetUpSigners() {
    auto court = cluster_->LoadAdminKey("court");
    ASSERT_TRUE(court.ok()) << court.status().ToString();
    std::vector<std::string> deputy_txs;
    for (int d = 0; d < kDeputies; ++d) {
      auto key = crypto::GenerateKey(pb::SUITE_INTL);
      ASSERT_TRUE(key.ok());
      std::string envelope =
          Sign(**court, RegisterBody(chain_id_, **court, d + 1, (*key)->public_key(),
                                     pb::ROLE_ORG_ADMIN, "deputy " + std::to_string(d)));
      Result<cli::HttpReply> reply = client_->PostBinary("/v1/tx", envelope);
      ASSERT_TRUE(reply.ok() && reply->status == 202) << (reply.ok() ? reply->body : "no reply");
      AddSigner("court-deputy-" + std::to_string(d), std::move(*key), pb::ROLE_JUDGE);
      deputy_txs.push_back(TxHashHex(envelope));
    }
    for (const std::string& hash : deputy_txs) {
      Result<pb::TxStatus> status = WaitForTx(*client_, hash);
      ASSERT_TRUE(status.ok()) << status.status().ToString();
      ASSERT_EQ(status->state(), pb::TxStatus::COMMITTED);
      ASSERT_EQ(status->code(), pb::Status::OK) << status->message();
    }
    AddSigner("court", std::move(*court), pb::ROLE_CLERK);
    for (auto [org, role] : {std::pair{"tax", pb::ROLE_DEPARTMENT_OFFICER},
                             {"market", pb::ROLE_DEPARTMENT_OFFICER},
                             {"association", pb::ROLE_ADMINISTRATOR_MEMBER}}) {
      auto key = cluster_->LoadAdminKey(org);
      ASSERT_TRUE(key.ok()) << key.status().ToString();
      AddSigner(org, std::move(*key), role);
    }
    ASSERT_EQ(signers_.size() * kTxsPerSigner, kLoadTxs);
  }

  void AddSigner(std::string org, std::unique_ptr<crypto::PrivateKey> key, pb::Role role) {
    Signer signer;
    signer.org = std::move(org);
    signer.key = std::move(key);
    signer.member_role = role;
    signers_.push_back(std::move(signer));
  }

  // Each signer's transactions, nonces following its account's nonce, each for a new member.
  void SignLoad() {
    for (Signer& signer : signers_) {
      Result<pb::Account> account =
          GetMessage<pb::Account>(*client_, "/v1/keys/" + ToHex(signer.key->public_key()));
      ASSERT_TRUE(account.ok()) << signer.org << ": " << account.status().ToString();
      ASSERT_EQ(account->status(), pb::ACCOUNT_STATUS_ACTIVE);
      signer.account_id = account->id();
      signer.first_nonce = account->nonce() + 1;
      for (size_t k = 0; k < kTxsPerSigner; ++k) {
        auto member = crypto::GenerateKey(pb::SUITE_INTL);
        ASSERT_TRUE(member.ok());
        signer.txs.emplace_back();
        signer.txs[k].member_public_key = (*member)->public_key();
        signer.txs[k].envelope = SignLoadTx(signer, k);
        signer.txs[k].hash = TxHashHex(signer.txs[k].envelope);
      }
    }
  }

  // Load from one thread per signer; SIGKILL once kKillAfterCommitted commits were reported.
  void RunLoadAndKill() {
    auto load_start = std::chrono::steady_clock::now();
    std::atomic<int> committed_count{0};
    std::atomic<bool> killed{false};
    std::atomic<int> running_senders{static_cast<int>(signers_.size())};
    int committed_at_kill = 0;
    {
      std::jthread load([&] {
        SendAllLoads(cluster_->base_url(), signers_, std::vector<size_t>(signers_.size(), 0),
                     committed_count, killed, running_senders);
      });
      while (committed_count < kKillAfterCommitted && running_senders > 0 &&
             std::chrono::steady_clock::now() - load_start <
                 std::chrono::milliseconds(kLoadTimeoutMs)) {
        std::this_thread::sleep_for(std::chrono::microseconds(200));
      }
      killed = true;
      committed_at_kill = committed_count;
      cluster_->Kill();
    }
    for (const Signer& signer : signers_) {
      for (const std::string& error : signer.errors) ADD_FAILURE() << error;
    }
    ASSERT_GE(committed_at_kill, kKillAfterCommitted) << "the load stalled before the kill";
    size_t reported = 0;
    for (const Signer& signer : signers_) {
      for (const LoadTx& tx : signer.txs) {
        if (!tx.reported_committed) continue;
        reported++;
        max_reported_height_ = std::max(max_reported_height_, tx.reported.height());
        EXPECT_EQ(tx.reported.code(), pb::Status::OK) << tx.reported.message();
      }
    }
    std::cerr << "killed the node after " << committed_at_kill << " reported commits; " << reported
              << " reported in all, up to height " << max_reported_height_ << "\n";
  }

  // Every commit reported before the crash is there, unchanged, in the block it was reported in.
  void CheckReportedCommitsSurvived() {
    Result<pb::Health> health = GetMessage<pb::Health>(*client_, "/v1/health");
    ASSERT_TRUE(health.ok()) << health.status().ToString();
    EXPECT_EQ(health->genesis_hash(), genesis_hash_);
    EXPECT_EQ(health->pending_txs(), 0u) << "a restarted node has an empty mempool";
    recovered_height_ = health->height();
    ASSERT_GE(recovered_height_, max_reported_height_) << "blocks reported committed were lost";
    auto positions = CheckChainLinks(*client_, chain_id_, genesis_hash_, recovered_height_);
    for (const Signer& signer : signers_) {
      for (const LoadTx& tx : signer.txs) {
        if (!tx.reported_committed) continue;
        Result<pb::TxStatus> now = GetMessage<pb::TxStatus>(*client_, "/v1/tx/" + tx.hash);
        ASSERT_TRUE(now.ok()) << "tx " << tx.hash
                              << " reported committed is gone: " << now.status().ToString();
        EXPECT_EQ(now->state(), pb::TxStatus::COMMITTED);
        EXPECT_EQ(now->height(), tx.reported.height());
        EXPECT_EQ(now->index(), tx.reported.index());
        EXPECT_EQ(now->code(), tx.reported.code());
        EXPECT_EQ(now->record_id(), tx.reported.record_id());
        auto it = positions.find(tx.hash);
        ASSERT_NE(it, positions.end()) << "tx " << tx.hash << " is in no block";
        EXPECT_EQ(it->second, std::pair(tx.reported.height(), tx.reported.index()));
      }
    }
    blocks_txs_at_recovery_ = positions.size();
  }

  // Per signer, what survived is exactly a prefix of its nonces: everything up to the account's
  // nonce is committed (reported or not), nothing after it is known.
  void CheckSurvivorsAreNoncePrefixes() {
    survived_.assign(signers_.size(), 0);
    size_t survived_total = 0;
    for (size_t s = 0; s < signers_.size(); ++s) {
      const Signer& signer = signers_[s];
      Result<pb::Account> account =
          GetMessage<pb::Account>(*client_, "/v1/accounts/" + signer.account_id);
      ASSERT_TRUE(account.ok()) << account.status().ToString();
      ASSERT_GE(account->nonce() + 1, signer.first_nonce);
      survived_[s] = account->nonce() + 1 - signer.first_nonce;
      ASSERT_LE(survived_[s], kTxsPerSigner);
      survived_total += survived_[s];
      for (size_t k = 0; k < signer.txs.size(); ++k) {
        const LoadTx& tx = signer.txs[k];
        Result<cli::HttpReply> reply = client_->Get("/v1/tx/" + tx.hash);
        ASSERT_TRUE(reply.ok()) << reply.status().ToString();
        if (k >= survived_[s]) {
          EXPECT_FALSE(tx.reported_committed) << "tx " << tx.hash << " was reported committed";
          EXPECT_EQ(reply->status, 404) << "tx " << k << " of " << signer.org
                                        << " after the recovered nonce is known: " << reply->body;
          continue;
        }
        Result<pb::TxStatus> status = ParseJson<pb::TxStatus>(reply->body);
        ASSERT_TRUE(status.ok()) << status.status().ToString();
        EXPECT_EQ(status->state(), pb::TxStatus::COMMITTED);
        EXPECT_EQ(status->code(), pb::Status::OK) << status->message();
        EXPECT_LE(status->height(), recovered_height_);
      }
    }
    EXPECT_EQ(blocks_txs_at_recovery_, survived_total + kDeputies)
        << "the blocks hold transactions nobody sent, or lack some that survived";
    EXPECT_LT(survived_total, kLoadTxs) << "the kill came after the load: nothing was lost";
    std::cerr << survived_total << " of " << kLoadTxs << " load transactions survived at height "
              << recovered_height_ << "\n";
  }

  // A new transaction commits at a height that continues the recovered chain.
  void CheckNewCommitContinuesTheChain() {
    auto creditor = crypto::GenerateKey(pb::SUITE_INTL);
    ASSERT_TRUE(creditor.ok());
    std::string tx = Sign(**creditor, SelfRegisterBody(chain_id_, **creditor, "creditor"));
    Result<cli::HttpReply> reply = client_->PostBinary("/v1/tx?wait_ms=20000", tx);
    ASSERT_TRUE(reply.ok()) << reply.status().ToString();
    ASSERT_EQ(reply->status, 200) << reply->body;
    Result<pb::TxStatus> status = ParseJson<pb::TxStatus>(reply->body);
    ASSERT_TRUE(status.ok()) << status.status().ToString();
    EXPECT_EQ(status->state(), pb::TxStatus::COMMITTED);
    EXPECT_EQ(status->code(), pb::Status::OK) << status->message();
    EXPECT_EQ(status->height(), recovered_height_ + 1);
  }

  // Sends again what was lost, re-signed with the nonces that follow each account's nonce.
  void ResendLost() {
    for (size_t s = 0; s < signers_.size(); ++s) {
      Signer& signer = signers_[s];
      for (size_t k = survived_[s]; k < signer.txs.size(); ++k) {
        signer.txs[k].envelope = SignLoadTx(signer, k);
        signer.txs[k].hash = TxHashHex(signer.txs[k].envelope);
        signer.txs[k].reported_committed = false;
      }
    }
    std::atomic<int> committed_count{0};
    std::atomic<bool> not_killed{false};
    std::atomic<int> running_senders{static_cast<int>(signers_.size())};
    SendAllLoads(cluster_->base_url(), signers_, survived_, committed_count, not_killed,
                 running_senders);
    for (const Signer& signer : signers_) {
      for (const std::string& error : signer.errors) ADD_FAILURE() << error;
    }
  }

  // All 1,000 are committed with OK, each registered its member, each signer's nonce moved by
  // kTxsPerSigner, and the blocks hold exactly what was sent.
  void CheckAllCommitted() {
    std::set<std::string> committed;
    for (size_t s = 0; s < signers_.size(); ++s) {
      const Signer& signer = signers_[s];
      for (size_t k = 0; k < signer.txs.size(); ++k) {
        const LoadTx& tx = signer.txs[k];
        Result<pb::TxStatus> status = GetMessage<pb::TxStatus>(*client_, "/v1/tx/" + tx.hash);
        ASSERT_TRUE(status.ok()) << status.status().ToString();
        ASSERT_EQ(status->state(), pb::TxStatus::COMMITTED);
        EXPECT_EQ(status->code(), pb::Status::OK) << status->message();
        if (k >= survived_[s]) {
          EXPECT_GT(status->height(), recovered_height_) << tx.hash;
        }
        committed.insert(tx.hash);
        Result<pb::Account> member =
            GetMessage<pb::Account>(*client_, "/v1/keys/" + ToHex(tx.member_public_key));
        ASSERT_TRUE(member.ok()) << member.status().ToString();
        EXPECT_EQ(member->id(), status->record_id());
        EXPECT_EQ(member->status(), pb::ACCOUNT_STATUS_ACTIVE);
        ASSERT_EQ(member->roles_size(), 1);
        EXPECT_EQ(member->roles(0), signer.member_role);
        EXPECT_EQ(member->registered_height(), status->height());
      }
      Result<pb::Account> account =
          GetMessage<pb::Account>(*client_, "/v1/accounts/" + signer.account_id);
      ASSERT_TRUE(account.ok()) << account.status().ToString();
      EXPECT_EQ(account->nonce(), signer.first_nonce - 1 + kTxsPerSigner);
    }
    EXPECT_EQ(committed.size(), kLoadTxs);
    Result<pb::Health> health = GetMessage<pb::Health>(*client_, "/v1/health");
    ASSERT_TRUE(health.ok()) << health.status().ToString();
    auto positions = CheckChainLinks(*client_, chain_id_, genesis_hash_, health->height());
    EXPECT_EQ(positions.size(), kLoadTxs + kDeputies + 1);  // + the creditor
  }

  // A clean stop (SIGTERM, exit 0) and start keeps the head.
  void CheckCleanRestartKeepsTheHead() {
    Result<pb::BlockView> head = GetMessage<pb::BlockView>(*client_, "/v1/blocks/latest");
    ASSERT_TRUE(head.ok()) << head.status().ToString();
    Status stopped = cluster_->Stop();
    ASSERT_TRUE(stopped.ok()) << stopped.ToString();
    ASSERT_NO_FATAL_FAILURE(StartNode());
    Result<pb::BlockView> head_again = GetMessage<pb::BlockView>(*client_, "/v1/blocks/latest");
    ASSERT_TRUE(head_again.ok()) << head_again.status().ToString();
    EXPECT_EQ(head_again->hash(), head->hash());
    EXPECT_EQ(head_again->header().height(), head->header().height());
  }

  std::chrono::steady_clock::time_point test_start_;
  std::unique_ptr<TestCluster> cluster_;
  std::unique_ptr<NodeApi> client_;
  std::string chain_id_;
  std::string genesis_hash_;
  std::vector<Signer> signers_;
  uint64_t max_reported_height_ = 0;   // highest height the node reported a commit at
  uint64_t recovered_height_ = 0;      // the height after the restart
  size_t blocks_txs_at_recovery_ = 0;  // transactions in blocks 1..recovered_height_
  std::vector<size_t> survived_;       // per signer: how many of its transactions survived
};

TEST_F(CrashRecoveryTest, SigkillUnderLoadLosesNoReportedCommit) {
  ASSERT_NO_FATAL_FAILURE(SetUpSigners());
  ASSERT_NO_FATAL_FAILURE(SignLoad());
  Phase("signers registered and the load signed");
  ASSERT_NO_FATAL_FAILURE(RunLoadAndKill());
  Phase("killed under load");
  ASSERT_NO_FATAL_FAILURE(StartNode());  // the same data directory, a fresh port
  Phase("restarted");
  ASSERT_NO_FATAL_FAILURE(CheckReportedCommitsSurvived());
  ASSERT_NO_FATAL_FAILURE(CheckSurvivorsAreNoncePrefixes());
  Phase("recovered state checked");
  ASSERT_NO_FATAL_FAILURE(CheckNewCommitContinuesTheChain());
  ASSERT_NO_FATAL_FAILURE(ResendLost());
  Phase("lost transactions sent again");
  ASSERT_NO_FATAL_FAILURE(CheckAllCommitted());
  ASSERT_NO_FATAL_FAILURE(CheckCleanRestartKeepsTheHead());
  Phase("all committed; clean restart kept the head");
}

}  // namespace
}  // namespace onechain::integration
