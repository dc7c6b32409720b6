#include "ledger/proof_nodes.h"

#include "ledger/store.h"

namespace onechain::ledger {

Result<std::optional<std::string>> MemoryNodes::Get(std::string_view key) const {
  auto it = nodes_.find(std::string(key));
  if (it == nodes_.end()) return std::optional<std::string>();
  return std::optional<std::string>(it->second);
}

void MemoryNodes::Apply(const NodeWrites& writes) {
  for (const auto& [key, value] : writes) {
    if (value.has_value()) {
      nodes_.insert_or_assign(key, *value);
    } else {
      nodes_.erase(key);
    }
  }
}

Result<std::optional<std::string>> StoreNodes::Get(std::string_view key) const {
  return store_.GetProofNode(key);
}

Result<std::optional<std::string>> OverlayNodes::Get(std::string_view key) const {
  auto it = writes_.find(key);
  if (it != writes_.end()) return it->second;
  return base_.Get(key);
}

Result<std::optional<std::string>> RecentNodes::Get(std::string_view key) const {
  std::string k(key);
  if (auto it = newer_.find(k); it != newer_.end()) return std::optional<std::string>(it->second);
  if (auto it = older_.find(k); it != older_.end()) return std::optional<std::string>(it->second);
  return base_.Get(key);
}

void RecentNodes::Add(const NodeWrites& writes) {
  for (const auto& [key, value] : writes) {
    if (newer_.size() >= capacity_) {
      older_ = std::move(newer_);
      newer_.clear();
    }
    if (value.has_value()) {
      newer_.insert_or_assign(key, *value);
    } else {
      newer_.erase(key);
      older_.erase(key);
    }
  }
}

}  // namespace onechain::ledger
