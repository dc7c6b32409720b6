#include "local_net.h"

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

namespace onechain::integration {

namespace {
int64_t NowMs() {
  using namespace std::chrono;
  return duration_cast<milliseconds>(steady_clock::now().time_since_epoch()).count();
}
}  // namespace

bool ProcessRuns(pid_t pid) {
  if (pid <= 0) return false;
  std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
  std::string line;
  if (!std::getline(stat, line)) return false;
  size_t paren = line.rfind(')');
  return paren != std::string::npos && paren + 2 < line.size() && line[paren + 2] != 'Z' &&
         line[paren + 2] != 'X';
}

LocalNet::LocalNet(const std::string& name) {
  dir_ = (std::filesystem::temp_directory_path() /
          ("onechain-" + name + "-" + std::to_string(getpid())))
             .string();
  std::error_code ec;
  std::filesystem::remove_all(dir_, ec);
  std::filesystem::create_directories(dir_, ec);
}

LocalNet::~LocalNet() {
  if (net_.contains("validators")) {
    for (int i = 0; i < size(); ++i) {
      // Only a process that still runs `onechain node` on this network's data directory.
      std::ifstream cmdline("/proc/" + std::to_string(pid(i)) + "/cmdline");
      std::stringstream text;
      text << cmdline.rdbuf();
      if (ProcessRuns(pid(i)) &&
          text.str().find(net_["validators"][i]["dataDir"].get<std::string>()) !=
              std::string::npos) {
        kill(pid(i), SIGKILL);
      }
    }
  }
  for (pid_t child : children_) waitpid(child, nullptr, WNOHANG);
  if (std::getenv("ONECHAIN_KEEP_TEST_DIRS") == nullptr) {
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
  }
}

Result<CommandResult> LocalNet::Run(const std::string& command,
                                    const std::vector<std::string>& extra) {
  std::vector<std::string> args = {"net", command, "--dir", net_dir()};
  args.insert(args.end(), extra.begin(), extra.end());
  return RunOnechain(args, dir_);
}

Result<CommandResult> LocalNet::Up(const std::vector<std::string>& extra) {
  std::vector<std::string> args = {"--api-port", "0", "--peer-port", "0"};
  args.insert(args.end(), extra.begin(), extra.end());
  Result<CommandResult> result = Run("up", args);
  if (result.ok() && result->exit_code == 0) {
    if (Status st = Reload(); !st.ok()) return st;
  }
  return result;
}

Status LocalNet::Reload() {
  std::ifstream in(net_dir() + "/net.json");
  std::stringstream text;
  text << in.rdbuf();
  nlohmann::json parsed = nlohmann::json::parse(text.str(), nullptr, false);
  if (parsed.is_discarded()) return Status(pb::Status::MALFORMED, "net.json does not parse");
  net_ = std::move(parsed);
  return Status::Ok();
}

uint64_t LocalNet::Height(int i) const {
  Result<pb::Health> health = GetMessage<pb::Health>(api(i), "/v1/health");
  return health.ok() ? health->height() : 0;
}

void LocalNet::Kill(int i) {
  pid_t p = pid(i);
  kill(p, SIGKILL);
  // Our child (a restarted one) is reaped here; one started by net up is reaped by init.
  waitpid(p, nullptr, 0);
  int64_t deadline = NowMs() + 10'000;
  while (ProcessRuns(p) && NowMs() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
}

Status LocalNet::Restart(int i) {
  nlohmann::json& v = net_["validators"][i];
  Result<pid_t> started =
      SpawnOnechain(v["args"].get<std::vector<std::string>>(), v["log"].get<std::string>());
  if (!started.ok()) return started.status();
  children_.push_back(*started);
  v["pid"] = *started;
  std::ofstream(net_dir() + "/net.json") << net_.dump(2) << "\n";
  int64_t deadline = NowMs() + kNodeStartTimeoutMs;
  while (NowMs() < deadline) {
    Result<pb::Health> health = GetMessage<pb::Health>(api(i), "/v1/health");
    if (health.ok() && health->status() == "ok") return Status::Ok();
    if (waitpid(*started, nullptr, WNOHANG) == *started) {
      return Status(pb::Status::UNAVAILABLE, "validator " + std::to_string(i) +
                                                 " exited on restart: " + LogTail(i));
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return Status(pb::Status::UNAVAILABLE, "validator " + std::to_string(i) + " did not answer");
}

std::string LocalNet::LogTail(int i, size_t bytes_max) const {
  std::ifstream in(log_path(i));
  std::stringstream text;
  text << in.rdbuf();
  std::string s = text.str();
  return s.size() > bytes_max ? s.substr(s.size() - bytes_max) : s;
}

}  // namespace onechain::integration
