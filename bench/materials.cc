// onechain-materials-bench: encryption and upload throughput for encrypted materials
// (docs/materials.md, issue 6 benchmark). For each suite: seal a file of --mb MB under a fresh
// data key (intl: XChaCha20-Poly1305; sm: SM4-CTR + HMAC-SM3, since OpenSSL 3.0 has no SM4-GCM)
// and wrap the data key for 3 readers (intl: X25519 sealed box; sm: SM2 encryption); then,
// against a running node (--node, signed with --key), the same file sealed with the node's suite
// and uploaded with a signed PUT /v1/blobs/{hash}, alone and end to end (seal + wrap + upload).
// Each figure is the median of --rounds runs, in MB/s (1 MB = 10^6 bytes), printed as one table.
#include <CLI/CLI.hpp>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <iostream>
#include <vector>

#include "cli/client.h"
#include "crypto/seal.h"
#include "node/genesis.h"
#include "util/bytes.h"

namespace {

using namespace onechain;
using Clock = std::chrono::steady_clock;

double Seconds(Clock::time_point since) {
  return std::chrono::duration<double>(Clock::now() - since).count();
}

double Median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}

template <typename T>
T Take(Result<T> r, const char* what) {
  if (!r.ok()) {
    std::cerr << what << ": " << r.status().ToString() << "\n";
    std::exit(1);
  }
  return std::move(*r);
}

std::string Plaintext(size_t bytes, int round) {
  std::string out(bytes, '\0');
  uint64_t x = 0x9e3779b97f4a7c15ULL * static_cast<uint64_t>(round + 1);
  for (size_t i = 0; i < bytes; ++i) {
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    out[i] = static_cast<char>(x);
  }
  return out;
}

struct Sealed {
  std::string bytes;
  double seal_s = 0, wrap_s = 0;
};

Sealed SealFor3(pb::Suite suite, const std::string& plaintext,
                const std::vector<std::unique_ptr<crypto::DecryptionKey>>& readers) {
  Sealed out;
  std::string data_key = crypto::NewDataKey();
  auto t0 = Clock::now();
  out.bytes = Take(crypto::SealData(suite, data_key, plaintext, "bench-material"), "seal");
  out.seal_s = Seconds(t0);
  auto t1 = Clock::now();
  for (const auto& reader : readers) {
    Take(crypto::WrapDataKey(suite, reader->public_key(), data_key), "wrap");
  }
  out.wrap_s = Seconds(t1);
  return out;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"encryption and upload throughput of encrypted materials"};
  std::string node_url, key_path;
  int mb = 10, rounds = 5;
  app.add_option("--node", node_url, "a running node's API (upload skipped when empty)");
  app.add_option("--key", key_path, "PEM of a registered account that signs the uploads");
  app.add_option("--mb", mb, "file size in MB (10^6 bytes)")->check(CLI::Range(1, 30));
  app.add_option("--rounds", rounds, "runs per figure (median)")->check(CLI::Range(1, 100));
  CLI11_PARSE(app, argc, argv);
  const size_t bytes = static_cast<size_t>(mb) * 1'000'000;
  const double size_mb = static_cast<double>(bytes) / 1e6;

  std::printf("materials of %d MB, median of %d runs\n", mb, rounds);
  std::printf("%-34s %12s %14s\n", "step", "MB/s", "ms per file");
  for (pb::Suite suite : {pb::SUITE_INTL, pb::SUITE_SM}) {
    std::vector<std::unique_ptr<crypto::DecryptionKey>> readers;
    for (int i = 0; i < 3; ++i) readers.push_back(Take(crypto::GenerateDecryptionKey(suite), "key"));
    std::vector<double> seal, wrap, open;
    for (int r = 0; r < rounds; ++r) {
      std::string plaintext = Plaintext(bytes, r);
      Sealed s = SealFor3(suite, plaintext, readers);
      seal.push_back(s.seal_s);
      wrap.push_back(s.wrap_s);
      std::string data_key = crypto::NewDataKey();
      std::string sealed = Take(crypto::SealData(suite, data_key, plaintext, "x"), "seal");
      auto t = Clock::now();
      Take(crypto::OpenData(suite, data_key, sealed, "x"), "open");
      open.push_back(Seconds(t));
    }
    const char* name = suite == pb::SUITE_INTL ? "intl XChaCha20-Poly1305" : "sm SM4-CTR+HMAC-SM3";
    std::printf("%-34s %12.1f %14.1f\n", (std::string(name) + " seal").c_str(),
                size_mb / Median(seal), Median(seal) * 1e3);
    std::printf("%-34s %12.1f %14.1f\n", (std::string(name) + " open").c_str(),
                size_mb / Median(open), Median(open) * 1e3);
    std::printf("%-34s %12s %14.2f\n",
                (std::string(suite == pb::SUITE_INTL ? "intl X25519" : "sm SM2") + " wrap x3 readers").c_str(),
                "-", Median(wrap) * 1e3);
  }
  if (node_url.empty()) return 0;

  std::string pem = Take(node::ReadFile(key_path, 64 * 1024), "key file");
  std::unique_ptr<crypto::PrivateKey> signer = Take(crypto::PrivateKeyFromPem(pem, ""), "key");
  const pb::Suite suite = signer->suite();
  std::vector<std::unique_ptr<crypto::DecryptionKey>> readers;
  for (int i = 0; i < 3; ++i) readers.push_back(Take(crypto::GenerateDecryptionKey(suite), "key"));
  std::vector<double> upload, end_to_end;
  for (int r = 0; r < rounds; ++r) {
    std::string plaintext = Plaintext(bytes, 1000 + r);  // a new blob each run
    auto t0 = Clock::now();
    Sealed s = SealFor3(suite, plaintext, readers);
    std::string hash = ToHex(crypto::GetSuite(suite)->Hash(s.bytes));
    cli::ApiClient client(node_url);
    client.SignReadsWith(signer.get());
    auto t1 = Clock::now();
    cli::HttpReply reply = Take(client.PutSigned("/v1/blobs/" + hash, s.bytes), "upload");
    if (reply.status != 201) {
      std::cerr << "upload answered " << reply.status << ": " << reply.body << "\n";
      return 1;
    }
    upload.push_back(Seconds(t1));
    end_to_end.push_back(Seconds(t0));
  }
  const char* name = suite == pb::SUITE_INTL ? "intl" : "sm";
  std::printf("%-34s %12.1f %14.1f\n", (std::string(name) + " upload (signed PUT)").c_str(),
              size_mb / Median(upload), Median(upload) * 1e3);
  std::printf("%-34s %12.1f %14.1f\n", (std::string(name) + " seal+wrap x3+upload").c_str(),
              size_mb / Median(end_to_end), Median(end_to_end) * 1e3);
  return 0;
}
