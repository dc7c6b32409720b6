// Proves the consensus protocol under simulation: for every scenario and many seeds, no two
// honest validators commit different blocks at one height, every commit carries a valid
// certificate naming the block and its state root, honest state roots agree at every height, and
// every honest validator commits again within the recovery bound after the last fault heals.
// Also checks that each scenario's faults really happened (the Byzantine messages were seen and
// dropped, replicas restarted) and that a seed replays identically.
//
// ONECHAIN_SIM_SEEDS=N sets the seeds per scenario (default: 250, or fewer under sanitizers);
// ONECHAIN_SIM_SEED_BASE=B starts at seed B. A failing seed prints its replay command.
#include <gtest/gtest.h>

#include <cstdlib>
#include <string>

#include "sim/cluster.h"

namespace onechain::sim {
namespace {

uint64_t EnvOr(const char* name, uint64_t fallback) {
  const char* value = std::getenv(name);
  return value != nullptr && *value != '\0' ? std::strtoull(value, nullptr, 10) : fallback;
}

uint64_t DropsOf(const RunReport& report, const std::string& reason) {
  auto it = report.drops.find(reason);
  return it == report.drops.end() ? 0 : it->second;
}

class SimTest : public testing::TestWithParam<Scenario> {};

TEST_P(SimTest, SafeAndLiveAcrossSeeds) {
  const Scenario scenario = GetParam();
  const uint64_t seeds = EnvOr("ONECHAIN_SIM_SEEDS", ONECHAIN_SIM_SEEDS_DEFAULT);
  const uint64_t base = EnvOr("ONECHAIN_SIM_SEED_BASE", 0);
  RunReport total;
  uint64_t failures = 0;
  for (uint64_t seed = base; seed < base + seeds; ++seed) {
    RunReport report = RunSeed(seed, scenario);
    if (!report.ok) {
      ++failures;
      ADD_FAILURE() << ScenarioName(scenario) << " seed " << seed << ": " << report.Summary()
                    << "\n  replay: " << ReplayCommand(seed, scenario);
      if (failures >= 5) break;
      continue;
    }
    EXPECT_GT(report.max_height, 0u);
    EXPECT_GE(report.recovered_ms, report.heal_ms);
    total.commits_checked += report.commits_checked;
    total.restarts += report.restarts;
    for (const auto& [reason, count] : report.drops) total.drops[reason] += count;
  }
  EXPECT_GT(total.commits_checked, seeds * 3);
  // The scenario's faults happened and the honest validators refused what they had to.
  const uint64_t invalid_certs = DropsOf(total, "invalid QC") + DropsOf(total, "invalid TC");
  switch (scenario) {
    case Scenario::kCrash:
      EXPECT_GT(total.restarts, seeds);
      break;
    case Scenario::kEquivocation:
      EXPECT_GT(DropsOf(total, "second vote of a signer in a round"), 0u);
      EXPECT_GT(DropsOf(total, "proposal payload invalid"), 0u);
      break;
    case Scenario::kInvalidCerts:
      EXPECT_GT(invalid_certs, seeds);
      EXPECT_GT(DropsOf(total, "bad vote signature"), 0u);
      break;
    case Scenario::kGarbage:
      EXPECT_GT(DropsOf(total, "malformed"), seeds);
      EXPECT_GT(DropsOf(total, "too large"), seeds);
      EXPECT_GT(DropsOf(total, "unsolicited block response"), 0u);
      break;
    case Scenario::kTwins:
      EXPECT_GT(DropsOf(total, "second vote of a signer in a round") +
                    DropsOf(total, "second timeout of a signer in a round"),
                0u);
      break;
    default:
      break;
  }
}

INSTANTIATE_TEST_SUITE_P(Scenarios, SimTest, testing::ValuesIn(AllScenarios()),
                         [](const testing::TestParamInfo<Scenario>& info) {
                           std::string name = ScenarioName(info.param);
                           std::erase(name, '-');
                           return name;
                         });

TEST(SimReplay, SameSeedSameRun) {
  for (Scenario scenario : {Scenario::kMixed, Scenario::kTwins}) {
    const RunReport first = RunSeed(7, scenario);
    const RunReport second = RunSeed(7, scenario);
    EXPECT_EQ(first.Summary(), second.Summary());
    EXPECT_EQ(first.drops, second.drops);
  }
}

}  // namespace
}  // namespace onechain::sim
