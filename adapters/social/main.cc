// onechain-social-adapter: the social insurance fund's adapter process (adapters/README.md).
#include <spdlog/spdlog.h>

#include <CLI/CLI.hpp>
#include <csignal>
#include <iostream>

#include "social/social.h"

namespace {
std::atomic<bool> g_stop{false};
void OnSignal(int) { g_stop.store(true); }
}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"The social insurance fund's adapter: declares unpaid contributions"};
  onechain::adapters::AdapterOptions options;
  std::string key_path, conninfo, passphrase_env = "ONECHAIN_PASSPHRASE";
  app.add_option("--node", options.node_url, "the fund's node")->capture_default_str();
  app.add_option("--key", key_path, "the officer's key (PKCS#8 PEM)")->required();
  app.add_option("--passphrase-env", passphrase_env, "variable holding the key's passphrase");
  app.add_option("--state-dir", options.state_dir, "cursor and journal")->required();
  app.add_option("--db", conninfo, "libpq connection string of the fund's database")->required();
  app.add_option("--poll-ms", options.poll_interval_ms, "pause between idle rounds");
  CLI11_PARSE(app, argc, argv);
  auto fail = [](const onechain::Status& status) {
    std::cerr << "error: " << status.ToString() << "\n";
    return 1;
  };
  auto key = onechain::adapters::LoadKeyFile(key_path, passphrase_env);
  if (!key.ok()) return fail(key.status());
  auto db = onechain::adapters::PgDatabase::Connect(conninfo);
  if (!db.ok()) return fail(db.status());
  std::signal(SIGTERM, OnSignal);
  std::signal(SIGINT, OnSignal);
  onechain::adapters::social::SocialDepartment department(**db);
  spdlog::info("social insurance adapter for {}, state in {}", options.node_url, options.state_dir);
  auto status = onechain::adapters::RunAdapter(options, **key, department, g_stop);
  return status.ok() ? 0 : fail(status);
}
