// Helpers shared by the integration tests: a network made with `onechain genesis new` in a
// temporary directory, a real `onechain node` process on a free loopback port that the tests
// start, stop and SIGKILL, and small builders for signed transactions and JSON replies.
#pragma once

#include <google/protobuf/util/json_util.h>
#include <sys/types.h>

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "api.pb.h"
#include "block.pb.h"
#include "cli/client.h"
#include "crypto/crypto.h"
#include "tx.pb.h"
#include "util/status.h"

namespace onechain::integration {

inline constexpr int64_t kNodeStartTimeoutMs = 30'000;
inline constexpr int64_t kNodeStopTimeoutMs = 15'000;
inline constexpr int64_t kCommandTimeoutMs = 60'000;
// Far beyond any height a test reaches, so expiry never interferes unless a test wants it.
inline constexpr uint64_t kValidUntilHeight = 1'000'000;

// The path of the `onechain` binary under test (ONECHAIN_BINARY at build time).
const char* OnechainBinary();

struct CommandResult {
  int exit_code = -1;  // the process's exit status; 128 + signal if a signal ended it
  std::string out;
  std::string err;
};

// Runs `onechain args...` to completion (killed after kCommandTimeoutMs) and captures stdout and
// stderr. `scratch_dir` holds the capture files.
Result<CommandResult> RunOnechain(const std::vector<std::string>& args,
                                  const std::string& scratch_dir);

// Starts `onechain args...` in the background with stdout and stderr appended to `log_path`;
// the child dies with the test process. Reap it with waitpid.
Result<pid_t> SpawnOnechain(const std::vector<std::string>& args, const std::string& log_path);

// One network in a temporary directory and its single validator node process. Not thread-safe:
// one test thread starts, stops and kills; other threads only use base_url().
class TestCluster {
 public:
  // Creates <tmp>/onechain-<name>-<pid>-<n>/ and runs `onechain genesis new --out <dir>/net`,
  // with `genesis_args` appended (e.g. {"--day-ms", "400"}).
  static Result<std::unique_ptr<TestCluster>> Create(
      std::string_view name, const std::vector<std::string>& genesis_args = {});
  // Kills the node if it runs and removes the directory (kept if ONECHAIN_KEEP_TEST_DIRS is set).
  ~TestCluster();
  TestCluster(const TestCluster&) = delete;
  TestCluster& operator=(const TestCluster&) = delete;

  // Starts `onechain node` on a free loopback port (a new one each time) and waits until
  // /v1/health answers "ok" for this genesis. Fails if the node exits or does not answer in time.
  Status Start();
  // SIGKILL, then reaps the process. No-op if the node does not run.
  void Kill();
  // SIGTERM and waits for a clean exit; INTERNAL if the exit status is not 0.
  Status Stop();
  bool running() const { return pid_ > 0; }
  pid_t pid() const { return pid_; }

  // "http://127.0.0.1:PORT" of the running (or last started) node.
  const std::string& base_url() const { return base_url_; }
  const std::string& dir() const { return dir_; }
  std::string genesis_path() const { return dir_ + "/net/genesis.json"; }
  std::string data_dir() const { return dir_ + "/data"; }
  std::string validator_key_path() const { return dir_ + "/net/keys/validator-0.pem"; }
  // keys/<org>-admin.pem of a genesis organization: court, tax, market, association.
  std::string admin_key_path(std::string_view org) const;
  Result<std::unique_ptr<crypto::PrivateKey>> LoadAdminKey(std::string_view org) const;

  const pb::Genesis& genesis() const { return genesis_; }
  const std::string& chain_id() const { return genesis_.chain_id(); }
  // Hex of the suite hash of the genesis bytes, computed here from genesis.json.
  const std::string& genesis_hash() const { return genesis_hash_; }
  // The last `bytes_max` bytes of every node log, for failure messages.
  std::string LogTail(size_t bytes_max = 4000) const;

 private:
  explicit TestCluster(std::string dir) : dir_(std::move(dir)) {}
  Status SpawnNode(int port);
  Status WaitHealthy();
  // Reaps the child if it exited; returns true if it did.
  bool ReapIfExited();

  std::string dir_;
  pb::Genesis genesis_;
  std::string genesis_hash_;
  pid_t pid_ = -1;
  int starts_ = 0;
  std::string base_url_;
  std::string log_path_;
};

// A free loopback port, held: bound (not listening) with SO_REUSEADDR and SO_REUSEPORT, so that
// no one else's bind gets it while a node starts, while the node (cpp-httplib binds with
// SO_REUSEADDR) can still bind and listen on it. Release it once the node listens.
class PortReservation {
 public:
  static Result<PortReservation> Make();
  PortReservation(PortReservation&& other) noexcept;
  PortReservation& operator=(PortReservation&&) = delete;
  ~PortReservation();
  int port() const { return port_; }

