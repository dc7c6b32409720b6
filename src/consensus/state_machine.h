// The consensus state machine of one validator (docs/consensus.md §5-6): a pure function of its
// inputs. The driver (a node, or the simulator) feeds it messages, timer events, execution
// results and payloads, and performs the actions it returns, in order. No I/O, clock, thread or
// randomness inside: time comes with every input.
#pragma once

#include <map>
#include <optional>
#include <set>
#include <string>
#include <unordered_map>
#include <variant>
#include <vector>

#include "consensus/certificates.h"
#include "consensus/safety_rules.h"

namespace onechain::consensus {

// ---- Actions: performed by the driver in the order given. ----

// Make `state` durable (synced) before performing any later action of the same list.
struct PersistSafety {
  pb::SafetyState state;
};
// Make `block` durable before performing any later action of the same list; hand it back in
// Recovery::blocks after a restart. Emitted before this validator votes for it, so a certified
// block is durable at f+1 honest validators. The driver may forget it once a block of its height
// or above is committed.
struct PersistBlock {
  pb::ConsensusBlock block;
  std::string block_id;
};
// Send `bytes` (an encoded ConsensusMessage) to validator `to`, or to every other validator.
struct Send {
  std::optional<uint32_t> to;  // nullopt: broadcast
  std::string bytes;
};
// Execute `block`'s payload on the state after `parent_id` (root `parent_state_root`), possibly
// speculatively, and report OnExecuted(block_id, state_root, valid).
struct ExecuteBlock {
  pb::ConsensusBlock block;
  std::string block_id;
  std::string parent_id;
  std::string parent_state_root;
  // A verified QC already certifies this block (a block fetched to catch up, or one whose
  // certificate arrived before its execution): a quorum, so at least f+1 honest validators,
  // validated its payload before voting; the driver need not verify its transactions'
  // signatures again (docs/consensus.md, "Certified payloads"). The executed root is still
  // compared with the certified one.
  bool certified = false;
};
// `block` is final; `qc` certifies it and its state root. Emitted in height order, once each.
struct CommitBlock {
  pb::ConsensusBlock block;
  std::string block_id;
  uint64_t height = 0;
  pb::QuorumCert qc;
};
// Call OnTimer(round) at `at_ms` (replaces any earlier timer).
struct SetTimer {
  uint64_t round = 0;
  int64_t at_ms = 0;
};
// This validator leads `round`: call OnPayload(round, batches) with the batches to propose.
struct NeedPayload {
  uint64_t round = 0;
};
// Peer `peer` asks for committed block `block_id` and up to count - 1 ancestors; answer with
// EncodeBlockResponse(...) from the ledger, or not at all if unknown.
struct ServeCommitted {
  uint32_t peer = 0;
  std::string block_id;
  uint32_t count = 0;
};

using Action =
    std::variant<PersistSafety, PersistBlock, Send, ExecuteBlock, CommitBlock, SetTimer, NeedPayload, ServeCommitted>;
using Actions = std::vector<Action>;

// What the driver kept durable: the last persisted safety state and the last committed block.
struct Recovery {
  pb::SafetyState safety;  // empty for a new validator
  pb::BlockInfo root;      // last committed block (params.genesis for a new chain)
  pb::QuorumCert root_qc;  // QC certifying root (GenesisQc for genesis)
  std::vector<pb::ConsensusBlock> blocks;  // persisted by PersistBlock and not yet forgotten
};

struct Options {
  int64_t round_timeout_ms = 1000;
};

// Messages dropped, by reason; a driver may export them and disconnect peers that abuse them.
using DropCounts = std::map<std::string, uint64_t>;

std::string EncodeBlockResponse(const std::vector<pb::ConsensusBlock>& blocks);

class StateMachine {
 public:
  // `params` and `key` must outlive the state machine; key must be validator `self`'s.
  StateMachine(const ChainParams& params, const crypto::PrivateKey& key, uint32_t self,
               Options options, Recovery recovery);

  Actions Start(int64_t now_ms);
  Actions OnMessage(int64_t now_ms, uint32_t from, std::string_view bytes);
  Actions OnTimer(int64_t now_ms, uint64_t round);
  Actions OnExecuted(int64_t now_ms, const std::string& block_id, const std::string& state_root,
                     bool valid);
  Actions OnPayload(int64_t now_ms, uint64_t round, std::vector<std::string> batches);

