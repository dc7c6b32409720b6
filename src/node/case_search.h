// Public case search (DOMAIN.md privacy class "public"): by part of the debtor's name, by the
// debtor's credit code, or the newest cases, each with filters on court, procedure, status and
// acceptance date, paged by cursor.
//
// A read-side index in the store's `indexes` family, derived from the case records (`case/<id>`)
// that each block writes and committed in the block's own batch, so it is never behind the state
// it indexes and never part of the state root:
//   "cs/g/" ‖ gram ‖ "/" ‖ case id  -> ""          every distinct pair of consecutive normalized
//                                                  characters of the debtor's name (a bigram)
//   "cs/k/" ‖ gram                  -> u64 BE      how many cases hold that bigram
//   "cs/r/" ‖ u64 BE (2^64-1 - accepted height) ‖ "/" ‖ case id -> ""   newest first
// A name query scans the postings of its rarest bigram and keeps the cases whose normalized name
// contains the whole query; each request examines at most kSearchCandidatesMax postings and hands
// back a page token where it stopped, so no request's cost grows with the number of cases.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "api.pb.h"
#include "contracts/state.h"
#include "ledger/store.h"

namespace onechain::node {

inline constexpr size_t kSearchPageSizeDefault = 20;
inline constexpr size_t kSearchPageSizeMax = 100;
inline constexpr size_t kSearchCandidatesMax = 20'000;
inline constexpr size_t kSearchQueryCharsMin = 2;
inline constexpr size_t kSearchQueryCharsMax = 50;

// The characters (UTF-8 code points) of `text` as search compares them: ASCII letters lower-cased,
// full-width ASCII forms (U+FF01..U+FF5E) mapped to ASCII, white space (ASCII and U+3000) dropped.
// Bytes that are not valid UTF-8 count as one character each.
std::vector<std::string> NormalizedChars(std::string_view text);

// The index writes for the case records among a block's state `writes`, against the committed
// `store` before the block.
Result<ledger::StateWrites> CaseIndexWrites(const ledger::StateWrites& writes,
                                            const ledger::Store& store);

// Builds the index over every case in committed state if this store has none yet (a data
// directory from before the index existed); a no-op afterwards.
Status EnsureCaseIndex(ledger::Store& store);

struct CaseQuery {
  std::string text;         // part of the debtor's name (2 to 50 characters), or empty
  std::string credit_code;  // the debtor's unified social credit code, or empty
  std::string court_org_id;
  pb::Procedure procedure = pb::PROCEDURE_UNSPECIFIED;  // unspecified: any
  pb::CaseStatus status = pb::CASE_STATUS_UNSPECIFIED;  // unspecified: any
  std::string accepted_from, accepted_to;               // YYYY-MM-DD, inclusive, or empty
  size_t page_size = kSearchPageSizeDefault;
  std::string page_token;  // from the previous page's next_page_token
};

// Codes: INVALID_ARGUMENT (a field out of range, naming it), IO.
Result<pb::CaseList> SearchCases(const ledger::Store& store, const contracts::StateReader& state,
                                 const CaseQuery& query);

}  // namespace onechain::node
