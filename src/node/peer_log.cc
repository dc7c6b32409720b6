#include "node/peer_log.h"

#include <spdlog/spdlog.h>

#include <mutex>

#include "net/policy.h"

namespace onechain::node {

bool LogPeerFault(const std::string& message) {
  return LogPeerFault(message, std::chrono::steady_clock::now());
}

bool LogPeerFault(const std::string& message, std::chrono::steady_clock::time_point now) {
  static std::mutex mu;
  static net::LogLimiter limiter(kPeerFaultLogsPerWindow, kPeerFaultLogWindow);
  uint64_t suppressed = 0;
  {
    std::lock_guard lock(mu);
    if (!limiter.Allow(now, suppressed)) return false;
  }
  if (suppressed > 0) {
    spdlog::warn("{} ({} similar messages suppressed)", message, suppressed);
  } else {
    spdlog::warn("{}", message);
  }
  return true;
}

}  // namespace onechain::node
