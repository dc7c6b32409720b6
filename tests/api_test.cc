// Proves the REST API and the CLI of a real node process: every kind of bad input is refused with
// its HTTP status and JSON code and changes nothing (height, health, signer's account), and the
// happy paths (organizations, accounts, JSON transactions, `onechain tx send` and `query`) work.
#include <gtest/gtest.h>
#include <httplib.h>

#include <algorithm>
#include <chrono>
#include <fstream>
#include <map>
#include <regex>
#include <nlohmann/json.hpp>
#include <set>
#include <thread>

#include "api/request_auth.h"
#include "node/envelope.h"
#include "node/node.h"
#include "test_cluster.h"
#include "util/bytes.h"

namespace onechain::integration {
namespace {

// Long enough for the producer to make a block of anything that was wrongly admitted.
constexpr int64_t kSettleMs = 3 * node::kBlockIntervalMs;
constexpr size_t kRequestBodyBytesMax = 2 * node::kEnvelopeBytesMax;  // api::kRequestBodyBytesMax

// What a refused request must leave unchanged.
struct Snapshot {
  std::string health;          // whole /v1/health JSON: height, pending count, ...
  int signer_http_status = 0;  // /v1/keys/{signer}: the signer's account (nonce) or 404
  std::string signer_account;
};

class ApiTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    auto cluster = TestCluster::Create("api");
    ASSERT_TRUE(cluster.ok()) << cluster.status().ToString();
    cluster_ = cluster->release();
    Status started = cluster_->Start();
    ASSERT_TRUE(started.ok()) << started.ToString();
  }

  static void TearDownTestSuite() {
    delete cluster_;
    cluster_ = nullptr;
  }

  void SetUp() override {
    ASSERT_NE(cluster_, nullptr);
    ASSERT_TRUE(cluster_->running()) << cluster_->LogTail();
    client_ = std::make_unique<NodeApi>(cluster_->base_url());
    auto court = cluster_->LoadAdminKey("court");
    ASSERT_TRUE(court.ok()) << court.status().ToString();
    court_ = std::move(*court);
  }

  void TearDown() override {
    if (HasFailure()) std::cerr << cluster_->LogTail() << "\n";
  }

  const std::string& chain_id() const { return cluster_->chain_id(); }

  static std::unique_ptr<crypto::PrivateKey> NewKey() {
    auto key = crypto::GenerateKey(pb::SUITE_INTL);
    EXPECT_TRUE(key.ok());
    return std::move(*key);
  }

  // The signer's next nonce as the node sees it (1 for a key of no account).
  uint64_t NextNonce(const crypto::PrivateKey& key) {
    Result<pb::Account> account =
        GetMessage<pb::Account>(*client_, "/v1/keys/" + ToHex(key.public_key()));
    if (!account.ok()) {
      EXPECT_EQ(account.status().code(), pb::Status::NOT_FOUND) << account.status().ToString();
      return 1;
    }
    return account->nonce() + 1;
  }

  uint64_t Height() {
    Result<pb::Health> health = GetMessage<pb::Health>(*client_, "/v1/health");
    EXPECT_TRUE(health.ok()) << health.status().ToString();
    return health.ok() ? health->height() : 0;
  }

  // POSTs with ?wait_ms and returns the committed status (expects COMMITTED).
  pb::TxStatus SubmitAndWait(const std::string& envelope) {
    Result<cli::HttpReply> reply = client_->PostBinary("/v1/tx?wait_ms=20000", envelope);
    EXPECT_TRUE(reply.ok()) << reply.status().ToString();
    if (!reply.ok()) return {};
    EXPECT_EQ(reply->status, 200) << reply->body;
    Result<pb::TxStatus> status = ParseJson<pb::TxStatus>(reply->body);
    EXPECT_TRUE(status.ok()) << status.status().ToString();
    if (!status.ok()) return {};
    EXPECT_EQ(status->state(), pb::TxStatus::COMMITTED) << reply->body;
    EXPECT_EQ(status->hash(), TxHashHex(envelope));
    return *status;
  }

  // Court admin registers an account with `role` (committed, OK) and returns its key.
  std::unique_ptr<crypto::PrivateKey> RegisterCourtMember(pb::Role role, std::string* id) {
    auto key = NewKey();
    pb::TxStatus status = SubmitAndWait(
        node::SignEnvelope(*court_, RegisterBody(chain_id(), *court_, NextNonce(*court_),
                                                 key->public_key(), role, "court member")));
    EXPECT_EQ(status.code(), pb::Status::OK) << status.message();
    if (id != nullptr) *id = status.record_id();
    return key;
  }

  Snapshot TakeSnapshot(const std::string& signer_public_key) {
    Snapshot snapshot;
    Result<cli::HttpReply> health = client_->Get("/v1/health");
    EXPECT_TRUE(health.ok() && health->status == 200);
    if (health.ok()) snapshot.health = health->body;
    Result<cli::HttpReply> account = client_->Get("/v1/keys/" + ToHex(signer_public_key));
    EXPECT_TRUE(account.ok());
    if (account.ok()) {
      snapshot.signer_http_status = account->status;
      snapshot.signer_account = account->body;
    }
    return snapshot;
  }

  // Waits for a block interval or three, then checks nothing moved since `before`.
  void ExpectUnchanged(const Snapshot& before, const std::string& signer_public_key) {
    std::this_thread::sleep_for(std::chrono::milliseconds(kSettleMs));
    Snapshot after = TakeSnapshot(signer_public_key);
    EXPECT_EQ(after.health, before.health) << "the node's height or pending count changed";
    EXPECT_EQ(after.signer_http_status, before.signer_http_status);
    EXPECT_EQ(after.signer_account, before.signer_account) << "the signer's account changed";
  }

  // The reply is the node's {code, message} error with this HTTP status and code.
  static void ExpectError(const Result<cli::HttpReply>& reply, int http_status,
                          const std::string& code) {
    ASSERT_TRUE(reply.ok()) << reply.status().ToString();
    EXPECT_EQ(reply->status, http_status) << reply->body;
    nlohmann::json body = nlohmann::json::parse(reply->body, nullptr, false);
    ASSERT_TRUE(body.is_object()) << "not a JSON object: " << reply->body;
    EXPECT_EQ(body.value("code", ""), code) << reply->body;
    ASSERT_TRUE(body.contains("message") && body["message"].is_string()) << reply->body;
    EXPECT_FALSE(body["message"].get<std::string>().empty()) << reply->body;
  }

  // POSTs `envelope`, expects the error, that nothing changed, and (if `remembered`) that
  // GET /v1/tx/{hash} reports the rejection with the same code.
  void ExpectRefusedTx(const std::string& envelope, const std::string& signer_public_key,
                       int http_status, const std::string& code, bool remembered = true) {
    Snapshot before = TakeSnapshot(signer_public_key);
    ExpectError(client_->PostBinary("/v1/tx", envelope), http_status, code);
    ExpectUnchanged(before, signer_public_key);
    if (!remembered) return;
    Result<pb::TxStatus> status =
        GetMessage<pb::TxStatus>(*client_, "/v1/tx/" + TxHashHex(envelope));
    ASSERT_TRUE(status.ok()) << status.status().ToString();
    EXPECT_EQ(status->state(), pb::TxStatus::REJECTED);
    EXPECT_EQ(pb::Status::Code_Name(status->code()), code);
  }

