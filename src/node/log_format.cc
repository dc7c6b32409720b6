#include "node/log_format.h"

#include <spdlog/pattern_formatter.h>
#include <spdlog/spdlog.h>

#include <array>
#include <cstdio>

namespace onechain::node {

namespace {

// %* in the pattern: the message as the inside of a JSON string.
class JsonEscapedMessage : public spdlog::custom_flag_formatter {
 public:
  void format(const spdlog::details::log_msg& msg, const std::tm&,
              spdlog::memory_buf_t& dest) override {
    for (char c : std::string_view(msg.payload.data(), msg.payload.size())) {
      auto append = [&dest](std::string_view text) { dest.append(text.data(), text.data() + text.size()); };
      switch (c) {
        case '"': append("\\\""); break;
        case '\\': append("\\\\"); break;
        case '\n': append("\\n"); break;
        case '\r': append("\\r"); break;
        case '\t': append("\\t"); break;
        default:
          if (static_cast<unsigned char>(c) < 0x20) {
            std::array<char, 8> escaped{};
            std::snprintf(escaped.data(), escaped.size(), "\\u%04x", c);
            append(escaped.data());
          } else {
            dest.push_back(c);
          }
      }
    }
  }
  std::unique_ptr<custom_flag_formatter> clone() const override {
    return std::make_unique<JsonEscapedMessage>();
  }
};

}  // namespace

Status SetLogFormat(const std::string& format) {
  if (format == "text") {
    spdlog::set_pattern("%+");
    return Status::Ok();
  }
  if (format != "json") {
    return Status(pb::Status::INVALID_ARGUMENT,
                  "--log-format must be text or json, not '" + format + "'");
  }
  auto formatter = std::make_unique<spdlog::pattern_formatter>();
  formatter->add_flag<JsonEscapedMessage>('*').set_pattern(
      R"({"time":"%Y-%m-%dT%H:%M:%S.%e%z","level":"%l","thread":%t,"msg":"%*"})");
  spdlog::set_formatter(std::move(formatter));
  return Status::Ok();
}

Status SetLogLevel(const std::string& level) {
  for (const char* known : {"trace", "debug", "info", "warn", "error", "critical", "off"}) {
    if (level == known) {
      spdlog::set_level(spdlog::level::from_str(level));
      return Status::Ok();
    }
  }
  return Status(pb::Status::INVALID_ARGUMENT,
                "--log-level must be trace, debug, info, warn, error, critical or off, not '" +
                    level + "'");
}

}  // namespace onechain::node
