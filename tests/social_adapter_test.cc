// The social insurance fund's adapter end to end: a real node, the fund's database in the same
// PostgreSQL cluster as the tax bureau's, the real `onechain-social-adapter` process. The court
// accepts a case, the administrator lists the fund and sends the notice; the adapter
// acknowledges and declares the unpaid contributions by tier with late fees to the acceptance
// date, signed by the fund's officer; restarted, it files nothing twice.
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

#include "node/envelope.h"
#include "queries.pb.h"
#include "test_cluster.h"
#include "util/bytes.h"

namespace onechain::integration {
namespace {

constexpr int64_t kDayMs = 24 * 3'600'000LL;
constexpr const char* kDebtorCode = "91440300MA5F8XGL06";
constexpr const char* kFundCode = "12440300MB0000000X";


class SocialAdapterTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto cluster = TestCluster::Create("social-adapter");
    ASSERT_TRUE(cluster.ok()) << cluster.status().ToString();
    cluster_ = std::move(*cluster);
    ASSERT_TRUE(cluster_->Start().ok()) << cluster_->LogTail();
    auto pg = PrivatePostgres::Start("social");
    ASSERT_TRUE(pg.ok()) << pg.status().ToString();
    pg_ = std::move(*pg);
    ASSERT_EQ(pg_->Run("social_pg.sh", "create", ">/dev/null"), 0);
    ASSERT_EQ(pg_->Run("social_pg.sh", "psql",
                       "-f " + std::string(ONECHAIN_SOURCE_DIR) + "/adapters/social/demo_seed.sql"),
              0);
    auto court = cluster_->LoadAdminKey("court");
    auto social = cluster_->LoadAdminKey("social");
    ASSERT_TRUE(court.ok() && social.ok());
    judge_ = Register(**court, pb::ROLE_JUDGE);
    officer_ = Register(**social, pb::ROLE_DEPARTMENT_OFFICER);
    officer_pem_ = cluster_->dir() + "/officer.pem";
    std::ofstream(officer_pem_) << *officer_->ToPem("");
    auto firm_admin = NewKey();
    Ok(*judge_, [&](pb::TxBody& b) {
      auto* a = b.mutable_add_roster_firm();
      a->set_firm_org_id("zhonglun");
      a->set_firm_name("Zhonglun LLP");
      a->set_admin_public_key(firm_admin->public_key());
      a->set_admin_name("Partner");
    });
    member_ = Register(*firm_admin, pb::ROLE_ADMINISTRATOR_MEMBER);
  }

  void TearDown() override {
    if (adapter_pid_ > 0) {
      ::kill(adapter_pid_, SIGKILL);
      ::waitpid(adapter_pid_, nullptr, 0);
    }
    pg_.reset();
    if (HasFailure()) std::cerr << cluster_->LogTail() << "\n" << AdapterLog() << "\n";
  }

  static std::unique_ptr<crypto::PrivateKey> NewKey() {
    auto key = crypto::GenerateKey(pb::SUITE_INTL);
    EXPECT_TRUE(key.ok());
    return std::move(*key);
  }

  std::unique_ptr<crypto::PrivateKey> Register(const crypto::PrivateKey& admin, pb::Role role) {
    auto key = NewKey();
    Ok(admin, [&](pb::TxBody& b) {
      b.mutable_register_account()->set_public_key(key->public_key());
      b.mutable_register_account()->add_roles(role);
      b.mutable_register_account()->set_display_name("someone");
    });
    return key;
  }

  NodeApi Api() const { return NodeApi(cluster_->base_url()); }

  uint64_t Nonce(const crypto::PrivateKey& key) const {
    auto account = GetMessage<pb::Account>(Api(), "/v1/keys/" + ToHex(key.public_key()));
    return account.ok() ? account->nonce() : 0;
  }

  std::string Ok(const crypto::PrivateKey& signer, const std::function<void(pb::TxBody&)>& fill) {
    pb::TxBody body = NewBody(cluster_->chain_id(), signer, Nonce(signer) + 1);
    fill(body);
    auto reply = Api().PostBinary("/v1/tx?wait_ms=20000", node::SignEnvelope(signer, body));
    EXPECT_TRUE(reply.ok());
    if (!reply.ok()) return "";
    auto status = ParseJson<pb::TxStatus>(reply->body);
    EXPECT_TRUE(status.ok() && status->code() == pb::Status::OK) << reply->body;
    return status.ok() ? status->record_id() : "";
  }

