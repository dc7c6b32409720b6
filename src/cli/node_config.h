// The node's configuration file (docs/configuration.md): a TOML file of the `onechain node`
// options, one top-level key per flag (`listen = "10.77.0.1:8080"`). Unknown keys, values of the
// wrong type and bad values are refused with the file, line and key named, so a typo never turns
// into a silent default.
#pragma once

#include <map>
#include <span>
#include <string>
#include <string_view>

#include "util/status.h"

namespace onechain::cli {

// One key of the file; `onechain node --NAME` is the flag it stands for.
struct NodeConfigKey {
  const char* name;
  const char* default_value;  // as docs/configuration.md shows it; "" when there is none
  const char* meaning;
};

// Every key the file may hold, in the order docs/configuration.md lists them.
std::span<const NodeConfigKey> NodeConfigKeys();

// Checks one value of `key` (a name of NodeConfigKeys()); the message names the key, not the line.
Status CheckNodeConfigValue(std::string_view key, std::string_view value);

// What the file set: key -> value, and the line each key is on (for messages after parsing).
struct NodeConfigFile {
  std::map<std::string, std::string> values;
  std::map<std::string, int> lines;
};

// Parses the text of a file named `source` (used in messages: "node.toml:3: ...").
// INVALID_ARGUMENT on a TOML syntax error, an unknown key, a table or array, a value that is not a
// string, an empty string, or a value CheckNodeConfigValue refuses.
Result<NodeConfigFile> ParseNodeConfig(std::string_view text, const std::string& source);

// Reads and parses `path` (at most 64 KiB); IO when it cannot be read.
Result<NodeConfigFile> ReadNodeConfig(const std::string& path);

}  // namespace onechain::cli
