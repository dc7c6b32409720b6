// `onechain net up|status|down`: a local BFT network of 4 to 7 validators on loopback, one
// detached `onechain node` process each (its own data directory, API port and TLS peer link),
// described by DIR/net.json. Exit codes: 0 done, 1 the command failed (error: CODE: message),
// 2 usage error.
#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <iomanip>
#include <iostream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <thread>

#include "api.pb.h"
#include "cli/client.h"
#include "cli/commands.h"
#include "node/genesis.h"

namespace onechain::cli {

namespace {

namespace fs = std::filesystem;

constexpr int kExitUsage = 2;
constexpr int kValidatorsMin = 4;
constexpr int kValidatorsMax = 7;
constexpr size_t kNetJsonBytesMax = 1 << 20;

struct UsageError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

struct NetOptions {
  std::string dir = "data/net";
  int validators = 4;
  std::string suite = "intl", chain_id = "onechain-local", web_dir, log_level = "info";
  int api_port = 8080;
  int peer_port = 26600;
  uint64_t day_ms = 0;
  int64_t timeout_ms = 60'000;
  bool json = false;
};

int64_t NowMs() {
  using namespace std::chrono;
  return duration_cast<milliseconds>(steady_clock::now().time_since_epoch()).count();
}

void SleepMs(int64_t ms) { std::this_thread::sleep_for(std::chrono::milliseconds(ms)); }

[[noreturn]] void Fail(pb::Status::Code code, const std::string& message) {
  throw CommandError(Status(code, message));
}

std::string SelfExe() {
  std::error_code ec;
  fs::path exe = fs::read_symlink("/proc/self/exe", ec);
  if (ec) Fail(pb::Status::INTERNAL, "cannot find the onechain binary: " + ec.message());
  return exe.string();
}

std::string NetJsonPath(const std::string& dir) { return (fs::path(dir) / "net.json").string(); }

std::optional<nlohmann::json> ReadNetJson(const std::string& dir) {
  std::string path = NetJsonPath(dir);
  std::error_code ec;
  if (!fs::exists(path, ec)) return std::nullopt;
  std::string text = Take(node::ReadFile(path, kNetJsonBytesMax));
  nlohmann::json parsed = nlohmann::json::parse(text, nullptr, false);
  if (parsed.is_discarded() || !parsed.contains("validators") ||
      !parsed["validators"].is_array()) {
    Fail(pb::Status::MALFORMED, path + " is not a network description of `onechain net up`");
  }
  return parsed;
}

void WriteNetJson(const std::string& dir, const nlohmann::json& net) {
  Check(node::WriteFile(NetJsonPath(dir), net.dump(2) + "\n"));
}

// True if `pid` runs (not a zombie) and is the `onechain node` of `data_dir`: a pid the kernel
// gave to another process since is not ours to signal.
bool NodeAlive(int64_t pid, const std::string& data_dir) {
  if (pid <= 0) return false;
  std::string proc = "/proc/" + std::to_string(pid);
  std::ifstream stat(proc + "/stat");
  std::string line;
  if (!std::getline(stat, line)) return false;
  size_t paren = line.rfind(')');
  if (paren == std::string::npos || paren + 2 >= line.size()) return false;
  char state = line[paren + 2];
  if (state == 'Z' || state == 'X') return false;
  std::ifstream cmdline_file(proc + "/cmdline");
  std::stringstream cmdline;
  cmdline << cmdline_file.rdbuf();
  std::vector<std::string> args;
  std::string arg;
  while (std::getline(cmdline, arg, '\0')) args.push_back(arg);
  bool is_node = false, has_dir = false;
  for (size_t i = 0; i < args.size(); ++i) {
    is_node |= args[i] == "node";
    has_dir |= args[i] == "--data-dir" && i + 1 < args.size() && args[i + 1] == data_dir;
  }
  return is_node && has_dir;
}

bool NodeAlive(const nlohmann::json& v) {
  return NodeAlive(v.value("pid", int64_t{0}), v.value("dataDir", std::string()));
}

// True if nothing listens on 127.0.0.1:`port` and we may bind it.
bool PortFree(int port) {
  int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return false;
  int one = 1;
  ::setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = htons(static_cast<uint16_t>(port));
  bool ok = ::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0;
  ::close(fd);
  return ok;
}

// A loopback port the kernel picks as free now, not one of `taken`.
int PickPort(const std::vector<int>& taken) {
  for (int attempt = 0; attempt < 100; ++attempt) {
    int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0) break;
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof addr;
    int port = 0;
    if (::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0 &&
        ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) == 0) {
      port = ntohs(addr.sin_port);
    }
    ::close(fd);
    if (port > 0 && std::find(taken.begin(), taken.end(), port) == taken.end()) return port;
  }
  Fail(pb::Status::UNAVAILABLE, "cannot find a free loopback port");
}

