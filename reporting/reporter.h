// onechain-report's loop: follow the chain block by block from the node's REST API and mirror
// committed case data into the reporting database (reporting/README.md).
//
// What it reads: each block (GET /v1/blocks/{h}) and each of its transactions with its receipt
// (GET /v1/tx/{hash}: the signed body, the outcome code and the record it created), which the node
// serves to anyone; it decodes the actions itself and writes the rows of the successful ones.
// What the chain derives (a claim's status, its review's ranking of every component, totals) it
// reads from GET /v1/claims/{id}, a party-class record, signed with a court account's key (a
// clerk's), for every claim a block acted on.
#pragma once

#include <atomic>
#include <functional>
#include <string>
#include <vector>

#include "api.pb.h"
#include "claims.pb.h"
#include "crypto/crypto.h"
#include "report_db.h"
#include "util/status.h"

namespace onechain::reporting {

struct ReporterOptions {
  std::string node_url = "http://127.0.0.1:8080";
  int poll_interval_ms = 200;
  uint64_t stop_at_height = 0;  // 0: follow forever; otherwise return once this height is applied
  int hold_ms = 0;              // pause inside each block's transaction (crash tests)
};

// One committed transaction as the node reports it.
struct CommittedTx {
  std::string hash;
  pb::TxStatus status;  // state COMMITTED: body, code, record_id, index
};

// The statements that mirror one block. `claims` are the current records of every claim the
// block acted on (`ClaimsTouched`), read after the block committed.
std::vector<Statement> BlockStatements(const pb::BlockView& block,
                                       const std::vector<CommittedTx>& txs,
                                       const std::vector<pb::Claim>& claims);

// The claims the successful transactions of a block acted on; `case_claims` answers the claims
// the database holds for a case or for a plan's case (a court's confirmation, a plan's approval
// and its payments act on all of them).
Result<std::vector<std::string>> ClaimsTouched(
    const std::vector<CommittedTx>& txs,
    const std::function<Result<std::vector<std::string>>(const std::string&)>& case_claims);

// Applies blocks after the database's cursor until `stop` (or options.stop_at_height).
Status RunReporter(const ReporterOptions& options, const crypto::PrivateKey& reader,
                   ReportDb& db, const std::atomic<bool>& stop);

}  // namespace onechain::reporting
