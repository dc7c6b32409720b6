#include "test_cluster.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <cassert>
#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>
#include <utility>

#include <httplib.h>

#include "api/request_auth.h"
#include "node/envelope.h"
#include "node/genesis.h"
#include "util/bytes.h"

namespace onechain::integration {

namespace {

constexpr int64_t kPollIntervalMs = 20;

int64_t NowMs() {
  using namespace std::chrono;
  return duration_cast<milliseconds>(steady_clock::now().time_since_epoch()).count();
}

Status ErrnoStatus(const std::string& what) {
  return Status(pb::Status::IO, what + ": " + std::strerror(errno));
}

// The client side of a test must survive a node that dies mid-request: a write to its socket
// would raise SIGPIPE, which ends the process by default.
void IgnoreSigpipe() {
  static std::atomic<bool> done{false};
  if (!done.exchange(true)) std::signal(SIGPIPE, SIG_IGN);
}

int ExitCodeOf(int wait_status) {
  if (WIFEXITED(wait_status)) return WEXITSTATUS(wait_status);
  if (WIFSIGNALED(wait_status)) return 128 + WTERMSIG(wait_status);
  return -1;
}

// fork + exec of the onechain binary with stdout and stderr on the given descriptors. The child
// dies with the test process (PR_SET_PDEATHSIG), so no node outlives a crashed test.
Result<pid_t> Spawn(const std::vector<std::string>& args, int out_fd, int err_fd) {
  std::vector<std::string> argv_storage;
  argv_storage.push_back(OnechainBinary());
  argv_storage.insert(argv_storage.end(), args.begin(), args.end());
  std::vector<char*> argv;
  for (std::string& arg : argv_storage) argv.push_back(arg.data());
  argv.push_back(nullptr);
  int null_fd = open("/dev/null", O_RDONLY | O_CLOEXEC);
  if (null_fd < 0) return ErrnoStatus("open /dev/null");
  struct sigaction default_action {};
  default_action.sa_handler = SIG_DFL;
  pid_t parent = getpid();
  pid_t pid = fork();
  if (pid < 0) {
    close(null_fd);
    return ErrnoStatus("fork");
  }
  if (pid == 0) {
    // Only async-signal-safe calls from here on.
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (getppid() != parent) _exit(126);
    sigaction(SIGPIPE, &default_action, nullptr);  // an ignored signal would stay ignored
    dup2(null_fd, STDIN_FILENO);
    dup2(out_fd, STDOUT_FILENO);
    dup2(err_fd, STDERR_FILENO);
    // Leave no test socket open in the child.
    if (syscall(SYS_close_range, 3u, ~0u, 0u) != 0) {
      for (int fd = 3; fd < 4096; ++fd) close(fd);
    }
    execv(argv[0], argv.data());
    _exit(127);
  }
  close(null_fd);
  return pid;
}

std::string ReadWholeFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

}  // namespace

const char* OnechainBinary() { return ONECHAIN_BINARY; }

Result<CommandResult> RunOnechain(const std::vector<std::string>& args,
                                  const std::string& scratch_dir) {
  IgnoreSigpipe();
  static std::atomic<int> runs{0};
  std::string base = scratch_dir + "/cmd-" + std::to_string(runs++);
  int out_fd = open((base + ".out").c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  int err_fd = open((base + ".err").c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (out_fd < 0 || err_fd < 0) {
    if (out_fd >= 0) close(out_fd);
    if (err_fd >= 0) close(err_fd);
    return ErrnoStatus("open " + base);
  }
  Result<pid_t> pid = Spawn(args, out_fd, err_fd);
  close(out_fd);
  close(err_fd);
  if (!pid.ok()) return pid.status();
  int wait_status = 0;
  int64_t deadline = NowMs() + kCommandTimeoutMs;
  while (true) {
    pid_t done = waitpid(*pid, &wait_status, WNOHANG);
    if (done == *pid) break;
    if (done < 0 && errno != EINTR) return ErrnoStatus("waitpid");
    if (NowMs() > deadline) {
      kill(*pid, SIGKILL);
      waitpid(*pid, &wait_status, 0);
      return Status(pb::Status::UNAVAILABLE, "onechain did not finish in time: " + args[0]);
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  CommandResult result;
  result.exit_code = ExitCodeOf(wait_status);
  result.out = ReadWholeFile(base + ".out");
  result.err = ReadWholeFile(base + ".err");
  return result;
}

Result<PortReservation> PortReservation::Make() {
  int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return ErrnoStatus("socket");
  int yes = 1;
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  address.sin_port = 0;
  socklen_t length = sizeof(address);
  if (setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof(yes)) != 0 ||
      setsockopt(fd, SOL_SOCKET, SO_REUSEPORT, &yes, sizeof(yes)) != 0 ||
      bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof(address)) != 0 ||
      getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length) != 0) {
    Status status = ErrnoStatus("reserve a free loopback port");
    close(fd);
    return status;
  }
  return PortReservation(fd, ntohs(address.sin_port));
}

PortReservation::PortReservation(PortReservation&& other) noexcept
    : fd_(std::exchange(other.fd_, -1)), port_(other.port_) {}

PortReservation::~PortReservation() {
  if (fd_ >= 0) close(fd_);
}

Result<int> PickFreePort() {
  Result<PortReservation> reservation = PortReservation::Make();
  if (!reservation.ok()) return reservation.status();
  return reservation->port();
}

Result<std::unique_ptr<TestCluster>> TestCluster::Create(
    std::string_view name, const std::vector<std::string>& genesis_args) {
  IgnoreSigpipe();
  static std::atomic<int> clusters{0};
  std::filesystem::path dir = std::filesystem::temp_directory_path() /
                              ("onechain-" + std::string(name) + "-" + std::to_string(getpid()) +
                               "-" + std::to_string(clusters++));
  std::error_code error;
  std::filesystem::remove_all(dir, error);
  if (!std::filesystem::create_directories(dir, error)) {
    return Status(pb::Status::IO, "cannot create " + dir.string() + ": " + error.message());
  }
  std::unique_ptr<TestCluster> cluster(new TestCluster(dir.string()));
  std::vector<std::string> args = {"genesis", "new", "--out", cluster->dir_ + "/net", "--json"};
  args.insert(args.end(), genesis_args.begin(), genesis_args.end());
  Result<CommandResult> made = RunOnechain(args, cluster->dir_);
  if (!made.ok()) return made.status();
  if (made->exit_code != 0) {
    return Status(pb::Status::INTERNAL, "onechain genesis new exited with " +
                                            std::to_string(made->exit_code) + ": " + made->err);
  }
  Result<pb::Genesis> genesis = node::LoadGenesisFile(cluster->genesis_path());
  if (!genesis.ok()) return genesis.status();
  cluster->genesis_ = std::move(*genesis);
  const crypto::Suite* suite = crypto::GetSuite(cluster->genesis_.suite());
  if (suite == nullptr) return Status(pb::Status::INVALID_ARGUMENT, "genesis names no suite");
  cluster->genesis_hash_ = ToHex(suite->Hash(node::GenesisBytes(cluster->genesis_)));
  return cluster;
}

TestCluster::~TestCluster() {
  Kill();
  if (std::getenv("ONECHAIN_KEEP_TEST_DIRS") == nullptr) {
    std::error_code ignored;
    std::filesystem::remove_all(dir_, ignored);
  }
}

std::string TestCluster::admin_key_path(std::string_view org) const {
  return dir_ + "/net/keys/" + std::string(org) + "-admin.pem";
}

Result<std::unique_ptr<crypto::PrivateKey>> TestCluster::LoadAdminKey(std::string_view org) const {
  Result<std::string> pem = node::ReadFile(admin_key_path(org), 64 * 1024);
  if (!pem.ok()) return pem.status();
  return crypto::PrivateKeyFromPem(*pem, "");
}

Status TestCluster::Start() {
  if (running()) return Status(pb::Status::FAILED_PRECONDITION, "the node runs already");
  Result<PortReservation> port = PortReservation::Make();
  if (!port.ok()) return port.status();
  if (Status st = SpawnNode(port->port()); !st.ok()) return st;
  Status healthy = WaitHealthy();
  if (!healthy.ok()) Kill();
  return healthy;
}

Status TestCluster::SpawnNode(int port) {
  log_path_ = dir_ + "/node-" + std::to_string(starts_++) + ".log";
  int log_fd = open(log_path_.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
  if (log_fd < 0) return ErrnoStatus("open " + log_path_);
  base_url_ = "http://127.0.0.1:" + std::to_string(port);
  Result<pid_t> pid =
      Spawn({"node", "--genesis", genesis_path(), "--key", validator_key_path(), "--data-dir",
             data_dir(), "--listen", "127.0.0.1:" + std::to_string(port)},
            log_fd, log_fd);
  close(log_fd);
  if (!pid.ok()) return pid.status();
  pid_ = *pid;
  return Status::Ok();
}

Status TestCluster::WaitHealthy() {
  NodeApi client(base_url_);
  int64_t deadline = NowMs() + kNodeStartTimeoutMs;
  while (NowMs() < deadline) {
    if (ReapIfExited()) {
      return Status(pb::Status::UNAVAILABLE,
                    "the node exited before it answered; log:\n" + LogTail());
    }
    Result<pb::Health> health = GetMessage<pb::Health>(client, "/v1/health");
    if (health.ok() && health->status() == "ok") {
      if (health->genesis_hash() == genesis_hash_) return Status::Ok();
      return Status(pb::Status::FAILED_PRECONDITION,
                    "another network answers on " + base_url_ + ": " + health->chain_id());
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(kPollIntervalMs));
  }
  return Status(pb::Status::UNAVAILABLE,
                "the node did not answer /v1/health in time; log:\n" + LogTail());
}

bool TestCluster::ReapIfExited() {
  if (!running()) return true;
  int wait_status = 0;
  if (waitpid(pid_, &wait_status, WNOHANG) == pid_) {
    pid_ = -1;
    return true;
  }
  return false;
}

void TestCluster::Kill() {
  if (!running()) return;
  kill(pid_, SIGKILL);
  int wait_status = 0;
  while (waitpid(pid_, &wait_status, 0) < 0 && errno == EINTR) {
  }
  pid_ = -1;
}

Status TestCluster::Stop() {
  if (!running()) return Status(pb::Status::FAILED_PRECONDITION, "the node does not run");
  kill(pid_, SIGTERM);
  int64_t deadline = NowMs() + kNodeStopTimeoutMs;
  int wait_status = 0;
  while (true) {
    pid_t done = waitpid(pid_, &wait_status, WNOHANG);
    if (done == pid_) break;
    if (NowMs() > deadline) {
      Kill();
      return Status(pb::Status::UNAVAILABLE,
                    "the node did not stop on SIGTERM; log:\n" + LogTail());
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(kPollIntervalMs));
  }
  pid_ = -1;
  int code = ExitCodeOf(wait_status);
  if (code != 0) {
    return Status(pb::Status::INTERNAL,
                  "the node exited with " + std::to_string(code) + "; log:\n" + LogTail());
  }
  return Status::Ok();
}

std::string TestCluster::LogTail(size_t bytes_max) const {
  std::string out;
  for (int i = 0; i < starts_; ++i) {
    std::string path = dir_ + "/node-" + std::to_string(i) + ".log";
    std::string log = ReadWholeFile(path);
    if (log.size() > bytes_max) log = "..." + log.substr(log.size() - bytes_max);
    out += "--- " + path + "\n" + log;
  }
  return out;
}

pb::TxBody NewBody(const std::string& chain_id, const crypto::PrivateKey& signer, uint64_t nonce) {
  pb::TxBody body;
  body.set_chain_id(chain_id);
  body.set_suite(signer.suite());
  body.set_signer(signer.public_key());
  body.set_nonce(nonce);
  body.set_valid_until_height(kValidUntilHeight);
  return body;
}

pb::TxBody RegisterBody(const std::string& chain_id, const crypto::PrivateKey& admin,
                        uint64_t nonce, const std::string& public_key, pb::Role role,
                        const std::string& display_name) {
  pb::TxBody body = NewBody(chain_id, admin, nonce);
  pb::RegisterAccount* action = body.mutable_register_account();
  action->set_public_key(public_key);
  action->add_roles(role);
  action->set_display_name(display_name);
  return body;
}

pb::TxBody SelfRegisterBody(const std::string& chain_id, const crypto::PrivateKey& key,
                            const std::string& display_name) {
  pb::TxBody body = NewBody(chain_id, key, 1);
  pb::SelfRegister* action = body.mutable_self_register();
  action->set_display_name(display_name);
  action->set_party_kind(pb::PARTY_KIND_FIRM);
  action->set_id_number("914403001922038216");
  return body;
}

std::string TxHashHex(const std::string& envelope_bytes) {
  pb::SignedTx envelope;
  bool parsed = envelope.ParseFromString(envelope_bytes);
  assert(parsed);
  (void)parsed;
  pb::TxBody body;
  body.ParseFromString(envelope.body());
  const crypto::Suite* suite = crypto::GetSuite(body.suite());
  assert(suite != nullptr);
  return ToHex(node::TxHash(*suite, envelope));
}

Result<pb::TxStatus> WaitForTx(const NodeApi& client, const std::string& hash_hex,
                               int64_t timeout_ms) {
  int64_t deadline = NowMs() + timeout_ms;
  while (true) {
    int64_t wait_ms = std::max<int64_t>(0, std::min<int64_t>(deadline - NowMs(), 5'000));
    Result<pb::TxStatus> status = GetMessage<pb::TxStatus>(
        client, "/v1/tx/" + hash_hex + "?wait_ms=" + std::to_string(wait_ms));
    if (!status.ok() || status->state() != pb::TxStatus::PENDING || NowMs() >= deadline) {
      return status;
    }
  }
}

SignedReply SignedGet(const std::string& base_url, const std::string& path,
                      const crypto::PrivateKey* signer) {
  httplib::Client http(base_url);
  httplib::Headers headers;
  if (signer != nullptr) {
    size_t question = path.find('?');
    std::string query = question == std::string::npos ? "" : path.substr(question + 1);
    int64_t now = std::chrono::duration_cast<std::chrono::seconds>(
                      std::chrono::system_clock::now().time_since_epoch())
                      .count();
    api::SignatureHeaders h = api::SignRequest(*signer, {"GET", path.substr(0, question), query, ""},
                                               now, api::RandomNonce());
    headers = {{"Content-Digest", h.content_digest},
               {"Signature-Input", h.signature_input},
               {"Signature", h.signature}};
  }
  auto result = http.Get(path, headers);
  if (!result) return SignedReply{};
  return SignedReply{result->status, result->body};
}

SignedReply SignedPut(const std::string& base_url, const std::string& path,
                      const std::string& body, const crypto::PrivateKey* signer) {
  httplib::Client http(base_url);
  httplib::Headers headers;
  if (signer != nullptr) {
    int64_t now = std::chrono::duration_cast<std::chrono::seconds>(
                      std::chrono::system_clock::now().time_since_epoch())
                      .count();
    api::SignatureHeaders h =
        api::SignRequest(*signer, {"PUT", path, "", body}, now, api::RandomNonce());
    headers = {{"Content-Digest", h.content_digest},
               {"Signature-Input", h.signature_input},
               {"Signature", h.signature}};
  }
  auto result = http.Put(path, headers, body, "application/octet-stream");
  if (!result) return SignedReply{};
  return SignedReply{result->status, result->body};
}

Result<pid_t> SpawnOnechain(const std::vector<std::string>& args, const std::string& log_path) {
  int log_fd = open(log_path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
  if (log_fd < 0) return ErrnoStatus("open " + log_path);
  Result<pid_t> pid = Spawn(args, log_fd, log_fd);
  close(log_fd);
  return pid;
}

Result<std::unique_ptr<PrivatePostgres>> PrivatePostgres::Start(std::string_view name) {
  // The server runs as `postgres` when the test runs as root: it needs its own open directory.
  std::string pattern = "/tmp/onechain-" + std::string(name) + "-pg-XXXXXX";
  if (::mkdtemp(pattern.data()) == nullptr) return ErrnoStatus("mkdtemp " + pattern);
  ::chmod(pattern.c_str(), 0755);
  Result<int> port = PickFreePort();
  if (!port.ok()) return port.status();
  std::unique_ptr<PrivatePostgres> pg(new PrivatePostgres(pattern, std::to_string(*port)));
  if (pg->Run("tax_pg.sh", "start", ">/dev/null") != 0) {
    return Status(pb::Status::INTERNAL, "scripts/tax_pg.sh could not start PostgreSQL in " +
                                            pattern + " on port " + pg->port_);
  }
  return pg;
}

PrivatePostgres::~PrivatePostgres() {
  Run("tax_pg.sh", "stop");
  if (std::getenv("ONECHAIN_KEEP_TEST_DIRS") == nullptr) std::filesystem::remove_all(dir_);
}

int PrivatePostgres::Run(const std::string& script, const std::string& verb,
                         const std::string& args) const {
  std::string command = std::string(ONECHAIN_SOURCE_DIR) + "/scripts/" + script + " " + verb +
                        " " + dir_ + "/pg " + port_ + (args.empty() ? "" : " " + args);
  return std::system(command.c_str());
}

}  // namespace onechain::integration