int PortOf(const std::string& address) {
  size_t colon = address.rfind(':');
  return colon == std::string::npos ? 0 : std::atoi(address.c_str() + colon + 1);
}

// Runs `onechain args...` in the foreground; its output goes to ours.
void RunSelf(const std::vector<std::string>& args) {
  std::string exe = SelfExe();
  std::vector<char*> argv{exe.data()};
  std::vector<std::string> copy = args;
  for (std::string& a : copy) argv.push_back(a.data());
  argv.push_back(nullptr);
  pid_t pid = ::fork();
  if (pid < 0) Fail(pb::Status::INTERNAL, std::string("fork: ") + std::strerror(errno));
  if (pid == 0) {
    int null_fd = ::open("/dev/null", O_WRONLY);
    if (null_fd >= 0) ::dup2(null_fd, 1);  // genesis new's summary; net up prints its own
    ::execv(exe.c_str(), argv.data());
    ::_exit(127);
  }
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    Fail(pb::Status::INTERNAL, "onechain " + args[0] + " " + args[1] + " failed");
  }
}

// Starts `onechain args...` in a session of its own (it outlives this command), stdin from
// /dev/null, stdout and stderr appended to `log`.
pid_t SpawnDetached(const std::vector<std::string>& args, const std::string& log) {
  std::string exe = SelfExe();
  std::vector<std::string> copy = args;
  std::vector<char*> argv{exe.data()};
  for (std::string& a : copy) argv.push_back(a.data());
  argv.push_back(nullptr);
  pid_t pid = ::fork();
  if (pid < 0) Fail(pb::Status::INTERNAL, std::string("fork: ") + std::strerror(errno));
  if (pid == 0) {
    ::setsid();
    int in = ::open("/dev/null", O_RDONLY);
    int out = ::open(log.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
    if (in < 0 || out < 0) ::_exit(126);
    ::dup2(in, 0);
    ::dup2(out, 1);
    ::dup2(out, 2);
    for (int fd = 3; fd < 1024; ++fd) ::close(fd);
    ::signal(SIGINT, SIG_DFL);
    ::signal(SIGTERM, SIG_DFL);
    ::signal(SIGPIPE, SIG_DFL);  // an ignored signal would stay ignored across exec
    ::execv(exe.c_str(), argv.data());
    ::_exit(127);
  }
  return pid;
}

std::string LogTail(const std::string& path, size_t bytes_max = 2000) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  std::string s = text.str();
  return s.size() > bytes_max ? s.substr(s.size() - bytes_max) : s;
}

struct StopReport {
  int index;
  std::string how;  // "stopped", "killed", "not running"
};

// SIGTERM to every live validator, SIGKILL to those still running after `timeout_ms`.
std::vector<StopReport> StopAll(nlohmann::json& net, int64_t timeout_ms) {
  std::vector<StopReport> reports;
  std::vector<size_t> signalled;
  for (size_t i = 0; i < net["validators"].size(); ++i) {
    nlohmann::json& v = net["validators"][i];
    if (!NodeAlive(v)) {
      reports.push_back({static_cast<int>(i), "not running"});
      continue;
    }
    ::kill(static_cast<pid_t>(v["pid"].get<int64_t>()), SIGTERM);
    reports.push_back({static_cast<int>(i), "stopped"});
    signalled.push_back(i);
  }
  int64_t deadline = NowMs() + timeout_ms;
  auto reap = [&] {
    // Children of this very process (a failed net up) must be reaped to stop being alive.
    while (::waitpid(-1, nullptr, WNOHANG) > 0) {
    }
  };
  while (NowMs() < deadline) {
    reap();
    bool any = false;
    for (size_t i : signalled) any |= NodeAlive(net["validators"][i]);
    if (!any) break;
    SleepMs(50);
  }
  for (size_t i : signalled) {
    nlohmann::json& v = net["validators"][i];
    if (NodeAlive(v)) {
      ::kill(static_cast<pid_t>(v["pid"].get<int64_t>()), SIGKILL);
      reports[i].how = "killed (SIGKILL after " + std::to_string(timeout_ms) + " ms)";
    }
  }
  for (int k = 0; k < 100; ++k) {
    reap();
    bool any = false;
    for (size_t i : signalled) any |= NodeAlive(net["validators"][i]);
    if (!any) break;
    SleepMs(50);
  }
  for (nlohmann::json& v : net["validators"]) v["pid"] = 0;
  return reports;
}