  // Runs the onechain CLI against the node.
  CommandResult Cli(std::vector<std::string> args) {
    Result<CommandResult> result = RunOnechain(args, cluster_->dir());
    EXPECT_TRUE(result.ok()) << result.status().ToString();
    return result.ok() ? *result : CommandResult{};
  }

  static TestCluster* cluster_;
  std::unique_ptr<NodeApi> client_;
  std::unique_ptr<crypto::PrivateKey> court_;
};

TestCluster* ApiTest::cluster_ = nullptr;

// An envelope of exactly `size` bytes: a valid body of `key` and a signature padded to fit.
std::string EnvelopeOfSize(const crypto::PrivateKey& key, const pb::TxBody& body, size_t size) {
  pb::SignedTx envelope;
  body.SerializeToString(envelope.mutable_body());
  size_t padding = size - envelope.ByteSizeLong() - 8;
  envelope.set_signature(key.Sign(envelope.body()) + std::string(padding, 'x'));
  while (envelope.ByteSizeLong() < size) envelope.mutable_signature()->push_back('x');
  while (envelope.ByteSizeLong() > size) envelope.mutable_signature()->pop_back();
  EXPECT_EQ(envelope.ByteSizeLong(), size);
  return envelope.SerializeAsString();
}

TEST_F(ApiTest, MalformedProtobufIsRefused) {
  const std::string signer = court_->public_key();
  ExpectRefusedTx(std::string("\xff\xff\xff\xff garbage", 12), signer, 400, "MALFORMED", false);
  ExpectRefusedTx("", signer, 400, "MALFORMED", false);

  pb::SignedTx not_a_body;
  not_a_body.set_body("\x0a\xff\x01", 3);  // a length beyond the end
  not_a_body.set_signature(std::string(64, 's'));
  ExpectRefusedTx(not_a_body.SerializeAsString(), signer, 400, "MALFORMED", false);

  pb::TxBody no_action = NewBody(chain_id(), *court_, NextNonce(*court_));
  ExpectRefusedTx(node::SignEnvelope(*court_, no_action), signer, 400, "MALFORMED", false);

  // A field this node does not know (number 99) is refused rather than ignored.
  pb::TxBody body = RegisterBody(chain_id(), *court_, NextNonce(*court_), NewKey()->public_key(),
                                 pb::ROLE_CLERK, "clerk");
  std::string body_bytes = body.SerializeAsString() + std::string("\x98\x06\x01", 3);
  pb::SignedTx unknown_field;
  unknown_field.set_body(body_bytes);
  unknown_field.set_signature(court_->Sign(body_bytes));
  ExpectRefusedTx(unknown_field.SerializeAsString(), signer, 400, "MALFORMED", false);
}

TEST_F(ApiTest, OversizedRequestBodyIsRefused) {
  Snapshot before = TakeSnapshot(court_->public_key());
  ExpectError(client_->PostBinary("/v1/tx", std::string(kRequestBodyBytesMax + 1, '\x0a')), 413,
              "TOO_LARGE");
  ExpectError(client_->PostBinary("/v1/tx", std::string(1 << 20, 'x')), 413, "TOO_LARGE");
  ExpectUnchanged(before, court_->public_key());
}

TEST_F(ApiTest, EnvelopeOverTheLimitIsRefusedBeforeItsSignature) {
  pb::TxBody body = RegisterBody(chain_id(), *court_, NextNonce(*court_), NewKey()->public_key(),
                                 pb::ROLE_CLERK, "clerk");
  // One byte over the limit: refused for its size, before the (bad) signature is looked at.
  ExpectRefusedTx(EnvelopeOfSize(*court_, body, node::kEnvelopeBytesMax + 1), court_->public_key(),
                  413, "TOO_LARGE", false);
  // At the limit it is decoded, and then the padded signature fails.
  ExpectRefusedTx(EnvelopeOfSize(*court_, body, node::kEnvelopeBytesMax), court_->public_key(), 400,
                  "BAD_SIGNATURE");
}

TEST_F(ApiTest, WrongChainAndSuiteAreRefused) {
  pb::TxBody body = RegisterBody("another-chain", *court_, NextNonce(*court_),
                                 NewKey()->public_key(), pb::ROLE_CLERK, "clerk");
  ExpectRefusedTx(node::SignEnvelope(*court_, body), court_->public_key(), 400, "WRONG_CHAIN",
                  false);
  body.set_chain_id(chain_id());
  body.set_suite(pb::SUITE_SM);
  ExpectRefusedTx(node::SignEnvelope(*court_, body), court_->public_key(), 400, "WRONG_SUITE",
                  false);
}

TEST_F(ApiTest, BadSignatureIsRefused) {
  pb::TxBody body = RegisterBody(chain_id(), *court_, NextNonce(*court_), NewKey()->public_key(),
                                 pb::ROLE_CLERK, "clerk");
  pb::SignedTx envelope;
  ASSERT_TRUE(envelope.ParseFromString(node::SignEnvelope(*court_, body)));
  (*envelope.mutable_signature())[10] ^= 0x01;
  ExpectRefusedTx(envelope.SerializeAsString(), court_->public_key(), 400, "BAD_SIGNATURE");

  // A valid signature by another key than the body's signer.
  auto other = NewKey();
  envelope.set_signature(other->Sign(envelope.body()));
  ExpectRefusedTx(envelope.SerializeAsString(), court_->public_key(), 400, "BAD_SIGNATURE");

  // A signature over other bytes than the body.
  envelope.set_signature(court_->Sign(envelope.body() + "x"));
  ExpectRefusedTx(envelope.SerializeAsString(), court_->public_key(), 400, "BAD_SIGNATURE");
}

TEST_F(ApiTest, ReplayedAndSkippedNoncesAreRefused) {
  uint64_t nonce = NextNonce(*court_);
  std::string first = node::SignEnvelope(
      *court_,
      RegisterBody(chain_id(), *court_, nonce, NewKey()->public_key(), pb::ROLE_CLERK, "first"));
  EXPECT_EQ(SubmitAndWait(first).code(), pb::Status::OK);
  ASSERT_EQ(NextNonce(*court_), nonce + 1);

  std::string replayed = node::SignEnvelope(
      *court_,
      RegisterBody(chain_id(), *court_, nonce, NewKey()->public_key(), pb::ROLE_CLERK, "replayed"));
  ExpectRefusedTx(replayed, court_->public_key(), 409, "NONCE_REPLAYED");
  std::string skipped =
      node::SignEnvelope(*court_, RegisterBody(chain_id(), *court_, nonce + 2,
                                               NewKey()->public_key(), pb::ROLE_CLERK, "skipped"));
  ExpectRefusedTx(skipped, court_->public_key(), 409, "NONCE_SKIPPED");
}

