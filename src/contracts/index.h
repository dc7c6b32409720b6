// Append-only lists in contract state, readable with point lookups only (StateReader has no
// scan): "idx/<list>/n" holds the item count in decimal, "idx/<list>/<seq>" item number seq
// (0-based, 10 digits, zero-padded). An append is O(1) whatever the list's length.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "contracts/state.h"

namespace onechain::contracts {

inline constexpr size_t kListReadMax = 1'000'000;  // items one read may return

uint64_t ListSize(const StateReader& state, std::string_view list);
// Appends `value`; returns its sequence number.
uint64_t ListAppend(Overlay& state, std::string_view list, std::string value);
// Up to `limit` items from `offset` on.
std::vector<std::string> ListRead(const StateReader& state, std::string_view list,
                                  uint64_t offset, size_t limit);

}  // namespace onechain::contracts