// What one validator reports over its API; `ok` false if it did not answer.
struct Probe {
  bool ok = false;
  pb::Health health;
  pb::ConsensusInfo consensus;
};

Probe ProbeNode(const std::string& api) {
  Probe probe;
  ApiClient client(api);
  Result<std::string> health = client.GetJson("/v1/health");
  if (!health.ok()) return probe;
  Result<std::string> consensus = client.GetJson("/v1/consensus");
  if (!consensus.ok()) return probe;
  google::protobuf::util::JsonParseOptions options;
  options.ignore_unknown_fields = true;
  probe.ok = google::protobuf::util::JsonStringToMessage(*health, &probe.health, options).ok() &&
             google::protobuf::util::JsonStringToMessage(*consensus, &probe.consensus, options)
                 .ok() &&
             probe.health.status() == "ok";
  return probe;
}

void RunUp(const NetOptions& o, bool validators_given, bool api_port_given) {
  if (o.validators < kValidatorsMin || o.validators > kValidatorsMax) {
    throw UsageError("-n must be 4 to 7 (a BFT network of n = 3f+1 validators needs at least 4), "
                     "not " + std::to_string(o.validators));
  }
  if (o.api_port < 0 || o.api_port + kValidatorsMax > 65535 || o.peer_port < 0 ||
      o.peer_port + kValidatorsMax > 65535) {
    throw UsageError("--api-port and --peer-port must be 0 (any free port) or 1 to 65528");
  }
  if (o.suite != "intl" && o.suite != "sm") throw UsageError("--suite must be intl or sm");
  std::error_code ec;
  fs::create_directories(o.dir, ec);
  if (ec) Fail(pb::Status::IO, "cannot create " + o.dir + ": " + ec.message());
  const std::string dir = fs::canonical(o.dir).string();
  std::optional<nlohmann::json> previous = ReadNetJson(dir);
  if (previous) {
    std::vector<std::string> live;
    for (const nlohmann::json& v : (*previous)["validators"]) {
      if (NodeAlive(v)) live.push_back(std::to_string(v["pid"].get<int64_t>()));
    }
    if (!live.empty()) {
      std::string pids;
      for (const std::string& p : live) pids += (pids.empty() ? "" : ", ") + p;
      Fail(pb::Status::FAILED_PRECONDITION, "the network in " + dir + " is running (pids " + pids +
                                                "); stop it first with onechain net down --dir " +
                                                o.dir);
    }
  }

  // The genesis: made once, then reused with its keys and data.
  const std::string genesis_path = dir + "/genesis.json";
  if (!fs::exists(genesis_path)) {
    std::vector<std::string> args = {"genesis",   "new",
                                     "--out",     dir,
                                     "--chain-id", o.chain_id,
                                     "--suite",   o.suite,
                                     "--validators", std::to_string(o.validators),
                                     "--base-port", std::to_string(o.peer_port == 0 ? 26600
                                                                                    : o.peer_port),
                                     "--day-ms",  std::to_string(o.day_ms)};
    RunSelf(args);
    if (o.peer_port == 0) {
      pb::Genesis genesis = Take(node::LoadGenesisFile(genesis_path));
      std::vector<int> taken;
      for (pb::GenesisValidator& v : *genesis.mutable_validators()) {
        taken.push_back(PickPort(taken));
        v.set_address("127.0.0.1:" + std::to_string(taken.back()));
      }
      Check(node::WriteFile(genesis_path, node::GenesisJson(genesis)));
    }
  }
  pb::Genesis genesis = Take(node::LoadGenesisFile(genesis_path));
  const int n = genesis.validators_size();
  if (validators_given && n != o.validators) {
    throw UsageError(dir + " holds a network of " + std::to_string(n) + " validators, not " +
                     std::to_string(o.validators));
  }
  if (n < kValidatorsMin) {
    Fail(pb::Status::FAILED_PRECONDITION,
         genesis_path + " names " + std::to_string(n) + " validators; net up needs 4 to 7");
  }

  // API ports: as last time unless --api-port says otherwise.
  std::vector<int> api_ports;
  std::vector<int> taken;
  for (const pb::GenesisValidator& v : genesis.validators()) taken.push_back(PortOf(v.address()));
  for (int i = 0; i < n; ++i) {
    int port = 0;
    if (previous && !api_port_given && i < static_cast<int>((*previous)["validators"].size())) {
      port = (*previous)["validators"][i].value("apiPort", 0);
    }
    if (port == 0) port = o.api_port == 0 ? PickPort(taken) : o.api_port + i;
    taken.push_back(port);
    api_ports.push_back(port);
  }
  for (int i = 0; i < n; ++i) {
    int peer = PortOf(genesis.validators(i).address());
    for (int port : {api_ports[i], peer}) {
      if (!PortFree(port)) {
        Fail(pb::Status::UNAVAILABLE,
             "port " + std::to_string(port) + " on 127.0.0.1 is in use (validator " +
                 std::to_string(i) + "); free it or choose other ports with --api-port");
      }
    }
  }

  nlohmann::json net = {{"dir", dir},
                        {"genesis", genesis_path},
                        {"chainId", genesis.chain_id()},
                        {"suite", genesis.suite() == pb::SUITE_SM ? "sm" : "intl"},
                        {"binary", SelfExe()},
                        {"validators", nlohmann::json::array()}};
  nlohmann::json admin_keys = nlohmann::json::object();
  for (const pb::GenesisOrg& org : genesis.orgs()) {
    admin_keys[org.id()] = dir + "/keys/" + org.id() + "-admin.pem";
  }
  net["adminKeys"] = admin_keys;
  for (int i = 0; i < n; ++i) {
    std::string index = std::to_string(i);
    std::string data_dir = dir + "/node-" + index;
    std::string log = dir + "/node-" + index + ".log";
    std::vector<std::string> args = {"node",       "--genesis",  genesis_path,
                                     "--key",      dir + "/keys/validator-" + index + ".pem",
                                     "--data-dir", data_dir,
                                     "--listen",   "127.0.0.1:" + std::to_string(api_ports[i]),
                                     "--log-level", o.log_level};
    if (!o.web_dir.empty()) {
      args.push_back("--web-dir");
      args.push_back(fs::absolute(o.web_dir).string());
    }
    net["validators"].push_back({{"index", i},
                                 {"org", genesis.validators(i).org_id()},
                                 {"pid", 0},
                                 {"api", "http://127.0.0.1:" + std::to_string(api_ports[i])},
                                 {"apiPort", api_ports[i]},
                                 {"peerAddress", genesis.validators(i).address()},
                                 {"key", dir + "/keys/validator-" + index + ".pem"},
                                 {"dataDir", data_dir},
                                 {"log", log},
                                 {"args", args}});
  }
  for (nlohmann::json& v : net["validators"]) {
    v["pid"] = SpawnDetached(v["args"].get<std::vector<std::string>>(), v["log"]);
  }
  WriteNetJson(dir, net);

  // Healthy, linked, and a first block committed everywhere.
  int64_t deadline = NowMs() + o.timeout_ms;
  std::string problem = "did not answer";
  int failed = -1;
  while (true) {
    bool all = true;
    for (int i = 0; i < n && failed < 0; ++i) {
      nlohmann::json& v = net["validators"][i];
      pid_t pid = static_cast<pid_t>(v["pid"].get<int64_t>());
      int status = 0;
      if (::waitpid(pid, &status, WNOHANG) == pid) {
        failed = i;
        problem = WIFEXITED(status) ? "exited with status " + std::to_string(WEXITSTATUS(status))
                                    : "died of signal " + std::to_string(WTERMSIG(status));
        break;
      }
      Probe probe = ProbeNode(v["api"]);
      if (!probe.ok) {
        all = false;
        problem = "validator " + std::to_string(i) + " did not answer on " +
                  v["api"].get<std::string>();
        continue;
      }
      bool linked = true;
      for (const pb::ConsensusValidator& peer : probe.consensus.validators()) {
        linked &= peer.connected();
      }
      if (!linked || probe.health.height() < 1) {
        all = false;
        problem = "validator " + std::to_string(i) + (linked ? " committed no block" :
                                                               " has peer links down");
      }
    }
    if (failed >= 0 || all) break;
    if (NowMs() > deadline) break;
    SleepMs(100);
  }
  bool ok = failed < 0 && NowMs() <= deadline;
  if (!ok) {
    std::string log = net["validators"][failed < 0 ? 0 : failed]["log"];
    std::string message = failed >= 0 ? "validator " + std::to_string(failed) + " " + problem
                                      : problem + " within " + std::to_string(o.timeout_ms) + " ms";
    StopAll(net, 5000);
    WriteNetJson(dir, net);
    std::cerr << "--- " << log << " (tail)\n" << LogTail(log) << "\n---\n";
    Fail(pb::Status::UNAVAILABLE, "the network did not come up: " + message +
                                      "; every validator was stopped");
  }
  if (o.json) {
    std::cout << net.dump() << "\n";
    return;
  }
  std::cout << n << " validators of chain '" << genesis.chain_id() << "' are up in " << dir
            << "\n";
  for (const nlohmann::json& v : net["validators"]) {
    std::cout << "  validator " << v["index"].get<int>() << "  " << std::left << std::setw(12)
              << v["org"].get<std::string>() << "  pid " << v["pid"].get<int64_t>() << "  API " << v["api"].get<std::string>()
              << "  peer " << v["peerAddress"].get<std::string>() << "\n";
  }
  std::cout << "Logs: " << dir << "/node-*.log. Stop with: onechain net down --dir " << o.dir
            << "\n";
}

