// Transaction relay between validators (part of BftDriver, bft_driver.h).
//
// A transaction admitted at this node is forwarded to the validators that lead the next
// kRelayLeaders rounds, not flooded to every validator: only a leader needs it in its mempool
// (to propose it); the others see it first in a proposal, where they verify its signature once
// (mempool::VerifiedCache). Envelopes are gathered for up to kRelayFlushMs and sent as one
// kTxBatchRelayMessage frame (a pb::Block with only `txs`) per kRelayBatchBytesMax.
//
// Received envelopes are admitted by a thread of their own (full admission: decoding, chain,
// suite, signature once, signer, authorization, nonce), so signature checks never hold up the
// consensus thread.
#include <spdlog/spdlog.h>

#include <algorithm>

#include "block.pb.h"
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
  // The leaders of the next rounds (the current one is already proposed or being proposed).
  std::vector<uint32_t> leaders;
  for (uint64_t r = sm_->current_round() + 1; r <= sm_->current_round() + kRelayLeaders; ++r) {
    uint32_t leader = params_.LeaderOf(r);
    if (leader != self_ && std::find(leaders.begin(), leaders.end(), leader) == leaders.end()) {
      leaders.push_back(leader);
    }
  }
  if (leaders.empty()) return;  // this validator leads them all: its mempool has the txs
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
      spdlog::debug("validator {} relayed an undecodable batch", peer);
      return;
    }
    envelopes.assign(std::make_move_iterator(batch.mutable_txs()->begin()),
                     std::make_move_iterator(batch.mutable_txs()->end()));
  }
  std::lock_guard lock(relay_mu_);
  if (relay_in_txs_ + envelopes.size() > kRelayInTxsMax) return;
  relay_in_txs_ += envelopes.size();
  relay_in_.push_back(std::move(envelopes));
  relay_wake_.notify_one();
}

void BftDriver::RelayAdmitLoop() {
  while (true) {
    std::vector<std::string> envelopes;
    {
      std::unique_lock lock(relay_mu_);
      relay_wake_.wait(lock, [&] { return !relay_running_ || !relay_in_.empty(); });
      if (!relay_running_) return;
      envelopes = std::move(relay_in_.front());
      relay_in_.pop_front();
      relay_in_txs_ -= envelopes.size();
    }
    for (const std::string& envelope : envelopes) node_.AdmitRelayed(envelope);
  }
}

}  // namespace onechain::node
