// Proves the proof routes on a real node process over HTTP: a bundle for a committed transaction
// verifies offline with `onechain verify bundle` (exit 0) and a tampered copy does not (exit 1);
// the transaction itself goes only to its signer; a consistency proof between two checkpoints
// verifies with `onechain verify consistency`; a public case record is proven present and a
// made-up one absent; a claim is proven to its creditor, and to anyone else its key answers
// byte for byte as a missing one, as does a creditor entry (no public proof of it yet).
#include <gtest/gtest.h>

#include <fstream>
#include <functional>

#include "ledger/merkle.h"
#include "ledger/proof_bundle.h"
#include "node/envelope.h"
#include "proof.pb.h"
#include "test_cluster.h"
#include "util/bytes.h"

namespace onechain::integration {
namespace {

constexpr const char* kCreditorCode = "914403000000000001";
const std::string kMadeUpId(32, 'e');

class ProofsApiTest : public ::testing::Test {
 protected:
  // A judge, a firm with a member appointed to one case, a self-registered creditor bound to a
  // known-creditor entry of the case, and the creditor's claim.
  static void SetUpTestSuite() {
    auto cluster = TestCluster::Create("proofs-api");
    ASSERT_TRUE(cluster.ok()) << cluster.status().ToString();
    cluster_ = cluster->release();
    ASSERT_TRUE(cluster_->Start().ok()) << cluster_->LogTail();
    auto court = cluster_->LoadAdminKey("court");
    ASSERT_TRUE(court.ok());
    keys_.push_back(std::move(*court));
    const crypto::PrivateKey& court_admin = *keys_.back();
    const crypto::PrivateKey& judge = NewKey();
    const crypto::PrivateKey& firm_admin = NewKey();
    const crypto::PrivateKey& member = NewKey();
    judge_ = &judge;
    member_ = &member;
    creditor_ = &NewKey();
    judge_tx_ = Commit(court_admin, [&](pb::TxBody& b) {
      b.mutable_register_account()->set_public_key(judge.public_key());
      b.mutable_register_account()->add_roles(pb::ROLE_JUDGE);
      b.mutable_register_account()->set_display_name("judge");
    }).hash();
    first_checkpoint_ = Read<pb::CheckpointView>("/v1/checkpoints/latest", nullptr);
    Commit(judge, [&](pb::TxBody& b) {
      b.mutable_add_roster_firm()->set_firm_org_id("lawfirm");
      b.mutable_add_roster_firm()->set_firm_name("Law Firm LLP");
      b.mutable_add_roster_firm()->set_admin_public_key(firm_admin.public_key());
      b.mutable_add_roster_firm()->set_admin_name("Partner");
    });
    Commit(firm_admin, [&](pb::TxBody& b) {
      b.mutable_register_account()->set_public_key(member.public_key());
      b.mutable_register_account()->add_roles(pb::ROLE_ADMINISTRATOR_MEMBER);
      b.mutable_register_account()->set_display_name("member");
    });
    case_id_ = Commit(judge, [](pb::TxBody& b) {
      b.mutable_accept_case()->set_case_number("(2026)粤03破777号");
      b.mutable_accept_case()->set_debtor_name("深圳市示例贸易有限公司");
      b.mutable_accept_case()->set_debtor_credit_code("91440300MA5F8XGL06");
      b.mutable_accept_case()->set_procedure(pb::PROCEDURE_LIQUIDATION);
      b.mutable_accept_case()->set_acceptance_date("2026-11-21");
    }).record_id();
    Commit(judge, [](pb::TxBody& b) {
      b.mutable_appoint_administrator()->set_case_id(case_id_);
      b.mutable_appoint_administrator()->set_firm_org_id("lawfirm");
    });
    auto record = GetMessage<pb::Case>(NodeApi(cluster_->base_url()), "/v1/cases/" + case_id_);
    ASSERT_TRUE(record.ok()) << record.status().ToString();
    int64_t accepted = record->accepted_time_ms();
    Commit(judge, [&](pb::TxBody& b) {
      b.mutable_set_claim_period()->set_case_id(case_id_);
      b.mutable_set_claim_period()->set_claim_period_end_ms(accepted + 31 * 86'400'000LL);
      b.mutable_set_claim_period()->set_first_meeting_ms(accepted + 36 * 86'400'000LL);
    });
    std::string creditor_account = Commit(*creditor_, [](pb::TxBody& b) {
      b.mutable_self_register()->set_display_name("Creditor Co.");
      b.mutable_self_register()->set_party_kind(pb::PARTY_KIND_FIRM);
      b.mutable_self_register()->set_id_number(kCreditorCode);
    }).record_id();
    entry_id_ = Commit(member, [](pb::TxBody& b) {
      b.mutable_add_known_creditor()->set_case_id(case_id_);
      b.mutable_add_known_creditor()->set_kind(pb::CREDITOR_KIND_FIRM);
      b.mutable_add_known_creditor()->set_name("Creditor Co.");
      b.mutable_add_known_creditor()->set_id_number(kCreditorCode);
      b.mutable_add_known_creditor()->set_service_address("Luohu District, Shenzhen");
      b.mutable_add_known_creditor()->set_basis("the debtor's ledger");
    }).record_id();
    Commit(member, [&](pb::TxBody& b) {
      b.mutable_bind_creditor_account()->set_creditor_id(entry_id_);
      b.mutable_bind_creditor_account()->set_account_id(creditor_account);
    });
    pb::TxStatus claim = Commit(*creditor_, [](pb::TxBody& b) {
      b.mutable_declare_claim()->set_creditor_id(entry_id_);
      pb::Declaration* d = b.mutable_declare_claim()->mutable_declaration();
      d->set_creditor_name("Creditor Co.");
      d->set_creditor_id_number(kCreditorCode);
      d->set_service_address("Luohu District, Shenzhen");
      d->set_electronic_service_consent(true);
      d->set_payment_account("6222 0000 0000 0007");
      d->set_nature("unpaid rent");
      d->set_facts("lease of 2025-01-01");
      auto* c = d->add_components();
      c->set_kind(pb::COMPONENT_KIND_PRINCIPAL);
      c->set_amount(80'000'00);
      c->set_calculation("twelve months");
    });
    claim_id_ = claim.record_id();
    claim_tx_ = claim.hash();
  }

