// Proves `onechain demo load` on a real node whose statutory day lasts 400 ms of block time: the
// loader drives the whole case, and the API then shows about 50 creditors with the tax bureau
// among them, the objection and the re-review in the claim's history, both meetings' motions
// passed, and an approved distribution whose payments add up to every tier's total and to the
// distributed amount. A network with real days is refused before anything is sent.
#include <gtest/gtest.h>

#include <fstream>
#include <numeric>

#include "meetings.pb.h"
#include "node/genesis.h"
#include "queries.pb.h"
#include "test_cluster.h"

namespace onechain::integration {
namespace {

std::string ReadAll(const std::string& path) {
  std::ifstream in(path);
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  while (!text.empty() && text.back() == '\n') text.pop_back();
  return text;
}

// A signed GET as `key` (the administrator reads the case's non-public records).
template <typename T>
Result<T> ReadAs(const std::string& base_url, const crypto::PrivateKey& key,
                 const std::string& path) {
  cli::ApiClient client(base_url);
  client.SignReadsWith(&key);
  Result<std::string> json = client.GetJson(path);
  if (!json.ok()) return json.status();
  return ParseJson<T>(*json);
}

TEST(DemoLoad, RefusesANetworkWithRealDays) {
  auto cluster = TestCluster::Create("demo-real-days");
  ASSERT_TRUE(cluster.ok()) << cluster.status().ToString();
  // No node is needed: the loader reads the genesis first and stops there.
  auto run = RunOnechain({"demo", "load", "--network", (*cluster)->dir() + "/net", "--node",
                          "http://127.0.0.1:1"},
                         (*cluster)->dir());
  ASSERT_TRUE(run.ok());
  EXPECT_EQ(run->exit_code, 1);
  EXPECT_NE(run->err.find("FAILED_PRECONDITION"), std::string::npos) << run->err;
  EXPECT_NE(run->err.find("--day-ms"), std::string::npos) << run->err;
  EXPECT_EQ(run->out.find("[demo"), std::string::npos) << run->out;
}

TEST(DemoLoad, DrivesTheCaseToItsDistribution) {
  auto made = TestCluster::Create("demo", {"--day-ms", "400"});
  ASSERT_TRUE(made.ok()) << made.status().ToString();
  std::unique_ptr<TestCluster> cluster = std::move(*made);
  ASSERT_EQ(cluster->genesis().params().day_ms(), 400u);
  ASSERT_TRUE(cluster->Start().ok()) << cluster->LogTail();
  std::string net = cluster->dir() + "/net";
  auto run = RunOnechain({"demo", "load", "--network", net, "--node", cluster->base_url(),
                          "--case-id-out", cluster->dir() + "/case-id"},
                         cluster->dir());
  ASSERT_TRUE(run.ok()) << run.status().ToString();
  ASSERT_EQ(run->exit_code, 0) << run->out << run->err << cluster->LogTail();
  EXPECT_NE(run->out.find("payments recorded"), std::string::npos) << run->out;
  std::string case_id = ReadAll(cluster->dir() + "/case-id");
  ASSERT_EQ(case_id.size(), 32u);

  std::string pem = ReadAll(net + "/keys/demo/administrator.pem");
  auto admin = crypto::PrivateKeyFromPem(pem, "");
  ASSERT_TRUE(admin.ok()) << admin.status().ToString();
  const std::string& url = cluster->base_url();
  std::string base = "/v1/cases/" + case_id;

  // About 50 creditors, the tax bureau among them.
  auto creditors = ReadAs<pb::CaseCreditorList>(url, **admin, base + "/creditors?page_size=200");
  ASSERT_TRUE(creditors.ok()) << creditors.status().ToString();
  int departments = 0, listed = 0;
  for (const pb::CaseCreditor& c : creditors->creditors()) {
    if (c.kind() != pb::CREDITOR_KIND_EMPLOYEE) ++listed;
    if (c.kind() == pb::CREDITOR_KIND_DEPARTMENT) {
      ++departments;
      EXPECT_EQ(c.org_id(), "tax");
    }
  }
  EXPECT_EQ(listed, 50);
  EXPECT_EQ(creditors->creditors_size(), 52);  // and the two employees the administrator listed
  EXPECT_EQ(departments, 1);

  // The claim form: 50 declared claims and 2 listed employees; confirmed, partly confirmed and
  // rejected reviews; the tax claim ranked as tax by the contract; one claim re-reviewed.
  auto form = ReadAs<pb::ClaimForm>(url, **admin, base + "/claims?page_size=200");
  ASSERT_TRUE(form.ok()) << form.status().ToString();
  EXPECT_EQ(form->claim_count(), 52u);
  std::map<pb::ReviewOutcome, int> outcomes;
  std::string re_reviewed;
  for (const pb::ClaimFormRow& row : form->rows()) {
    ++outcomes[row.outcome()];
    if (row.status() == pb::CLAIM_STATUS_RE_REVIEWED) {
      re_reviewed = row.claim_id();
      EXPECT_EQ(row.objections(), 1u);
    }
    if (row.creditor_kind() == pb::CREDITOR_KIND_DEPARTMENT) {
      ASSERT_GT(row.confirmed_by_ranking_size(), pb::RANKING_TAX_AND_SOCIAL_INSURANCE);
      EXPECT_EQ(row.confirmed_by_ranking(pb::RANKING_TAX_AND_SOCIAL_INSURANCE),
                row.confirmed_total());
      EXPECT_GT(row.confirmed_total(), 0);
    }
  }
  EXPECT_GT(outcomes[pb::REVIEW_OUTCOME_CONFIRMED], 40);
  EXPECT_GT(outcomes[pb::REVIEW_OUTCOME_PARTLY_CONFIRMED], 0);
  EXPECT_GT(outcomes[pb::REVIEW_OUTCOME_REJECTED], 0);
  ASSERT_FALSE(re_reviewed.empty());
  auto history = ReadAs<pb::ClaimHistory>(url, **admin, "/v1/claims/" + re_reviewed + "/history");
  ASSERT_TRUE(history.ok()) << history.status().ToString();
  std::vector<pb::ClaimEventKind> kinds;
  for (const pb::ClaimEvent& event : history->events()) kinds.push_back(event.kind());
  EXPECT_EQ(kinds, (std::vector<pb::ClaimEventKind>{
                       pb::CLAIM_EVENT_KIND_DECLARED, pb::CLAIM_EVENT_KIND_REVIEWED,
                       pb::CLAIM_EVENT_KIND_NOTIFIED, pb::CLAIM_EVENT_KIND_OBJECTED,
                       pb::CLAIM_EVENT_KIND_RE_REVIEWED, pb::CLAIM_EVENT_KIND_NOTIFIED}));

  // Two meetings, each motion voted by the creditors and passed.
  auto meetings = ReadAs<pb::MeetingList>(url, **admin, base + "/meetings");
  ASSERT_TRUE(meetings.ok()) << meetings.status().ToString();
  ASSERT_EQ(meetings->meetings_size(), 2);
  EXPECT_EQ(meetings->meetings(0).meeting().kind(), pb::MEETING_KIND_FIRST);
  for (const pb::MeetingResults& m : meetings->meetings()) {
    ASSERT_EQ(m.meeting().motions_size(), 1);
    const pb::MotionResult& result = m.meeting().motions(0).result();
    EXPECT_TRUE(result.closed());
    EXPECT_TRUE(result.passed());
    EXPECT_GT(result.present(), 40u);
    EXPECT_GT(result.no(), 0u);
    EXPECT_EQ(result.yes() + result.no() + result.abstain(), result.present());
  }
  EXPECT_EQ(meetings->meetings(1).meeting().motions(0).kind(), pb::MOTION_KIND_DISTRIBUTION_PLAN);

  // The approved distribution: the planned payments add up to what each tier receives, a tier
  // receives only once the one above is full, and the recorded payments add up exactly to the
  // distributed amount.
  auto plans = ReadAs<pb::PlanList>(url, **admin, base + "/plans");
  ASSERT_TRUE(plans.ok()) << plans.status().ToString();
  ASSERT_EQ(plans->plans_size(), 1);
  EXPECT_EQ(plans->plans(0).status(), pb::PLAN_STATUS_APPROVED);
  auto view = ReadAs<pb::PlanView>(url, **admin, "/v1/plans/" + plans->plans(0).id());
  ASSERT_TRUE(view.ok()) << view.status().ToString();
  const pb::DistributionDetail& d = view->plan().distribution();
  EXPECT_TRUE(d.final());
  EXPECT_EQ(d.undistributed(), 0);
  int64_t collateral = 0;
  for (const pb::CollateralValue& c : d.collaterals()) collateral += c.realized_value();
  EXPECT_EQ(d.distributed(), d.general_estate() + collateral - d.collateral_surplus());
  ASSERT_EQ(d.tier_paid_size(), d.tier_totals_size());
  std::vector<int64_t> by_tier(d.tier_totals_size(), 0);
  int64_t from_collateral = 0, planned = 0;
  for (const pb::PlannedPayment& p : d.payments()) {
    ASSERT_LE(p.by_tier_size(), d.tier_paid_size());
    for (int t = 0; t < p.by_tier_size(); ++t) by_tier[t] += p.by_tier(t);
    from_collateral += p.from_collateral();
    planned += p.total();
    EXPECT_EQ(p.paid(), p.total()) << p.payee_id();
  }
  bool short_tier_seen = false;
  int short_tiers = 0;
  for (int t = 0; t < d.tier_paid_size(); ++t) {
    EXPECT_EQ(by_tier[t], d.tier_paid(t)) << t;
    EXPECT_LE(d.tier_paid(t), d.tier_totals(t)) << t;
    if (short_tier_seen) {
      EXPECT_EQ(d.tier_paid(t), 0) << t;
    }
    if (d.tier_paid(t) < d.tier_totals(t)) {
      short_tier_seen = true;
      if (d.tier_paid(t) > 0) ++short_tiers;
    }
  }
  EXPECT_EQ(short_tiers, 1);  // the demo's estate runs out within the ordinary tier
  EXPECT_EQ(planned, d.distributed());
  EXPECT_EQ(std::accumulate(d.tier_paid().begin(), d.tier_paid().end(), int64_t{0}) +
                from_collateral,
            d.distributed());
  int64_t paid = 0;
  for (const pb::PaymentRecord& r : view->payments()) paid += r.amount();
  EXPECT_EQ(paid, d.distributed());
  EXPECT_GE(view->payments_size(), 45);
}

}  // namespace
}  // namespace onechain::integration
