// Transaction relay between validators (part of BftDriver, bft_driver.h).
//
// A transaction admitted at this node is forwarded to the other validators; envelopes are
// gathered for up to kRelayFlushMs and sent as one kTxBatchRelayMessage frame (a pb::Block with
// only `txs`) per kRelayBatchBytesMax. Each validator verifies each signature once
// (mempool::VerifiedCache): at relay admission, and the proposal check hits the cache.
//
// Received envelopes are admitted by a thread of their own (full admission: decoding, chain,
// suite, signature once, signer, authorization, nonce), so signature checks never hold up the
// consensus thread.
#include <spdlog/spdlog.h>

#include <algorithm>

#include "block.pb.h"
#include "consensus/peer_faults.h"
#include "node/bft_driver.h"
#include "node/node.h"

namespace onechain::node {

void BftDriver::Relay(const std::string& envelope) {
  std::lock_guard lock(relay_mu_);
  relay_out_.push_back(envelope);
  relay_out_bytes_ += envelope.size();
}

void BftDriver::FlushRelay() {
  std::vector<std::string> out;
  {
    std::lock_guard lock(relay_mu_);
    if (relay_out_.empty()) return;
    out.swap(relay_out_);
    relay_out_bytes_ = 0;
  }
  // Every other validator: forwarding to the upcoming leaders only left transactions stranded
  // when a leader was down (docs/consensus.md §11); each validator still verifies each
  // signature once (at relay admission; the proposal check hits the cache).
  std::vector<uint32_t> leaders;
  for (uint32_t v = 0; v < static_cast<uint32_t>(params_.n()); ++v) {
    if (v != self_) leaders.push_back(v);
  }
  pb::Block batch;
  size_t bytes = 0;
  auto send = [&] {
    if (batch.txs_size() == 0) return;
    std::string frame = batch.SerializeAsString();
    for (uint32_t leader : leaders) net_->Send(leader, kTxBatchRelayMessage, frame);
    batch.Clear();
    bytes = 0;
  };
  for (std::string& envelope : out) {
    if (bytes + envelope.size() + 8 > kRelayBatchBytesMax) send();
    bytes += envelope.size() + 8;
    batch.add_txs(std::move(envelope));
  }
  send();
}

void BftDriver::OnRelayed(uint32_t peer, net::MessageType type, std::string payload) {
  std::vector<std::string> envelopes;
  if (type == kTxRelayMessage) {
    envelopes.push_back(std::move(payload));
  } else {
    pb::Block batch;
    if (!batch.ParseFromString(payload) || !batch.header().empty() ||
        !batch.proposer_signature().empty()) {
      Reject(peer, "relayed batch malformed");
      return;
    }
    envelopes.assign(std::make_move_iterator(batch.mutable_txs()->begin()),
                     std::make_move_iterator(batch.mutable_txs()->end()));
  }
  {
    std::lock_guard lock(relay_mu_);
    if (relay_in_txs_ + envelopes.size() <= kRelayInTxsMax) {
      relay_in_txs_ += envelopes.size();
      relay_in_.push_back(RelayedBatch{peer, std::move(envelopes)});
      relay_wake_.notify_one();
      return;
    }
  }
  std::lock_guard lock(mu_);  // an honest overload, not the peer's fault: counted only
  relayed_txs_dropped_ += envelopes.size();
}

void BftDriver::RelayAdmitLoop() {
  while (true) {
    RelayedBatch batch;
    {
      std::unique_lock lock(relay_mu_);
      relay_wake_.wait(lock, [&] { return !relay_running_ || !relay_in_.empty(); });
      if (!relay_running_) return;
      batch = std::move(relay_in_.front());
      relay_in_.pop_front();
      relay_in_txs_ -= batch.envelopes.size();
    }
    for (const std::string& envelope : batch.envelopes) {
      Status st = node_.AdmitRelayed(envelope);
      // Only what no honest validator relays counts against the peer: it admitted the
      // transaction itself, so the bytes decode and the signature verifies. A duplicate, a nonce
      // or a signer refused here may be a race with a commit.
      switch (st.code()) {
        case pb::Status::MALFORMED:
        case pb::Status::TOO_LARGE:
        case pb::Status::WRONG_CHAIN:
        case pb::Status::WRONG_SUITE:
        case pb::Status::BAD_SIGNATURE:
          Reject(batch.peer, "relayed transaction " + pb::Status::Code_Name(st.code()));
          break;
        default:
          break;
      }
    }
  }
}

}  // namespace onechain::node

namespace onechain::node {

void BftDriver::Reject(uint32_t peer, const std::string& reason) {
  {
    std::lock_guard lock(mu_);
    ++rejected_[peer][reason];
  }
  if (net_) net_->Penalize(peer, reason);
}

void BftDriver::FillCounters(pb::ConsensusCounters& out) const {
  if (net_) {
    for (const net::PeerStats& stats : net_->Stats()) {
      pb::PeerInputCounters& p = *out.add_peers();
      const net::PeerCounters& c = stats.counters;
      p.set_peer(stats.peer);
      p.set_connected(stats.connected);
      p.set_banned(stats.banned);
      p.set_links_up(c.links_up);
      p.set_links_down(c.links_down);
      p.set_frames_received(c.frames_received);
      p.set_malformed(c.malformed);
      p.set_oversized(c.oversized);
      p.set_replayed(c.replayed);
      p.set_rejected(c.rejected);
      p.set_bans(c.bans);
      p.set_refused_while_banned(c.refused_while_banned);
      std::lock_guard lock(mu_);
      if (auto it = rejected_.find(stats.peer); it != rejected_.end()) {
        for (const auto& [reason, count] : it->second) {
          (*p.mutable_rejected_by_reason())[reason] = count;
        }
      }
    }
    const net::HandshakeCounters h = net_->handshake_counters();
    pb::HandshakeInputCounters& hc = *out.mutable_handshakes();
    hc.set_tls_failed(h.tls_failed);
    hc.set_hello_malformed(h.hello_malformed);
    hc.set_wrong_chain(h.wrong_chain);
    hc.set_not_validator(h.not_validator);
    hc.set_bad_binding(h.bad_binding);
    hc.set_timeouts(h.timeouts);
    hc.set_too_many_pending(h.too_many_pending);
  }
  const mempool::VerifiedCache::Counts cache = node_.mempool_.verified().counts();
  out.set_signatures_verified(cache.misses);
  out.set_signatures_cached(cache.hits);
  std::lock_guard lock(mu_);
  out.set_relayed_txs_dropped(relayed_txs_dropped_);
}

}  // namespace onechain::node
