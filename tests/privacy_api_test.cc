// Proves privacy end to end on a real node process (docs/privacy.md, DOMAIN.md privacy classes):
// encrypted materials go up as ciphertext under their hash and come down only to whom may read
// a record referencing them; the node's files never hold the plaintext; a department's data
// grant is read only by the court and the administrator, each read leaving an access record the
// department lists, and not after revocation; and the read-authorization matrix: every role ×
// every route of the server's route table gets the designed status, and a refused read of an
// existing record is byte for byte the reply for a made-up one.
#include <gtest/gtest.h>

#include <array>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <set>
#include <thread>

#include "api/server.h"
#include "contracts/cases.h"
#include "crypto/seal.h"
#include "node/envelope.h"
#include "node/genesis.h"
#include "node/node.h"
#include "events.pb.h"
#include "privacy.pb.h"
#include "queries.pb.h"
#include "test_cluster.h"
#include "util/bytes.h"

namespace onechain::integration {
namespace {

constexpr int64_t kDayMs = 24 * 3'600'000LL;
constexpr const char* kSupplierCode = "914403000000000001";
constexpr const char* kBankCode = "914403000000000002";
constexpr const char* kPlaintext = "PLAINTEXT-MARKER: loan agreement of 2024-03-01, CNY 1,250,000";
constexpr const char* kTaxPlaintext = "PLAINTEXT-TAX-MARKER: VAT arrears 2025-Q4, 38,000.00";

const crypto::Suite& Suite() { return *crypto::GetSuite(pb::SUITE_INTL); }

class PrivacyApiTest : public ::testing::Test {
 protected:
  // Case A (administrator zhonglun, creditors supplier and bank) and case B (kingwood); the
  // judge; the tax bureau's officer; the market regulator's officer (another department).
  static void SetUpTestSuite() {
    auto cluster = TestCluster::Create("privacy-api");
    ASSERT_TRUE(cluster.ok()) << cluster.status().ToString();
    cluster_ = cluster->release();
    ASSERT_TRUE(cluster_->Start().ok()) << cluster_->LogTail();
    court_admin_ = cluster_->LoadAdminKey("court")->release();
    judge_ = Registered(*court_admin_, pb::ROLE_JUDGE);
    member_ = AddFirmWithMember("zhonglun");
    other_member_ = AddFirmWithMember("kingwood");
    tax_officer_ = Registered(*cluster_->LoadAdminKey("tax")->release(),
                              pb::ROLE_DEPARTMENT_OFFICER);
    market_officer_ = Registered(*cluster_->LoadAdminKey("market")->release(),
                                 pb::ROLE_DEPARTMENT_OFFICER);
    supplier_ = SelfRegistered("Shenzhen Supply Co.", kSupplierCode);
    bank_ = SelfRegistered("Bank of Example", kBankCode);
    case_a_ = AcceptCase("(2026)粤03破601号", "91440300MA5F8XGL06", "zhonglun");
    case_b_ = AcceptCase("(2026)粤03破602号",
                         "91440300MA5F8XGL1" + std::string(1, contracts::CreditCodeCheckCharacter("91440300MA5F8XGL1")),
                         "kingwood");
    supplier_entry_ = BoundEntry("Shenzhen Supply Co.", kSupplierCode, *supplier_);
    bank_entry_ = BoundEntry("Bank of Example", kBankCode, *bank_);
    for (const crypto::PrivateKey* who : {judge_, member_, supplier_, bank_, tax_officer_}) {
      auto key = crypto::GenerateDecryptionKey(pb::SUITE_INTL);
      ASSERT_TRUE(key.ok());
      Ok(*who, [&](pb::TxBody& b) {
        b.mutable_set_encryption_key()->set_public_key((*key)->public_key());
      });
      decryption_[who] = key->release();
    }
    // The supplier's declaration with one encrypted material for itself, the administrator's
    // member and the judge.
    pb::Attachment material =
        Seal(kPlaintext, "claim-material", {supplier_, member_, judge_}, &material_key_);
    material_hash_ = ToHex(material.hash());
    ASSERT_EQ(Put(material_hash_, sealed_[material_hash_], supplier_).status, 201);
    supplier_claim_ = Ok(*supplier_, [&](pb::TxBody& b) {
      b.mutable_declare_claim()->set_creditor_id(supplier_entry_);
      *b.mutable_declare_claim()->mutable_declaration() = Declaration(kSupplierCode, material);
    });
    // The tax bureau answers the administrator's request about case A's debtor.
    Ok(*tax_officer_, [](pb::TxBody& b) {
      auto* type = b.mutable_declare_record_types()->add_types();
      type->set_name("tax-arrears");
      type->add_fields("tax_item");
      type->add_fields("amount_fen");
    });
    grant_ = Ok(*member_, [](pb::TxBody& b) {
      auto* a = b.mutable_request_records();
      a->set_case_id(case_a_);
      a->set_department_org_id("tax");
      a->set_record_type("tax-arrears");
      a->set_debtor_credit_code("91440300MA5F8XGL06");
    });
    pb::Attachment record = Seal(kTaxPlaintext, "grant-record", {member_, judge_}, &record_key_);
    record_hash_ = ToHex(record.hash());
    ASSERT_EQ(Put(record_hash_, sealed_[record_hash_], tax_officer_).status, 201);
    Ok(*tax_officer_, [&](pb::TxBody& b) {
      b.mutable_answer_records()->set_grant_id(grant_);
      *b.mutable_answer_records()->add_records() = record;
    });
  }

  static void TearDownTestSuite() {
    delete cluster_;
    cluster_ = nullptr;
  }

  void TearDown() override {
    if (HasFailure()) std::cerr << cluster_->LogTail() << "\n";
  }

