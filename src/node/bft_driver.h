// The BFT driver: runs consensus::StateMachine for a node whose genesis names several
// validators (src/consensus/README.md, "Driving it"). One thread owns the state machine; it is
// fed by the peer links (net::Network), its timer, the mempool (proposals) and the chain
// (commits). Transactions admitted at any validator are relayed to the others, so whoever leads
// a round has them.
//
// Execution is ordered-then-executed: the state root a validator votes on is the ordering root
// H("onechain/bft/order/v1" ‖ parent root ‖ payload digest), computed after every transaction of
// the payload was decoded and its signature, chain and suite checked; the ledger executes the
// block when it is committed, in the same order at every validator, so every validator gets the
// same ledger block hash and state root per height.
//
// Durable files under <data_dir>/bft/: safety.pb (the last PersistSafety state, synced before
// the vote or timeout it protects is sent), pending/<id> (blocks persisted before a vote),
// committed/<id> (every committed consensus block, served to validators that catch up) and
// root.qc (the certificate of the last committed block).
#pragma once

#include <atomic>
#include <condition_variable>
#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "api.pb.h"
#include "consensus/state_machine.h"
#include "mempool/mempool.h"
#include "net/network.h"
#include "node/checkpoint_certifier.h"

namespace onechain::node {

class Node;
class BlobSync;

inline constexpr net::MessageType kConsensusMessage = net::kFirstApplicationType;
inline constexpr net::MessageType kTxRelayMessage = net::kFirstApplicationType + 1;
// Several envelopes in one frame: a pb::Block with only `txs` set (bft_relay.cc).
inline constexpr net::MessageType kTxBatchRelayMessage = net::kFirstApplicationType + 2;
inline constexpr int64_t kBftRoundTimeoutMs = 3000;
// A leader with nothing to propose waits this long for transactions before proposing an empty
// block (which still carries the commit of its ancestors forward).
inline constexpr int64_t kBftIdleProposalMs = 300;
inline constexpr int64_t kBftBusyProposalMs = 20;
// Relay: transactions admitted here go to the other validators in frames of up to
// kRelayBatchBytesMax, at least every kRelayFlushMs; at most kRelayInTxsMax received ones wait
// for admission (beyond that a batch is dropped and counted).
inline constexpr int64_t kRelayFlushMs = 5;
inline constexpr size_t kRelayBatchBytesMax = 1u << 20;
inline constexpr size_t kRelayInTxsMax = 100'000;
// Committed blocks wait for execution on the executor thread; a leader whose executor is this
// many blocks behind holds its proposal back (up to half a round timeout), so ordering cannot
// outrun execution without bound.
inline constexpr size_t kExecBacklogMax = 3;

class BftDriver {
 public:
  // Opens the durable state in <data_dir>/bft and builds the state machine's recovery from it.
  static Result<std::unique_ptr<BftDriver>> Create(Node& node, const crypto::PrivateKey& key,
                                                   const std::string& data_dir,
                                                   const std::string& peer_listen);
  ~BftDriver();

  // Starts the peer links and the driver thread; Stop joins both.
  Status Start();
  void Stop();

  // An envelope admitted at this node: forward it (batched) to the other validators
  // (bft_relay.cc).
  void Relay(const std::string& envelope);
  pb::ConsensusInfo status() const;
  // Certificates over executed headers (node/checkpoint_certifier.h).
  const CheckpointCertifier& certifier() const { return *certifier_; }

 private:
  // A committed block for the executor thread.
  struct ExecJob {
    consensus::CommitBlock commit;
    std::optional<std::vector<mempool::PendingTx>> decoded;  // from Execute, if it ran here
  };

  BftDriver(Node& node, const crypto::PrivateKey& key, std::string dir, std::string peer_listen);
  Status Recover();
  void Loop();
  void Perform(consensus::Actions actions);
  void Execute(const consensus::ExecuteBlock& action);
  // Consensus thread: hands the committed block to the executor thread.
  void Commit(const consensus::CommitBlock& action);
  // Executor thread: executes committed blocks in height order into the ledger, then makes the
  // commit durable for recovery (committed/<id>, root.qc, pending files forgotten).
  void ExecuteLoop();
  void ApplyCommitted(ExecJob& job);
  // Consensus thread: forgets the uncommitted entries the executor has applied.
  void ForgetExecuted();
  void Serve(const consensus::ServeCommitted& action);
  void ProposeIfReady(int64_t now_ms);
  void UpdateStatus();
  void RememberSent(const consensus::Send& send);
  void ResendTo(uint32_t peer);
  // bft_relay.cc: outgoing batches to the other validators, incoming ones admitted off the
  // consensus thread.
  void FlushRelay();
  void OnRelayed(uint32_t peer, net::MessageType type, std::string payload);
  void RelayAdmitLoop();
  // Bad input from `peer` (consensus::IsPeerFault, or a relayed transaction that cannot be
  // valid): counted by reason in /v1/consensus and reported to net, which disconnects and bans
  // a peer that keeps sending it. Thread-safe.
  void Reject(uint32_t peer, const std::string& reason);
  void OnConsensusMessage(uint32_t peer, const std::string& payload);
  // Net, cache and rejection counters for status() (bft_relay.cc); not under mu_.
  void FillCounters(pb::ConsensusCounters& out) const;
  [[noreturn]] void Fatal(const std::string& what);

