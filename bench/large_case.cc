// onechain-large-case: issue 3's "Large case" benchmark. One liquidation case with N creditors
// (100,000 by default) on one validator, driven through the REST API: before the clock, the
// accounts, the case, N self-registered creditors put on the known-creditor list and bound; on
// the clock, the 4·N workflow transactions — a claim-declaration notice to every creditor, every
// creditor's declaration, the administrator's review of every claim and its review-result
// notice. Every transaction of a phase is signed before the phase is submitted, over C keep-alive
// connections in batches (POST /v1/txs); a follower reads each new block and counts the phase's
// transactions in it. Reviews need the claim ids the declarations got (the claim form names them),
// so the clock also covers reading them and signing the reviews; the report shows that part.
#include <google/protobuf/util/json_util.h>

#include <CLI/CLI.hpp>
#include <atomic>
#include <chrono>
#include <iostream>
#include <thread>
#include <unordered_map>
#include <unordered_set>

#include "api.pb.h"
#include "bench/http.h"
#include "bench/workload.h"
#include "cli/client.h"
#include "contracts/cases.h"
#include "contracts/executor.h"
#include "contracts/workflow_internal.h"  // SequenceId: the documented id of a case's n-th claim
#include "node/envelope.h"
#include "queries.pb.h"
#include "util/bytes.h"

namespace onechain::bench {
namespace {

struct Options {
  std::string network_dir, node_url = "http://127.0.0.1:8080", passphrase_env;
  size_t creditors = 100'000, connections = 8, batch = 200, members = 16;
  size_t in_flight_max = 60'000;  // submitted but not committed, below the mempool's 200,000
  int commit_timeout_s = 120;
  bool json = false;
};

double Seconds(std::chrono::steady_clock::time_point since) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - since).count();
}

[[noreturn]] void Fail(const Status& status) {
  std::cerr << "error: " << status.ToString() << "\n";
  std::exit(1);
}

template <typename T>
T Must(Result<T> result) {
  if (!result.ok()) Fail(result.status());
  return std::move(result).value();
}

template <typename T>
T ParseReply(const std::string& json) {
  T message;
  if (!google::protobuf::util::JsonStringToMessage(json, &message).ok()) {
    Fail(Status(pb::Status::MALFORMED, "unexpected reply: " + json.substr(0, 200)));
  }
  return message;
}

struct Signer {
  std::unique_ptr<crypto::PrivateKey> key;
  uint64_t next_nonce = 1;
  std::string account_id;
};

struct SignedTx {
  std::string envelope;
  std::string hash_hex;
};

class Chain {
 public:
  Chain(const Network& network, const Options& options, uint64_t valid_until)
      : network_(network), options_(options), valid_until_(valid_until) {}

  Signer NewSigner() {
    Signer s;
    s.key = Must(crypto::GenerateKey(network_.genesis.suite()));
    s.account_id = contracts::AccountIdForKey(*network_.suite, s.key->public_key());
    return s;
  }

  SignedTx Sign(Signer& signer, const std::function<void(pb::TxBody&)>& fill) const {
    pb::TxBody body;
    body.set_chain_id(network_.genesis.chain_id());
    body.set_suite(network_.genesis.suite());
    body.set_signer(signer.key->public_key());
    body.set_nonce(signer.next_nonce++);
    body.set_valid_until_height(valid_until_);
    fill(body);
    SignedTx tx;
    tx.envelope = node::SignEnvelope(*signer.key, body);
    pb::SignedTx parsed;
    parsed.ParseFromString(tx.envelope);
    tx.hash_hex = ToHex(node::TxHash(*network_.suite, parsed));
    return tx;
  }