TEST_F(ApiTest, DuplicateIsRefused) {
  std::string tx =
      node::SignEnvelope(*court_, RegisterBody(chain_id(), *court_, NextNonce(*court_),
                                               NewKey()->public_key(), pb::ROLE_CLERK, "once"));
  // While pending (or just committed): the second copy is a duplicate.
  Result<cli::HttpReply> first = client_->PostBinary("/v1/tx", tx);
  ASSERT_TRUE(first.ok() && first->status == 202) << (first.ok() ? first->body : "");
  ExpectError(client_->PostBinary("/v1/tx", tx), 409, "DUPLICATE");
  Result<pb::TxStatus> status = WaitForTx(*client_, TxHashHex(tx));
  ASSERT_TRUE(status.ok()) << status.status().ToString();
  ASSERT_EQ(status->state(), pb::TxStatus::COMMITTED);

  // Once committed: still a duplicate, and the commit is untouched.
  ExpectRefusedTx(tx, court_->public_key(), 409, "DUPLICATE", false);
  Result<pb::TxStatus> again = GetMessage<pb::TxStatus>(*client_, "/v1/tx/" + TxHashHex(tx));
  ASSERT_TRUE(again.ok()) << again.status().ToString();
  EXPECT_EQ(again->state(), pb::TxStatus::COMMITTED);
  EXPECT_EQ(again->height(), status->height());
  EXPECT_EQ(again->code(), pb::Status::OK);
}

TEST_F(ApiTest, UnknownSignerIsRefused) {
  auto stranger = NewKey();
  std::string tx = node::SignEnvelope(
      *stranger,
      RegisterBody(chain_id(), *stranger, 1, NewKey()->public_key(), pb::ROLE_CLERK, "clerk"));
  ExpectRefusedTx(tx, stranger->public_key(), 403, "UNKNOWN_SIGNER");
}

TEST_F(ApiTest, RevokedAndRotatedOutSignersAreRefused) {
  std::string clerk_id;
  auto clerk = RegisterCourtMember(pb::ROLE_CLERK, &clerk_id);
  pb::TxBody revoke = NewBody(chain_id(), *court_, NextNonce(*court_));
  revoke.mutable_revoke_account()->set_account_id(clerk_id);
  revoke.mutable_revoke_account()->set_reason("left the court");
  EXPECT_EQ(SubmitAndWait(node::SignEnvelope(*court_, revoke)).code(), pb::Status::OK);
  Result<pb::Account> revoked = GetMessage<pb::Account>(*client_, "/v1/accounts/" + clerk_id);
  ASSERT_TRUE(revoked.ok()) << revoked.status().ToString();
  EXPECT_EQ(revoked->status(), pb::ACCOUNT_STATUS_REVOKED);

  pb::TxBody rotate = NewBody(chain_id(), *clerk, 1);
  rotate.mutable_rotate_key()->set_account_id(clerk_id);
  rotate.mutable_rotate_key()->set_new_public_key(NewKey()->public_key());
  ExpectRefusedTx(node::SignEnvelope(*clerk, rotate), clerk->public_key(), 403, "REVOKED_SIGNER");

  // A key rotated out of its (active) account signs no more.
  std::string judge_id;
  auto judge = RegisterCourtMember(pb::ROLE_JUDGE, &judge_id);
  auto new_key = NewKey();
  pb::TxBody own_rotation = NewBody(chain_id(), *judge, 1);
  own_rotation.mutable_rotate_key()->set_account_id(judge_id);
  own_rotation.mutable_rotate_key()->set_new_public_key(new_key->public_key());
  EXPECT_EQ(SubmitAndWait(node::SignEnvelope(*judge, own_rotation)).code(), pb::Status::OK);
  pb::TxBody old_key_tx = NewBody(chain_id(), *judge, 2);
  old_key_tx.mutable_rotate_key()->set_account_id(judge_id);
  old_key_tx.mutable_rotate_key()->set_new_public_key(NewKey()->public_key());
  ExpectRefusedTx(node::SignEnvelope(*judge, old_key_tx), judge->public_key(), 403,
                  "REVOKED_SIGNER");
}

TEST_F(ApiTest, UnauthorizedActionIsRefused) {
  auto clerk = RegisterCourtMember(pb::ROLE_CLERK, nullptr);
  std::string tx =
      node::SignEnvelope(*clerk, RegisterBody(chain_id(), *clerk, 1, NewKey()->public_key(),
                                              pb::ROLE_CLERK, "clerk's friend"));
  ExpectRefusedTx(tx, clerk->public_key(), 403, "UNAUTHORIZED");

  // A creditor may not revoke anyone.
  auto creditor = NewKey();
  EXPECT_EQ(SubmitAndWait(
                node::SignEnvelope(*creditor, SelfRegisterBody(chain_id(), *creditor, "creditor")))
                .code(),
            pb::Status::OK);
  pb::TxBody revoke = NewBody(chain_id(), *creditor, 2);
  revoke.mutable_revoke_account()->set_account_id(std::string(40, 'a'));
  ExpectRefusedTx(node::SignEnvelope(*creditor, revoke), creditor->public_key(), 403,
                  "UNAUTHORIZED");
}

TEST_F(ApiTest, ExpiredTransactionIsRefused) {
  // Make sure there is a block, so that "valid until" the current height has passed.
  RegisterCourtMember(pb::ROLE_CLERK, nullptr);
  pb::TxBody body = RegisterBody(chain_id(), *court_, NextNonce(*court_), NewKey()->public_key(),
                                 pb::ROLE_CLERK, "late");
  body.set_valid_until_height(Height());
  ExpectRefusedTx(node::SignEnvelope(*court_, body), court_->public_key(), 400, "EXPIRED");
}

TEST_F(ApiTest, JsonSignedTxIsAcceptedAndJsonGarbageRefused) {
  httplib::Client http(cluster_->base_url());
  std::string envelope_bytes = node::SignEnvelope(
      *court_, RegisterBody(chain_id(), *court_, NextNonce(*court_), NewKey()->public_key(),
                            pb::ROLE_CLERK, "json clerk"));
  pb::SignedTx envelope;
  ASSERT_TRUE(envelope.ParseFromString(envelope_bytes));
  std::string json;
  ASSERT_TRUE(google::protobuf::util::MessageToJsonString(envelope, &json).ok());
  // The body and signature travel as base64 strings.
  nlohmann::json parsed = nlohmann::json::parse(json);
  ASSERT_TRUE(parsed["body"].is_string() && parsed["signature"].is_string()) << json;

  auto reply = http.Post("/v1/tx", json, "application/json");
  ASSERT_TRUE(reply) << httplib::to_string(reply.error());
  ASSERT_EQ(reply->status, 202) << reply->body;
  Result<pb::SubmitTxResponse> admitted = ParseJson<pb::SubmitTxResponse>(reply->body);
  ASSERT_TRUE(admitted.ok()) << admitted.status().ToString();
  EXPECT_EQ(admitted->hash(), TxHashHex(envelope_bytes));
  Result<pb::TxStatus> status = WaitForTx(*client_, admitted->hash());
  ASSERT_TRUE(status.ok()) << status.status().ToString();
  EXPECT_EQ(status->state(), pb::TxStatus::COMMITTED);
  EXPECT_EQ(status->code(), pb::Status::OK) << status->message();
  EXPECT_EQ(status->signature(), envelope.signature());

  for (const std::string& garbage :
       {std::string("{\"body\": "), std::string("not json at all"),
        std::string("{\"body\": \"!!! not base64 !!!\"}"), std::string("{\"unknown\": 1}"),
        std::string("{\"body\": 12}"), std::string("[]"), std::string("{}"), envelope_bytes}) {
    Snapshot before = TakeSnapshot(court_->public_key());
    auto refused = http.Post("/v1/tx", garbage, "application/json");
    ASSERT_TRUE(refused) << httplib::to_string(refused.error());
    ExpectError(cli::HttpReply{refused->status, refused->body}, 400, "MALFORMED");
    ExpectUnchanged(before, court_->public_key());
  }
}