  void StartAdapter() {
    std::vector<std::string> args = {ONECHAIN_SOCIAL_ADAPTER_BINARY,
                                     "--node",
                                     cluster_->base_url(),
                                     "--key",
                                     officer_pem_,
                                     "--state-dir",
                                     cluster_->dir() + "/social-state",
                                     "--db",
                                     "host=127.0.0.1 port=" + pg_->port() + " dbname=social user=tax",
                                     "--poll-ms",
                                     "100"};
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

  void StopAdapter() {
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
    return text.str().substr(0, 4000);
  }

  Result<pb::ClaimList> MyClaims() const {
    cli::ApiClient client(cluster_->base_url());
    client.SignReadsWith(officer_.get());
    auto json = client.GetJson("/v1/me/claims");
    if (!json.ok()) return json.status();
    return ParseJson<pb::ClaimList>(*json);
  }

  bool WaitFor(const std::function<bool()>& done) {
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
    while (std::chrono::steady_clock::now() < deadline && !done()) {
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    return done();
  }

  std::unique_ptr<TestCluster> cluster_;
  std::unique_ptr<crypto::PrivateKey> judge_, officer_, member_;
  std::string officer_pem_, adapter_log_;
  std::unique_ptr<PrivatePostgres> pg_;
  pid_t adapter_pid_ = -1;
};

TEST_F(SocialAdapterTest, DeclaresContributionsByTierAndNeverTwice) {
  std::string case_id = Ok(*judge_, [&](pb::TxBody& b) {
    auto* a = b.mutable_accept_case();
    a->set_case_number("(2026)粤03破901号");
    a->set_debtor_name("深圳市示例制造有限公司");
    a->set_debtor_credit_code(kDebtorCode);
    a->set_procedure(pb::PROCEDURE_LIQUIDATION);
    a->set_acceptance_date("2026-11-20");
  });
  Ok(*judge_, [&](pb::TxBody& b) {
    b.mutable_appoint_administrator()->set_case_id(case_id);
    b.mutable_appoint_administrator()->set_firm_org_id("zhonglun");
  });
  auto record = GetMessage<pb::Case>(Api(), "/v1/cases/" + case_id);
  ASSERT_TRUE(record.ok());
  Ok(*judge_, [&](pb::TxBody& b) {
    b.mutable_set_claim_period()->set_case_id(case_id);
    b.mutable_set_claim_period()->set_claim_period_end_ms(record->accepted_time_ms() + 31 * kDayMs);
    b.mutable_set_claim_period()->set_first_meeting_ms(record->accepted_time_ms() + 36 * kDayMs);
  });
  std::string entry = Ok(*member_, [&](pb::TxBody& b) {
    auto* a = b.mutable_add_known_creditor();
    a->set_case_id(case_id);
    a->set_kind(pb::CREDITOR_KIND_DEPARTMENT);
    a->set_org_id("social");
    a->set_name("深圳市社会保险基金管理局");
    a->set_id_number(kFundCode);
    a->set_service_address("Futian District, Shenzhen");
    a->set_basis("the debtor's social insurance registration");
  });
  Ok(*member_, [&](pb::TxBody& b) {
    b.mutable_send_claim_notice()->set_creditor_id(entry);
    b.mutable_send_claim_notice()->set_text("declare on the platform by the period's end");
  });
  StartAdapter();
  ASSERT_TRUE(WaitFor([&] {
    auto claims = MyClaims();
    return claims.ok() && claims->claims_size() == 1;
  })) << AdapterLog();
  auto claims = MyClaims();
  ASSERT_TRUE(claims.ok());
  const pb::Claim& claim = claims->claims(0);
  EXPECT_EQ(claim.creditor_id(), entry);
  const pb::Declaration& d = claim.declaration();
  ASSERT_EQ(d.components_size(), 3);
  // Personal pension 1,600,000 + personal medical 400,000: tier 1.
  EXPECT_EQ(d.components(0).kind(), pb::COMPONENT_KIND_PENSION);
  EXPECT_EQ(d.components(0).amount(), 2'000'000);
  // Pooled pension 3,200,000 + pooled unemployment 100,000: tier 2.
  EXPECT_EQ(d.components(1).kind(), pb::COMPONENT_KIND_SOCIAL_INSURANCE);
  EXPECT_EQ(d.components(1).amount(), 3'300'000);
  // 5,300,000 x 0.05% x 66 days (2026-09-16 .. 2026-11-20).
  EXPECT_EQ(d.components(2).kind(), pb::COMPONENT_KIND_OTHER);
  EXPECT_EQ(d.components(2).amount(), 174'900);
  EXPECT_EQ(claim.declared_total(), 5'474'900);
  // The officer signed: two acts (acknowledgement, declaration). Restarted: nothing more.
  EXPECT_EQ(Nonce(*officer_), 2u);
  StopAdapter();
  std::filesystem::remove(cluster_->dir() + "/social-state/cursor");
  StartAdapter();
  std::this_thread::sleep_for(std::chrono::milliseconds(2000));
  EXPECT_EQ(Nonce(*officer_), 2u);
  StopAdapter();
}

}  // namespace
}  // namespace onechain::integration
