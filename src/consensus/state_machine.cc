#include "consensus/state_machine.h"

#include <algorithm>
#include <cassert>

#include "consensus/limits.h"

namespace onechain::consensus {

std::string EncodeBlockResponse(const std::vector<pb::ConsensusBlock>& blocks) {
  pb::ConsensusMessage message;
  for (const pb::ConsensusBlock& block : blocks) {
    *message.mutable_block_response()->add_blocks() = block;
  }
  return EncodeMessage(message);
}

StateMachine::StateMachine(const ChainParams& params, const crypto::PrivateKey& key,
                           uint32_t self, Options options, Recovery recovery)
    : params_(params),
      self_(self),
      options_(options),
      verifier_(params),
      safety_(params, key, self, std::move(recovery.safety)),
      root_(std::move(recovery.root)),
      root_qc_(std::move(recovery.root_qc)),
      recovered_blocks_(std::move(recovery.blocks)) {
  params_.CheckValid();
  assert(options_.round_timeout_ms > 0);
  assert(QcBlockId(root_qc_) == root_.id());
  high_qc_ = root_qc_;
  if (QcRound(safety_.state().highest_qc()) > QcRound(high_qc_)) {
    high_qc_ = safety_.state().highest_qc();
  }
}

// ---------------------------------------------------------------- inputs

Actions StateMachine::Start(int64_t now_ms) {
  now_ms_ = now_ms;
  qcs_[root_.id()] = root_qc_;
  // Blocks voted for before the restart: put back those that still extend the committed chain.
  std::vector<pb::ConsensusBlock> recovered = std::exchange(recovered_blocks_, {});
  std::sort(recovered.begin(), recovered.end(), [](const auto& a, const auto& b) {
    return BlockHeight(a) < BlockHeight(b);
  });
  for (const pb::ConsensusBlock& block : recovered) {
    const std::string id = BlockId(params_, block);
    if (BlockHeight(block) > root_.height() && !Known(id) && Known(QcBlockId(block.qc()))) {
      InsertBlock(block, id);
    }
  }
  // Re-enter the highest round this validator signed in, with the certificate that justified it.
  const pb::SafetyState& safety = safety_.state();
  if (safety.has_highest_tc() && safety.highest_tc().round() > QcRound(high_qc_)) {
    const pb::TimeoutCert tc = safety.highest_tc();
    AdvanceRound(tc.round() + 1, &tc);
  } else {
    AdvanceRound(QcRound(high_qc_) + 1, nullptr);
  }
  const pb::BlockInfo& high = high_qc_.vote_data().proposed();
  FetchBlocks(high.id(), high.height(), params_.LeaderOf(high.round() + 1));
  return std::exchange(out_, {});
}

Actions StateMachine::OnMessage(int64_t now_ms, uint32_t from, std::string_view bytes) {
  now_ms_ = std::max(now_ms_, now_ms);
  if (halted_) return {};
  if (from >= params_.n()) {
    Drop("sender not a validator");
    return {};
  }
  Result<pb::ConsensusMessage> message = DecodeMessage(params_, bytes);
  if (!message.ok()) {
    Drop(message.status().code() == pb::Status::TOO_LARGE ? "too large" : "malformed");
    return {};
  }
  switch (message->kind_case()) {
    case pb::ConsensusMessage::kProposal:
      ProcessProposal(from, message->proposal());
      break;
    case pb::ConsensusMessage::kVote:
      ProcessVote(message->vote());
      break;
    case pb::ConsensusMessage::kTimeout:
      ProcessTimeout(from, message->timeout());
      break;
    case pb::ConsensusMessage::kBlockRequest:
      ServeBlocks(from, message->block_request());
      break;
    case pb::ConsensusMessage::kBlockResponse:
      ProcessBlocks(from, message->block_response());
      break;
    case pb::ConsensusMessage::KIND_NOT_SET:
      assert(false);  // DecodeMessage refuses it
  }
  return std::exchange(out_, {});
}

Actions StateMachine::OnTimer(int64_t now_ms, uint64_t round) {
  now_ms_ = std::max(now_ms_, now_ms);
  if (halted_ || round != current_round_) return {};
  LocalTimeout();
  return std::exchange(out_, {});
}

Actions StateMachine::OnExecuted(int64_t now_ms, const std::string& block_id,
                                 const std::string& state_root, bool valid) {
  now_ms_ = std::max(now_ms_, now_ms);
  if (halted_) return {};
  auto it = blocks_.find(block_id);
  if (it == blocks_.end() || it->second.executed) return {};
  assert(state_root.size() == crypto::kHashBytes);
  TreeBlock& node = it->second;
  node.executed = true;
  node.valid = valid;
  node.info.set_state_root(state_root);
  for (auto& [id, child] : blocks_) {
    if (QcBlockId(child.block.qc()) == block_id) RequestExecution(child);
  }
  TryVote();
  AdvanceCommits();
  return std::exchange(out_, {});
}

Actions StateMachine::OnPayload(int64_t now_ms, uint64_t round, std::vector<std::string> batches) {
  now_ms_ = std::max(now_ms_, now_ms);
  if (halted_ || round != current_round_ || proposed_round_ >= round ||
      params_.LeaderOf(round) != self_) {
    return {};
  }
  Propose(std::move(batches));
  return std::exchange(out_, {});
}

std::string StateMachine::DebugString() const {
  std::string out = "round " + std::to_string(current_round_) + ", committed " +
                    std::to_string(root_.height()) + " (round " + std::to_string(root_.round()) +
                    "), high qc round " + std::to_string(QcRound(high_qc_)) + " height " +
                    std::to_string(high_qc_.vote_data().proposed().height()) + ", tree " +
                    std::to_string(blocks_.size()) + ", fetching " +
                    std::to_string(fetching_.size()) + ", orphans " +
                    std::to_string(orphans_.size()) + ", parked " + std::to_string(parked_.size()) +
                    ", voted " + std::to_string(safety_.state().highest_voted_round()) +
                    ", timeouts in row " + std::to_string(timeouts_in_row_);
  for (const auto& [reason, count] : drops_) out += "; " + reason + ": " + std::to_string(count);
  return out;
}

// ---------------------------------------------------------------- output helpers

void StateMachine::Broadcast(const pb::ConsensusMessage& message) {
  out_.push_back(Send{std::nullopt, EncodeMessage(message)});
}

void StateMachine::SendTo(uint32_t to, const pb::ConsensusMessage& message) {
  assert(to != self_ && to < params_.n());
  out_.push_back(Send{to, EncodeMessage(message)});
}

void StateMachine::ArmTimer() {
  const int64_t shift = std::min<int64_t>(static_cast<int64_t>(timeouts_in_row_),
                                          kTimeoutBackoffShiftMax);
  out_.push_back(SetTimer{current_round_, now_ms_ + (options_.round_timeout_ms << shift)});
}

// ---------------------------------------------------------------- rounds

bool StateMachine::ProcessCertificates(uint32_t from, const pb::QuorumCert* qc,
                                       const pb::TimeoutCert* tc) {
  if (qc != nullptr) {
    Status status = verifier_.VerifyQc(*qc);
    if (!status.ok()) {
      Drop("invalid QC");
      return false;
    }
  }
  if (tc != nullptr) {
    Status status = verifier_.VerifyTc(*tc);
    if (!status.ok()) {
      Drop("invalid TC");
      return false;
    }
  }
  if (qc != nullptr) {
    const pb::BlockInfo& certified = qc->vote_data().proposed();
    if (certified.height() > root_.height() && !qcs_.contains(certified.id())) {
      qcs_[certified.id()] = *qc;
      if (blocks_.contains(certified.id())) {
        OnCertified(certified.id());
      } else {
        FetchBlocks(certified.id(), certified.height(), from);
      }
    }
    if (QcRound(*qc) > QcRound(high_qc_)) high_qc_ = *qc;
    AdvanceRound(QcRound(*qc) + 1, nullptr);
  }
  if (tc != nullptr) AdvanceRound(tc->round() + 1, tc);
  return true;
}

void StateMachine::AdvanceRound(uint64_t round, const pb::TimeoutCert* tc) {
  if (round <= current_round_) return;
  current_round_ = round;
  timeouts_in_row_ = tc != nullptr ? timeouts_in_row_ + 1 : 0;
  last_round_tc_.reset();
  if (tc != nullptr) last_round_tc_ = *tc;
  my_timeout_.reset();
  pending_vote_.reset();
  // Votes for round r go to leader(r + 1), who may still be in round r.
  votes_.erase(votes_.begin(), votes_.lower_bound(round - 1));
  voted_.erase(voted_.begin(), voted_.lower_bound(round - 1));
  timeouts_.erase(timeouts_.begin(), timeouts_.lower_bound(round));
  ArmTimer();
  if (params_.LeaderOf(round) == self_) out_.push_back(NeedPayload{round});
  RetryParked();
  RetryFetches(false);
}

void StateMachine::Propose(std::vector<std::string> batches) {
  const uint64_t round = current_round_;
  const bool justified_by_qc = QcRound(high_qc_) + 1 == round;
  const bool justified_by_tc = last_round_tc_.has_value() && last_round_tc_->round() + 1 == round &&
                               QcRound(high_qc_) >= MaxHighQcRound(*last_round_tc_);
  // A leader never proposes in a round it voted or timed out in: its proposal would be one it
  // cannot vote for, and after a restart it might be a second proposal of the round.
  if ((!justified_by_qc && !justified_by_tc) || round <= safety_.state().highest_voted_round()) {
    Drop("cannot propose");
    return;
  }
  proposed_round_ = round;
  pb::ConsensusMessage message;
  pb::Proposal& proposal = *message.mutable_proposal();
  pb::ConsensusBlock& block = *proposal.mutable_block();
  block.set_round(round);
  block.set_time_ms(std::max(now_ms_, high_qc_.vote_data().proposed().time_ms()));
  block.set_proposer(self_);
  *block.mutable_qc() = high_qc_;
  for (std::string& batch : batches) block.add_batches(std::move(batch));
  if (!justified_by_qc) *proposal.mutable_last_round_tc() = *last_round_tc_;
  block.set_signature(std::string(crypto::kSignatureBytes, '\0'));  // placeholder for the check
  Status shape = CheckBlockShape(params_, block);
  if (!shape.ok()) {
    Drop("payload over limits");
    return;
  }
  block.set_signature(safety_.SignBlock(BlockId(params_, block)));
  Broadcast(message);
  ProcessProposal(self_, proposal);
}

// [Step] ProcessProposal
void StateMachine::ProcessProposal(uint32_t from, const pb::Proposal& proposal) {
  const pb::ConsensusBlock& block = proposal.block();
  if (block.proposer() != params_.LeaderOf(block.round())) {
    Drop("proposer is not the round's leader");
    return;
  }
  const std::string id = BlockId(params_, block);
  if (!verifier_.VerifyBlockSignature(block, id).ok()) {
    Drop("bad proposer signature");
    return;
  }
  const pb::TimeoutCert* tc = proposal.has_last_round_tc() ? &proposal.last_round_tc() : nullptr;
  if (!ProcessCertificates(from, &block.qc(), tc)) return;
  if (block.round() != current_round_) {
    Drop("proposal not for the current round");
    return;
  }
  const pb::BlockInfo& parent = block.qc().vote_data().proposed();
  if (block.time_ms() < parent.time_ms() || block.time_ms() > now_ms_ + kProposalTimeAheadMsMax) {
    Drop("proposal time out of range");
    return;
  }
  if (parent.height() < root_.height() || (parent.height() == root_.height() && parent.id() != root_.id())) {
    Drop("proposal does not extend the committed chain");
    return;
  }
  if (!Known(parent.id())) {
    if (parked_.size() < kFetchPendingMax) parked_.push_back(Parked{from, proposal});
    FetchBlocks(parent.id(), parent.height(), from);
    return;
  }
  if (!blocks_.contains(id)) InsertBlock(block, id);
  if (!blocks_.contains(id)) return;
  std::optional<pb::TimeoutCert> vote_tc;
  if (tc != nullptr) vote_tc = *tc;
  pending_vote_ = std::make_pair(id, std::move(vote_tc));
  TryVote();
}

// [Step] Vote
void StateMachine::TryVote() {
  if (!pending_vote_) return;
  auto it = blocks_.find(pending_vote_->first);
  if (it == blocks_.end()) {
    pending_vote_.reset();
    return;
  }
  const TreeBlock& node = it->second;
  if (node.block.round() != current_round_) {
    pending_vote_.reset();
    return;
  }
  if (!node.executed) return;
  std::optional<pb::TimeoutCert> tc = std::move(pending_vote_->second);
  pending_vote_.reset();
  if (!node.valid) {
    Drop("proposal payload invalid");
    return;
  }
  Result<Signed<pb::Vote>> vote = safety_.MakeVote(node.block, node.info.id(),
                                                   node.info.state_root(), tc ? &*tc : nullptr);
  if (!vote.ok()) {
    Drop("safety rules refused vote");
    return;
  }
  out_.push_back(PersistBlock{node.block, node.info.id()});
  out_.push_back(PersistSafety{vote->persist});
  const uint32_t next_leader = params_.LeaderOf(current_round_ + 1);
  if (next_leader == self_) {
    ProcessVote(vote->message);
  } else {
    pb::ConsensusMessage message;
    *message.mutable_vote() = std::move(vote->message);
    SendTo(next_leader, message);
  }
}

// [Step] ProcessVote
void StateMachine::ProcessVote(const pb::Vote& vote) {
  const uint64_t round = vote.vote_data().proposed().round();
  if (params_.LeaderOf(round + 1) != self_) {
    Drop("vote sent to a validator that does not lead the next round");
    return;
  }
  if (round + 1 < current_round_ || round > current_round_ + kRoundWindowMax) {
    Drop("vote for a round out of window");
    return;
  }
  if (voted_[round].contains(vote.signer())) {
    Drop("second vote of a signer in a round");
    return;
  }
  if (!verifier_.VerifyVote(vote).ok()) {
    Drop("bad vote signature");
    return;
  }
  voted_[round].insert(vote.signer());
  const std::string digest = VoteDigest(params_, vote.vote_data());
  VoteTally& tally = votes_[round][digest];
  if (tally.signatures.empty()) tally.data = vote.vote_data();
  pb::ValidatorSignature signature;
  signature.set_signer(vote.signer());
  signature.set_signature(vote.signature());
  tally.signatures.push_back(std::move(signature));
  if (tally.signatures.size() != params_.quorum()) return;
  pb::QuorumCert qc;
  *qc.mutable_vote_data() = tally.data;
  for (const pb::ValidatorSignature& s : tally.signatures) *qc.add_signatures() = s;
  ProcessCertificates(self_, &qc, nullptr);
}

// [Step] LocalTimeout
void StateMachine::LocalTimeout() {
  if (!my_timeout_) {
    const pb::TimeoutCert* tc =
        last_round_tc_ && last_round_tc_->round() + 1 == current_round_ ? &*last_round_tc_ : nullptr;
    Result<Signed<pb::Timeout>> timeout = safety_.MakeTimeout(current_round_, high_qc_, tc);
    if (timeout.ok()) {
      out_.push_back(PersistSafety{timeout->persist});
      pb::Timeout own = std::move(timeout->message);
      my_timeout_ = own;
      pb::ConsensusMessage message;
      *message.mutable_timeout() = own;
      Broadcast(message);
      ProcessTimeout(self_, own);  // may complete a TC and advance the round
    } else {
      Drop("safety rules refused timeout");
    }
  } else {
    pb::ConsensusMessage message;
    *message.mutable_timeout() = *my_timeout_;
    Broadcast(message);
  }
  RetryFetches(true);
  ArmTimer();
}

// [Step] ProcessTimeout
void StateMachine::ProcessTimeout(uint32_t from, const pb::Timeout& timeout) {
  const pb::TimeoutCert* tc = timeout.has_last_round_tc() ? &timeout.last_round_tc() : nullptr;
  if (!ProcessCertificates(from, &timeout.high_qc(), tc)) return;
  const uint64_t round = timeout.round();
  if (round < current_round_ || round > current_round_ + kRoundWindowMax) {
    Drop("timeout for a round out of window");
    return;
  }
  std::map<uint32_t, pb::TimeoutSignature>& signers = timeouts_[round];
  if (signers.contains(timeout.signer())) {
    Drop("second timeout of a signer in a round");
    return;
  }
  if (!verifier_.VerifyTimeout(timeout).ok()) {
    Drop("bad timeout signature");
    return;
  }
  pb::TimeoutSignature& signature = signers[timeout.signer()];
  signature.set_signer(timeout.signer());
  signature.set_high_qc_round(QcRound(timeout.high_qc()));
  signature.set_signature(timeout.signature());
  if (signers.size() != params_.quorum()) return;
  pb::TimeoutCert formed;
  formed.set_round(round);
  for (const auto& [signer, s] : signers) *formed.add_signatures() = s;
  ProcessCertificates(self_, nullptr, &formed);
}

// ---------------------------------------------------------------- block tree and fetching

// [Step] FetchBlocks
void StateMachine::FetchBlocks(const std::string& block_id, uint64_t height, uint32_t peer) {
  if (height <= root_.height() || Known(block_id) || orphans_.contains(block_id) ||
      fetching_.contains(block_id)) {
    return;
  }
  if (fetching_.size() >= kFetchPendingMax) {
    Drop("too many blocks being fetched");
    return;
  }
  if (peer == self_) peer = (peer + 1) % static_cast<uint32_t>(params_.n());
  fetching_[block_id] = Fetch{peer, height, current_round_};
  if (peer == self_) return;  // a one-validator set has no one to ask
  pb::ConsensusMessage request;
  request.mutable_block_request()->set_block_id(block_id);
  request.mutable_block_request()->set_count(kResponseBlocksMax);
  SendTo(peer, request);
}

// Requests can be lost and peers can fail to answer: ask the next peer on every round timeout,
// and, while rounds advance without timeouts, every other round.
void StateMachine::RetryFetches(bool now) {
  for (auto& [block_id, fetch] : fetching_) {
    if (!now && fetch.asked_round + 2 > current_round_) continue;
    fetch.peer = (fetch.peer + 1) % static_cast<uint32_t>(params_.n());
    if (fetch.peer == self_) fetch.peer = (fetch.peer + 1) % static_cast<uint32_t>(params_.n());
    fetch.asked_round = current_round_;
    if (fetch.peer == self_) continue;
    pb::ConsensusMessage request;
    request.mutable_block_request()->set_block_id(block_id);
    request.mutable_block_request()->set_count(kResponseBlocksMax);
    SendTo(fetch.peer, request);
  }
}

void StateMachine::ServeBlocks(uint32_t from, const pb::BlockRequest& request) {
  if (from == self_) return;
  std::vector<pb::ConsensusBlock> blocks;
  size_t bytes = 0;
  std::string id = request.block_id();
  while (blocks.size() < request.count()) {
    auto it = blocks_.find(id);
    if (it == blocks_.end()) break;
    bytes += it->second.block.ByteSizeLong();
    if (!blocks.empty() && bytes > kResponseBytesMax) break;
    blocks.push_back(it->second.block);
    id = QcBlockId(it->second.block.qc());
  }
  if (!blocks.empty()) {
    out_.push_back(Send{from, EncodeBlockResponse(blocks)});
  } else {
    out_.push_back(ServeCommitted{from, request.block_id(), request.count()});
  }
}

void StateMachine::ProcessBlocks(uint32_t from, const pb::BlockResponse& response) {
  // Accept only a hash chain that starts at a block we asked for: that id came from a verified
  // QC, so the chain of ids authenticates every block below it.
  std::vector<std::string> ids;
  for (int i = 0; i < response.blocks_size(); ++i) {
    const pb::ConsensusBlock& block = response.blocks(i);
    std::string id = BlockId(params_, block);
    const bool linked =
        i == 0 ? fetching_.contains(id) : id == QcBlockId(response.blocks(i - 1).qc());
    if (!linked) {
      Drop(i == 0 ? "unsolicited block response" : "block response is not a chain");
      return;
    }
    if (!verifier_.VerifyQc(block.qc()).ok()) {
      Drop("invalid QC in block response");
      return;
    }
    ids.push_back(std::move(id));
  }
  for (const std::string& id : ids) fetching_.erase(id);
  for (int i = response.blocks_size() - 1; i >= 0; --i) {
    const pb::ConsensusBlock& block = response.blocks(i);
    const uint64_t height = BlockHeight(block);
    if (height <= root_.height() || Known(ids[i]) || orphans_.contains(ids[i])) continue;
    if (Known(QcBlockId(block.qc()))) {
      InsertBlock(block, ids[i]);
      continue;
    }
    if (orphan_bytes_ + block.ByteSizeLong() > kOrphanBytesMax) {
      Drop("orphan blocks over limit");
      break;
    }
    orphan_bytes_ += block.ByteSizeLong();
    orphans_[ids[i]] = block;
    FetchBlocks(QcBlockId(block.qc()), height - 1, from);
  }
  AttachOrphans();
  RetryParked();
}

void StateMachine::AttachOrphans() {
  for (bool progress = true; progress;) {
    progress = false;
    for (auto it = orphans_.begin(); it != orphans_.end();) {
      const pb::ConsensusBlock& block = it->second;
      const bool dead = BlockHeight(block) <= root_.height() || Known(it->first);
      if (!dead && !Known(QcBlockId(block.qc()))) {
        ++it;
        continue;
      }
      if (!dead) InsertBlock(block, it->first);
      orphan_bytes_ -= block.ByteSizeLong();
      it = orphans_.erase(it);
      progress = true;
    }
  }
}

void StateMachine::RetryParked() {
  if (parked_.empty()) return;
  std::vector<Parked> parked = std::exchange(parked_, {});
  for (Parked& p : parked) {
    const pb::ConsensusBlock& block = p.proposal.block();
    if (block.round() < current_round_) continue;
    if (!Known(QcBlockId(block.qc()))) {
      parked_.push_back(std::move(p));
      continue;
    }
    ProcessProposal(p.from, p.proposal);
  }
}

void StateMachine::InsertBlock(const pb::ConsensusBlock& block, const std::string& block_id) {
  assert(Known(QcBlockId(block.qc())) && !Known(block_id));
  if (blocks_.size() >= kTreeBlocksMax) {
    Drop("block tree full");
    return;
  }
  TreeBlock& node = blocks_[block_id];
  node.block = block;
  node.info.set_round(block.round());
  node.info.set_height(BlockHeight(block));
  node.info.set_id(block_id);
  node.info.set_time_ms(block.time_ms());
  const std::string& parent_id = QcBlockId(block.qc());
  if (!qcs_.contains(parent_id)) qcs_[parent_id] = block.qc();
  RequestExecution(node);
  if (blocks_.contains(parent_id)) OnCertified(parent_id);
  if (qcs_.contains(block_id)) OnCertified(block_id);
}

void StateMachine::RequestExecution(TreeBlock& node) {
  if (node.execution_requested) return;
  const std::string& parent_id = QcBlockId(node.block.qc());
  std::string parent_root;
  if (parent_id == root_.id()) {
    parent_root = root_.state_root();
  } else {
    auto parent = blocks_.find(parent_id);
    assert(parent != blocks_.end());
    if (!parent->second.executed) return;
    parent_root = parent->second.info.state_root();
  }
  node.execution_requested = true;
  out_.push_back(ExecuteBlock{node.block, node.info.id(), parent_id, std::move(parent_root),
                             qcs_.contains(node.info.id())});
}

// ---------------------------------------------------------------- commits

// A block is certified and in the tree: apply the two-chain CommitRule to its parent.
void StateMachine::OnCertified(const std::string& block_id) {
  const TreeBlock& node = blocks_.at(block_id);
  const pb::BlockInfo& parent = node.block.qc().vote_data().proposed();
  if (node.block.round() != parent.round() + 1 || parent.height() <= root_.height()) return;
  if (!commit_target_.empty() && blocks_.at(commit_target_).info.height() >= parent.height()) return;
  commit_target_ = parent.id();
  AdvanceCommits();
}

// [Step] CommitRule: commit the path root -> commit_target_ in height order, as far as executed.
void StateMachine::AdvanceCommits() {
  if (commit_target_.empty()) return;
  std::vector<const TreeBlock*> path;
  for (std::string id = commit_target_; id != root_.id();) {
    const TreeBlock& node = blocks_.at(id);
    path.push_back(&node);
    id = QcBlockId(node.block.qc());
  }
  bool committed_any = false;
  for (auto it = path.rbegin(); it != path.rend(); ++it) {
    const TreeBlock& node = **it;
    if (!node.executed) break;
    const pb::QuorumCert& qc = qcs_.at(node.info.id());
    if (!node.valid || qc.vote_data().proposed().state_root() != node.info.state_root()) {
      halted_ = true;  // local execution disagrees with a quorum: stop before signing anything
      Drop("execution disagrees with certified state root");
      return;
    }
    out_.push_back(CommitBlock{node.block, node.info.id(), node.info.height(), qc});
    root_ = qc.vote_data().proposed();
    root_qc_ = qc;
    committed_any = true;
  }
  if (root_.id() == commit_target_) commit_target_.clear();
  if (committed_any) Prune();
}

void StateMachine::Prune() {
  std::vector<std::pair<uint64_t, std::string>> by_height;
  for (const auto& [id, node] : blocks_) by_height.emplace_back(node.info.height(), id);
  std::sort(by_height.begin(), by_height.end());
  std::set<std::string> keep{root_.id()};
  for (const auto& [height, id] : by_height) {
    if (height > root_.height() && keep.contains(QcBlockId(blocks_.at(id).block.qc()))) {
      keep.insert(id);
    }
  }
  std::erase_if(blocks_, [&](const auto& entry) { return !keep.contains(entry.first); });
  std::erase_if(qcs_, [&](const auto& entry) {
    return entry.second.vote_data().proposed().height() < root_.height();
  });
  std::erase_if(fetching_,
                [&](const auto& entry) { return entry.second.height <= root_.height(); });
  if (pending_vote_ && !blocks_.contains(pending_vote_->first)) pending_vote_.reset();
}

std::optional<pb::QuorumCert> StateMachine::CommitQcOf(const std::string& block_id) const {
  auto commits = [&](const pb::QuorumCert& qc) {
    const pb::BlockInfo& parent = qc.vote_data().parent();
    return !qc.signatures().empty() && parent.id() == block_id &&
           QcRound(qc) == parent.round() + 1;
  };
  if (commits(high_qc_)) return high_qc_;
  for (const auto& [id, qc] : qcs_) {
    if (commits(qc)) return qc;
  }
  return std::nullopt;
}

}  // namespace onechain::consensus