TEST_F(ApiTest, BatchAdmitsEachEnvelopeOnItsOwnMerits) {
  uint64_t nonce = NextNonce(*court_);
  std::vector<std::string> envelopes;
  for (uint64_t i = 0; i < 3; ++i) {  // one signer's consecutive nonces in one batch
    envelopes.push_back(node::SignEnvelope(
        *court_, RegisterBody(chain_id(), *court_, nonce + i, NewKey()->public_key(),
                              pb::ROLE_CLERK, "batch clerk")));
  }
  pb::SignedTx tampered;
  ASSERT_TRUE(tampered.ParseFromString(envelopes[0]));
  (*tampered.mutable_signature())[3] ^= 0x01;
  envelopes.push_back(tampered.SerializeAsString());
  // Nonce + 5 skips nonce + 3 and + 4.
  envelopes.push_back(node::SignEnvelope(
      *court_, RegisterBody(chain_id(), *court_, nonce + 5, NewKey()->public_key(),
                            pb::ROLE_CLERK, "skipping clerk")));
  envelopes.push_back("not an envelope");
  auto creditor = NewKey();
  envelopes.push_back(
      node::SignEnvelope(*creditor, SelfRegisterBody(chain_id(), *creditor, "batch creditor")));
  envelopes.push_back(envelopes[1]);  // a duplicate of an entry admitted earlier in the batch

  pb::SubmitBatchRequest request;
  for (const std::string& envelope : envelopes) request.add_txs(envelope);
  Result<cli::HttpReply> reply = client_->PostBinary("/v1/txs", request.SerializeAsString());
  ASSERT_TRUE(reply.ok()) << reply.status().ToString();
  ASSERT_EQ(reply->status, 200) << reply->body;
  Result<pb::SubmitBatchResponse> response = ParseJson<pb::SubmitBatchResponse>(reply->body);
  ASSERT_TRUE(response.ok()) << response.status().ToString();
  ASSERT_EQ(response->results_size(), static_cast<int>(envelopes.size()));
  const std::vector<pb::Status::Code> expected = {
      pb::Status::OK,            pb::Status::OK,        pb::Status::OK,
      pb::Status::BAD_SIGNATURE, pb::Status::NONCE_SKIPPED, pb::Status::MALFORMED,
      pb::Status::OK,            pb::Status::DUPLICATE};
  for (size_t i = 0; i < envelopes.size(); ++i) {
    const pb::SubmitResult& result = response->results(static_cast<int>(i));
    EXPECT_EQ(result.code(), expected[i]) << "entry " << i << ": " << result.message();
    if (expected[i] == pb::Status::OK) {
      EXPECT_EQ(result.hash(), TxHashHex(envelopes[i]));
      EXPECT_TRUE(result.message().empty());
    } else {
      EXPECT_TRUE(result.hash().empty());
      EXPECT_FALSE(result.message().empty()) << "entry " << i;
    }
  }
  EXPECT_EQ(response->admitted(), 4u);
  for (size_t i : {0, 1, 2, 6}) {
    Result<pb::TxStatus> status = WaitForTx(*client_, TxHashHex(envelopes[i]));
    ASSERT_TRUE(status.ok()) << status.status().ToString();
    EXPECT_EQ(status->state(), pb::TxStatus::COMMITTED);
    EXPECT_EQ(status->code(), pb::Status::OK) << status->message();
  }
  EXPECT_EQ(NextNonce(*court_), nonce + 3);

  // The same batch as JSON, with the admission results as binary protobuf on request.
  httplib::Client http(cluster_->base_url());
  pb::SubmitBatchRequest again;
  again.add_txs(node::SignEnvelope(
      *court_, RegisterBody(chain_id(), *court_, nonce + 3, NewKey()->public_key(),
                            pb::ROLE_JUDGE, "json batch judge")));
  std::string json;
  ASSERT_TRUE(google::protobuf::util::MessageToJsonString(again, &json).ok());
  auto binary = http.Post("/v1/txs", {{"Accept", "application/x-protobuf"}}, json,
                          "application/json");
  ASSERT_TRUE(binary) << httplib::to_string(binary.error());
  ASSERT_EQ(binary->status, 200) << binary->body;
  EXPECT_EQ(binary->get_header_value("Content-Type"), "application/x-protobuf");
  pb::SubmitBatchResponse decoded;
  ASSERT_TRUE(decoded.ParseFromString(binary->body));
  ASSERT_EQ(decoded.results_size(), 1);
  EXPECT_EQ(decoded.results(0).code(), pb::Status::OK) << decoded.results(0).message();
  EXPECT_EQ(decoded.results(0).hash(), TxHashHex(again.txs(0)));
  Result<pb::TxStatus> committed = WaitForTx(*client_, decoded.results(0).hash());
  ASSERT_TRUE(committed.ok()) << committed.status().ToString();
  EXPECT_EQ(committed->code(), pb::Status::OK) << committed->message();
}

TEST_F(ApiTest, MalformedEmptyAndOversizedBatchesAdmitNothing) {
  const std::string signer = court_->public_key();
  pb::SubmitBatchRequest too_many;
  std::string one = node::SignEnvelope(
      *court_, RegisterBody(chain_id(), *court_, NextNonce(*court_), NewKey()->public_key(),
                            pb::ROLE_CLERK, "never admitted"));
  for (int i = 0; i < 1001; ++i) too_many.add_txs(one);  // api::kBatchTxsMax + 1
  struct Case {
    std::string body;
    int http_status;
    std::string code;
  };
  const std::vector<Case> cases = {
      {"", 400, "INVALID_ARGUMENT"},
      {std::string("\xff\xff\xff garbage", 11), 400, "MALFORMED"},
      {too_many.SerializeAsString(), 413, "TOO_LARGE"},
      {std::string((4u << 20) + 1, '\x0a'), 413, "TOO_LARGE"},
  };
  for (const Case& c : cases) {
    Snapshot before = TakeSnapshot(signer);
    ExpectError(client_->PostBinary("/v1/txs", c.body), c.http_status, c.code);
    ExpectUnchanged(before, signer);
  }
  httplib::Client http(cluster_->base_url());
  for (const std::string& garbage : {std::string("{\"txs\": 5}"), std::string("[]"),
                                     std::string("{\"txs\": [\"!!\"]}")}) {
    Snapshot before = TakeSnapshot(signer);
    auto refused = http.Post("/v1/txs", garbage, "application/json");
    ASSERT_TRUE(refused) << httplib::to_string(refused.error());
    ExpectError(cli::HttpReply{refused->status, refused->body}, 400, "MALFORMED");
    ExpectUnchanged(before, signer);
  }
}

// GET with the api/request_auth.h headers of `signer`, or of nothing when `signer` is null.
httplib::Headers SignedGetHeaders(const crypto::PrivateKey& signer, const std::string& path,
                                  int64_t created) {
  api::SignatureHeaders h =
      api::SignRequest(signer, {"GET", path, "", ""}, created, api::RandomNonce());
  return {{"Content-Digest", h.content_digest},
          {"Signature-Input", h.signature_input},
          {"Signature", h.signature}};
}

