#include "node/node.h"

#include <spdlog/spdlog.h>

#include <chrono>

#include "contracts/cases.h"
#include "node/bft_driver.h"
#include "node/genesis.h"
#include "util/bytes.h"

namespace onechain::node {

namespace {
int64_t WallClockMs() {
  using namespace std::chrono;
  return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
}
}  // namespace

Node::Node(std::unique_ptr<Chain> chain, std::unique_ptr<crypto::PrivateKey> validator_key)
    : chain_(std::move(chain)), validator_key_(std::move(validator_key)) {
  height_ = chain_->store().height();
}

Node::~Node() { Stop(); }

Result<std::unique_ptr<Node>> Node::Open(const Config& config) {
  auto genesis = LoadGenesisFile(config.genesis_path);
  if (!genesis.ok()) return genesis.status();
  auto pem = ReadFile(config.validator_key_path, 64 * 1024);
  if (!pem.ok()) return pem.status();
  auto key = crypto::PrivateKeyFromPem(*pem, config.key_passphrase);
  if (!key.ok()) return key.status();
  bool is_validator = false;
  for (const auto& validator : genesis->validators()) {
    is_validator |= validator.public_key() == (*key)->public_key();
  }
  if (!is_validator || (*key)->suite() != genesis->suite()) {
    return Status(pb::Status::INVALID_ARGUMENT,
                  "the key in " + config.validator_key_path + " is not a validator of this genesis");
  }
  bool several = genesis->validators_size() > 1;
  auto chain = Chain::Open(config.data_dir, std::move(*genesis));
  if (!chain.ok()) return chain.status();
  std::unique_ptr<Node> node(new Node(std::move(*chain), std::move(*key)));
  auto blobs = ledger::BlobStore::Open(config.data_dir + "/blobs", node->chain_->suite());
  if (!blobs.ok()) return blobs.status();
  node->blobs_ = std::move(*blobs);
  if (several) {
    auto driver = BftDriver::Create(*node, *node->validator_key_, config.data_dir,
                                    config.peer_listen);
    if (!driver.ok()) return driver.status();
    node->bft_ = std::move(*driver);
  }
  return node;
}

void Node::Start() {
  if (running_.exchange(true)) return;
  if (bft_) {
    if (Status st = bft_->Start(); !st.ok()) {
      spdlog::critical("cannot start the peer links: {}", st.ToString());
      std::abort();
    }
    return;
  }
  producer_ = std::thread([this] { ProduceLoop(); });
}

void Node::Stop() {
  if (!running_.exchange(false)) return;
  if (bft_) bft_->Stop();
  if (producer_.joinable()) producer_.join();
  std::lock_guard lock(height_mu_);
  height_changed_.notify_all();
}

uint64_t Node::height() const { return height_.load(); }

void Node::ProduceLoop() {
  while (running_) {
    // A block when kBlockTxsMax transactions wait, or every kBlockIntervalMs otherwise.
    mempool_.WaitFor(kBlockTxsMax, kBlockIntervalMs);
    std::vector<mempool::PendingTx> batch = mempool_.TakeBatch(kBlockTxsMax, kBlockBytesMax);
    if (batch.empty()) continue;
    if (!ProduceBlock(batch)) {
      spdlog::critical("block production stopped");
      std::abort();
    }
  }
}

bool Node::ProduceBlock(std::vector<mempool::PendingTx>& batch) {
  ExecutedBlock block = chain_->Execute(batch, WallClockMs(), *validator_key_);
  {
    std::lock_guard lock(commit_mu_);
    if (Status st = chain_->Commit(block); !st.ok()) {
      spdlog::critical("cannot commit block {}: {}", block.header.height(), st.ToString());
      return false;
    }
    mempool_.Confirm(batch);
    ObserveCommitted(batch);
    height_ = block.header.height();
  }
  {
    std::lock_guard lock(height_mu_);
    ++commits_;
  }
  height_changed_.notify_all();
  spdlog::debug("committed block {} with {} transactions", block.header.height(), batch.size());
  return true;
}

Result<Node::Prepared> Node::Prepare(std::string_view envelope_bytes) {
  Result<DecodedTx> decoded = DecodeEnvelope(envelope_bytes);
  if (!decoded.ok()) return decoded.status();
  const crypto::Suite& suite = chain_->suite();
  Prepared prepared{TxHash(suite, decoded->envelope), std::move(*decoded)};
  const pb::TxBody& body = prepared.decoded.body;
  const pb::Genesis& genesis = chain_->genesis();
  if (body.chain_id() != genesis.chain_id()) {
    return Status(pb::Status::WRONG_CHAIN, "transaction is for chain '" +
                                               body.chain_id().substr(0, 64) + "', this is '" +
                                               genesis.chain_id() + "'");
  }
  if (body.suite() != genesis.suite()) {
    return Status(pb::Status::WRONG_SUITE, "transaction names another crypto suite");
  }
  const pb::SignedTx& envelope = prepared.decoded.envelope;
  const std::string& signer = body.signer();
  if (signer.size() != suite.public_key_bytes() ||
      !mempool_.verified().VerifyOnce(prepared.hash, envelope.signature(), [&] {
        return suite.Verify(signer, envelope.body(), envelope.signature());
      })) {
    Status status(pb::Status::BAD_SIGNATURE,
                  "the signature does not verify over the body with the signer's key");
    RememberRejection(prepared.hash, status);
    return status;
  }
  return prepared;
}

Result<std::string> Node::Admit(std::string_view envelope_bytes, Prepared prepared) {
  const std::string& hash = prepared.hash;
  const pb::TxBody& body = prepared.decoded.body;
  auto reject = [&](Status status) -> Result<std::string> {
    RememberRejection(hash, status);
    return status;
  };
  auto location = chain_->store().GetTxLocation(hash);
  if (!location.ok()) return location.status();
  if (location->has_value() || mempool_.Contains(hash)) {
    return Status(pb::Status::DUPLICATE, "transaction " + ToHex(hash) + " is already known");
  }
  const contracts::Executor& executor = chain_->executor();
  std::optional<pb::Account> signer = executor.LoadAccountByKey(chain_->state(), body.signer());
  // The nonce is judged by the mempool against pending transactions, so pass it through here.
  Status status = executor.CheckSigner(signer, body, body.nonce());
  if (status.ok()) status = executor.Precheck(signer, body);
  if (status.ok() && body.valid_until_height() <= chain_->store().height()) {
    status = Status(pb::Status::EXPIRED, "valid until height " +
                                             std::to_string(body.valid_until_height()) +
                                             ", the chain is at " +
                                             std::to_string(chain_->store().height()));
  }
  if (!status.ok()) return reject(status);
  mempool::PendingTx pending;
  pending.hash = hash;
  pending.account_id =
      signer ? signer->id() : contracts::AccountIdForKey(chain_->suite(), body.signer());
  pending.nonce = body.nonce();
  pending.envelope = std::string(envelope_bytes);
  pending.body = std::move(prepared.decoded.body);
  status = mempool_.Add(std::move(pending), signer ? signer->nonce() : 0);
  if (!status.ok()) return reject(status);
  ForgetRejection(hash);  // an earlier refusal of the same bytes no longer describes them
  NoteAdmitted(hash);
  return hash;
}

Result<std::string> Node::Submit(std::string_view envelope_bytes) {
  Result<Prepared> prepared = Prepare(envelope_bytes);
  if (!prepared.ok()) return prepared.status();
  if (Status st = CheckBlobsHeld(prepared->decoded.body); !st.ok()) return st;
  Result<std::string> hash = [&] {
    std::lock_guard lock(commit_mu_);
    return Admit(envelope_bytes, std::move(*prepared));
  }();
  if (hash.ok() && bft_) bft_->Relay(std::string(envelope_bytes));
  return hash;
}

Status Node::AdmitRelayed(std::string_view envelope_bytes) {
  Result<Prepared> prepared = Prepare(envelope_bytes);
  if (!prepared.ok()) return prepared.status();
  std::lock_guard lock(commit_mu_);
  Result<std::string> hash = Admit(envelope_bytes, std::move(*prepared));
  return hash.ok() ? Status::Ok() : hash.status();
}

Result<pb::ConsensusInfo> Node::GetConsensus() const {
  if (!bft_) return Status(pb::Status::NOT_FOUND, "a single validator orders the blocks");
  return bft_->status();
}

std::vector<Result<std::string>> Node::SubmitBatch(const std::vector<std::string_view>& envelopes) {
  std::vector<Result<Prepared>> prepared;
  prepared.reserve(envelopes.size());
  for (std::string_view bytes : envelopes) {
    prepared.push_back(Prepare(bytes));
    if (!prepared.back().ok()) continue;
    if (Status st = CheckBlobsHeld(prepared.back()->decoded.body); !st.ok()) prepared.back() = st;
  }
  std::vector<Result<std::string>> results;
  results.reserve(envelopes.size());
  {
    std::lock_guard lock(commit_mu_);
    for (size_t i = 0; i < envelopes.size(); ++i) {
      if (!prepared[i].ok()) {
        results.emplace_back(prepared[i].status());
      } else {
        results.push_back(Admit(envelopes[i], std::move(*prepared[i])));
      }
    }
  }
  if (bft_) {
    for (size_t i = 0; i < envelopes.size(); ++i) {
      if (results[i].ok()) bft_->Relay(std::string(envelopes[i]));
    }
  }
  return results;
}

void Node::RememberRejection(const std::string& hash, const Status& status) {
  std::lock_guard lock(rejections_mu_);
  if (!rejections_.emplace(hash, status).second) return;
  rejection_order_.push_back(hash);
  if (rejection_order_.size() > kRecentRejectionsMax) {
    rejections_.erase(rejection_order_.front());
    rejection_order_.pop_front();
  }
}

void Node::ForgetRejection(const std::string& hash) {
  std::lock_guard lock(rejections_mu_);
  rejections_.erase(hash);  // its place in rejection_order_ expires harmlessly
}

Result<pb::TxStatus> Node::CommittedStatus(const std::string& hash) const {
  auto receipt = chain_->store().GetReceipt(hash);
  if (!receipt.ok()) return receipt.status();
  if (!receipt->has_value()) return Status(pb::Status::NOT_FOUND, "not committed");
  pb::TxStatus out;
  out.set_hash(ToHex(hash));
  out.set_state(pb::TxStatus::COMMITTED);
  out.set_height((*receipt)->height());
  out.set_index((*receipt)->index());
  out.set_code((*receipt)->code());
  out.set_message((*receipt)->message());
  out.set_record_id((*receipt)->record_id());
  auto block_bytes = chain_->store().GetBlock((*receipt)->height());
  pb::Block block;
  if (!block_bytes.ok() || !block_bytes->has_value() || !block.ParseFromString(**block_bytes) ||
      static_cast<int>((*receipt)->index()) >= block.txs_size()) {
    return Status(pb::Status::IO, "the block of a committed transaction is missing or corrupt");
  }
  pb::SignedTx envelope;
  if (envelope.ParseFromString(block.txs((*receipt)->index()))) {
    out.mutable_body()->ParseFromString(envelope.body());
    out.set_signature(envelope.signature());
  }
  return out;
}

Result<pb::TxStatus> Node::GetTxStatus(std::string_view hash_hex, int64_t wait_ms) {
  std::optional<std::string> hash = FromHex(hash_hex);
  if (!hash || hash->size() != crypto::kHashBytes) {
    return Status(pb::Status::INVALID_ARGUMENT, "a transaction hash is 64 hex digits");
  }
  auto deadline = std::chrono::steady_clock::now() +
                  std::chrono::milliseconds(std::clamp<int64_t>(wait_ms, 0, kCommitWaitMsMax));
  while (true) {
    uint64_t commits_seen;
    {
      std::lock_guard lock(height_mu_);
      commits_seen = commits_;
    }
    Result<pb::TxStatus> committed = CommittedStatus(*hash);
    if (committed.ok() || committed.status().code() != pb::Status::NOT_FOUND) return committed;
    if (!mempool_.Contains(*hash)) {
      // It may have committed (and left the mempool) since the receipt lookup above.
      committed = CommittedStatus(*hash);
      if (committed.ok() || committed.status().code() != pb::Status::NOT_FOUND) return committed;
      std::lock_guard lock(rejections_mu_);
      if (auto it = rejections_.find(*hash); it != rejections_.end()) {
        pb::TxStatus out;
        out.set_hash(ToHex(*hash));
        out.set_state(pb::TxStatus::REJECTED);
        out.set_code(it->second.code());
        out.set_message(it->second.message());
        return out;
      }
      return Status(pb::Status::NOT_FOUND, "no transaction " + ToHex(*hash) + " is known here");
    }
    std::unique_lock lock(height_mu_);
    bool committed_since = height_changed_.wait_until(
        lock, deadline, [&] { return commits_ != commits_seen || !running_; });
    if (!committed_since || !running_) {
      pb::TxStatus out;
      out.set_hash(ToHex(*hash));
      out.set_state(pb::TxStatus::PENDING);
      return out;
    }
  }
}

Result<pb::BlockView> Node::GetBlock(uint64_t height) const {
  auto bytes = chain_->store().GetBlock(height);
  if (!bytes.ok()) return bytes.status();
  if (!bytes->has_value()) {
    return Status(pb::Status::NOT_FOUND, "no block at height " + std::to_string(height));
  }
  pb::Block block;
  pb::BlockView view;
  if (!block.ParseFromString(**bytes) || !view.mutable_header()->ParseFromString(block.header())) {
    return Status(pb::Status::IO, "block " + std::to_string(height) + " is corrupt");
  }
  const crypto::Suite& suite = chain_->suite();
  view.set_hash(ToHex(suite.Hash(block.header())));
  for (const std::string& tx : block.txs()) {
    pb::SignedTx envelope;
    envelope.ParseFromString(tx);
    view.add_tx_hashes(ToHex(TxHash(suite, envelope)));
  }
  view.set_proposer_signature(block.proposer_signature());
  return view;
}

Result<pb::Account> Node::GetAccount(std::string_view account_id) const {
  auto account = chain_->executor().LoadAccount(chain_->state(), account_id);
  if (!account) {
    return Status(pb::Status::NOT_FOUND, "no account " + std::string(account_id.substr(0, 64)));
  }
  return std::move(*account);
}

Result<pb::Account> Node::GetAccountByKey(std::string_view public_key) const {
  auto account = chain_->executor().LoadAccountByKey(chain_->state(), public_key);
  if (!account) return Status(pb::Status::NOT_FOUND, "no account holds this public key");
  return std::move(*account);
}

Result<pb::OrgList> Node::ListOrgs() const {
  auto rows = chain_->store().ScanState(contracts::kOrgKeyPrefix, 10'000);
  if (!rows.ok()) return rows.status();
  pb::OrgList list;
  for (const auto& [key, value] : *rows) list.add_orgs()->ParseFromString(value);
  return list;
}

Result<pb::Case> Node::GetCase(std::string_view case_id) const {
  std::optional<pb::Case> record = contracts::LoadCase(chain_->state(), case_id);
  if (!record) return Status(pb::Status::NOT_FOUND, "no case " + std::string(case_id.substr(0, 64)));
  return std::move(*record);
}

Result<pb::CaseList> Node::SearchCases(const CaseQuery& query) const {
  return node::SearchCases(chain_->store(), chain_->state(), query);
}

pb::Health Node::Health() const {
  pb::Health health;
  health.set_status(running_ ? "ok" : "stopped");
  health.set_chain_id(chain_->genesis().chain_id());
  health.set_height(height());
  health.set_pending_txs(static_cast<uint32_t>(mempool_.size()));
  health.set_suite(chain_->genesis().suite());
  health.set_genesis_hash(ToHex(chain_->store().genesis_hash()));
  return health;
}

}  // namespace onechain::node

namespace onechain::node {

uint64_t Node::WaitForHeightAbove(uint64_t height, int64_t wait_ms) {
  std::unique_lock lock(height_mu_);
  height_changed_.wait_for(lock, std::chrono::milliseconds(std::max<int64_t>(wait_ms, 0)),
                           [&] { return height_.load() > height || !running_; });
  return height_.load();
}

}  // namespace onechain::node
