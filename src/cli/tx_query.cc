// `onechain tx send ...` (build, sign, submit, wait for commit) and `onechain query ...`.
#include <google/protobuf/util/json_util.h>

#include <algorithm>
#include <cctype>
#include <map>
#include <ctime>
#include <iostream>

#include "api.pb.h"
#include "cli/client.h"
#include "cli/commands.h"
#include "crypto/crypto.h"
#include "node/envelope.h"
#include "node/genesis.h"
#include "util/bytes.h"

namespace onechain::cli {

namespace {

constexpr uint64_t kDefaultValidBlocks = 1000;

struct TxOptions {
  std::string node = "http://127.0.0.1:8080";
  std::string key, passphrase_env;
  uint64_t valid_for = kDefaultValidBlocks;
  bool no_wait = false, json = false;
};

void AddTxOptions(CLI::App* cmd, TxOptions& options) {
  cmd->add_option("--key", options.key, "Signer's key (PEM)")->required();
  cmd->add_option("--passphrase-env", options.passphrase_env,
                  "Environment variable holding the key's passphrase");
  cmd->add_option("--node", options.node, "Node API URL")->capture_default_str();
  cmd->add_option("--valid-for", options.valid_for, "Blocks the transaction stays valid");
  cmd->add_flag("--no-wait", options.no_wait, "Return once the node admitted it");
  cmd->add_flag("--json", options.json, "Print JSON");
}

// Fills chain id, suite, signer, nonce and validity from the node, signs and submits `body`.
void SignAndSend(const TxOptions& options, pb::TxBody body) {
  std::string pem = Take(node::ReadFile(options.key, 64 * 1024));
  auto key = Take(crypto::PrivateKeyFromPem(pem, PassphraseFromEnv(options.passphrase_env)));
  ApiClient client(options.node);
  auto health = ParseReply<pb::Health>(Take(client.GetJson("/v1/health")));
  if (health.suite() != key->suite()) {
    throw CommandError(Status(pb::Status::WRONG_SUITE, "the key's suite is not the network's"));
  }
  body.set_chain_id(health.chain_id());
  body.set_suite(health.suite());
  body.set_signer(key->public_key());
  body.set_valid_until_height(health.height() + options.valid_for);
  Result<std::string> account = client.GetJson("/v1/keys/" + ToHex(key->public_key()));
  if (account.ok()) {
    body.set_nonce(ParseReply<pb::Account>(*account).nonce() + 1);
  } else if (account.status().code() == pb::Status::NOT_FOUND) {
    body.set_nonce(1);
  } else {
    Check(account.status());
  }
  std::string path = options.no_wait ? "/v1/tx" : "/v1/tx?wait_ms=30000";
  HttpReply reply = Take(client.PostBinary(path, node::SignEnvelope(*key, body)));
  if (reply.status != 200 && reply.status != 202) Check(StatusFromErrorBody(reply));
  if (options.no_wait) return PrintJson(reply.body, options.json);
  auto status = ParseReply<pb::TxStatus>(reply.body);
  if (status.state() == pb::TxStatus::COMMITTED && status.code() != pb::Status::OK) {
    if (options.json) PrintJson(reply.body, true);
    throw CommandError(Status(status.code(), status.message() + " (committed at height " +
                                                 std::to_string(status.height()) + ")"));
  }
  if (options.json) return PrintJson(reply.body, true);
  std::cout << "hash: " << status.hash() << "\nstate: " << pb::TxStatus::State_Name(status.state())
            << "\nheight: " << status.height() << "\ncode: " << pb::Status::Code_Name(status.code())
            << "\n";
  if (!status.record_id().empty()) std::cout << "record: " << status.record_id() << "\n";
}

std::vector<int> ParseRoles(const std::vector<std::string>& names) {
  std::vector<int> roles;
  for (const std::string& name : names) {
    std::string upper = "ROLE_";
    for (char c : name) upper.push_back(c == '-' ? '_' : static_cast<char>(std::toupper(c)));
    pb::Role role;
    if (!pb::Role_Parse(upper, &role)) {
      throw CommandError(Status(pb::Status::INVALID_ARGUMENT,
                                "unknown role '" + name +
                                    "'; use org-admin, judge, clerk, department-officer or "
                                    "administrator-member"));
    }
    roles.push_back(role);
  }
  return roles;
}

// A public key given as hex, or read from a PEM key file.
std::string PublicKeyArgument(const std::string& hex, const std::string& pem_file) {
  if (!pem_file.empty()) {
    std::string pem = Take(node::ReadFile(pem_file, 64 * 1024));
    return Take(crypto::PrivateKeyFromPem(pem, PassphraseFromEnv(""))) ->public_key();
  }
  std::optional<std::string> key = FromHex(hex);
  if (!key || key->empty()) {
    throw CommandError(
        Status(pb::Status::INVALID_ARGUMENT, "give --public-key HEX or --public-key-from FILE"));
  }
  return *key;
}

void AddRegisterAccount(CLI::App* send) {
  struct Options : TxOptions {
    std::string public_key, public_key_from, name;
    std::vector<std::string> roles;
  };
  auto o = std::make_shared<Options>();
  CLI::App* cmd = send->add_subcommand("register-account", "Org admin: create an account");
  AddTxOptions(cmd, *o);
  cmd->add_option("--public-key", o->public_key, "New account's public key (hex)");
  cmd->add_option("--public-key-from", o->public_key_from, "...or read it from this PEM key");
  cmd->add_option("--role", o->roles, "Role (repeat): org-admin, judge, clerk, ...")->required();
  cmd->add_option("--name", o->name, "Display name")->required();
  cmd->callback([o] {
    pb::TxBody body;
    auto* action = body.mutable_register_account();
    action->set_public_key(PublicKeyArgument(o->public_key, o->public_key_from));
    for (int role : ParseRoles(o->roles)) action->add_roles(static_cast<pb::Role>(role));
    action->set_display_name(o->name);
    SignAndSend(*o, body);
  });
}

void AddSetRoles(CLI::App* send) {
  struct Options : TxOptions {
    std::string account;
    std::vector<std::string> roles;
  };
  auto o = std::make_shared<Options>();
  CLI::App* cmd = send->add_subcommand("set-roles", "Org admin: replace an account's roles");
  AddTxOptions(cmd, *o);
  cmd->add_option("--account", o->account, "Account id")->required();
  cmd->add_option("--role", o->roles, "Role (repeat)")->required();
  cmd->callback([o] {
    pb::TxBody body;
    body.mutable_set_account_roles()->set_account_id(o->account);
    for (int role : ParseRoles(o->roles)) {
      body.mutable_set_account_roles()->add_roles(static_cast<pb::Role>(role));
    }
    SignAndSend(*o, body);
  });
}

void AddRevoke(CLI::App* send) {
  struct Options : TxOptions {
    std::string account, reason;
  };
  auto o = std::make_shared<Options>();
  CLI::App* cmd = send->add_subcommand("revoke-account", "Org admin: revoke an account");
  AddTxOptions(cmd, *o);
  cmd->add_option("--account", o->account, "Account id")->required();
  cmd->add_option("--reason", o->reason, "Reason");
  cmd->callback([o] {
    pb::TxBody body;
    body.mutable_revoke_account()->set_account_id(o->account);
    body.mutable_revoke_account()->set_reason(o->reason);
    SignAndSend(*o, body);
  });
}

void AddRotate(CLI::App* send) {
  struct Options : TxOptions {
    std::string account, public_key, public_key_from;
  };
  auto o = std::make_shared<Options>();
  CLI::App* cmd = send->add_subcommand("rotate-key", "The account or its admin: replace its key");
  AddTxOptions(cmd, *o);
  cmd->add_option("--account", o->account, "Account id")->required();
  cmd->add_option("--public-key", o->public_key, "New public key (hex)");
  cmd->add_option("--public-key-from", o->public_key_from, "...or read it from this PEM key");
  cmd->callback([o] {
    pb::TxBody body;
    body.mutable_rotate_key()->set_account_id(o->account);
    body.mutable_rotate_key()->set_new_public_key(
        PublicKeyArgument(o->public_key, o->public_key_from));
    SignAndSend(*o, body);
  });
}

void AddSelfRegister(CLI::App* send) {
  struct Options : TxOptions {
    std::string name, kind = "person", id_number;
  };
  auto o = std::make_shared<Options>();
  CLI::App* cmd = send->add_subcommand("self-register", "Anyone: register the key as a creditor");
  AddTxOptions(cmd, *o);
  cmd->add_option("--name", o->name, "Display name")->required();
  cmd->add_option("--kind", o->kind, "person or firm")->check(CLI::IsMember({"person", "firm"}));
  cmd->add_option("--id-number", o->id_number, "ID number or unified social credit code");
  cmd->callback([o] {
    pb::TxBody body;
    auto* action = body.mutable_self_register();
    action->set_display_name(o->name);
    action->set_party_kind(o->kind == "firm" ? pb::PARTY_KIND_FIRM : pb::PARTY_KIND_PERSON);
    action->set_id_number(o->id_number);
    SignAndSend(*o, body);
  });
}

// Milliseconds since the Unix epoch of "YYYY-MM-DDTHH:MM" (UTC+8, the courts' time zone), or of a
// plain count of milliseconds.
int64_t ParseTime(const std::string& text, const std::string& option) {
  if (!text.empty() && std::all_of(text.begin(), text.end(), ::isdigit)) return std::stoll(text);
  std::tm tm{};
  if (strptime(text.c_str(), "%Y-%m-%dT%H:%M", &tm) == nullptr) {
    throw CommandError(Status(pb::Status::INVALID_ARGUMENT,
                              option + " takes YYYY-MM-DDTHH:MM (China time) or milliseconds"));
  }
  constexpr int64_t kChinaOffsetMs = 8 * 3600 * 1000;
  return static_cast<int64_t>(timegm(&tm)) * 1000 - kChinaOffsetMs;
}

void AddCourtCommands(CLI::App* send) {
  struct FirmOptions : TxOptions {
    std::string firm, name, admin_key_hex, admin_key_from, admin_name;
  };
  auto f = std::make_shared<FirmOptions>();
  CLI::App* firm = send->add_subcommand("add-roster-firm",
                                        "Court: create an administrator firm and add it to the roster");
  AddTxOptions(firm, *f);
  firm->add_option("--firm", f->firm, "New organization id, e.g. zhonglun")->required();
  firm->add_option("--name", f->name, "Firm name")->required();
  firm->add_option("--admin-public-key", f->admin_key_hex, "Firm admin's public key (hex)");
  firm->add_option("--admin-public-key-from", f->admin_key_from, "...or read it from this PEM");
  firm->add_option("--admin-name", f->admin_name, "Firm admin's name")->required();
  firm->callback([f] {
    pb::TxBody body;
    auto* a = body.mutable_add_roster_firm();
    a->set_firm_org_id(f->firm);
    a->set_firm_name(f->name);
    a->set_admin_public_key(PublicKeyArgument(f->admin_key_hex, f->admin_key_from));
    a->set_admin_name(f->admin_name);
    SignAndSend(*f, body);
  });

  struct AcceptOptions : TxOptions {
    std::string number, debtor, code, procedure = "liquidation", date;
  };
  auto a = std::make_shared<AcceptOptions>();
  CLI::App* accept = send->add_subcommand("accept-case", "Judge: accept a bankruptcy case");
  AddTxOptions(accept, *a);
  accept->add_option("--case-number", a->number, "The court's case number")->required();
  accept->add_option("--debtor", a->debtor, "Debtor's name")->required();
  accept->add_option("--credit-code", a->code, "Debtor's unified social credit code")->required();
  accept->add_option("--procedure", a->procedure, "liquidation, reorganization or compromise")
      ->check(CLI::IsMember({"liquidation", "reorganization", "compromise"}));
  accept->add_option("--acceptance-date", a->date, "YYYY-MM-DD of the ruling")->required();
  accept->callback([a] {
    pb::TxBody body;
    auto* action = body.mutable_accept_case();
    action->set_case_number(a->number);
    action->set_debtor_name(a->debtor);
    action->set_debtor_credit_code(a->code);
    action->set_procedure(a->procedure == "reorganization" ? pb::PROCEDURE_REORGANIZATION
                          : a->procedure == "compromise"   ? pb::PROCEDURE_COMPROMISE
                                                           : pb::PROCEDURE_LIQUIDATION);
    action->set_acceptance_date(a->date);
    SignAndSend(*a, body);
  });

  struct AppointOptions : TxOptions {
    std::string case_id, firm;
  };
  auto p = std::make_shared<AppointOptions>();
  CLI::App* appoint = send->add_subcommand("appoint-administrator",
                                           "Judge: appoint a roster firm as the administrator");
  AddTxOptions(appoint, *p);
  appoint->add_option("--case", p->case_id, "Case id")->required();
  appoint->add_option("--firm", p->firm, "Firm organization id")->required();
  appoint->callback([p] {
    pb::TxBody body;
    body.mutable_appoint_administrator()->set_case_id(p->case_id);
    body.mutable_appoint_administrator()->set_firm_org_id(p->firm);
    SignAndSend(*p, body);
  });

  struct PeriodOptions : TxOptions {
    std::string case_id, end, meeting;
  };
  auto d = std::make_shared<PeriodOptions>();
  CLI::App* period = send->add_subcommand(
      "set-claim-period", "Judge: claim period end and first meeting (EBL 45, 62)");
  AddTxOptions(period, *d);
  period->add_option("--case", d->case_id, "Case id")->required();
  period->add_option("--claim-period-end", d->end, "YYYY-MM-DDTHH:MM, China time")->required();
  period->add_option("--first-meeting", d->meeting, "YYYY-MM-DDTHH:MM, China time")->required();
  period->callback([d] {
    pb::TxBody body;
    body.mutable_set_claim_period()->set_case_id(d->case_id);
    body.mutable_set_claim_period()->set_claim_period_end_ms(
        ParseTime(d->end, "--claim-period-end"));
    body.mutable_set_claim_period()->set_first_meeting_ms(ParseTime(d->meeting, "--first-meeting"));
    SignAndSend(*d, body);
  });

  struct TerminateOptions : TxOptions {
    std::string case_id, reason;
  };
  auto t = std::make_shared<TerminateOptions>();
  CLI::App* terminate = send->add_subcommand("terminate-case", "Judge: terminate a case (EBL 120)");
  AddTxOptions(terminate, *t);
  terminate->add_option("--case", t->case_id, "Case id")->required();
  terminate->add_option("--reason", t->reason, "Reason")->required();
  terminate->callback([t] {
    pb::TxBody body;
    body.mutable_terminate_case()->set_case_id(t->case_id);
    body.mutable_terminate_case()->set_reason(t->reason);
    SignAndSend(*t, body);
  });
}

// Any action, given as the JSON of a TxBody holding just that action (protobuf's JSON mapping,
// e.g. {"selfRegister": {...}}): every action of proto/tx.proto without a command of its own.
void AddSendAction(CLI::App* send) {
  struct Options : TxOptions {
    std::string action_json, action_file;
  };
  auto o = std::make_shared<Options>();
  CLI::App* cmd = send->add_subcommand(
      "action", "Any action, as the JSON of a TxBody holding it, e.g. '{\"selfRegister\": {...}}'");
  cmd->add_option("json", o->action_json, "The action's JSON")->excludes(
      cmd->add_option("--file", o->action_file, "Read the action's JSON from this file"));
  AddTxOptions(cmd, *o);
  cmd->callback([o] {
    std::string json = o->action_json;
    if (!o->action_file.empty()) json = Take(node::ReadFile(o->action_file, node::kEnvelopeBytesMax));
    if (json.empty()) {
      throw CommandError(Status(pb::Status::INVALID_ARGUMENT, "give the action's JSON or --file"));
    }
    pb::TxBody body;
    auto parsed = google::protobuf::util::JsonStringToMessage(json, &body);
    if (!parsed.ok()) {
      throw CommandError(Status(pb::Status::MALFORMED,
                                "not the JSON of a TxBody: " + std::string(parsed.message())));
    }
    if (body.action_case() == pb::TxBody::ACTION_NOT_SET) {
      throw CommandError(Status(pb::Status::INVALID_ARGUMENT, "the JSON holds no action"));
    }
    if (!body.chain_id().empty() || !body.signer().empty() || body.nonce() != 0 ||
        body.valid_until_height() != 0 || body.suite() != pb::SUITE_UNSPECIFIED) {
      throw CommandError(Status(pb::Status::INVALID_ARGUMENT,
                                "give only the action: chain, suite, signer, nonce and validity "
                                "are filled in from the node and the key"));
    }
    SignAndSend(*o, std::move(body));
  });
}

}  // namespace

void AddTxCommands(CLI::App& app) {
  CLI::App* tx = app.add_subcommand("tx", "Sign and submit transactions");
  tx->require_subcommand(1);
  CLI::App* send = tx->add_subcommand("send", "Build, sign, submit and wait for commit");
  send->require_subcommand(1);
  AddRegisterAccount(send);
  AddSetRoles(send);
  AddRevoke(send);
  AddRotate(send);
  AddSelfRegister(send);
  AddCourtCommands(send);
  AddSendAction(send);
}

// Percent-encoding of a query parameter's value (RFC 3986 unreserved characters stay).
std::string EncodeQueryValue(std::string_view value) {
  std::string out;
  for (unsigned char c : value) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
      out.push_back(static_cast<char>(c));
    } else {
      char escaped[4];
      std::snprintf(escaped, sizeof escaped, "%%%02X", c);
      out += escaped;
    }
  }
  return out;
}

