// The epoch simulator (docs/consensus.md §14): validators running one consensus::StateMachine per
// epoch, a toy governance that changes the validator set by a committed transaction, the switch
// to the next epoch on top of the block that applied it, network faults and crashes, a validator
// that joins from the epoch-change chain, and the checkers. A (seed, scenario) pair reproduces a
// whole run.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace onechain::sim {

enum class EpochScenario {
  kAdd,     // 4 validators; a 5th joins from the epoch-change chain and takes part
  kRemove,  // 5 validators; one is removed and stops at the boundary
  kRotate,  // 4 validators; one rotates its key; its old key's votes are refused afterwards
  kAll,     // 4 validators: add a 5th, rotate a key, remove one
};

std::vector<EpochScenario> AllEpochScenarios();
const char* EpochScenarioName(EpochScenario scenario);
std::optional<EpochScenario> EpochScenarioByName(std::string_view name);

struct EpochReport {
  bool ok = true;
  std::string failure;
  uint64_t changes = 0;               // set changes the scenario makes
  std::vector<uint64_t> boundaries;   // last height of each finished epoch, agreed by all
  uint64_t max_height = 0;            // highest height a replica committed
  uint64_t commits_checked = 0;
  uint64_t abandoned_commits = 0;     // old-epoch commits above the epoch's last block, ignored
  uint64_t joined_from_chain = 0;     // replicas that started an epoch from a verified chain
  uint64_t old_key_votes_refused = 0; // votes signed by a rotated-out key, refused
  uint64_t forged_chains_refused = 0; // forged epoch chains a joining replica refused
  uint64_t restarts = 0;
  uint64_t messages = 0;
  std::string Summary() const;
};

EpochReport RunEpochSeed(uint64_t seed, EpochScenario scenario, bool log = false);

}  // namespace onechain::sim
