// Department response times (issue 6 item 7) from on-chain block times: for each department
// creditor entry (CREDITOR_KIND_DEPARTMENT) that was sent a claim-declaration notice, the time
// from the first such notice to the first declaration the entry made at or after it. Summed up
// per department (organization) and per case; only counts and percentiles leave this module, so
// the figures are public: they name no creditor entry, claim or amount. Data requests add
// "request → answer" lines (requests_by_org, requests_by_case): for each grant asked of a
// department, from RequestRecords to its first AnswerRecords (Grant.first_answered_time_ms).
#pragma once

#include <string>

#include "contracts/state.h"
#include "events.pb.h"
#include "util/status.h"

namespace onechain::node {

class Chain;

// `case_id` and `org_id` narrow the report when not empty. The organizations are the chain's
// (genesis and roster); at most contracts::kInboxItemsMax entries per organization are read.
Result<pb::ResponseTimeReport> ComputeResponseTimes(const Chain& chain, const std::string& case_id,
                                                    const std::string& org_id);

}  // namespace onechain::node
