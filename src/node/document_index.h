// The document index (issue 5, item 5): which records reference a file hash, kept in the Store's
// `indexes` family and updated at execution with the block's other index writes, so that
// GET /v1/documents/{hash} reads the few records that reference a hash instead of scanning every
// plan and claim. One entry a (file hash, record key) pair:
//   "dr/" ‖ u8 length of the hash ‖ file hash ‖ record state key  →  empty
// "drv/version" marks a store whose index covers every committed record.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "ledger/state_writes.h"
#include "ledger/store.h"
#include "util/status.h"

namespace onechain::node {

// The index entries the block's state writes add and remove: for every written record of
// kDocumentRecordPrefixes, the hashes its new value references and its committed value did not,
// and the reverse.
Result<ledger::StateWrites> DocumentIndexWrites(const ledger::StateWrites& writes,
                                                const ledger::Store& store);

// Indexes every committed record once, for a data directory made before the index existed.
Status EnsureDocumentIndex(ledger::Store& store);

// The state keys of the records that reference `file_hash`, in key order (at most `limit`).
Result<std::vector<std::string>> RecordsReferencing(const ledger::Store& store,
                                                    std::string_view file_hash, size_t limit);

}  // namespace onechain::node
