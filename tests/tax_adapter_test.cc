// The tax bureau's adapter end to end: a real node, a real PostgreSQL holding the bureau's
// arrears, and the real `onechain-tax-adapter` process. The court accepts a case whose debtor owes
// tax, the administrator lists the bureau as a known creditor and sends the declaration notice;
// the adapter acknowledges it and declares the claim with late fees to the acceptance date; the
// review shows the automatic ranking of every part. Killed and restarted (even with its cursor
// lost) the adapter files nothing twice. Records whose late fee overflows are refused, not
// wrapped. Prepare-only mode waits for an officer's approval.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <functional>
#include <thread>

#include "crypto/seal.h"
#include "node/envelope.h"
#include "privacy.pb.h"
#include "queries.pb.h"
#include "test_cluster.h"
#include "util/bytes.h"

namespace onechain::integration {
namespace {

constexpr int64_t kDayMs = 24 * 3'600'000LL;
constexpr const char* kDebtorCode = "91440300MA5F8XGL06";
constexpr const char* kSecondDebtorCode = "91440300MA5H00001F";
constexpr const char* kOverflowDebtorCode = "91440300MA5G00001W";
constexpr const char* kBureauCode = "11440300MB2C92920D";


// Runs a shell command; returns its exit status.
int Shell(const std::string& command) { return std::system(command.c_str()); }

class TaxAdapterTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto cluster = TestCluster::Create("tax-adapter");
    ASSERT_TRUE(cluster.ok()) << cluster.status().ToString();
    cluster_ = std::move(*cluster);
    ASSERT_TRUE(cluster_->Start().ok()) << cluster_->LogTail();
    auto pg = PrivatePostgres::Start("tax");
    ASSERT_TRUE(pg.ok()) << pg.status().ToString();
    pg_ = std::move(*pg);
    conninfo_ = "host=127.0.0.1 port=" + pg_->port() + " dbname=tax user=tax";
    Sql("INSERT INTO taxpayers VALUES ('" + std::string(kDebtorCode) + "', '深圳市示例制造有限公司'),"
        " ('" + kSecondDebtorCode + "', 'Second Example Co.'),"
        " ('" + kOverflowDebtorCode + "', 'Overflow Example Co.');"
        "INSERT INTO arrears (credit_code, tax_name, period, principal, surcharges, due_date, fine,"
        " special_interest, paid) VALUES"
        " ('" + kDebtorCode + "', 'VAT', '2025-09', 3000000, 360000, '2025-10-15', 150000, 0, false),"
        " ('" + kDebtorCode + "', 'corporate income tax', '2024', 8000000, 0, '2025-05-31', 0, 420000, false),"
        " ('" + kDebtorCode + "', 'stamp duty', '2026-10', 12345, 0, '2026-11-20', 0, 0, false),"
        " ('" + kDebtorCode + "', 'VAT', '2025-03', 999999, 0, '2025-04-15', 0, 0, true),"
        " ('" + kSecondDebtorCode + "', 'VAT', '2026-09', 1000000, 0, '2026-10-15', 0, 0, false),"
        // Its late fee does not fit in int64 fen: refused, never wrapped.
        " ('" + kOverflowDebtorCode + "', 'VAT', '2000-01', 9223372036854775807, 0, '2000-01-15',"
        " 0, 0, false);");

