// Proves the workflow's read routes on a real node process over HTTP, by privacy class: a creditor
// reads its own claim and history but not another's, and the refusal is byte for byte the reply
// for a made-up id; the appointed administrator reads the claim form and a member of another firm
// cannot; unsigned callers see public records only; the inbox holds only the caller's notices;
// the history shows every version with its height; the CLI's `query` commands sign these reads.
#include <gtest/gtest.h>
#include <httplib.h>

#include <chrono>
#include <fstream>
#include <functional>

#include "api/request_auth.h"
#include "node/envelope.h"
#include "queries.pb.h"
#include "test_cluster.h"
#include "util/bytes.h"

namespace onechain::integration {
namespace {

constexpr int64_t kDayMs = 24 * 3'600'000LL;
constexpr const char* kSupplierCode = "914403000000000001";
constexpr const char* kBankCode = "914403000000000002";
const std::string kMadeUpId(32, 'e');

struct Reply {
  int status = 0;
  std::string body;
};

class WorkflowApiTest : public ::testing::Test {
 protected:
  // One case for the whole suite: the court's judge, two firms on the roster with a member each
  // (zhonglun appointed), two bound creditors (supplier and bank) with one claim each, the
  // supplier's amended once and sent a declaration notice.
  static void SetUpTestSuite() {
    auto cluster = TestCluster::Create("workflow-api");
    ASSERT_TRUE(cluster.ok()) << cluster.status().ToString();
    cluster_ = cluster->release();
    ASSERT_TRUE(cluster_->Start().ok()) << cluster_->LogTail();
    auto court = cluster_->LoadAdminKey("court");
    ASSERT_TRUE(court.ok());
    court_admin_ = court->release();
    judge_ = NewKey();
    Ok(*court_admin_, [](pb::TxBody& b) {
      b.mutable_register_account()->set_public_key(judge_->public_key());
      b.mutable_register_account()->add_roles(pb::ROLE_JUDGE);
      b.mutable_register_account()->set_display_name("judge");
    });
    member_ = AddFirmWithMember("zhonglun");
    other_member_ = AddFirmWithMember("kingwood");
    supplier_ = SelfRegistered("Shenzhen Supply Co.", kSupplierCode);
    bank_ = SelfRegistered("Bank of Example", kBankCode);

    case_id_ = Ok(*judge_, [](pb::TxBody& b) {
      auto* a = b.mutable_accept_case();
      a->set_case_number("(2026)粤03破501号");
      a->set_debtor_name("深圳市示例制造有限公司");
      a->set_debtor_credit_code("91440300MA5F8XGL06");
      a->set_procedure(pb::PROCEDURE_LIQUIDATION);
      a->set_acceptance_date("2026-11-20");
    });
    Ok(*judge_, [](pb::TxBody& b) {
      b.mutable_appoint_administrator()->set_case_id(case_id_);
      b.mutable_appoint_administrator()->set_firm_org_id("zhonglun");
    });
    auto record = GetMessage<pb::Case>(NodeApi(cluster_->base_url()), "/v1/cases/" + case_id_);
    ASSERT_TRUE(record.ok()) << record.status().ToString();
    int64_t accepted = record->accepted_time_ms();
    Ok(*judge_, [&](pb::TxBody& b) {
      b.mutable_set_claim_period()->set_case_id(case_id_);
      b.mutable_set_claim_period()->set_claim_period_end_ms(accepted + 31 * kDayMs);
      b.mutable_set_claim_period()->set_first_meeting_ms(accepted + 36 * kDayMs);
    });
    supplier_entry_ = BoundEntry("Shenzhen Supply Co.", kSupplierCode, *supplier_);
    bank_entry_ = BoundEntry("Bank of Example", kBankCode, *bank_);
    Ok(*member_, [](pb::TxBody& b) {
      b.mutable_send_claim_notice()->set_creditor_id(supplier_entry_);
      b.mutable_send_claim_notice()->set_text("declare on the platform by the period's end");
    });
    supplier_claim_ = Ok(*supplier_, [](pb::TxBody& b) {
      b.mutable_declare_claim()->set_creditor_id(supplier_entry_);
      *b.mutable_declare_claim()->mutable_declaration() = Declaration(kSupplierCode, 120'000'00);
    });
    Ok(*supplier_, [](pb::TxBody& b) {
      b.mutable_amend_claim()->set_claim_id(supplier_claim_);
      *b.mutable_amend_claim()->mutable_declaration() = Declaration(kSupplierCode, 125'000'00);
    });
    bank_claim_ = Ok(*bank_, [](pb::TxBody& b) {
      b.mutable_declare_claim()->set_creditor_id(bank_entry_);
      *b.mutable_declare_claim()->mutable_declaration() = Declaration(kBankCode, 3'000'000'00);
    });
  }

  static void TearDownTestSuite() {
    delete cluster_;
    cluster_ = nullptr;
  }

  void TearDown() override {
    if (HasFailure()) std::cerr << cluster_->LogTail() << "\n";
  }

  static std::unique_ptr<crypto::PrivateKey> NewKey() {
    auto key = crypto::GenerateKey(pb::SUITE_INTL);
    EXPECT_TRUE(key.ok());
    return std::move(*key);
  }

  static uint64_t NextNonce(const crypto::PrivateKey& key) {
    auto account = GetMessage<pb::Account>(NodeApi(cluster_->base_url()),
                                           "/v1/keys/" + ToHex(key.public_key()));
    return account.ok() ? account->nonce() + 1 : 1;
  }

  // Signs and submits the action; expects it committed with OK; returns its record id.
  static std::string Ok(const crypto::PrivateKey& signer,
                        const std::function<void(pb::TxBody&)>& fill) {
    pb::TxBody body = NewBody(cluster_->chain_id(), signer, NextNonce(signer));
    fill(body);
    auto reply = NodeApi(cluster_->base_url())
                     .PostBinary("/v1/tx?wait_ms=20000", node::SignEnvelope(signer, body));
    EXPECT_TRUE(reply.ok());
    if (!reply.ok()) return "";
    auto status = ParseJson<pb::TxStatus>(reply->body);
    EXPECT_TRUE(status.ok()) << reply->body;
    if (!status.ok()) return "";
    EXPECT_EQ(status->state(), pb::TxStatus::COMMITTED) << reply->body;
    EXPECT_EQ(status->code(), pb::Status::OK) << status->message();
    return status->record_id();
  }

  // A firm on the court's roster, and a member registered by the firm's admin.
  static crypto::PrivateKey* AddFirmWithMember(const std::string& firm) {
    std::unique_ptr<crypto::PrivateKey> admin = NewKey();
    Ok(*judge_, [&](pb::TxBody& b) {
      auto* a = b.mutable_add_roster_firm();
      a->set_firm_org_id(firm);
      a->set_firm_name(firm + " LLP");
      a->set_admin_public_key(admin->public_key());
      a->set_admin_name("Partner");
    });
    std::unique_ptr<crypto::PrivateKey> member = NewKey();
    Ok(*admin, [&](pb::TxBody& b) {
      b.mutable_register_account()->set_public_key(member->public_key());
      b.mutable_register_account()->add_roles(pb::ROLE_ADMINISTRATOR_MEMBER);
      b.mutable_register_account()->set_display_name(firm + " member");
    });
    admin.release();  // lives as long as the suite, like the other keys
    return member.release();
  }

  static crypto::PrivateKey* SelfRegistered(const std::string& name, const std::string& code) {
    std::unique_ptr<crypto::PrivateKey> key = NewKey();
    Ok(*key, [&](pb::TxBody& b) {
      b.mutable_self_register()->set_display_name(name);
      b.mutable_self_register()->set_party_kind(pb::PARTY_KIND_FIRM);
      b.mutable_self_register()->set_id_number(code);
    });
    return key.release();
  }

  // A known-creditor entry of the case, bound to the creditor's self-registered account.
  static std::string BoundEntry(const std::string& name, const std::string& code,
                                const crypto::PrivateKey& creditor) {
    std::string entry = Ok(*member_, [&](pb::TxBody& b) {
      auto* a = b.mutable_add_known_creditor();
      a->set_case_id(case_id_);
      a->set_kind(pb::CREDITOR_KIND_FIRM);
      a->set_name(name);
      a->set_id_number(code);
      a->set_service_address("Futian District, Shenzhen");
      a->set_basis("the debtor's books");
    });
    auto account = GetMessage<pb::Account>(NodeApi(cluster_->base_url()),
                                           "/v1/keys/" + ToHex(creditor.public_key()));
    EXPECT_TRUE(account.ok());
    Ok(*member_, [&](pb::TxBody& b) {
      b.mutable_bind_creditor_account()->set_creditor_id(entry);
      b.mutable_bind_creditor_account()->set_account_id(account.ok() ? account->id() : "");
    });
    return entry;
  }

  static pb::Declaration Declaration(const std::string& code, int64_t principal) {
    pb::Declaration d;
    d.set_creditor_name("creditor");
    d.set_creditor_id_number(code);
    d.set_service_address("Nanshan District, Shenzhen");
    d.set_electronic_service_consent(true);
    d.set_payment_account("6222 0000 0000 0001");
    d.set_nature("unpaid price of goods");
    d.set_facts("contract of 2025-03-01, delivered, not paid");
    auto* p = d.add_components();
    p->set_kind(pb::COMPONENT_KIND_PRINCIPAL);
    p->set_amount(principal);
    p->set_calculation("invoice total");
    auto* file = d.add_attachments();
    // A declaration's material must be on the node before it is referenced (BLOB_MISSING).
    const std::string ciphertext = "ciphertext of the supply contract";
    SignedReply put = SignedPut(cluster_->base_url(),
                                "/v1/blobs/" + ToHex(crypto::GetSuite(pb::SUITE_INTL)->Hash(ciphertext)),
                                ciphertext, judge_.get());
    EXPECT_EQ(put.status, 201) << put.body;
    file->set_hash(crypto::GetSuite(pb::SUITE_INTL)->Hash(ciphertext));
    file->set_size(ciphertext.size());
    file->set_media_type("application/pdf");
    return d;
  }

  // GET `path`, signed by `signer` (RFC 9421, api/request_auth.h) or unsigned when null.
  static Reply Get(const std::string& path, const crypto::PrivateKey* signer) {
    SignedReply reply = SignedGet(cluster_->base_url(), path, signer);
    EXPECT_NE(reply.status, 0) << path;
    return Reply{reply.status, reply.body};
  }

  template <typename T>
  static T Read(const std::string& path, const crypto::PrivateKey* signer) {
    Reply reply = Get(path, signer);
    EXPECT_EQ(reply.status, 200) << path << ": " << reply.body;
    Result<T> message = ParseJson<T>(reply.body);
    EXPECT_TRUE(message.ok()) << message.status().ToString();
    return message.ok() ? *message : T();
  }

  // The reply for an existing record is byte for byte the reply for a made-up id: 404 NOT_FOUND.
  static void ExpectHidden(const std::string& path, const std::string& made_up_path,
                           const crypto::PrivateKey* signer) {
    Reply hidden = Get(path, signer);
    Reply missing = Get(made_up_path, signer);
    EXPECT_EQ(hidden.status, 404) << path << ": " << hidden.body;
    EXPECT_EQ(missing.status, 404) << made_up_path << ": " << missing.body;
    EXPECT_EQ(hidden.body, missing.body) << path;
    EXPECT_NE(hidden.body.find("NOT_FOUND"), std::string::npos) << hidden.body;
  }

  static CommandResult Cli(std::vector<std::string> args) {
    args.push_back("--node");
    args.push_back(cluster_->base_url());
    Result<CommandResult> result = RunOnechain(args, cluster_->dir());
    EXPECT_TRUE(result.ok()) << result.status().ToString();
    return result.ok() ? *result : CommandResult{};
  }

  static std::string PemFile(const crypto::PrivateKey& key, const std::string& name) {
    std::string path = cluster_->dir() + "/" + name + ".pem";
    std::ofstream(path) << *key.ToPem("");
    return path;
  }

  static TestCluster* cluster_;
  static crypto::PrivateKey* court_admin_;
  static std::unique_ptr<crypto::PrivateKey> judge_;
  static crypto::PrivateKey* member_;
  static crypto::PrivateKey* other_member_;
  static crypto::PrivateKey* supplier_;
  static crypto::PrivateKey* bank_;
  static std::string case_id_, supplier_entry_, bank_entry_, supplier_claim_, bank_claim_;
};

TestCluster* WorkflowApiTest::cluster_ = nullptr;
crypto::PrivateKey* WorkflowApiTest::court_admin_ = nullptr;
std::unique_ptr<crypto::PrivateKey> WorkflowApiTest::judge_;
crypto::PrivateKey* WorkflowApiTest::member_ = nullptr;
crypto::PrivateKey* WorkflowApiTest::other_member_ = nullptr;
crypto::PrivateKey* WorkflowApiTest::supplier_ = nullptr;
crypto::PrivateKey* WorkflowApiTest::bank_ = nullptr;
std::string WorkflowApiTest::case_id_, WorkflowApiTest::supplier_entry_,
    WorkflowApiTest::bank_entry_, WorkflowApiTest::supplier_claim_, WorkflowApiTest::bank_claim_;

TEST_F(WorkflowApiTest, CreditorReadsItsOwnClaimButNotAnothers) {
  pb::Claim own = Read<pb::Claim>("/v1/claims/" + supplier_claim_, supplier_);
  EXPECT_EQ(own.id(), supplier_claim_);
  EXPECT_EQ(own.creditor_id(), supplier_entry_);
  EXPECT_EQ(own.declared_total(), 125'000'00);
  // The bank's claim exists; to the supplier it is exactly as absent as a made-up one.
  ExpectHidden("/v1/claims/" + bank_claim_, "/v1/claims/" + kMadeUpId, supplier_);
  ExpectHidden("/v1/claims/" + bank_claim_ + "/history", "/v1/claims/" + kMadeUpId + "/history",
               supplier_);
  // Its holder, the administrator and the court read it.
  EXPECT_EQ(Read<pb::Claim>("/v1/claims/" + bank_claim_, bank_).id(), bank_claim_);
  EXPECT_EQ(Read<pb::Claim>("/v1/claims/" + bank_claim_, member_).id(), bank_claim_);
  EXPECT_EQ(Read<pb::Claim>("/v1/claims/" + bank_claim_, judge_.get()).id(), bank_claim_);
  // The other firm does not.
  ExpectHidden("/v1/claims/" + bank_claim_, "/v1/claims/" + kMadeUpId, other_member_);
}

TEST_F(WorkflowApiTest, AppointedAdministratorReadsTheClaimFormAnotherFirmCannot) {
  pb::ClaimForm form = Read<pb::ClaimForm>("/v1/cases/" + case_id_ + "/claims", member_);
  EXPECT_EQ(form.claim_count(), 2u);
  ASSERT_EQ(form.rows_size(), 2);
  EXPECT_EQ(form.rows(0).claim_id(), supplier_claim_);
  EXPECT_EQ(form.declared_total(), 125'000'00 + 3'000'000'00);
  // Paged: one row, then the next from nextOffset.
  pb::ClaimForm first =
      Read<pb::ClaimForm>("/v1/cases/" + case_id_ + "/claims?page_size=1", member_);
  ASSERT_EQ(first.rows_size(), 1);
  EXPECT_EQ(first.next_offset(), 1u);
  pb::ClaimForm second =
      Read<pb::ClaimForm>("/v1/cases/" + case_id_ + "/claims?page_size=1&page_token=1", member_);
  ASSERT_EQ(second.rows_size(), 1);
  EXPECT_EQ(second.rows(0).claim_id(), bank_claim_);
  EXPECT_EQ(second.next_offset(), 0u);
  // Creditors of the case and the court read it too; another firm's member does not.
  EXPECT_EQ(Read<pb::ClaimForm>("/v1/cases/" + case_id_ + "/claims", bank_).rows_size(), 2);
  EXPECT_EQ(Read<pb::ClaimForm>("/v1/cases/" + case_id_ + "/claims", judge_.get()).rows_size(), 2);
  ExpectHidden("/v1/cases/" + case_id_ + "/claims", "/v1/cases/" + kMadeUpId + "/claims",
               other_member_);
  ExpectHidden("/v1/cases/" + case_id_ + "/creditors", "/v1/cases/" + kMadeUpId + "/creditors",
               other_member_);
  Reply bad = Get("/v1/cases/" + case_id_ + "/claims?page_size=0", member_);
  EXPECT_EQ(bad.status, 400) << bad.body;
}

TEST_F(WorkflowApiTest, AnonymousCallersSeePublicRecordsOnly) {
  EXPECT_EQ(Read<pb::Case>("/v1/cases/" + case_id_, nullptr).id(), case_id_);
  EXPECT_EQ(Read<pb::MeetingList>("/v1/cases/" + case_id_ + "/meetings", nullptr).meetings_size(),
            0);
  EXPECT_EQ(Read<pb::RecruitmentList>("/v1/recruitments", nullptr).notices_size(), 0);
  for (const char* suffix :
       {"/claims", "/creditors", "/plans", "/distribution-preview?general_estate=100"}) {
    ExpectHidden("/v1/cases/" + case_id_ + suffix, "/v1/cases/" + kMadeUpId + suffix, nullptr);
  }
  ExpectHidden("/v1/claims/" + supplier_claim_, "/v1/claims/" + kMadeUpId, nullptr);
  ExpectHidden("/v1/claims/" + supplier_claim_ + "/history", "/v1/claims/" + kMadeUpId + "/history",
               nullptr);
  EXPECT_EQ(Get("/v1/me/notices", nullptr).status, 401);
  EXPECT_EQ(Get("/v1/me/claims", nullptr).status, 401);
}

TEST_F(WorkflowApiTest, InboxHoldsOnlyTheCallersOwnNoticesAndClaims) {
  pb::NoticeList supplier = Read<pb::NoticeList>("/v1/me/notices", supplier_);
  ASSERT_EQ(supplier.notices_size(), 1);
  EXPECT_EQ(supplier.notices(0).creditor_id(), supplier_entry_);
  EXPECT_EQ(supplier.notices(0).kind(), pb::NOTICE_KIND_CLAIM_DECLARATION);
  EXPECT_EQ(Read<pb::NoticeList>("/v1/me/notices", bank_).notices_size(), 0);

  pb::ClaimList mine = Read<pb::ClaimList>("/v1/me/claims", bank_);
  ASSERT_EQ(mine.claims_size(), 1);
  EXPECT_EQ(mine.claims(0).id(), bank_claim_);
  ASSERT_EQ(mine.creditors_size(), 1);
  EXPECT_EQ(mine.creditors(0).id(), bank_entry_);
  EXPECT_EQ(Read<pb::ClaimList>("/v1/me/claims", member_).claims_size(), 0);
}

TEST_F(WorkflowApiTest, HistoryShowsEveryVersionWithItsHeightAndTime) {
  pb::ClaimHistory history =
      Read<pb::ClaimHistory>("/v1/claims/" + supplier_claim_ + "/history", supplier_);
  ASSERT_EQ(history.events_size(), 2);
  const pb::ClaimEvent& declared = history.events(0);
  const pb::ClaimEvent& amended = history.events(1);
  EXPECT_EQ(declared.kind(), pb::CLAIM_EVENT_KIND_DECLARED);
  EXPECT_EQ(amended.kind(), pb::CLAIM_EVENT_KIND_AMENDED);
  EXPECT_EQ(declared.claim().version() + 1, amended.claim().version());
  EXPECT_EQ(declared.claim().declared_total(), 120'000'00);
  EXPECT_EQ(amended.claim().declared_total(), 125'000'00);
  EXPECT_GT(declared.height(), 0u);
  EXPECT_GT(amended.height(), declared.height());
  EXPECT_GT(declared.time_ms(), 0);
  EXPECT_GE(amended.time_ms(), declared.time_ms());
  // The administrator reads the same history.
  EXPECT_EQ(
      Read<pb::ClaimHistory>("/v1/claims/" + supplier_claim_ + "/history", member_).events_size(),
      2);
}

TEST_F(WorkflowApiTest, CreditorsSeeOtherCreditorsNamesOnly) {
  pb::CaseCreditorList full =
      Read<pb::CaseCreditorList>("/v1/cases/" + case_id_ + "/creditors", member_);
  ASSERT_EQ(full.creditors_size(), 2);
  EXPECT_EQ(full.creditors(1).id_number(), kBankCode);
  pb::CaseCreditorList seen =
      Read<pb::CaseCreditorList>("/v1/cases/" + case_id_ + "/creditors", supplier_);
  ASSERT_EQ(seen.creditors_size(), 2);
  EXPECT_EQ(seen.creditors(0).id_number(), kSupplierCode);  // its own entry
  EXPECT_EQ(seen.creditors(1).name(), "Bank of Example");
  EXPECT_TRUE(seen.creditors(1).id_number().empty());
  EXPECT_TRUE(seen.creditors(1).bound_account_id().empty());
}

TEST_F(WorkflowApiTest, CliQueriesSignTheirReads) {
  std::string member_pem = PemFile(*member_, "member");
  std::string supplier_pem = PemFile(*supplier_, "supplier");
  CommandResult form = Cli({"query", "claim-form", case_id_, "--key", member_pem, "--json"});
  ASSERT_EQ(form.exit_code, 0) << form.err;
  Result<pb::ClaimForm> parsed = ParseJson<pb::ClaimForm>(form.out);
  ASSERT_TRUE(parsed.ok()) << form.out;
  EXPECT_EQ(parsed->rows_size(), 2);

  CommandResult page =
      Cli({"query", "claim-form", case_id_, "--key", member_pem, "--page-size", "1", "--json"});
  ASSERT_EQ(page.exit_code, 0) << page.err;
  EXPECT_EQ(ParseJson<pb::ClaimForm>(page.out)->rows_size(), 1);

  CommandResult history =
      Cli({"query", "claim-history", supplier_claim_, "--key", supplier_pem, "--json"});
  ASSERT_EQ(history.exit_code, 0) << history.err;
  EXPECT_EQ(ParseJson<pb::ClaimHistory>(history.out)->events_size(), 2);

  CommandResult notices = Cli({"query", "notices", "--key", supplier_pem, "--json"});
  ASSERT_EQ(notices.exit_code, 0) << notices.err;
  EXPECT_EQ(ParseJson<pb::NoticeList>(notices.out)->notices_size(), 1);

  CommandResult hidden = Cli({"query", "claim", bank_claim_, "--key", supplier_pem});
  EXPECT_NE(hidden.exit_code, 0);
  EXPECT_NE(hidden.err.find("NOT_FOUND"), std::string::npos) << hidden.err;

  CommandResult preview = Cli(
      {"query", "preview", case_id_, "--general-estate", "1000", "--key", member_pem, "--json"});
  ASSERT_EQ(preview.exit_code, 0) << preview.err;
  EXPECT_TRUE(ParseJson<pb::DistributionDetail>(preview.out).ok()) << preview.out;
}

}  // namespace
}  // namespace onechain::integration
