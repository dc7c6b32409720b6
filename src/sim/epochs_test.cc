// Proves validator-set changes across epochs under simulation (docs/consensus.md §14): for every
// scenario (add, remove, rotate, all three) and many seeds with message loss, delays and crashes,
// every replica ends each epoch at the same block, commits agree at every height and carry QCs
// that verify under their epoch's set, every change takes effect, and the final set (including a
// validator that joined from the epoch-change chain) commits in the last epoch. Also: votes
// signed by a rotated-out key are refused, and forged epoch chains are refused.
//
// ONECHAIN_SIM_EPOCH_SEEDS=N sets the seeds per scenario; a failing seed prints its replay command.
#include <gtest/gtest.h>

#include <cstdlib>
#include <string>

#include "sim/epochs.h"

namespace onechain::sim {
namespace {

uint64_t Seeds() {
  const char* value = std::getenv("ONECHAIN_SIM_EPOCH_SEEDS");
  return value != nullptr && *value != '\0' ? std::strtoull(value, nullptr, 10)
                                            : ONECHAIN_SIM_EPOCH_SEEDS_DEFAULT;
}

class EpochSimTest : public testing::TestWithParam<EpochScenario> {};

TEST_P(EpochSimTest, SetChangesTakeEffectSafelyAcrossSeeds) {
  const EpochScenario scenario = GetParam();
  const uint64_t seeds = Seeds();
  EpochReport total;
  uint64_t failures = 0;
  for (uint64_t seed = 0; seed < seeds; ++seed) {
    EpochReport report = RunEpochSeed(seed, scenario);
    if (!report.ok) {
      ADD_FAILURE() << EpochScenarioName(scenario) << " seed " << seed << ": " << report.Summary()
                    << "\n  replay: build/src/sim/onechain-sim --epochs "
                    << EpochScenarioName(scenario) << " --seed " << seed << " --log";
      if (++failures >= 5) break;
      continue;
    }
    EXPECT_EQ(report.boundaries.size(), report.changes);
    total.commits_checked += report.commits_checked;
    total.joined_from_chain += report.joined_from_chain;
    total.old_key_votes_refused += report.old_key_votes_refused;
    total.forged_chains_refused += report.forged_chains_refused;
    total.restarts += report.restarts;
    total.abandoned_commits += report.abandoned_commits;
  }
  EXPECT_GT(total.commits_checked, seeds * 20);
  if (seeds >= 6) {
    EXPECT_GT(total.restarts, 0u);  // 0 to 2 crashes a run
  }
  if (scenario == EpochScenario::kAdd || scenario == EpochScenario::kAll) {
    EXPECT_GE(total.joined_from_chain, seeds);  // the new validator joined in every run
    EXPECT_GE(total.forged_chains_refused, seeds / 2);
  }
  if (scenario == EpochScenario::kRotate || scenario == EpochScenario::kAll) {
    EXPECT_GT(total.old_key_votes_refused, seeds / 2);
  }
}

INSTANTIATE_TEST_SUITE_P(Scenarios, EpochSimTest, testing::ValuesIn(AllEpochScenarios()),
                         [](const testing::TestParamInfo<EpochScenario>& info) {
                           return std::string(EpochScenarioName(info.param));
                         });

TEST(EpochSimReplay, SameSeedSameRun) {
  EXPECT_EQ(RunEpochSeed(3, EpochScenario::kAll).Summary(),
            RunEpochSeed(3, EpochScenario::kAll).Summary());
}

}  // namespace
}  // namespace onechain::sim
