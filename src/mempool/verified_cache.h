// Signatures this node already verified, so that each transaction's signature is verified once
// per node: at admission (from a client or a peer's relay) or when a proposal carries it first,
// whichever comes first. Keyed by transaction hash (the hash of the signed body) and holding the
// signature bytes, so another signature over the same body is not taken as verified.
// Bounded in entries (oldest forgotten first); thread-safe.
#pragma once

#include <cstddef>
#include <deque>
#include <functional>
#include <mutex>
#include <string>
#include <unordered_map>

namespace onechain::mempool {

inline constexpr size_t kVerifiedCacheEntriesMax = 1u << 18;

class VerifiedCache {
 public:
  explicit VerifiedCache(size_t entries_max = kVerifiedCacheEntriesMax)
      : entries_max_(entries_max) {}

  // True when (hash, signature) was verified here before; otherwise runs `verify` (outside the
  // lock) and remembers a success.
  bool VerifyOnce(const std::string& hash, const std::string& signature,
                  const std::function<bool()>& verify);
  // True when (hash, signature) was remembered as verified.
  bool Contains(const std::string& hash, const std::string& signature) const;
  void Remember(const std::string& hash, const std::string& signature);

  struct Counts {
    uint64_t hits = 0;    // verifications saved
    uint64_t misses = 0;  // signatures verified
    size_t entries = 0;
  };
  Counts counts() const;

 private:
  const size_t entries_max_;
  mutable std::mutex mu_;
  std::unordered_map<std::string, std::string> signatures_;  // hash -> signature; guarded by mu_
  std::deque<std::string> order_;                            // insertion order; guarded by mu_
  uint64_t hits_ = 0, misses_ = 0;                           // guarded by mu_
};

}  // namespace onechain::mempool
