#include "contracts/state.h"

namespace onechain::contracts {

std::optional<std::string> Overlay::Get(std::string_view key) const {
  if (auto it = writes_.find(key); it != writes_.end()) return it->second;
  return base_.Get(key);
}

void Overlay::MergeInto(Overlay& parent) {
  for (auto& [key, value] : writes_) parent.writes_[key] = std::move(value);
  writes_.clear();
}

}  // namespace onechain::contracts
