// `onechain demo load`: drives a living demo case through a running node's REST API, every act a
// transaction signed with the key of the role that performs it. The statutory windows pass in
// block time, so a network made with `genesis new --day-ms 1000` runs the whole case in about a
// minute; on a network with real days the loader refuses to start (it would wait for weeks).
#include <google/protobuf/util/json_util.h>

#include <chrono>
#include <filesystem>
#include <iostream>
#include <map>
#include <thread>

#include "api.pb.h"
#include "cli/client.h"
#include "cli/commands.h"
#include "contracts/cases.h"
#include "contracts/executor.h"
#include "crypto/crypto.h"
#include "node/envelope.h"
#include "node/genesis.h"
#include "queries.pb.h"
#include "util/bytes.h"

namespace onechain::cli {

namespace {

// The loader waits through the claim period and two meetings; past this day length that is no
// demo any more.
constexpr uint64_t kDemoDayMsMax = 10'000;
constexpr int64_t kTxWaitMs = 30'000;
constexpr size_t kBatchTxs = 200;

int64_t NowMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

// One party of the case: a key and the nonce its next transaction carries.
struct Party {
  std::string name;
  std::unique_ptr<crypto::PrivateKey> key;
  uint64_t next_nonce = 1;
  std::string account_id;
};

// A creditor on the known-creditor list, and what happens to its claim.
struct DemoCreditor {
  Party party;  // no key for the tax bureau (its officer acts)
  std::string id_number;
  pb::CreditorKind kind = pb::CREDITOR_KIND_FIRM;
  int64_t principal = 0, interest = 0;
  int64_t confirmed = 0;       // after the first review
  std::string review_reason;   // why not all of it
  std::string creditor_id, notice_id, claim_id;
  bool secured = false, tax = false, objects = false;
};

// Signs and submits actions, waits for their commits, reads records.
class Driver {
 public:
  Driver(std::string node_url, const pb::Genesis& genesis)
      : url_(std::move(node_url)), genesis_(genesis) {
    ApiClient client(url_);
    auto health = ParseReply<pb::Health>(Take(client.GetJson("/v1/health")));
    if (health.chain_id() != genesis.chain_id()) {
      throw CommandError(Status(pb::Status::INVALID_ARGUMENT,
                                "the node runs chain " + health.chain_id() +
                                    ", not the genesis file's " + genesis.chain_id()));
    }
    suite_ = crypto::GetSuite(genesis.suite());
  }

  const crypto::Suite& suite() const { return *suite_; }

  Party NewParty(const std::string& name) {
    Party party;
    party.name = name;
    party.key = Take(crypto::GenerateKey(genesis_.suite()));
    party.account_id = contracts::AccountIdForKey(*suite_, party.key->public_key());
    return party;
  }

  // An existing account (an org admin): its next nonce from the node.
  void Resume(Party& party) {
    Result<std::string> account =
        ApiClient(url_).GetJson("/v1/keys/" + ToHex(party.key->public_key()));
    if (account.ok()) {
      party.next_nonce = ParseReply<pb::Account>(*account).nonce() + 1;
    } else if (account.status().code() != pb::Status::NOT_FOUND) {
      Check(account.status());
    }
    party.account_id = contracts::AccountIdForKey(*suite_, party.key->public_key());
  }

  // Queues an action of `party` with its next nonce; Run() submits the queue.
  void Queue(Party& party, const std::function<void(pb::TxBody&)>& fill) {
    pb::TxBody body;
    body.set_chain_id(genesis_.chain_id());
    body.set_suite(genesis_.suite());
    body.set_signer(party.key->public_key());
    body.set_nonce(party.next_nonce++);
    body.set_valid_until_height(valid_until_);
    fill(body);
    queue_.push_back(node::SignEnvelope(*party.key, body));
  }