  static std::unique_ptr<crypto::PrivateKey> NewKey() { return std::move(*crypto::GenerateKey(pb::SUITE_INTL)); }

  static uint64_t NextNonce(const crypto::PrivateKey& key) {
    auto account = GetMessage<pb::Account>(NodeApi(cluster_->base_url()),
                                           "/v1/keys/" + ToHex(key.public_key()));
    return account.ok() ? account->nonce() + 1 : 1;
  }

  // Signs, submits and waits; the committed (or refused) status.
  static pb::TxStatus Submit(const crypto::PrivateKey& signer,
                             const std::function<void(pb::TxBody&)>& fill, int* http = nullptr,
                             std::string* body_out = nullptr) {
    pb::TxBody body = NewBody(cluster_->chain_id(), signer, NextNonce(signer));
    fill(body);
    auto reply = NodeApi(cluster_->base_url())
                     .PostBinary("/v1/tx?wait_ms=20000", node::SignEnvelope(signer, body));
    EXPECT_TRUE(reply.ok());
    if (!reply.ok()) return {};
    if (http) *http = reply->status;
    if (body_out) *body_out = reply->body;
    auto status = ParseJson<pb::TxStatus>(reply->body);
    return status.ok() ? *status : pb::TxStatus();
  }

  static std::string Ok(const crypto::PrivateKey& signer,
                        const std::function<void(pb::TxBody&)>& fill) {
    std::string raw;
    pb::TxStatus status = Submit(signer, fill, nullptr, &raw);
    EXPECT_EQ(status.state(), pb::TxStatus::COMMITTED) << raw;
    EXPECT_EQ(status.code(), pb::Status::OK) << status.message();
    return status.record_id();
  }

  static crypto::PrivateKey* Registered(const crypto::PrivateKey& admin, pb::Role role) {
    std::unique_ptr<crypto::PrivateKey> key = NewKey();
    Ok(admin, [&](pb::TxBody& b) {
      b.mutable_register_account()->set_public_key(key->public_key());
      b.mutable_register_account()->add_roles(role);
      b.mutable_register_account()->set_display_name("officer");
    });
    return key.release();
  }

