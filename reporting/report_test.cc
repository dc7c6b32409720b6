// onechain-report end to end: a real node whose statutory day lasts 400 ms, `onechain demo load`
// driving a whole case (acceptance, notices and their receipts, declarations with the tax
// bureau's, reviews, an objection, two meetings' votes, the distribution and its payments), a
// private PostgreSQL, and the real reporter. The tables agree with what the node's API shows; a
// reporter SIGKILLed in the middle of a block's transaction and restarted leaves every row
// exactly once, with the same totals as a reporter that ran through without a crash.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <libpq-fe.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <functional>
#include <thread>

#include "meetings.pb.h"
#include "node/envelope.h"
#include "queries.pb.h"
#include "test_cluster.h"
#include "util/bytes.h"

namespace onechain::integration {
namespace {

std::string Script() { return std::string(ONECHAIN_SOURCE_DIR) + "/scripts/tax_pg.sh"; }

class ReportTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto made = TestCluster::Create("report", {"--day-ms", "400"});
    ASSERT_TRUE(made.ok()) << made.status().ToString();
    cluster_ = std::move(*made);
    ASSERT_TRUE(cluster_->Start().ok()) << cluster_->LogTail();
    char pattern[] = "/tmp/onechain-reportpg-XXXXXX";
    ASSERT_NE(::mkdtemp(pattern), nullptr);
    pg_dir_ = pattern;
    ::chmod(pg_dir_.c_str(), 0755);
    auto port = PickFreePort();
    ASSERT_TRUE(port.ok());
    pg_port_ = std::to_string(*port);
    ASSERT_EQ(std::system((Script() + " start " + pg_dir_ + "/pg " + pg_port_ + " >/dev/null")
                              .c_str()),
              0);
    pg_started_ = true;
    for (const char* db : {"report", "report_clean"}) {
      ASSERT_EQ(Query("tax", std::string("CREATE DATABASE ") + db), "");
    }
  }

  void TearDown() override {
    StopReporter(SIGKILL);
    if (pg_started_) std::system((Script() + " stop " + pg_dir_ + "/pg").c_str());
    if (!pg_dir_.empty() && std::getenv("ONECHAIN_KEEP_TEST_DIRS") == nullptr) {
      std::filesystem::remove_all(pg_dir_);
    }
    if (HasFailure()) std::cerr << cluster_->LogTail() << "\n" << ReporterLog() << "\n";
  }

  std::string Conninfo(const std::string& db) const {
    return "host=127.0.0.1 port=" + pg_port_ + " dbname=" + db + " user=tax";
  }

  // Runs `sql` on database `db`; returns the first column of the first row ("" if none), or
  // "ERROR: ..." if it fails.
  std::string Query(const std::string& db, const std::string& sql) const {
    PGconn* conn = PQconnectdb(Conninfo(db).c_str());
    std::string out;
    if (PQstatus(conn) != CONNECTION_OK) {
      out = std::string("ERROR: ") + PQerrorMessage(conn);
    } else {
      PGresult* r = PQexec(conn, sql.c_str());
      ExecStatusType s = PQresultStatus(r);
      if (s != PGRES_TUPLES_OK && s != PGRES_COMMAND_OK) {
        out = std::string("ERROR: ") + PQerrorMessage(conn);
      } else if (s == PGRES_TUPLES_OK && PQntuples(r) > 0) {
        out = PQgetvalue(r, 0, 0);
      }
      PQclear(r);
    }
    PQfinish(conn);
    return out;
  }
  int64_t Int(const std::string& db, const std::string& sql) const {
    std::string v = Query(db, sql);
    EXPECT_FALSE(v.empty() || v.starts_with("ERROR")) << sql << ": " << v;
    return v.empty() || v.starts_with("ERROR") ? -1 : std::stoll(v);
  }