int64_t UnixNow() {
  return std::chrono::duration_cast<std::chrono::seconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

TEST_F(ApiTest, SignedReadsIdentifyTheCallerAndBadOnesAreRefused) {
  httplib::Client http(cluster_->base_url());
  auto reply_of = [](const httplib::Result& r) {
    return r ? Result<cli::HttpReply>(cli::HttpReply{r->status, r->body})
             : Result<cli::HttpReply>(Status(pb::Status::UNAVAILABLE, "no reply"));
  };
  ExpectError(reply_of(http.Get("/v1/me")), 401, "UNAUTHENTICATED");

  std::string clerk_id;
  auto clerk = RegisterCourtMember(pb::ROLE_CLERK, &clerk_id);
  httplib::Headers headers = SignedGetHeaders(*clerk, "/v1/me", UnixNow());
  auto me = http.Get("/v1/me", headers);
  ASSERT_TRUE(me) << httplib::to_string(me.error());
  ASSERT_EQ(me->status, 200) << me->body;
  Result<pb::Account> account = ParseJson<pb::Account>(me->body);
  ASSERT_TRUE(account.ok()) << account.status().ToString();
  EXPECT_EQ(account->id(), clerk_id);

  // The same signed request again is a replay.
  ExpectError(reply_of(http.Get("/v1/me", headers)), 401, "UNAUTHENTICATED");
  // Signed for another path, an hour old, by a key of no account, or tampered: refused.
  ExpectError(reply_of(http.Get("/v1/me", SignedGetHeaders(*clerk, "/v1/orgs", UnixNow()))), 401,
              "UNAUTHENTICATED");
  ExpectError(reply_of(http.Get("/v1/me", SignedGetHeaders(*clerk, "/v1/me", UnixNow() - 3600))),
              401, "UNAUTHENTICATED");
  ExpectError(reply_of(http.Get("/v1/me", SignedGetHeaders(*NewKey(), "/v1/me", UnixNow()))), 401,
              "UNAUTHENTICATED");
  httplib::Headers tampered = SignedGetHeaders(*clerk, "/v1/me", UnixNow());
  for (auto& [name, value] : tampered) {
    if (name == "Signature") value[8] = value[8] == 'A' ? 'B' : 'A';
  }
  ExpectError(reply_of(http.Get("/v1/me", tampered)), 401, "UNAUTHENTICATED");

  // The CLI signs its reads with --key.
  std::string clerk_pem = cluster_->dir() + "/signed-read-clerk.pem";
  Result<std::string> pem = clerk->ToPem("");
  ASSERT_TRUE(pem.ok());
  {
    std::ofstream out(clerk_pem);
    out << *pem;
  }
  CommandResult cli_me =
      Cli({"query", "me", "--key", clerk_pem, "--node", cluster_->base_url(), "--json"});
  ASSERT_EQ(cli_me.exit_code, 0) << cli_me.err;
  Result<pb::Account> cli_account = ParseJson<pb::Account>(cli_me.out);
  ASSERT_TRUE(cli_account.ok()) << cli_me.out;
  EXPECT_EQ(cli_account->id(), clerk_id);
  CommandResult anonymous = Cli({"query", "me", "--node", cluster_->base_url()});
  EXPECT_NE(anonymous.exit_code, 0);
  EXPECT_NE(anonymous.err.find("UNAUTHENTICATED"), std::string::npos) << anonymous.err;

  // Once revoked, the clerk's signed reads are refused.
  pb::TxBody revoke = NewBody(chain_id(), *court_, NextNonce(*court_));
  revoke.mutable_revoke_account()->set_account_id(clerk_id);
  revoke.mutable_revoke_account()->set_reason("left the court");
  EXPECT_EQ(SubmitAndWait(node::SignEnvelope(*court_, revoke)).code(), pb::Status::OK);
  ExpectError(reply_of(http.Get("/v1/me", SignedGetHeaders(*clerk, "/v1/me", UnixNow()))), 403,
              "REVOKED_SIGNER");
}

TEST_F(ApiTest, CliSendsAnyActionGivenAsJson) {
  const std::string node_url = cluster_->base_url();
  std::string pem = cluster_->dir() + "/json-action-creditor.pem";
  CommandResult key = Cli({"keys", "new", "--out", pem, "--json"});
  ASSERT_EQ(key.exit_code, 0) << key.err;
  const std::string action =
      R"({"selfRegister": {"displayName": "JSON creditor", "partyKind": "PARTY_KIND_FIRM",
          "idNumber": "914403001922038216"}})";
  CommandResult sent =
      Cli({"tx", "send", "action", action, "--key", pem, "--node", node_url, "--json"});
  ASSERT_EQ(sent.exit_code, 0) << sent.err;
  Result<pb::TxStatus> status = ParseJson<pb::TxStatus>(sent.out);
  ASSERT_TRUE(status.ok()) << sent.out;
  EXPECT_EQ(status->state(), pb::TxStatus::COMMITTED);
  EXPECT_EQ(status->code(), pb::Status::OK) << status->message();
  EXPECT_EQ(status->body().self_register().display_name(), "JSON creditor");

  struct Refusal {
    std::string json, code;
  };
  for (const Refusal& bad : std::vector<Refusal>{
           {"{\"selfRegister\": ", "MALFORMED"},
           {"{\"noSuchAction\": {}}", "MALFORMED"},
           {"{}", "INVALID_ARGUMENT"},
           {R"({"nonce": "7", "selfRegister": {"displayName": "x"}})", "INVALID_ARGUMENT"}}) {
    uint64_t height = Height();
    CommandResult refused =
        Cli({"tx", "send", "action", bad.json, "--key", pem, "--node", node_url});
    EXPECT_NE(refused.exit_code, 0) << bad.json;
    EXPECT_NE(refused.err.find(bad.code), std::string::npos) << bad.json << ": " << refused.err;
    EXPECT_EQ(Height(), height);
  }
}

