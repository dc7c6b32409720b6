// Node::RenderMetrics and the bookkeeping behind it (node.h).
#include <chrono>

#include "node/bft_driver.h"
#include "node/node.h"

namespace onechain::node {

namespace {

// Admission times kept for commit latency; beyond this (transactions admitted and then dropped,
// e.g. expired) the oldest bookkeeping is simply forgotten.
constexpr size_t kAdmissionTimesMax = 2 * mempool::kPendingTxsMax;

int64_t SteadyMicros() {
  return std::chrono::duration_cast<std::chrono::microseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

}  // namespace

void Node::CountSubmission(const Status& outcome) {
  if (outcome.ok()) {
    submissions_admitted_.Add();
  } else {
    submissions_refused_.Add(pb::Status::Code_Name(outcome.code()));
  }
}

void Node::NoteAdmitted(const std::string& hash) {
  if (admitted_at_us_.size() >= kAdmissionTimesMax) admitted_at_us_.clear();
  admitted_at_us_.emplace(hash, SteadyMicros());
}

void Node::ObserveCommittedHash(const std::string& hash, int64_t now_us) {
  auto it = admitted_at_us_.find(hash);
  if (it == admitted_at_us_.end()) return;  // admitted by another validator only
  commit_latency_.Observe(static_cast<double>(now_us - it->second) / 1e6);
  admitted_at_us_.erase(it);
}

void Node::ObserveCommitted(const std::vector<mempool::PendingTx>& txs) {
  int64_t now = SteadyMicros();
  for (const mempool::PendingTx& tx : txs) ObserveCommittedHash(tx.hash, now);
  blocks_committed_.Add();
  txs_committed_.Add(txs.size());
}

void Node::ObserveCommitted(const std::vector<std::string>& hashes) {
  int64_t now = SteadyMicros();
  for (const std::string& hash : hashes) ObserveCommittedHash(hash, now);
  blocks_committed_.Add();
  txs_committed_.Add(hashes.size());
}

std::string Node::RenderMetrics() const {
  util::MetricsRegistry r;
  r.AddGauge("onechain_height", "Height of the last committed block.",
             [this] { return static_cast<double>(height()); });
  r.AddCounter("onechain_blocks_committed_total", "Blocks this node committed since it started.",
               &blocks_committed_);
  r.AddCounter("onechain_transactions_committed_total",
               "Transactions in the blocks this node committed since it started.", &txs_committed_);
  r.AddHistogram("onechain_commit_latency_seconds",
                 "From a transaction's admission by this node to its block's commit.",
                 &commit_latency_);
  r.AddGauge("onechain_mempool_transactions", "Transactions waiting for a block.",
             [this] { return static_cast<double>(mempool_.size()); });
  r.AddCounter("onechain_submissions_admitted_total",
               "Transactions submitted over the API and admitted.", &submissions_admitted_);
  r.AddLabeledCounter("onechain_submissions_refused_total",
                      "Transactions submitted over the API and refused, by code.", "code",
                      &submissions_refused_);
  if (bft_) {
    pb::ConsensusInfo info = bft_->status();
    r.AddGauge("onechain_consensus_round", "The consensus round this validator is in.",
               [round = info.round()] { return static_cast<double>(round); });
    r.AddGauge("onechain_consensus_halted",
               "1 when local execution disagreed with a quorum and this validator stopped.",
               [halted = info.halted()] { return halted ? 1.0 : 0.0; });
    std::map<std::string, double> links;
    for (const pb::ConsensusValidator& v : info.validators()) {
      if (!v.self()) links[v.org_id()] = v.connected() ? 1 : 0;
    }
    r.AddLabeledGauges("onechain_peer_connected",
                       "1 when the authenticated link to the validator of this organization is up.",
                       "org", [links] { return links; });
  }
  const ledger::Store& store = chain_->store();
  r.AddGauge("onechain_rocksdb_sst_bytes", "Bytes of RocksDB's table files, all column families.",
             [&store] { return static_cast<double>(store.IntProperty("rocksdb.total-sst-files-size")); });
  r.AddGauge("onechain_rocksdb_live_data_bytes", "RocksDB's estimate of live data bytes.",
             [&store] {
               return static_cast<double>(store.IntProperty("rocksdb.estimate-live-data-size"));
             });
  r.AddGauge("onechain_rocksdb_memtable_bytes", "Bytes in RocksDB's memtables.", [&store] {
    return static_cast<double>(store.IntProperty("rocksdb.cur-size-all-mem-tables"));
  });
  r.AddGauge("onechain_rocksdb_keys", "RocksDB's estimate of the number of keys.", [&store] {
    return static_cast<double>(store.IntProperty("rocksdb.estimate-num-keys"));
  });
  r.AddGauge("onechain_rocksdb_pending_compaction_bytes",
             "Bytes RocksDB estimates compaction still has to rewrite.", [&store] {
               return static_cast<double>(
                   store.IntProperty("rocksdb.estimate-pending-compaction-bytes"));
             });
  return r.Render();
}

}  // namespace onechain::node
