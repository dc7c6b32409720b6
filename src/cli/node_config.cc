#include "cli/node_config.h"

#include <toml++/toml.h>

#include <charconv>
#include <fstream>
#include <sstream>

namespace onechain::cli {

namespace {

constexpr size_t kConfigBytesMax = 64 * 1024;

constexpr NodeConfigKey kKeys[] = {
    {"genesis", "", "genesis.json of the network (required, here or as --genesis)"},
    {"key", "", "this validator's key, PKCS#8 PEM (required, here or as --key)"},
    {"passphrase-env", "ONECHAIN_PASSPHRASE",
     "environment variable holding the key's passphrase, if the key is encrypted"},
    {"data-dir", "data", "RocksDB data directory (blocks, state, webhooks)"},
    {"listen", "127.0.0.1:8080", "host:port of the REST API and /metrics"},
    {"peer-listen", "the validator's address in genesis",
     "host:port the links to the other validators listen on (several validators only)"},
    {"web-dir", "", "serve the web console from this directory (web/dist) beside /v1/"},
    {"log-level", "info", "trace, debug, info, warn, error, critical or off"},
    {"log-format", "text", "text, or json: one JSON object a line (time, level, thread, msg)"},
};

bool IsKnown(std::string_view key) {
  for (const NodeConfigKey& k : kKeys) {
    if (key == k.name) return true;
  }
  return false;
}

Status Invalid(std::string message) { return Status(pb::Status::INVALID_ARGUMENT, message); }

Status CheckHostPort(std::string_view key, std::string_view value) {
  size_t colon = value.rfind(':');
  int port = 0;
  bool ok = colon != std::string_view::npos && colon > 0 && colon + 1 < value.size();
  if (ok) {
    std::string_view digits = value.substr(colon + 1);
    auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), port);
    ok = ec == std::errc() && end == digits.data() + digits.size() && port > 0 && port <= 65535;
  }
  if (ok) return Status::Ok();
  return Invalid("'" + std::string(key) + "' must be host:port with a port from 1 to 65535, not '" +
                 std::string(value) + "'");
}

}  // namespace

std::span<const NodeConfigKey> NodeConfigKeys() { return kKeys; }

Status CheckNodeConfigValue(std::string_view key, std::string_view value) {
  if (!IsKnown(key)) return Invalid("unknown key '" + std::string(key) + "'");
  if (value.empty()) {
    return Invalid("'" + std::string(key) + "' is empty; leave the key out for its default");
  }
  if (key == "listen" || key == "peer-listen") return CheckHostPort(key, value);
  if (key == "log-level") {
    for (std::string_view level : {"trace", "debug", "info", "warn", "error", "critical", "off"}) {
      if (value == level) return Status::Ok();
    }
    return Invalid("'log-level' must be trace, debug, info, warn, error, critical or off, not '" +
                   std::string(value) + "'");
  }
  if (key == "log-format" && value != "text" && value != "json") {
    return Invalid("'log-format' must be text or json, not '" + std::string(value) + "'");
  }
  return Status::Ok();
}

Result<NodeConfigFile> ParseNodeConfig(std::string_view text, const std::string& source) {
  if (text.size() > kConfigBytesMax) {
    return Invalid(source + ": larger than " + std::to_string(kConfigBytesMax) + " bytes");
  }
  toml::table table;
  try {
    table = toml::parse(text, source);
  } catch (const toml::parse_error& e) {
    return Invalid(source + ":" + std::to_string(e.source().begin.line) + ": " +
                   std::string(e.description()));
  }
  NodeConfigFile file;
  for (auto&& [key, node] : table) {
    int line = static_cast<int>(key.source().begin.line);
    std::string where = source + ":" + std::to_string(line) + ": ";
    std::string name(key.str());
    if (!IsKnown(name)) {
      return Invalid(where + "unknown key '" + name + "' (docs/configuration.md lists the keys)");
    }
    if (!node.is_string()) {
      std::ostringstream type;
      type << node.type();
      return Invalid(where + "'" + name + "' must be a quoted string (found a TOML " + type.str() + ")");
    }
    std::string value = node.as_string()->get();
    if (Status st = CheckNodeConfigValue(name, value); !st.ok()) {
      return Invalid(where + st.message());
    }
    file.values[name] = value;
    file.lines[name] = line;
  }
  return file;
}

Result<NodeConfigFile> ReadNodeConfig(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status(pb::Status::IO, "cannot read config file " + path);
  std::string text(kConfigBytesMax + 1, '\0');
  in.read(text.data(), static_cast<std::streamsize>(text.size()));
  text.resize(static_cast<size_t>(in.gcount()));
  if (in.bad()) return Status(pb::Status::IO, "cannot read config file " + path);
  return ParseNodeConfig(text, path);
}

}  // namespace onechain::cli
