// `onechain backup create|restore` on a real node: backups taken while transactions keep
// committing each hold whole blocks up to some height H, with H's block byte-identical to the
// running chain's; a node started on a restored copy reports height H and the same head, and
// commits new transactions on top of it. Restoring over an existing database is refused.
#include <gtest/gtest.h>

#include <atomic>
#include <filesystem>
#include <regex>
#include <thread>

#include "node/envelope.h"
#include "test_cluster.h"

namespace onechain::integration {
namespace {

struct Taken {
  std::string dir;
  uint64_t height = 0;
  std::string head;
};

TEST(Backup, ConsistentWhileTheNodeCommitsAndRestorable) {
  auto made = TestCluster::Create("backup");
  ASSERT_TRUE(made.ok()) << made.status().ToString();
  std::unique_ptr<TestCluster> cluster = std::move(*made);
  ASSERT_TRUE(cluster->Start().ok()) << cluster->LogTail();
  NodeApi api(cluster->base_url());

  // Self-registrations keep arriving while the backups run.
  std::atomic<bool> stop{false};
  std::atomic<int> sent{0};
  std::thread writer([&] {
    while (!stop.load()) {
      auto key = crypto::GenerateKey(pb::SUITE_INTL);
      if (!key.ok()) continue;
      pb::TxBody body = SelfRegisterBody(cluster->chain_id(), **key, "creditor");
      if (api.PostBinary("/v1/tx", node::SignEnvelope(**key, body)).ok()) ++sent;
    }
  });
  std::vector<Taken> backups;
  const std::regex line("backup (\\S+): height ([0-9]+), head ([0-9a-f]+), [0-9]+ keys\n");
  for (int i = 0; i < 3; ++i) {
    // Each backup after 100 more transactions and at least one more committed block.
    auto height = [&] {
      auto health = GetMessage<pb::Health>(api, "/v1/health");
      return health.ok() ? health->height() : 0;
    };
    while (sent.load() < 100 * (i + 1) ||
           height() <= (backups.empty() ? 0 : backups.back().height)) {
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    Taken b;
    b.dir = cluster->dir() + "/backup-" + std::to_string(i);
    auto run = RunOnechain({"backup", "create", "--data-dir", cluster->data_dir(), "--out", b.dir},
                           cluster->dir());
    ASSERT_TRUE(run.ok());
    ASSERT_EQ(run->exit_code, 0) << run->out << run->err;
    std::smatch m;
    ASSERT_TRUE(std::regex_match(run->out, m, line)) << run->out;
    b.height = std::stoull(m[2]);
    b.head = m[3];
    backups.push_back(b);
  }
  stop.store(true);
  writer.join();
  ASSERT_GT(backups.back().height, backups.front().height);
  // A second backup into the same directory is refused.
  auto again = RunOnechain({"backup", "create", "--data-dir", cluster->data_dir(), "--out",
                            backups[0].dir}, cluster->dir());
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->exit_code, 1);
  EXPECT_NE(again->err.find("ALREADY_EXISTS"), std::string::npos) << again->err;

  // Each backup's head is the running chain's block at that height.
  for (const Taken& b : backups) {
    auto block = GetMessage<pb::BlockView>(api, "/v1/blocks/" + std::to_string(b.height));
    ASSERT_TRUE(block.ok()) << b.height << ": " << block.status().ToString();
    EXPECT_EQ(block->hash(), b.head) << b.height;
  }

  // Restore the middle one in place of the node's database and start the node on it.
  ASSERT_TRUE(cluster->Stop().ok()) << cluster->LogTail();
  auto refused = RunOnechain({"backup", "restore", "--from", backups[1].dir, "--data-dir",
                              cluster->data_dir()}, cluster->dir());
  ASSERT_TRUE(refused.ok());
  EXPECT_EQ(refused->exit_code, 1);
  EXPECT_NE(refused->err.find("ALREADY_EXISTS"), std::string::npos) << refused->err;
  std::filesystem::rename(cluster->data_dir(), cluster->dir() + "/data-before");
  auto restored = RunOnechain({"backup", "restore", "--from", backups[1].dir, "--data-dir",
                               cluster->data_dir()}, cluster->dir());
  ASSERT_TRUE(restored.ok());
  ASSERT_EQ(restored->exit_code, 0) << restored->out << restored->err;
  ASSERT_TRUE(cluster->Start().ok()) << cluster->LogTail();
  NodeApi after(cluster->base_url());
  auto health = GetMessage<pb::Health>(after, "/v1/health");
  ASSERT_TRUE(health.ok());
  EXPECT_EQ(health->height(), backups[1].height);
  auto head = GetMessage<pb::BlockView>(after, "/v1/blocks/latest");
  ASSERT_TRUE(head.ok());
  EXPECT_EQ(head->hash(), backups[1].head);

  // And it goes on committing.
  auto key = crypto::GenerateKey(pb::SUITE_INTL);
  ASSERT_TRUE(key.ok());
  auto reply = after.PostBinary("/v1/tx?wait_ms=20000",
                                node::SignEnvelope(**key, SelfRegisterBody(cluster->chain_id(),
                                                                           **key, "after")));
  ASSERT_TRUE(reply.ok());
  auto status = ParseJson<pb::TxStatus>(reply->body);
  ASSERT_TRUE(status.ok()) << reply->body;
  EXPECT_EQ(status->state(), pb::TxStatus::COMMITTED);
  EXPECT_EQ(status->height(), backups[1].height + 1);
}

}  // namespace
}  // namespace onechain::integration