TEST_F(ApiTest, PublicCaseSearchFindsAcceptedCasesByNameAndFilters) {
  auto judge = RegisterCourtMember(pb::ROLE_JUDGE, nullptr);
  std::string judge_pem = cluster_->dir() + "/search-judge.pem";
  {
    std::ofstream out(judge_pem);
    out << *judge->ToPem("");
  }
  const std::string node_url = cluster_->base_url();
  struct Accepted {
    std::string number, debtor, code, procedure;
  };
  for (const Accepted& c : std::vector<Accepted>{
           {"(2026)粤03破21号", "深圳市星河电子有限公司", "91440300MA5F8XGL06", "liquidation"},
           {"(2026)粤03破22号", "深圳星河物业管理有限公司", "914403001922038216",
            "reorganization"}}) {
    CommandResult accepted =
        Cli({"tx", "send", "accept-case", "--key", judge_pem, "--case-number", c.number,
             "--debtor", c.debtor, "--credit-code", c.code, "--procedure", c.procedure,
             "--acceptance-date", "2026-11-20", "--node", node_url, "--json"});
    ASSERT_EQ(accepted.exit_code, 0) << accepted.err;
  }
  httplib::Client http(node_url);
  auto search = [&](const std::string& query) -> pb::CaseList {
    auto reply = http.Get("/v1/cases?" + query);
    EXPECT_TRUE(reply) << httplib::to_string(reply.error());
    if (!reply) return {};
    EXPECT_EQ(reply->status, 200) << query << ": " << reply->body;
    Result<pb::CaseList> list = ParseJson<pb::CaseList>(reply->body);
    EXPECT_TRUE(list.ok()) << reply->body;
    return list.ok() ? *list : pb::CaseList();
  };
  // "星河" percent-encoded.
  const std::string xinghe = "%E6%98%9F%E6%B2%B3";
  EXPECT_EQ(search("q=" + xinghe).cases_size(), 2);
  EXPECT_EQ(search("q=" + xinghe + "&procedure=reorganization").cases_size(), 1);
  EXPECT_EQ(search("q=" + xinghe + "&status=terminated").cases_size(), 0);
  EXPECT_EQ(search("q=" + xinghe + "&accepted_from=2026-11-21").cases_size(), 0);
  pb::CaseList first = search("q=" + xinghe + "&page_size=1");
  ASSERT_EQ(first.cases_size(), 1);
  ASSERT_FALSE(first.next_page_token().empty());
  pb::CaseList second =
      search("q=" + xinghe + "&page_size=1&page_token=" + first.next_page_token());
  ASSERT_EQ(second.cases_size(), 1);
  EXPECT_NE(second.cases(0).id(), first.cases(0).id());
  EXPECT_EQ(search("credit_code=914403001922038216").cases(0).debtor_name(),
            "深圳星河物业管理有限公司");

  for (const char* bad : {"q=%E6%98%9F", "procedure=bankrupt", "status=open",
                                 "page_size=0", "page_size=101", "page_token=xyz",
                                 "accepted_to=2026-13-01", "sort=name",
                                 "credit_code=91440300MA5F8XGL07"}) {
    auto reply = http.Get(std::string("/v1/cases?") + bad);
    ASSERT_TRUE(reply);
    ExpectError(cli::HttpReply{reply->status, reply->body}, 400, "INVALID_ARGUMENT");
  }

  CommandResult cli = Cli({"query", "search", "--q", "星河物业", "--node", node_url, "--json"});
  ASSERT_EQ(cli.exit_code, 0) << cli.err;
  Result<pb::CaseList> cli_list = ParseJson<pb::CaseList>(cli.out);
  ASSERT_TRUE(cli_list.ok()) << cli.out;
  ASSERT_EQ(cli_list->cases_size(), 1);
  EXPECT_EQ(cli_list->cases(0).case_number(), "(2026)粤03破22号");
}

TEST_F(ApiTest, UnknownRoutesAndRecordsAre404) {
  ExpectError(client_->Get("/v1/nothing-here"), 404, "NOT_FOUND");
  ExpectError(client_->Get("/v2/health"), 404, "NOT_FOUND");
  ExpectError(client_->Get("/v1/accounts/not-an-account-id"), 404, "NOT_FOUND");
  ExpectError(client_->PostBinary("/v1/orgs", "x"), 404, "NOT_FOUND");
  ExpectError(client_->Get("/v1/tx/" + std::string(64, 'a')), 404, "NOT_FOUND");
  ExpectError(client_->Get("/v1/tx/" + std::string(64, 'a') + "?wait_ms=50"), 404, "NOT_FOUND");
  ExpectError(client_->Get("/v1/accounts/" + std::string(40, 'b')), 404, "NOT_FOUND");
  ExpectError(client_->Get("/v1/keys/" + std::string(64, 'c')), 404, "NOT_FOUND");
  ExpectError(client_->Get("/v1/blocks/" + std::to_string(Height() + 1000)), 404, "NOT_FOUND");
  // Malformed addresses are argument errors, not unknown records.
  ExpectError(client_->Get("/v1/tx/abcd"), 400, "INVALID_ARGUMENT");
  ExpectError(client_->Get("/v1/keys/abc"), 400, "INVALID_ARGUMENT");
  ExpectError(client_->Get("/v1/blocks/99999999999999999999999"), 400, "INVALID_ARGUMENT");
}

TEST_F(ApiTest, BadWaitMsIsRefused) {
  pb::TxStatus committed = SubmitAndWait(
      node::SignEnvelope(*court_, RegisterBody(chain_id(), *court_, NextNonce(*court_),
                                               NewKey()->public_key(), pb::ROLE_CLERK, "clerk")));
  const std::string path = "/v1/tx/" + committed.hash();
  for (const char* bad : {"abc", "-1", "", "1.5", "10ms", "99999999999999999999999"}) {
    ExpectError(client_->Get(path + "?wait_ms=" + bad), 400, "INVALID_ARGUMENT");
  }
  Result<pb::TxStatus> good = GetMessage<pb::TxStatus>(*client_, path + "?wait_ms=0");
  ASSERT_TRUE(good.ok()) << good.status().ToString();
  EXPECT_EQ(good->state(), pb::TxStatus::COMMITTED);
}

// A POST whose wait_ms is bad must be refused before the transaction is admitted.
TEST_F(ApiTest, PostWithBadWaitMsAdmitsNothing) {
  std::string tx =
      node::SignEnvelope(*court_, RegisterBody(chain_id(), *court_, NextNonce(*court_),
                                               NewKey()->public_key(), pb::ROLE_CLERK, "clerk"));
  Snapshot before = TakeSnapshot(court_->public_key());
  ExpectError(client_->PostBinary("/v1/tx?wait_ms=soon", tx), 400, "INVALID_ARGUMENT");
  ExpectUnchanged(before, court_->public_key());
  ExpectError(client_->Get("/v1/tx/" + TxHashHex(tx)), 404, "NOT_FOUND");
}

// A transaction refused once (here: its nonce skipped ahead) and sent again later, when it fits,
// is admitted; its status must then follow the new admission, not the old rejection.
TEST_F(ApiTest, ResentTransactionIsNotReportedWithItsOldRejection) {
  uint64_t nonce = NextNonce(*court_);
  std::string second =
      node::SignEnvelope(*court_, RegisterBody(chain_id(), *court_, nonce + 1,
                                               NewKey()->public_key(), pb::ROLE_CLERK, "second"));
  ExpectError(client_->PostBinary("/v1/tx", second), 409, "NONCE_SKIPPED");
  std::string first = node::SignEnvelope(
      *court_,
      RegisterBody(chain_id(), *court_, nonce, NewKey()->public_key(), pb::ROLE_CLERK, "first"));
  Result<cli::HttpReply> admitted = client_->PostBinary("/v1/tx", first);
  ASSERT_TRUE(admitted.ok() && admitted->status == 202);
  // Now in order: admitted, and the wait must end in its commit, not in the old rejection.
  Result<cli::HttpReply> resent = client_->PostBinary("/v1/tx?wait_ms=20000", second);
  ASSERT_TRUE(resent.ok()) << resent.status().ToString();
  ASSERT_EQ(resent->status, 200) << resent->body;
  Result<pb::TxStatus> status = ParseJson<pb::TxStatus>(resent->body);
  ASSERT_TRUE(status.ok()) << status.status().ToString();
  EXPECT_EQ(status->state(), pb::TxStatus::COMMITTED) << resent->body;
  // Whatever it answered, the transaction does commit.
  Result<pb::TxStatus> later = Status(pb::Status::UNAVAILABLE, "not asked yet");
  for (int i = 0; i < 100; ++i) {
    later = GetMessage<pb::TxStatus>(*client_, "/v1/tx/" + TxHashHex(second));
    if (!later.ok() || later->state() == pb::TxStatus::COMMITTED) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(node::kBlockIntervalMs));
  }
  ASSERT_TRUE(later.ok()) << later.status().ToString();
  EXPECT_EQ(later->state(), pb::TxStatus::COMMITTED);
  EXPECT_EQ(later->code(), pb::Status::OK) << later->message();
  EXPECT_EQ(NextNonce(*court_), nonce + 2);
}

