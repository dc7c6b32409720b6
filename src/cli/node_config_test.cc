// The node's config file: every key is read, unknown keys, wrong types and bad values are refused
// with the file, line and key named, and deploy/node.toml itself parses.
#include "cli/node_config.h"

#include <gtest/gtest.h>

#include <fstream>
#include <iterator>
#include <set>

namespace onechain::cli {
namespace {

std::string Error(std::string_view text) {
  auto parsed = ParseNodeConfig(text, "node.toml");
  EXPECT_FALSE(parsed.ok()) << text;
  if (parsed.ok()) return "";
  EXPECT_EQ(parsed.status().code(), pb::Status::INVALID_ARGUMENT);
  return parsed.status().message();
}

TEST(NodeConfig, ReadsEveryKeyWithItsLine) {
  auto parsed = ParseNodeConfig(
      "# comment\n"
      "genesis = \"net/genesis.json\"\n"
      "key = 'net/keys/validator-0.pem'\n"
      "passphrase-env = \"VALIDATOR_PASS\"\n"
      "data-dir = \"/var/lib/onechain\"\n"
      "listen = \"0.0.0.0:8080\"   # trailing comment\n"
      "peer-listen = \"10.77.0.1:26600\"\n"
      "web-dir = \"/usr/share/onechain/web\"\n"
      "log-level = \"warn\"\n"
      "log-format = \"json\"\n",
      "node.toml");
  ASSERT_TRUE(parsed.ok()) << parsed.status().ToString();
  EXPECT_EQ(parsed->values.size(), NodeConfigKeys().size());
  EXPECT_EQ(parsed->values.at("genesis"), "net/genesis.json");
  EXPECT_EQ(parsed->values.at("key"), "net/keys/validator-0.pem");
  EXPECT_EQ(parsed->values.at("data-dir"), "/var/lib/onechain");
  EXPECT_EQ(parsed->values.at("listen"), "0.0.0.0:8080");
  EXPECT_EQ(parsed->values.at("peer-listen"), "10.77.0.1:26600");
  EXPECT_EQ(parsed->values.at("log-format"), "json");
  EXPECT_EQ(parsed->lines.at("genesis"), 2);
  EXPECT_EQ(parsed->lines.at("log-format"), 10);
}

TEST(NodeConfig, EmptyFileSetsNothing) {
  auto parsed = ParseNodeConfig("\n# nothing here\n", "node.toml");
  ASSERT_TRUE(parsed.ok());
  EXPECT_TRUE(parsed->values.empty());
}

TEST(NodeConfig, UnknownKeyNamesKeyAndLine) {
  std::string message = Error("genesis = \"g.json\"\n\nlisten-addr = \"127.0.0.1:1\"\n");
  EXPECT_NE(message.find("node.toml:3:"), std::string::npos) << message;
  EXPECT_NE(message.find("unknown key 'listen-addr'"), std::string::npos) << message;
}

TEST(NodeConfig, TablesAndNestedKeysAreUnknown) {
  EXPECT_NE(Error("[node]\ngenesis = \"g.json\"\n").find("unknown key 'node'"), std::string::npos);
  EXPECT_NE(Error("node.genesis = \"g.json\"\n").find("unknown key 'node'"), std::string::npos);
}

TEST(NodeConfig, WrongTypeNamesKeyLineAndType) {
  std::string message = Error("genesis = \"g.json\"\nlisten = 8080\n");
  EXPECT_NE(message.find("node.toml:2: 'listen' must be a quoted string"), std::string::npos)
      << message;
  EXPECT_NE(message.find("integer"), std::string::npos) << message;
  EXPECT_NE(Error("log-level = [\"info\"]\n").find("array"), std::string::npos);
  EXPECT_NE(Error("key = true\n").find("boolean"), std::string::npos);
}

TEST(NodeConfig, BadValuesNameKeyAndLine) {
  struct Case {
    const char* text;
    const char* expected;
  } cases[] = {
      {"listen = \"127.0.0.1\"\n", "node.toml:1: 'listen' must be host:port"},
      {"\nlisten = \"127.0.0.1:0\"\n", "node.toml:2: 'listen' must be host:port"},
      {"listen = \"127.0.0.1:65536\"\n", "'listen' must be host:port"},
      {"listen = \":8080\"\n", "'listen' must be host:port"},
      {"listen = \"h:80x\"\n", "'listen' must be host:port"},
      {"peer-listen = \"10.77.0.1:\"\n", "'peer-listen' must be host:port"},
      {"log-level = \"loud\"\n", "node.toml:1: 'log-level' must be trace"},
      {"log-format = \"xml\"\n", "'log-format' must be text or json, not 'xml'"},
      {"data-dir = \"\"\n", "node.toml:1: 'data-dir' is empty"},
  };
  for (const Case& c : cases) {
    std::string message = Error(c.text);
    EXPECT_NE(message.find(c.expected), std::string::npos) << c.text << " -> " << message;
  }
}

TEST(NodeConfig, SyntaxErrorNamesLine) {
  std::string message = Error("genesis = \"g.json\"\nkey = \"unterminated\n");
  EXPECT_EQ(message.rfind("node.toml:2:", 0), 0u) << message;
  EXPECT_NE(Error("genesis = \"a\"\ngenesis = \"b\"\n").find("node.toml:2:"), std::string::npos);
}

TEST(NodeConfig, OversizedFileIsRefused) {
  std::string text = "# " + std::string(70 * 1024, 'x') + "\n";
  EXPECT_NE(Error(text).find("larger than"), std::string::npos);
}

TEST(NodeConfig, KeysAreUniqueAndDocumented) {
  std::set<std::string> names;
  for (const NodeConfigKey& key : NodeConfigKeys()) {
    EXPECT_TRUE(names.insert(key.name).second) << key.name;
    EXPECT_NE(std::string(key.meaning), "") << key.name;
  }
  // docs/configuration.md lists every key the parser accepts.
  std::ifstream in(ONECHAIN_SOURCE_DIR "/docs/configuration.md");
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  ASSERT_FALSE(text.empty());
  for (const std::string& name : names) {
    EXPECT_NE(text.find("| `" + name + "` |"), std::string::npos) << name << " not documented";
  }
}

TEST(NodeConfig, ShippedExampleParses) {
  auto parsed = ReadNodeConfig(ONECHAIN_SOURCE_DIR "/deploy/node.toml");
  ASSERT_TRUE(parsed.ok()) << parsed.status().ToString();
  EXPECT_TRUE(parsed->values.contains("genesis"));
  auto systemd = ReadNodeConfig(ONECHAIN_SOURCE_DIR "/deploy/systemd/node.toml");
  ASSERT_TRUE(systemd.ok()) << systemd.status().ToString();
  EXPECT_TRUE(systemd->values.contains("key"));
}

TEST(NodeConfig, MissingFileIsIo) {
  auto parsed = ReadNodeConfig("/nonexistent/node.toml");
  ASSERT_FALSE(parsed.ok());
  EXPECT_EQ(parsed.status().code(), pb::Status::IO);
}

}  // namespace
}  // namespace onechain::cli
