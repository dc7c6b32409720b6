// `onechain node`: run a validator node with the REST API.
#include <spdlog/spdlog.h>

#include <atomic>
#include <cassert>
#include <csignal>
#include <filesystem>
#include <thread>

#include "api/server.h"
#include "cli/commands.h"
#include "cli/node_config.h"
#include "node/log_format.h"
#include "node/node.h"

namespace onechain::cli {

namespace {
volatile std::sig_atomic_t g_stop_requested = 0;
void OnSignal(int) { g_stop_requested = 1; }

struct Options {
  std::string data_dir = "data", genesis, key, passphrase_env, listen = "127.0.0.1:8080";
  std::string log_level = "info", log_format = "text", config;
  std::string web_dir;
  std::string peer_listen;
};

// Fills from the config file (node_config.h) every option the command line did not give.
void ApplyConfigFile(const CLI::App& cmd, Options& options) {
  NodeConfigFile file = Take(ReadNodeConfig(options.config));
  const std::pair<const char*, std::string*> fields[] = {
      {"data-dir", &options.data_dir}, {"genesis", &options.genesis},
      {"key", &options.key},           {"passphrase-env", &options.passphrase_env},
      {"listen", &options.listen},     {"log-level", &options.log_level},
      {"log-format", &options.log_format},
      {"peer-listen", &options.peer_listen}, {"web-dir", &options.web_dir}};
  assert(std::size(fields) == NodeConfigKeys().size());  // every key of the file has its flag
  for (const auto& [name, field] : fields) {
    auto it = file.values.find(name);
    if (it != file.values.end() && cmd.count(std::string("--") + name) == 0) *field = it->second;
  }
}
}  // namespace

void AddNodeCommand(CLI::App& app) {
  auto options = std::make_shared<Options>();
  CLI::App* cmd = app.add_subcommand("node", "Run a validator node with the REST API");
  cmd->add_option("--config", options->config,
                  "TOML file of these options (genesis = \"...\", key, data-dir, listen, ...; "
                  "docs/configuration.md); flags given on the command line win");
  cmd->add_option("--data-dir", options->data_dir, "RocksDB data directory")
      ->capture_default_str();
  // Required, but checked in the callback: a config file may supply them.
  cmd->add_option("--genesis", options->genesis, "genesis.json (required)");
  cmd->add_option("--key", options->key, "Validator key, PEM (required)");
  cmd->add_option("--passphrase-env", options->passphrase_env,
                  "Environment variable holding the key's passphrase");
  cmd->add_option("--listen", options->listen, "host:port of the REST API")->capture_default_str();
  cmd->add_option("--log-level", options->log_level, "trace, debug, info, warn, error");
  cmd->add_option("--log-format", options->log_format,
                  "text, or json: one JSON object a line (time, level, thread, msg)");
  cmd->add_option("--web-dir", options->web_dir,
                  "Serve the web console's files from this directory (web/dist) beside /v1/");
  cmd->add_option("--peer-listen", options->peer_listen,
                  "host:port for the links to the other validators (default: this validator's "
                  "address in genesis); used when genesis names several validators");
  cmd->callback([options, cmd] {
    if (!options->config.empty()) ApplyConfigFile(*cmd, *options);
    if (options->genesis.empty() || options->key.empty()) {
      throw CommandError(Status(pb::Status::INVALID_ARGUMENT,
                                "--genesis and --key are required (as flags or in --config)"));
    }
    if (Status st = node::SetLogLevel(options->log_level); !st.ok()) throw CommandError(st);
    if (Status st = node::SetLogFormat(options->log_format); !st.ok()) throw CommandError(st);
    spdlog::flush_on(spdlog::level::info);  // a log that survives kill -9
    size_t colon = options->listen.rfind(':');
    int port = colon == std::string::npos ? -1 : std::atoi(options->listen.c_str() + colon + 1);
    if (port <= 0 || port > 65535) {
      throw CommandError(Status(pb::Status::INVALID_ARGUMENT,
                                "--listen must be host:port, not '" + options->listen + "'"));
    }
    std::string host = options->listen.substr(0, colon);
    if (!options->web_dir.empty() &&
        !std::filesystem::is_regular_file(options->web_dir + "/index.html")) {
      throw CommandError(Status(pb::Status::INVALID_ARGUMENT,
                                "--web-dir " + options->web_dir + " holds no index.html"));
    }
    node::Config config{options->data_dir, options->genesis, options->key,
                        PassphraseFromEnv(options->passphrase_env), options->peer_listen};
    auto node = Take(node::Node::Open(config));
    node->Start();
    api::Server server(*node);
    if (!options->web_dir.empty()) server.ServeStatic(options->web_dir);
    if (Status st = server.EnableWebhooks(options->data_dir + "/webhooks"); !st.ok()) {
      throw CommandError(st);
    }
    std::signal(SIGINT, OnSignal);
    std::signal(SIGTERM, OnSignal);
    Status listen_status;
    std::atomic<bool> listen_failed{false};
    std::thread http([&] {
      listen_status = server.Listen(host, port);
      listen_failed = !listen_status.ok();
    });
    spdlog::info("node of chain '{}' at height {}, API on http://{}:{}",
                 node->chain().genesis().chain_id(), node->height(), host, port);
    while (!g_stop_requested) {
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
      if (listen_failed) break;
    }
    server.Stop();
    http.join();
    node->Stop();
    Check(listen_status);
    spdlog::info("node stopped at height {}", node->height());
  });
}

}  // namespace onechain::cli
