#include "consensus/peer_faults.h"

#include <array>

namespace onechain::consensus {

bool IsPeerFault(std::string_view drop_reason) {
  static constexpr std::array<std::string_view, 12> kFaults = {
      "malformed",
      "too large",
      "sender not a validator",
      "invalid QC",
      "invalid TC",
      "payload over limits",
      "proposer is not the round's leader",
      "bad proposer signature",
      "bad vote signature",
      "bad timeout signature",
      "block response is not a chain",
      "invalid QC in block response",
  };
  for (std::string_view fault : kFaults) {
    if (fault == drop_reason) return true;
  }
  return false;
}

}  // namespace onechain::consensus
