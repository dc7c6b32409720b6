// The deterministic cluster simulator: n validators running consensus::StateMachine in one
// thread, a virtual clock, a virtual network with faults, crash/restart from durable state
// only, one Byzantine validator, and the checkers (docs/consensus.md, src/sim/README.md).
// A (seed, scenario) pair reproduces a whole run.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "consensus/state_machine.h"

namespace onechain::sim {

enum class Scenario {
  kLossy,          // loss, delay, reordering, duplication
  kPartition,      // partitions and heals
  kCrash,          // crash and restart from durable state, also in the middle of a step
  kEquivocation,   // Byzantine leader proposes two blocks, votes twice, proposes invalid payloads
  kTwins,          // two replicas share one validator key
  kInvalidCerts,   // Byzantine sends QCs/TCs with bad, duplicate, missing or foreign signatures
  kGarbage,        // Byzantine sends malformed and oversized messages
  kMixed,          // network faults, crashes and a random Byzantine behaviour together
};

std::vector<Scenario> AllScenarios();
const char* ScenarioName(Scenario scenario);
std::optional<Scenario> ScenarioByName(std::string_view name);
// The command that replays one run, printed by a failing test.
std::string ReplayCommand(uint64_t seed, Scenario scenario);

struct RunReport {
  bool ok = true;
  std::string failure;          // which checker failed and how
  size_t validators = 0;
  int64_t heal_ms = 0;          // virtual time the last fault healed
  int64_t recovered_ms = 0;     // every honest replica committed past the heal-time head
  int64_t end_ms = 0;
  uint64_t max_height = 0;      // highest height an honest replica committed
  uint64_t commits_checked = 0; // CommitBlock actions verified by the checkers
  uint64_t messages = 0;        // messages the network delivered
  uint64_t restarts = 0;        // replicas restarted from durable state
  consensus::DropCounts drops;  // summed over honest replicas
  std::string Summary() const;
};

// Runs one seeded scenario to its end; `log` prints the main events to stderr.
RunReport RunSeed(uint64_t seed, Scenario scenario, bool log = false);

// The simulator's deterministic Ed25519 key number `index` (validators, and keys rotated in).
std::unique_ptr<crypto::PrivateKey> SimValidatorKey(uint32_t index);

}  // namespace onechain::sim
