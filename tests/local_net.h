// A network started by `onechain net up` in a temporary directory (any free loopback ports),
// for the tests of the net commands and the chaos test: its validators' APIs and pids from
// net.json, SIGKILL and restart of one validator (the restarted process is this test's child and
// net.json is updated, so `onechain net down` stops it too), and `net down`.
#pragma once

#include <sys/types.h>

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "test_cluster.h"

namespace onechain::integration {

// True if `pid` runs and is not a zombie.
bool ProcessRuns(pid_t pid);

class LocalNet {
 public:
  // Makes <tmp>/onechain-<name>-<pid>/ (removed again by the destructor unless
  // ONECHAIN_KEEP_TEST_DIRS is set).
  explicit LocalNet(const std::string& name);
  // Stops whatever still runs (SIGKILL) and removes the directory.
  ~LocalNet();
  LocalNet(const LocalNet&) = delete;
  LocalNet& operator=(const LocalNet&) = delete;

  // `onechain net up --dir <dir>/net --api-port 0 --peer-port 0` plus `extra`; loads net.json.
  Result<CommandResult> Up(const std::vector<std::string>& extra = {});
  // `onechain net <command> --dir <dir>/net` plus `extra`.
  Result<CommandResult> Run(const std::string& command, const std::vector<std::string>& extra = {});
  Status Reload();  // reads net.json again

  int size() const { return static_cast<int>(net_["validators"].size()); }
  NodeApi api(int i) const { return NodeApi(net_["validators"][i]["api"].get<std::string>()); }
  pid_t pid(int i) const { return static_cast<pid_t>(net_["validators"][i]["pid"].get<int64_t>()); }
  const std::string& dir() const { return dir_; }
  std::string net_dir() const { return dir_ + "/net"; }
  std::string log_path(int i) const { return net_["validators"][i]["log"].get<std::string>(); }
  // Height of validator i's ledger, 0 if it does not answer.
  uint64_t Height(int i) const;
  const nlohmann::json& net() const { return net_; }

  // SIGKILL validator i and wait until its process is gone.
  void Kill(int i);
  // Starts validator i again with the arguments of net.json and records its new pid there.
  Status Restart(int i);
  std::string LogTail(int i, size_t bytes_max = 3000) const;

 private:
  std::string dir_;
  nlohmann::json net_;
  std::vector<pid_t> children_;  // processes this test spawned (Restart)
};

}  // namespace onechain::integration
