#include "mempool/verified_cache.h"

namespace onechain::mempool {

bool VerifiedCache::VerifyOnce(const std::string& hash, const std::string& signature,
                               const std::function<bool()>& verify) {
  {
    std::lock_guard lock(mu_);
    auto it = signatures_.find(hash);
    if (it != signatures_.end() && it->second == signature) {
      ++hits_;
      return true;
    }
    ++misses_;
  }
  if (!verify()) return false;
  Remember(hash, signature);
  return true;
}

bool VerifiedCache::Contains(const std::string& hash, const std::string& signature) const {
  std::lock_guard lock(mu_);
  auto it = signatures_.find(hash);
  return it != signatures_.end() && it->second == signature;
}

void VerifiedCache::Remember(const std::string& hash, const std::string& signature) {
  std::lock_guard lock(mu_);
  auto [it, inserted] = signatures_.try_emplace(hash, signature);
  if (!inserted) {
    it->second = signature;  // the latest verified signature over this body
    return;
  }
  order_.push_back(hash);
  while (order_.size() > entries_max_) {
    signatures_.erase(order_.front());
    order_.pop_front();
  }
}

VerifiedCache::Counts VerifiedCache::counts() const {
  std::lock_guard lock(mu_);
  return Counts{hits_, misses_, signatures_.size()};
}

}  // namespace onechain::mempool