  void StartReporter(const std::string& db, const std::vector<std::string>& extra = {}) {
    std::vector<std::string> args = {ONECHAIN_REPORT_BINARY, "--node", cluster_->base_url(),
                                     "--key", clerk_pem_, "--db", Conninfo(db), "--poll-ms",
                                     "100"};
    args.insert(args.end(), extra.begin(), extra.end());
    log_ = cluster_->dir() + "/report-" + db + ".log";
    pid_t pid = ::fork();
    ASSERT_GE(pid, 0);
    if (pid == 0) {
      int fd = ::open(log_.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
      ::dup2(fd, 1);
      ::dup2(fd, 2);
      std::vector<char*> argv;
      for (std::string& a : args) argv.push_back(a.data());
      argv.push_back(nullptr);
      ::execv(argv[0], argv.data());
      ::_exit(127);
    }
    pid_ = pid;
  }

  // Signals the reporter and reaps it; returns its wait status.
  int StopReporter(int signal) {
    if (pid_ <= 0) return 0;
    ::kill(pid_, signal);
    int status = 0;
    ::waitpid(pid_, &status, 0);
    pid_ = -1;
    return status;
  }

  std::string ReporterLog() const {
    std::ifstream in(log_);
    std::stringstream text;
    text << in.rdbuf();
    std::string all = text.str();
    return all.size() > 4000 ? all.substr(all.size() - 4000) : all;
  }

  bool WaitFor(const std::function<bool()>& done, int seconds) {
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(seconds);
    while (std::chrono::steady_clock::now() < deadline) {
      if (done()) return true;
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    return done();
  }

  std::unique_ptr<TestCluster> cluster_;
  std::string pg_dir_, pg_port_, clerk_pem_, log_;
  bool pg_started_ = false;
  pid_t pid_ = -1;
};

// Every table's row count and amount totals, as one line, to compare two databases.
constexpr const char* kDigest =
    "SELECT concat_ws(' ', (SELECT count(*) FROM blocks), (SELECT count(*) FROM transactions),"
    " (SELECT count(*) FROM cases), (SELECT count(*) FROM creditors),"
    " (SELECT count(*) FROM notices), (SELECT count(acknowledged_time_ms) FROM notices),"
    " (SELECT count(*) || '/' || sum(declared_total) || '/' || sum(confirmed_total) || '/' ||"
    "  sum(paid_total) || '/' || string_agg(status, ',' ORDER BY claim_id) FROM claims),"
    " (SELECT count(*) || '/' || sum(declared) || '/' || sum(confirmed) FROM claim_components),"
    " (SELECT count(*) FROM reviews), (SELECT count(*) FROM meetings),"
    " (SELECT count(*) FROM motions), (SELECT count(*) FROM ballots),"
    " (SELECT count(*) FROM plans), (SELECT count(*) || '/' || sum(amount) FROM payments))";

TEST_F(ReportTest, MirrorsACaseAndResumesExactlyAfterSigkill) {
  const std::string net = cluster_->dir() + "/net";
  auto run = RunOnechain({"demo", "load", "--network", net, "--node", cluster_->base_url(),
                          "--case-id-out", cluster_->dir() + "/case-id"},
                         cluster_->dir());
  ASSERT_TRUE(run.ok()) << run.status().ToString();
  ASSERT_EQ(run->exit_code, 0) << run->out << run->err;
  std::string case_id;
  std::ifstream(cluster_->dir() + "/case-id") >> case_id;
  ASSERT_EQ(case_id.size(), 32u);

  // The reporter reads as a clerk of the court.
  auto court = cluster_->LoadAdminKey("court");
  ASSERT_TRUE(court.ok());
  auto clerk = crypto::GenerateKey(pb::SUITE_INTL);
  ASSERT_TRUE(clerk.ok());
  NodeApi api(cluster_->base_url());
  auto admin_account = GetMessage<pb::Account>(api, "/v1/keys/" + ToHex((*court)->public_key()));
  ASSERT_TRUE(admin_account.ok());
  pb::TxBody body = RegisterBody(cluster_->chain_id(), **court, admin_account->nonce() + 1,
                                 (*clerk)->public_key(), pb::ROLE_CLERK, "reporting clerk");
  auto reply = api.PostBinary("/v1/tx?wait_ms=20000", node::SignEnvelope(**court, body));
  ASSERT_TRUE(reply.ok() && reply->status == 200) << (reply.ok() ? reply->body : "");
  clerk_pem_ = cluster_->dir() + "/clerk.pem";
  std::ofstream(clerk_pem_) << *(*clerk)->ToPem("");
  auto health = GetMessage<pb::Health>(api, "/v1/health");
  ASSERT_TRUE(health.ok());
  const int64_t head = static_cast<int64_t>(health->height());
  ASSERT_GT(head, 20);

  // SIGKILLed part-way, most likely while a block's transaction is open (it holds each one
  // 20 ms before committing).
  StartReporter("report", {"--hold-ms", "20"});
  auto height = [&](const std::string& db) {
    std::string v = Query(db, "SELECT height FROM report_cursor");
    return v.empty() || v.starts_with("ERROR") ? int64_t{0} : std::stoll(v);
  };
  ASSERT_TRUE(WaitFor([&] { return height("report") >= head / 3; }, 60)) << ReporterLog();
  int status = StopReporter(SIGKILL);
  ASSERT_TRUE(WIFSIGNALED(status));
  const int64_t killed_at = height("report");
  EXPECT_LT(killed_at, head);
  // Nothing of the block in flight survived: the rows stop at the cursor.
  EXPECT_EQ(Int("report", "SELECT coalesce(max(height), 0) FROM blocks"), killed_at);
  EXPECT_EQ(Int("report", "SELECT count(*) FROM blocks"), killed_at);

  StartReporter("report");
  ASSERT_TRUE(WaitFor([&] { return height("report") == head; }, 60)) << ReporterLog();
  status = StopReporter(SIGTERM);
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << ReporterLog();
  EXPECT_NE(ReporterLog().find("reporting database at height " + std::to_string(killed_at)),
            std::string::npos)
      << ReporterLog();

  // A reporter that never crashed, into a fresh database, up to the same height.
  StartReporter("report_clean", {"--until-height", std::to_string(head)});
  ASSERT_TRUE(WaitFor([&] { return height("report_clean") == head; }, 60)) << ReporterLog();
  status = StopReporter(0);  // signal 0 does nothing: reaps it once it exits by itself
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << ReporterLog();

  // Every block once, every transaction of the chain once.
  int64_t chain_txs = 0;
  for (int64_t h = 1; h <= head; ++h) {
    auto block = GetMessage<pb::BlockView>(api, "/v1/blocks/" + std::to_string(h));
    ASSERT_TRUE(block.ok());
    chain_txs += block->tx_hashes_size();
  }
  EXPECT_EQ(Int("report", "SELECT count(DISTINCT height) FROM blocks"), head);
  EXPECT_EQ(Int("report", "SELECT count(*) FROM transactions"), chain_txs);
  const std::string digest = Query("report", kDigest);
  EXPECT_EQ(digest, Query("report_clean", kDigest));

  // The tables agree with the node's reads.
  cli::ApiClient reader(cluster_->base_url());
  reader.SignReadsWith(clerk->get());
  auto form_json = reader.GetJson("/v1/cases/" + case_id + "/claims?page_size=200");
  ASSERT_TRUE(form_json.ok()) << form_json.status().ToString();
  auto form = ParseJson<pb::ClaimForm>(*form_json);
  ASSERT_TRUE(form.ok());
  EXPECT_EQ(Int("report", "SELECT count(*) FROM claims WHERE case_id = '" + case_id + "'"),
            static_cast<int64_t>(form->claim_count()));
  const std::string in_force = " FROM claims WHERE case_id = '" + case_id +
                               "' AND status <> 'CLAIM_STATUS_WITHDRAWN'";
  EXPECT_EQ(Int("report", "SELECT sum(declared_total)" + in_force), form->declared_total());
  EXPECT_EQ(Int("report", "SELECT sum(confirmed_total)" + in_force), form->confirmed_total());
  for (int r = pb::RANKING_SECURED; r <= pb::RANKING_SUBORDINATED; ++r) {
    if (r >= form->confirmed_by_ranking_size()) break;
    EXPECT_EQ(Int("report", "SELECT coalesce(sum(k.confirmed), 0) FROM claim_components k "
                            "JOIN claims c USING (claim_id) WHERE c.case_id = '" + case_id +
                                "' AND c.status <> 'CLAIM_STATUS_WITHDRAWN' AND k.ranking = '" +
                                pb::Ranking_Name(static_cast<pb::Ranking>(r)) + "'"),
              form->confirmed_by_ranking(r))
        << pb::Ranking_Name(static_cast<pb::Ranking>(r));
  }
  EXPECT_EQ(Int("report", "SELECT count(*) FROM creditors WHERE case_id = '" + case_id + "'"), 52);
  EXPECT_GT(Int("report", "SELECT count(*) FROM reviews WHERE act = 'review_claim'"), 50);

  // Ballots by motion and choice, as the chain tallied them.
  auto meetings = GetMessage<pb::MeetingList>(api, "/v1/cases/" + case_id + "/meetings");
  ASSERT_TRUE(meetings.ok());
  ASSERT_EQ(meetings->meetings_size(), 2);
  EXPECT_EQ(Int("report", "SELECT count(*) FROM meetings"), 2);
  for (const pb::MeetingResults& m : meetings->meetings()) {
    const pb::Motion& motion = m.meeting().motions(0);
    const std::string of = "SELECT count(*) FROM ballots WHERE motion_id = '" + motion.id() + "'";
    EXPECT_EQ(Int("report", of), static_cast<int64_t>(m.ballots_cast(0)));
    EXPECT_EQ(Int("report", of + " AND choice = 'BALLOT_CHOICE_YES'"),
              static_cast<int64_t>(motion.result().yes()));
    EXPECT_EQ(Int("report", of + " AND choice = 'BALLOT_CHOICE_NO'"),
              static_cast<int64_t>(motion.result().no()));
    EXPECT_NE(Query("report", "SELECT closed_time_ms FROM motions WHERE motion_id = '" +
                                  motion.id() + "'"),
              "");
  }

  // Payments add up to the approved distribution.
  auto plans_json = reader.GetJson("/v1/cases/" + case_id + "/plans");
  ASSERT_TRUE(plans_json.ok());
  auto plans = ParseJson<pb::PlanList>(*plans_json);
  ASSERT_TRUE(plans.ok());
  ASSERT_EQ(plans->plans_size(), 1);
  auto view_json = reader.GetJson("/v1/plans/" + plans->plans(0).id());
  ASSERT_TRUE(view_json.ok());
  auto view = ParseJson<pb::PlanView>(*view_json);
  ASSERT_TRUE(view.ok());
  EXPECT_EQ(Int("report", "SELECT sum(amount) FROM payments WHERE plan_id = '" +
                              plans->plans(0).id() + "'"),
            view->plan().distribution().distributed());
  EXPECT_NE(Query("report", "SELECT approved_time_ms FROM plans"), "");

  // Response times: every declaration notice is in the view; the tax bureau's has a receipt
  // and a declaration after it.
  EXPECT_GE(Int("report", "SELECT count(*) FROM response_times"), 50);
  EXPECT_GE(Int("report", "SELECT min(declare_ms) FROM response_times WHERE org_id = 'tax'"), 0);
  EXPECT_GT(Int("report", "SELECT count(ack_ms) FROM response_times"), 0);
}

}  // namespace
}  // namespace onechain::integration