  static void TearDownTestSuite() {
    delete cluster_;
    cluster_ = nullptr;
    keys_.clear();
  }

  void TearDown() override {
    if (HasFailure()) std::cerr << cluster_->LogTail() << "\n";
  }

  static const crypto::PrivateKey& NewKey() {
    auto key = crypto::GenerateKey(pb::SUITE_INTL);
    EXPECT_TRUE(key.ok());
    keys_.push_back(std::move(*key));
    return *keys_.back();
  }

  // Signs and submits the action with the signer's next nonce; expects it committed with OK.
  static pb::TxStatus Commit(const crypto::PrivateKey& signer,
                             const std::function<void(pb::TxBody&)>& fill) {
    NodeApi api(cluster_->base_url());
    auto account = GetMessage<pb::Account>(api, "/v1/keys/" + ToHex(signer.public_key()));
    pb::TxBody body = NewBody(cluster_->chain_id(), signer, account.ok() ? account->nonce() + 1 : 1);
    fill(body);
    auto reply = api.PostBinary("/v1/tx?wait_ms=20000", node::SignEnvelope(signer, body));
    EXPECT_TRUE(reply.ok());
    if (!reply.ok()) return {};
    auto status = ParseJson<pb::TxStatus>(reply->body);
    EXPECT_TRUE(status.ok()) << reply->body;
    if (!status.ok()) return {};
    EXPECT_EQ(status->state(), pb::TxStatus::COMMITTED) << reply->body;
    EXPECT_EQ(status->code(), pb::Status::OK) << status->message();
    return *status;
  }

  static SignedReply Get(const std::string& path, const crypto::PrivateKey* signer) {
    SignedReply reply = SignedGet(cluster_->base_url(), path, signer);
    EXPECT_NE(reply.status, 0) << path;
    return reply;
  }

  template <typename T>
  static T Read(const std::string& path, const crypto::PrivateKey* signer) {
    SignedReply reply = Get(path, signer);
    EXPECT_EQ(reply.status, 200) << path << ": " << reply.body;
    Result<T> message = ParseJson<T>(reply.body);
    EXPECT_TRUE(message.ok()) << message.status().ToString();
    return message.ok() ? *message : T();
  }

  // `onechain args...`; its exit code, the output kept for failure messages.
  static int Cli(const std::vector<std::string>& args, std::string* out = nullptr) {
    Result<CommandResult> result = RunOnechain(args, cluster_->dir());
    EXPECT_TRUE(result.ok()) << result.status().ToString();
    if (!result.ok()) return -1;
    if (out != nullptr) *out = result->out + result->err;
    return result->exit_code;
  }

  // Writes `armored` to <cluster dir>/name; returns the path.
  static std::string WriteBundle(const std::string& armored, const std::string& name) {
    std::string path = cluster_->dir() + "/" + name;
    std::ofstream(path) << armored;
    return path;
  }