// `query search`: the public case search with its filters (GET /v1/cases).
void AddSearch(CLI::App* query) {
  struct Options {
    std::string node = "http://127.0.0.1:8080";
    std::map<std::string, std::string> params;
    bool json = false;
  };
  auto o = std::make_shared<Options>();
  CLI::App* cmd = query->add_subcommand(
      "search", "Search cases by part of the debtor's name, credit code, court, procedure, ...");
  struct Param {
    const char* flag;
    const char* name;
    const char* help;
  };
  static constexpr Param kParams[] = {
      {"--q", "q", "Part of the debtor's name (2 to 50 characters)"},
      {"--credit-code", "credit_code", "The debtor's unified social credit code"},
      {"--court", "court", "The court's organization id"},
      {"--procedure", "procedure", "liquidation, reorganization or compromise"},
      {"--status", "status", "accepted or terminated"},
      {"--accepted-from", "accepted_from", "Accepted on or after (YYYY-MM-DD)"},
      {"--accepted-to", "accepted_to", "Accepted on or before (YYYY-MM-DD)"},
      {"--page-size", "page_size", "Cases per page (1 to 100, default 20)"},
      {"--page-token", "page_token", "The previous page's nextPageToken"},
  };
  for (const Param& param : kParams) {
    cmd->add_option_function<std::string>(
        param.flag, [o, name = param.name](const std::string& v) { o->params[name] = v; },
        param.help);
  }
  cmd->add_option("--node", o->node, "Node API URL")->capture_default_str();
  cmd->add_flag("--json", o->json, "Print JSON");
  cmd->callback([o] {
    std::string path = "/v1/cases";
    char separator = '?';
    for (const auto& [name, value] : o->params) {
      path += separator + name + "=" + EncodeQueryValue(value);
      separator = '&';
    }
    ApiClient client(o->node);
    PrintJson(Take(client.GetJson(path)), o->json);
  });
}

