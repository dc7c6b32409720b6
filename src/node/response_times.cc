#include "node/response_times.h"

#include <algorithm>
#include <map>

#include "contracts/executor.h"
#include "contracts/grants.h"
#include "contracts/index.h"
#include "contracts/queries.h"
#include "contracts/state.h"
#include "contracts/workflow.h"
#include "governance.pb.h"
#include "node/chain.h"

namespace onechain::node {

namespace {

pb::ResponseTimeStats Summarize(const std::string& key, uint32_t notices,
                                std::vector<int64_t> times) {
  pb::ResponseTimeStats stats;
  stats.set_key(key);
  stats.set_notices(notices);
  stats.set_answered(static_cast<uint32_t>(times.size()));
  if (times.empty()) return stats;
  std::sort(times.begin(), times.end());
  auto rank = [&](int percent) {
    size_t at = (times.size() * static_cast<size_t>(percent) + 99) / 100;  // nearest rank
    return times[std::max<size_t>(at, 1) - 1];
  };
  __int128 sum = 0;
  for (int64_t t : times) sum += t;
  stats.set_p50_ms(rank(50));
  stats.set_p90_ms(rank(90));
  stats.set_max_ms(times.back());
  stats.set_mean_ms(static_cast<int64_t>(sum / static_cast<__int128>(times.size())));
  return stats;
}

struct Tally {
  uint32_t notices = 0;
  std::vector<int64_t> times;
};

}  // namespace

Result<pb::ResponseTimeReport> ComputeResponseTimes(const Chain& chain, const std::string& case_id,
                                                    const std::string& org_id) {
  const contracts::StateReader& state = chain.state();
  pb::ResponseTimeReport report;
  report.set_height(chain.store().height());
  auto rows = chain.store().ScanState(contracts::kOrgKeyPrefix, 10'000);
  if (!rows.ok()) return rows.status();
  std::map<std::string, Tally> by_org, by_case, requests_by_org, requests_by_case;
  for (const auto& [key, value] : *rows) {
    pb::Org org;
    if (!org.ParseFromString(value)) continue;
    if (!org_id.empty() && org.id() != org_id) continue;
    for (const std::string& entry_id : contracts::ListRead(
             state, contracts::OrgCreditorsList(org.id()), 0, contracts::kInboxItemsMax)) {
      std::optional<pb::CaseCreditor> entry = contracts::LoadCreditor(state, entry_id);
      if (!entry || entry->kind() != pb::CREDITOR_KIND_DEPARTMENT) continue;
      if (!case_id.empty() && entry->case_id() != case_id) continue;
      // The first claim-declaration notice to the entry.
      std::optional<int64_t> noticed;
      for (const std::string& id : contracts::ListRead(
               state, contracts::CreditorNoticesList(entry_id), 0, contracts::kInboxItemsMax)) {
        std::optional<pb::Notice> notice = contracts::LoadNotice(state, id);
        if (notice && notice->kind() == pb::NOTICE_KIND_CLAIM_DECLARATION) {
          noticed = std::min(noticed.value_or(INT64_MAX), notice->sent_time_ms());
        }
      }
      if (!noticed) continue;
      // The entry's first declaration at or after it (claims transferred in are older).
      std::optional<int64_t> declared;
      for (const std::string& id : contracts::ListRead(
               state, contracts::CreditorClaimsList(entry_id), 0, contracts::kInboxItemsMax)) {
        std::optional<pb::Claim> claim = contracts::LoadClaim(state, id);
        if (claim && claim->origin() == pb::CLAIM_ORIGIN_DECLARED && claim->declared_height() > 0 &&
            claim->declared_time_ms() >= *noticed) {
          declared = std::min(declared.value_or(INT64_MAX), claim->declared_time_ms());
        }
      }
      for (Tally* tally : {&by_org[org.id()], &by_case[entry->case_id()]}) {
        ++tally->notices;
        if (declared) tally->times.push_back(*declared - *noticed);
      }
    }
    // Data requests to the organization (a department): request -> answer.
    for (const std::string& grant_id : contracts::ListRead(
             state, contracts::OrgGrantsList(org.id()), 0, contracts::kInboxItemsMax)) {
      std::optional<pb::Grant> grant = contracts::LoadGrant(state, grant_id);
      if (!grant || (!case_id.empty() && grant->case_id() != case_id)) continue;
      for (Tally* tally : {&requests_by_org[org.id()], &requests_by_case[grant->case_id()]}) {
        ++tally->notices;
        if (grant->first_answered_time_ms() > 0) {
          tally->times.push_back(grant->first_answered_time_ms() - grant->requested_time_ms());
        }
      }
    }
  }
  for (auto& [key, tally] : by_org) {
    *report.add_by_org() = Summarize(key, tally.notices, std::move(tally.times));
  }
  for (auto& [key, tally] : by_case) {
    *report.add_by_case() = Summarize(key, tally.notices, std::move(tally.times));
  }
  for (auto& [key, tally] : requests_by_org) {
    *report.add_requests_by_org() = Summarize(key, tally.notices, std::move(tally.times));
  }
  for (auto& [key, tally] : requests_by_case) {
    *report.add_requests_by_case() = Summarize(key, tally.notices, std::move(tally.times));
  }
  return report;
}

}  // namespace onechain::node
