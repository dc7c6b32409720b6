#include "contracts/index.h"

#include <algorithm>
#include <cassert>
#include <charconv>
#include <cstdio>

namespace onechain::contracts {

namespace {

std::string CountKey(std::string_view list) { return "idx/" + std::string(list) + "/n"; }

std::string ItemKey(std::string_view list, uint64_t seq) {
  char digits[24];
  std::snprintf(digits, sizeof digits, "%010llu", static_cast<unsigned long long>(seq));
  return "idx/" + std::string(list) + "/" + digits;
}

}  // namespace

uint64_t ListSize(const StateReader& state, std::string_view list) {
  std::optional<std::string> count = state.Get(CountKey(list));
  if (!count) return 0;
  uint64_t value = 0;
  auto [end, error] = std::from_chars(count->data(), count->data() + count->size(), value);
  assert(error == std::errc() && end == count->data() + count->size());  // written only here
  return value;
}

uint64_t ListAppend(Overlay& state, std::string_view list, std::string value) {
  uint64_t seq = ListSize(state, list);
  state.Put(ItemKey(list, seq), std::move(value));
  state.Put(CountKey(list), std::to_string(seq + 1));
  return seq;
}

std::vector<std::string> ListRead(const StateReader& state, std::string_view list,
                                  uint64_t offset, size_t limit) {
  uint64_t size = ListSize(state, list);
  std::vector<std::string> items;
  limit = std::min(limit, kListReadMax);
  for (uint64_t seq = offset; seq < size && items.size() < limit; ++seq) {
    std::optional<std::string> item = state.Get(ItemKey(list, seq));
    assert(item.has_value());
    items.push_back(std::move(*item));
  }
  return items;
}

}  // namespace onechain::contracts