  // Submits every connection's transactions in order, in batches, at most in_flight_max
  // uncommitted at a time; returns once a block holds each of them. Refused envelopes fail the run.
  // `on_block`, if given, sees every block of the phase in order (on the follower thread).
  double Run(const std::string& phase, const std::vector<std::vector<SignedTx>>& by_connection,
             const std::function<void(const pb::BlockView&)>& on_block = {}) {
    std::unordered_set<std::string> expected;
    size_t total = 0;
    for (const auto& txs : by_connection) {
      for (const SignedTx& tx : txs) expected.insert(tx.hash_hex);
      total += txs.size();
    }
    std::atomic<size_t> submitted{0}, committed{0};
    std::atomic<bool> failed{false};
    auto start = std::chrono::steady_clock::now();
    uint64_t first_height = Height();
    std::thread follower([&] {
      HttpConnection http(options_.node_url, true);
      uint64_t next = first_height + 1;
      auto last_progress = std::chrono::steady_clock::now();
      while (committed.load() < total && !failed.load()) {
        Result<HttpResponse> reply = http.Get("/v1/blocks/" + std::to_string(next));
        if (reply.ok() && reply->status == 200) {
          auto block = ParseReply<pb::BlockView>(reply->body);
          if (on_block) on_block(block);
          size_t mine = 0;
          for (const std::string& hash : block.tx_hashes()) mine += expected.count(hash);
          committed += mine;
          ++next;
          last_progress = std::chrono::steady_clock::now();
          continue;
        }
        if (Seconds(last_progress) > options_.commit_timeout_s) {
          std::cerr << "error: no block for " << options_.commit_timeout_s << " s in phase "
                    << phase << "\n";
          failed = true;
          return;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
      }
    });
    std::vector<std::thread> senders;
    for (const auto& txs : by_connection) {
      senders.emplace_back([&, txs_ptr = &txs] {
        HttpConnection http(options_.node_url, true);
        const std::vector<SignedTx>& list = *txs_ptr;
        for (size_t at = 0; at < list.size() && !failed.load();) {
          while (submitted.load() - committed.load() > options_.in_flight_max && !failed.load()) {
            std::this_thread::sleep_for(std::chrono::milliseconds(5));
          }
          pb::SubmitBatchRequest batch;
          size_t end = std::min(list.size(), at + options_.batch);
          for (size_t i = at; i < end; ++i) batch.add_txs(list[i].envelope);
          Result<HttpResponse> reply = http.Post("/v1/txs", "application/x-protobuf",
                                                 batch.SerializeAsString(),
                                                 "application/x-protobuf");
          pb::SubmitBatchResponse answer;
          if (!reply.ok() || reply->status != 200 || !answer.ParseFromString(reply->body)) {
            std::cerr << "error: batch refused: "
                      << (reply.ok() ? reply->body.substr(0, 200) : reply.status().ToString())
                      << "\n";
            failed = true;
            return;
          }
          for (const pb::SubmitResult& r : answer.results()) {
            if (r.code() != pb::Status::OK) {
              std::cerr << "error: a transaction was refused: " << pb::Status::Code_Name(r.code())
                        << ": " << r.message() << "\n";
              failed = true;
              return;
            }
          }
          submitted += end - at;
          at = end;
        }
      });
    }
    for (std::thread& t : senders) t.join();
    double submit_s = Seconds(start);
    follower.join();
    if (failed.load()) std::exit(1);
    double seconds = Seconds(start);
    std::cerr << "  " << phase << ": " << total << " txs committed in " << seconds << " s ("
              << static_cast<int64_t>(total / seconds) << " tx/s; submitted in " << submit_s
              << " s)\n";
    CheckSample(by_connection);
    return seconds;
  }

  uint64_t Height() {
    cli::ApiClient client(options_.node_url);
    return ParseReply<pb::Health>(Must(client.GetJson("/v1/health"))).height();
  }

 private:
  // The actions succeeded (code OK), not only got into blocks: a few receipts per phase.
  void CheckSample(const std::vector<std::vector<SignedTx>>& by_connection) {
    HttpConnection http(options_.node_url, true);
    for (const auto& txs : by_connection) {
      for (size_t i = 0; i < txs.size(); i += std::max<size_t>(1, txs.size() / 20)) {
        auto status = ParseReply<pb::TxStatus>(Must(GetJson(http, "/v1/tx/" + txs[i].hash_hex)));
        if (status.state() != pb::TxStatus::COMMITTED || status.code() != pb::Status::OK) {
          Fail(Status(status.code(), "transaction " + txs[i].hash_hex + " failed: " +
                                         status.message()));
        }
      }
    }
  }

  const Network& network_;
  const Options& options_;
  uint64_t valid_until_;
};

std::string PassphraseFromEnvironment(const Options& options) {
  if (options.passphrase_env.empty()) return "";
  const char* value = std::getenv(options.passphrase_env.c_str());
  return value == nullptr ? "" : value;
}

void Main(const Options& options) {
  Network network = Must(LoadNetwork(options.network_dir, PassphraseFromEnvironment(options)));
  cli::ApiClient api(options.node_url);
  auto health = ParseReply<pb::Health>(Must(api.GetJson("/v1/health")));
  Chain chain(network, options, health.height() + 1'000'000);
  const size_t n = options.creditors, c = options.connections;
  auto t_setup = std::chrono::steady_clock::now();

  // Org admins: the court's and the genesis order's first court.
  Signer court, judge = chain.NewSigner(), firm_admin = chain.NewSigner();
  for (int i = 0; i < network.genesis.orgs_size(); ++i) {
    if (network.genesis.orgs(i).kind() == pb::ORG_KIND_COURT) {
      court.key = std::move(network.org_admins[i]);
      break;
    }
  }
  if (!court.key) Fail(Status(pb::Status::NOT_FOUND, "the genesis has no court"));
  auto account = api.GetJson("/v1/keys/" + ToHex(court.key->public_key()));
  if (account.ok()) court.next_nonce = ParseReply<pb::Account>(*account).nonce() + 1;
  std::vector<Signer> members;
  for (size_t i = 0; i < options.members; ++i) members.push_back(chain.NewSigner());
  auto one = [&](std::vector<SignedTx> txs) {
    chain.Run("setup", std::vector<std::vector<SignedTx>>{std::move(txs)});
  };
  one({chain.Sign(court, [&](pb::TxBody& b) {
    b.mutable_register_account()->set_public_key(judge.key->public_key());
    b.mutable_register_account()->add_roles(pb::ROLE_JUDGE);
    b.mutable_register_account()->set_display_name("judge");
  })});
  one({chain.Sign(judge, [&](pb::TxBody& b) {
    auto* a = b.mutable_add_roster_firm();
    a->set_firm_org_id("largefirm");
    a->set_firm_name("Large Case LLP");
    a->set_admin_public_key(firm_admin.key->public_key());
    a->set_admin_name("Partner");
  })});
  std::vector<SignedTx> setup;
  for (Signer& m : members) {
    setup.push_back(chain.Sign(firm_admin, [&](pb::TxBody& b) {
      b.mutable_register_account()->set_public_key(m.key->public_key());
      b.mutable_register_account()->add_roles(pb::ROLE_ADMINISTRATOR_MEMBER);
      b.mutable_register_account()->set_display_name("member");
    }));
  }
  one(std::move(setup));
  SignedTx accept = chain.Sign(judge, [&](pb::TxBody& b) {
    auto* a = b.mutable_accept_case();
    a->set_case_number("(2026)粤03破9999号");
    a->set_debtor_name("Large Debtor Co., Ltd.");
    a->set_debtor_credit_code("91440300MA5F8XGL06");
    a->set_procedure(pb::PROCEDURE_LIQUIDATION);
    a->set_acceptance_date("2026-11-20");
  });
  one({accept});
  std::string case_id =
      ParseReply<pb::TxStatus>(Must(api.GetJson("/v1/tx/" + accept.hash_hex))).record_id();
  auto the_case = ParseReply<pb::Case>(Must(api.GetJson("/v1/cases/" + case_id)));
  int64_t day = contracts::DaysToMs(network.genesis.params(), 1);
  one({chain.Sign(judge, [&](pb::TxBody& b) {
         b.mutable_appoint_administrator()->set_case_id(case_id);
         b.mutable_appoint_administrator()->set_firm_org_id("largefirm");
       }),
       chain.Sign(judge, [&](pb::TxBody& b) {
         b.mutable_set_claim_period()->set_case_id(case_id);
         b.mutable_set_claim_period()->set_claim_period_end_ms(the_case.accepted_time_ms() +
                                                               60 * day);
         b.mutable_set_claim_period()->set_first_meeting_ms(the_case.accepted_time_ms() +
                                                            70 * day);
       })});

  // N creditors register themselves; the members list and bind them (creditor i belongs to
  // member i % M, whose transactions all travel on connection (i % M) % C, in nonce order).
  std::cerr << "signing " << 3 * n << " setup transactions for " << n << " creditors\n";
  std::vector<Signer> creditors(n);
  std::vector<std::string> creditor_ids(n), id_numbers(n);
  std::vector<std::vector<SignedTx>> registrations(c), listing(c), binding(c);
  for (size_t i = 0; i < n; ++i) {
    creditors[i] = chain.NewSigner();
    std::string id_number = "F" + std::to_string(1'000'000 + i);
    id_numbers[i] = id_number;
    registrations[i % c].push_back(chain.Sign(creditors[i], [&](pb::TxBody& b) {
      b.mutable_self_register()->set_display_name("Creditor " + std::to_string(i));
      b.mutable_self_register()->set_party_kind(pb::PARTY_KIND_FIRM);
      b.mutable_self_register()->set_id_number(id_number);
    }));
    Signer& m = members[i % members.size()];
    size_t conn = (i % members.size()) % c;
    listing[conn].push_back(chain.Sign(m, [&](pb::TxBody& b) {
      auto* a = b.mutable_add_known_creditor();
      a->set_case_id(case_id);
      a->set_kind(pb::CREDITOR_KIND_FIRM);
      a->set_name("Creditor " + std::to_string(i));
      a->set_id_number(id_number);
      a->set_basis("the debtor's books");
    }));
  }
  chain.Run("setup: self-registrations", registrations);
  chain.Run("setup: known-creditor list", listing);
  {
    // The list's creditor ids, by id number.
    cli::ApiClient lister(options.node_url);
    lister.SignReadsWith(members[0].key.get());
    std::unordered_map<std::string, std::string> by_number;
    for (uint64_t offset = 0;;) {
      auto page = ParseReply<pb::CaseCreditorList>(Must(lister.GetJson(
          "/v1/cases/" + case_id + "/creditors?page_size=1000&page_token=" +
          std::to_string(offset))));
      for (const pb::CaseCreditor& entry : page.creditors()) {
        by_number[entry.id_number()] = entry.id();
      }
      if (page.next_offset() == 0) break;
      offset = page.next_offset();
    }
    for (size_t i = 0; i < n; ++i) creditor_ids[i] = by_number[id_numbers[i]];
  }
  for (size_t i = 0; i < n; ++i) {
    Signer& m = members[i % members.size()];
    binding[(i % members.size()) % c].push_back(chain.Sign(m, [&](pb::TxBody& b) {
      b.mutable_bind_creditor_account()->set_creditor_id(creditor_ids[i]);
      b.mutable_bind_creditor_account()->set_account_id(creditors[i].account_id);
    }));
  }
  chain.Run("setup: account bindings", binding);
  double setup_s = Seconds(t_setup);

  // The timed workflow. Phase 1: notices and declarations, signed in advance.
  std::cerr << "signing " << 2 * n << " notices and declarations\n";
  std::vector<std::vector<SignedTx>> first(c);
  std::vector<std::string> declarations(n);  // hash of creditor i's declaration
  for (size_t i = 0; i < n; ++i) {
    Signer& m = members[i % members.size()];
    size_t conn = (i % members.size()) % c;
    first[conn].push_back(chain.Sign(m, [&](pb::TxBody& b) {
      b.mutable_send_claim_notice()->set_creditor_id(creditor_ids[i]);
      b.mutable_send_claim_notice()->set_text("declare by the end of the claim period");
    }));
    declarations[i] = first[i % c].emplace_back(chain.Sign(creditors[i], [&](pb::TxBody& b) {
      b.mutable_declare_claim()->set_creditor_id(creditor_ids[i]);
      pb::Declaration* d = b.mutable_declare_claim()->mutable_declaration();
      d->set_creditor_name("Creditor " + std::to_string(i));
      d->set_creditor_id_number("F" + std::to_string(1'000'000 + i));
      d->set_service_address("Futian District, Shenzhen");
      d->set_electronic_service_consent(true);
      d->set_nature("unpaid price of goods");
      d->set_facts("delivered, not paid");
      auto* p = d->add_components();
      p->set_kind(pb::COMPONENT_KIND_PRINCIPAL);
      p->set_amount(10'000'00 + static_cast<int64_t>(i));
      p->set_calculation("invoice total");
    })).hash_hex;
  }
  auto clock = std::chrono::steady_clock::now();
  std::unordered_map<std::string, size_t> declaration_of;  // hash -> creditor
  for (size_t i = 0; i < n; ++i) declaration_of[declarations[i]] = i;
  std::vector<size_t> declared_order;
  double phase1_s = chain.Run("notices and declarations", first, [&](const pb::BlockView& block) {
    for (const std::string& hash : block.tx_hashes()) {
      auto found = declaration_of.find(hash);
      if (found != declaration_of.end()) declared_order.push_back(found->second);
    }
  });
  if (declared_order.size() != n) {
    Fail(Status(pb::Status::INTERNAL, "saw " + std::to_string(declared_order.size()) +
                                          " declarations committed, not " + std::to_string(n)));
  }

  // A claim's id is H("claim" ‖ case id ‖ 0x00 ‖ n) for the case's n-th declaration in block
  // order, which the follower saw. One thread per connection signs the reviews and review-result
  // notices of the creditors whose administrator member signs on that connection.
  auto t_ids = std::chrono::steady_clock::now();
  std::vector<std::string> claim_ids(n);
  for (size_t k = 0; k < declared_order.size(); ++k) {
    claim_ids[declared_order[k]] = contracts::workflow::SequenceId(*network.suite, "claim",
                                                                   case_id, k);
  }
  int64_t deadline = std::chrono::duration_cast<std::chrono::milliseconds>(
                         std::chrono::system_clock::now().time_since_epoch())
                         .count() +
                     16 * day;
  std::vector<std::vector<SignedTx>> second(c);
  std::vector<int64_t> confirmed_by_connection(c, 0);
  {
    std::vector<std::thread> signers;
    for (size_t conn = 0; conn < c; ++conn) {
      signers.emplace_back([&, conn] {
        for (size_t i = 0; i < n; ++i) {
          if ((i % members.size()) % c != conn) continue;
          Signer& m = members[i % members.size()];
          const std::string& claim = claim_ids[i];
          int64_t amount = 10'000'00 + static_cast<int64_t>(i);
          int64_t confirmed = i % 10 == 3 ? amount / 2 : amount;
          confirmed_by_connection[conn] += confirmed;
          second[conn].push_back(chain.Sign(m, [&](pb::TxBody& b) {
            auto* a = b.mutable_review_claim();
            a->set_claim_id(claim);
            auto* part = a->add_components();
            part->set_index(0);
            part->set_confirmed(confirmed);
            part->set_ranking(pb::RANKING_ORDINARY);
            if (confirmed < amount) {
              part->set_reason("half was paid before the acceptance");
              a->set_reasons("half was paid before the acceptance");
            }
          }));
          second[conn].push_back(chain.Sign(m, [&](pb::TxBody& b) {
            b.mutable_send_review_notice()->set_claim_id(claim);
            b.mutable_send_review_notice()->set_objection_deadline_ms(deadline);
          }));
        }
      });
    }
    for (std::thread& t : signers) t.join();
  }
  int64_t confirmed_total = 0;
  for (int64_t part : confirmed_by_connection) confirmed_total += part;
  cli::ApiClient reader(options.node_url);
  reader.SignReadsWith(members[0].key.get());
  double ids_s = Seconds(t_ids);
  double phase2_s = chain.Run("reviews and review-result notices", second);
  double total_s = Seconds(clock);

  auto form = ParseReply<pb::ClaimForm>(
      Must(reader.GetJson("/v1/cases/" + case_id + "/claims?page_size=1")));
  if (form.claim_count() != n || form.confirmed_total() != confirmed_total) {
    Fail(Status(pb::Status::INTERNAL,
                "the claim form shows " + std::to_string(form.claim_count()) + " claims and " +
                    std::to_string(form.confirmed_total()) + " fen confirmed, not " +
                    std::to_string(n) + " and " + std::to_string(confirmed_total)));
  }
  size_t txs = 4 * n;
  std::cout << "large case: " << n << " creditors, " << txs
            << " workflow transactions (notices, declarations, reviews, review-result notices)\n"
            << "  total " << total_s << " s, " << static_cast<int64_t>(txs / total_s)
            << " tx/s committed\n"
            << "  notices+declarations " << phase1_s << " s; claim ids derived and reviews signed "
            << ids_s << " s; reviews+notices " << phase2_s << " s\n"
            << "  setup (not timed): " << setup_s << " s for " << 3 * n + members.size() + 5
            << " transactions\n"
            << "  claim form checked: " << form.claim_count() << " claims, "
            << form.confirmed_total() << " fen confirmed\n";
  if (options.json) {
    std::cout << "{\"creditors\":" << n << ",\"txs\":" << txs << ",\"seconds\":" << total_s
              << ",\"txPerSecond\":" << txs / total_s << "}\n";
  }
}

}  // namespace
}  // namespace onechain::bench

int main(int argc, char** argv) {
  using onechain::bench::Options;
  Options options;
  CLI::App app("onechain-large-case: issue 3's large-case benchmark against a running node");
  app.add_option("--network", options.network_dir, "Directory of `onechain genesis new`")
      ->required();
  app.add_option("--node", options.node_url, "Node API URL")->capture_default_str();
  app.add_option("-n,--creditors", options.creditors, "Creditors")->capture_default_str();
  app.add_option("-c,--connections", options.connections, "Connections")->capture_default_str();
  app.add_option("--batch", options.batch, "Envelopes per POST /v1/txs")->capture_default_str();
  app.add_option("--members", options.members, "Administrator members signing")
      ->capture_default_str();
  app.add_option("--passphrase-env", options.passphrase_env,
                 "Environment variable holding the org admin keys' passphrase");
  app.add_flag("--json", options.json, "Also print a JSON line");
  CLI11_PARSE(app, argc, argv);
  if (options.creditors == 0 || options.connections == 0 || options.batch == 0 ||
      options.members == 0) {
    std::cerr << "error: INVALID_ARGUMENT: creditors, connections, batch and members must be "
                 "positive\n";
    return 2;
  }
  onechain::bench::Main(options);
  return 0;
}
