#include <google/protobuf/util/json_util.h>

#include <cstdlib>
#include <iostream>
#include <nlohmann/json.hpp>

#include "cli/commands.h"

namespace onechain::cli {

void Check(const Status& status) {
  if (!status.ok()) throw CommandError(status);
}

namespace {
void PrintFlat(const nlohmann::json& value, const std::string& prefix) {
  if (value.is_object()) {
    for (const auto& [key, item] : value.items()) {
      PrintFlat(item, prefix.empty() ? key : prefix + "." + key);
    }
  } else if (value.is_array()) {
    if (value.empty()) std::cout << prefix << ": []\n";
    for (size_t i = 0; i < value.size(); ++i) {
      PrintFlat(value[i], prefix + "[" + std::to_string(i) + "]");
    }
  } else {
    std::cout << prefix << ": " << (value.is_string() ? value.get<std::string>() : value.dump())
              << "\n";
  }
}
}  // namespace

void PrintJson(const std::string& json, bool as_json) {
  if (as_json) {
    std::cout << json << "\n";
    return;
  }
  nlohmann::json parsed = nlohmann::json::parse(json, nullptr, false);
  if (parsed.is_discarded()) {
    std::cout << json << "\n";
  } else {
    PrintFlat(parsed, "");
  }
}

std::string MessageJson(const google::protobuf::Message& message) {
  google::protobuf::util::JsonPrintOptions options;
  options.always_print_primitive_fields = true;
  std::string out;
  (void)google::protobuf::util::MessageToJsonString(message, &out, options);
  return out;
}

std::string PassphraseFromEnv(const std::string& variable) {
  const char* value = std::getenv(variable.empty() ? "ONECHAIN_PASSPHRASE" : variable.c_str());
  return value == nullptr ? std::string() : std::string(value);
}

}  // namespace onechain::cli
