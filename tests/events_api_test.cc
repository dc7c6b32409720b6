// GET /v1/events, webhooks and response-time figures over HTTP against a real node process: who
// sees which event (the public, a creditor, another creditor, the tax bureau, a token holder),
// resuming with Last-Event-ID, live delivery, filters and bad input, the cap on streams; a
// webhook whose receiver fails its first tries, signed payloads, the delivery log and a node
// restart that resumes delivery from the durable cursor; department response times.
#include <gtest/gtest.h>
#include <httplib.h>
#include <openssl/hmac.h>

#include <atomic>
#include <chrono>
#include <functional>
#include <map>
#include <mutex>
#include <set>
#include <thread>

#include "api/request_auth.h"
#include "events.pb.h"
#include "node/envelope.h"
#include "test_cluster.h"
#include "util/bytes.h"

namespace onechain::integration {
namespace {

constexpr int64_t kDayMs = 24 * 3'600'000LL;
constexpr const char* kSupplierCode = "914403000000000001";
constexpr const char* kBankCode = "914403000000000002";
constexpr const char* kBureauCode = "11440300MB2C92920D";

struct SseEvent {
  std::string id, type;
  pb::Event event;
};

struct StreamRead {
  int status = 0;
  std::string raw;
  std::vector<SseEvent> events;
};

httplib::Headers SignedHeaders(const crypto::PrivateKey* signer, const std::string& method,
                               const std::string& path, const std::string& body = "") {
  if (signer == nullptr) return {};
  size_t question = path.find('?');
  std::string query = question == std::string::npos ? "" : path.substr(question + 1);
  int64_t now = std::chrono::duration_cast<std::chrono::seconds>(
                    std::chrono::system_clock::now().time_since_epoch())
                    .count();
  api::SignatureHeaders h = api::SignRequest(
      *signer, {method, path.substr(0, question), query, body}, now, api::RandomNonce());
  return {{"Content-Digest", h.content_digest},
          {"Signature-Input", h.signature_input},
          {"Signature", h.signature}};
}

std::vector<SseEvent> ParseFrames(const std::string& raw) {
  std::vector<SseEvent> out;
  size_t start = 0;
  while (true) {
    size_t end = raw.find("\n\n", start);
    if (end == std::string::npos) break;
    std::string frame = raw.substr(start, end - start);
    start = end + 2;
    SseEvent e;
    std::string data;
    size_t line_start = 0;
    while (line_start < frame.size()) {
      size_t line_end = frame.find('\n', line_start);
      if (line_end == std::string::npos) line_end = frame.size();
      std::string line = frame.substr(line_start, line_end - line_start);
      line_start = line_end + 1;
      if (line.rfind("id: ", 0) == 0) e.id = line.substr(4);
      if (line.rfind("event: ", 0) == 0) e.type = line.substr(7);
      if (line.rfind("data: ", 0) == 0) data = line.substr(6);
    }
    if (e.id.empty()) continue;
    auto parsed = ParseJson<pb::Event>(data);
    EXPECT_TRUE(parsed.ok()) << parsed.status().ToString();
    if (parsed.ok()) e.event = *parsed;
    out.push_back(std::move(e));
  }
  return out;
}

// Reads the stream at `path` until `done(raw)` or `timeout_ms`.
StreamRead ReadStream(const std::string& base_url, const std::string& path,
                      const crypto::PrivateKey* signer, httplib::Headers extra,
                      const std::function<bool(const std::string&)>& done,
                      int64_t timeout_ms = 20'000) {
  StreamRead out;
  httplib::Client client(base_url);
  client.set_read_timeout(std::chrono::milliseconds(timeout_ms));
  httplib::Headers headers = SignedHeaders(signer, "GET", path);
  headers.insert(extra.begin(), extra.end());
  auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
  auto result = client.Get(
      path, headers,
      [&](const httplib::Response& res) {
        out.status = res.status;
        return true;
      },
      [&](const char* data, size_t length) {
        out.raw.append(data, length);
        return !done(out.raw) && std::chrono::steady_clock::now() < deadline;
      });
  if (result && out.status == 0) out.status = result->status;
  out.events = ParseFrames(out.raw);
  return out;
}

// Until the stream is caught up: its first heartbeat comes once nothing is left to send.
bool UntilHeartbeat(const std::string& raw) { return raw.find(": heartbeat") != std::string::npos; }

class EventsApiTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto cluster = TestCluster::Create("events");
    ASSERT_TRUE(cluster.ok()) << cluster.status().ToString();
    cluster_ = std::move(*cluster);
    ASSERT_TRUE(cluster_->Start().ok()) << cluster_->LogTail();
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
    supplier_ = SelfRegistered("Shenzhen Supply Co.", kSupplierCode);
    bank_ = SelfRegistered("Bank of Example", kBankCode);
  }

