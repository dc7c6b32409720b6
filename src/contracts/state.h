// Contract state as seen during execution: a read-only base (committed state) with layered,
// buffered writes. Nothing here touches a disk; the node hands the block's writes to the ledger.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "ledger/state_writes.h"

namespace onechain::contracts {

class StateReader {
 public:
  virtual ~StateReader() = default;
  // The current value of `key`. A storage failure underneath is fatal to the node (it must stop
  // rather than execute on a partial view), so this never reports an I/O error.
  virtual std::optional<std::string> Get(std::string_view key) const = 0;
};

// Buffered writes over a base reader. A transaction runs on an Overlay over the block's Overlay;
// on success its writes are folded into the block's, on failure they are dropped.
class Overlay : public StateReader {
 public:
  explicit Overlay(const StateReader& base) : base_(base) {}
  // An Overlay over another Overlay must read through it, never copy its writes: with a copy
  // constructor, `Overlay tx(block)` would silently copy the block's whole write set.
  Overlay(const Overlay&) = delete;
  Overlay& operator=(const Overlay&) = delete;

  std::optional<std::string> Get(std::string_view key) const override;
  void Put(std::string_view key, std::string value) { writes_[std::string(key)] = std::move(value); }
  void Delete(std::string_view key) { writes_[std::string(key)] = std::nullopt; }

  const ledger::StateWrites& writes() const { return writes_; }
  // Moves this overlay's writes into `parent` (normally the overlay this one reads through).
  void MergeInto(Overlay& parent);

 private:
  const StateReader& base_;
  ledger::StateWrites writes_;
};

}  // namespace onechain::contracts
