// Small pure policies of the peer links: reconnection backoff and log rate limiting.
// Internal to src/net, except LogLimiter, which node/peer_log.h shares; tested in frame_test.cc.
#pragma once

#include <chrono>
#include <cstdint>

namespace onechain::net {

// Delay before reconnection attempt number `attempt` (0 for the first retry): the ceiling
// min(max_ms, initial_ms · 2^attempt), and a uniform draw in [ceiling/2, ceiling] from `random`
// ("equal jitter": never zero, never in lock step with the other validators).
uint64_t BackoffDelayMs(uint32_t attempt, uint64_t initial_ms, uint64_t max_ms, uint64_t random);

// Allows at most `per_window` events per window; counts the rest so the next allowed log line
// can say how many were suppressed. Not thread-safe (the I/O thread owns it).
class LogLimiter {
 public:
  using Clock = std::chrono::steady_clock;
  LogLimiter(uint32_t per_window, std::chrono::milliseconds window)
      : per_window_(per_window), window_(window) {}
  // True when this event may be logged; `suppressed` receives the count dropped since the last
  // allowed one.
  bool Allow(Clock::time_point now, uint64_t& suppressed);

 private:
  uint32_t per_window_;
  std::chrono::milliseconds window_;
  Clock::time_point window_start_{};
  uint32_t in_window_ = 0;
  uint64_t suppressed_ = 0;
};

}  // namespace onechain::net
