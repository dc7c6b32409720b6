#include "mempool/mempool.h"

#include <cassert>
#include <chrono>

namespace onechain::mempool {

Status Mempool::Add(PendingTx tx, uint64_t committed_nonce) {
  std::lock_guard lock(mu_);
  if (hashes_.count(tx.hash) > 0) {
    return Status(pb::Status::DUPLICATE, "the transaction is already pending");
  }
  auto it = signers_.find(tx.account_id);
  uint64_t last = committed_nonce;
  if (it != signers_.end() && it->second.in_flight > 0) last = std::max(last, it->second.last_nonce);
  if (tx.nonce <= last) {
    return Status(pb::Status::NONCE_REPLAYED, "nonce " + std::to_string(tx.nonce) +
                                                  " was used; next is " +
                                                  std::to_string(last + 1));
  }
  if (tx.nonce > last + 1) {
    return Status(pb::Status::NONCE_SKIPPED, "nonce " + std::to_string(tx.nonce) +
                                                 " skips ahead; next is " +
                                                 std::to_string(last + 1));
  }
  if (hashes_.size() >= limits_.txs_max ||
      queued_bytes_ + tx.envelope.size() > limits_.bytes_max) {
    return Status(pb::Status::MEMPOOL_FULL, "the node has too many pending transactions; retry");
  }
  SignerState& signer = signers_[tx.account_id];
  signer.last_nonce = tx.nonce;
  signer.in_flight++;
  hashes_.insert(tx.hash);
  queued_bytes_ += tx.envelope.size();
  queue_.push_back(std::move(tx));
  added_.notify_all();
  return Status::Ok();
}

std::vector<PendingTx> Mempool::TakeBatch(size_t count_max, size_t bytes_max) {
  std::lock_guard lock(mu_);
  std::vector<PendingTx> batch;
  size_t bytes = 0;
  while (!queue_.empty() && batch.size() < count_max &&
         bytes + queue_.front().envelope.size() <= bytes_max) {
    bytes += queue_.front().envelope.size();
    queued_bytes_ -= queue_.front().envelope.size();
    batch.push_back(std::move(queue_.front()));
    queue_.pop_front();
  }
  return batch;
}

void Mempool::Confirm(const std::vector<PendingTx>& batch) {
  std::lock_guard lock(mu_);
  for (const PendingTx& tx : batch) {
    hashes_.erase(tx.hash);
    auto it = signers_.find(tx.account_id);
    assert(it != signers_.end() && it->second.in_flight > 0);
    if (--it->second.in_flight == 0) signers_.erase(it);
  }
}

std::vector<std::string> Mempool::PeekEnvelopes(
    size_t count_max, size_t bytes_max,
    const std::function<bool(const std::string&)>& skip) const {
  std::lock_guard lock(mu_);
  std::vector<std::string> batch;
  size_t bytes = 0;
  for (const PendingTx& tx : queue_) {
    if (batch.size() >= count_max || bytes + tx.envelope.size() > bytes_max) break;
    if (skip(tx.hash)) continue;
    bytes += tx.envelope.size();
    batch.push_back(tx.envelope);
  }
  return batch;
}

void Mempool::Remove(const std::vector<std::string>& hashes) {
  std::lock_guard lock(mu_);
  std::unordered_set<std::string> gone;
  for (const std::string& hash : hashes) {
    if (hashes_.count(hash) > 0) gone.insert(hash);
  }
  if (gone.empty()) return;
  std::deque<PendingTx> kept;
  for (PendingTx& tx : queue_) {
    if (gone.count(tx.hash) == 0) {
      kept.push_back(std::move(tx));
      continue;
    }
    queued_bytes_ -= tx.envelope.size();
    hashes_.erase(tx.hash);
    auto it = signers_.find(tx.account_id);
    if (it != signers_.end() && --it->second.in_flight == 0) signers_.erase(it);
  }
  queue_ = std::move(kept);
}

bool Mempool::Contains(const std::string& hash) const {
  std::lock_guard lock(mu_);
  return hashes_.count(hash) > 0;
}

size_t Mempool::size() const {
  std::lock_guard lock(mu_);
  return hashes_.size();
}

size_t Mempool::WaitFor(size_t count, int64_t timeout_ms) {
  std::unique_lock lock(mu_);
  added_.wait_for(lock, std::chrono::milliseconds(timeout_ms),
                  [&] { return queue_.size() >= count; });
  return queue_.size();
}

}  // namespace onechain::mempool