    auto court = cluster_->LoadAdminKey("court");
    ASSERT_TRUE(court.ok());
    court_admin_ = std::move(*court);
    auto tax = cluster_->LoadAdminKey("tax");
    ASSERT_TRUE(tax.ok());
    tax_admin_ = std::move(*tax);
    judge_ = NewKey();
    Ok(*court_admin_, [&](pb::TxBody& b) {
      b.mutable_register_account()->set_public_key(judge_->public_key());
      b.mutable_register_account()->add_roles(pb::ROLE_JUDGE);
      b.mutable_register_account()->set_display_name("judge");
    });
    officer_ = NewKey();
    Ok(*tax_admin_, [&](pb::TxBody& b) {
      b.mutable_register_account()->set_public_key(officer_->public_key());
      b.mutable_register_account()->add_roles(pb::ROLE_DEPARTMENT_OFFICER);
      b.mutable_register_account()->set_display_name("tax officer");
    });
    officer_pem_ = cluster_->dir() + "/officer.pem";
    std::ofstream(officer_pem_) << *officer_->ToPem("");
    firm_admin_ = NewKey();
    Ok(*judge_, [&](pb::TxBody& b) {
      auto* a = b.mutable_add_roster_firm();
      a->set_firm_org_id("zhonglun");
      a->set_firm_name("Zhonglun LLP");
      a->set_admin_public_key(firm_admin_->public_key());
      a->set_admin_name("Partner");
    });
    member_ = NewKey();
    Ok(*firm_admin_, [&](pb::TxBody& b) {
      b.mutable_register_account()->set_public_key(member_->public_key());
      b.mutable_register_account()->add_roles(pb::ROLE_ADMINISTRATOR_MEMBER);
      b.mutable_register_account()->set_display_name("member");
    });
    state_dir_ = cluster_->dir() + "/adapter-state";
  }

  void TearDown() override {
    StopAdapter();
    pg_.reset();
    if (HasFailure()) std::cerr << cluster_->LogTail() << "\n" << AdapterLog() << "\n";
  }

  void Sql(const std::string& sql) {
    ASSERT_EQ(pg_->Run("tax_pg.sh", "psql", "-c \"" + sql + "\""), 0);
  }

  static std::unique_ptr<crypto::PrivateKey> NewKey() {
    auto key = crypto::GenerateKey(pb::SUITE_INTL);
    EXPECT_TRUE(key.ok());
    return std::move(*key);
  }

  NodeApi Api() const { return NodeApi(cluster_->base_url()); }

  uint64_t Nonce(const crypto::PrivateKey& key) const {
    auto account = GetMessage<pb::Account>(Api(), "/v1/keys/" + ToHex(key.public_key()));
    return account.ok() ? account->nonce() : 0;
  }

  // Signs and submits the action; expects it committed with OK; returns its record id.
  std::string Ok(const crypto::PrivateKey& signer, const std::function<void(pb::TxBody&)>& fill) {
    pb::TxBody body = NewBody(cluster_->chain_id(), signer, Nonce(signer) + 1);
    fill(body);
    auto reply = Api().PostBinary("/v1/tx?wait_ms=20000", node::SignEnvelope(signer, body));
    EXPECT_TRUE(reply.ok());
    if (!reply.ok()) return "";
    auto status = ParseJson<pb::TxStatus>(reply->body);
    EXPECT_TRUE(status.ok()) << reply->body;
    if (!status.ok()) return "";
    EXPECT_EQ(status->state(), pb::TxStatus::COMMITTED) << reply->body;
    EXPECT_EQ(status->code(), pb::Status::OK) << status->message();
    return status->record_id();
  }

  // A case accepted on 2026-11-20 with zhonglun appointed, the bureau listed as a known creditor
  // and sent the declaration notice; returns {case id, creditor entry id}.
  std::pair<std::string, std::string> CaseWithNotice(const std::string& number,
                                                     const std::string& debtor_code) {
    std::string case_id = Ok(*judge_, [&](pb::TxBody& b) {
      auto* a = b.mutable_accept_case();
      a->set_case_number(number);
      a->set_debtor_name("深圳市示例制造有限公司");
      a->set_debtor_credit_code(debtor_code);
      a->set_procedure(pb::PROCEDURE_LIQUIDATION);
      a->set_acceptance_date("2026-11-20");
    });
    Ok(*judge_, [&](pb::TxBody& b) {
      b.mutable_appoint_administrator()->set_case_id(case_id);
      b.mutable_appoint_administrator()->set_firm_org_id("zhonglun");
    });
    auto record = GetMessage<pb::Case>(Api(), "/v1/cases/" + case_id);
    EXPECT_TRUE(record.ok());
    int64_t accepted = record.ok() ? record->accepted_time_ms() : 0;
    Ok(*judge_, [&](pb::TxBody& b) {
      b.mutable_set_claim_period()->set_case_id(case_id);
      b.mutable_set_claim_period()->set_claim_period_end_ms(accepted + 31 * kDayMs);
      b.mutable_set_claim_period()->set_first_meeting_ms(accepted + 36 * kDayMs);
    });
    std::string entry = Ok(*member_, [&](pb::TxBody& b) {
      auto* a = b.mutable_add_known_creditor();
      a->set_case_id(case_id);
      a->set_kind(pb::CREDITOR_KIND_DEPARTMENT);
      a->set_org_id("tax");
      a->set_name("国家税务总局深圳市税务局");
      a->set_id_number(kBureauCode);
      a->set_service_address("Futian District, Shenzhen");
      a->set_basis("the debtor's tax registration");
    });
    SendNotice(entry);
    return {case_id, entry};
  }

