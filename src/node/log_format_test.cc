#include "node/log_format.h"

#include <gtest/gtest.h>
#include <spdlog/sinks/ostream_sink.h>
#include <spdlog/spdlog.h>

#include <nlohmann/json.hpp>
#include <sstream>

namespace onechain::node {
namespace {

TEST(LogFormat, JsonLinesParseAndCarryTheMessageExactly) {
  std::ostringstream out;
  auto sink = std::make_shared<spdlog::sinks::ostream_sink_mt>(out);
  auto previous = spdlog::default_logger();
  spdlog::set_default_logger(std::make_shared<spdlog::logger>("test", sink));
  ASSERT_TRUE(SetLogFormat("json").ok());
  ASSERT_TRUE(SetLogLevel("info").ok());
  const std::string tricky = "peer \"tax\" sent \\ junk\n\x01 and 中文";
  spdlog::warn("{}", tricky);
  spdlog::debug("not at this level");
  spdlog::set_default_logger(previous);
  ASSERT_TRUE(SetLogFormat("text").ok());

  std::string line = out.str();
  ASSERT_FALSE(line.empty());
  EXPECT_EQ(line.find('\n'), line.size() - 1) << "one line per record: " << line;
  auto json = nlohmann::json::parse(line);
  EXPECT_EQ(json["level"], "warning");
  EXPECT_EQ(json["msg"], tricky);
  EXPECT_TRUE(json["thread"].is_number());
  EXPECT_EQ(json["time"].get<std::string>().size(), std::string("2026-11-29T09:30:25.517+00:00").size());
}

TEST(LogFormat, UnknownFormatsAndLevelsAreRefused) {
  EXPECT_EQ(SetLogFormat("xml").code(), pb::Status::INVALID_ARGUMENT);
  EXPECT_EQ(SetLogLevel("verbose").code(), pb::Status::INVALID_ARGUMENT);
  EXPECT_EQ(SetLogLevel("").code(), pb::Status::INVALID_ARGUMENT);
  EXPECT_TRUE(SetLogLevel("warn").ok());
  EXPECT_EQ(spdlog::get_level(), spdlog::level::warn);
  EXPECT_TRUE(SetLogLevel("info").ok());
}

}  // namespace
}  // namespace onechain::node
