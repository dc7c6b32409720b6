// Logs a faulty validator triggers are rate-limited: a burst writes kPeerFaultLogsPerWindow lines,
// and the first line of the next window counts the suppressed ones.
#include "node/peer_log.h"

#include <gtest/gtest.h>
#include <spdlog/sinks/ostream_sink.h>
#include <spdlog/spdlog.h>

#include <sstream>

namespace onechain::node {
namespace {

TEST(PeerLog, ABurstIsCutAndTheNextWindowCountsWhatWasSuppressed) {
  std::ostringstream out;
  auto previous = spdlog::default_logger();
  spdlog::set_default_logger(std::make_shared<spdlog::logger>(
      "test", std::make_shared<spdlog::sinks::ostream_sink_mt>(out)));
  spdlog::set_pattern("%v");
  const auto t0 = std::chrono::steady_clock::time_point{} + std::chrono::hours(1000);
  int logged = 0;
  for (int i = 0; i < 1000; ++i) logged += LogPeerFault("block of round 7 is invalid", t0) ? 1 : 0;
  EXPECT_EQ(logged, static_cast<int>(kPeerFaultLogsPerWindow));
  EXPECT_TRUE(LogPeerFault("block of round 9 is invalid", t0 + kPeerFaultLogWindow));
  spdlog::set_default_logger(previous);
  spdlog::set_pattern("%+");

  std::istringstream lines(out.str());
  std::string line, last;
  int count = 0;
  while (std::getline(lines, line)) {
    ++count;
    last = line;
  }
  EXPECT_EQ(count, static_cast<int>(kPeerFaultLogsPerWindow) + 1);
  EXPECT_EQ(last, "block of round 9 is invalid (" +
                      std::to_string(1000 - kPeerFaultLogsPerWindow) +
                      " similar messages suppressed)");
}

}  // namespace
}  // namespace onechain::node
