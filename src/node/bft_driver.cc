#include "node/bft_driver.h"

#include <pthread.h>
#include <spdlog/spdlog.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <unordered_set>

#include "consensus/encoding.h"
#include "consensus/limits.h"
#include "consensus/peer_faults.h"
#include "node/blob_sync.h"
#include "node/envelope.h"
#include "node/genesis.h"
#include "node/node.h"
#include "node/peer_log.h"
#include "util/bytes.h"

namespace onechain::node {

namespace {

int64_t NowMs() {
  using namespace std::chrono;
  return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
}

constexpr size_t kFileBytesMax = consensus::kMessageBytesMax;

template <typename T>
Result<std::optional<T>> ReadProto(const std::string& path) {
  std::error_code ec;
  if (!std::filesystem::exists(path, ec)) return std::optional<T>();
  Result<std::string> bytes = ReadFile(path, kFileBytesMax);
  if (!bytes.ok()) return bytes.status();
  T message;
  if (!message.ParseFromString(*bytes)) {
    return Status(pb::Status::IO, "the consensus file " + path + " is corrupt");
  }
  return std::optional<T>(std::move(message));
}

// The ordering root the validators vote on (see bft_driver.h).
std::string OrderingRoot(const crypto::Suite& suite, const std::string& parent_root,
                         const pb::ConsensusBlock& block) {
  return suite.Hash("onechain/bft/order/v1" + parent_root +
                    consensus::PayloadDigest(suite, block.batches()));
}

}  // namespace

BftDriver::BftDriver(Node& node, const crypto::PrivateKey& key, std::string dir,
                     std::string peer_listen)
    : node_(node), key_(key), dir_(std::move(dir)), peer_listen_(std::move(peer_listen)) {}

BftDriver::~BftDriver() { Stop(); }

Result<std::unique_ptr<BftDriver>> BftDriver::Create(Node& node, const crypto::PrivateKey& key,
                                                     const std::string& data_dir,
                                                     const std::string& peer_listen) {
  std::unique_ptr<BftDriver> driver(new BftDriver(node, key, data_dir + "/bft", peer_listen));
  if (Status st = driver->Recover(); !st.ok()) return st;
  auto certifier = CheckpointCertifier::Open(node.chain(), key, driver->params_.validator_keys,
                                             driver->dir_);
  if (!certifier.ok()) return certifier.status();
  driver->certifier_ = std::move(*certifier);
  return driver;
}

Status BftDriver::Recover() {
  std::error_code ec;
  std::filesystem::create_directories(dir_ + "/pending", ec);
  std::filesystem::create_directories(dir_ + "/committed", ec);
  if (ec) return Status(pb::Status::IO, "cannot create " + dir_ + ": " + ec.message());
  const Chain& chain = node_.chain();
  const pb::Genesis& genesis = chain.genesis();
  params_.chain_id = genesis.chain_id();
  params_.suite = &chain.suite();
  for (int i = 0; i < genesis.validators_size(); ++i) {
    params_.validator_keys.push_back(genesis.validators(i).public_key());
    if (genesis.validators(i).public_key() == key_.public_key()) self_ = static_cast<uint32_t>(i);
  }
  // The ordering roots start from the genesis hash (which covers the genesis state).
  params_.genesis = consensus::GenesisInfo(chain.suite(), chain.store().genesis_hash(),
                                           genesis.genesis_time_ms(), chain.store().genesis_hash());
  params_.CheckValid();

  auto safety = ReadProto<pb::SafetyState>(dir_ + "/safety.pb");
  if (!safety.ok()) return safety.status();
  if (safety->has_value()) recovery_.safety = std::move(**safety);
  auto root_qc = ReadProto<pb::QuorumCert>(dir_ + "/root.qc");
  if (!root_qc.ok()) return root_qc.status();
  if (root_qc->has_value()) {
    recovery_.root_qc = std::move(**root_qc);
    recovery_.root = recovery_.root_qc.vote_data().proposed();
  } else {
    recovery_.root = params_.genesis;
    recovery_.root_qc = consensus::GenesisQc(params_.genesis);
  }
  // The ledger commits a block before root.qc names it: a crash in between leaves the ledger one
  // block ahead, and the state machine commits that block again (Commit skips it).
  uint64_t ledger_height = chain.store().height();
  if (ledger_height < recovery_.root.height()) {
    return Status(pb::Status::IO, "the ledger is behind the consensus root: " +
                                      std::to_string(ledger_height) + " < " +
                                      std::to_string(recovery_.root.height()));
  }
  for (const auto& entry : std::filesystem::directory_iterator(dir_ + "/pending", ec)) {
    auto block = ReadProto<pb::ConsensusBlock>(entry.path().string());
    if (!block.ok() || !block->has_value()) continue;  // a torn write of a block never voted on
    uint64_t height = consensus::BlockHeight(**block);
    if (height <= recovery_.root.height()) {
      std::filesystem::remove(entry.path(), ec);
      continue;
    }
    pending_files_[entry.path().filename().string()] = height;
    recovery_.blocks.push_back(std::move(**block));
  }
  spdlog::info("consensus: validator {} of {}, committed height {} (ledger {}), {} blocks pending",
               self_, params_.n(), recovery_.root.height(), ledger_height,
               recovery_.blocks.size());
  status_.set_self(self_);
  status_.set_quorum(static_cast<uint32_t>(params_.quorum()));
  for (int i = 0; i < genesis.validators_size(); ++i) {
    pb::ConsensusValidator* v = status_.add_validators();
    v->set_index(static_cast<uint32_t>(i));
    v->set_org_id(genesis.validators(i).org_id());
    v->set_address(genesis.validators(i).address());
    v->set_public_key(genesis.validators(i).public_key());
    v->set_self(v->index() == self_);
  }
  return Status::Ok();
}

Status BftDriver::Start() {
  net::Options options;
  options.genesis = node_.chain().genesis();
  options.genesis_hash = node_.chain().store().genesis_hash();
  options.self = self_;
  options.key = std::shared_ptr<const crypto::PrivateKey>(&key_, [](const crypto::PrivateKey*) {});
  options.listen_address = peer_listen_;
  options.on_event = [this](net::Event event) {
    std::lock_guard lock(mu_);
    events_.push_back(std::move(event));
    wake_.notify_one();
  };
  auto network = net::Network::Start(std::move(options));
  if (!network.ok()) return network.status();
  net_ = std::move(*network);
  blob_sync_ = std::make_unique<BlobSync>(node_, *node_.blobs_, *net_, self_,
                                          [this](uint32_t p, const std::string& r) { Reject(p, r); });
  sm_ = std::make_unique<consensus::StateMachine>(
      params_, key_, self_, consensus::Options{kBftRoundTimeoutMs}, std::move(recovery_));
  {
    std::lock_guard lock(mu_);
    running_ = true;
  }
  {
    std::lock_guard lock(relay_mu_);
    relay_running_ = true;
  }
  {
    std::lock_guard lock(exec_mu_);
    exec_running_ = true;
  }
  executed_height_ = node_.chain().store().height();
  forgotten_height_ = executed_height_;
  // Named for top, perf and gdb.
  exec_thread_ = std::thread([this] {
    pthread_setname_np(pthread_self(), "bft-execute");
    ExecuteLoop();
  });
  relay_thread_ = std::thread([this] {
    pthread_setname_np(pthread_self(), "bft-relay");
    RelayAdmitLoop();
  });
  blob_sync_->Start();
  thread_ = std::thread([this] {
    pthread_setname_np(pthread_self(), "bft-consensus");
    Loop();
  });
  return Status::Ok();
}

void BftDriver::Stop() {
  {
    std::lock_guard lock(mu_);
    if (!running_) return;
    running_ = false;
    wake_.notify_all();
  }
  if (thread_.joinable()) thread_.join();
  // The executor finishes the blocks already committed (no more come), then stops.
  {
    std::lock_guard lock(exec_mu_);
    exec_running_ = false;
    exec_wake_.notify_all();
  }
  if (exec_thread_.joinable()) exec_thread_.join();
  {
    std::lock_guard lock(relay_mu_);
    relay_running_ = false;
    relay_wake_.notify_all();
  }
  if (relay_thread_.joinable()) relay_thread_.join();
  if (blob_sync_) blob_sync_->Stop();
  if (net_) net_->Stop();
}


pb::ConsensusInfo BftDriver::status() const {
  pb::ConsensusInfo out;
  {
    // Not under mu_ below: the network may hold its own lock while it hands us an event.
    std::lock_guard lock(mu_);
    out = status_;
  }
  for (pb::ConsensusValidator& v : *out.mutable_validators()) {
    v.set_connected(v.self() || (net_ && net_->IsConnected(v.index())));
  }
  FillCounters(*out.mutable_counters());
  return out;
}

void BftDriver::Fatal(const std::string& what) {
  spdlog::critical("consensus driver stopping: {}", what);
  std::abort();
}

void BftDriver::Loop() {
  Perform(sm_->Start(NowMs()));
  UpdateStatus();
  while (true) {
    std::deque<net::Event> events;
    {
      std::unique_lock lock(mu_);
      int64_t wait_ms = 200;
      int64_t now = NowMs();
      if (timer_) wait_ms = std::min(wait_ms, std::max<int64_t>(0, timer_->at_ms - now));
      if (payload_round_) wait_ms = std::min<int64_t>(wait_ms, 5);
      wait_ms = std::min<int64_t>(wait_ms, kRelayFlushMs);
      wake_.wait_for(lock, std::chrono::milliseconds(wait_ms),
                     [&] { return !running_ || !events_.empty(); });
      if (!running_) return;
      events.swap(events_);
    }
    for (net::Event& event : events) {
      if (event.kind == net::Event::Kind::kPeerUp) ResendTo(event.peer);
      if (event.kind != net::Event::Kind::kMessage) continue;
      if (event.type == kConsensusMessage) {
        OnConsensusMessage(event.peer, event.payload);
      } else if (event.type == kTxRelayMessage || event.type == kTxBatchRelayMessage) {
        OnRelayed(event.peer, event.type, std::move(event.payload));
      } else if (event.type == kCheckpointSignatureMessage) {
        // Counted, rate-limited in the log and held against the peer like other bad input.
        if (Status st = certifier_->OnMessage(event.peer, event.payload); !st.ok()) {
          Reject(event.peer, "checkpoint signature refused");
        }
      } else if (IsBlobSyncMessage(event.type)) {
        blob_sync_->OnMessage(event.peer, event.type, std::move(event.payload));
      }
    }
    int64_t now = NowMs();
    if (timer_ && timer_->at_ms <= now) {
      uint64_t round = timer_->round;
      timer_.reset();
      Perform(sm_->OnTimer(now, round));
    }
    ForgetExecuted();
    ProposeIfReady(NowMs());
    FlushRelay();
    UpdateStatus();
  }
}

void BftDriver::OnConsensusMessage(uint32_t peer, const std::string& payload) {
  // Attribute the state machine's faulty drops to the sender (consensus/peer_faults.h).
  consensus::DropCounts before = sm_->drops();
  consensus::Actions actions = sm_->OnMessage(NowMs(), peer, payload);
  for (const auto& [reason, count] : sm_->drops()) {
    if (count > before[reason] && consensus::IsPeerFault(reason)) Reject(peer, reason);
  }
  Perform(std::move(actions));
}

void BftDriver::UpdateStatus() {
  std::lock_guard lock(mu_);
  status_.set_round(sm_->current_round());
  status_.set_committed_height(sm_->committed().height());
  status_.set_leader(params_.LeaderOf(sm_->current_round()));
  status_.set_halted(sm_->halted());
  pb::ConsensusCounters& counters = *status_.mutable_counters();
  counters.mutable_dropped()->clear();
  for (const auto& [reason, count] : sm_->drops()) (*counters.mutable_dropped())[reason] = count;
  counters.set_certified_blocks_executed(certified_blocks_executed_);
  counters.set_certified_txs_unverified(certified_txs_unverified_);
}

void BftDriver::ProposeIfReady(int64_t now_ms) {
  if (!payload_round_) return;
  const int64_t waited = now_ms - payload_asked_ms_;
  if (exec_backlog_.load() >= kExecBacklogMax && waited < kBftRoundTimeoutMs / 2) return;
  // The proposal extends the highest certified block: skip what it and its uncommitted
  // ancestors carry. Gathered once per round asked for: while the leader waits, the chain it
  // extends does not change, and an ancestor the executor finishes meanwhile has left the
  // mempool, so skipping its transactions still is harmless.
  if (carried_round_ != *payload_round_) {
    carried_round_ = *payload_round_;
    carried_.clear();
    carrying_ = false;
    for (auto it = uncommitted_.find(consensus::QcBlockId(sm_->high_qc()));
         it != uncommitted_.end(); it = uncommitted_.find(it->second.parent_id)) {
      carried_.insert(it->second.tx_hashes.begin(), it->second.tx_hashes.end());
      carrying_ |= !it->second.tx_hashes.empty();
    }
  }
  const bool carrying = carrying_;
  auto skip = [&](const std::string& hash) { return carried_.contains(hash); };
  std::vector<std::string> txs = node_.mempool_.PeekEnvelopes(
      kBlockTxsMax, consensus::kBlockPayloadBytesMax - (64u << 10), skip);
  // Wait a little for more transactions while the pipeline still carries some; an idle leader
  // waits longer before an empty block.
  if (txs.size() < kBlockTxsMax &&
      waited < (txs.empty() && !carrying ? kBftIdleProposalMs : kBftBusyProposalMs)) {
    return;
  }
  std::vector<std::string> batches;
  pb::Block batch;
  size_t batch_bytes = 0;
  for (std::string& envelope : txs) {
    if (batch_bytes + envelope.size() + 16 > consensus::kBatchBytesMax && batch.txs_size() > 0) {
      batches.push_back(batch.SerializeAsString());
      batch.Clear();
      batch_bytes = 0;
    }
    if (batches.size() + 1 >= consensus::kBlockBatchesMax) break;
    batch_bytes += envelope.size() + 16;
    batch.add_txs(std::move(envelope));
  }
  if (batch.txs_size() > 0) batches.push_back(batch.SerializeAsString());
  uint64_t round = *payload_round_;
  payload_round_.reset();
  carried_.clear();
  carried_round_ = 0;
  Perform(sm_->OnPayload(now_ms, round, std::move(batches)));
}

void BftDriver::Perform(consensus::Actions actions) {
  // Actions run in order; the inputs an action answers (OnExecuted) return actions that run
  // after the rest of the current list, never in the middle of it.
  for (consensus::Action& action : actions) queue_.push_back(std::move(action));
  if (performing_) return;
  performing_ = true;
  while (!queue_.empty()) {
    consensus::Action action = std::move(queue_.front());
    queue_.pop_front();
    if (auto* a = std::get_if<consensus::PersistSafety>(&action)) {
      if (Status st = WriteFile(dir_ + "/safety.pb", a->state.SerializeAsString(), 0600); !st.ok()) {
        Fatal("cannot persist the safety state: " + st.ToString());
      }
    } else if (auto* a = std::get_if<consensus::PersistBlock>(&action)) {
      std::string name = ToHex(a->block_id);
      if (Status st = WriteFile(dir_ + "/pending/" + name, a->block.SerializeAsString());
          !st.ok()) {
        Fatal("cannot persist a block: " + st.ToString());
      }
      std::lock_guard lock(files_mu_);
      pending_files_[name] = consensus::BlockHeight(a->block);
    } else if (auto* a = std::get_if<consensus::Send>(&action)) {
      RememberSent(*a);
      if (a->to) {
        net_->Send(*a->to, kConsensusMessage, a->bytes);
      } else {
        net_->Broadcast(kConsensusMessage, a->bytes);
      }
    } else if (auto* a = std::get_if<consensus::ExecuteBlock>(&action)) {
      Execute(*a);
    } else if (auto* a = std::get_if<consensus::CommitBlock>(&action)) {
      Commit(*a);
    } else if (auto* a = std::get_if<consensus::SetTimer>(&action)) {
      timer_ = *a;
    } else if (auto* a = std::get_if<consensus::NeedPayload>(&action)) {
      payload_round_ = a->round;
      payload_asked_ms_ = NowMs();
    } else if (auto* a = std::get_if<consensus::ServeCommitted>(&action)) {
      Serve(*a);
    }
  }
  performing_ = false;
}

void BftDriver::RememberSent(const consensus::Send& send) {
  // The kind from the first tag byte of pb::ConsensusMessage (proposal 1, vote 2, timeout 3,
  // length-delimited) rather than a parse of a payload of megabytes. Each is sent in the round
  // the state machine is in once the call that made it returns.
  if (send.bytes.empty()) return;
  const char tag = send.bytes[0];
  const uint64_t round = sm_->current_round();
  if ((tag == '\x0a' || tag == '\x1a') && !send.to) {
    last_broadcast_ = Sent{round, std::nullopt, send.bytes};
  } else if (tag == '\x12' && send.to) {
    last_vote_ = Sent{round, send.to, send.bytes};
  }
}

void BftDriver::ResendTo(uint32_t peer) {
  const uint64_t round = sm_->current_round();
  if (!last_broadcast_.bytes.empty() && last_broadcast_.round == round) {
    net_->Send(peer, kConsensusMessage, last_broadcast_.bytes);
  }
  if (!last_vote_.bytes.empty() && last_vote_.round == round && last_vote_.to == peer) {
    net_->Send(peer, kConsensusMessage, last_vote_.bytes);
  }
}

void BftDriver::Execute(const consensus::ExecuteBlock& action) {
  if (action.certified) ++certified_blocks_executed_;
  const crypto::Suite& suite = node_.chain().suite();
  const pb::Genesis& genesis = node_.chain().genesis();
  bool valid = true;
  std::vector<std::string> hashes;
  std::vector<mempool::PendingTx> decoded_txs;
  std::unordered_set<std::string> seen;
  for (const std::string& bytes : action.block.batches()) {
    pb::Block batch;
    if (!batch.ParseFromString(bytes) || !batch.header().empty() ||
        !batch.proposer_signature().empty()) {
      valid = false;
      break;
    }
    for (const std::string& envelope : batch.txs()) {
      Result<DecodedTx> decoded = DecodeEnvelope(envelope);
      if (!decoded.ok()) {
        valid = false;
        break;
      }
      const pb::TxBody& body = decoded->body;
      const pb::SignedTx& signed_tx = decoded->envelope;
      std::string hash = TxHash(suite, signed_tx);
      // Each signature once per node: one admitted here (from a client or a relay) or carried by
      // an earlier proposal is not verified again, and none of a block a verified QC already
      // certifies (docs/consensus.md, "Certified payloads").
      auto signature_ok = [&] {
        if (action.certified) {
          ++certified_txs_unverified_;
          return true;
        }
        return node_.mempool_.verified().VerifyOnce(hash, signed_tx.signature(), [&] {
          return suite.Verify(body.signer(), signed_tx.body(), signed_tx.signature());
        });
      };
      if (body.chain_id() != genesis.chain_id() || body.suite() != genesis.suite() ||
          body.signer().size() != suite.public_key_bytes() || !signature_ok() ||
          !seen.insert(hash).second) {
        valid = false;
        break;
      }
      hashes.push_back(hash);
      mempool::PendingTx& tx = decoded_txs.emplace_back();
      tx.hash = std::move(hash);
      tx.envelope = envelope;
      tx.body = std::move(decoded->body);
    }
    if (!valid) break;
  }
  std::string root = valid ? OrderingRoot(suite, action.parent_state_root, action.block) : "";
  if (valid) {
    uncommitted_[action.block_id] =
        Uncommitted{action.parent_id, consensus::BlockHeight(action.block), std::move(hashes)};
    decoded_[action.block_id] = std::move(decoded_txs);
  } else {
    LogPeerFault(fmt::format("block {} of round {} carries an unacceptable transaction",
                             ToHex(action.block_id), action.block.round()));
  }
  Perform(sm_->OnExecuted(NowMs(), action.block_id, root, valid));
}

void BftDriver::Commit(const consensus::CommitBlock& action) {
  spdlog::debug("consensus: commit height {} round {}", action.height, action.block.round());
  ExecJob job{action, std::nullopt};
  if (auto it = decoded_.find(action.block_id); it != decoded_.end()) {
    job.decoded = std::move(it->second);
    decoded_.erase(it);
  }
  std::lock_guard lock(exec_mu_);
  exec_queue_.push_back(std::move(job));
  ++exec_backlog_;
  exec_wake_.notify_one();
}

void BftDriver::ForgetExecuted() {
  const uint64_t executed = executed_height_.load();
  if (executed <= forgotten_height_) return;
  forgotten_height_ = executed;
  std::erase_if(uncommitted_, [&](const auto& entry) { return entry.second.height <= executed; });
  std::erase_if(decoded_, [&](const auto& entry) { return !uncommitted_.contains(entry.first); });
}

void BftDriver::ExecuteLoop() {
  while (true) {
    ExecJob job;
    {
      std::unique_lock lock(exec_mu_);
      exec_wake_.wait(lock, [&] { return !exec_running_ || !exec_queue_.empty(); });
      if (exec_queue_.empty()) return;  // stopped, and nothing left to execute
      job = std::move(exec_queue_.front());
      exec_queue_.pop_front();
    }
    ApplyCommitted(job);
    executed_height_ = std::max(executed_height_.load(), job.commit.height);
    --exec_backlog_;
  }
}

void BftDriver::ApplyCommitted(ExecJob& job) {
  const consensus::CommitBlock& action = job.commit;
  Chain& chain = *node_.chain_;
  std::vector<std::string> committed_hashes;
  if (action.height > chain.store().height()) {
    if (action.height != chain.store().height() + 1) {
      Fatal("commit of height " + std::to_string(action.height) + " on ledger height " +
            std::to_string(chain.store().height()));
    }
    // The transactions in order; one already committed (relayed twice, or proposed again after
    // a round that failed) is skipped, alike at every validator.
    if (!job.decoded) {  // executed elsewhere (recovered, or fetched and certified)
      job.decoded.emplace();
      for (const std::string& bytes : action.block.batches()) {
        pb::Block batch;
        batch.ParseFromString(bytes);  // checked in Execute before this validator voted
        for (const std::string& envelope : batch.txs()) {
          Result<DecodedTx> decoded = DecodeEnvelope(envelope);
          if (!decoded.ok()) Fatal("a committed block carries an undecodable transaction");
          mempool::PendingTx& tx = job.decoded->emplace_back();
          tx.hash = TxHash(chain.suite(), decoded->envelope);
          tx.envelope = envelope;
          tx.body = std::move(decoded->body);
        }
      }
    }
    std::vector<mempool::PendingTx> txs;
    std::unordered_set<std::string> seen;
    for (mempool::PendingTx& tx : *job.decoded) {
      auto location = chain.store().GetTxLocation(tx.hash);
      if (!location.ok()) Fatal("ledger read failed: " + location.status().ToString());
      committed_hashes.push_back(tx.hash);
      if (location->has_value() || !seen.insert(tx.hash).second) continue;
      txs.push_back(std::move(tx));
    }
    const std::string& proposer = params_.validator_keys.at(action.block.proposer());
    ExecutedBlock block = chain.ExecuteOrdered(txs, action.block.time_ms(), proposer);
    {
      std::lock_guard lock(node_.commit_mu_);
      if (Status st = chain.Commit(block); !st.ok()) {
        Fatal("cannot commit block " + std::to_string(action.height) + ": " + st.ToString());
      }
      node_.mempool_.Remove(committed_hashes);
      node_.ObserveCommitted(committed_hashes);
      node_.height_ = block.header.height();
    }
    {
      std::lock_guard lock(node_.height_mu_);
      ++node_.commits_;
    }
    node_.height_changed_.notify_all();
    spdlog::debug("committed block {} (round {}) with {} transactions", action.height,
                  action.block.round(), txs.size());
    Result<std::string> signature = certifier_->OnExecuted(action.height);
    if (!signature.ok()) Fatal("cannot sign checkpoint: " + signature.status().ToString());
    net_->Broadcast(kCheckpointSignatureMessage, *signature);
  }
  // Durable for serving and recovery, in the order recovery expects: the block is in the ledger
  // before root.qc names it, and a pending block is forgotten only once the ledger holds its
  // height (until then a restart recovers and commits it again).
  std::string name = ToHex(action.block_id);
  if (Status st = WriteFile(dir_ + "/committed/" + name, action.block.SerializeAsString());
      !st.ok()) {
    Fatal("cannot store a committed block: " + st.ToString());
  }
  if (Status st = WriteFile(dir_ + "/root.qc", action.qc.SerializeAsString()); !st.ok()) {
    Fatal("cannot persist the root certificate: " + st.ToString());
  }
  std::lock_guard lock(files_mu_);
  std::error_code ec;
  for (auto it = pending_files_.begin(); it != pending_files_.end();) {
    if (it->second > action.height) {
      ++it;
      continue;
    }
    std::filesystem::remove(dir_ + "/pending/" + it->first, ec);
    it = pending_files_.erase(it);
  }
}

void BftDriver::Serve(const consensus::ServeCommitted& action) {
  std::vector<pb::ConsensusBlock> blocks;
  size_t bytes = 0;
  std::string id = action.block_id;
  while (blocks.size() < action.count && blocks.size() < consensus::kResponseBlocksMax) {
    // A block the executor has not reached yet is still under pending/.
    auto block = ReadProto<pb::ConsensusBlock>(dir_ + "/committed/" + ToHex(id));
    if (block.ok() && !block->has_value()) {
      block = ReadProto<pb::ConsensusBlock>(dir_ + "/pending/" + ToHex(id));
    }
    if (!block.ok() || !block->has_value()) break;
    bytes += (*block)->ByteSizeLong();
    if (bytes > consensus::kResponseBytesMax - (64u << 10) && !blocks.empty()) break;
    id = consensus::QcBlockId((*block)->qc());
    blocks.push_back(std::move(**block));
  }
  if (blocks.empty()) return;
  net_->Send(action.peer, kConsensusMessage, consensus::EncodeBlockResponse(blocks));
}

}  // namespace onechain::node