  void TearDown() override {
    if (HasFailure()) std::cerr << cluster_->LogTail() << "\n";
  }

  static std::unique_ptr<crypto::PrivateKey> NewKey() {
    auto key = crypto::GenerateKey(pb::SUITE_INTL);
    EXPECT_TRUE(key.ok());
    return std::move(*key);
  }

  std::unique_ptr<crypto::PrivateKey> SelfRegistered(const std::string& name,
                                                     const std::string& code) {
    std::unique_ptr<crypto::PrivateKey> key = NewKey();
    Ok(*key, [&](pb::TxBody& b) {
      b.mutable_self_register()->set_display_name(name);
      b.mutable_self_register()->set_party_kind(pb::PARTY_KIND_FIRM);
      b.mutable_self_register()->set_id_number(code);
    });
    return key;
  }

  NodeApi Api() const { return NodeApi(cluster_->base_url()); }

  uint64_t Nonce(const crypto::PrivateKey& key) const {
    auto account = GetMessage<pb::Account>(Api(), "/v1/keys/" + ToHex(key.public_key()));
    return account.ok() ? account->nonce() : 0;
  }
  std::string AccountId(const crypto::PrivateKey& key) const {
    auto account = GetMessage<pb::Account>(Api(), "/v1/keys/" + ToHex(key.public_key()));
    return account.ok() ? account->id() : "";
  }

  std::string Ok(const crypto::PrivateKey& signer, const std::function<void(pb::TxBody&)>& fill) {
    pb::TxBody body = NewBody(cluster_->chain_id(), signer, Nonce(signer) + 1);
    fill(body);
    auto reply = Api().PostBinary("/v1/tx?wait_ms=20000", node::SignEnvelope(signer, body));
    EXPECT_TRUE(reply.ok());
    if (!reply.ok()) return "";
    auto status = ParseJson<pb::TxStatus>(reply->body);
    EXPECT_TRUE(status.ok()) << reply->body;
    if (!status.ok()) return "";
    EXPECT_EQ(status->code(), pb::Status::OK) << status->message();
    return status->record_id();
  }

  // A case with zhonglun appointed, the supplier and the bank bound to entries, the bureau
  // listed; a declaration notice to each; the supplier acknowledges and declares.
  void BuildCase() {
    case_id_ = Ok(*judge_, [&](pb::TxBody& b) {
      auto* a = b.mutable_accept_case();
      a->set_case_number("(2026)粤03破801号");
      a->set_debtor_name("深圳市示例制造有限公司");
      a->set_debtor_credit_code("91440300MA5F8XGL06");
      a->set_procedure(pb::PROCEDURE_LIQUIDATION);
      a->set_acceptance_date("2026-11-20");
    });
    Ok(*judge_, [&](pb::TxBody& b) {
      b.mutable_appoint_administrator()->set_case_id(case_id_);
      b.mutable_appoint_administrator()->set_firm_org_id("zhonglun");
    });
    auto record = GetMessage<pb::Case>(Api(), "/v1/cases/" + case_id_);
    ASSERT_TRUE(record.ok());
    Ok(*judge_, [&](pb::TxBody& b) {
      b.mutable_set_claim_period()->set_case_id(case_id_);
      b.mutable_set_claim_period()->set_claim_period_end_ms(record->accepted_time_ms() +
                                                            31 * kDayMs);
      b.mutable_set_claim_period()->set_first_meeting_ms(record->accepted_time_ms() + 36 * kDayMs);
    });
    supplier_entry_ = BoundEntry("Shenzhen Supply Co.", kSupplierCode, *supplier_);
    bank_entry_ = BoundEntry("Bank of Example", kBankCode, *bank_);
    bureau_entry_ = Ok(*member_, [&](pb::TxBody& b) {
      auto* a = b.mutable_add_known_creditor();
      a->set_case_id(case_id_);
      a->set_kind(pb::CREDITOR_KIND_DEPARTMENT);
      a->set_org_id("tax");
      a->set_name("国家税务总局深圳市税务局");
      a->set_id_number(kBureauCode);
      a->set_service_address("Futian District, Shenzhen");
      a->set_basis("the debtor's tax registration");
    });
    supplier_notice_ = SendNotice(supplier_entry_);
    bank_notice_ = SendNotice(bank_entry_);
    Ok(*supplier_,
       [&](pb::TxBody& b) { b.mutable_acknowledge_notice()->set_notice_id(supplier_notice_); });
    supplier_claim_ = Ok(*supplier_, [&](pb::TxBody& b) {
      b.mutable_declare_claim()->set_creditor_id(supplier_entry_);
      pb::Declaration* d = b.mutable_declare_claim()->mutable_declaration();
      d->set_creditor_name("Shenzhen Supply Co.");
      d->set_creditor_id_number(kSupplierCode);
      d->set_service_address("Nanshan District, Shenzhen");
      d->set_electronic_service_consent(true);
      d->set_nature("unpaid price of goods");
      d->set_facts("contract of 2025-03-01, delivered, not paid");
      auto* p = d->add_components();
      p->set_kind(pb::COMPONENT_KIND_PRINCIPAL);
      p->set_amount(120'000'00);
      p->set_calculation("invoice total");
    });
  }

