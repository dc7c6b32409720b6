// onechain-tax-adapter: the tax bureau's adapter process (adapters/README.md).
//   run      hear notices to the bureau's creditor entries and act on them
//   approve  submit a declaration that prepare-only mode left for an officer
#include <CLI/CLI.hpp>
#include <google/protobuf/util/json_util.h>
#include <spdlog/spdlog.h>

#include <csignal>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>

#include "framework/adapter.h"
#include "tax/tax_department.h"

namespace {

std::atomic<bool> g_stop{false};

void OnSignal(int) { g_stop.store(true); }

using onechain::Result;
using onechain::Status;

int Fail(const Status& status) {
  std::cerr << "error: " << status.ToString() << "\n";
  return 1;
}

// Approval: the prepared declaration is submitted unless its creditor entry already holds a
// claim; then it moves to approved/.
int Approve(const std::string& node_url, const onechain::crypto::PrivateKey& key,
            const std::string& state_dir, const std::string& notice_id) {
  namespace pb = onechain::pb;
  const std::string prepared = onechain::adapters::tax::PreparedPath(state_dir, notice_id);
  std::ifstream in(prepared);
  if (!in) {
    return Fail(Status(pb::Status::NOT_FOUND, "no declaration prepared for notice " + notice_id));
  }
  std::stringstream json;
  json << in.rdbuf();
  pb::TxBody body;
  auto parsed = google::protobuf::util::JsonStringToMessage(json.str(), body.mutable_declare_claim());
  if (!parsed.ok()) {
    return Fail(Status(pb::Status::MALFORMED, prepared + ": " + std::string(parsed.message())));
  }
  onechain::adapters::NodeClient node(node_url, key);
  auto claims = node.MyClaims();
  if (!claims.ok()) return Fail(claims.status());
  onechain::adapters::ChainView view;
  view.my_claims = std::move(*claims);
  const std::string approved = onechain::adapters::tax::ApprovedPath(state_dir, notice_id);
  std::filesystem::create_directories(state_dir + "/approved");
  if (const pb::Claim* claim = view.LiveClaimOf(body.declare_claim().creditor_id())) {
    std::filesystem::rename(prepared, approved);
    std::cout << "already declared: claim " << claim->id() << "\n";
    return 0;
  }
  auto results = node.SubmitAndWait({body}, state_dir + "/journal");
  if (!results.ok()) return Fail(results.status());
  const pb::TxStatus& status = results->front();
  if (status.state() != pb::TxStatus::COMMITTED || status.code() != pb::Status::OK) {
    return Fail(Status(status.code(), status.message()));
  }
  std::filesystem::rename(prepared, approved);
  std::cout << "declared: claim " << status.record_id() << " (tx " << status.hash() << ")\n";
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"The tax bureau's adapter: declares tax claims from the bureau's database"};
  app.require_subcommand(1);
  std::string node_url = "http://127.0.0.1:8080";
  std::string key_path;
  std::string passphrase_env = "ONECHAIN_PASSPHRASE";
  std::string state_dir;
  auto common = [&](CLI::App* cmd) {
    cmd->add_option("--node", node_url, "the bureau's node")->capture_default_str();
    cmd->add_option("--key", key_path, "the officer's key (PKCS#8 PEM)")->required();
    cmd->add_option("--passphrase-env", passphrase_env, "variable holding the key's passphrase")
        ->capture_default_str();
    cmd->add_option("--state-dir", state_dir, "cursor, journal, prepared declarations")
        ->required();
  };
  CLI::App* run = app.add_subcommand("run", "hear the bureau's notices and act on them");
  common(run);
  std::string conninfo;
  onechain::adapters::tax::TaxOptions tax_options;
  onechain::adapters::AdapterOptions options;
  run->add_option("--db", conninfo, "libpq connection string of the bureau's database")
      ->required();
  run->add_flag("--prepare-only", tax_options.prepare_only,
                "write declarations for an officer to approve instead of submitting them");
  run->add_option("--service-address", tax_options.service_address, "the bureau's address");
  run->add_option("--poll-ms", options.poll_interval_ms, "pause between idle rounds")
      ->capture_default_str();
  run->add_flag("--once", options.once, "one round, then exit");
  bool no_events = false;
  run->add_flag("--no-events", no_events, "poll only: do not hold GET /v1/events open");
  CLI::App* approve = app.add_subcommand("approve", "submit a prepared declaration");
  common(approve);
  std::string notice_id;
  approve->add_option("ID", notice_id, "the notice id the declaration answers")->required();
  CLI11_PARSE(app, argc, argv);

  auto key = onechain::adapters::LoadKeyFile(key_path, passphrase_env);
  if (!key.ok()) return Fail(key.status());
  if (approve->parsed()) return Approve(node_url, **key, state_dir, notice_id);

  auto db = onechain::adapters::tax::TaxDatabase::Connect(conninfo);
  if (!db.ok()) return Fail(db.status());
  std::signal(SIGTERM, OnSignal);
  std::signal(SIGINT, OnSignal);
  options.node_url = node_url;
  options.listen_events = !no_events;
  options.state_dir = state_dir;
  tax_options.state_dir = state_dir;
  onechain::adapters::tax::TaxDepartment department(**db, tax_options);
  spdlog::info("tax adapter for {} on {}, state in {}{}", node_url, conninfo, state_dir,
               tax_options.prepare_only ? " (prepare only)" : "");
  Status status = onechain::adapters::RunAdapter(options, **key, department, g_stop);
  if (!status.ok()) return Fail(status);
  return 0;
}