  // Submits the queued transactions in batches (one signer's in nonce order), waits until each
  // is committed with code OK and returns their record ids in queue order.
  std::vector<std::string> Run() {
    std::vector<std::string> envelopes = std::move(queue_);
    queue_.clear();
    std::vector<std::string> hashes;
    for (size_t start = 0; start < envelopes.size(); start += kBatchTxs) {
      pb::SubmitBatchRequest batch;
      for (size_t i = start; i < std::min(envelopes.size(), start + kBatchTxs); ++i) {
        batch.add_txs(envelopes[i]);
      }
      HttpReply reply = Take(ApiClient(url_).PostBinary("/v1/txs", batch.SerializeAsString()));
      if (reply.status != 200) Check(StatusFromErrorBody(reply));
      auto answer = ParseReply<pb::SubmitBatchResponse>(reply.body);
      for (const pb::SubmitResult& result : answer.results()) {
        if (result.code() != pb::Status::OK) {
          throw CommandError(Status(result.code(), "the node refused a transaction: " +
                                                       result.message()));
        }
        hashes.push_back(result.hash());
      }
    }
    std::vector<std::string> ids;
    for (const std::string& hash : hashes) {
      pb::TxStatus status;
      int64_t deadline = NowMs() + kTxWaitMs;
      do {
        status = ParseReply<pb::TxStatus>(
            Take(ApiClient(url_).GetJson("/v1/tx/" + hash + "?wait_ms=10000")));
      } while (status.state() == pb::TxStatus::PENDING && NowMs() < deadline);
      if (status.state() != pb::TxStatus::COMMITTED) {
        throw CommandError(Status(pb::Status::UNAVAILABLE, "transaction " + hash +
                                                               " was not committed: " +
                                                               pb::TxStatus::State_Name(status.state())));
      }
      if (status.code() != pb::Status::OK) {
        throw CommandError(Status(status.code(), status.message() + " (transaction " + hash + ")"));
      }
      ids.push_back(status.record_id());
    }
    return ids;
  }

  std::string RunOne(Party& party, const std::function<void(pb::TxBody&)>& fill) {
    Queue(party, fill);
    return Run().front();
  }

  template <typename T>
  T Read(const std::string& path, const Party* reader = nullptr) {
    ApiClient client(url_);
    if (reader != nullptr) client.SignReadsWith(reader->key.get());
    return ParseReply<T>(Take(client.GetJson(path)));
  }

  void SetValidity(uint64_t height) { valid_until_ = height; }

 private:
  std::string url_;
  pb::Genesis genesis_;
  const crypto::Suite* suite_ = nullptr;
  uint64_t valid_until_ = 0;
  std::vector<std::string> queue_;
};

// 1234567 fen as "12,345.67 yuan".
std::string Yuan(int64_t fen) {
  std::string digits = std::to_string(fen / 100);
  for (int i = static_cast<int>(digits.size()) - 3; i > 0; i -= 3) digits.insert(i, ",");
  std::string cents = std::to_string(100 + fen % 100).substr(1);
  return digits + "." + cents + " yuan";
}

// Sleeps until the wall clock (the block clock of a local node) passes `time_ms`.
void WaitUntil(int64_t time_ms) {
  int64_t now = NowMs();
  if (now <= time_ms) std::this_thread::sleep_for(std::chrono::milliseconds(time_ms - now + 100));
}

struct Options {
  std::string network, node = "http://127.0.0.1:8080", case_id_out, passphrase_env;
  int creditors = 50;
};

// The network's day length, refused if the demo would take days; checks the options too.
int64_t DemoDayMs(const pb::Genesis& genesis, const Options& options) {
  int64_t day_ms = contracts::DaysToMs(genesis.params(), 1);
  if (static_cast<uint64_t>(day_ms) > kDemoDayMsMax) {
    throw CommandError(Status(
        pb::Status::FAILED_PRECONDITION,
        "the network's statutory day lasts " + std::to_string(day_ms) +
            " ms; the demo waits through a claim period of 30 days, so make a demo network "
            "with `onechain genesis new --day-ms 1000`"));
  }
  if (options.creditors < 5 || options.creditors > 500) {
    throw CommandError(Status(pb::Status::INVALID_ARGUMENT,
                              "--creditors must lie between 5 and 500"));
  }
  return day_ms;
}

class DemoLoader {
 public:
  explicit DemoLoader(const Options& options)
      : options_(options),
        genesis_(Take(node::LoadGenesisFile(options.network + "/genesis.json"))),
        day_ms_(DemoDayMs(genesis_, options)),
        driver_(options.node, genesis_) {}