  // Writes `armored` to a file and runs `onechain verify bundle` on it against the genesis.
  static int VerifyBundle(const std::string& armored, const std::string& name,
                          std::string* out = nullptr) {
    std::string path = cluster_->dir() + "/" + name;
    std::ofstream(path) << armored;
    return Cli({"verify", "bundle", path, "--genesis", cluster_->genesis_path()}, out);
  }

  static TestCluster* cluster_;
  static std::vector<std::unique_ptr<crypto::PrivateKey>> keys_;
  static const crypto::PrivateKey* creditor_;
  static const crypto::PrivateKey *judge_, *member_;
  static pb::CheckpointView first_checkpoint_;
  static std::string judge_tx_, case_id_, entry_id_, claim_id_, claim_tx_;
};

TestCluster* ProofsApiTest::cluster_ = nullptr;
std::vector<std::unique_ptr<crypto::PrivateKey>> ProofsApiTest::keys_;
const crypto::PrivateKey* ProofsApiTest::creditor_ = nullptr;
const crypto::PrivateKey* ProofsApiTest::judge_ = nullptr;
const crypto::PrivateKey* ProofsApiTest::member_ = nullptr;
pb::CheckpointView ProofsApiTest::first_checkpoint_;
std::string ProofsApiTest::judge_tx_, ProofsApiTest::case_id_, ProofsApiTest::entry_id_,
    ProofsApiTest::claim_id_, ProofsApiTest::claim_tx_;

TEST_F(ProofsApiTest, TxBundleVerifiesOfflineAndATamperedCopyDoesNot) {
  auto view = Read<pb::ProofBundleView>("/v1/proofs/tx/" + judge_tx_, nullptr);
  EXPECT_EQ(view.leaf_index(), 0u);  // the chain's first transaction
  EXPECT_GE(view.height(), first_checkpoint_.height());
  EXPECT_GE(view.bundle().inclusion().tree_size(), 10u);
  EXPECT_TRUE(view.bundle().record().empty());  // only the signer gets the transaction
  EXPECT_EQ(view.bundle().leaf_hash().size(), 32u);
  std::string out;
  EXPECT_EQ(VerifyBundle(view.armored(), "tx.proof", &out), 0) << out;

  // Each part altered in turn: a path hash, the leaf, the index, the size, the certificate.
  auto bundle = ledger::DecodeProofBundle(view.armored());
  ASSERT_TRUE(bundle.ok()) << bundle.status().ToString();
  ASSERT_GT(bundle->inclusion().path_size(), 0);
  std::vector<std::function<void(pb::ProofBundle&)>> tamperings = {
      [](pb::ProofBundle& b) { (*b.mutable_inclusion()->mutable_path(0))[5] ^= 1; },
      [](pb::ProofBundle& b) { (*b.mutable_leaf_hash())[0] ^= 1; },
      [](pb::ProofBundle& b) { b.mutable_inclusion()->set_leaf_index(1); },
      [](pb::ProofBundle& b) { b.mutable_inclusion()->set_tree_size(b.inclusion().tree_size() + 1); },
      [](pb::ProofBundle& b) { (*b.mutable_checkpoint()->mutable_certificate())[10] ^= 1; },
  };
  for (size_t i = 0; i < tamperings.size(); ++i) {
    pb::ProofBundle tampered = *bundle;
    tamperings[i](tampered);
    EXPECT_EQ(VerifyBundle(ledger::ArmorProofBundle(tampered), "tampered.proof", &out), 1)
        << "alteration " << i << ": " << out;
  }
}

TEST_F(ProofsApiTest, TheSignerGetsItsTransactionInTheBundle) {
  // The creditor's declaration, asked by the creditor: the record is the transaction.
  const std::string& hash = claim_tx_;
  auto view = Read<pb::ProofBundleView>("/v1/proofs/tx/" + hash, creditor_);
  ASSERT_FALSE(view.bundle().record().empty());
  EXPECT_EQ(TxHashHex(view.bundle().record()), hash);
  EXPECT_EQ(VerifyBundle(view.armored(), "own.proof"), 0);
  // Anyone else: the leaf hash of the same record.
  auto other = Read<pb::ProofBundleView>("/v1/proofs/tx/" + hash, nullptr);
  EXPECT_TRUE(other.bundle().record().empty());
  EXPECT_EQ(other.bundle().leaf_hash(),
            ledger::MerkleLeafHash(*crypto::GetSuite(pb::SUITE_INTL), view.bundle().record()));
  EXPECT_EQ(Get("/v1/proofs/tx/" + std::string(64, 'a'), nullptr).status, 404);
}

TEST_F(ProofsApiTest, ConsistencyBetweenCheckpointsVerifiesOffline) {
  pb::CheckpointView latest = Read<pb::CheckpointView>("/v1/checkpoints/latest", nullptr);
  uint64_t from = first_checkpoint_.log_size(), to = latest.log_size();
  ASSERT_GT(to, from);
  auto proof = Read<pb::ConsistencyProofView>(
      "/v1/proofs/consistency?from=" + std::to_string(from) + "&to=" + std::to_string(to),
      nullptr);
  EXPECT_EQ(proof.from_root(), first_checkpoint_.log_root());
  EXPECT_EQ(proof.to_root(), latest.log_root());
  std::string path;
  for (const std::string& hash : proof.path()) {
    path += (path.empty() ? "" : ",") + ledger::EncodeBase64(hash);
  }
  std::vector<std::string> args = {"verify", "consistency", "--old-size", std::to_string(from),
                                   "--new-size", std::to_string(to), "--old-root",
                                   ledger::EncodeBase64(first_checkpoint_.log_root()),
                                   "--new-root", ledger::EncodeBase64(latest.log_root()),
                                   "--proof", path};
  std::string out;
  EXPECT_EQ(Cli(args, &out), 0) << out;
  args[9] = ledger::EncodeBase64(first_checkpoint_.log_root());  // another new root
  EXPECT_EQ(Cli(args, &out), 1) << out;
  // Sizes out of range are refused with a reason.
  SignedReply bad = Get("/v1/proofs/consistency?from=0&to=" + std::to_string(to), nullptr);
  EXPECT_EQ(bad.status, 400) << bad.body;
  EXPECT_NE(bad.body.find("INVALID_ARGUMENT"), std::string::npos);
  EXPECT_EQ(Get("/v1/proofs/consistency?from=1&to=" + std::to_string(to + 1000), nullptr).status,
            400);
  EXPECT_EQ(Get("/v1/proofs/consistency?from=x&to=2", nullptr).status, 400);
}

TEST_F(ProofsApiTest, PublicCaseRecordIsProvenPresentAndAMadeUpOneAbsent) {
  auto present = Read<pb::ProofBundleView>("/v1/proofs/state/case/" + case_id_, nullptr);
  EXPECT_TRUE(present.present());
  EXPECT_TRUE(present.bundle().state().has_value());
  std::string out;
  EXPECT_EQ(VerifyBundle(present.armored(), "case.proof", &out), 0) << out;
  auto absent = Read<pb::ProofBundleView>("/v1/proofs/state/case/" + kMadeUpId, nullptr);
  EXPECT_FALSE(absent.present());
  EXPECT_EQ(VerifyBundle(absent.armored(), "absent.proof", &out), 0) << out;
  // The absence proof claimed as a value, and the value altered: invalid.
  auto bundle = ledger::DecodeProofBundle(absent.armored());
  ASSERT_TRUE(bundle.ok());
  bundle->mutable_state()->set_value("forged");
  EXPECT_EQ(VerifyBundle(ledger::ArmorProofBundle(*bundle), "forged.proof"), 1);
  bundle = ledger::DecodeProofBundle(present.armored());
  ASSERT_TRUE(bundle.ok());
  (*bundle->mutable_state()->mutable_value())[3] ^= 1;
  EXPECT_EQ(VerifyBundle(ledger::ArmorProofBundle(*bundle), "altered.proof"), 1);
}

TEST_F(ProofsApiTest, PrivateKeysAreProvenOnlyToWhoMayReadThem) {
  auto own = Read<pb::ProofBundleView>("/v1/proofs/state/claim/" + claim_id_, creditor_);
  EXPECT_TRUE(own.present());
  std::string out;
  EXPECT_EQ(VerifyBundle(own.armored(), "claim.proof", &out), 0) << out;
  // Unsigned: the claim's key answers exactly as a made-up claim's.
  SignedReply hidden = Get("/v1/proofs/state/claim/" + claim_id_, nullptr);
  SignedReply missing = Get("/v1/proofs/state/claim/" + kMadeUpId, nullptr);
  EXPECT_EQ(hidden.status, 404) << hidden.body;
  EXPECT_EQ(hidden.body, missing.body);
  // The creditor entry, to everyone: as a made-up entry.
  SignedReply entry = Get("/v1/proofs/state/creditor/" + entry_id_, creditor_);
  SignedReply made_up = Get("/v1/proofs/state/creditor/" + kMadeUpId, creditor_);
  EXPECT_EQ(entry.status, 404);
  EXPECT_EQ(entry.body, made_up.body);
  EXPECT_EQ(entry.body.find(entry_id_), std::string::npos);
}


// The document check: a reorganization plan's document, by its file hash, is found with a proof
// for the case's court and its administrator, and that proof verifies offline with --document;
// an unsigned caller and a creditor of another case get exactly the answer of a hash no record
// references.
TEST_F(ProofsApiTest, DocumentCheckAnswersWhoMayReadTheRecordWithAProof) {
  std::string reorganization = Commit(*judge_, [](pb::TxBody& b) {
    b.mutable_accept_case()->set_case_number("(2026)粤03破778号");
    b.mutable_accept_case()->set_debtor_name("深圳市示例制造有限公司");
    b.mutable_accept_case()->set_debtor_credit_code("91440300MA5G00001W");
    b.mutable_accept_case()->set_procedure(pb::PROCEDURE_REORGANIZATION);
    b.mutable_accept_case()->set_acceptance_date("2026-11-22");
  }).record_id();
  Commit(*judge_, [&](pb::TxBody& b) {
    b.mutable_appoint_administrator()->set_case_id(reorganization);
    b.mutable_appoint_administrator()->set_firm_org_id("lawfirm");
  });
  // The plan's document must be on the node before a record references it (BLOB_MISSING).
  const std::string document_bytes = "ciphertext of the reorganization plan";
  const std::string file_hash = crypto::GetSuite(cluster_->genesis().suite())->Hash(document_bytes);
  SignedReply put = SignedPut(cluster_->base_url(), "/v1/blobs/" + ToHex(file_hash),
                              document_bytes, member_);
  ASSERT_EQ(put.status, 201) << put.body;
  std::string plan_id = Commit(*member_, [&](pb::TxBody& b) {
    b.mutable_propose_plan()->set_case_id(reorganization);
    b.mutable_propose_plan()->set_kind(pb::PLAN_KIND_REORGANIZATION);
    b.mutable_propose_plan()->set_title("Reorganization plan draft");
    pb::Attachment* document = b.mutable_propose_plan()->mutable_document();
    document->set_hash(file_hash);
    document->set_size(document_bytes.size());
    document->set_media_type("application/pdf");
    document->set_name("plan.pdf");
  }).record_id();
  ASSERT_FALSE(plan_id.empty());

  const std::string path = "/v1/documents/" + ToHex(file_hash);
  for (const crypto::PrivateKey* reader : {judge_, member_}) {
    auto found = Read<pb::ProofBundleView>(path, reader);
    EXPECT_TRUE(found.present());
    EXPECT_EQ(found.bundle().state().key(), "plan/" + plan_id);
    std::string out;
    EXPECT_EQ(Cli({"verify", "bundle", WriteBundle(found.armored(), "document.proof"), "--genesis",
                   cluster_->genesis_path(), "--document", ToHex(file_hash)},
                  &out),
              0)
        << out;
    // The same bundle does not vouch for another file.
    EXPECT_EQ(Cli({"verify", "bundle", WriteBundle(found.armored(), "document.proof"), "--genesis",
                   cluster_->genesis_path(), "--document", std::string(64, 'b')},
                  &out),
              1)
        << out;
  }
  // A state proof of a record that references no file is no document proof.
  auto case_proof = Read<pb::ProofBundleView>("/v1/proofs/state/case/" + case_id_, nullptr);
  std::string out;
  EXPECT_EQ(Cli({"verify", "bundle", WriteBundle(case_proof.armored(), "case.proof"), "--genesis",
                 cluster_->genesis_path(), "--document", ToHex(file_hash)},
                &out),
            1)
      << out;

  SignedReply none = Get("/v1/documents/" + std::string(64, 'c'), nullptr);
  EXPECT_EQ(none.status, 404) << none.body;
  for (const crypto::PrivateKey* outsider : {static_cast<const crypto::PrivateKey*>(nullptr),
                                              creditor_}) {
    SignedReply hidden = Get(path, outsider);
    SignedReply missing = Get("/v1/documents/" + std::string(64, 'c'), outsider);
    EXPECT_EQ(hidden.status, 404) << hidden.body;
    EXPECT_EQ(hidden.body, missing.body);
    EXPECT_EQ(hidden.body, none.body);
  }
  EXPECT_EQ(Get("/v1/documents/not-a-hash", nullptr).status, 404);
}

}  // namespace
}  // namespace onechain::integration
