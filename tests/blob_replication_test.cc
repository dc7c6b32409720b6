// Blob replication over the validators' links (node/blob_sync.h), on four validator processes
// started by `onechain net up`: a creditor uploads an encrypted material to validator 1 only and
// declares a claim referencing it there; validators 3, 2 and 0, which never received the upload,
// serve the same ciphertext by hash to the creditor, hold no plaintext, and still serve it after
// validator 1 is killed.
#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <sstream>
#include <thread>

#include "crypto/seal.h"
#include "local_net.h"
#include "node/envelope.h"
#include "node/genesis.h"
#include "privacy.pb.h"
#include "util/bytes.h"

namespace onechain::integration {
namespace {

constexpr int64_t kDayMs = 24 * 3'600'000LL;
constexpr const char* kSupplierCode = "914403000000000001";
constexpr const char* kPlaintext = "PLAINTEXT-REPLICA-MARKER: delivery note 2025-07-09";

int64_t NowMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

class BlobReplicationTest : public ::testing::Test {
 protected:
  void SetUp() override {
    Result<CommandResult> up = net_.Up({"-n", "4"});
    ASSERT_TRUE(up.ok()) << up.status().ToString();
    ASSERT_EQ(up->exit_code, 0) << up->err;
    Result<pb::Genesis> genesis = node::LoadGenesisFile(net_.net_dir() + "/genesis.json");
    ASSERT_TRUE(genesis.ok());
    chain_id_ = genesis->chain_id();
    suite_ = genesis->suite();
  }
  void TearDown() override {
    if (HasFailure()) {
      for (int i = 0; i < net_.size(); ++i) std::cerr << "validator " << i << ":\n" << net_.LogTail(i) << "\n";
    }
  }

  std::unique_ptr<crypto::PrivateKey> NewKey() const {
    return std::move(*crypto::GenerateKey(suite_));
  }
  NodeApi api() const { return net_.api(kEntry); }

  uint64_t NextNonce(const crypto::PrivateKey& key) const {
    auto account = GetMessage<pb::Account>(api(), "/v1/keys/" + ToHex(key.public_key()));
    return account.ok() ? account->nonce() + 1 : 1;
  }

