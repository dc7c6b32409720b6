// `onechain snapshot export|import` with real processes: four validators started by `onechain net
// up` commit transactions; a snapshot is exported from validator 1 while it runs; tampered copies
// are refused by the import with their codes; validator 3 is stopped, its data directory replaced
// by an import of the snapshot, and restarted: without the blocks before the snapshot's height it
// catches up from its peers and reaches the same height, block hash and state root as the others.
#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <regex>
#include <thread>

#include "local_net.h"
#include "node/envelope.h"
#include "node/genesis.h"
#include "node/snapshot.h"
#include "proof.pb.h"

namespace onechain::integration {
namespace {

constexpr int64_t kWaitMs = 60'000;

void SleepMs(int64_t ms) { std::this_thread::sleep_for(std::chrono::milliseconds(ms)); }

int64_t NowMs() {
  using namespace std::chrono;
  return duration_cast<milliseconds>(steady_clock::now().time_since_epoch()).count();
}

// Commits `n` self-registrations through validator `at`.
void Commit(const LocalNet& net, const pb::Genesis& genesis, int at, int n, const std::string& tag) {
  std::vector<std::string> hashes;
  for (int i = 0; i < n; ++i) {
    auto key = crypto::GenerateKey(genesis.suite());
    ASSERT_TRUE(key.ok());
    std::string envelope = node::SignEnvelope(
        **key, SelfRegisterBody(genesis.chain_id(), **key, tag + " " + std::to_string(i)));
    auto reply = net.api(at).PostBinary("/v1/tx", envelope);
    ASSERT_TRUE(reply.ok());
    ASSERT_EQ(reply->status, 202) << reply->body;
    hashes.push_back(TxHashHex(envelope));
  }
  for (const std::string& hash : hashes) {
    auto status = WaitForTx(net.api(at), hash, 20'000);
    ASSERT_TRUE(status.ok()) << status.status().ToString();
    ASSERT_EQ(status->state(), pb::TxStatus::COMMITTED);
  }
}

std::string ReadAll(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

void WriteAll(const std::string& path, const std::string& bytes) {
  std::ofstream(path, std::ios::binary) << bytes;
}

// `snapshot import` of `file` into a new directory: the exit code and stderr.
CommandResult Import(const LocalNet& net, const std::string& file, const std::string& data_dir) {
  auto run = RunOnechain({"snapshot", "import", "--in", file, "--genesis",
                          net.net_dir() + "/genesis.json", "--data-dir", data_dir},
                         net.dir());
  EXPECT_TRUE(run.ok());
  return run.ok() ? *run : CommandResult{};
}

TEST(Snapshot, WipedValidatorRejoinsFromAnotherOnesSnapshot) {
  LocalNet net("snapshot");
  auto up = net.Up({"-n", "4", "--log-level", "warn"});
  ASSERT_TRUE(up.ok()) << up.status().ToString();
  ASSERT_EQ(up->exit_code, 0) << up->err;
  auto genesis = node::LoadGenesisFile(net.net_dir() + "/genesis.json");
  ASSERT_TRUE(genesis.ok());
  Commit(net, *genesis, 0, 20, "before");

  // Export from validator 1 while every validator runs.
  const std::string file = net.dir() + "/v1.snapshot";
  const std::string v1_data = net.net()["validators"][1]["dataDir"].get<std::string>();
  auto exported = RunOnechain({"snapshot", "export", "--data-dir", v1_data, "--out", file},
                              net.dir());
  ASSERT_TRUE(exported.ok());
  ASSERT_EQ(exported->exit_code, 0) << exported->out << exported->err;
  std::smatch m;
  const std::regex line("exported \\S+: height ([0-9]+), block ([0-9a-f]+), state root ([0-9a-f]+), .*\n");
  ASSERT_TRUE(std::regex_match(exported->out, m, line)) << exported->out;
  const uint64_t height = std::stoull(m[1]);
  ASSERT_GT(height, 1u);

  // Tampered copies are refused, each with its code, and leave no database behind.
  auto parsed = node::ParseSnapshot(ReadAll(file));
  ASSERT_TRUE(parsed.ok()) << parsed.status().ToString();
  {
    node::Snapshot bad = *parsed;
    ASSERT_FALSE(bad.state.empty());
    bad.state.back().set_value(bad.state.back().value() + "x");
    WriteAll(net.dir() + "/bad-state", node::EncodeSnapshot(bad));
    CommandResult r = Import(net, net.dir() + "/bad-state", net.dir() + "/bad1");
    EXPECT_EQ(r.exit_code, 1);
    EXPECT_NE(r.err.find("HASH_MISMATCH"), std::string::npos) << r.err;
    EXPECT_FALSE(std::filesystem::exists(net.dir() + "/bad1/CURRENT"));
  }
  {
    node::Snapshot bad = *parsed;
    pb::CertificateSignatures certificate;
    ASSERT_TRUE(certificate.ParseFromString(bad.header.certificate()));
    certificate.mutable_signatures()->RemoveLast();
    certificate.mutable_signatures()->RemoveLast();
    bad.header.set_certificate(certificate.SerializeAsString());
    WriteAll(net.dir() + "/bad-cert", node::EncodeSnapshot(bad));
    CommandResult r = Import(net, net.dir() + "/bad-cert", net.dir() + "/bad2");
    EXPECT_EQ(r.exit_code, 1);
    EXPECT_NE(r.err.find("BAD_SIGNATURE"), std::string::npos) << r.err;
  }
  {
    std::string bytes = ReadAll(file);
    WriteAll(net.dir() + "/truncated", bytes.substr(0, bytes.size() - 10));
    CommandResult r = Import(net, net.dir() + "/truncated", net.dir() + "/bad3");
    EXPECT_EQ(r.exit_code, 1);
    EXPECT_NE(r.err.find("MALFORMED"), std::string::npos) << r.err;
  }

  // Validator 3 loses its data directory and comes back from validator 1's snapshot.
  net.Kill(3);
  const std::string v3_data = net.net()["validators"][3]["dataDir"].get<std::string>();
  std::filesystem::rename(v3_data, net.dir() + "/v3-lost");
  CommandResult refused = Import(net, file, v1_data);  // over a live node's data: refused
  EXPECT_EQ(refused.exit_code, 1);
  EXPECT_NE(refused.err.find("ALREADY_EXISTS"), std::string::npos) << refused.err;
  CommandResult imported = Import(net, file, v3_data);
  ASSERT_EQ(imported.exit_code, 0) << imported.out << imported.err;
  ASSERT_TRUE(net.Restart(3).ok()) << net.LogTail(3);

  // The others go on; validator 3 follows from the snapshot's height.
  Commit(net, *genesis, 0, 10, "after");
  const uint64_t target = net.Height(0);
  const int64_t start = NowMs();
  while (net.Height(3) < target && NowMs() - start < kWaitMs) SleepMs(50);
  ASSERT_GE(net.Height(3), target) << net.LogTail(3);
  for (int i = 0; i < 3; ++i) {
    auto ours = GetMessage<pb::BlockView>(net.api(3), "/v1/blocks/" + std::to_string(target));
    auto theirs = GetMessage<pb::BlockView>(net.api(i), "/v1/blocks/" + std::to_string(target));
    ASSERT_TRUE(ours.ok() && theirs.ok());
    EXPECT_EQ(ours->hash(), theirs->hash()) << "validator " << i;
    EXPECT_EQ(ours->header().state_root(), theirs->header().state_root()) << "validator " << i;
  }
  // It never replayed the history before the snapshot: those blocks are not there.
  EXPECT_FALSE(GetMessage<pb::BlockView>(net.api(3), "/v1/blocks/" + std::to_string(height - 1)).ok());
  // A transaction sent to it commits.
  Commit(net, *genesis, 3, 3, "at the restored validator");
}

}  // namespace
}  // namespace onechain::integration