 private:
  PortReservation(int fd, int port) : fd_(fd), port_(port) {}
  int fd_ = -1;
  int port_ = 0;
};

// A loopback port nothing listens on (reserved, then released).
Result<int> PickFreePort();

// The body of a transaction for `chain_id` signed by `signer`, without an action.
pb::TxBody NewBody(const std::string& chain_id, const crypto::PrivateKey& signer, uint64_t nonce);
// An org admin's register-account body.
pb::TxBody RegisterBody(const std::string& chain_id, const crypto::PrivateKey& admin,
                        uint64_t nonce, const std::string& public_key, pb::Role role,
                        const std::string& display_name);
// Anyone's self-registration as a creditor (nonce 1).
pb::TxBody SelfRegisterBody(const std::string& chain_id, const crypto::PrivateKey& key,
                            const std::string& display_name);
// Hex of the transaction hash of a serialized SignedTx.
std::string TxHashHex(const std::string& envelope_bytes);

// Protobuf's JSON mapping, strictly: unknown fields are an error.
template <typename T>
Result<T> ParseJson(const std::string& json) {
  T message;
  google::protobuf::util::JsonParseOptions options;
  options.ignore_unknown_fields = false;
  auto status = google::protobuf::util::JsonStringToMessage(json, &message, options);
  if (!status.ok()) {
    return Status(pb::Status::MALFORMED, "cannot parse JSON as " + message.GetTypeName() + ": " +
                                             std::string(status.message()) + " in " +
                                             json.substr(0, 300));
  }
  return message;
}

// cli::ApiClient with a fresh connection per request. The node answers every request after the
// first on a kept-alive connection about 40 ms late (its responses go out in two writes with
// Nagle's algorithm on, and the client delays its ACK); a new connection is acknowledged at once.
class NodeApi {
 public:
  explicit NodeApi(std::string base_url) : base_url_(std::move(base_url)) {}
  const std::string& base_url() const { return base_url_; }
  Result<cli::HttpReply> Get(const std::string& path) const {
    return cli::ApiClient(base_url_).Get(path);
  }
  Result<cli::HttpReply> PostBinary(const std::string& path, const std::string& body) const {
    return cli::ApiClient(base_url_).PostBinary(path, body);
  }
  Result<std::string> GetJson(const std::string& path) const {
    return cli::ApiClient(base_url_).GetJson(path);
  }

 private:
  std::string base_url_;
};

// GET `path` expecting 200 and a JSON `T`.
template <typename T>
Result<T> GetMessage(const NodeApi& client, const std::string& path) {
  Result<std::string> json = client.GetJson(path);
  if (!json.ok()) return json.status();
  return ParseJson<T>(*json);
}

// Polls GET /v1/tx/{hash}?wait_ms= until the transaction is no longer PENDING or `timeout_ms`
// passes (then returns the last PENDING status).
Result<pb::TxStatus> WaitForTx(const NodeApi& client, const std::string& hash_hex,
                               int64_t timeout_ms = 20'000);

// GET `base_url` + `path`, signed by `signer` with an RFC 9421 request signature
// (api/request_auth.h), or unsigned when null: the HTTP status and body (status 0 when the
// request failed).
struct SignedReply {
  int status = 0;
  std::string body;
};
SignedReply SignedGet(const std::string& base_url, const std::string& path,
                      const crypto::PrivateKey* signer);
// PUT `body` (application/octet-stream) to `path` (no query), signed like SignedGet.
SignedReply SignedPut(const std::string& base_url, const std::string& path,
                      const std::string& body, const crypto::PrivateKey* signer);

// A private PostgreSQL cluster (scripts/tax_pg.sh) in a new temporary directory on a free
// loopback port; stopped and removed with the object (kept if ONECHAIN_KEEP_TEST_DIRS is set).
class PrivatePostgres {
 public:
  static Result<std::unique_ptr<PrivatePostgres>> Start(std::string_view name);
  ~PrivatePostgres();
  PrivatePostgres(const PrivatePostgres&) = delete;
  PrivatePostgres& operator=(const PrivatePostgres&) = delete;

  const std::string& port() const { return port_; }
  // Runs `scripts/<script> <verb> <cluster dir> <port> <args>` (e.g. "tax_pg.sh", "psql",
  // "-f seed.sql"); its exit status.
  int Run(const std::string& script, const std::string& verb, const std::string& args = "") const;

 private:
  PrivatePostgres(std::string dir, std::string port)
      : dir_(std::move(dir)), port_(std::move(port)) {}
  std::string dir_, port_;
};

}  // namespace onechain::integration
