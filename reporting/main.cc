// onechain-report: mirrors committed case data into PostgreSQL for SQL reporting
// (reporting/README.md).
#include <CLI/CLI.hpp>
#include <spdlog/spdlog.h>

#include <csignal>
#include <fstream>
#include <iostream>
#include <sstream>

#include "report_db.h"
#include "reporter.h"

namespace {

std::atomic<bool> g_stop{false};

void OnSignal(int) { g_stop.store(true); }

int Fail(const onechain::Status& status) {
  std::cerr << "error: " << status.ToString() << "\n";
  return 1;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"Mirrors committed case data into PostgreSQL tables for SQL reporting"};
  onechain::reporting::ReporterOptions options;
  std::string key_path;
  std::string passphrase_env = "ONECHAIN_PASSPHRASE";
  std::string conninfo;
  app.add_option("--node", options.node_url, "the node's REST API")->capture_default_str();
  app.add_option("--key", key_path, "a court account's key (PKCS#8 PEM), e.g. a clerk's")
      ->required();
  app.add_option("--passphrase-env", passphrase_env, "variable holding the key's passphrase")
      ->capture_default_str();
  app.add_option("--db", conninfo, "libpq connection string of the reporting database")
      ->required();
  app.add_option("--poll-ms", options.poll_interval_ms, "pause when the chain has no new block")
      ->capture_default_str();
  app.add_option("--until-height", options.stop_at_height,
                 "exit once this height is applied (0: follow the chain)")
      ->capture_default_str();
  app.add_option("--hold-ms", options.hold_ms,
                 "pause inside each block's transaction before it commits (crash tests)")
      ->capture_default_str();
  CLI11_PARSE(app, argc, argv);

  std::ifstream in(key_path);
  if (!in) return Fail(onechain::Status(onechain::pb::Status::IO, "cannot read " + key_path));
  std::stringstream pem;
  pem << in.rdbuf();
  const char* passphrase = std::getenv(passphrase_env.c_str());
  auto key = onechain::crypto::PrivateKeyFromPem(pem.str(), passphrase ? passphrase : "");
  if (!key.ok()) return Fail(key.status());
  auto db = onechain::reporting::ReportDb::Open(conninfo);
  if (!db.ok()) return Fail(db.status());
  std::signal(SIGTERM, OnSignal);
  std::signal(SIGINT, OnSignal);
  spdlog::info("reporting {} into {}", options.node_url, conninfo);
  onechain::Status status = onechain::reporting::RunReporter(options, **key, **db, g_stop);
  if (!status.ok()) return Fail(status);
  return 0;
}
