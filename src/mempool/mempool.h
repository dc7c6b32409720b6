// Pending transactions between admission and commit. Bounded in count and bytes. Admission
// requires each signer's nonces to be contiguous, so arrival order is also per-signer nonce order
// and a batch taken from the front never reorders one signer's transactions.
// Thread-safe: the API threads add, the block producer takes and confirms.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "mempool/verified_cache.h"
#include "tx.pb.h"
#include "util/status.h"

namespace onechain::mempool {

inline constexpr size_t kPendingTxsMax = 200'000;
inline constexpr size_t kPendingBytesMax = 256ull << 20;

struct PendingTx {
  std::string hash;
  std::string account_id;  // the signer's account (derived from the key for self-registration)
  uint64_t nonce = 0;
  std::string envelope;    // serialized SignedTx, as received
  pb::TxBody body;         // decoded body
};

struct Limits {
  size_t txs_max = kPendingTxsMax;
  size_t bytes_max = kPendingBytesMax;
};

class Mempool {
 public:
  explicit Mempool(Limits limits = {}) : limits_(limits) {}

  // Admits `tx` if its nonce is exactly the next one for its account, given the account's last
  // committed nonce. Codes: DUPLICATE, NONCE_REPLAYED, NONCE_SKIPPED, MEMPOOL_FULL.
  Status Add(PendingTx tx, uint64_t committed_nonce);

  // Up to `count_max` transactions and `bytes_max` bytes from the front; they stay reserved
  // (duplicates and nonces still count them) until Confirm().
  std::vector<PendingTx> TakeBatch(size_t count_max, size_t bytes_max);
  // The batch taken last was committed (or dropped): forget its reservations.
  void Confirm(const std::vector<PendingTx>& batch);

  bool Contains(const std::string& hash) const;
  // BFT ordering, where a proposal may be abandoned: copies (does not reserve) the envelopes of
  // up to `count_max` transactions and `bytes_max` bytes from the front, skipping those `skip`
  // says are already in an uncommitted block. They stay queued until Remove(). Only envelopes: a
  // proposal carries nothing else, and a leader may look several times before it proposes.
  std::vector<std::string> PeekEnvelopes(
      size_t count_max, size_t bytes_max,
      const std::function<bool(const std::string&)>& skip) const;
  // The transactions with these hashes were committed (by any validator's block): forget those
  // that are queued here. Unknown hashes are ignored.
  void Remove(const std::vector<std::string>& hashes);
  size_t size() const;
  // Waits up to `timeout_ms` until at least `count` transactions wait; returns how many wait.
  size_t WaitFor(size_t count, int64_t timeout_ms);
  // The signatures this node verified (verified_cache.h): admission and block validation share
  // it so each signature is verified once per node.
  VerifiedCache& verified() { return verified_; }

 private:
  struct SignerState {
    uint64_t last_nonce = 0;  // highest nonce admitted and not yet confirmed
    size_t in_flight = 0;     // admitted and not yet confirmed
  };

  Limits limits_;
  VerifiedCache verified_;
  mutable std::mutex mu_;
  std::condition_variable added_;
  std::deque<PendingTx> queue_;                     // guarded by mu_
  size_t queued_bytes_ = 0;                         // guarded by mu_
  std::unordered_set<std::string> hashes_;          // queued and taken; guarded by mu_
  std::unordered_map<std::string, SignerState> signers_;  // guarded by mu_
};

}  // namespace onechain::mempool
