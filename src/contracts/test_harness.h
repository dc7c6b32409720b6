// Test support: an in-memory committed state and a harness that executes transactions one block
// at a time against it, with block time under the test's control.
#pragma once

#include <gtest/gtest.h>

#include "contracts/executor.h"

namespace onechain::contracts::testing {

class MemoryState : public StateReader {
 public:
  std::optional<std::string> Get(std::string_view key) const override {
    auto it = values.find(key);
    if (it == values.end() || !it->second) return std::nullopt;
    return it->second;
  }
  ledger::StateWrites values;
};

class Harness {
 public:
  explicit Harness(const pb::Genesis& genesis)
      : executor_(*crypto::GetSuite(genesis.suite()), genesis) {
    Overlay genesis_state(state_);
    Status status = executor_.ApplyGenesis(genesis_state);
    EXPECT_TRUE(status.ok()) << status.message();
    state_.values = genesis_state.writes();
  }

  // A body from `signer` with its next nonce.
  pb::TxBody Body(const std::string& signer) const {
    pb::TxBody body;
    body.set_chain_id(executor_.genesis().chain_id());
    body.set_suite(executor_.genesis().suite());
    body.set_signer(signer);
    std::optional<pb::Account> account = executor_.LoadAccountByKey(state_, signer);
    body.set_nonce(account ? account->nonce() + 1 : 1);
    body.set_valid_until_height(height_ + 100);
    return body;
  }

  // Executes `body` alone in the next block at the current block time and commits its writes.
  pb::Receipt Run(const pb::TxBody& body) {
    Overlay block(state_);
    pb::Receipt receipt = executor_.Execute({++height_, time_ms_}, body, "hash", block);
    for (const auto& [key, value] : block.writes()) state_.values[key] = value;
    return receipt;
  }

  void AdvanceTime(int64_t ms) { time_ms_ += ms; }
  void SkipBlocks(uint64_t count) { height_ += count; }
  int64_t time_ms() const { return time_ms_; }
  const Executor& executor() const { return executor_; }
  const MemoryState& state() const { return state_; }

 private:
  MemoryState state_;
  Executor executor_;
  uint64_t height_ = 0;
  int64_t time_ms_ = 1'790'000'000'000;  // a block time in 2026
};

}  // namespace onechain::contracts::testing