nlohmann::json LoadNet(const std::string& dir) {
  std::optional<nlohmann::json> net = ReadNetJson(dir);
  if (!net) {
    Fail(pb::Status::NOT_FOUND,
         "no network in " + dir + " (no net.json); start one with onechain net up --dir " + dir);
  }
  return *net;
}

void RunStatus(const NetOptions& o) {
  nlohmann::json net = LoadNet(o.dir);
  nlohmann::json out = {{"dir", net["dir"]}, {"chainId", net["chainId"]},
                        {"validators", nlohmann::json::array()}};
  for (const nlohmann::json& v : net["validators"]) {
    nlohmann::json row = {{"index", v["index"]}, {"org", v["org"]},
                          {"pid", v["pid"]},     {"alive", NodeAlive(v)},
                          {"api", v["api"]},     {"answering", false}};
    if (row["alive"].get<bool>()) {
      Probe probe = ProbeNode(v["api"]);
      if (probe.ok) {
        row["answering"] = true;
        row["height"] = probe.health.height();
        row["round"] = probe.consensus.round();
        row["leader"] = probe.consensus.leader();
        row["halted"] = probe.consensus.halted();
        nlohmann::json links = nlohmann::json::array();
        int up = 0;
        for (const pb::ConsensusValidator& peer : probe.consensus.validators()) {
          if (peer.self()) continue;
          links.push_back({{"index", peer.index()}, {"connected", peer.connected()}});
          up += peer.connected() ? 1 : 0;
        }
        row["links"] = links;
        row["linksUp"] = up;
      }
    }
    out["validators"].push_back(row);
  }
  if (o.json) {
    std::cout << out.dump() << "\n";
    return;
  }
  std::cout << "network " << out["chainId"].get<std::string>() << " in "
            << out["dir"].get<std::string>() << "\n";
  for (const nlohmann::json& row : out["validators"]) {
    std::cout << "  validator " << row["index"].get<int>() << "  " << std::left << std::setw(12)
              << row["org"].get<std::string>() << "  pid " << row["pid"].get<int64_t>()
              << (row["alive"].get<bool>() ? " alive" : " down") << "  "
              << row["api"].get<std::string>();
    if (row["answering"].get<bool>()) {
      std::cout << "  height " << row["height"].get<uint64_t>() << "  round "
                << row["round"].get<uint64_t>() << "  leader " << row["leader"].get<uint32_t>()
                << "  links " << row["linksUp"].get<int>() << "/" << row["links"].size() << " [";
      bool first = true;
      for (const nlohmann::json& link : row["links"]) {
        std::cout << (first ? "" : " ") << link["index"].get<uint32_t>()
                  << (link["connected"].get<bool>() ? ":up" : ":down");
        first = false;
      }
      std::cout << "]" << (row["halted"].get<bool>() ? "  HALTED" : "");
    } else if (row["alive"].get<bool>()) {
      std::cout << "  not answering";
    }
    std::cout << "\n";
  }
}