  void SendNotice(const std::string& entry) {
    Ok(*member_, [&](pb::TxBody& b) {
      b.mutable_send_claim_notice()->set_creditor_id(entry);
      b.mutable_send_claim_notice()->set_text("declare on the platform by the period's end");
    });
  }

  void StartAdapter(const std::vector<std::string>& extra = {},
                    const std::string& poll_ms = "100") {
    std::vector<std::string> args = {ONECHAIN_TAX_ADAPTER_BINARY, "run", "--node",
                                     cluster_->base_url(), "--key", officer_pem_, "--state-dir",
                                     state_dir_, "--db", conninfo_, "--poll-ms", poll_ms};
    args.insert(args.end(), extra.begin(), extra.end());
    adapter_log_ = cluster_->dir() + "/adapter.log";
    pid_t pid = ::fork();
    ASSERT_GE(pid, 0);
    if (pid == 0) {
      int fd = ::open(adapter_log_.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
      ::dup2(fd, 1);
      ::dup2(fd, 2);
      std::vector<char*> argv;
      for (std::string& a : args) argv.push_back(a.data());
      argv.push_back(nullptr);
      ::execv(argv[0], argv.data());
      ::_exit(127);
    }
    adapter_pid_ = pid;
  }

  void KillAdapter() {
    if (adapter_pid_ <= 0) return;
    ::kill(adapter_pid_, SIGKILL);
    ::waitpid(adapter_pid_, nullptr, 0);
    adapter_pid_ = -1;
  }

  void StopAdapter() {
    if (adapter_pid_ <= 0) return;
    ::kill(adapter_pid_, SIGTERM);
    int status = 0;
    ::waitpid(adapter_pid_, &status, 0);
    adapter_pid_ = -1;
    EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << AdapterLog();
  }

  std::string AdapterLog() const {
    std::ifstream in(adapter_log_);
    std::stringstream text;
    text << in.rdbuf();
    std::string all = text.str();
    return all.size() > 4000 ? all.substr(all.size() - 4000) : all;
  }

  Result<pb::ClaimList> MyClaims() const {
    cli::ApiClient client(cluster_->base_url());
    client.SignReadsWith(officer_.get());
    auto json = client.GetJson("/v1/me/claims");
    if (!json.ok()) return json.status();
    return ParseJson<pb::ClaimList>(*json);
  }

  Result<pb::NoticeList> MyNotices() const {
    cli::ApiClient client(cluster_->base_url());
    client.SignReadsWith(officer_.get());
    auto json = client.GetJson("/v1/me/notices");
    if (!json.ok()) return json.status();
    return ParseJson<pb::NoticeList>(*json);
  }

  // Waits up to 30 s for `done`.
  bool WaitFor(const std::function<bool()>& done) {
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
    while (std::chrono::steady_clock::now() < deadline) {
      if (done()) return true;
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    return done();
  }

  bool AllAcknowledged() {
    auto notices = MyNotices();
    if (!notices.ok() || notices->notices_size() == 0) return false;
    for (const pb::Notice& n : notices->notices()) {
      if (n.acknowledged_height() == 0) return false;
    }
    return true;
  }

  int ClaimsOf(const std::string& entry) {
    auto claims = MyClaims();
    if (!claims.ok()) return -1;
    int count = 0;
    for (const pb::Claim& c : claims->claims()) count += c.creditor_id() == entry;
    return count;
  }

  std::unique_ptr<TestCluster> cluster_;
  std::unique_ptr<crypto::PrivateKey> court_admin_, tax_admin_, judge_, officer_, firm_admin_,
      member_;
  std::string officer_pem_, state_dir_, conninfo_, adapter_log_;
  std::unique_ptr<PrivatePostgres> pg_;
  pid_t adapter_pid_ = -1;
};

TEST_F(TaxAdapterTest, DeclaresToTheFenAndNeverTwice) {
  auto [case_id, entry] = CaseWithNotice("(2026)粤03破701号", kDebtorCode);
  auto [bad_case_id, bad_entry] = CaseWithNotice("(2026)粤03破703号", kOverflowDebtorCode);
  StartAdapter();
  ASSERT_TRUE(WaitFor([&] { return ClaimsOf(entry) == 1 && AllAcknowledged(); }))
      << AdapterLog();
  // The records that overflow are acknowledged, not declared, and logged with their code.
  EXPECT_EQ(ClaimsOf(bad_entry), 0);
  EXPECT_NE(AdapterLog().find("INVALID_ARGUMENT"), std::string::npos) << AdapterLog();
  auto claims = MyClaims();
  ASSERT_TRUE(claims.ok());
  ASSERT_EQ(claims->claims_size(), 1);
  (void)bad_case_id;
  const pb::Claim claim = claims->claims(0);
  EXPECT_EQ(claim.case_id(), case_id);
  EXPECT_EQ(claim.status(), pb::CLAIM_STATUS_DECLARED);
  EXPECT_FALSE(claim.late());
  const pb::Declaration& d = claim.declaration();
  EXPECT_EQ(d.creditor_id_number(), kBureauCode);
  // The paid row is left out; the stamp duty fell due on the acceptance day: no late fee.
  ASSERT_EQ(d.tax_items_size(), 3);
  EXPECT_EQ(d.tax_items(0).tax_name(), "VAT");
  EXPECT_EQ(d.tax_items(0).tax(), 3'360'000);         // principal + surcharges
  EXPECT_EQ(d.tax_items(0).late_fee(), 601'500);      // 3,000,000 x 0.05% x 401 days
  EXPECT_EQ(d.tax_items(0).fine(), 150'000);
  EXPECT_EQ(d.tax_items(1).tax(), 8'000'000);
  EXPECT_EQ(d.tax_items(1).late_fee(), 2'152'000);    // 8,000,000 x 0.05% x 538 days
  EXPECT_EQ(d.tax_items(1).special_interest(), 420'000);
  EXPECT_EQ(d.tax_items(2).tax(), 12'345);
  EXPECT_EQ(d.tax_items(2).late_fee(), 0);
  EXPECT_EQ(claim.declared_total(), 14'695'845);

  // The administrator confirms every part as declared; the chain ranks them.
  Ok(*member_, [&](pb::TxBody& b) {
    auto* r = b.mutable_review_claim();
    r->set_claim_id(claim.id());
    // Tax items expand in order: tax, late fee, fine, special interest, each if not zero.
    const int64_t parts[] = {3'360'000, 601'500, 150'000, 8'000'000, 2'152'000, 420'000, 12'345};
    for (uint32_t i = 0; i < std::size(parts); ++i) {
      auto* c = r->add_components();
      c->set_index(i);
      c->set_confirmed(parts[i]);
    }
  });
  cli::ApiClient reader(cluster_->base_url());
  reader.SignReadsWith(member_.get());
  auto json = reader.GetJson("/v1/cases/" + case_id + "/claims");
  ASSERT_TRUE(json.ok()) << json.status().ToString();
  auto claim_form = ParseJson<pb::ClaimForm>(*json);
  ASSERT_TRUE(claim_form.ok());
  ASSERT_EQ(claim_form->rows_size(), 1);
  const auto& by_ranking = claim_form->rows(0).confirmed_by_ranking();
  ASSERT_GT(by_ranking.size(), pb::RANKING_SUBORDINATED);
  EXPECT_EQ(by_ranking[pb::RANKING_TAX_AND_SOCIAL_INSURANCE], 11'372'345);
  EXPECT_EQ(by_ranking[pb::RANKING_ORDINARY], 3'173'500);
  EXPECT_EQ(by_ranking[pb::RANKING_SUBORDINATED], 150'000);

  // Killed, its cursor lost as if it crashed before saving it, and a second notice to the same
  // entry: it acknowledges the new notice only and declares nothing again.
  const uint64_t acts_before = Nonce(*officer_);
  EXPECT_EQ(acts_before, 3u);  // two acknowledgements, one declaration
  KillAdapter();
  std::filesystem::remove(state_dir_ + "/cursor");
  SendNotice(entry);
  StartAdapter();
  ASSERT_TRUE(WaitFor([&] { return AllAcknowledged(); })) << AdapterLog();
  std::this_thread::sleep_for(std::chrono::milliseconds(500));
  EXPECT_EQ(ClaimsOf(entry), 1);
  EXPECT_EQ(Nonce(*officer_), acts_before + 1);
  StopAdapter();
}

// With events the adapter acts at once: its poll is a minute, yet the case's acceptance shows in
// its log and the notice is answered within seconds of being sent.
TEST_F(TaxAdapterTest, HearsAcceptanceAndNoticesAtOnce) {
  StartAdapter({}, "60000");
  // The adapter's first round (at start) finds nothing; give its stream a moment to open.
  ASSERT_TRUE(WaitFor([&] { return AdapterLog().find("tax adapter for") != std::string::npos; }));
  std::this_thread::sleep_for(std::chrono::milliseconds(1500));
  auto start = std::chrono::steady_clock::now();
  auto [case_id, entry] = CaseWithNotice("(2026)粤03破704号", kDebtorCode);
  ASSERT_TRUE(WaitFor([&] { return ClaimsOf(entry) == 1 && AllAcknowledged(); })) << AdapterLog();
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(20));
  EXPECT_NE(AdapterLog().find("(2026)粤03破704号 accepted: the debtor " + std::string(kDebtorCode) +
                              " owes 3 arrears rows"),
            std::string::npos)
      << AdapterLog();
  (void)case_id;
  StopAdapter();
}

// A data request end to end: the administrator asks the bureau for the debtor's tax arrears; the
// adapter hears "data.requested" on its event stream (its poll is a minute), reads its database,
// seals the records for the member who asked, uploads them and answers; the member records the
// access, downloads and opens the records: the arrears computed to the acceptance date.
TEST_F(TaxAdapterTest, AnswersADataRequestHeardOnItsEventStream) {
  Ok(*officer_, [](pb::TxBody& b) {
    auto* type = b.mutable_declare_record_types()->add_types();
    type->set_name("tax-arrears");
    type->add_fields("tax_items");
  });
  auto decryption = crypto::GenerateDecryptionKey(pb::SUITE_INTL);
  ASSERT_TRUE(decryption.ok());
  Ok(*member_, [&](pb::TxBody& b) {
    b.mutable_set_encryption_key()->set_public_key((*decryption)->public_key());
  });
  auto [case_id, entry] = CaseWithNotice("(2026)粤03破706号", kDebtorCode);
  StartAdapter({}, "60000");
  ASSERT_TRUE(WaitFor([&] { return ClaimsOf(entry) == 1 && AllAcknowledged(); })) << AdapterLog();
  std::this_thread::sleep_for(std::chrono::milliseconds(500));
  auto start = std::chrono::steady_clock::now();
  std::string grant_id = Ok(*member_, [&](pb::TxBody& b) {
    auto* a = b.mutable_request_records();
    a->set_case_id(case_id);
    a->set_department_org_id("tax");
    a->set_record_type("tax-arrears");
    a->set_debtor_credit_code(kDebtorCode);
  });
  ASSERT_FALSE(grant_id.empty());
  cli::ApiClient member(cluster_->base_url());
  member.SignReadsWith(member_.get());
  pb::Grant grant;
  ASSERT_TRUE(WaitFor([&] {
    auto json = member.GetJson("/v1/grants/" + grant_id);
    if (!json.ok()) return false;
    auto parsed = ParseJson<pb::Grant>(*json);
    if (!parsed.ok() || parsed->status() != pb::GRANT_STATUS_ANSWERED) return false;
    grant = *parsed;
    return true;
  })) << AdapterLog();
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(20));
  ASSERT_EQ(grant.records_size(), 1);
  const pb::Attachment& file = grant.records(0);
  EXPECT_EQ(file.media_type(), "application/json");
  ASSERT_EQ(file.keys_size(), 1);
  auto me = GetMessage<pb::Account>(Api(), "/v1/keys/" + ToHex(member_->public_key()));
  ASSERT_TRUE(me.ok());
  EXPECT_EQ(file.keys(0).reader_account_id(), me->id());

  Ok(*member_, [&](pb::TxBody& b) {
    b.mutable_record_access()->set_grant_id(grant_id);
    b.mutable_record_access()->set_blob_hash(file.hash());
  });
  SignedReply sealed = SignedGet(cluster_->base_url(), "/v1/blobs/" + ToHex(file.hash()),
                                 member_.get());
  ASSERT_EQ(sealed.status, 200) << sealed.body;
  auto data_key = (*decryption)->UnwrapDataKey(file.keys(0).wrapped());
  ASSERT_TRUE(data_key.ok());
  auto json = crypto::OpenData(pb::SUITE_INTL, *data_key, sealed.body, grant_id);
  ASSERT_TRUE(json.ok()) << json.status().ToString();
  auto records = ParseJson<pb::Declaration>(*json);
  ASSERT_TRUE(records.ok()) << *json;
  EXPECT_EQ(records->creditor_id_number(), kDebtorCode);
  ASSERT_EQ(records->tax_items_size(), 3);  // the paid row left out
  EXPECT_EQ(records->tax_items(0).tax(), 3'360'000);
  EXPECT_EQ(records->tax_items(0).late_fee(), 601'500);  // to the acceptance date
  EXPECT_EQ(records->tax_items(1).special_interest(), 420'000);
  // The bureau lists the access.
  cli::ApiClient officer(cluster_->base_url());
  officer.SignReadsWith(officer_.get());
  auto accesses = officer.GetJson("/v1/grants/" + grant_id + "/accesses");
  ASSERT_TRUE(accesses.ok());
  auto list = ParseJson<pb::AccessRecordList>(*accesses);
  ASSERT_TRUE(list.ok());
  EXPECT_EQ(list->records_size(), 1);
  StopAdapter();
}

TEST_F(TaxAdapterTest, PrepareOnlyWaitsForTheOfficer) {
  auto [case_id, entry] = CaseWithNotice("(2026)粤03破702号", kSecondDebtorCode);
  StartAdapter({"--prepare-only"});
  ASSERT_TRUE(WaitFor([&] { return AllAcknowledged(); })) << AdapterLog();
  auto notices = MyNotices();
  ASSERT_TRUE(notices.ok());
  const std::string notice_id = notices->notices(0).id();
  const std::string prepared = state_dir_ + "/prepared/" + notice_id + ".json";
  ASSERT_TRUE(WaitFor([&] { return std::filesystem::exists(prepared); })) << AdapterLog();
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  EXPECT_EQ(ClaimsOf(entry), 0);
  StopAdapter();

  const std::string command = std::string(ONECHAIN_TAX_ADAPTER_BINARY) + " approve " + notice_id +
                              " --node " + cluster_->base_url() + " --key " + officer_pem_ +
                              " --state-dir " + state_dir_ + " >" + cluster_->dir() +
                              "/approve.out 2>&1";
  ASSERT_EQ(Shell(command), 0);
  EXPECT_EQ(ClaimsOf(entry), 1);
  auto claims = MyClaims();
  ASSERT_TRUE(claims.ok());
  // 2026-10-15 -> 2026-11-20: 36 days of 0.05% on 1,000,000 fen.
  EXPECT_EQ(claims->claims(0).declaration().tax_items(0).late_fee(), 18'000);
  // Approving again finds nothing prepared and files nothing.
  EXPECT_NE(Shell(command), 0);
  EXPECT_EQ(ClaimsOf(entry), 1);
}

}  // namespace
}  // namespace onechain::integration
