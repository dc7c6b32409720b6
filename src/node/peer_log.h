// Log lines that another validator's input triggers (a proposal whose payload this node refuses),
// rate-limited like the peer links' own (src/net/policy.h), so that a faulty or Byzantine
// validator cannot fill the disk: at most kPeerFaultLogsPerWindow lines per window, process-wide;
// the next line allowed says how many were suppressed. The refused proposals are counted in
// GET /v1/consensus regardless (counters.dropped, "proposal payload invalid").
#pragma once

#include <chrono>
#include <cstdint>
#include <string>

namespace onechain::node {

inline constexpr uint32_t kPeerFaultLogsPerWindow = 20;
inline constexpr std::chrono::milliseconds kPeerFaultLogWindow{10'000};

// Logs `message` at warn level unless over the limit; true if it was logged. Thread-safe.
bool LogPeerFault(const std::string& message);
// The same at a given instant (tests).
bool LogPeerFault(const std::string& message, std::chrono::steady_clock::time_point now);

}  // namespace onechain::node