  std::string SendNotice(const std::string& entry) {
    return Ok(*member_, [&](pb::TxBody& b) {
      b.mutable_send_claim_notice()->set_creditor_id(entry);
      b.mutable_send_claim_notice()->set_text("declare on the platform by the period's end");
    });
  }

  std::string BoundEntry(const std::string& name, const std::string& code,
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
    Ok(*member_, [&](pb::TxBody& b) {
      b.mutable_bind_creditor_account()->set_creditor_id(entry);
      b.mutable_bind_creditor_account()->set_account_id(AccountId(creditor));
    });
    return entry;
  }

  StreamRead All(const crypto::PrivateKey* signer, const std::string& query = "") {
    return ReadStream(cluster_->base_url(), "/v1/events?heartbeat_ms=500" + query, signer, {},
                      UntilHeartbeat);
  }

  static std::set<std::string> RecordsOf(const StreamRead& read) {
    std::set<std::string> records;
    for (const SseEvent& e : read.events) records.insert(e.event.record_id());
    return records;
  }
  static std::vector<std::string> TypesOf(const StreamRead& read) {
    std::vector<std::string> types;
    for (const SseEvent& e : read.events) types.push_back(e.type);
    return types;
  }

  std::unique_ptr<TestCluster> cluster_;
  std::unique_ptr<crypto::PrivateKey> court_admin_, tax_admin_, judge_, officer_, firm_admin_,
      member_, supplier_, bank_;
  std::string case_id_, supplier_entry_, bank_entry_, bureau_entry_, supplier_notice_, bank_notice_,
      supplier_claim_;
};

