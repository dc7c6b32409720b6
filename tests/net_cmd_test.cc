// `onechain net up|status|down` as a user runs them: four validator processes come up on
// loopback with a first block committed, status reports each one, a transaction sent to one
// validator commits at all, a second `net up` on the running directory refuses, `net down` leaves
// no process behind, and bad input is a usage error (exit 2) that starts nothing.
#include <gtest/gtest.h>

#include <chrono>
#include <thread>

#include <filesystem>

#include "local_net.h"
#include "node/envelope.h"
#include "node/genesis.h"

namespace onechain::integration {
namespace {

int64_t NowMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}


TEST(NetCmdTest, BadInputIsAUsageErrorAndStartsNothing) {
  LocalNet net("netcmd-bad");
  for (const std::vector<std::string>& extra : std::vector<std::vector<std::string>>{
           {"-n", "3"}, {"-n", "8"}, {"-n", "four"}, {"--suite", "rot13"}, {"--bogus"}}) {
    Result<CommandResult> run = net.Up(extra);
    ASSERT_TRUE(run.ok()) << run.status().ToString();
    EXPECT_EQ(run->exit_code, 2) << extra[0] << ": " << run->err;
    EXPECT_NE(run->err.find("usage error"), std::string::npos) << run->err;
  }
  EXPECT_FALSE(std::filesystem::exists(net.net_dir() + "/net.json"));
  EXPECT_FALSE(std::filesystem::exists(net.net_dir() + "/genesis.json"));
  Result<CommandResult> status = net.Run("status");
  ASSERT_TRUE(status.ok());
  EXPECT_EQ(status->exit_code, 1);
  EXPECT_NE(status->err.find("NOT_FOUND"), std::string::npos) << status->err;
}

TEST(NetCmdTest, UpStatusTransactionDown) {
  LocalNet net("netcmd");
  Result<CommandResult> up = net.Up({"-n", "4"});
  ASSERT_TRUE(up.ok()) << up.status().ToString();
  ASSERT_EQ(up->exit_code, 0) << up->err;
  ASSERT_EQ(net.size(), 4);
  const char* orgs[] = {"court", "tax", "market", "association"};
  for (int i = 0; i < 4; ++i) {
    EXPECT_EQ(net.net()["validators"][i]["org"], orgs[i]);
    EXPECT_TRUE(ProcessRuns(net.pid(i))) << "validator " << i;
    EXPECT_GE(net.Height(i), 1u) << "validator " << i << " has no committed block";
  }

  Result<CommandResult> status = net.Run("status", {"--json"});
  ASSERT_TRUE(status.ok());
  ASSERT_EQ(status->exit_code, 0) << status->err;
  nlohmann::json report = nlohmann::json::parse(status->out);
  ASSERT_EQ(report["validators"].size(), 4u);
  for (const nlohmann::json& row : report["validators"]) {
    EXPECT_TRUE(row["alive"].get<bool>()) << row.dump();
    EXPECT_TRUE(row["answering"].get<bool>()) << row.dump();
    EXPECT_EQ(row["linksUp"].get<int>(), 3) << row.dump();
    EXPECT_GE(row["height"].get<uint64_t>(), 1u);
    EXPECT_LT(row["leader"].get<uint32_t>(), 4u);
  }
  Result<CommandResult> text = net.Run("status");
  ASSERT_TRUE(text.ok());
  EXPECT_NE(text->out.find("validator 3  association "), std::string::npos) << text->out;

  // A transaction sent to the market regulator's validator commits at the court's.
  Result<pb::Genesis> genesis = node::LoadGenesisFile(net.net_dir() + "/genesis.json");
  ASSERT_TRUE(genesis.ok());
  auto key = crypto::GenerateKey(genesis->suite());
  ASSERT_TRUE(key.ok());
  std::string envelope =
      node::SignEnvelope(**key, SelfRegisterBody(genesis->chain_id(), **key, "Firm"));
  Result<cli::HttpReply> posted = net.api(2).PostBinary("/v1/tx", envelope);
  ASSERT_TRUE(posted.ok() && posted->status == 202)
      << (posted.ok() ? posted->body : posted.status().ToString());
  // Relays travel in batches: the court's validator may not know it for a few milliseconds.
  const int64_t deadline = NowMs() + 30'000;
  Result<pb::TxStatus> committed = WaitForTx(net.api(0), TxHashHex(envelope), 30'000);
  while (!committed.ok() && committed.status().code() == pb::Status::NOT_FOUND &&
         NowMs() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    committed = WaitForTx(net.api(0), TxHashHex(envelope), deadline - NowMs());
  }
  ASSERT_TRUE(committed.ok()) << committed.status().ToString();
  EXPECT_EQ(committed->state(), pb::TxStatus::COMMITTED);

  // A running network is not started twice.
  Result<CommandResult> again = net.Up();
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->exit_code, 1);
  EXPECT_NE(again->err.find("FAILED_PRECONDITION"), std::string::npos) << again->err;

  std::vector<pid_t> pids;
  for (int i = 0; i < 4; ++i) pids.push_back(net.pid(i));
  Result<CommandResult> down = net.Run("down");
  ASSERT_TRUE(down.ok());
  ASSERT_EQ(down->exit_code, 0) << down->err;
  EXPECT_NE(down->out.find("is down"), std::string::npos) << down->out;
  for (int i = 0; i < 4; ++i) EXPECT_FALSE(ProcessRuns(pids[i])) << "validator " << i << " runs";

  Result<CommandResult> after = net.Run("status", {"--json"});
  ASSERT_TRUE(after.ok());
  ASSERT_EQ(after->exit_code, 0) << after->err;
  for (const nlohmann::json& row : nlohmann::json::parse(after->out)["validators"]) {
    EXPECT_FALSE(row["alive"].get<bool>()) << row.dump();
  }

  // The same directory comes up again with its keys and its blocks.
  Result<CommandResult> reup = net.Up();
  ASSERT_TRUE(reup.ok());
  ASSERT_EQ(reup->exit_code, 0) << reup->err;
  Result<pb::TxStatus> kept = WaitForTx(net.api(3), TxHashHex(envelope), 10'000);
  ASSERT_TRUE(kept.ok());
  EXPECT_EQ(kept->state(), pb::TxStatus::COMMITTED);
  Result<CommandResult> down2 = net.Run("down", {"--json"});
  ASSERT_TRUE(down2.ok());
  EXPECT_EQ(down2->exit_code, 0) << down2->err;
  for (int i = 0; i < 4; ++i) EXPECT_FALSE(ProcessRuns(net.pid(i)));
}

}  // namespace
}  // namespace onechain::integration