  Node& node_;
  const crypto::PrivateKey& key_;
  const std::string dir_;
  const std::string peer_listen_;
  uint32_t self_ = 0;
  consensus::ChainParams params_;
  consensus::Recovery recovery_;
  std::unique_ptr<consensus::StateMachine> sm_;
  std::unique_ptr<net::Network> net_;
  std::unique_ptr<CheckpointCertifier> certifier_;
  std::unique_ptr<BlobSync> blob_sync_;  // materials' ciphertext from peers (node/blob_sync.h)

  // Owned by the driver thread.
  std::deque<consensus::Action> queue_;  // actions to perform, in order
  bool performing_ = false;
  std::optional<consensus::SetTimer> timer_;
  std::optional<uint64_t> payload_round_;
  int64_t payload_asked_ms_ = 0;
  // What the chain a proposal of carried_round_ extends already carries (ProposeIfReady).
  uint64_t carried_round_ = 0;
  std::unordered_set<std::string> carried_;
  bool carrying_ = false;
  // Uncommitted executed blocks: the transactions of those a proposal extends are not proposed
  // again. A block on an abandoned branch holds back nothing.
  struct Uncommitted {
    std::string parent_id;
    uint64_t height = 0;
    std::vector<std::string> tx_hashes;
  };
  std::unordered_map<std::string, Uncommitted> uncommitted_;  // block id ->
  // What Execute decoded of a block's payload (hash, envelope, body per transaction), handed to
  // the executor with the commit so the payload is not decoded and hashed again. Forgotten with
  // the block's Uncommitted entry.
  std::unordered_map<std::string, std::vector<mempool::PendingTx>> decoded_;  // block id ->
  std::mutex files_mu_;
  std::unordered_map<std::string, uint64_t> pending_files_;  // persisted id -> height; files_mu_
  // The latest proposal or timeout this validator broadcast and the latest vote it sent, with
  // their round. The network drops what is sent to a peer without a link, and the state machine
  // repeats a timeout only when its timer fires again (3 s and more), so a validator that
  // restarts would miss the round it comes back to; a peer whose link comes up gets these again
  // while their round is current.
  struct Sent {
    uint64_t round = 0;
    std::optional<uint32_t> to;
    std::string bytes;
  };
  Sent last_broadcast_, last_vote_;
  uint64_t certified_blocks_executed_ = 0;  // ExecuteBlock{certified}: signatures not re-verified
  uint64_t certified_txs_unverified_ = 0;

  mutable std::mutex mu_;
  std::condition_variable wake_;
  std::deque<net::Event> events_;  // guarded by mu_
  bool running_ = false;           // guarded by mu_
  pb::ConsensusInfo status_;       // guarded by mu_
  std::unordered_map<uint32_t, std::map<std::string, uint64_t>> rejected_;  // guarded by mu_
  uint64_t relayed_txs_dropped_ = 0;  // guarded by mu_
  std::thread thread_;

  // Execution of committed blocks, in height order, off the consensus thread. The consensus
  // thread votes on ordering roots, which need no execution, so rounds go on while blocks
  // execute; the durable steps after a commit keep the order they had when inline (ledger,
  // committed/<id>, root.qc, pending files), so recovery is unchanged (bft_driver.cc).
  std::mutex exec_mu_;
  std::condition_variable exec_wake_;
  std::deque<ExecJob> exec_queue_;                 // exec_mu_
  bool exec_running_ = false;                      // exec_mu_
  std::atomic<size_t> exec_backlog_{0};            // queued or executing
  std::atomic<uint64_t> executed_height_{0};       // ledger height the executor reached
  uint64_t forgotten_height_ = 0;                  // consensus thread
  std::thread exec_thread_;

  // Relay (bft_relay.cc).
  std::mutex relay_mu_;
  std::condition_variable relay_wake_;
  std::vector<std::string> relay_out_;        // admitted here, not yet forwarded; relay_mu_
  size_t relay_out_bytes_ = 0;                // relay_mu_
  struct RelayedBatch {
    uint32_t peer = 0;
    std::vector<std::string> envelopes;
  };
  std::deque<RelayedBatch> relay_in_;         // received batches to admit; relay_mu_
  size_t relay_in_txs_ = 0;                   // relay_mu_
  bool relay_running_ = false;                // relay_mu_
  std::thread relay_thread_;
};

}  // namespace onechain::node