TEST_F(ApiTest, OrgsAccountsKeysBlocksAndHealth) {
  Result<pb::OrgList> orgs = GetMessage<pb::OrgList>(*client_, "/v1/orgs");
  ASSERT_TRUE(orgs.ok()) << orgs.status().ToString();
  std::map<std::string, pb::OrgKind> kinds;
  for (const pb::Org& org : orgs->orgs()) kinds[org.id()] = org.kind();
  std::map<std::string, pb::OrgKind> expected = {
      {"court", pb::ORG_KIND_COURT},
      {"tax", pb::ORG_KIND_TAX_BUREAU},
      {"market", pb::ORG_KIND_MARKET_REGULATOR},
      {"association", pb::ORG_KIND_ADMINISTRATORS_ASSOCIATION},
      {"social", pb::ORG_KIND_DEPARTMENT}};
  EXPECT_EQ(kinds, expected);
  for (const pb::GenesisOrg& org : cluster_->genesis().orgs()) {
    auto it = std::find_if(orgs->orgs().begin(), orgs->orgs().end(),
                           [&](const pb::Org& listed) { return listed.id() == org.id(); });
    ASSERT_NE(it, orgs->orgs().end());
    EXPECT_EQ(it->name(), org.name());
  }

  auto member = NewKey();
  std::string envelope =
      node::SignEnvelope(*court_, RegisterBody(chain_id(), *court_, NextNonce(*court_),
                                               member->public_key(), pb::ROLE_JUDGE, "Judge Bao"));
  pb::TxStatus status = SubmitAndWait(envelope);
  ASSERT_EQ(status.code(), pb::Status::OK) << status.message();
  // The account id is the hex of the first 20 bytes of SHA-256 of the key (suite intl).
  std::string expected_id =
      ToHex(crypto::GetSuite(pb::SUITE_INTL)->Hash(member->public_key()).substr(0, 20));
  EXPECT_EQ(status.record_id(), expected_id);
  EXPECT_TRUE(status.body().has_register_account());
  EXPECT_EQ(status.body().register_account().public_key(), member->public_key());

  Result<pb::Account> account = GetMessage<pb::Account>(*client_, "/v1/accounts/" + expected_id);
  ASSERT_TRUE(account.ok()) << account.status().ToString();
  EXPECT_EQ(account->id(), expected_id);
  EXPECT_EQ(account->org_id(), "court");
  ASSERT_EQ(account->roles_size(), 1);
  EXPECT_EQ(account->roles(0), pb::ROLE_JUDGE);
  EXPECT_EQ(account->public_key(), member->public_key());
  EXPECT_EQ(account->status(), pb::ACCOUNT_STATUS_ACTIVE);
  EXPECT_EQ(account->nonce(), 0u);
  EXPECT_EQ(account->display_name(), "Judge Bao");
  EXPECT_EQ(account->registered_height(), status.height());

  Result<cli::HttpReply> by_id = client_->Get("/v1/accounts/" + expected_id);
  Result<cli::HttpReply> by_key = client_->Get("/v1/keys/" + ToHex(member->public_key()));
  ASSERT_TRUE(by_id.ok() && by_key.ok());
  EXPECT_EQ(by_key->status, 200);
  EXPECT_EQ(by_key->body, by_id->body);

  Result<pb::BlockView> block =
      GetMessage<pb::BlockView>(*client_, "/v1/blocks/" + std::to_string(status.height()));
  ASSERT_TRUE(block.ok()) << block.status().ToString();
  ASSERT_GT(block->tx_hashes_size(), static_cast<int>(status.index()));
  EXPECT_EQ(block->tx_hashes(status.index()), status.hash());
  EXPECT_EQ(block->header().height(), status.height());
  EXPECT_EQ(block->header().proposer().size(), crypto::kEd25519PublicKeyBytes);

  Result<pb::Health> health = GetMessage<pb::Health>(*client_, "/v1/health");
  ASSERT_TRUE(health.ok()) << health.status().ToString();
  EXPECT_EQ(health->status(), "ok");
  EXPECT_EQ(health->chain_id(), chain_id());
  EXPECT_EQ(health->suite(), pb::SUITE_INTL);
  EXPECT_GE(health->height(), status.height());
  EXPECT_EQ(health->genesis_hash(), cluster_->genesis_hash());
  Result<pb::BlockView> latest = GetMessage<pb::BlockView>(*client_, "/v1/blocks/latest");
  ASSERT_TRUE(latest.ok()) << latest.status().ToString();
  EXPECT_EQ(latest->header().height(), health->height());
}

// One number of the /metrics text: the line "<series> <value>" (0 when the series is absent).
double MetricValue(const std::string& text, const std::string& series) {
  size_t at = 0;
  while ((at = text.find(series + " ", at)) != std::string::npos) {
    if (at == 0 || text[at - 1] == '\n') {
      size_t end = text.find('\n', at);
      return std::stod(text.substr(at + series.size() + 1, end - at - series.size() - 1));
    }
    at += series.size();
  }
  return 0;
}

TEST_F(ApiTest, MetricsCountCommitsRefusalsAndLatency) {
  auto scrape = [&] {
    httplib::Client http(cluster_->base_url());
    auto reply = http.Get("/metrics");
    EXPECT_TRUE(reply && reply->status == 200);
    if (!reply) return std::string();
    EXPECT_EQ(reply->get_header_value("Content-Type"), "text/plain; version=0.0.4; charset=utf-8");
    return reply->body;
  };
  std::string before = scrape();
  for (const char* family :
       {"# TYPE onechain_height gauge", "# TYPE onechain_commit_latency_seconds histogram",
        "# TYPE onechain_mempool_transactions gauge",
        "# TYPE onechain_submissions_refused_total counter",
        "# TYPE onechain_rocksdb_sst_bytes gauge"}) {
    EXPECT_NE(before.find(family), std::string::npos) << family << " missing in\n" << before;
  }

  pb::TxBody body = RegisterBody(chain_id(), *court_, NextNonce(*court_), NewKey()->public_key(),
                                 pb::ROLE_CLERK, "clerk");
  pb::SignedTx forged;
  ASSERT_TRUE(forged.ParseFromString(node::SignEnvelope(*court_, body)));
  (*forged.mutable_signature())[3] ^= 0x10;
  ExpectRefusedTx(forged.SerializeAsString(), court_->public_key(), 400, "BAD_SIGNATURE");
  pb::TxStatus status = SubmitAndWait(node::SignEnvelope(*court_, body));
  ASSERT_EQ(status.code(), pb::Status::OK);

  std::string after = scrape();
  const std::string refused = "onechain_submissions_refused_total{code=\"BAD_SIGNATURE\"}";
  EXPECT_EQ(MetricValue(after, refused), MetricValue(before, refused) + 1);
  EXPECT_GE(MetricValue(after, "onechain_submissions_admitted_total"),
            MetricValue(before, "onechain_submissions_admitted_total") + 1);
  EXPECT_GE(MetricValue(after, "onechain_transactions_committed_total"),
            MetricValue(before, "onechain_transactions_committed_total") + 1);
  EXPECT_GE(MetricValue(after, "onechain_commit_latency_seconds_count"),
            MetricValue(before, "onechain_commit_latency_seconds_count") + 1);
  EXPECT_GT(MetricValue(after, "onechain_commit_latency_seconds_sum"),
            MetricValue(before, "onechain_commit_latency_seconds_sum"));
  EXPECT_GE(MetricValue(after, "onechain_height"), static_cast<double>(status.height()));
  EXPECT_EQ(MetricValue(after, "onechain_commit_latency_seconds_bucket{le=\"+Inf\"}"),
            MetricValue(after, "onechain_commit_latency_seconds_count"));
  EXPECT_GT(MetricValue(after, "onechain_rocksdb_keys") +
                MetricValue(after, "onechain_rocksdb_memtable_bytes"),
            0);

  // Every series the Grafana dashboard charts is one the node exports (the consensus ones only
  // with several validators).
  std::ifstream file(std::string(ONECHAIN_SOURCE_DIR) + "/deploy/grafana-dashboard.json");
  nlohmann::json dashboard = nlohmann::json::parse(file);
  std::regex name("onechain_[a-z_]+");
  size_t charted = 0;
  for (const auto& panel : dashboard["panels"]) {
    for (const auto& target : panel["targets"]) {
      std::string expr = target["expr"];
      for (std::sregex_iterator it(expr.begin(), expr.end(), name), end; it != end; ++it) {
        std::string series = it->str();
        if (series.starts_with("onechain_consensus_") || series.starts_with("onechain_peer_")) {
          continue;
        }
        ++charted;
        EXPECT_NE(after.find("# TYPE " + std::regex_replace(series, std::regex("_bucket$"), "")),
                  std::string::npos)
            << series << " is charted but not exported";
      }
    }
  }
  EXPECT_GE(charted, 8u);
}

