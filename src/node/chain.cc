#include "node/chain.h"

#include <spdlog/spdlog.h>

#include <cstdlib>

#include "ledger/log_tree.h"
#include "ledger/merkle.h"
#include "ledger/state_tree.h"
#include "node/case_search.h"
#include "node/document_index.h"
#include "node/genesis.h"

namespace onechain::node {

namespace {
// Nodes per generation of the in-memory node cache (two generations; a node record is ~100 B).
constexpr size_t kRecentProofNodesMax = 200'000;

// Like a failed state read: the node must stop rather than commit a partial block.
[[noreturn]] void Fatal(std::string_view what, const Status& status) {
  spdlog::critical("{}, stopping: {}", what, status.ToString());
  std::abort();
}
}  // namespace

std::optional<std::string> CommittedState::Get(std::string_view key) const {
  auto value = store_.GetState(key);
  if (!value.ok()) {
    spdlog::critical("state read failed, stopping: {}", value.status().message());
    std::abort();
  }
  return std::move(*value);
}

Chain::Chain(std::unique_ptr<ledger::Store> store, pb::Genesis genesis, const crypto::Suite& suite)
    : suite_(suite),
      store_(std::move(store)),
      state_(*store_),
      store_nodes_(*store_),
      recent_nodes_(store_nodes_, kRecentProofNodesMax),
      executor_(suite, std::move(genesis)) {}

Result<std::unique_ptr<Chain>> Chain::Open(const std::string& data_dir, pb::Genesis genesis) {
  if (Status st = ValidateGenesis(genesis); !st.ok()) return st;
  const crypto::Suite* suite = crypto::GetSuite(genesis.suite());
  auto store = ledger::Store::Open(data_dir);
  if (!store.ok()) return store.status();
  std::unique_ptr<Chain> chain(new Chain(std::move(*store), std::move(genesis), *suite));
  std::string genesis_bytes = GenesisBytes(chain->genesis());
  if (!chain->store_->initialized()) {
    if (Status st = chain->InitGenesis(); !st.ok()) return st;
  } else if (chain->store_->genesis_bytes() != genesis_bytes) {
    return Status(pb::Status::FAILED_PRECONDITION,
                  "the data directory " + data_dir + " belongs to another genesis");
  }
  if (Status st = chain->LoadHeadTime(); !st.ok()) return st;
  if (Status st = EnsureCaseIndex(*chain->store_); !st.ok()) return st;
  if (Status st = EnsureDocumentIndex(*chain->store_); !st.ok()) return st;
  return chain;
}

Status Chain::InitGenesis() {
  contracts::Overlay state(state_);
  if (Status st = executor_.ApplyGenesis(state); !st.ok()) return st;
  std::string bytes = GenesisBytes(genesis());
  std::string genesis_hash = suite_.Hash(bytes);
  // Version 0 of the state tree is the genesis state; its root is the store's state root.
  ledger::StoreNodes nodes(*store_);
  ledger::NodeWrites proof_writes;
  Result<std::string> root = ledger::StateTree(suite_, nodes).Update(0, state.writes(), proof_writes);
  if (!root.ok()) return root.status();
  return store_->InitGenesis(bytes, genesis_hash, state.writes(), *root, proof_writes);
}

Status Chain::LoadHeadTime() {
  head_time_ms_ = genesis().genesis_time_ms();
  if (store_->height() == 0) return Status::Ok();
  auto bytes = store_->GetBlock(store_->height());
  if (!bytes.ok()) return bytes.status();
  pb::Block block;
  pb::BlockHeader header;
  if (!bytes->has_value() || !block.ParseFromString(**bytes) ||
      !header.ParseFromString(block.header())) {
    return Status(pb::Status::IO, "the head block is missing or corrupt");
  }
  head_time_ms_ = header.time_ms();
  return Status::Ok();
}

ExecutedBlock Chain::Execute(const std::vector<mempool::PendingTx>& txs, int64_t time_ms,
                             const crypto::PrivateKey& proposer) const {
  return ExecuteAs(txs, time_ms, proposer.public_key(), &proposer);
}

ExecutedBlock Chain::ExecuteOrdered(const std::vector<mempool::PendingTx>& txs, int64_t time_ms,
                                    const std::string& proposer_public_key) const {
  return ExecuteAs(txs, time_ms, proposer_public_key, nullptr);
}

ExecutedBlock Chain::ExecuteAs(const std::vector<mempool::PendingTx>& txs, int64_t time_ms,
                               const std::string& proposer_public_key,
                               const crypto::PrivateKey* signer) const {
  ExecutedBlock out;
  pb::BlockHeader& header = out.header;
  header.set_chain_id(genesis().chain_id());
  header.set_height(store_->height() + 1);
  header.set_prev_hash(store_->head_hash());
  header.set_time_ms(std::max(time_ms, head_time_ms_));
  header.set_proposer(proposer_public_key);

  contracts::BlockContext context{header.height(), header.time_ms()};
  contracts::Overlay block_state(state_);
  pb::Block block;
  std::vector<std::string> receipt_bytes;
  ledger::BlockCommit& commit = out.commit;
  for (const mempool::PendingTx& tx : txs) {
    pb::Receipt receipt = executor_.Execute(context, tx.body, tx.hash, block_state);
    receipt.set_index(static_cast<uint32_t>(commit.receipts.size()));
    receipt_bytes.push_back(receipt.SerializeAsString());
    commit.receipts.push_back(std::move(receipt));
    commit.tx_hashes.push_back(tx.hash);
    block.add_txs(tx.envelope);
  }
  header.set_tx_count(static_cast<uint32_t>(txs.size()));
  header.set_tx_root(ledger::MerkleRoot(
      suite_, std::vector<std::string>(block.txs().begin(), block.txs().end())));
  header.set_receipts_root(ledger::MerkleRoot(suite_, receipt_bytes));
  // The ledger accumulator over every committed transaction, and the state tree after the block
  // (docs/state-tree.md). Both read the committed nodes and add this block's to proof_writes,
  // which the store writes in the block's one synced batch.
  const ledger::NodeReader& nodes = recent_nodes_;
  Result<ledger::LogTree> log = ledger::LogTree::Load(suite_, nodes);
  if (!log.ok()) Fatal("cannot load the ledger accumulator", log.status());
  log->Append(std::vector<std::string>(block.txs().begin(), block.txs().end()),
              commit.proof_writes);
  header.set_log_size(log->size());
  header.set_log_root(log->Root());
  Result<std::string> state_root =
      ledger::StateTree(suite_, nodes).Update(header.height(), block_state.writes(),
                                              commit.proof_writes, committed_top_, &out.state_top);
  if (!state_root.ok()) Fatal("cannot update the state tree", state_root.status());
  commit.state_root = std::move(*state_root);
  header.set_state_root(commit.state_root);
  header.SerializeToString(block.mutable_header());
  if (signer != nullptr) block.set_proposer_signature(signer->Sign(block.header()));
  commit.height = header.height();
  commit.block_hash = suite_.Hash(block.header());
  commit.state_writes = block_state.writes();
  Result<ledger::StateWrites> index_writes = CaseIndexWrites(commit.state_writes, *store_);
  if (!index_writes.ok()) Fatal("cannot build the block's indexes", index_writes.status());
  commit.index_writes = std::move(*index_writes);
  Result<ledger::StateWrites> document_writes = DocumentIndexWrites(commit.state_writes, *store_);
  if (!document_writes.ok()) Fatal("cannot build the block's indexes", document_writes.status());
  commit.index_writes.merge(*document_writes);
  block.SerializeToString(&commit.block_bytes);
  return out;
}

Status Chain::Commit(const ExecutedBlock& block) {
  if (block.header.prev_hash() != store_->head_hash()) {
    return Status(pb::Status::FAILED_PRECONDITION, "the block is not built on the current head");
  }
  if (Status st = store_->Commit(block.commit); !st.ok()) return st;
  recent_nodes_.Add(block.commit.proof_writes);
  committed_top_ = block.state_top;
  head_time_ms_ = block.header.time_ms();
  return Status::Ok();
}

}  // namespace onechain::node