  // Signs, submits to validator kEntry, waits for the commit; the record id.
  std::string Ok(const crypto::PrivateKey& signer, const std::function<void(pb::TxBody&)>& fill) {
    pb::TxBody body = NewBody(chain_id_, signer, NextNonce(signer));
    fill(body);
    std::string envelope = node::SignEnvelope(signer, body);
    auto reply = api().PostBinary("/v1/tx?wait_ms=20000", envelope);
    EXPECT_TRUE(reply.ok());
    if (!reply.ok()) return "";
    auto status = ParseJson<pb::TxStatus>(reply->body);
    if (status.ok() && status->state() == pb::TxStatus::PENDING) {
      status = WaitForTx(api(), TxHashHex(envelope), 20'000);
    }
    EXPECT_TRUE(status.ok()) << reply->body;
    if (!status.ok()) return "";
    EXPECT_EQ(status->state(), pb::TxStatus::COMMITTED) << reply->body;
    EXPECT_EQ(status->code(), pb::Status::OK) << status->message();
    return status->record_id();
  }

  crypto::PrivateKey* Registered(const crypto::PrivateKey& admin, pb::Role role) {
    std::unique_ptr<crypto::PrivateKey> key = NewKey();
    Ok(admin, [&](pb::TxBody& b) {
      b.mutable_register_account()->set_public_key(key->public_key());
      b.mutable_register_account()->add_roles(role);
      b.mutable_register_account()->set_display_name("officer");
    });
    keys_.push_back(std::move(key));
    return keys_.back().get();
  }

  std::string AccountIdOf(const crypto::PrivateKey& key) const {
    auto account = GetMessage<pb::Account>(api(), "/v1/keys/" + ToHex(key.public_key()));
    EXPECT_TRUE(account.ok());
    return account.ok() ? account->id() : "";
  }

  static constexpr int kEntry = 1;  // the validator the creditor uploads to and submits through
  LocalNet net_{"blob-replication"};
  std::string chain_id_;
  pb::Suite suite_ = pb::SUITE_INTL;
  std::vector<std::unique_ptr<crypto::PrivateKey>> keys_;
};

TEST_F(BlobReplicationTest, AMaterialUploadedToOneValidatorIsServedByEveryOtherEvenAfterItDies) {
  // The court's judge, a firm with a member administering the case, a creditor with a claim.
  auto pem = node::ReadFile(net_.net()["adminKeys"]["court"].get<std::string>(), 64 * 1024);
  ASSERT_TRUE(pem.ok());
  auto court_admin = crypto::PrivateKeyFromPem(*pem, "");
  ASSERT_TRUE(court_admin.ok());
  crypto::PrivateKey* judge = Registered(**court_admin, pb::ROLE_JUDGE);
  std::unique_ptr<crypto::PrivateKey> firm_admin = NewKey();
  Ok(*judge, [&](pb::TxBody& b) {
    auto* a = b.mutable_add_roster_firm();
    a->set_firm_org_id("zhonglun");
    a->set_firm_name("zhonglun LLP");
    a->set_admin_public_key(firm_admin->public_key());
    a->set_admin_name("Partner");
  });
  crypto::PrivateKey* member = Registered(*firm_admin, pb::ROLE_ADMINISTRATOR_MEMBER);
  std::unique_ptr<crypto::PrivateKey> supplier = NewKey();
  Ok(*supplier, [&](pb::TxBody& b) {
    b.mutable_self_register()->set_display_name("Shenzhen Supply Co.");
    b.mutable_self_register()->set_party_kind(pb::PARTY_KIND_FIRM);
    b.mutable_self_register()->set_id_number(kSupplierCode);
  });
  std::string case_id = Ok(*judge, [&](pb::TxBody& b) {
    auto* a = b.mutable_accept_case();
    a->set_case_number("(2026)粤03破701号");
    a->set_debtor_name("深圳市示例制造有限公司");
    a->set_debtor_credit_code("91440300MA5F8XGL06");
    a->set_procedure(pb::PROCEDURE_LIQUIDATION);
    a->set_acceptance_date("2026-11-20");
  });
  ASSERT_FALSE(case_id.empty());
  Ok(*judge, [&](pb::TxBody& b) {
    b.mutable_appoint_administrator()->set_case_id(case_id);
    b.mutable_appoint_administrator()->set_firm_org_id("zhonglun");
  });
  auto record = GetMessage<pb::Case>(api(), "/v1/cases/" + case_id);
  ASSERT_TRUE(record.ok());
  Ok(*judge, [&](pb::TxBody& b) {
    b.mutable_set_claim_period()->set_case_id(case_id);
    b.mutable_set_claim_period()->set_claim_period_end_ms(record->accepted_time_ms() + 31 * kDayMs);
    b.mutable_set_claim_period()->set_first_meeting_ms(record->accepted_time_ms() + 36 * kDayMs);
  });
  std::string entry = Ok(*member, [&](pb::TxBody& b) {
    auto* a = b.mutable_add_known_creditor();
    a->set_case_id(case_id);
    a->set_kind(pb::CREDITOR_KIND_FIRM);
    a->set_name("Shenzhen Supply Co.");
    a->set_id_number(kSupplierCode);
    a->set_service_address("Futian District, Shenzhen");
    a->set_basis("the debtor's books");
  });
  Ok(*member, [&](pb::TxBody& b) {
    b.mutable_bind_creditor_account()->set_creditor_id(entry);
    b.mutable_bind_creditor_account()->set_account_id(AccountIdOf(*supplier));
  });
  std::map<const crypto::PrivateKey*, std::unique_ptr<crypto::DecryptionKey>> decryption;
  for (const crypto::PrivateKey* who : {judge, member, supplier.get()}) {
    auto key = crypto::GenerateDecryptionKey(suite_);
    ASSERT_TRUE(key.ok());
    Ok(*who, [&](pb::TxBody& b) {
      b.mutable_set_encryption_key()->set_public_key((*key)->public_key());
    });
    decryption[who] = std::move(*key);
  }

  // The material: sealed for the creditor, the administrator's member and the judge, 3 MB so
  // that it travels in several chunks.
  std::string plaintext = kPlaintext;
  while (plaintext.size() < 3'000'000) plaintext += plaintext.substr(0, 4096) + "/";
  std::string data_key = crypto::NewDataKey();
  std::string sealed = *crypto::SealData(suite_, data_key, plaintext, "claim-material");
  const crypto::Suite& suite = *crypto::GetSuite(suite_);
  pb::Attachment file;
  file.set_hash(suite.Hash(sealed));
  file.set_size(sealed.size());
  file.set_media_type("application/pdf");
  file.set_name("delivery-note.pdf");
  for (const crypto::PrivateKey* reader : {supplier.get(), member, judge}) {
    pb::WrappedKey* key = file.add_keys();
    key->set_reader_account_id(AccountIdOf(*reader));
    key->set_wrapped(*crypto::WrapDataKey(suite_, decryption[reader]->public_key(), data_key));
  }
  const std::string hash_hex = ToHex(file.hash());
  const std::string path = "/v1/blobs/" + hash_hex;
  SignedReply put = SignedPut(api().base_url(), path, sealed, supplier.get());
  ASSERT_EQ(put.status, 201) << put.body;
  // Before any block references it, the other validators do not have it.
  EXPECT_EQ(SignedGet(net_.api(3).base_url(), path, supplier.get()).status, 404);

  Ok(*supplier, [&](pb::TxBody& b) {
    auto* d = b.mutable_declare_claim()->mutable_declaration();
    b.mutable_declare_claim()->set_creditor_id(entry);
    d->set_creditor_name("Shenzhen Supply Co.");
    d->set_creditor_id_number(kSupplierCode);
    d->set_service_address("Nanshan District, Shenzhen");
    d->set_electronic_service_consent(true);
    d->set_payment_account("6222 0000 0000 0001");
    d->set_nature("unpaid price of goods");
    d->set_facts("contract of 2025-03-01, delivered, not paid");
    auto* p = d->add_components();
    p->set_kind(pb::COMPONENT_KIND_PRINCIPAL);
    p->set_amount(125'000'000);
    p->set_calculation("invoice total");
    *d->add_attachments() = file;
  });

  // Every other validator fetches it from its peers once the claim commits.
  auto served_by = [&](int i, int64_t timeout_ms) {
    SignedReply got;
    for (int64_t deadline = NowMs() + timeout_ms; NowMs() < deadline;) {
      got = SignedGet(net_.api(i).base_url(), path, supplier.get());
      if (got.status == 200) break;
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    return got;
  };
  for (int i : {3, 2, 0}) {
    SignedReply got = served_by(i, 30'000);
    ASSERT_EQ(got.status, 200) << "validator " << i << ": " << got.body;
    ASSERT_TRUE(got.body == sealed) << "validator " << i << " serves other bytes";
  }
  // The judge opens it from validator 3's copy.
  SignedReply judge_copy = SignedGet(net_.api(3).base_url(), path, judge);
  ASSERT_EQ(judge_copy.status, 200);
  auto judge_key = decryption[judge]->UnwrapDataKey(file.keys(2).wrapped());
  ASSERT_TRUE(judge_key.ok());
  auto opened = crypto::OpenData(suite_, *judge_key, judge_copy.body, "claim-material");
  ASSERT_TRUE(opened.ok());
  EXPECT_TRUE(*opened == plaintext);
  // A stranger still gets nothing from a replica.
  std::unique_ptr<crypto::PrivateKey> stranger = NewKey();
  SignedReply refused = SignedGet(net_.api(3).base_url(), path, stranger.get());
  SignedReply made_up =
      SignedGet(net_.api(3).base_url(), "/v1/blobs/" + std::string(64, 'e'), stranger.get());
  EXPECT_NE(refused.status, 200);
  EXPECT_EQ(refused.status, made_up.status);
  EXPECT_EQ(refused.body, made_up.body);
  // Replicas hold ciphertext only.
  std::string data_dir = net_.net()["validators"][3]["dataDir"].get<std::string>();
  for (const auto& f : std::filesystem::recursive_directory_iterator(data_dir)) {
    if (!f.is_regular_file()) continue;
    std::ifstream in(f.path(), std::ios::binary);
    std::stringstream content;
    content << in.rdbuf();
    EXPECT_EQ(content.str().find("PLAINTEXT-REPLICA-MARKER"), std::string::npos) << f.path();
  }

  // The validator it was uploaded to dies; the others still serve it.
  net_.Kill(kEntry);
  for (int i : {3, 0}) {
    SignedReply got = SignedGet(net_.api(i).base_url(), path, supplier.get());
    ASSERT_EQ(got.status, 200) << "validator " << i << " after validator " << kEntry << " died";
    EXPECT_TRUE(got.body == sealed);
  }
}

}  // namespace
}  // namespace onechain::integration