  uint64_t current_round() const { return current_round_; }
  const pb::BlockInfo& committed() const { return root_; }
  const pb::QuorumCert& high_qc() const { return high_qc_; }
  const DropCounts& drops() const { return drops_; }
  // A QC held here that commits `block_id` by the two-chain rule (its parent is that block and
  // its round the next one): the proof an epoch change carries (docs/consensus.md §14.5).
  std::optional<pb::QuorumCert> CommitQcOf(const std::string& block_id) const;
  // One line for logs: round, committed height, high QC, blocks held and being fetched.
  std::string DebugString() const;
  // True after local execution disagreed with a certified state root: the node stops signing.
  bool halted() const { return halted_; }

 private:
  struct TreeBlock {
    pb::ConsensusBlock block;
    pb::BlockInfo info;  // state_root empty until executed
    bool execution_requested = false;
    bool executed = false;
    bool valid = false;
  };
  struct VoteTally {
    pb::VoteData data;
    std::vector<pb::ValidatorSignature> signatures;
  };
  struct Fetch {
    uint32_t peer;        // asked last
    uint64_t height;      // of the block asked for
    uint64_t asked_round; // round it was asked last
  };
  struct Parked {
    uint32_t from;
    pb::Proposal proposal;
  };

  void Drop(const std::string& reason) { ++drops_[reason]; }
  void Broadcast(const pb::ConsensusMessage& message);
  void SendTo(uint32_t to, const pb::ConsensusMessage& message);

  // Steps of the spec.
  void ProcessProposal(uint32_t from, const pb::Proposal& proposal);
  void ProcessVote(const pb::Vote& vote);
  void ProcessTimeout(uint32_t from, const pb::Timeout& timeout);
  bool ProcessCertificates(uint32_t from, const pb::QuorumCert* qc, const pb::TimeoutCert* tc);
  void AdvanceRound(uint64_t round, const pb::TimeoutCert* tc);
  void Propose(std::vector<std::string> batches);
  void TryVote();
  void LocalTimeout();
  void FetchBlocks(const std::string& block_id, uint64_t height, uint32_t peer);
  void ServeBlocks(uint32_t from, const pb::BlockRequest& request);
  void ProcessBlocks(uint32_t from, const pb::BlockResponse& response);
  void AttachOrphans();
  void RetryFetches(bool now);
  void RetryParked();
  void OnCertified(const std::string& block_id);
  void AdvanceCommits();
  void Prune();

  bool Known(const std::string& block_id) const {
    return block_id == root_.id() || blocks_.contains(block_id);
  }
  void InsertBlock(const pb::ConsensusBlock& block, const std::string& block_id);
  void RequestExecution(TreeBlock& node);
  void ArmTimer();

  const ChainParams& params_;
  const uint32_t self_;
  const Options options_;
  Verifier verifier_;
  SafetyRules safety_;

  int64_t now_ms_ = 0;
  Actions out_;
  bool halted_ = false;
  DropCounts drops_;

  pb::BlockInfo root_;
  pb::QuorumCert root_qc_;
  std::vector<pb::ConsensusBlock> recovered_blocks_;  // from Recovery, inserted at Start
  std::unordered_map<std::string, TreeBlock> blocks_;  // uncommitted, descending from root_
  std::unordered_map<std::string, pb::QuorumCert> qcs_;  // block id -> a QC certifying it
  std::string commit_target_;                          // highest block the commit rule allows

  uint64_t current_round_ = 0;
  uint64_t timeouts_in_row_ = 0;
  pb::QuorumCert high_qc_;
  std::optional<pb::TimeoutCert> last_round_tc_;  // TC of current_round_ - 1, if entered by one
  uint64_t proposed_round_ = 0;
  std::optional<std::pair<std::string, std::optional<pb::TimeoutCert>>> pending_vote_;
  std::optional<pb::Timeout> my_timeout_;  // sent in current_round_, re-sent on each timer
  std::map<uint64_t, std::map<std::string, VoteTally>> votes_;  // round -> vote digest -> tally
  std::map<uint64_t, std::set<uint32_t>> voted_;                // round -> signers counted
  std::map<uint64_t, std::map<uint32_t, pb::TimeoutSignature>> timeouts_;
  std::vector<Parked> parked_;                      // proposals waiting for their parent
  std::map<std::string, Fetch> fetching_;
  std::unordered_map<std::string, pb::ConsensusBlock> orphans_;  // fetched, parent still missing
  size_t orphan_bytes_ = 0;
};

}  // namespace onechain::consensus