// `query preview`: what a distribution plan would pay now (GET /v1/cases/{id}/distribution-preview).
void AddPreview(CLI::App* query) {
  struct Options {
    std::string node = "http://127.0.0.1:8080", case_id, key, passphrase_env, general_estate;
    std::vector<std::string> collaterals, expenses;
    bool final = false, json = false;
  };
  auto o = std::make_shared<Options>();
  CLI::App* cmd = query->add_subcommand(
      "preview", "What a distribution plan would pay now, without proposing it (case class)");
  cmd->add_option("case-id", o->case_id, "The case's id")->required();
  cmd->add_option("--general-estate", o->general_estate, "Fen for the general estate");
  cmd->add_option("--collateral", o->collaterals, "ID:FEN realized value of a collateral (repeat)");
  cmd->add_option("--expense", o->expenses, "ID:FEN:DESCRIPTION of an expense (repeat)");
  cmd->add_flag("--final", o->final, "The final distribution (EBL 56)");
  cmd->add_option("--key", o->key, "Sign the read with this account key (PEM)")->required();
  cmd->add_option("--passphrase-env", o->passphrase_env,
                  "Environment variable holding the key's passphrase");
  cmd->add_option("--node", o->node, "Node API URL")->capture_default_str();
  cmd->add_flag("--json", o->json, "Print JSON");
  cmd->callback([o] {
    std::string path = "/v1/cases/" + EncodeQueryValue(o->case_id) +
                       "/distribution-preview?final=" + (o->final ? "true" : "false");
    if (!o->general_estate.empty()) path += "&general_estate=" + EncodeQueryValue(o->general_estate);
    for (const std::string& c : o->collaterals) path += "&collateral=" + EncodeQueryValue(c);
    for (const std::string& e : o->expenses) path += "&expense=" + EncodeQueryValue(e);
    ApiClient client(o->node);
    std::string pem = Take(node::ReadFile(o->key, 64 * 1024));
    auto key = Take(crypto::PrivateKeyFromPem(pem, PassphraseFromEnv(o->passphrase_env)));
    client.SignReadsWith(key.get());
    PrintJson(Take(client.GetJson(path)), o->json);
  });
}

