// onechain-tax-bench: the tax adapter's response time (bench/tax_adapter.sh runs it). On a running
// node and an empty tax database it seeds N taxpayers with arrears, has the court accept N cases
// against them, lists the tax bureau in each, starts the adapter, sends the N declaration notices
// at once and waits until every claim is declared. Reports, from on-chain block times, the time
// from each notice to its declaration (p50, p99, max), checks every declared amount to the fen
// against the late-fee rule, and prints the wall time for all N.
#include <libpq-fe.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <chrono>
#include <fstream>
#include <iostream>
#include <map>
#include <sstream>
#include <thread>

#include "framework/adapter.h"
#include "tax/late_fee.h"

namespace onechain::adapters::tax {
namespace {

constexpr int64_t kDayMs = 24 * 3'600'000LL;
constexpr const char* kAcceptance = "2026-11-20";
constexpr const char* kBureauCode = "11440300MB2C92920D";

[[noreturn]] void Die(const std::string& what) {
  std::cerr << "error: " << what << "\n";
  std::exit(1);
}

template <typename T>
T Must(Result<T> result, const std::string& what) {
  if (!result.ok()) Die(what + ": " + result.status().ToString());
  return std::move(*result);
}

// A unified social credit code with its GB 32100-2015 check character.
std::string CreditCode(int i) {
  static const std::string kChars = "0123456789ABCDEFGHJKLMNPQRTUWXY";
  static const int kWeights[] = {1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28};
  char digits[16];
  std::snprintf(digits, sizeof digits, "%09d", i);
  std::string code = std::string("91440300") + digits;
  int sum = 0;
  for (int k = 0; k < 17; ++k) sum += static_cast<int>(kChars.find(code[k])) * kWeights[k];
  return code + kChars[(31 - sum % 31) % 31];
}

std::vector<ArrearsRow> RowsFor(int i) {
  return {{"VAT", "2025-09", 1'000'000 + i, 120'000, "2025-10-15", 50'000, 0},
          {"corporate income tax", "2024", 5'000'000 + 7 * i, 0, "2025-05-31", 0, 30'000}};
}

std::vector<pb::TxStatus> SubmitAll(NodeClient& client, const std::vector<pb::TxBody>& actions,
                                    const std::string& what) {
  auto results = Must(client.SubmitAndWait(actions, ""), what);
  for (const pb::TxStatus& status : results) {
    if (status.state() != pb::TxStatus::COMMITTED || status.code() != pb::Status::OK) {
      Die(what + ": " + pb::Status::Code_Name(status.code()) + " " + status.message());
    }
  }
  return results;
}

pb::TxBody Register(const crypto::PrivateKey& key, pb::Role role, const std::string& name) {
  pb::TxBody body;
  body.mutable_register_account()->set_public_key(key.public_key());
  body.mutable_register_account()->add_roles(role);
  body.mutable_register_account()->set_display_name(name);
  return body;
}

std::unique_ptr<crypto::PrivateKey> KeyFrom(const std::string& path) {
  std::ifstream in(path);
  std::stringstream pem;
  pem << in.rdbuf();
  return Must(crypto::PrivateKeyFromPem(pem.str(), ""), "key " + path);
}

void Seed(const std::string& conninfo, int n) {
  PGconn* conn = PQconnectdb(conninfo.c_str());
  if (PQstatus(conn) != CONNECTION_OK) Die(std::string("database: ") + PQerrorMessage(conn));
  std::string sql = "BEGIN;";
  for (int i = 0; i < n; ++i) {
    std::string code = CreditCode(i);
    sql +=
        "INSERT INTO taxpayers VALUES ('" + code + "', 'Bench Debtor " + std::to_string(i) + "');";
    for (const ArrearsRow& r : RowsFor(i)) {
      sql +=
          "INSERT INTO arrears (credit_code, tax_name, period, principal, surcharges, due_date,"
          " fine, special_interest) VALUES ('" +
          code + "', '" + r.tax_name + "', '" + r.period + "', " + std::to_string(r.principal) +
          ", " + std::to_string(r.surcharges) + ", '" + r.due_date + "', " +
          std::to_string(r.fine) + ", " + std::to_string(r.special_interest) + ");";
    }
  }
  sql += "COMMIT;";
  PGresult* result = PQexec(conn, sql.c_str());
  if (PQresultStatus(result) != PGRES_COMMAND_OK) Die(std::string("seed: ") + PQerrorMessage(conn));
  PQclear(result);
  PQfinish(conn);
}

int64_t Percentile(std::vector<int64_t> values, double p) {
  std::sort(values.begin(), values.end());
  size_t rank = static_cast<size_t>(p * static_cast<double>(values.size()) + 0.999999);
  return values[std::clamp<size_t>(rank, 1, values.size()) - 1];
}

int Main(int argc, char** argv) {
  CLI::App app{"tax adapter response-time benchmark"};
  std::string node_url, net_dir, conninfo, adapter_bin, work_dir;
  int n = 1000;
  app.add_option("--node", node_url)->required();
  app.add_option("--net", net_dir, "the network directory of `onechain genesis new`")->required();
  app.add_option("--db", conninfo)->required();
  app.add_option("--adapter", adapter_bin, "the onechain-tax-adapter binary")->required();
  app.add_option("--work-dir", work_dir)->required();
  app.add_option("--cases", n)->capture_default_str();
  bool from_acceptance = false, no_events = false;
  std::string poll_ms = "50";
  app.add_flag("--from-acceptance", from_acceptance,
               "start the adapter first, accept the cases at once, measure from acceptance");
  app.add_flag("--no-events", no_events, "run the adapter without GET /v1/events (poll only)");
  app.add_option("--adapter-poll-ms", poll_ms, "the adapter's --poll-ms")->capture_default_str();
  CLI11_PARSE(app, argc, argv);
  if (n < 1 || n > 5000) Die("--cases is 1 to 5000");

  auto court_admin = KeyFrom(net_dir + "/keys/court-admin.pem");
  auto tax_admin = KeyFrom(net_dir + "/keys/tax-admin.pem");
  auto judge = Must(crypto::GenerateKey(court_admin->suite()), "key");
  auto officer = Must(crypto::GenerateKey(court_admin->suite()), "key");
  auto firm_admin = Must(crypto::GenerateKey(court_admin->suite()), "key");
  auto member = Must(crypto::GenerateKey(court_admin->suite()), "key");
  std::ofstream(work_dir + "/officer.pem") << Must(officer->ToPem(""), "pem");

  NodeClient court_client(node_url, *court_admin), tax_client(node_url, *tax_admin),
      judge_client(node_url, *judge), firm_client(node_url, *firm_admin),
      member_client(node_url, *member), officer_client(node_url, *officer);
  SubmitAll(court_client, {Register(*judge, pb::ROLE_JUDGE, "judge")}, "judge");
  SubmitAll(tax_client, {Register(*officer, pb::ROLE_DEPARTMENT_OFFICER, "officer")}, "officer");
  pb::TxBody roster;
  roster.mutable_add_roster_firm()->set_firm_org_id("benchfirm");
  roster.mutable_add_roster_firm()->set_firm_name("Bench LLP");
  roster.mutable_add_roster_firm()->set_admin_public_key(firm_admin->public_key());
  roster.mutable_add_roster_firm()->set_admin_name("Partner");
  SubmitAll(judge_client, {roster}, "roster");
  SubmitAll(firm_client, {Register(*member, pb::ROLE_ADMINISTRATOR_MEMBER, "member")}, "member");
  Seed(conninfo, n);
  std::cerr << "seeded " << n << " taxpayers; setting up " << n << " cases\n";
  auto StartAdapter = [&]() -> pid_t {
    pid_t pid = ::fork();
    if (pid == 0) {
      std::string log = work_dir + "/adapter.log";
      std::freopen(log.c_str(), "a", stdout);
      std::freopen(log.c_str(), "a", stderr);
      std::vector<std::string> args = {adapter_bin,   "run",
                                       "--node",      node_url,
                                       "--key",       work_dir + "/officer.pem",
                                       "--state-dir", work_dir + "/state",
                                       "--db",        conninfo,
                                       "--poll-ms",   poll_ms};
      if (no_events) args.push_back("--no-events");
      std::vector<char*> argv;
      for (std::string& a : args) argv.push_back(a.data());
      argv.push_back(nullptr);
      ::execv(argv[0], argv.data());
      ::_exit(127);
    }
    return pid;
  };
  pid_t adapter = -1;
  if (from_acceptance) {
    adapter = StartAdapter();
    std::this_thread::sleep_for(std::chrono::milliseconds(1500));  // first round, stream open
    std::cerr << "adapter running; accepting " << n << " cases at once\n";
  }
  auto accept_start = std::chrono::steady_clock::now();

  std::vector<pb::TxBody> actions;
  for (int i = 0; i < n; ++i) {
    pb::TxBody body;
    auto* a = body.mutable_accept_case();
    a->set_case_number("(2026)粤03破" + std::to_string(10'000 + i) + "号");
    a->set_debtor_name("Bench Debtor " + std::to_string(i));
    a->set_debtor_credit_code(CreditCode(i));
    a->set_procedure(pb::PROCEDURE_LIQUIDATION);
    a->set_acceptance_date(kAcceptance);
    actions.push_back(std::move(body));
  }
  std::vector<std::string> case_ids;
  for (const pb::TxStatus& s : SubmitAll(judge_client, actions, "accept")) {
    case_ids.push_back(s.record_id());
  }
  actions.clear();
  for (const std::string& id : case_ids) {
    pb::TxBody body;
    body.mutable_appoint_administrator()->set_case_id(id);
    body.mutable_appoint_administrator()->set_firm_org_id("benchfirm");
    actions.push_back(std::move(body));
  }
  SubmitAll(judge_client, actions, "appoint");
  actions.clear();
  // The cases were accepted within a few blocks of each other: one claim period fits them all.
  const int64_t accepted = Must(judge_client.GetCase(case_ids.back()), "case").accepted_time_ms();
  for (const std::string& id : case_ids) {
    pb::TxBody body;
    body.mutable_set_claim_period()->set_case_id(id);
    body.mutable_set_claim_period()->set_claim_period_end_ms(accepted + 31 * kDayMs);
    body.mutable_set_claim_period()->set_first_meeting_ms(accepted + 36 * kDayMs);
    actions.push_back(std::move(body));
  }
  SubmitAll(judge_client, actions, "claim period");
  actions.clear();
  for (const std::string& id : case_ids) {
    pb::TxBody body;
    auto* a = body.mutable_add_known_creditor();
    a->set_case_id(id);
    a->set_kind(pb::CREDITOR_KIND_DEPARTMENT);
    a->set_org_id("tax");
    a->set_name("国家税务总局深圳市税务局");
    a->set_id_number(kBureauCode);
    a->set_service_address("Futian District, Shenzhen");
    a->set_basis("tax registration");
    actions.push_back(std::move(body));
  }
  std::vector<std::string> entries;
  for (const pb::TxStatus& s : SubmitAll(member_client, actions, "known creditor")) {
    entries.push_back(s.record_id());
  }

  if (!from_acceptance) {
    adapter = StartAdapter();
    std::this_thread::sleep_for(std::chrono::milliseconds(500));  // its first idle round
  }

  actions.clear();
  for (const std::string& entry : entries) {
    pb::TxBody body;
    body.mutable_send_claim_notice()->set_creditor_id(entry);
    body.mutable_send_claim_notice()->set_text("declare on the platform by the period's end");
    actions.push_back(std::move(body));
  }
  std::cerr << "sending " << n << " declaration notices at once\n";
  auto start = from_acceptance ? accept_start : std::chrono::steady_clock::now();
  SubmitAll(member_client, actions, "notices");
  pb::ClaimList claims;
  for (;;) {
    claims = Must(officer_client.MyClaims(), "claims");
    if (claims.claims_size() >= n) break;
    if (std::chrono::steady_clock::now() - start > std::chrono::minutes(5)) {
      Die("only " + std::to_string(claims.claims_size()) + " claims after 5 minutes");
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  double wall_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  ::kill(adapter, SIGTERM);
  ::waitpid(adapter, nullptr, 0);

  pb::NoticeList notices = Must(officer_client.MyNotices(), "notices");
  std::map<std::string, const pb::Notice*> notice_of;
  int unacknowledged = 0;
  for (const pb::Notice& notice : notices.notices()) {
    notice_of[notice.creditor_id()] = &notice;
    unacknowledged += notice.acknowledged_height() == 0;
  }
  std::map<std::string, int> index_of;
  for (int i = 0; i < n; ++i) index_of[entries[i]] = i;
  std::vector<int64_t> latency_ms, from_acceptance_ms;
  std::map<std::string, int64_t> accepted_ms;
  if (from_acceptance) {
    for (const std::string& id : case_ids) {
      accepted_ms[id] = Must(judge_client.GetCase(id), "case").accepted_time_ms();
    }
  }
  int wrong = 0;
  for (const pb::Claim& claim : claims.claims()) {
    const pb::Notice* notice = notice_of.at(claim.creditor_id());
    latency_ms.push_back(claim.declared_time_ms() - notice->sent_time_ms());
    if (from_acceptance) {
      from_acceptance_ms.push_back(claim.declared_time_ms() - accepted_ms.at(claim.case_id()));
    }
    std::vector<ArrearsRow> rows = RowsFor(index_of.at(claim.creditor_id()));
    const auto& items = claim.declaration().tax_items();
    bool ok = items.size() == static_cast<int>(rows.size());
    for (int k = 0; ok && k < items.size(); ++k) {
      pb::TaxItem expected = Must(TaxItemFor(rows[k], kAcceptance), "expected");
      ok = items[k].tax() == expected.tax() && items[k].late_fee() == expected.late_fee() &&
           items[k].fine() == expected.fine() &&
           items[k].special_interest() == expected.special_interest();
    }
    wrong += !ok;
  }
  std::cout << "cases " << n << ", claims declared " << claims.claims_size() << ", amounts wrong "
            << wrong << ", notices unacknowledged " << unacknowledged << "\n"
            << "notice -> declaration (block times): p50 " << Percentile(latency_ms, 0.50)
            << " ms, p99 " << Percentile(latency_ms, 0.99) << " ms, max "
            << Percentile(latency_ms, 1.0) << " ms\n";
  if (from_acceptance) {
    std::cout << "acceptance -> tax claim committed (block times, events "
              << (no_events ? "off" : "on") << ", adapter poll " << poll_ms << " ms): p50 "
              << Percentile(from_acceptance_ms, 0.50) << " ms, p99 "
              << Percentile(from_acceptance_ms, 0.99) << " ms, max "
              << Percentile(from_acceptance_ms, 1.0) << " ms\n";
  }
  std::cout << "wall time from submitting the " << (from_acceptance ? "acceptances" : "notices")
            << " to the last claim read: " << wall_s << " s\n";
  return wrong == 0 && unacknowledged == 0 ? 0 : 1;
}

}  // namespace
}  // namespace onechain::adapters::tax

int main(int argc, char** argv) { return onechain::adapters::tax::Main(argc, argv); }
