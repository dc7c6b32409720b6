// The writes a block makes to contract state; shared by contracts (which produce them) and the
// store (which applies them). Header-only so that contracts stay free of storage code.
#pragma once

#include <map>
#include <optional>
#include <string>

namespace onechain::ledger {

// Key -> new value, or nullopt to delete. Ordered, so that hashing the writes is deterministic.
using StateWrites = std::map<std::string, std::optional<std::string>, std::less<>>;

}  // namespace onechain::ledger