  static crypto::PrivateKey* AddFirmWithMember(const std::string& firm) {
    std::unique_ptr<crypto::PrivateKey> admin = NewKey();
    Ok(*judge_, [&](pb::TxBody& b) {
      auto* a = b.mutable_add_roster_firm();
      a->set_firm_org_id(firm);
      a->set_firm_name(firm + " LLP");
      a->set_admin_public_key(admin->public_key());
      a->set_admin_name("Partner");
    });
    return Registered(*admin.release(), pb::ROLE_ADMINISTRATOR_MEMBER);
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

  static std::string AcceptCase(const std::string& number, const std::string& debtor_code,
                                const std::string& firm) {
    std::string id = Ok(*judge_, [&](pb::TxBody& b) {
      auto* a = b.mutable_accept_case();
      a->set_case_number(number);
      a->set_debtor_name("深圳市示例制造有限公司");
      a->set_debtor_credit_code(debtor_code);
      a->set_procedure(pb::PROCEDURE_LIQUIDATION);
      a->set_acceptance_date("2026-11-20");
    });
    Ok(*judge_, [&](pb::TxBody& b) {
      b.mutable_appoint_administrator()->set_case_id(id);
      b.mutable_appoint_administrator()->set_firm_org_id(firm);
    });
    auto record = GetMessage<pb::Case>(NodeApi(cluster_->base_url()), "/v1/cases/" + id);
    EXPECT_TRUE(record.ok());
    Ok(*judge_, [&](pb::TxBody& b) {
      b.mutable_set_claim_period()->set_case_id(id);
      b.mutable_set_claim_period()->set_claim_period_end_ms(record->accepted_time_ms() + 31 * kDayMs);
      b.mutable_set_claim_period()->set_first_meeting_ms(record->accepted_time_ms() + 36 * kDayMs);
    });
    return id;
  }

  static std::string AccountIdOf(const crypto::PrivateKey& key) {
    auto account = GetMessage<pb::Account>(NodeApi(cluster_->base_url()),
                                           "/v1/keys/" + ToHex(key.public_key()));
    EXPECT_TRUE(account.ok());
    return account.ok() ? account->id() : "";
  }

  static std::string BoundEntry(const std::string& name, const std::string& code,
                                const crypto::PrivateKey& creditor) {
    std::string entry = Ok(*member_, [&](pb::TxBody& b) {
      auto* a = b.mutable_add_known_creditor();
      a->set_case_id(case_a_);
      a->set_kind(pb::CREDITOR_KIND_FIRM);
      a->set_name(name);
      a->set_id_number(code);
      a->set_service_address("Futian District, Shenzhen");
      a->set_basis("the debtor's books");
    });
    Ok(*member_, [&](pb::TxBody& b) {
      b.mutable_bind_creditor_account()->set_creditor_id(entry);
      b.mutable_bind_creditor_account()->set_account_id(AccountIdOf(creditor));
    });
    return entry;
  }

  // `plaintext` sealed under a fresh data key wrapped for `readers` (docs/materials.md); the
  // ciphertext is kept in sealed_ by its hex hash.
  static pb::Attachment Seal(const std::string& plaintext, const std::string& aad,
                             std::initializer_list<const crypto::PrivateKey*> readers,
                             std::string* data_key_out) {
    std::string data_key = crypto::NewDataKey();
    std::string sealed = *crypto::SealData(pb::SUITE_INTL, data_key, plaintext, aad);
    pb::Attachment file;
    file.set_hash(Suite().Hash(sealed));
    file.set_size(sealed.size());
    file.set_media_type("application/pdf");
    file.set_name("material.pdf");
    for (const crypto::PrivateKey* reader : readers) {
      pb::WrappedKey* key = file.add_keys();
      key->set_reader_account_id(AccountIdOf(*reader));
      key->set_wrapped(*crypto::WrapDataKey(pb::SUITE_INTL, decryption_[reader]->public_key(),
                                            data_key));
    }
    sealed_[ToHex(file.hash())] = sealed;
    *data_key_out = data_key;
    return file;
  }

  static pb::Declaration Declaration(const std::string& code, const pb::Attachment& material) {
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
    p->set_amount(125'000'000);
    p->set_calculation("invoice total");
    *d.add_attachments() = material;
    return d;
  }

  static SignedReply Put(const std::string& hash_hex, const std::string& body,
                         const crypto::PrivateKey* signer) {
    return SignedPut(cluster_->base_url(), "/v1/blobs/" + hash_hex, body, signer);
  }
  static SignedReply Get(const std::string& path, const crypto::PrivateKey* signer) {
    SignedReply reply = SignedGet(cluster_->base_url(), path, signer);
    EXPECT_NE(reply.status, 0) << path;
    return reply;
  }

  // The reader's data key from the attachment's wrapping for it, and the opened file.
  static std::string OpenAs(const crypto::PrivateKey* reader, const std::string& sealed,
                            const std::string& aad, const std::string& wrapped) {
    auto data_key = decryption_.at(reader)->UnwrapDataKey(wrapped);
    EXPECT_TRUE(data_key.ok());
    auto plain = crypto::OpenData(pb::SUITE_INTL, *data_key, sealed, aad);
    EXPECT_TRUE(plain.ok());
    return plain.ok() ? *plain : "";
  }

  static void RecordAccess(const crypto::PrivateKey& reader, const std::string& hash_hex) {
    Ok(reader, [&](pb::TxBody& b) {
      b.mutable_record_access()->set_grant_id(grant_);
      b.mutable_record_access()->set_blob_hash(*FromHex(hash_hex));
    });
  }

  static inline TestCluster* cluster_ = nullptr;
  static inline crypto::PrivateKey* court_admin_ = nullptr;
  static inline crypto::PrivateKey* judge_ = nullptr;
  static inline crypto::PrivateKey* member_ = nullptr;
  static inline crypto::PrivateKey* other_member_ = nullptr;
  static inline crypto::PrivateKey* tax_officer_ = nullptr;
  static inline crypto::PrivateKey* market_officer_ = nullptr;
  static inline crypto::PrivateKey* supplier_ = nullptr;
  static inline crypto::PrivateKey* bank_ = nullptr;
  static inline std::map<const crypto::PrivateKey*, crypto::DecryptionKey*> decryption_;
  static inline std::map<std::string, std::string> sealed_;
  static inline std::string case_a_, case_b_, supplier_entry_, bank_entry_, supplier_claim_;
  static inline std::string material_hash_, material_key_, record_hash_, record_key_, grant_;
};

const std::string kMissingHash(64, 'e');

TEST_F(PrivacyApiTest, UploadsAreCheckedAgainstTheirHashAndSize) {
  std::string bytes = "some ciphertext";
  std::string hash = ToHex(Suite().Hash(bytes));
  SignedReply wrong = Put(kMissingHash, bytes, supplier_);
  EXPECT_EQ(wrong.status, 400);
  EXPECT_NE(wrong.body.find("HASH_MISMATCH"), std::string::npos) << wrong.body;
  EXPECT_EQ(Get("/v1/blobs/" + kMissingHash, supplier_).status, 404);
  EXPECT_EQ(Put(hash, bytes, nullptr).status, 401);  // uploads are signed
  SignedReply first = Put(hash, bytes, supplier_);
  ASSERT_EQ(first.status, 201) << first.body;
  auto reply = ParseJson<pb::BlobPutResponse>(first.body);
  ASSERT_TRUE(reply.ok());
  EXPECT_EQ(reply->hash(), hash);
  EXPECT_EQ(reply->size(), bytes.size());
  EXPECT_EQ(Put(hash, bytes, supplier_).status, 201);  // idempotent
  std::string huge((32u << 20) + 1, 'x');
  SignedReply too_large = Put(ToHex(Suite().Hash(huge)), huge, supplier_);
  EXPECT_EQ(too_large.status, 413);
  EXPECT_NE(too_large.body.find("TOO_LARGE"), std::string::npos) << too_large.body;
}

TEST_F(PrivacyApiTest, ADeclarationOfAMaterialTheNodeDoesNotHoldIsRefused) {
  std::string key;
  pb::Attachment absent = Seal("never uploaded", "claim-material", {supplier_}, &key);
  int http = 0;
  std::string body;
  Submit(*supplier_, [&](pb::TxBody& b) {
    b.mutable_amend_claim()->set_claim_id(supplier_claim_);
    *b.mutable_amend_claim()->mutable_declaration() = Declaration(kSupplierCode, absent);
  }, &http, &body);
  EXPECT_EQ(http, 400);
  EXPECT_NE(body.find("BLOB_MISSING"), std::string::npos) << body;
  auto claim = ParseJson<pb::Claim>(Get("/v1/claims/" + supplier_claim_, supplier_).body);
  ASSERT_TRUE(claim.ok());
  EXPECT_EQ(ToHex(claim->declaration().attachments(0).hash()), material_hash_);  // unchanged
}

TEST_F(PrivacyApiTest, EveryReaderOfTheClaimDownloadsAndOpensTheMaterialAndNoOneElse) {
  auto claim = ParseJson<pb::Claim>(Get("/v1/claims/" + supplier_claim_, member_).body);
  ASSERT_TRUE(claim.ok());
  const pb::Attachment& file = claim->declaration().attachments(0);
  for (int i = 0; i < file.keys_size(); ++i) {
    const crypto::PrivateKey* reader = i == 0 ? supplier_ : i == 1 ? member_ : judge_;
    SignedReply reply = Get("/v1/blobs/" + material_hash_, reader);
    ASSERT_EQ(reply.status, 200) << reply.body;
    EXPECT_EQ(OpenAs(reader, reply.body, "claim-material", file.keys(i).wrapped()), kPlaintext);
  }
  SignedReply missing = Get("/v1/blobs/" + kMissingHash, bank_);
  EXPECT_EQ(missing.status, 404);
  std::vector<const crypto::PrivateKey*> strangers = {bank_, other_member_, tax_officer_,
                                                      market_officer_, nullptr};
  for (const crypto::PrivateKey* stranger : strangers) {
    SignedReply reply = Get("/v1/blobs/" + material_hash_, stranger);
    EXPECT_EQ(reply.status, 404);
    EXPECT_EQ(reply.body, missing.body) << "a refusal must read exactly as a missing blob";
  }
}

TEST_F(PrivacyApiTest, TheNodeStoresOnlyCiphertext) {
  ASSERT_EQ(Get("/v1/blobs/" + material_hash_, supplier_).status, 200);
  size_t files = 0;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(cluster_->data_dir())) {
    if (!entry.is_regular_file()) continue;
    std::ifstream in(entry.path(), std::ios::binary);
    std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    ++files;
    for (const char* plain : {kPlaintext, kTaxPlaintext}) {
      EXPECT_EQ(bytes.find(plain), std::string::npos) << entry.path() << " holds a plaintext";
    }
    EXPECT_EQ(bytes.find("PLAINTEXT"), std::string::npos) << entry.path();
  }
  EXPECT_GT(files, 2u);
  EXPECT_TRUE(std::filesystem::exists(cluster_->data_dir() + "/blobs/" +
                                      material_hash_.substr(0, 2) + "/" + material_hash_));
}

TEST_F(PrivacyApiTest, GrantedRecordsAreReadOnlyAfterAnAccessRecordThatTheDepartmentLists) {
  auto grant = ParseJson<pb::Grant>(Get("/v1/grants/" + grant_, member_).body);
  ASSERT_TRUE(grant.ok());
  EXPECT_EQ(grant->status(), pb::GRANT_STATUS_ANSWERED);
  ASSERT_EQ(grant->records_size(), 1);
  SignedReply missing = Get("/v1/blobs/" + kMissingHash, member_);
  // Without an access record the administrator's read is refused like a missing blob.
  EXPECT_EQ(Get("/v1/blobs/" + record_hash_, member_).body, missing.body);
  RecordAccess(*member_, record_hash_);
  SignedReply read = Get("/v1/blobs/" + record_hash_, member_);
  ASSERT_EQ(read.status, 200) << read.body;
  EXPECT_EQ(OpenAs(member_, read.body, "grant-record", grant->records(0).keys(0).wrapped()),
            kTaxPlaintext);
  // A creditor, another firm and another department never read it.
  for (const crypto::PrivateKey* other : {supplier_, other_member_, market_officer_}) {
    EXPECT_EQ(Get("/v1/blobs/" + record_hash_, other).body,
              Get("/v1/blobs/" + kMissingHash, other).body);
  }
  auto accesses = ParseJson<pb::AccessRecordList>(
      Get("/v1/grants/" + grant_ + "/accesses", tax_officer_).body);
  ASSERT_TRUE(accesses.ok());
  ASSERT_GE(accesses->records_size(), 1);
  EXPECT_EQ(accesses->records(0).account_id(), AccountIdOf(*member_));
  EXPECT_EQ(ToHex(accesses->records(0).blob_hash()), record_hash_);
  auto mine = ParseJson<pb::GrantList>(Get("/v1/me/grants", tax_officer_).body);
  ASSERT_TRUE(mine.ok());
  ASSERT_EQ(mine->grants_size(), 1);
  EXPECT_EQ(mine->grants(0).id(), grant_);
  auto others = ParseJson<pb::GrantList>(Get("/v1/me/grants", market_officer_).body);
  ASSERT_TRUE(others.ok());
  EXPECT_EQ(others->grants_size(), 0);
  EXPECT_EQ(Get("/v1/grants/" + grant_ + "/accesses", member_).status, 404);
}

TEST_F(PrivacyApiTest, TheCliEncryptsUploadsDownloadsAndDecrypts) {
  const std::string dir = cluster_->dir();
  ASSERT_TRUE(node::WriteFile(dir + "/supplier.pem", *supplier_->ToPem("")).ok());
  ASSERT_TRUE(node::WriteFile(dir + "/supplier-enc.pem", *decryption_[supplier_]->ToPem("")).ok());
  ASSERT_TRUE(node::WriteFile(dir + "/invoice.txt", "PLAINTEXT-CLI invoice 2025-07 CNY 88,000").ok());
  auto put = RunOnechain({"blob", "put", dir + "/invoice.txt", "--key", dir + "/supplier.pem",
                          "--for", AccountIdOf(*supplier_), AccountIdOf(*member_),
                          "--media-type", "text/plain", "--aad", "claim-material", "--node",
                          cluster_->base_url()},
                         dir);
  ASSERT_TRUE(put.ok());
  ASSERT_EQ(put->exit_code, 0) << put->err;
  auto file = ParseJson<pb::Attachment>(put->out);
  ASSERT_TRUE(file.ok()) << put->out;
  ASSERT_EQ(file->keys_size(), 2);
  // Referenced by the supplier's amended declaration, it can be downloaded by its readers.
  Ok(*supplier_, [&](pb::TxBody& b) {
    b.mutable_amend_claim()->set_claim_id(supplier_claim_);
    *b.mutable_amend_claim()->mutable_declaration() = Declaration(kSupplierCode, *file);
  });
  auto get = RunOnechain({"blob", "get", ToHex(file->hash()), "--key", dir + "/supplier.pem",
                          "--enc-key", dir + "/supplier-enc.pem", "--wrapped",
                          ToHex(file->keys(0).wrapped()), "--aad", "claim-material", "--out",
                          dir + "/invoice.out", "--node", cluster_->base_url()},
                         dir);
  ASSERT_TRUE(get.ok());
  ASSERT_EQ(get->exit_code, 0) << get->err;
  EXPECT_EQ(*node::ReadFile(dir + "/invoice.out", 1024), "PLAINTEXT-CLI invoice 2025-07 CNY 88,000");
  EXPECT_EQ(Get("/v1/blobs/" + ToHex(file->hash()), bank_).status, 404);
  // The department lists the grant's access records with `query grant-accesses`.
  RecordAccess(*member_, record_hash_);
  ASSERT_TRUE(node::WriteFile(dir + "/tax.pem", *tax_officer_->ToPem("")).ok());
  auto accesses = RunOnechain({"query", "grant-accesses", grant_, "--key", dir + "/tax.pem",
                               "--json", "--node", cluster_->base_url()},
                              dir);
  ASSERT_TRUE(accesses.ok());
  ASSERT_EQ(accesses->exit_code, 0) << accesses->err;
  auto list = ParseJson<pb::AccessRecordList>(accesses->out);
  ASSERT_TRUE(list.ok()) << accesses->out;
  EXPECT_GE(list->records_size(), 1);
}

// Runs last (the gtest order is the file's): the department revokes the grant.
TEST_F(PrivacyApiTest, ZAfterRevocationTheRecordsAreNoLongerServedOrAccessed) {
  RecordAccess(*judge_, record_hash_);
  ASSERT_EQ(Get("/v1/blobs/" + record_hash_, judge_).status, 200);
  Ok(*tax_officer_, [](pb::TxBody& b) { b.mutable_revoke_grant()->set_grant_id(grant_); });
  EXPECT_EQ(Get("/v1/blobs/" + record_hash_, judge_).body,
            Get("/v1/blobs/" + kMissingHash, judge_).body);
  pb::TxStatus refused = Submit(*member_, [](pb::TxBody& b) {
    b.mutable_record_access()->set_grant_id(grant_);
    b.mutable_record_access()->set_blob_hash(*FromHex(record_hash_));
  });
  EXPECT_EQ(refused.code(), pb::Status::FAILED_PRECONDITION) << refused.message();
  auto grant = ParseJson<pb::Grant>(Get("/v1/grants/" + grant_, tax_officer_).body);
  ASSERT_TRUE(grant.ok());
  EXPECT_EQ(grant->status(), pb::GRANT_STATUS_REVOKED);
}

// ---- The read-authorization matrix ----

// Every route the server serves, read from its route table (a Server over a scratch node).
// Issue 6's bad input through the API: an oversized upload, a file of no media type, a data key
// wrapped for someone who may not read the claim, a request about another case's debtor and a
// grant answered after its date. Each is refused with its code and a sentence naming the field,
// and nothing is stored: no blob file, no claim, no reference that would let anyone download the
// file, no grant, no record on the grant.
TEST_F(PrivacyApiTest, BadMaterialsAndGrantUsesAreRefusedWithACodeAndNothingIsStored) {
  auto refused = [&](const crypto::PrivateKey& signer, const std::function<void(pb::TxBody&)>& fill,
                     pb::Status::Code code, const std::string& words) {
    int http = 0;
    std::string raw;
    pb::TxStatus status = Submit(signer, fill, &http, &raw);
    EXPECT_TRUE(status.code() == code || raw.find(pb::Status::Code_Name(code)) != std::string::npos)
        << "expected " << pb::Status::Code_Name(code) << ": " << raw;
    EXPECT_NE(raw.find(words), std::string::npos) << raw;
  };
  auto blob_file = [&](const std::string& hash_hex) {
    return std::filesystem::path(cluster_->data_dir()) / "blobs" / hash_hex.substr(0, 2) / hash_hex;
  };

  // Oversized: 413 TOO_LARGE and no file.
  std::string huge((32u << 20) + 1, 'y');
  const std::string huge_hash = ToHex(Suite().Hash(huge));
  SignedReply too_large = Put(huge_hash, huge, bank_);
  EXPECT_EQ(too_large.status, 413);
  EXPECT_NE(too_large.body.find("TOO_LARGE"), std::string::npos) << too_large.body;
  EXPECT_FALSE(std::filesystem::exists(blob_file(huge_hash)));
  EXPECT_EQ(Get("/v1/blobs/" + huge_hash, bank_).status, 404);

  // A file without a media type of the form type/subtype, uploaded first so that only the type
  // is wrong.
  std::string key;
  pb::Attachment untyped = Seal("bank statement", "claim-material", {bank_, member_, judge_}, &key);
  untyped.set_media_type("pdf");
  const std::string untyped_hex = ToHex(untyped.hash());
  ASSERT_EQ(Put(untyped_hex, sealed_[untyped_hex], bank_).status, 201);
  refused(*bank_, [&](pb::TxBody& b) {
    b.mutable_declare_claim()->set_creditor_id(bank_entry_);
    *b.mutable_declare_claim()->mutable_declaration() = Declaration(kBankCode, untyped);
  }, pb::Status::INVALID_ARGUMENT, "media_type");
  // A data key wrapped for the tax bureau's officer, who is no reader of a creditor's claim.
  pb::Attachment leaky =
      Seal("bank statement 2", "claim-material", {bank_, member_, tax_officer_}, &key);
  const std::string leaky_hex = ToHex(leaky.hash());
  ASSERT_EQ(Put(leaky_hex, sealed_[leaky_hex], bank_).status, 201);
  refused(*bank_, [&](pb::TxBody& b) {
    b.mutable_declare_claim()->set_creditor_id(bank_entry_);
    *b.mutable_declare_claim()->mutable_declaration() = Declaration(kBankCode, leaky);
  }, pb::Status::INVALID_ARGUMENT, AccountIdOf(*tax_officer_));
  auto bank_claims = ParseJson<pb::ClaimList>(Get("/v1/me/claims", bank_).body);
  ASSERT_TRUE(bank_claims.ok());
  EXPECT_EQ(bank_claims->claims_size(), 0);  // no claim
  for (const crypto::PrivateKey* who : {member_, judge_, tax_officer_}) {  // no reference
    EXPECT_EQ(Get("/v1/blobs/" + untyped_hex, who).status, 404);
    EXPECT_EQ(Get("/v1/blobs/" + leaky_hex, who).status, 404);
  }

  // A request about case B's debtor in case A.
  auto grants_before = ParseJson<pb::GrantList>(Get("/v1/me/grants", tax_officer_).body);
  ASSERT_TRUE(grants_before.ok());
  auto case_b = GetMessage<pb::Case>(NodeApi(cluster_->base_url()), "/v1/cases/" + case_b_);
  ASSERT_TRUE(case_b.ok());
  refused(*member_, [&](pb::TxBody& b) {
    auto* a = b.mutable_request_records();
    a->set_case_id(case_a_);
    a->set_department_org_id("tax");
    a->set_record_type("tax-arrears");
    a->set_debtor_credit_code(case_b->debtor_credit_code());
  }, pb::Status::INVALID_ARGUMENT, "debtor_credit_code");
  auto grants_after = ParseJson<pb::GrantList>(Get("/v1/me/grants", tax_officer_).body);
  ASSERT_TRUE(grants_after.ok());
  EXPECT_EQ(grants_after->grants_size(), grants_before->grants_size());

  // A grant used after its date: case B's administrator asks until five seconds from now; the
  // bureau answers later. The date is judged by block time.
  const int64_t expires = std::chrono::duration_cast<std::chrono::milliseconds>(
                              std::chrono::system_clock::now().time_since_epoch())
                              .count() +
                          5'000;
  std::string late_grant = Ok(*other_member_, [&](pb::TxBody& b) {
    auto* a = b.mutable_request_records();
    a->set_case_id(case_b_);
    a->set_department_org_id("tax");
    a->set_record_type("tax-arrears");
    a->set_debtor_credit_code(case_b->debtor_credit_code());
    a->set_expires_ms(expires);
  });
  ASSERT_FALSE(late_grant.empty());
  while (std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
             .count() < expires + 500) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  pb::Attachment late = Seal("VAT arrears of case B", "grant-record", {judge_}, &key);
  const std::string late_hex = ToHex(late.hash());
  ASSERT_EQ(Put(late_hex, sealed_[late_hex], tax_officer_).status, 201);
  refused(*tax_officer_, [&](pb::TxBody& b) {
    b.mutable_answer_records()->set_grant_id(late_grant);
    *b.mutable_answer_records()->add_records() = late;
  }, pb::Status::EXPIRED, "expired");
  auto grant = ParseJson<pb::Grant>(Get("/v1/grants/" + late_grant, tax_officer_).body);
  ASSERT_TRUE(grant.ok());
  EXPECT_EQ(grant->records_size(), 0);
  EXPECT_EQ(grant->answered_time_ms(), 0);
  EXPECT_EQ(Get("/v1/blobs/" + late_hex, judge_).status, 404);
}

// Request -> answer in GET /v1/stats/response-times, from block times: the administrator's data
// request to the tax bureau's first answer, per department and per case, public in aggregate.
TEST_F(PrivacyApiTest, DataRequestToAnswerTimesPerDepartmentAndCase) {
  auto grant = ParseJson<pb::Grant>(Get("/v1/grants/" + grant_, tax_officer_).body);
  ASSERT_TRUE(grant.ok());
  ASSERT_GT(grant->first_answered_time_ms(), 0);
  EXPECT_EQ(grant->first_answered_time_ms(), grant->answered_time_ms());
  const int64_t expected = grant->first_answered_time_ms() - grant->requested_time_ms();
  EXPECT_GE(expected, 0);
  auto report = GetMessage<pb::ResponseTimeReport>(NodeApi(cluster_->base_url()),
                                                   "/v1/stats/response-times?case=" + case_a_);
  ASSERT_TRUE(report.ok()) << report.status().ToString();
  ASSERT_EQ(report->requests_by_org_size(), 1);
  EXPECT_EQ(report->requests_by_org(0).key(), "tax");
  EXPECT_EQ(report->requests_by_org(0).notices(), 1u);
  EXPECT_EQ(report->requests_by_org(0).answered(), 1u);
  EXPECT_EQ(report->requests_by_org(0).p50_ms(), expected);
  EXPECT_EQ(report->requests_by_org(0).max_ms(), expected);
  ASSERT_EQ(report->requests_by_case_size(), 1);
  EXPECT_EQ(report->requests_by_case(0).key(), case_a_);
  EXPECT_EQ(report->requests_by_case(0).mean_ms(), expected);
  // The market regulator was asked nothing; case B's requests are not case A's.
  auto market = GetMessage<pb::ResponseTimeReport>(NodeApi(cluster_->base_url()),
                                                   "/v1/stats/response-times?org=market");
  ASSERT_TRUE(market.ok());
  EXPECT_EQ(market->requests_by_org_size(), 0);
  auto other = GetMessage<pb::ResponseTimeReport>(NodeApi(cluster_->base_url()),
                                                  "/v1/stats/response-times?case=" + case_b_);
  ASSERT_TRUE(other.ok());
  for (const pb::ResponseTimeStats& line : other->requests_by_case()) {
    EXPECT_EQ(line.key(), case_b_);
  }
}

std::vector<std::string> ServedRoutes() {
  std::filesystem::path dir = std::filesystem::temp_directory_path() /
                              ("onechain-privacy-routes-" + std::to_string(getpid()));
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  auto admin = *crypto::GenerateKey(pb::SUITE_INTL);
  auto validator = *crypto::GenerateKey(pb::SUITE_INTL);
  pb::Genesis genesis;
  genesis.set_chain_id("routes");
  genesis.set_suite(pb::SUITE_INTL);
  pb::GenesisOrg* court = genesis.add_orgs();
  court->set_id("court");
  court->set_kind(pb::ORG_KIND_COURT);
  court->set_admin_public_key(admin->public_key());
  pb::GenesisValidator* v = genesis.add_validators();
  v->set_org_id("court");
  v->set_public_key(validator->public_key());
  node::Config config;
  config.data_dir = (dir / "data").string();
  config.genesis_path = (dir / "genesis.json").string();
  config.validator_key_path = (dir / "validator.pem").string();
  EXPECT_TRUE(node::WriteFile(config.genesis_path, node::GenesisJson(genesis)).ok());
  EXPECT_TRUE(node::WriteFile(config.validator_key_path, *validator->ToPem("")).ok());
  std::vector<std::string> routes;
  {
    auto opened = node::Node::Open(config);
    EXPECT_TRUE(opened.ok()) << opened.status().ToString();
    if (opened.ok()) {
      api::Server server(**opened);
      routes = server.routes();
    }
  }
  std::filesystem::remove_all(dir);
  return routes;
}

enum Role { kPublic, kCourt, kAdministrator, kOtherAdministrator, kCreditorA, kCreditorB, kTax,
            kOtherDepartment, kRoleCount };
const char* const kRoleNames[] = {"public",     "court",      "administrator", "other administrator",
                                  "creditor A", "creditor B", "tax bureau",    "other department"};

TEST_F(PrivacyApiTest, ReadMatrixEveryRoleTimesEveryRoute) {
  const crypto::PrivateKey* keys[kRoleCount] = {nullptr, judge_,    member_,     other_member_,
                                                supplier_, bank_, tax_officer_, market_officer_};
  // Per route: the concrete path of an existing record, the path of a made-up one (when the
  // route names a record), and the status each role gets. Case A's records throughout.
  using Expect = std::array<int, kRoleCount>;
  const Expect all200 = {200, 200, 200, 200, 200, 200, 200, 200};
  const Expect signed200 = {401, 200, 200, 200, 200, 200, 200, 200};
  const Expect case_class = {404, 200, 200, 404, 200, 200, 404, 404};
  const Expect party_a = {404, 200, 200, 404, 200, 404, 404, 404};
  const Expect material = {404, 200, 200, 404, 200, 404, 404, 404};
  const Expect grant = {404, 200, 200, 404, 404, 404, 200, 404};
  const Expect grant_log = {404, 200, 404, 404, 404, 404, 200, 404};
  const Expect all404 = {404, 404, 404, 404, 404, 404, 404, 404};
  const Expect all400 = {400, 400, 400, 400, 400, 400, 400, 400};
  const Expect all401 = {401, 401, 401, 401, 401, 401, 401, 401};
  const Expect org_admin_only = {401, 403, 403, 403, 403, 403, 403, 403};  // no role is an org admin
  const std::string made_up(32, 'e');
  struct Row {
    std::string path, made_up_path, method = "GET";
    Expect expect;
  };
  const std::string some_tx = ToHex(Suite().Hash("x"));
  // A file the supplier's claim references now (earlier tests may have amended it).
  auto claim_now = ParseJson<pb::Claim>(Get("/v1/claims/" + supplier_claim_, judge_).body);
  ASSERT_TRUE(claim_now.ok());
  ASSERT_GT(claim_now->declaration().attachments_size(), 0);
  const std::string referenced = ToHex(claim_now->declaration().attachments(0).hash());
  std::map<std::string, Row> table = {
      {"POST /v1/tx", {"/v1/tx", "", "POST", all400}},
      {"POST /v1/txs", {"/v1/txs", "", "POST", all400}},
      {"GET /v1/tx/{hash}", {"/v1/tx/" + some_tx, "", "GET", all404}},
      {"GET /v1/blocks/latest", {"/v1/blocks/latest", "", "GET", all200}},
      {"GET /v1/blocks/{height}", {"/v1/blocks/1", "", "GET", all200}},
      {"GET /v1/accounts/{id}", {"/v1/accounts/" + AccountIdOf(*member_), "", "GET", all200}},
      {"GET /v1/keys/{public_key}", {"/v1/keys/" + ToHex(member_->public_key()), "", "GET", all200}},
      {"GET /v1/orgs", {"/v1/orgs", "", "GET", all200}},
      {"GET /v1/cases/{id}", {"/v1/cases/" + case_a_, "", "GET", all200}},
      {"GET /v1/cases", {"/v1/cases", "", "GET", all200}},
      {"GET /v1/health", {"/v1/health", "", "GET", all200}},
      {"GET /v1/consensus", {"/v1/consensus", "", "GET", all404}},  // one validator
      {"GET /v1/me", {"/v1/me", "", "GET", signed200}},
      {"GET /v1/cases/{id}/claims",
       {"/v1/cases/" + case_a_ + "/claims", "/v1/cases/" + made_up + "/claims", "GET", case_class}},
      {"GET /v1/cases/{id}/creditors",
       {"/v1/cases/" + case_a_ + "/creditors", "/v1/cases/" + made_up + "/creditors", "GET",
        case_class}},
      {"GET /v1/cases/{id}/plans",
       {"/v1/cases/" + case_a_ + "/plans", "/v1/cases/" + made_up + "/plans", "GET", case_class}},
      {"GET /v1/plans/{id}", {"/v1/plans/" + made_up, "", "GET", all404}},
      {"GET /v1/cases/{id}/distribution-preview",
       {"/v1/cases/" + case_a_ + "/distribution-preview",
        "/v1/cases/" + made_up + "/distribution-preview", "GET", case_class}},
      {"GET /v1/claims/{id}",
       {"/v1/claims/" + supplier_claim_, "/v1/claims/" + made_up, "GET", party_a}},
      {"GET /v1/claims/{id}/history",
       {"/v1/claims/" + supplier_claim_ + "/history", "/v1/claims/" + made_up + "/history", "GET",
        party_a}},
      {"GET /v1/me/notices", {"/v1/me/notices", "", "GET", signed200}},
      {"GET /v1/me/claims", {"/v1/me/claims", "", "GET", signed200}},
      {"GET /v1/cases/{id}/meetings", {"/v1/cases/" + case_a_ + "/meetings", "", "GET", all200}},
      {"GET /v1/cases/{id}/recruitments",
       {"/v1/cases/" + case_a_ + "/recruitments", "", "GET", all200}},
      {"GET /v1/recruitments", {"/v1/recruitments", "", "GET", all200}},
      {"GET /v1/checkpoints/latest", {"/v1/checkpoints/latest", "", "GET", all200}},
      {"GET /v1/proofs/tx/{hash}", {"/v1/proofs/tx/" + some_tx, "", "GET", all404}},
      {"GET /v1/proofs/consistency", {"/v1/proofs/consistency?from=1&to=2", "", "GET", all200}},
      {"GET /v1/proofs/state/{key}",
       {"/v1/proofs/state/claim/" + supplier_claim_, "/v1/proofs/state/claim/" + made_up, "GET",
        party_a}},
      {"PUT /v1/blobs/{hash}", {"/v1/blobs/" + material_hash_, "", "PUT", signed200}},
      {"GET /v1/blobs/{hash}",
       {"/v1/blobs/" + material_hash_, "/v1/blobs/" + kMissingHash, "GET", material}},
      {"GET /v1/orgs/{id}/record-types", {"/v1/orgs/tax/record-types", "", "GET", all200}},
      {"GET /v1/grants/{id}", {"/v1/grants/" + grant_, "/v1/grants/" + made_up, "GET", grant}},
      {"GET /v1/grants/{id}/accesses",
       {"/v1/grants/" + grant_ + "/accesses", "/v1/grants/" + made_up + "/accesses", "GET",
        grant_log}},
      {"GET /v1/me/grants", {"/v1/me/grants", "", "GET", signed200}},
      // Counts only, for the machine room's scraper; the genesis is the public trust root.
      {"GET /metrics", {"/metrics", "", "GET", all200}},
      {"GET /v1/genesis", {"/v1/genesis", "", "GET", all200}},
      // The document check answers as the referencing record (the supplier's claim: party).
      {"GET /v1/documents/{hash}",
       {"/v1/documents/" + referenced, "/v1/documents/" + kMissingHash, "GET", material}},
      // The stream is checked caller by caller in events_api_test; here a bad parameter, so that
      // the request ends, must be refused alike for everyone.
      {"GET /v1/events", {"/v1/events?heartbeat_ms=1", "", "GET", all400}},
      {"POST /v1/events/token", {"/v1/events/token", "", "POST", all401}},
      {"POST /v1/me/webhook", {"/v1/me/webhook", "", "POST", all401}},
      {"GET /v1/me/webhook/deliveries",
       {"/v1/me/webhook/deliveries", "", "GET", org_admin_only}},
      {"GET /v1/stats/response-times", {"/v1/stats/response-times", "", "GET", all200}},
  };
  std::vector<std::string> routes = ServedRoutes();
  ASSERT_FALSE(routes.empty());
  for (const std::string& route : routes) {
    auto row = table.find(route);
    ASSERT_NE(row, table.end()) << route
                                << " is served but not in the read matrix: add its expected "
                                   "status for every role";
    for (int role = 0; role < kRoleCount; ++role) {
      const Row& r = row->second;
      SignedReply reply;
      if (r.method == "PUT") {
        reply = SignedPut(cluster_->base_url(), r.path, sealed_[material_hash_], keys[role]);
      } else if (r.method == "POST") {
        auto posted = NodeApi(cluster_->base_url()).PostBinary(r.path, "not an envelope");
        ASSERT_TRUE(posted.ok());
        reply = {posted->status, posted->body};
      } else {
        reply = Get(r.path, keys[role]);
      }
      int expected = r.expect[role];
      int got = reply.status == 201 && expected == 200 ? 200 : reply.status;
      EXPECT_EQ(got, expected) << route << " as " << kRoleNames[role] << ": " << reply.body;
      if (expected == 404 && !r.made_up_path.empty()) {
        SignedReply missing = Get(r.made_up_path, keys[role]);
        EXPECT_EQ(reply.body, missing.body)
            << route << " as " << kRoleNames[role]
            << ": a refused read must read exactly as a missing record";
      }
    }
  }
  // Lists and counts: creditor B's own claims do not include creditor A's, and B's view of the
  // case's creditor list names no identity numbers.
  auto bank_claims = ParseJson<pb::ClaimList>(Get("/v1/me/claims", bank_).body);
  ASSERT_TRUE(bank_claims.ok());
  for (const pb::Claim& claim : bank_claims->claims()) EXPECT_NE(claim.id(), supplier_claim_);
  SignedReply creditors = Get("/v1/cases/" + case_a_ + "/creditors", bank_);
  EXPECT_EQ(creditors.body.find(kSupplierCode), std::string::npos) << creditors.body;
}

}  // namespace
}  // namespace onechain::integration
