// api/openapi.yaml describes exactly the routes the server serves: a route added to the server
// without its description, or described and not served, fails here. The document's references
// resolve and its list of error codes is proto/types.proto's.
#include <gtest/gtest.h>
#include <yaml-cpp/yaml.h>

#include <filesystem>
#include <set>

#include "api/server.h"
#include "node/genesis.h"
#include "node/node.h"

namespace onechain::api {
namespace {

const std::string kOpenApiPath = std::string(ONECHAIN_SOURCE_DIR) + "/api/openapi.yaml";

// A node in a temporary directory, only so that a Server can be built and its routes read.
class OpenApiTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("onechain-openapi-test-" + std::to_string(getpid()));
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
    auto admin = *crypto::GenerateKey(pb::SUITE_INTL);
    auto validator = *crypto::GenerateKey(pb::SUITE_INTL);
    pb::Genesis genesis;
    genesis.set_chain_id("openapi-test");
    genesis.set_suite(pb::SUITE_INTL);
    pb::GenesisOrg* court = genesis.add_orgs();
    court->set_id("court");
    court->set_kind(pb::ORG_KIND_COURT);
    court->set_admin_public_key(admin->public_key());
    pb::GenesisValidator* v = genesis.add_validators();
    v->set_org_id("court");
    v->set_public_key(validator->public_key());
    node::Config config;
    config.data_dir = (dir_ / "data").string();
    config.genesis_path = (dir_ / "genesis.json").string();
    config.validator_key_path = (dir_ / "validator.pem").string();
    ASSERT_TRUE(node::WriteFile(config.genesis_path, node::GenesisJson(genesis)).ok());
    ASSERT_TRUE(node::WriteFile(config.validator_key_path, *validator->ToPem("")).ok());
    auto opened = node::Node::Open(config);
    ASSERT_TRUE(opened.ok()) << opened.status().ToString();
    node_ = std::move(*opened);
    server_ = std::make_unique<Server>(*node_);
    doc_ = YAML::LoadFile(kOpenApiPath);
  }

  void TearDown() override {
    server_.reset();
    node_.reset();
    std::filesystem::remove_all(dir_);
  }

  std::filesystem::path dir_;
  std::unique_ptr<node::Node> node_;
  std::unique_ptr<Server> server_;
  YAML::Node doc_;
};

std::string Upper(std::string text) {
  for (char& c : text) c = static_cast<char>(toupper(c));
  return text;
}

// Every "$ref" below `node`.
void CollectRefs(const YAML::Node& node, std::vector<std::string>& refs) {
  if (node.IsMap()) {
    for (const auto& entry : node) {
      if (entry.first.as<std::string>() == "$ref") {
        refs.push_back(entry.second.as<std::string>());
      } else {
        CollectRefs(entry.second, refs);
      }
    }
  } else if (node.IsSequence()) {
    for (const auto& item : node) CollectRefs(item, refs);
  }
}

TEST_F(OpenApiTest, DescribesExactlyTheServedRoutes) {
  ASSERT_EQ(doc_["openapi"].as<std::string>().substr(0, 2), "3.");
  std::set<std::string> documented;
  for (const auto& path : doc_["paths"]) {
    for (const auto& operation : path.second) {
      documented.insert(Upper(operation.first.as<std::string>()) + " " +
                        path.first.as<std::string>());
    }
  }
  std::set<std::string> served(server_->routes().begin(), server_->routes().end());
  ASSERT_FALSE(served.empty());
  for (const std::string& route : served) {
    EXPECT_TRUE(documented.contains(route)) << route << " is served but not in " << kOpenApiPath;
  }
  for (const std::string& route : documented) {
    EXPECT_TRUE(served.contains(route)) << route << " is described but not served";
  }
}

TEST_F(OpenApiTest, OperationsHaveIdsAndResponsesAndReferencesResolve) {
  std::set<std::string> ids;
  for (const auto& path : doc_["paths"]) {
    for (const auto& operation : path.second) {
      std::string where = operation.first.as<std::string>() + " " + path.first.as<std::string>();
      ASSERT_TRUE(operation.second["operationId"]) << where;
      EXPECT_TRUE(ids.insert(operation.second["operationId"].as<std::string>()).second)
          << "duplicate operationId at " << where;
      ASSERT_TRUE(operation.second["responses"]) << where;
      EXPECT_GT(operation.second["responses"].size(), 0u) << where;
    }
  }
  std::vector<std::string> refs;
  CollectRefs(doc_, refs);
  ASSERT_FALSE(refs.empty());
  for (const std::string& ref : refs) {
    ASSERT_EQ(ref.rfind("#/components/", 0), 0u) << ref;
    // Node::reset rebinds; assignment would overwrite the node it refers to.
    YAML::Node target;
    target.reset(doc_);
    std::string rest = ref.substr(2);
    for (size_t start = 0; start <= rest.size();) {
      size_t slash = rest.find('/', start);
      std::string part = rest.substr(start, slash == std::string::npos ? std::string::npos
                                                                       : slash - start);
      target.reset(target[part]);
      ASSERT_TRUE(target) << ref << " does not resolve";
      if (slash == std::string::npos) break;
      start = slash + 1;
    }
  }
}

TEST_F(OpenApiTest, ErrorCodesAreTheProtocolsCodes) {
  std::set<std::string> documented;
  for (const auto& code : doc_["components"]["schemas"]["StatusCode"]["enum"]) {
    documented.insert(code.as<std::string>());
  }
  std::set<std::string> defined;
  const google::protobuf::EnumDescriptor* codes = pb::Status::Code_descriptor();
  for (int i = 0; i < codes->value_count(); ++i) defined.insert(codes->value(i)->name());
  EXPECT_EQ(documented, defined);
}

}  // namespace
}  // namespace onechain::api
