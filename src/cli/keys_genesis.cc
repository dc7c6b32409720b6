// `onechain keys new|show` and `onechain genesis new`.
#include <chrono>
#include <filesystem>
#include <iostream>
#include <nlohmann/json.hpp>

#include "cli/commands.h"
#include "contracts/executor.h"
#include "crypto/crypto.h"
#include "node/genesis.h"
#include "util/bytes.h"

namespace onechain::cli {

namespace {

pb::Suite SuiteFromName(const std::string& name) {
  const crypto::Suite* suite = crypto::SuiteByName(name);
  if (suite == nullptr) {
    throw CommandError(Status(pb::Status::INVALID_ARGUMENT,
                              "unknown suite '" + name + "'; use intl or sm"));
  }
  return suite->id();
}

nlohmann::json KeyInfo(const crypto::PrivateKey& key, const std::string& path) {
  const crypto::Suite& suite = *crypto::GetSuite(key.suite());
  return {{"file", path},
          {"suite", suite.name()},
          {"publicKey", ToHex(key.public_key())},
          {"accountId", contracts::AccountIdForKey(suite, key.public_key())}};
}

void CheckKeyCount(const char* flag, const std::vector<std::string>& keys, size_t expected) {
  if (!keys.empty() && keys.size() != expected) {
    throw CommandError(Status(pb::Status::INVALID_ARGUMENT,
                              std::string(flag) + " names " + std::to_string(keys.size()) +
                                  " keys; " + std::to_string(expected) + " expected"));
  }
}

// A public key given in hex on the command line, checked against the suite's key size.
std::string GivenPublicKey(pb::Suite suite, const std::string& hex) {
  std::optional<std::string> key = FromHex(hex);
  const size_t bytes = crypto::GetSuite(suite)->public_key_bytes();
  if (!key || key->size() != bytes) {
    throw CommandError(Status(pb::Status::INVALID_ARGUMENT,
                              "'" + hex + "' is not a public key of this suite (" +
                                  std::to_string(bytes) + " bytes in hex)"));
  }
  return *key;
}

// Writes a new key to `path` (mode 0600) and returns it; refuses to overwrite.
std::unique_ptr<crypto::PrivateKey> WriteNewKey(pb::Suite suite, const std::string& path,
                                                const std::string& passphrase) {
  if (std::filesystem::exists(path)) {
    throw CommandError(Status(pb::Status::ALREADY_EXISTS, path + " exists; not overwriting a key"));
  }
  auto key = Take(crypto::GenerateKey(suite));
  Check(node::WriteFile(path, Take(key->ToPem(passphrase)), 0600));
  return key;
}

struct DefaultOrg {
  const char* id;
  const char* name;
  pb::OrgKind kind;
};
constexpr DefaultOrg kDefaultOrgs[] = {
    {"court", "People's Court (bankruptcy tribunal)", pb::ORG_KIND_COURT},
    {"tax", "Tax Bureau", pb::ORG_KIND_TAX_BUREAU},
    {"market", "Market Regulation Administration", pb::ORG_KIND_MARKET_REGULATOR},
    {"association", "Bankruptcy Administrators' Association",
     pb::ORG_KIND_ADMINISTRATORS_ASSOCIATION},
    {"social", "Social Insurance Fund Administration", pb::ORG_KIND_DEPARTMENT},
};

}  // namespace

void AddKeysCommands(CLI::App& app) {
  CLI::App* keys = app.add_subcommand("keys", "Generate and inspect signing keys");
  keys->require_subcommand(1);

  struct NewOptions {
    std::string out, suite = "intl", passphrase_env;
    bool json = false;
  };
  auto new_options = std::make_shared<NewOptions>();
  CLI::App* new_cmd = keys->add_subcommand("new", "Generate a key as PKCS#8 PEM (mode 0600)");
  new_cmd->add_option("--out", new_options->out, "File to write")->required();
  new_cmd->add_option("--suite", new_options->suite, "intl (Ed25519) or sm (SM2)");
  new_cmd->add_option("--passphrase-env", new_options->passphrase_env,
                      "Environment variable holding a passphrase to encrypt the key");
  new_cmd->add_flag("--json", new_options->json, "Print JSON");
  new_cmd->callback([new_options] {
    auto key = WriteNewKey(SuiteFromName(new_options->suite), new_options->out,
                           PassphraseFromEnv(new_options->passphrase_env));
    PrintJson(KeyInfo(*key, new_options->out).dump(), new_options->json);
  });

  struct ShowOptions {
    std::string file, passphrase_env;
    bool json = false;
  };
  auto show_options = std::make_shared<ShowOptions>();
  CLI::App* show = keys->add_subcommand("show", "Show a key's suite, public key and account id");
  show->add_option("file", show_options->file, "PEM key file")->required();
  show->add_option("--passphrase-env", show_options->passphrase_env,
                   "Environment variable holding the key's passphrase");
  show->add_flag("--json", show_options->json, "Print JSON");
  show->callback([show_options] {
    std::string pem = Take(node::ReadFile(show_options->file, 64 * 1024));
    auto key = Take(crypto::PrivateKeyFromPem(pem, PassphraseFromEnv(show_options->passphrase_env)));
    PrintJson(KeyInfo(*key, show_options->file).dump(), show_options->json);
  });
}

void AddGenesisCommands(CLI::App& app) {
  CLI::App* genesis = app.add_subcommand("genesis", "Create a network");
  genesis->require_subcommand(1);
  struct Options {
    std::string out, chain_id = "onechain-local", suite = "intl", passphrase_env;
    int validators = 1;
    int base_port = 26600;
    std::vector<std::string> peer_addresses;
    std::vector<std::string> admin_public_keys, validator_public_keys;
    uint64_t day_ms = 0;
    bool json = false;
  };
  auto options = std::make_shared<Options>();
  CLI::App* new_cmd = genesis->add_subcommand(
      "new",
      "Create genesis.json and keys for the court, tax bureau, market regulator and "
      "administrators' association, and the validators");
  new_cmd->add_option("--out", options->out, "Directory for genesis.json and keys/")->required();
  new_cmd->add_option("--chain-id", options->chain_id, "Chain id");
  new_cmd->add_option("--suite", options->suite, "intl (Ed25519, SHA-256) or sm (SM2, SM3)");
  new_cmd->add_option("--validators", options->validators, "Number of validators (1 to 7)")
      ->check(CLI::Range(1, 7));
  new_cmd->add_option("--base-port", options->base_port, "First validator's peer port");
  new_cmd->add_option("--peer-addresses", options->peer_addresses,
                      "host:port of each validator's peer links, in order, comma-separated, for "
                      "validators on several hosts (default: 127.0.0.1:base-port+i)")
      ->delimiter(',');
  new_cmd->add_option("--admin-public-keys", options->admin_public_keys,
                      "hex public keys of the organizations' admins in genesis order (court, tax, "
                      "market, association, social), comma-separated, as `keys show` prints them: "
                      "each organization keeps its private key; default: new keys in keys/")
      ->delimiter(',');
  new_cmd->add_option("--validator-public-keys", options->validator_public_keys,
                      "hex public keys of the validators, in order, comma-separated; default: new "
                      "keys in keys/")
      ->delimiter(',');
  new_cmd->add_option("--passphrase-env", options->passphrase_env,
                      "Environment variable holding a passphrase to encrypt the keys");
  new_cmd->add_option("--day-ms", options->day_ms,
                      "Length of a statutory day in ms of block time, for demo and test networks "
                      "only (0: a real day)")
      ->check(CLI::Range(uint64_t{0}, uint64_t{86'400'000}));
  new_cmd->add_flag("--json", options->json, "Print JSON");
  new_cmd->callback([options] {
    if (!options->peer_addresses.empty() &&
        options->peer_addresses.size() != static_cast<size_t>(options->validators)) {
      throw CommandError(Status(pb::Status::INVALID_ARGUMENT,
                                "--peer-addresses names " +
                                    std::to_string(options->peer_addresses.size()) +
                                    " addresses for " + std::to_string(options->validators) +
                                    " validators"));
    }
    pb::Suite suite = SuiteFromName(options->suite);
    CheckKeyCount("--admin-public-keys", options->admin_public_keys, std::size(kDefaultOrgs));
    CheckKeyCount("--validator-public-keys", options->validator_public_keys,
                  static_cast<size_t>(options->validators));
    std::filesystem::path dir(options->out);
    std::filesystem::create_directories(dir / "keys");
    std::string passphrase = PassphraseFromEnv(options->passphrase_env);
    pb::Genesis genesis;
    genesis.set_chain_id(options->chain_id);
    genesis.set_suite(suite);
    genesis.set_genesis_time_ms(std::chrono::duration_cast<std::chrono::milliseconds>(
                                    std::chrono::system_clock::now().time_since_epoch())
                                    .count());
    genesis.mutable_params()->set_day_ms(options->day_ms);
    nlohmann::json summary = {{"genesis", (dir / "genesis.json").string()},
                              {"keys", nlohmann::json::array()}};
    // The i-th of `given` if keys were given, else a new key written to keys/NAME.pem.
    auto public_key = [&](const std::vector<std::string>& given, size_t i,
                          const std::string& name) {
      if (!given.empty()) return GivenPublicKey(suite, given[i]);
      std::string path = (dir / "keys" / (name + ".pem")).string();
      auto key = WriteNewKey(suite, path, passphrase);
      summary["keys"].push_back(KeyInfo(*key, path));
      return key->public_key();
    };
    for (size_t i = 0; i < std::size(kDefaultOrgs); ++i) {
      const DefaultOrg& org = kDefaultOrgs[i];
      pb::GenesisOrg* entry = genesis.add_orgs();
      entry->set_id(org.id);
      entry->set_name(org.name);
      entry->set_kind(org.kind);
      entry->set_admin_public_key(
          public_key(options->admin_public_keys, i, std::string(org.id) + "-admin"));
      entry->set_admin_name(std::string(org.id) + " admin");
    }
    for (int i = 0; i < options->validators; ++i) {
      pb::GenesisValidator* validator = genesis.add_validators();
      validator->set_org_id(kDefaultOrgs[i % std::size(kDefaultOrgs)].id);
      validator->set_public_key(public_key(options->validator_public_keys, static_cast<size_t>(i),
                                           "validator-" + std::to_string(i)));
      validator->set_address(options->peer_addresses.empty()
                                 ? "127.0.0.1:" + std::to_string(options->base_port + i)
                                 : options->peer_addresses[i]);
    }
    Check(node::ValidateGenesis(genesis));
    Check(node::WriteFile((dir / "genesis.json").string(), node::GenesisJson(genesis)));
    PrintJson(summary.dump(), options->json);
  });
}

}  // namespace onechain::cli