TEST_F(EventsApiTest, EachCallerSeesWhatItMayReadAndNothingElse) {
  BuildCase();
  // The public: the case's public records only.
  StreamRead anyone = All(nullptr);
  ASSERT_EQ(anyone.status, 200) << anyone.raw;
  EXPECT_EQ(TypesOf(anyone),
            (std::vector<std::string>{"case.accepted", "case.administrator_appointed",
                                      "case.claim_period_set"}));
  for (const SseEvent& e : anyone.events) {
    EXPECT_EQ(e.event.case_id(), case_id_);
    EXPECT_EQ(e.id, e.event.id());
    EXPECT_EQ(e.id, std::to_string(e.event.height()) + "." + std::to_string(e.event.index()));
    EXPECT_GT(e.event.time_ms(), 0);
  }

  // The supplier: the public events, its entry, its notice, its acknowledgement, its claim.
  StreamRead supplier = All(supplier_.get());
  ASSERT_EQ(supplier.status, 200) << supplier.raw;
  EXPECT_EQ(TypesOf(supplier),
            (std::vector<std::string>{"case.accepted", "case.administrator_appointed",
                                      "case.claim_period_set", "creditor.listed", "creditor.bound",
                                      "notice.sent", "notice.acknowledged", "claim.declared"}));
  // The bank's entry, notice and the bureau's entry never reach it.
  for (const SseEvent& e : supplier.events) {
    EXPECT_NE(e.event.creditor_id(), bank_entry_) << e.type;
    EXPECT_NE(e.event.creditor_id(), bureau_entry_) << e.type;
    EXPECT_NE(e.event.record_id(), bank_notice_);
  }
  EXPECT_TRUE(RecordsOf(supplier).contains(supplier_claim_));
  EXPECT_EQ(supplier.raw.find(bank_entry_), std::string::npos);

  // The bank sees its own notice, none of the supplier's records.
  StreamRead bank = All(bank_.get());
  EXPECT_TRUE(RecordsOf(bank).contains(bank_notice_));
  EXPECT_FALSE(RecordsOf(bank).contains(supplier_claim_));
  EXPECT_FALSE(RecordsOf(bank).contains(supplier_notice_));
  EXPECT_EQ(bank.raw.find(supplier_entry_), std::string::npos);

  // The tax officer: the public events and its bureau's entry; the administrator: everything
  // of the case.
  StreamRead officer = All(officer_.get());
  EXPECT_TRUE(RecordsOf(officer).contains(bureau_entry_));
  EXPECT_FALSE(RecordsOf(officer).contains(supplier_claim_));
  StreamRead member = All(member_.get());
  EXPECT_EQ(member.events.size(), 12u) << member.raw;

  // Filters: one type; one case (another case's events are left out).
  StreamRead declared = All(member_.get(), "&types=claim.declared%2Cnotice.acknowledged");
  EXPECT_EQ(TypesOf(declared), (std::vector<std::string>{"notice.acknowledged", "claim.declared"}))
      << declared.status << declared.raw;
  StreamRead other_case = All(member_.get(), "&case=" + std::string(32, '0'));
  EXPECT_TRUE(other_case.events.empty());
  StreamRead this_case = All(member_.get(), "&case=" + case_id_);
  EXPECT_EQ(this_case.events.size(), 12u);

  // Bad input: a code and a sentence, no stream.
  StreamRead bad_type = All(nullptr, "&types=claim.declared%2Cno.such");
  EXPECT_EQ(bad_type.status, 400);
  EXPECT_NE(bad_type.raw.find("INVALID_ARGUMENT"), std::string::npos) << bad_type.raw;
  StreamRead bad_case = All(nullptr, "&case=xyz");
  EXPECT_EQ(bad_case.status, 400);
  StreamRead bad_id = ReadStream(cluster_->base_url(), "/v1/events", nullptr,
                                 {{"Last-Event-ID", "seven"}}, UntilHeartbeat);
  EXPECT_EQ(bad_id.status, 400);
  StreamRead unknown = All(nullptr, "&cases=" + case_id_);
  EXPECT_EQ(unknown.status, 400);
}

TEST_F(EventsApiTest, ResumesAfterLastEventIdAndFollowsNewBlocks) {
  BuildCase();
  StreamRead full = All(supplier_.get());
  ASSERT_EQ(full.events.size(), 8u);
  // Resume after the fourth event: exactly the last four follow.
  StreamRead resumed =
      ReadStream(cluster_->base_url(), "/v1/events?heartbeat_ms=500", supplier_.get(),
                 {{"Last-Event-ID", full.events[3].id}}, UntilHeartbeat);
  ASSERT_EQ(resumed.events.size(), 4u) << resumed.raw;
  for (size_t i = 0; i < 4; ++i) EXPECT_EQ(resumed.events[i].id, full.events[4 + i].id);
  // ?after= does the same for a first EventSource connection.
  StreamRead after = All(supplier_.get(), "&after=" + full.events[6].id);
  ASSERT_EQ(after.events.size(), 1u);
  EXPECT_EQ(after.events[0].type, "claim.declared");

  // A live stream hears a new act as soon as it commits; the bank's notice stays unheard.
  std::atomic<bool> opened{false};
  StreamRead live;
  std::thread reader([&] {
    live = ReadStream(cluster_->base_url(), "/v1/events?heartbeat_ms=60000", supplier_.get(),
                      {{"Last-Event-ID", full.events.back().id}}, [&](const std::string& raw) {
                        if (raw.find(": open") != std::string::npos) opened = true;
                        return raw.find("claim.withdrawn") != std::string::npos;
                      });
  });
  while (!opened) std::this_thread::sleep_for(std::chrono::milliseconds(20));
  SendNotice(bank_entry_);
  Ok(*supplier_, [&](pb::TxBody& b) {
    b.mutable_withdraw_claim()->set_claim_id(supplier_claim_);
    b.mutable_withdraw_claim()->set_reason("paid outside the case");
  });
  reader.join();
  ASSERT_EQ(live.events.size(), 1u) << live.raw;
  EXPECT_EQ(live.events[0].type, "claim.withdrawn");
  EXPECT_EQ(live.events[0].event.record_id(), supplier_claim_);
}

