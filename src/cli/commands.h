// Subcommands of the `onechain` binary. Each Add* registers one subcommand tree on `app`; the
// callbacks throw CommandError, which main() turns into "error: CODE: message" and exit 1.
#pragma once

#include <CLI/CLI.hpp>
#include <google/protobuf/message.h>
#include <google/protobuf/util/json_util.h>

#include <stdexcept>
#include <string>

#include "util/status.h"

namespace onechain::cli {

struct CommandError : std::runtime_error {
  explicit CommandError(const Status& status)
      : std::runtime_error(status.ToString()), status(status) {}
  Status status;
};

// Parses a node's JSON reply into T; a reply that is not T's JSON throws MALFORMED.
template <typename T>
T ParseReply(const std::string& json) {
  T message;
  auto status = google::protobuf::util::JsonStringToMessage(json, &message);
  if (!status.ok()) {
    throw CommandError(Status(pb::Status::MALFORMED, "unexpected reply from the node: " +
                                                         std::string(status.message())));
  }
  return message;
}

// Throws CommandError unless `status` is OK.
void Check(const Status& status);
template <typename T>
T Take(Result<T> result) {
  Check(result.status());
  return std::move(result).value();
}

// Prints `json` as is with --json, or as "field: value" lines for people.
void PrintJson(const std::string& json, bool as_json);
std::string MessageJson(const google::protobuf::Message& message);
// The passphrase named by --passphrase-env (or ONECHAIN_PASSPHRASE), empty if unset.
std::string PassphraseFromEnv(const std::string& variable);

void AddKeysCommands(CLI::App& app);
void AddGenesisCommands(CLI::App& app);
void AddNodeCommand(CLI::App& app);
void AddTxCommands(CLI::App& app);
void AddQueryCommands(CLI::App& app);
void AddVerifyCommand(CLI::App& app);
void AddDemoCommands(CLI::App& app);
void AddNetCommands(CLI::App& app);
void AddBackupCommands(CLI::App& app);
void AddBlobCommands(CLI::App& app);
void AddSnapshotCommands(CLI::App& app);

}  // namespace onechain::cli