void RunDown(const NetOptions& o) {
  nlohmann::json net = LoadNet(o.dir);
  std::vector<StopReport> reports = StopAll(net, o.timeout_ms);
  WriteNetJson(net["dir"], net);
  if (o.json) {
    nlohmann::json out = nlohmann::json::array();
    for (const StopReport& r : reports) out.push_back({{"index", r.index}, {"result", r.how}});
    std::cout << nlohmann::json{{"validators", out}}.dump() << "\n";
    return;
  }
  for (const StopReport& r : reports) {
    std::cout << "  validator " << r.index << "  " << std::left << std::setw(12)
              << net["validators"][r.index]["org"].get<std::string>() << "  " << r.how << "\n";
  }
  std::cout << "the network in " << net["dir"].get<std::string>() << " is down\n";
}

// Parses and runs `args` (what followed `onechain net`); exits 2 on a usage error.
void RunNet(std::vector<std::string> args) {
  CLI::App app("A local validator network on loopback: exit 0 done, 1 failed, 2 usage error",
               "onechain net");
  app.require_subcommand(1);
  NetOptions o;
  auto* up = app.add_subcommand(
      "up", "Create (or reuse) a network of n validators in --dir and start one detached node "
            "process each; returns once all answer and a first block is committed");
  up->add_option("-n,--validators", o.validators, "number of validators, 4 to 7 (default 4)");
  up->add_option("--suite", o.suite, "intl (Ed25519, SHA-256) or sm (SM2, SM3), for a new network");
  up->add_option("--chain-id", o.chain_id, "chain id of a new network");
  up->add_option("--api-port", o.api_port,
                 "validator i serves its API on this port + i (default 8080; 0: any free ports)");
  up->add_option("--peer-port", o.peer_port,
                 "validator i's peer link listens on this port + i, for a new network (default "
                 "26600; 0: any free ports)");
  up->add_option("--day-ms", o.day_ms,
                 "length of a statutory day in ms of block time, for a new demo network (0: a "
                 "real day)");
  up->add_option("--web-dir", o.web_dir, "every node serves the web console from this directory");
  up->add_option("--log-level", o.log_level, "the nodes' log level (default info)");
  up->add_option("--timeout-ms", o.timeout_ms, "how long to wait for the network (default 60000)");
  auto* status = app.add_subcommand(
      "status", "Each validator: organization, process, API, height, round, leader, peer links");
  auto* down = app.add_subcommand(
      "down", "Stop every validator: SIGTERM, then SIGKILL after --timeout-ms");
  down->add_option("--timeout-ms", o.timeout_ms, "how long to wait after SIGTERM (default 15000)");
  for (CLI::App* command : {up, status, down}) {
    command->add_option("--dir", o.dir, "the network's directory (default data/net)");
    command->add_flag("--json", o.json, "print JSON");
  }
  try {
    std::reverse(args.begin(), args.end());  // CLI11 takes a vector in reverse order
    app.parse(args);
    if (up->parsed()) {
      RunUp(o, up->count("-n") > 0, up->count("--api-port") > 0);
    } else if (status->parsed()) {
      RunStatus(o);
    } else {
      if (down->count("--timeout-ms") == 0) o.timeout_ms = 15'000;
      RunDown(o);
    }
  } catch (const CLI::CallForHelp&) {
    std::cout << (app.get_subcommands().empty() ? app.help() : app.get_subcommands()[0]->help());
    std::exit(0);
  } catch (const CLI::ParseError& e) {
    std::cerr << "usage error: " << e.what() << "\nsee: onechain net --help\n";
    std::exit(kExitUsage);
  } catch (const UsageError& e) {
    std::cerr << "usage error: " << e.what() << "\nsee: onechain net --help\n";
    std::exit(kExitUsage);
  }
}

}  // namespace

void AddNetCommands(CLI::App& app) {
  auto* net = app.add_subcommand(
      "net", "a local validator network: net up|status|down (onechain net --help)");
  // Everything after `net` is parsed by RunNet, so that usage errors exit with 2.
  net->prefix_command();
  net->allow_extras();
  net->set_help_flag();
  net->callback([net] { RunNet(net->remaining()); });
}

}  // namespace onechain::cli
