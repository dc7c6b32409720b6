// The header's state commitment. Until the authenticated state tree arrives, the state root is a
// hash chain over every block's writes:
//   writes_digest = H( for each write in key order: u32 BE len(key) ‖ key ‖ tag ‖
//                      [u32 BE len(value) ‖ value] )     tag 0x01 = put, 0x00 = delete
//   state_root(h) = H("onechain/state/v1" ‖ state_root(h-1) ‖ writes_digest)
// Two nodes with the same root at height h applied the same writes from the same genesis, so
// they hold the same state. docs/block-format.md gives the full header format.
#pragma once

#include <string>

#include "crypto/crypto.h"
#include "ledger/store.h"

namespace onechain::ledger {

std::string NextStateRoot(const crypto::Suite& suite, std::string_view previous_root,
                          const StateWrites& writes);

}  // namespace onechain::ledger
