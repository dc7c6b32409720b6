// onechain-sim: replays one seeded simulation run, e.g. the one a failing sim_test names.
//   onechain-sim --seed 17 --scenario twins [--log]
//   onechain-sim --seeds 100 --scenario all        (a sweep; exits 1 on the first failure)
//   onechain-sim --epochs add|remove|rotate|all --seed N [--log]   (validator-set changes)
#include <cstdlib>
#include <iostream>
#include <string>

#include "sim/cluster.h"
#include "sim/epochs.h"

namespace {

int Usage() {
  std::cerr << "usage: onechain-sim --seed N --scenario NAME [--log]\n"
               "       onechain-sim --seeds COUNT --scenario NAME|all\n"
               "scenarios:";
  for (onechain::sim::Scenario s : onechain::sim::AllScenarios()) {
    std::cerr << " " << onechain::sim::ScenarioName(s);
  }
  std::cerr << "\n";
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  using namespace onechain::sim;
  uint64_t seed = 0, seeds = 0;
  std::string scenario_name;
  bool log = false;
  std::string epochs_name;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg == "--log") {
      log = true;
    } else if (i + 1 < argc && arg == "--seed") {
      seed = std::strtoull(argv[++i], nullptr, 10);
    } else if (i + 1 < argc && arg == "--seeds") {
      seeds = std::strtoull(argv[++i], nullptr, 10);
    } else if (i + 1 < argc && arg == "--epochs") {
      epochs_name = argv[++i];
    } else if (i + 1 < argc && arg == "--scenario") {
      scenario_name = argv[++i];
    } else {
      return Usage();
    }
  }
  if (!epochs_name.empty()) {
    std::vector<EpochScenario> list;
    if (epochs_name == "all-scenarios") list = AllEpochScenarios();
    if (auto s = EpochScenarioByName(epochs_name)) list.push_back(*s);
    if (list.empty()) return Usage();
    const uint64_t from = seeds == 0 ? seed : 0;
    const uint64_t to = seeds == 0 ? seed + 1 : seeds;
    for (EpochScenario scenario : list) {
      for (uint64_t s = from; s < to; ++s) {
        EpochReport report = RunEpochSeed(s, scenario, log);
        std::cout << "epochs " << EpochScenarioName(scenario) << " seed " << s << ": "
                  << report.Summary() << "\n";
        if (!report.ok) return 1;
      }
    }
    return 0;
  }
  std::vector<Scenario> scenarios;
  if (scenario_name == "all") {
    scenarios = AllScenarios();
  } else if (auto s = ScenarioByName(scenario_name)) {
    scenarios.push_back(*s);
  } else {
    return Usage();
  }
  const uint64_t first = seeds == 0 ? seed : 0;
  const uint64_t last = seeds == 0 ? seed + 1 : seeds;
  for (Scenario scenario : scenarios) {
    for (uint64_t s = first; s < last; ++s) {
      RunReport report = RunSeed(s, scenario, log);
      std::cout << ScenarioName(scenario) << " seed " << s << ": " << report.Summary() << "\n";
      if (!report.ok) {
        std::cout << "replay: " << ReplayCommand(s, scenario) << "\n";
        return 1;
      }
    }
  }
  return 0;
}
