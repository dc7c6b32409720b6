// Proves `onechain verify` answers 0 for a valid proof, 1 for an invalid one and 2 for a usage
// error, for raw RFC 6962 proofs and for a bundle checked against a real genesis file.
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "block.pb.h"
#include "ledger/log_tree.h"
#include "ledger/proof_bundle.h"
#include "node/genesis.h"
#include "util/bytes.h"

namespace onechain {
namespace {

int RunCli(const std::string& args) {
  std::string command = std::string(ONECHAIN_BINARY) + " " + args + " >/dev/null 2>&1";
  int status = std::system(command.c_str());
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

std::string B64(const char* hex) { return ledger::EncodeBase64(*FromHex(hex)); }

// RFC 6962 vectors (transparency-dev/merkle proof/verify_test.go): leaf 6 of 8 and 6 -> 8.
const std::string kRoot6 = B64("76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef");
const std::string kRoot8 = B64("5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328");
const std::string kLeaf6 = ledger::EncodeBase64(*FromHex("40414243"));
const std::string kPath =
    B64("bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b") + "," +
    B64("ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0") + "," +
    B64("d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7");
const std::string kConsistency =
    B64("0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a") + "," +
    B64("ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0") + "," +
    B64("d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7");

TEST(VerifyCli, RawInclusionExitCodes) {
  std::string base = "verify inclusion --leaf-data " + kLeaf6 + " --size 8 --root " + kRoot8;
  EXPECT_EQ(RunCli(base + " --index 5 --proof " + kPath), 0);
  EXPECT_EQ(RunCli(base + " --index 5 --proof " + kPath + " --json"), 0);
  EXPECT_EQ(RunCli(base + " --index 4 --proof " + kPath), 1);
  EXPECT_EQ(RunCli(base + " --index 5 --proof " + kPath + " --suite sm"), 1);
  EXPECT_EQ(RunCli(base + " --index 5"), 1);                           // no proof
  EXPECT_EQ(RunCli(base + " --index 5 --proof '" + kPath + ",'"), 1);  // an empty hash added
  EXPECT_EQ(RunCli(base + " --index 5 --proof not*base64"), 2);
  EXPECT_EQ(RunCli(base + " --proof " + kPath), 2);  // --index missing
  EXPECT_EQ(RunCli(base + " --index 5 --suite rot13 --proof " + kPath), 2);
  EXPECT_EQ(RunCli("verify inclusion --leaf-hash " + kRoot6 + " --leaf-data " + kLeaf6 +
                   " --index 5 --size 8 --root " + kRoot8 + " --proof " + kPath),
            2);
  EXPECT_EQ(RunCli("verify"), 2);
  EXPECT_EQ(RunCli("verify frobnicate"), 2);
  EXPECT_EQ(RunCli("verify --help"), 0);
}

TEST(VerifyCli, RawConsistencyExitCodes) {
  std::string base = "verify consistency --old-size 6 --new-size 8 ";
  EXPECT_EQ(
      RunCli(base + "--old-root " + kRoot6 + " --new-root " + kRoot8 + " --proof " + kConsistency),
      0);
  EXPECT_EQ(
      RunCli(base + "--old-root " + kRoot8 + " --new-root " + kRoot6 + " --proof " + kConsistency),
      1);
  EXPECT_EQ(RunCli(base + "--old-root " + kRoot6 + " --new-root " + kRoot8), 1);
  EXPECT_EQ(RunCli(base + "--old-root " + kRoot6 + " --proof " + kConsistency), 2);
}

class VerifyBundleCli : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("onechain-verify-cli-" + std::to_string(getpid()));
    std::filesystem::remove_all(dir_);
    ASSERT_EQ(RunCli("genesis new --out " + dir_.string() + " --chain-id verify-test"), 0);
    genesis_ = (dir_ / "genesis.json").string();
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  // A one-block chain whose block holds `txs`, certified by validator 0 of the genesis.
  pb::ProofBundle MakeBundle(const std::vector<std::string>& txs, uint64_t index) {
    pb::Genesis genesis = *node::LoadGenesisFile(genesis_);
    const crypto::Suite& suite = *crypto::GetSuite(genesis.suite());
    auto pem = node::ReadFile((dir_ / "keys" / "validator-0.pem").string(), 1 << 16);
    auto key = std::move(crypto::PrivateKeyFromPem(*pem, "")).value();
    ledger::MemoryNodes nodes;
    ledger::NodeWrites writes;
    ledger::LogTree log = *ledger::LogTree::Load(suite, nodes);
    log.Append(txs, writes);
    nodes.Apply(writes);
    pb::BlockHeader header;
    header.set_chain_id(genesis.chain_id());
    header.set_height(1);
    header.set_log_size(log.size());
    header.set_log_root(log.Root());
    pb::Checkpoint checkpoint;
    header.SerializeToString(checkpoint.mutable_header());
    pb::CertificateSignatures certificate;
    auto* signature = certificate.add_signatures();
    signature->set_public_key(key->public_key());
    signature->set_signature(key->Sign(checkpoint.header()));
    checkpoint.set_certificate(certificate.SerializeAsString());
    return *ledger::BuildRecordBundle(suite, nodes, index, txs[index], checkpoint);
  }

  std::string Write(const std::string& name, const std::string& bytes) {
    std::string path = (dir_ / name).string();
    std::ofstream(path, std::ios::binary) << bytes;
    return path;
  }

  std::filesystem::path dir_;
  std::string genesis_;
};

TEST_F(VerifyBundleCli, BundleExitCodes) {
  pb::ProofBundle bundle = MakeBundle({"notice-1", "notice-2", "notice-3"}, 1);
  std::string good = Write("good.bin", bundle.SerializeAsString());
  EXPECT_EQ(RunCli("verify bundle " + good + " --genesis " + genesis_), 0);
  EXPECT_EQ(RunCli("verify bundle " + Write("good.txt", ledger::ArmorProofBundle(bundle)) +
                   " --genesis " + genesis_ + " --json"),
            0);
  pb::ProofBundle altered = bundle;
  altered.set_record("notice-X");
  EXPECT_EQ(RunCli("verify bundle " + Write("bad.bin", altered.SerializeAsString()) +
                   " --genesis " + genesis_),
            1);
  altered = bundle;
  altered.mutable_inclusion()->set_leaf_index(2);
  EXPECT_EQ(RunCli("verify bundle " + Write("bad2.bin", altered.SerializeAsString()) +
                   " --genesis " + genesis_),
            1);
  EXPECT_EQ(RunCli("verify bundle " + Write("junk.bin", "not a bundle") + " --genesis " + genesis_),
            1);
  // A genesis of another network: its validator did not sign.
  std::string other = (dir_ / "other").string();
  ASSERT_EQ(RunCli("genesis new --out " + other + " --chain-id verify-test"), 0);
  EXPECT_EQ(RunCli("verify bundle " + good + " --genesis " + other + "/genesis.json"), 1);
  EXPECT_EQ(RunCli("verify bundle " + good), 2);
  EXPECT_EQ(RunCli("verify bundle " + good + " --genesis /nonexistent/genesis.json"), 2);
  EXPECT_EQ(RunCli("verify bundle /nonexistent/bundle --genesis " + genesis_), 2);
}

}  // namespace
}  // namespace onechain
