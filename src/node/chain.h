// The chain: executes batches of admitted transactions into blocks and commits them to the
// ledger. This is the seam between block ordering (today the solo producer, later BFT consensus)
// and execution: an ordering engine calls Execute() to build or replay a block and Commit() once
// the block is final; neither ledger nor contracts know who ordered it.
#pragma once

#include <memory>
#include <vector>

#include "block.pb.h"
#include "contracts/executor.h"
#include "ledger/proof_nodes.h"
#include "ledger/state_tree.h"
#include "ledger/store.h"
#include "mempool/mempool.h"

namespace onechain::node {

inline constexpr size_t kBlockTxsMax = 5000;
inline constexpr size_t kBlockBytesMax = 16ull << 20;

// Committed contract state as the contracts see it. A storage read failure is fatal: a node
// must stop rather than execute on a partial view of state.
class CommittedState : public contracts::StateReader {
 public:
  explicit CommittedState(const ledger::Store& store) : store_(store) {}
  std::optional<std::string> Get(std::string_view key) const override;

 private:
  const ledger::Store& store_;
};

struct ExecutedBlock {
  pb::BlockHeader header;
  ledger::BlockCommit commit;
  // The state tree's upper levels after this block, for the next block's update once it commits.
  ledger::StateTreeTopPtr state_top;
};

class Chain {
 public:
  // Opens the store in `data_dir`; an empty store is initialized from `genesis`, a non-empty one
  // must hold the same genesis.
  static Result<std::unique_ptr<Chain>> Open(const std::string& data_dir, pb::Genesis genesis);

  const crypto::Suite& suite() const { return suite_; }
  const contracts::Executor& executor() const { return executor_; }
  const ledger::Store& store() const { return *store_; }
  const CommittedState& state() const { return state_; }
  const pb::Genesis& genesis() const { return executor_.genesis(); }
  int64_t head_time_ms() const { return head_time_ms_; }

  // Executes `txs` in order on top of the committed head as block height()+1 at `time_ms`
  // (raised to the head's time if earlier, so block time never decreases) and signs the header.
  ExecutedBlock Execute(const std::vector<mempool::PendingTx>& txs, int64_t time_ms,
                        const crypto::PrivateKey& proposer) const;
  // The same for a block ordered by BFT consensus: every validator executes it alike, so the
  // header names the leader's key and carries no proposer signature (the consensus quorum
  // certificate, kept by the BFT driver, is what certifies the block).
  ExecutedBlock ExecuteOrdered(const std::vector<mempool::PendingTx>& txs, int64_t time_ms,
                               const std::string& proposer_public_key) const;
  // Durably appends an executed block. Only the block built on the current head is accepted.
  Status Commit(const ExecutedBlock& block);

 private:
  Chain(std::unique_ptr<ledger::Store> store, pb::Genesis genesis, const crypto::Suite& suite);
  Status InitGenesis();
  Status LoadHeadTime();
  ExecutedBlock ExecuteAs(const std::vector<mempool::PendingTx>& txs, int64_t time_ms,
                          const std::string& proposer_public_key,
                          const crypto::PrivateKey* signer) const;

  const crypto::Suite& suite_;
  std::unique_ptr<ledger::Store> store_;
  CommittedState state_;
  // The proof trees' nodes as Execute reads them: the last blocks' nodes in memory over the
  // store's; Commit adds each committed block's. Execute and Commit run on one thread.
  ledger::StoreNodes store_nodes_;
  ledger::RecentNodes recent_nodes_;
  // The committed head's state tree top (state_tree.h), set by Commit.
  ledger::StateTreeTopPtr committed_top_;
  contracts::Executor executor_;
  int64_t head_time_ms_ = 0;
};

}  // namespace onechain::node