void AddQueryCommands(CLI::App& app) {
  struct Options {
    std::string node = "http://127.0.0.1:8080", target, key, passphrase_env, page_size, page_token;
    bool json = false;
  };
  CLI::App* query = app.add_subcommand("query", "Read from a node");
  query->require_subcommand(1);
  struct Route {
    const char* name;
    const char* help;
    const char* path;     // prefix; the target is appended
    const char* target;   // name of the positional argument, or null
    const char* suffix;   // appended after the target
    bool paged;           // takes --page-size and --page-token
  };
  static constexpr Route kRoutes[] = {
      {"tx", "A transaction's status by hash", "/v1/tx/", "hash", "", false},
      {"block", "A block by height, or 'latest'", "/v1/blocks/", "height", "", false},
      {"account", "An account by id", "/v1/accounts/", "id", "", false},
      {"key", "The account that holds a public key (hex)", "/v1/keys/", "public-key", "", false},
      {"orgs", "The organizations", "/v1/orgs", nullptr, "", false},
      {"case", "A case by id (public record)", "/v1/cases/", "id", "", false},
      {"cases", "Cases of a debtor by unified social credit code", "/v1/cases?credit_code=",
       "credit-code", "", false},
      {"health", "The node's chain, height and pending count", "/v1/health", nullptr, "", false},
      {"me", "Your own account (a signed read: give --key)", "/v1/me", nullptr, "", false},
      {"claim-form", "A case's claim form (court, administrator, creditors of the case)",
       "/v1/cases/", "case-id", "/claims", true},
      {"creditors", "A case's known creditors (court, administrator, creditors of the case)",
       "/v1/cases/", "case-id", "/creditors", true},
      {"meetings", "A case's meetings, motions and resolutions (public)", "/v1/cases/", "case-id",
       "/meetings", true},
      {"plans", "A case's plans (court, administrator, creditors of the case)", "/v1/cases/",
       "case-id", "/plans", true},
      {"plan", "A plan with its payments (court, administrator, creditors of the case)",
       "/v1/plans/", "plan-id", "", false},
      {"claim", "A claim (its creditor, the administrator, the court)", "/v1/claims/",
       "claim-id", "", false},
      {"claim-history", "Every act on a claim with heights and times (its creditor, the "
       "administrator, the court)", "/v1/claims/", "claim-id", "/history", false},
      {"notices", "Notices to your creditor entries (a signed read)", "/v1/me/notices", nullptr,
       "", false},
      {"my-claims", "The claims you hold, across cases (a signed read)", "/v1/me/claims",
       nullptr, "", false},
      {"recruitments", "Investor-recruitment notices of every case (public)", "/v1/recruitments",
       nullptr, "", true},
      {"record-types", "The record types a department answers (public)", "/v1/orgs/", "org-id",
       "/record-types", false},
      {"grant", "A data grant (the court, its administrator, its department)", "/v1/grants/",
       "grant-id", "", false},
      {"grant-accesses", "Every recorded read of a grant (its department, the court)",
       "/v1/grants/", "grant-id", "/accesses", true},
      {"my-grants", "The grants asked of your department (a signed read)", "/v1/me/grants",
       nullptr, "", false},
  };
  AddSearch(query);
  AddPreview(query);
  for (const Route& route : kRoutes) {
    auto o = std::make_shared<Options>();
    CLI::App* cmd = query->add_subcommand(route.name, route.help);
    if (route.target != nullptr) cmd->add_option(route.target, o->target, route.help)->required();
    cmd->add_option("--node", o->node, "Node API URL")->capture_default_str();
    cmd->add_flag("--json", o->json, "Print JSON");
    cmd->add_option("--key", o->key,
                    "Sign the read with this account key (PEM): non-public records need it");
    cmd->add_option("--passphrase-env", o->passphrase_env,
                    "Environment variable holding the key's passphrase");
    if (route.paged) {
      cmd->add_option("--page-size", o->page_size, "Records per page (1 to 1000, default 100)");
      cmd->add_option("--page-token", o->page_token,
                      "The previous page's nextOffset (recruitments: nextPageToken)");
    }
    cmd->callback([o, &route] {
      ApiClient client(o->node);
      std::unique_ptr<crypto::PrivateKey> key;
      if (!o->key.empty()) {
        std::string pem = Take(node::ReadFile(o->key, 64 * 1024));
        key = Take(crypto::PrivateKeyFromPem(pem, PassphraseFromEnv(o->passphrase_env)));
        client.SignReadsWith(key.get());
      }
      std::string path = std::string(route.path) + o->target + route.suffix;
      char separator = '?';
      for (const auto& [name, value] :
           {std::pair{"page_size", o->page_size}, {"page_token", o->page_token}}) {
        if (value.empty()) continue;
        path += separator + std::string(name) + "=" + EncodeQueryValue(value);
        separator = '&';
      }
      PrintJson(Take(client.GetJson(path)), o->json);
    });
  }
}

}  // namespace onechain::cli
