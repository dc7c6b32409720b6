// The API's bad-input suite: several hundred malformed, oversized, replayed, mis-signed and
// unauthorized requests against one real node. Each must be answered with a 4xx status and a JSON
// body naming a code and a sentence, never a 5xx or a dropped connection; afterwards nothing has
// changed (height, pending transactions, the signers' accounts) and the node still commits.
#include <gtest/gtest.h>
#include <httplib.h>

#include <chrono>
#include <map>
#include <nlohmann/json.hpp>
#include <random>
#include <set>
#include <thread>

#include "api/request_auth.h"
#include "node/envelope.h"
#include "node/node.h"
#include "test_cluster.h"
#include "util/bytes.h"

namespace onechain::integration {
namespace {

constexpr size_t kRequestsMin = 300;  // the issue's floor for the suite

struct BadRequest {
  std::string name;  // what is wrong, for the failure message
  std::string method = "GET";
  std::string path;  // with the query
  std::string body;
  std::string content_type = "application/octet-stream";
  httplib::Headers headers;
  std::string code;  // the expected code, or empty for "any 4xx code"
};

struct Outcome {
  int status = 0;
  std::string code;
  std::string message;
};

int64_t UnixNow() {
  return std::chrono::duration_cast<std::chrono::seconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

httplib::Headers SignedHeaders(const crypto::PrivateKey& key, const std::string& method,
                               const std::string& path, const std::string& query,
                               const std::string& body, int64_t created) {
  api::SignatureHeaders h =
      api::SignRequest(key, {method, path, query, body}, created, api::RandomNonce());
  return {{"Content-Digest", h.content_digest},
          {"Signature-Input", h.signature_input},
          {"Signature", h.signature}};
}

class BadInputSuite : public ::testing::Test {
 protected:
  void SetUp() override {
    auto cluster = TestCluster::Create("bad-input");
    ASSERT_TRUE(cluster.ok()) << cluster.status().ToString();
    cluster_ = std::move(*cluster);
    ASSERT_TRUE(cluster_->Start().ok()) << cluster_->LogTail();
    api_ = std::make_unique<NodeApi>(cluster_->base_url());
    auto court = cluster_->LoadAdminKey("court");
    ASSERT_TRUE(court.ok());
    court_ = std::move(*court);
  }

  void TearDown() override {
    if (HasFailure()) std::cerr << cluster_->LogTail() << "\n";
  }

  const std::string& chain_id() const { return cluster_->chain_id(); }

  std::unique_ptr<crypto::PrivateKey> NewKey() {
    auto key = crypto::GenerateKey(cluster_->genesis().suite());
    EXPECT_TRUE(key.ok());
    return std::move(*key);
  }

  uint64_t NextNonce(const crypto::PrivateKey& key) {
    auto account = GetMessage<pb::Account>(*api_, "/v1/keys/" + ToHex(key.public_key()));
    return account.ok() ? account->nonce() + 1 : 1;
  }

  // Submits and waits for the commit; returns the receipt's record id.
  std::string Commit(const std::string& envelope) {
    auto reply = api_->PostBinary("/v1/tx?wait_ms=20000", envelope);
    EXPECT_TRUE(reply.ok() && reply->status == 200) << (reply.ok() ? reply->body : "no reply");
    if (!reply.ok()) return "";
    auto status = ParseJson<pb::TxStatus>(reply->body);
    EXPECT_TRUE(status.ok());
    EXPECT_EQ(status->state(), pb::TxStatus::COMMITTED) << reply->body;
    EXPECT_EQ(status->code(), pb::Status::OK) << status->message();
    return status->record_id();
  }

  std::unique_ptr<crypto::PrivateKey> RegisterCourtMember(pb::Role role) {
    auto key = NewKey();
    Commit(node::SignEnvelope(*court_, RegisterBody(chain_id(), *court_, NextNonce(*court_),
                                                    key->public_key(), role, "court member")));
    return key;
  }

  Outcome Send(httplib::Client& http, const BadRequest& r) {
    httplib::Result result(nullptr, httplib::Error::Unknown);
    if (r.method == "GET") {
      result = http.Get(r.path, r.headers);
    } else if (r.method == "POST") {
      result = http.Post(r.path, r.headers, r.body, r.content_type);
    } else if (r.method == "PUT") {
      result = http.Put(r.path, r.headers, r.body, r.content_type);
    } else if (r.method == "DELETE") {
      result = http.Delete(r.path, r.headers);
    } else {
      result = http.Patch(r.path, r.headers, r.body, r.content_type);
    }
    Outcome outcome;
    if (!result) return outcome;
    outcome.status = result->status;
    auto json = nlohmann::json::parse(result->body, nullptr, false);
    if (json.is_object() && json.contains("code") && json["code"].is_string() &&
        json.contains("message") && json["message"].is_string()) {
      outcome.code = json["code"];
      outcome.message = json["message"];
    }
    return outcome;
  }

  std::unique_ptr<TestCluster> cluster_;
  std::unique_ptr<NodeApi> api_;
  std::unique_ptr<crypto::PrivateKey> court_;
};

// Every action of the TxBody oneof, left empty: its name and a body that carries it.
std::vector<std::pair<std::string, pb::TxBody>> EveryEmptyAction(pb::TxBody base) {
  std::vector<std::pair<std::string, pb::TxBody>> out;
  const auto* oneof = pb::TxBody::descriptor()->FindOneofByName("action");
  for (int i = 0; i < oneof->field_count(); ++i) {
    const auto* field = oneof->field(i);
    pb::TxBody body = base;
    body.GetReflection()->MutableMessage(&body, field);
    out.emplace_back(std::string(field->name()), std::move(body));
  }
  return out;
}

TEST_F(BadInputSuite, EveryBadRequestIsA4xxWithItsCodeAndChangesNothing) {
  // Accounts the requests use: a clerk (a court account with no right to act), a self-registered
  // creditor, and a key of no account; one committed transaction to replay.
  auto clerk = RegisterCourtMember(pb::ROLE_CLERK);
  auto creditor = NewKey();
  Commit(node::SignEnvelope(*creditor, SelfRegisterBody(chain_id(), *creditor, "Supplier Co.")));
  auto stranger = NewKey();
  pb::TxBody committed_body = RegisterBody(chain_id(), *court_, NextNonce(*court_),
                                           NewKey()->public_key(), pb::ROLE_CLERK, "second clerk");
  const std::string committed = node::SignEnvelope(*court_, committed_body);
  Commit(committed);
  const uint64_t court_nonce = NextNonce(*court_);

  std::vector<BadRequest> requests;
  auto post_tx = [&](std::string name, std::string bytes, std::string code = "") {
    requests.push_back({std::move(name), "POST", "/v1/tx", std::move(bytes),
                        "application/octet-stream", {}, std::move(code)});
  };

  // --- malformed envelopes -------------------------------------------------------------------
  std::mt19937_64 random(20261129);
  for (int i = 0; i < 40; ++i) {
    std::string junk(1 + random() % 600, '\0');
    for (char& c : junk) c = static_cast<char>(random());
    post_tx("random bytes #" + std::to_string(i), junk);
  }
  const std::string fresh = node::SignEnvelope(
      *court_, RegisterBody(chain_id(), *court_, court_nonce, NewKey()->public_key(),
                            pb::ROLE_CLERK, "third clerk"));
  for (size_t cut = 0; cut < fresh.size(); cut += std::max<size_t>(1, fresh.size() / 30)) {
    post_tx("envelope cut to " + std::to_string(cut) + " bytes", fresh.substr(0, cut));
  }
  for (int i = 0; i < 40; ++i) {
    std::string flipped = fresh;
    size_t at = (i * 7919) % flipped.size();
    flipped[at] = static_cast<char>(flipped[at] ^ (1 << (i % 8)));
    post_tx("bit " + std::to_string(i % 8) + " of byte " + std::to_string(at) + " flipped",
            flipped);
  }
  pb::SignedTx no_signature;
  no_signature.set_body(committed_body.SerializeAsString());
  post_tx("envelope without a signature", no_signature.SerializeAsString(), "BAD_SIGNATURE");
  for (int size : {0, 1, 63, 65, 128}) {
    pb::SignedTx envelope;
    envelope.set_body(committed_body.SerializeAsString());
    envelope.set_signature(std::string(size, 'x'));
    post_tx("signature of " + std::to_string(size) + " bytes", envelope.SerializeAsString());
  }

  // --- JSON bodies that are not a SignedTx ---------------------------------------------------
  for (const char* json : {"", "{", "[]", "null", "42", "\"text\"", "{\"body\": 5}",
                           "{\"body\": \"not base64!\"}", "{\"body\": \"\", \"signature\": []}",
                           "{\"unknownField\": true}", "{\"body\": {\"nested\": 1}}",
                           "{\"body\": \"AAAA\", \"signature\": \"AAAA\"}",
                           "{\"signature\": \"" "////" "\"}", "{\"body\": \"\\u0000\"}",
                           "[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]",
                           "{\"body\": \"AA==\", \"body\": \"AA==\"}",
                           "{\"body\": 1e400}", "\xff\xfe{}", "{\"body\": true}",
                           "{\"signature\": null, \"body\": null, \"x\": 1}"}) {
    requests.push_back(
        {std::string("JSON body ") + json, "POST", "/v1/tx", json, "application/json", {}, ""});
  }

  // --- oversized ----------------------------------------------------------------------------
  post_tx("body of 300 KiB", std::string(300 << 10, '\x0a'), "TOO_LARGE");
  post_tx("body of 2 MiB", std::string(2 << 20, 'x'), "TOO_LARGE");
  {
    pb::SignedTx big;
    big.set_body(std::string(node::kEnvelopeBytesMax + 10, 'b'));
    big.set_signature(std::string(64, 's'));
    post_tx("envelope over the limit", big.SerializeAsString(), "TOO_LARGE");
  }
  requests.push_back({"batch body of 3 MiB", "POST", "/v1/txs", std::string(3 << 20, '\x0a'),
                      "application/octet-stream", {}, "TOO_LARGE"});
  requests.push_back({"path of 20,000 characters", "GET", "/v1/cases/" + std::string(20000, 'a'),
                      "", "", {}, ""});
  requests.push_back({"query of 20,000 characters", "GET", "/v1/cases?q=" + std::string(20000, 'q'),
                      "", "", {}, ""});
  requests.push_back({"search text over its bound", "GET", "/v1/cases?q=" + std::string(2000, 'q'),
                      "", "", {}, ""});
  requests.push_back({"page size far over its bound", "GET", "/v1/cases?page_size=100000000", "",
                      "", {}, ""});
  requests.push_back({"signature header over its bound", "GET", "/v1/me", "", "",
                      {{"Signature", std::string(4000, 'S')}, {"Signature-Input", "x"},
                       {"Content-Digest", "y"}},
                      ""});
  requests.push_back({"wait_ms over its bound", "POST", "/v1/tx?wait_ms=999999999", fresh,
                      "application/octet-stream", {}, ""});

  // --- replayed --------------------------------------------------------------------------------
  for (int i = 0; i < 8; ++i) post_tx("committed transaction replayed #" + std::to_string(i),
                                      committed);
  for (uint64_t nonce : {uint64_t{1}, court_nonce - 1, court_nonce + 1, court_nonce + 1000}) {
    post_tx("court admin transaction with nonce " + std::to_string(nonce),
            node::SignEnvelope(*court_, RegisterBody(chain_id(), *court_, nonce,
                                                     NewKey()->public_key(), pb::ROLE_CLERK, "c")));
  }
  {
    pb::TxBody again = SelfRegisterBody(chain_id(), *creditor, "Supplier Co. again");
    post_tx("second self-registration of one key", node::SignEnvelope(*creditor, again));
  }

  // --- mis-signed ----------------------------------------------------------------------------
  for (int i = 0; i < 10; ++i) {
    pb::SignedTx envelope;
    ASSERT_TRUE(envelope.ParseFromString(fresh));
    envelope.set_signature(NewKey()->Sign(envelope.body()));
    post_tx("signed by another key #" + std::to_string(i), envelope.SerializeAsString(),
            "BAD_SIGNATURE");
  }
  for (int i = 0; i < 10; ++i) {
    pb::SignedTx envelope;
    ASSERT_TRUE(envelope.ParseFromString(fresh));
    (*envelope.mutable_signature())[i * 6] ^= 0x40;
    post_tx("signature byte " + std::to_string(i * 6) + " changed", envelope.SerializeAsString(),
            "BAD_SIGNATURE");
  }
  for (const char* chain : {"", "another-chain", "onechain-test"}) {
    pb::TxBody body = RegisterBody(chain, *court_, court_nonce, NewKey()->public_key(),
                                   pb::ROLE_CLERK, "clerk");
    post_tx(std::string("for chain '") + chain + "'", node::SignEnvelope(*court_, body),
            "WRONG_CHAIN");
  }
  for (pb::Suite suite : {pb::SUITE_UNSPECIFIED, cluster_->genesis().suite() == pb::SUITE_INTL
                                                     ? pb::SUITE_SM
                                                     : pb::SUITE_INTL}) {
    pb::TxBody body = RegisterBody(chain_id(), *court_, court_nonce, NewKey()->public_key(),
                                   pb::ROLE_CLERK, "clerk");
    body.set_suite(suite);
    post_tx("suite " + pb::Suite_Name(suite), node::SignEnvelope(*court_, body), "WRONG_SUITE");
  }
  {
    pb::TxBody body = RegisterBody(chain_id(), *court_, court_nonce, NewKey()->public_key(),
                                   pb::ROLE_CLERK, "clerk");
    body.set_signer(body.signer().substr(1));
    post_tx("signer key one byte short", node::SignEnvelope(*court_, body), "BAD_SIGNATURE");
  }

  // --- unauthorized: every action by a key of no account, by a clerk, by a creditor ----------
  // The actions a creditor's account may never do: the judge's and the administrator's.
  const std::set<std::string> not_for_creditors = {
      "register_account",    "set_account_roles",      "revoke_account",     "add_roster_firm",
      "set_roster_firm_active", "accept_case",          "appoint_administrator", "set_claim_period",
      "terminate_case",      "replace_administrator",  "add_known_creditor", "bind_creditor_account",
      "send_claim_notice",   "list_employee_claim",    "request_material",   "review_claim",
      "send_review_notice",  "set_temporary_voting_amount", "confirm_claims", "convene_meeting",
      "add_motion",          "close_motion",           "propose_plan",       "propose_distribution",
      "approve_plan",        "record_payment",         "publish_recruitment", "declare_record_types",
      "request_records",     "answer_records",         "revoke_grant",       "record_access"};
  size_t creditor_refusals_by_role = 0;
  struct Signer {
    std::string who;
    const crypto::PrivateKey* key;
  };
  for (const Signer& signer : {Signer{"a key of no account", stranger.get()},
                               Signer{"a clerk", clerk.get()},
                               Signer{"a creditor", creditor.get()}}) {
    for (auto& [action, body] :
         EveryEmptyAction(NewBody(chain_id(), *signer.key, NextNonce(*signer.key)))) {
      std::string code;
      if (signer.key == stranger.get() && action != "self_register") code = "UNKNOWN_SIGNER";
      if (signer.key == creditor.get() && not_for_creditors.count(action)) {
        code = "UNAUTHORIZED";
        ++creditor_refusals_by_role;
      }
      post_tx(action + " by " + signer.who, node::SignEnvelope(*signer.key, body), code);
    }
  }
  EXPECT_EQ(creditor_refusals_by_role, not_for_creditors.size());

  // --- signed reads gone wrong -----------------------------------------------------------------
  auto read = [&](std::string name, httplib::Headers headers, std::string code) {
    requests.push_back({std::move(name), "GET", "/v1/me", "", "", std::move(headers),
                        std::move(code)});
  };
  read("unsigned read of /v1/me", {}, "UNAUTHENTICATED");
  read("signed for another path", SignedHeaders(*clerk, "GET", "/v1/orgs", "", "", UnixNow()),
       "UNAUTHENTICATED");
  read("signed for a query it lacks",
       SignedHeaders(*clerk, "GET", "/v1/me", "x=1", "", UnixNow()), "UNAUTHENTICATED");
  read("signed as a POST", SignedHeaders(*clerk, "POST", "/v1/me", "", "", UnixNow()),
       "UNAUTHENTICATED");
  read("signed over a body", SignedHeaders(*clerk, "GET", "/v1/me", "", "body", UnixNow()),
       "UNAUTHENTICATED");
  for (int64_t skew : {-3600, -330, 330, 86400}) {
    read("created " + std::to_string(skew) + " s away",
         SignedHeaders(*clerk, "GET", "/v1/me", "", "", UnixNow() + skew), "UNAUTHENTICATED");
  }
  read("signed by a key of no account",
       SignedHeaders(*stranger, "GET", "/v1/me", "", "", UnixNow()), "UNAUTHENTICATED");
  httplib::Headers replayed = SignedHeaders(*clerk, "GET", "/v1/me", "", "", UnixNow());
  {
    httplib::Client first(cluster_->base_url());
    auto ok = first.Get("/v1/me", replayed);
    ASSERT_TRUE(ok && ok->status == 200) << (ok ? ok->body : "no reply");
  }
  read("replay of an accepted signed read", replayed, "UNAUTHENTICATED");
  for (const char* header : {"Signature", "Signature-Input", "Content-Digest"}) {
    httplib::Headers missing;
    for (const auto& [name, value] : SignedHeaders(*clerk, "GET", "/v1/me", "", "", UnixNow())) {
      if (name != header) missing.emplace(name, value);
    }
    read(std::string("signed read without ") + header, missing, "UNAUTHENTICATED");
  }
  for (const char* mangle : {"alg=\"rsa\"", "keyid=\"zz\"", "nonce=\"a\"", "created=soon"}) {
    httplib::Headers headers = SignedHeaders(*clerk, "GET", "/v1/me", "", "", UnixNow());
    for (auto& [name, value] : headers) {
      if (name == "Signature-Input") value += ";" + std::string(mangle);
    }
    read(std::string("Signature-Input with ") + mangle, headers, "UNAUTHENTICATED");
  }

  // --- bad paths and parameters ------------------------------------------------------------------
  auto get = [&](std::string path, std::string code = "") {
    requests.push_back({"GET " + path.substr(0, 80), "GET", path, "", "", {}, std::move(code)});
  };
  for (const char* path :
       {"/v1/cases?page_size=-1", "/v1/cases?page_size=abc", "/v1/cases?page_size=",
        "/v1/cases?page_token=%ff%fe", "/v1/cases?page_token=-5", "/v1/cases?procedure=bogus",
        "/v1/cases?status=bogus", "/v1/cases?accepted_from=2026-13-01",
        "/v1/cases?accepted_to=yesterday", "/v1/cases?credit_code=123",
        "/v1/recruitments?page_size=0x10", "/v1/tx/zz", "/v1/tx/" "0123",
        "/v1/tx/00?wait_ms=-5", "/v1/blocks/99999999999999999999999", "/v1/blocks/-1",
        "/v1/blocks/abc", "/v1/accounts/XYZ", "/v1/accounts/" "0000000000000000000000000000000000000000",
        "/v1/keys/nothex", "/v1/cases/00000000000000000000000000000000",
        "/v1/cases/0000000000000000000000000000000g", "/v1/claims/00000000000000000000000000000000",
        "/v1/plans/00000000000000000000000000000000", "/v1/proofs/consistency?from=5&to=2",
        "/v1/proofs/consistency?from=abc&to=1", "/v1/proofs/consistency",
        "/v1/proofs/tx/" "00000000000000000000000000000000000000000000000000000000000000zz",
        "/v1/proofs/state/", "/v1/nothing-here", "/v1", "/v1/../../etc/passwd",
        "/v1/cases/%00", "/v1/me/notices", "/v1/me/claims"}) {
    get(path);
  }
  for (const char* method : {"PUT", "DELETE", "PATCH"}) {
    for (const char* path : {"/v1/tx", "/v1/cases", "/v1/health"}) {
      requests.push_back({std::string(method) + " " + path, method, path, "x",
                          "application/octet-stream", {}, ""});
    }
  }
  requests.push_back({"POST to a read route", "POST", "/v1/health", "x",
                      "application/octet-stream", {}, ""});

  ASSERT_GE(requests.size(), kRequestsMin);

  // --- the run ----------------------------------------------------------------------------------
  auto health_before = GetMessage<pb::Health>(*api_, "/v1/health");
  ASSERT_TRUE(health_before.ok());
  std::map<std::string, std::string> accounts_before;
  for (const crypto::PrivateKey* key : {court_.get(), clerk.get(), creditor.get()}) {
    accounts_before[key->public_key()] = *api_->GetJson("/v1/keys/" + ToHex(key->public_key()));
  }

  httplib::Client http(cluster_->base_url());
  http.set_read_timeout(30, 0);
  std::map<int, int> by_status;
  for (const BadRequest& request : requests) {
    Outcome outcome = Send(http, request);
    ++by_status[outcome.status];
    EXPECT_GE(outcome.status, 400) << request.name;
    EXPECT_LT(outcome.status, 500) << request.name;
    EXPECT_FALSE(outcome.code.empty()) << request.name << ": no JSON code";
    EXPECT_FALSE(outcome.message.empty()) << request.name << ": no sentence";
    if (!request.code.empty()) {
      EXPECT_EQ(outcome.code, request.code) << request.name << ": " << outcome.message;
    }
  }
  std::cout << requests.size() << " bad requests:";
  for (auto [status, count] : by_status) std::cout << " " << count << "×" << status;
  std::cout << "\n";

  // Nothing changed: no block, nothing pending, no account touched.
  std::this_thread::sleep_for(std::chrono::milliseconds(3 * node::kBlockIntervalMs));
  auto health_after = GetMessage<pb::Health>(*api_, "/v1/health");
  ASSERT_TRUE(health_after.ok()) << cluster_->LogTail();
  EXPECT_EQ(health_after->height(), health_before->height());
  EXPECT_EQ(health_after->pending_txs(), 0u);
  for (const auto& [key, json] : accounts_before) {
    EXPECT_EQ(*api_->GetJson("/v1/keys/" + ToHex(key)), json);
  }
  // And the node is live: the next good transaction commits.
  EXPECT_EQ(NextNonce(*court_), court_nonce);
  Commit(fresh);
  EXPECT_TRUE(cluster_->running());
}

}  // namespace
}  // namespace onechain::integration