TEST_F(ApiTest, CliQueriesAndSendsTransactions) {
  const std::string node_url = cluster_->base_url();
  CommandResult health = Cli({"query", "health", "--node", node_url, "--json"});
  ASSERT_EQ(health.exit_code, 0) << health.err;
  Result<pb::Health> parsed_health = ParseJson<pb::Health>(health.out);
  ASSERT_TRUE(parsed_health.ok()) << parsed_health.status().ToString();
  EXPECT_EQ(parsed_health->chain_id(), chain_id());
  EXPECT_EQ(parsed_health->height(), Height());

  CommandResult orgs = Cli({"query", "orgs", "--node", node_url, "--json"});
  ASSERT_EQ(orgs.exit_code, 0) << orgs.err;
  Result<pb::OrgList> parsed_orgs = ParseJson<pb::OrgList>(orgs.out);
  ASSERT_TRUE(parsed_orgs.ok()) << parsed_orgs.status().ToString();
  std::set<std::string> org_ids;
  for (const pb::Org& org : parsed_orgs->orgs()) org_ids.insert(org.id());
  EXPECT_EQ(org_ids, (std::set<std::string>{"association", "court", "market", "social", "tax"}));

  std::string clerk_pem = cluster_->dir() + "/cli-clerk.pem";
  CommandResult key = Cli({"keys", "new", "--out", clerk_pem, "--json"});
  ASSERT_EQ(key.exit_code, 0) << key.err;
  nlohmann::json key_info = nlohmann::json::parse(key.out, nullptr, false);
  ASSERT_TRUE(key_info.is_object()) << key.out;
  const std::string clerk_id = key_info.value("accountId", "");
  ASSERT_EQ(clerk_id.size(), 40u) << key.out;

  uint64_t court_nonce = NextNonce(*court_);
  std::vector<std::string> register_clerk = {"tx",
                                             "send",
                                             "register-account",
                                             "--key",
                                             cluster_->admin_key_path("court"),
                                             "--public-key-from",
                                             clerk_pem,
                                             "--role",
                                             "clerk",
                                             "--name",
                                             "CLI clerk",
                                             "--node",
                                             node_url,
                                             "--json"};
  CommandResult sent = Cli(register_clerk);
  ASSERT_EQ(sent.exit_code, 0) << sent.err;
  Result<pb::TxStatus> sent_status = ParseJson<pb::TxStatus>(sent.out);
  ASSERT_TRUE(sent_status.ok()) << sent_status.status().ToString();
  EXPECT_EQ(sent_status->state(), pb::TxStatus::COMMITTED);
  EXPECT_EQ(sent_status->code(), pb::Status::OK);
  EXPECT_EQ(sent_status->record_id(), clerk_id);
  EXPECT_EQ(sent_status->body().nonce(), court_nonce);
  EXPECT_EQ(NextNonce(*court_), court_nonce + 1);

  CommandResult account = Cli({"query", "account", clerk_id, "--node", node_url, "--json"});
  ASSERT_EQ(account.exit_code, 0) << account.err;
  Result<pb::Account> parsed_account = ParseJson<pb::Account>(account.out);
  ASSERT_TRUE(parsed_account.ok()) << parsed_account.status().ToString();
  EXPECT_EQ(parsed_account->org_id(), "court");
  ASSERT_EQ(parsed_account->roles_size(), 1);
  EXPECT_EQ(parsed_account->roles(0), pb::ROLE_CLERK);
  EXPECT_EQ(parsed_account->display_name(), "CLI clerk");

  CommandResult tx = Cli({"query", "tx", sent_status->hash(), "--node", node_url});
  ASSERT_EQ(tx.exit_code, 0) << tx.err;
  EXPECT_NE(tx.out.find("COMMITTED"), std::string::npos) << tx.out;

  // Registering the same key again commits with ALREADY_EXISTS: exit 1, the code on stderr, and
  // the failed action still consumed the admin's nonce.
  CommandResult again = Cli(register_clerk);
  EXPECT_EQ(again.exit_code, 1);
  EXPECT_EQ(again.err.rfind("error: ALREADY_EXISTS: ", 0), 0u) << again.err;
  EXPECT_EQ(NextNonce(*court_), court_nonce + 2);

  // Refused at admission: a clerk may not register accounts; nothing changes.
  Snapshot before = TakeSnapshot(court_->public_key());
  CommandResult unauthorized = Cli({"tx", "send", "register-account", "--key", clerk_pem,
                                    "--public-key", ToHex(NewKey()->public_key()), "--role",
                                    "clerk", "--name", "nobody", "--node", node_url});
  EXPECT_EQ(unauthorized.exit_code, 1);
  EXPECT_EQ(unauthorized.err.rfind("error: UNAUTHORIZED: ", 0), 0u) << unauthorized.err;
  EXPECT_TRUE(unauthorized.out.empty()) << unauthorized.out;
  ExpectUnchanged(before, court_->public_key());

  CommandResult missing = Cli({"query", "account", std::string(40, 'e'), "--node", node_url});
  EXPECT_EQ(missing.exit_code, 1);
  EXPECT_EQ(missing.err.rfind("error: NOT_FOUND: ", 0), 0u) << missing.err;

  Result<int> closed_port = PickFreePort();
  ASSERT_TRUE(closed_port.ok());
  CommandResult unreachable =
      Cli({"query", "health", "--node", "http://127.0.0.1:" + std::to_string(*closed_port)});
  EXPECT_EQ(unreachable.exit_code, 1);
  EXPECT_EQ(unreachable.err.rfind("error: UNAVAILABLE: ", 0), 0u) << unreachable.err;

  CommandResult usage = Cli({"tx", "send", "register-account", "--node", node_url});
  EXPECT_GE(usage.exit_code, 2) << usage.err;
  EXPECT_FALSE(usage.err.empty());
}

}  // namespace
}  // namespace onechain::integration