  void Load() {
    auto health = driver_.Read<pb::Health>("/v1/health");
    driver_.SetValidity(health.height() + 100'000);
    Setup();
    OpenCase();
    ListAndNotify();
    DeclareAndReview();
    ObjectAndReReview();
    FirstMeeting();
    Distribute();
    Step("done: case " + case_id_ + " — curl " + options_.node + "/v1/cases/" + case_id_);
  }

  const std::string& case_id() const { return case_id_; }

 private:
  void Step(const std::string& line) {
    std::cout << "[demo " << ++step_ << "] " << line << std::endl;
  }

  Party AdminOf(const std::string& org) {
    Party party;
    party.name = org + " admin";
    std::string pem = Take(node::ReadFile(options_.network + "/keys/" + org + "-admin.pem",
                                          64 * 1024));
    party.key = Take(crypto::PrivateKeyFromPem(pem, PassphraseFromEnv(options_.passphrase_env)));
    driver_.Resume(party);
    return party;
  }

  void Register(Party& admin, Party& member, pb::Role role) {
    driver_.Queue(admin, [&](pb::TxBody& b) {
      b.mutable_register_account()->set_public_key(member.key->public_key());
      b.mutable_register_account()->add_roles(role);
      b.mutable_register_account()->set_display_name(member.name);
    });
  }

  // Accounts: a judge, a tax officer, an administrator firm on the roster with a member, and the
  // creditors, who register themselves.
  void Setup() {
    court_ = AdminOf("court");
    tax_admin_ = AdminOf("tax");
    judge_ = driver_.NewParty("Judge Wang (bankruptcy tribunal)");
    tax_officer_ = driver_.NewParty("Officer Zhao, tax bureau");
    firm_admin_ = driver_.NewParty("Partner Chen, Jingtian LLP");
    administrator_ = driver_.NewParty("Administrator Liu, Jingtian LLP");
    Register(court_, judge_, pb::ROLE_JUDGE);
    Register(tax_admin_, tax_officer_, pb::ROLE_DEPARTMENT_OFFICER);
    driver_.Run();
    firm_ = "jingtian-" + std::to_string(NowMs() % 1'000'000);
    driver_.RunOne(judge_, [&](pb::TxBody& b) {
      auto* a = b.mutable_add_roster_firm();
      a->set_firm_org_id(firm_);
      a->set_firm_name("Jingtian LLP (Shenzhen)");
      a->set_admin_public_key(firm_admin_.key->public_key());
      a->set_admin_name(firm_admin_.name);
    });
    Register(firm_admin_, administrator_, pb::ROLE_ADMINISTRATOR_MEMBER);
    driver_.Run();
    Step("accounts: judge, tax officer, administrator firm " + firm_ + " on the roster with a member");

    std::string run = std::to_string(NowMs() % 100'000'000);
    for (int i = 0; i + 1 < options_.creditors; ++i) {
      DemoCreditor c;
      bool person = i % 5 == 4;
      std::string n = std::to_string(1000 + i);
      c.kind = person ? pb::CREDITOR_KIND_PERSON : pb::CREDITOR_KIND_FIRM;
      c.party = driver_.NewParty(i == 0 ? "Bank of Shenzhen, Futian branch"
                                 : person ? "Creditor " + n + " (natural person)"
                                          : "Supplier " + n + " Co., Ltd.");
      c.id_number = (person ? "P" : "F") + run + "-" + n;
      c.principal = (i == 0) ? 5'000'000'00 : (20'000'00 + 37'123'45 * ((i * 7) % 23));
      c.interest = i % 3 == 0 ? c.principal / 20 : 0;
      c.secured = i == 0;
      c.confirmed = c.principal + c.interest;
      if (i % 11 == 5) {
        c.confirmed = c.principal;  // partly confirmed: the interest is not owed
        c.review_reason = "interest not agreed in the contract";
      }
      if (i % 17 == 9) {
        c.confirmed = 0;
        c.review_reason = "the invoices were paid on 2026-02-14 (bank statement)";
      }
      creditors_.push_back(std::move(c));
    }
    // The creditor who will object: a partly confirmed one.
    for (DemoCreditor& c : creditors_) {
      if (!c.review_reason.empty() && c.confirmed > 0) {
        c.objects = true;
        break;
      }
    }
    DemoCreditor tax;
    tax.tax = true;
    tax.kind = pb::CREDITOR_KIND_DEPARTMENT;
    tax.party.name = "Shenzhen Tax Bureau";
    tax.id_number = "11440300TAX" + run;
    tax.principal = 1'200'000'00;
    tax.confirmed = tax.principal;
    creditors_.push_back(std::move(tax));
    for (DemoCreditor& c : creditors_) {
      if (c.tax) continue;
      driver_.Queue(c.party, [&](pb::TxBody& b) {
        b.mutable_self_register()->set_display_name(c.party.name);
        b.mutable_self_register()->set_party_kind(c.kind == pb::CREDITOR_KIND_PERSON
                                                      ? pb::PARTY_KIND_PERSON
                                                      : pb::PARTY_KIND_FIRM);
        b.mutable_self_register()->set_id_number(c.id_number);
      });
    }
    driver_.Run();
    std::string dir = options_.network + "/keys/demo";
    std::filesystem::create_directories(dir);
    for (auto [party, file] : {std::pair{&judge_, "judge"}, {&tax_officer_, "tax-officer"},
                               {&firm_admin_, "firm-admin"}, {&administrator_, "administrator"}}) {
      Check(node::WriteFile(dir + "/" + file + ".pem", Take(party->key->ToPem("")), 0600));
    }
    for (size_t i = 0; i + 1 < creditors_.size(); ++i) {
      Check(node::WriteFile(dir + "/creditor-" + std::to_string(i + 1) + ".pem",
                            Take(creditors_[i].party.key->ToPem("")), 0600));
    }
    Step(std::to_string(creditors_.size() - 1) + " creditors registered themselves (keys of every "
         "demo party in " + dir + ")");
  }

  // The court accepts the case, appoints the firm and sets the claim period (30 days) and the
  // first meeting (10 days after it).
  void OpenCase() {
    case_id_ = driver_.RunOne(judge_, [&](pb::TxBody& b) {
      auto* a = b.mutable_accept_case();
      a->set_case_number("(2026)粤03破" + std::to_string(100 + NowMs() % 900) + "号");
      a->set_debtor_name("Shenzhen Example Manufacturing Co., Ltd.");
      a->set_debtor_credit_code("91440300MA5F8XGL06");
      a->set_procedure(pb::PROCEDURE_LIQUIDATION);
      a->set_acceptance_date("2026-11-20");
    });
    driver_.RunOne(judge_, [&](pb::TxBody& b) {
      b.mutable_appoint_administrator()->set_case_id(case_id_);
      b.mutable_appoint_administrator()->set_firm_org_id(firm_);
    });
    auto record = driver_.Read<pb::Case>("/v1/cases/" + case_id_);
    claim_period_end_ = record.accepted_time_ms() + 30 * day_ms_;
    first_meeting_ = claim_period_end_ + 10 * day_ms_;
    driver_.RunOne(judge_, [&](pb::TxBody& b) {
      b.mutable_set_claim_period()->set_case_id(case_id_);
      b.mutable_set_claim_period()->set_claim_period_end_ms(claim_period_end_);
      b.mutable_set_claim_period()->set_first_meeting_ms(first_meeting_);
    });
    Step("court accepted case " + case_id_ + ", appointed " + firm_ +
         ", claim period 30 days, first meeting 10 days after (a day is " +
         std::to_string(day_ms_) + " ms here)");
  }

  void ListAndNotify() {
    for (DemoCreditor& c : creditors_) {
      driver_.Queue(administrator_, [&](pb::TxBody& b) {
        auto* a = b.mutable_add_known_creditor();
        a->set_case_id(case_id_);
        a->set_kind(c.kind);
        a->set_name(c.party.name);
        a->set_id_number(c.id_number);
        if (c.tax) a->set_org_id("tax");
        a->set_service_address("Futian District, Shenzhen");
        a->set_basis(c.tax ? "tax returns 2025-2026" : "the debtor's books");
      });
    }
    std::vector<std::string> ids = driver_.Run();
    for (size_t i = 0; i < creditors_.size(); ++i) creditors_[i].creditor_id = ids[i];
    for (DemoCreditor& c : creditors_) {
      if (c.tax) continue;
      driver_.Queue(administrator_, [&](pb::TxBody& b) {
        b.mutable_bind_creditor_account()->set_creditor_id(c.creditor_id);
        b.mutable_bind_creditor_account()->set_account_id(c.party.account_id);
      });
    }
    driver_.Run();
    Step("known-creditor list: " + std::to_string(creditors_.size()) +
         " creditors (the tax bureau among them), accounts bound");
    for (DemoCreditor& c : creditors_) {
      driver_.Queue(administrator_, [&](pb::TxBody& b) {
        b.mutable_send_claim_notice()->set_creditor_id(c.creditor_id);
        b.mutable_send_claim_notice()->set_text(
            "Please declare your claim on the platform before the claim period ends.");
      });
    }
    ids = driver_.Run();
    for (size_t i = 0; i < creditors_.size(); ++i) creditors_[i].notice_id = ids[i];
    Step(std::to_string(ids.size()) + " claim-declaration notices sent");
    for (DemoCreditor& c : creditors_) {
      driver_.Queue(c.tax ? tax_officer_ : c.party, [&](pb::TxBody& b) {
        b.mutable_acknowledge_notice()->set_notice_id(c.notice_id);
      });
    }
    driver_.Run();
    Step(std::to_string(ids.size()) + " notices acknowledged by their addressees");
  }

  pb::Declaration DeclarationOf(const DemoCreditor& c) const {
    pb::Declaration d;
    d.set_creditor_name(c.party.name);
    d.set_creditor_id_number(c.id_number);
    d.set_service_address("Nanshan District, Shenzhen");
    d.set_electronic_service_consent(true);
    d.set_payment_account("6222 0200 0000 " + c.id_number.substr(c.id_number.size() - 4));
    if (c.tax) {
      d.set_nature("unpaid taxes");
      d.set_facts("VAT and enterprise income tax 2025-2026, assessed");
      auto* vat = d.add_tax_items();
      vat->set_tax_name("VAT");
      vat->set_tax(c.principal);
      return d;
    }
    d.set_nature(c.secured ? "loan secured by a mortgage on the plant" : "unpaid price of goods");
    d.set_facts(c.secured ? "loan contract of 2024-05-10, mortgage registered"
                          : "contract of 2025-03-01, delivered, not paid");
    auto* p = d.add_components();
    p->set_kind(pb::COMPONENT_KIND_PRINCIPAL);
    p->set_amount(c.principal);
    p->set_calculation("invoice total");
    if (c.interest > 0) {
      auto* i = d.add_components();
      i->set_kind(pb::COMPONENT_KIND_INTEREST);
      i->set_amount(c.interest);
      i->set_calculation("LPR to the acceptance date");
    }
    if (c.secured) {
      d.mutable_security()->set_collateral_id("plant");
      d.mutable_security()->set_description("mortgage on the plant");
      d.mutable_security()->set_amount(c.principal + c.interest);
    }
    return d;
  }

  void QueueReview(const DemoCreditor& c, int64_t interest_confirmed, const std::string& reason) {
    driver_.Queue(administrator_, [&](pb::TxBody& b) {
      auto* a = b.mutable_review_claim();
      a->set_claim_id(c.claim_id);
      pb::Ranking ranking = c.secured ? pb::RANKING_SECURED : pb::RANKING_ORDINARY;
      if (c.tax) ranking = pb::RANKING_UNSPECIFIED;  // tax items are ranked by the contract
      auto* p = a->add_components();
      p->set_index(0);
      p->set_confirmed(c.confirmed == 0 ? 0 : c.principal);
      p->set_ranking(ranking);
      p->set_reason(c.confirmed == 0 ? reason : "");
      if (c.interest > 0) {
        auto* i = a->add_components();
        i->set_index(1);
        i->set_confirmed(interest_confirmed);
        i->set_ranking(ranking);
        i->set_reason(interest_confirmed < c.interest ? reason : "");
      }
      a->set_reasons(reason);
      if (c.secured) a->set_collateral_id("plant");
    });
  }

  void DeclareAndReview() {
    for (DemoCreditor& c : creditors_) {
      pb::Declaration d = DeclarationOf(c);
      driver_.Queue(c.tax ? tax_officer_ : c.party, [&](pb::TxBody& b) {
        b.mutable_declare_claim()->set_creditor_id(c.creditor_id);
        *b.mutable_declare_claim()->mutable_declaration() = d;
      });
    }
    std::vector<std::string> ids = driver_.Run();
    for (size_t i = 0; i < creditors_.size(); ++i) creditors_[i].claim_id = ids[i];
    Step(std::to_string(ids.size()) + " claims declared (the tax bureau's by its officer)");
    // Employees are not declared: the administrator lists their wages (EBL 48).
    for (int e = 0; e < 2; ++e) {
      driver_.Queue(administrator_, [&](pb::TxBody& b) {
        auto* a = b.mutable_list_employee_claim();
        a->set_case_id(case_id_);
        a->set_name(e == 0 ? "Wang Fang" : "Zhang Wei");
        a->set_id_number("44030119850505002" + std::to_string(e));
        a->add_components()->set_kind(pb::COMPONENT_KIND_WAGES);
        a->mutable_components(0)->set_amount(180'000'00 + e * 12'345'67);
        a->set_objection_deadline_ms(ObjectionDeadline());
      });
    }
    employee_claims_ = driver_.Run();
    int confirmed = 0, partly = 0, rejected = 0;
    for (DemoCreditor& c : creditors_) {
      int64_t interest = c.confirmed == c.principal + c.interest ? c.interest : 0;
      QueueReview(c, interest, c.review_reason);
      (c.confirmed == 0 ? rejected : c.review_reason.empty() ? confirmed : partly)++;
    }
    driver_.Run();
    Step("reviews: " + std::to_string(confirmed) + " confirmed, " + std::to_string(partly) +
         " partly confirmed, " + std::to_string(rejected) +
         " rejected; tax ranked by the contract; 2 employee wage claims listed");
    int64_t deadline = ObjectionDeadline();
    for (DemoCreditor& c : creditors_) {
      driver_.Queue(administrator_, [&](pb::TxBody& b) {
        b.mutable_send_review_notice()->set_claim_id(c.claim_id);
        b.mutable_send_review_notice()->set_objection_deadline_ms(deadline);
      });
    }
    driver_.Run();
    objection_deadline_ = std::max(objection_deadline_, deadline);
    Step(std::to_string(creditors_.size()) + " review-result notices sent (15-day objection window)");
  }

  // 15 statutory days from now, plus room for the block that carries it.
  int64_t ObjectionDeadline() {
    int64_t deadline = NowMs() + 15 * day_ms_ + 5'000;
    objection_deadline_ = std::max(objection_deadline_, deadline);
    return deadline;
  }

  void ObjectAndReReview() {
    for (DemoCreditor& c : creditors_) {
      if (!c.objects) continue;
      driver_.RunOne(c.party, [&](pb::TxBody& b) {
        b.mutable_object_to_claim()->set_claim_id(c.claim_id);
        b.mutable_object_to_claim()->set_objector_creditor_id(c.creditor_id);
        b.mutable_object_to_claim()->set_reasons(
            "the supply contract of 2025-03-01 (clause 9) agrees interest on late payment");
      });
      Step(c.party.name + " objected to the review of its claim");
      c.confirmed = c.principal + c.interest;
      QueueReview(c, c.interest, "");
      driver_.Run();
      driver_.RunOne(administrator_, [&](pb::TxBody& b) {
        b.mutable_send_review_notice()->set_claim_id(c.claim_id);
        b.mutable_send_review_notice()->set_objection_deadline_ms(0);
      });
      Step("re-review: the interest confirmed after all; re-review notice sent");
    }
  }

  // Who votes in the demo: the unsecured creditors with an undisputed confirmed amount (the
  // secured bank has no vote on a distribution plan, EBL 59; the tax bureau abstains from both).
  std::vector<DemoCreditor*> Voters() {
    std::vector<DemoCreditor*> out;
    for (DemoCreditor& c : creditors_) {
      if (c.tax || c.secured || c.objects || c.confirmed == 0) continue;
      out.push_back(&c);
    }
    return out;
  }

  // Ballots of `voters` on `motion`: most yes, a few no, one abstains.
  void Vote(const std::string& motion, const std::vector<DemoCreditor*>& voters) {
    std::map<pb::BallotChoice, int> counts;
    for (size_t i = 0; i < voters.size(); ++i) {
      pb::BallotChoice choice = i % 9 == 4   ? pb::BALLOT_CHOICE_NO
                                : i % 13 == 7 ? pb::BALLOT_CHOICE_ABSTAIN
                                              : pb::BALLOT_CHOICE_YES;
      ++counts[choice];
      driver_.Queue(voters[i]->party, [&](pb::TxBody& b) {
        b.mutable_cast_ballot()->set_motion_id(motion);
        b.mutable_cast_ballot()->set_creditor_id(voters[i]->creditor_id);
        b.mutable_cast_ballot()->set_choice(choice);
      });
    }
    driver_.Run();
    Step(std::to_string(voters.size()) + " ballots: " +
         std::to_string(counts[pb::BALLOT_CHOICE_YES]) + " yes, " +
         std::to_string(counts[pb::BALLOT_CHOICE_NO]) + " no, " +
         std::to_string(counts[pb::BALLOT_CHOICE_ABSTAIN]) + " abstain");
  }

  std::string Close(const std::string& motion, int64_t vote_end) {
    WaitUntil(vote_end);
    driver_.RunOne(administrator_, [&](pb::TxBody& b) {
      b.mutable_close_motion()->set_motion_id(motion);
    });
    auto list = driver_.Read<pb::MeetingList>("/v1/cases/" + case_id_ + "/meetings");
    for (const pb::MeetingResults& m : list.meetings()) {
      for (const pb::Motion& x : m.meeting().motions()) {
        if (x.id() != motion) continue;
        const pb::MotionResult& r = x.result();
        std::string line = std::string(r.passed() ? "PASSED" : "REJECTED") + " (" +
                           std::to_string(r.yes()) + " of " + std::to_string(r.present()) +
                           " present, " + Yuan(r.yes_amount()) + " of " + Yuan(r.base_amount()) + ")";
        Step("motion \"" + x.title() + "\" closed: " + line);
        if (!r.passed()) {
          throw CommandError(Status(pb::Status::FAILED_PRECONDITION,
                                    "the demo motion " + motion + " did not pass"));
        }
        return line;
      }
    }
    throw CommandError(Status(pb::Status::NOT_FOUND, "motion " + motion + " not listed"));
  }

  int64_t VoteWindowMs() const { return std::max<int64_t>(8'000, 2 * day_ms_); }

  // The first meeting on the court's date: the administrator's property-management plan.
  void FirstMeeting() {
    int64_t vote_end = first_meeting_ + VoteWindowMs();
    std::string meeting = driver_.RunOne(judge_, [&](pb::TxBody& b) {
      auto* a = b.mutable_convene_meeting();
      a->set_case_id(case_id_);
      a->set_kind(pb::MEETING_KIND_FIRST);
      a->set_start_ms(first_meeting_);
      a->set_vote_end_ms(vote_end);
      a->set_place("Shenzhen Intermediate People's Court, room 3, and online (JI III 11)");
    });
    std::string motion = driver_.RunOne(administrator_, [&](pb::TxBody& b) {
      auto* a = b.mutable_add_motion();
      a->set_meeting_id(meeting);
      a->set_kind(pb::MOTION_KIND_ORDINARY);
      a->set_title("Plan for the management of the debtor's property (EBL 61)");
      a->set_text("The plant is sold by auction; the stock by tender.");
    });
    Step("first creditors' meeting convened by the court, one motion; waiting " +
         std::to_string(std::max<int64_t>(0, first_meeting_ - NowMs()) / 1000) +
         " s of block time for the objection windows and the meeting");
    WaitUntil(std::max(first_meeting_, objection_deadline_));
    Vote(motion, Voters());
    // At the first meeting the court rules the undisputed claims confirmed (EBL 58).
    std::vector<std::string> confirmed = employee_claims_;
    for (const DemoCreditor& c : creditors_) {
      if (!c.objects && c.confirmed > 0) confirmed.push_back(c.claim_id);
    }
    driver_.RunOne(judge_, [&](pb::TxBody& b) {
      b.mutable_confirm_claims()->set_case_id(case_id_);
      for (const std::string& id : confirmed) b.mutable_confirm_claims()->add_claim_ids(id);
    });
    Step("court confirmed " + std::to_string(confirmed.size()) + " undisputed claims (EBL 58)");
    Close(motion, vote_end);
  }

  void Distribute() {
    plan_id_ = driver_.RunOne(administrator_, [&](pb::TxBody& b) {
      auto* a = b.mutable_propose_distribution();
      a->set_case_id(case_id_);
      a->set_title("First and final distribution");
      a->set_general_estate(9'000'000'00);
      a->set_final(true);
      auto* plant = a->add_collaterals();
      plant->set_collateral_id("plant");
      plant->set_realized_value(3'800'000'00);
      auto* fees = a->add_expenses();
      fees->set_id("fees");
      fees->set_description("administrator's fees and court costs (EBL 41)");
      fees->set_amount(650'000'00);
    });
    auto plan = driver_.Read<pb::PlanView>("/v1/plans/" + plan_id_, &administrator_);
    Step("distribution plan proposed: " + std::to_string(plan.plan().distribution().payments_size()) +
         " payees, " + Yuan(plan.plan().distribution().distributed()));
    int64_t start = NowMs() + 6'000;  // room to convene it and add the motion before
    int64_t vote_end = start + VoteWindowMs();
    std::string meeting = driver_.RunOne(administrator_, [&](pb::TxBody& b) {
      auto* a = b.mutable_convene_meeting();
      a->set_case_id(case_id_);
      a->set_kind(pb::MEETING_KIND_SUBSEQUENT);
      a->set_start_ms(start);
      a->set_vote_end_ms(vote_end);
      a->set_place("online, remote voting (JI III 11)");
    });
    std::string motion = driver_.RunOne(administrator_, [&](pb::TxBody& b) {
      auto* a = b.mutable_add_motion();
      a->set_meeting_id(meeting);
      a->set_kind(pb::MOTION_KIND_DISTRIBUTION_PLAN);
      a->set_title("Distribution plan (EBL 61 (10))");
      a->set_plan_id(plan_id_);
    });
    Step("second meeting convened by the administrator to vote on the plan");
    WaitUntil(start);
    Vote(motion, Voters());
    Close(motion, vote_end);
    driver_.RunOne(judge_, [&](pb::TxBody& b) { b.mutable_approve_plan()->set_plan_id(plan_id_); });
    Step("court approved the distribution plan");
    plan = driver_.Read<pb::PlanView>("/v1/plans/" + plan_id_, &administrator_);
    int64_t paid = 0;
    int count = 0;
    for (const pb::PlannedPayment& p : plan.plan().distribution().payments()) {
      if (p.total() <= 0) continue;
      driver_.Queue(administrator_, [&](pb::TxBody& b) {
        b.mutable_record_payment()->set_plan_id(plan_id_);
        b.mutable_record_payment()->set_payee_id(p.payee_id());
        b.mutable_record_payment()->set_amount(p.total());
        b.mutable_record_payment()->set_reference("ICBC transfer " + std::to_string(++count));
      });
      paid += p.total();
    }
    driver_.Run();
    Step(std::to_string(count) + " payments recorded, " + Yuan(paid) + " in all");
  }

  Options options_;
  pb::Genesis genesis_;
  int64_t day_ms_ = 0;
  Driver driver_;
  int step_ = 0;
  Party court_, tax_admin_, judge_, tax_officer_, firm_admin_, administrator_;
  std::string firm_, case_id_, plan_id_;
  int64_t claim_period_end_ = 0, first_meeting_ = 0, objection_deadline_ = 0;
  std::vector<DemoCreditor> creditors_;
  std::vector<std::string> employee_claims_;
};

}  // namespace

void AddDemoCommands(CLI::App& app) {
  CLI::App* demo = app.add_subcommand("demo", "Demo data for a network with short days");
  demo->require_subcommand(1);
  auto options = std::make_shared<Options>();
  CLI::App* load = demo->add_subcommand(
      "load",
      "Drive a liquidation case with about 50 creditors from acceptance to the distribution "
      "through the REST API, each act signed by its role's key");
  load->add_option("--network", options->network,
                   "Directory of `genesis new` (genesis.json, keys/<org>-admin.pem)")
      ->required();
  load->add_option("--node", options->node, "Node API URL")->capture_default_str();
  load->add_option("--creditors", options->creditors, "Creditors, the tax bureau included")
      ->capture_default_str();
  load->add_option("--case-id-out", options->case_id_out, "File to write the case id to");
  load->add_option("--passphrase-env", options->passphrase_env,
                   "Environment variable holding the org admin keys' passphrase");
  load->callback([options] {
    DemoLoader loader(*options);
    loader.Load();
    if (!options->case_id_out.empty()) {
      Check(node::WriteFile(options->case_id_out, loader.case_id() + "\n"));
    }
  });
}

}  // namespace onechain::cli