TEST_F(EventsApiTest, TokenForEventSourceAndTheCapOnStreams) {
  BuildCase();
  // A signed POST gets a token; the token reads as the supplier.
  httplib::Client client(cluster_->base_url());
  auto reply =
      client.Post("/v1/events/token", SignedHeaders(supplier_.get(), "POST", "/v1/events/token"),
                  "", "application/json");
  ASSERT_TRUE(reply);
  ASSERT_EQ(reply->status, 200) << reply->body;
  auto token = ParseJson<pb::EventToken>(reply->body);
  ASSERT_TRUE(token.ok());
  StreamRead with_token = All(nullptr, "&token=" + token->token());
  EXPECT_TRUE(RecordsOf(with_token).contains(supplier_claim_));
  // An unsigned POST gets none; a made-up token is refused, not read as the public.
  auto unsigned_reply = client.Post("/v1/events/token", "", "application/json");
  ASSERT_TRUE(unsigned_reply);
  EXPECT_EQ(unsigned_reply->status, 401);
  StreamRead bad_token = All(nullptr, "&token=" + std::string(48, 'a'));
  EXPECT_EQ(bad_token.status, 401);

  // kEventStreamsMax (24) streams at once; the next is told to retry.
  std::atomic<int> open{0};
  std::atomic<bool> release{false};
  std::vector<std::thread> holders;
  for (int i = 0; i < 24; ++i) {
    holders.emplace_back([&] {
      ReadStream(
          cluster_->base_url(), "/v1/events?heartbeat_ms=60000", nullptr, {},
          [&](const std::string& raw) {
            if (raw.find(": open") != std::string::npos && raw.size() < 200) {
              static std::mutex mu;
              std::lock_guard lock(mu);
              ++open;
            }
            return release.load();
          },
          30'000);
    });
  }
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  while (open < 24 && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  EXPECT_GE(open.load(), 24);
  auto refused = client.Get("/v1/events");
  ASSERT_TRUE(refused);
  EXPECT_EQ(refused->status, 503);
  EXPECT_NE(refused->body.find("UNAVAILABLE"), std::string::npos);
  release = true;
  // Each holder notices the release with its next chunk: make a public event.
  Ok(*judge_, [&](pb::TxBody& b) {
    b.mutable_accept_case()->set_case_number("(2026)粤03破802号");
    b.mutable_accept_case()->set_debtor_name("Second Co.");
    b.mutable_accept_case()->set_debtor_credit_code("91440300MA5H00001F");
    b.mutable_accept_case()->set_procedure(pb::PROCEDURE_LIQUIDATION);
    b.mutable_accept_case()->set_acceptance_date("2026-11-21");
  });
  for (std::thread& t : holders) t.join();
}

// The bureau's response time: notice -> declaration, from block times, public in aggregate.
TEST_F(EventsApiTest, DepartmentResponseTimes) {
  BuildCase();
  std::string bureau_notice = SendNotice(bureau_entry_);
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  std::string claim = Ok(*officer_, [&](pb::TxBody& b) {
    b.mutable_declare_claim()->set_creditor_id(bureau_entry_);
    pb::Declaration* d = b.mutable_declare_claim()->mutable_declaration();
    d->set_creditor_name("国家税务总局深圳市税务局");
    d->set_creditor_id_number(kBureauCode);
    d->set_service_address("Futian District, Shenzhen");
    d->set_electronic_service_consent(true);
    d->set_nature("tax arrears");
    d->set_facts("VAT 2025-09");
    auto* item = d->add_tax_items();
    item->set_tax_name("VAT");
    item->set_period("2025-09");
    item->set_tax(3'000'000);
  });
  cli::ApiClient officer(cluster_->base_url());
  officer.SignReadsWith(officer_.get());
  auto claim_json = officer.GetJson("/v1/claims/" + claim);
  ASSERT_TRUE(claim_json.ok());
  auto declared = ParseJson<pb::Claim>(*claim_json);
  auto notices_json = officer.GetJson("/v1/me/notices");
  ASSERT_TRUE(notices_json.ok());
  auto notices = ParseJson<pb::NoticeList>(*notices_json);
  ASSERT_TRUE(declared.ok() && notices.ok());
  ASSERT_EQ(notices->notices_size(), 1);
  const int64_t expected = declared->declared_time_ms() - notices->notices(0).sent_time_ms();
  EXPECT_GE(expected, 300);

  // Unsigned: anyone reads the aggregate.
  auto report = GetMessage<pb::ResponseTimeReport>(Api(), "/v1/stats/response-times?org=tax");
  ASSERT_TRUE(report.ok()) << report.status().ToString();
  ASSERT_EQ(report->by_org_size(), 1);
  EXPECT_EQ(report->by_org(0).key(), "tax");
  EXPECT_EQ(report->by_org(0).notices(), 1u);
  EXPECT_EQ(report->by_org(0).answered(), 1u);
  EXPECT_EQ(report->by_org(0).p50_ms(), expected);
  EXPECT_EQ(report->by_org(0).max_ms(), expected);
  ASSERT_EQ(report->by_case_size(), 1);
  EXPECT_EQ(report->by_case(0).key(), case_id_);
  // Creditor entries that are not departments are not counted; another case has no line.
  auto other = GetMessage<pb::ResponseTimeReport>(
      Api(), "/v1/stats/response-times?case=" + std::string(32, 'f'));
  ASSERT_TRUE(other.ok());
  EXPECT_EQ(other->by_case_size(), 0);
  auto all = GetMessage<pb::ResponseTimeReport>(Api(), "/v1/stats/response-times");
  ASSERT_TRUE(all.ok());
  ASSERT_EQ(all->by_org_size(), 1);
  auto bad = Api().Get("/v1/stats/response-times?case=nope");
  ASSERT_TRUE(bad.ok());
  EXPECT_EQ(bad->status, 400);
  (void)bureau_notice;
}

// An HTTP receiver in this process that refuses the first `fail_first` requests.
class Receiver {
 public:
  explicit Receiver(int fail_first) : fail_first_(fail_first) {
    server_.Post("/hook", [this](const httplib::Request& req, httplib::Response& res) {
      std::lock_guard lock(mu_);
      if (++calls_ <= fail_first_) {
        res.status = 500;
        return;
      }
      received_.push_back(req);
      res.status = 204;
    });
    port_ = server_.bind_to_any_port("127.0.0.1");
    thread_ = std::thread([this] { server_.listen_after_bind(); });
  }
  ~Receiver() {
    server_.stop();
    thread_.join();
  }
  std::string url() const { return "http://127.0.0.1:" + std::to_string(port_) + "/hook"; }
  std::vector<httplib::Request> received() {
    std::lock_guard lock(mu_);
    return received_;
  }
  int calls() {
    std::lock_guard lock(mu_);
    return calls_;
  }

 private:
  httplib::Server server_;
  std::thread thread_;
  int port_ = 0;
  int fail_first_;
  std::mutex mu_;
  int calls_ = 0;
  std::vector<httplib::Request> received_;
};

bool WaitUntil(const std::function<bool()>& done, int64_t ms = 30'000) {
  auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(ms);
  while (std::chrono::steady_clock::now() < deadline) {
    if (done()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  return done();
}

TEST_F(EventsApiTest, WebhookRetriesSignsAndResumesAfterRestart) {
  Receiver receiver(2);
  // Only an organization's admin registers; a bad URL is refused.
  httplib::Client client(cluster_->base_url());
  auto post = [&](const crypto::PrivateKey* signer, const std::string& body) {
    return client.Post("/v1/me/webhook", SignedHeaders(signer, "POST", "/v1/me/webhook", body),
                       body, "application/json");
  };
  auto refused = post(officer_.get(), "{\"url\": \"" + receiver.url() + "\"}");
  ASSERT_TRUE(refused);
  EXPECT_EQ(refused->status, 403);
  auto bad_url = post(tax_admin_.get(), "{\"url\": \"ftp://127.0.0.1/hook\"}");
  ASSERT_TRUE(bad_url);
  EXPECT_EQ(bad_url->status, 400);
  EXPECT_NE(bad_url->body.find("INVALID_ARGUMENT"), std::string::npos);
  auto registered = post(tax_admin_.get(), "{\"url\": \"" + receiver.url() + "\"}");
  ASSERT_TRUE(registered);
  ASSERT_EQ(registered->status, 201) << registered->body;
  auto registration = ParseJson<pb::WebhookRegistration>(registered->body);
  ASSERT_TRUE(registration.ok());
  EXPECT_EQ(registration->org_id(), "tax");
  EXPECT_EQ(registration->secret().size(), 64u);

  BuildCase();
  // The bureau sees the public case events and its entry; nothing of the supplier or the bank.
  ASSERT_TRUE(WaitUntil([&] { return receiver.received().size() >= 4; }))
      << receiver.calls() << " calls";
  std::this_thread::sleep_for(std::chrono::milliseconds(1000));
  std::vector<httplib::Request> got = receiver.received();
  std::vector<std::string> types;
  for (const httplib::Request& req : got) {
    types.push_back(req.get_header_value("OneChain-Event-Type"));
    EXPECT_EQ(req.body.find(supplier_entry_), std::string::npos);
    EXPECT_EQ(req.body.find(bank_entry_), std::string::npos);
    // The signature: HMAC-SHA256 over "<t>." + body with the secret's text as key.
    std::string header = req.get_header_value("OneChain-Signature");
    size_t comma = header.find(",v1=");
    ASSERT_EQ(header.rfind("t=", 0), 0u);
    ASSERT_NE(comma, std::string::npos);
    std::string t = header.substr(2, comma - 2);
    std::string message = t + "." + req.body;
    unsigned char mac[32];
    unsigned int length = 0;
    HMAC(EVP_sha256(), registration->secret().data(), 64,
         reinterpret_cast<const unsigned char*>(message.data()), message.size(), mac, &length);
    EXPECT_EQ(header.substr(comma + 4), ToHex(std::string(reinterpret_cast<char*>(mac), length)));
    auto event = ParseJson<pb::Event>(req.body);
    ASSERT_TRUE(event.ok());
    EXPECT_EQ(event->id(), req.get_header_value("OneChain-Event-Id"));
  }
  EXPECT_EQ(types, (std::vector<std::string>{"case.accepted", "case.administrator_appointed",
                                             "case.claim_period_set", "creditor.listed"}));
  // The delivery log: two refusals, then the first event delivered on its third try.
  cli::ApiClient admin(cluster_->base_url());
  admin.SignReadsWith(tax_admin_.get());
  auto log_json = admin.GetJson("/v1/me/webhook/deliveries");
  ASSERT_TRUE(log_json.ok()) << log_json.status().ToString();
  auto log = ParseJson<pb::WebhookDeliveryLog>(*log_json);
  ASSERT_TRUE(log.ok());
  ASSERT_GE(log->deliveries_size(), 6);
  EXPECT_FALSE(log->deliveries(0).delivered());
  EXPECT_EQ(log->deliveries(0).http_status(), 500);
  EXPECT_EQ(log->deliveries(1).attempt(), 2u);
  EXPECT_TRUE(log->deliveries(2).delivered());
  EXPECT_EQ(log->deliveries(2).attempt(), 3u);
  EXPECT_EQ(log->deliveries(2).event_id(), got[0].get_header_value("OneChain-Event-Id"));
  EXPECT_EQ(log->cursor().empty(), false);
  auto no_log = SignedGet(cluster_->base_url(), "/v1/me/webhook/deliveries", officer_.get());
  EXPECT_EQ(no_log.status, 403);

  // A restart resumes from the durable cursor: nothing delivered twice, the next event arrives.
  ASSERT_TRUE(cluster_->Stop().ok());
  ASSERT_TRUE(cluster_->Start().ok()) << cluster_->LogTail();
  std::string notice = SendNotice(bureau_entry_);
  ASSERT_TRUE(WaitUntil([&] { return receiver.received().size() >= 5; }));
  std::this_thread::sleep_for(std::chrono::milliseconds(1000));
  got = receiver.received();
  ASSERT_EQ(got.size(), 5u);
  EXPECT_EQ(got[4].get_header_value("OneChain-Event-Type"), "notice.sent");
  auto event = ParseJson<pb::Event>(got[4].body);
  ASSERT_TRUE(event.ok());
  EXPECT_EQ(event->record_id(), notice);
}

}  // namespace
}  // namespace onechain::integration
