#include "net/policy.h"

#include <algorithm>

namespace onechain::net {

uint64_t BackoffDelayMs(uint32_t attempt, uint64_t initial_ms, uint64_t max_ms, uint64_t random) {
  const uint64_t initial = std::max<uint64_t>(initial_ms, 1);
  const uint32_t doublings = std::min<uint32_t>(attempt, 32);
  uint64_t ceiling = max_ms;
  if (doublings < 63 && initial <= (max_ms >> doublings)) ceiling = initial << doublings;
  ceiling = std::max<uint64_t>(ceiling, 1);
  const uint64_t floor = ceiling / 2;
  return floor + random % (ceiling - floor + 1);
}

bool LogLimiter::Allow(Clock::time_point now, uint64_t& suppressed) {
  if (now - window_start_ >= window_) {
    window_start_ = now;
    in_window_ = 0;
  }
  if (in_window_ >= per_window_) {
    ++suppressed_;
    return false;
  }
  ++in_window_;
  suppressed = suppressed_;
  suppressed_ = 0;
  return true;
}

}  // namespace onechain::net
