// `onechain verify bundle|inclusion|consistency`: offline checks of proofs. Exit 0 when the proof
// is valid, 1 when it is not (with the reason), 2 on a usage error. docs/proof-bundle.md.
#include <cstdlib>
#include <iostream>
#include <nlohmann/json.hpp>

#include "cli/commands.h"
#include "ledger/merkle.h"
#include "ledger/merkle_proof.h"
#include "ledger/proof_bundle.h"
#include "node/document_refs.h"
#include "node/genesis.h"
#include "util/bytes.h"

namespace onechain::cli {

namespace {

constexpr int kExitValid = 0;
constexpr int kExitInvalid = 1;
constexpr int kExitUsage = 2;

struct UsageError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

struct VerifyOptions {
  bool json = false;
  std::string suite = "intl";
  // bundle
  std::string bundle_file, genesis_file, document;
  // inclusion
  std::string leaf_hash, leaf_data, root, proof;
  uint64_t index = 0, size = 0;
  // consistency
  std::string old_root, new_root;
  uint64_t old_size = 0, new_size = 0;
};

[[noreturn]] void Finish(const VerifyOptions& options, const Status& status,
                         nlohmann::json details) {
  details["valid"] = status.ok();
  if (!status.ok()) {
    details["code"] = pb::Status::Code_Name(status.code());
    details["reason"] = status.message();
  }
  if (options.json) {
    std::cout << details.dump() << "\n";
  } else if (status.ok()) {
    std::cout << "valid";
    for (const auto& [key, value] : details.items()) {
      if (key != "valid")
        std::cout << "  " << key << "="
                  << (value.is_string() ? value.get<std::string>() : value.dump());
    }
    std::cout << "\n";
  } else {
    std::cout << "invalid: " << status.ToString() << "\n";
  }
  std::cout.flush();
  std::exit(status.ok() ? kExitValid : kExitInvalid);
}

const crypto::Suite& SuiteOption(const std::string& name) {
  const crypto::Suite* suite = crypto::SuiteByName(name);
  if (suite == nullptr) throw UsageError("unknown suite '" + name + "'; use intl or sm");
  return *suite;
}

std::string Base64Option(const std::string& name, const std::string& text) {
  auto bytes = ledger::DecodeBase64(text);
  if (!bytes.has_value()) throw UsageError(name + " is not base64");
  return *bytes;
}

std::vector<std::string> ProofOption(const std::string& text) {
  std::vector<std::string> hashes;
  if (text.empty()) return hashes;
  size_t start = 0;
  while (true) {
    size_t comma = text.find(',', start);
    hashes.push_back(Base64Option("--proof hash " + std::to_string(hashes.size()),
                                  text.substr(start, comma - start)));
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  return hashes;
}

[[noreturn]] void RunInclusion(const VerifyOptions& o) {
  const crypto::Suite& suite = SuiteOption(o.suite);
  if (o.leaf_hash.empty() == o.leaf_data.empty()) {
    throw UsageError("give exactly one of --leaf-hash and --leaf-data");
  }
  std::string leaf_hash =
      o.leaf_hash.empty() ? ledger::MerkleLeafHash(suite, Base64Option("--leaf-data", o.leaf_data))
                          : Base64Option("--leaf-hash", o.leaf_hash);
  std::string root = Base64Option("--root", o.root);
  Status status =
      ledger::VerifyInclusion(suite, o.index, o.size, leaf_hash, ProofOption(o.proof), root);
  Finish(o, status,
         {{"proof", "inclusion"}, {"suite", suite.name()}, {"index", o.index}, {"size", o.size}});
}

[[noreturn]] void RunConsistency(const VerifyOptions& o) {
  const crypto::Suite& suite = SuiteOption(o.suite);
  Status status = ledger::VerifyConsistency(
      suite, o.old_size, o.new_size, Base64Option("--old-root", o.old_root),
      Base64Option("--new-root", o.new_root), ProofOption(o.proof));
  Finish(o, status,
         {{"proof", "consistency"},
          {"suite", suite.name()},
          {"oldSize", o.old_size},
          {"newSize", o.new_size}});
}

[[noreturn]] void RunBundle(const VerifyOptions& o) {
  Result<pb::Genesis> genesis = node::LoadGenesisFile(o.genesis_file);
  if (!genesis.ok()) throw UsageError("genesis: " + genesis.status().ToString());
  if (Status st = node::ValidateGenesis(*genesis); !st.ok()) {
    throw UsageError("genesis: " + st.ToString());
  }
  ledger::TrustRoot trust;
  trust.suite = crypto::GetSuite(genesis->suite());
  trust.chain_id = genesis->chain_id();
  for (const auto& validator : genesis->validators()) {
    trust.validators.add_public_keys(validator.public_key());
  }
  Result<std::string> bytes = node::ReadFile(o.bundle_file, ledger::kProofBundleBytesMax + 1);
  if (!bytes.ok()) throw UsageError("bundle: " + bytes.status().ToString());
  nlohmann::json details = {{"proof", "bundle"}, {"chainId", trust.chain_id}};
  Result<pb::ProofBundle> bundle = ledger::DecodeProofBundle(*bytes);
  if (!bundle.ok()) Finish(o, bundle.status(), details);
  auto verified = ledger::VerifyProofBundle(trust, *bundle, ledger::VerifySignatureListCertificate);
  if (!verified.ok()) Finish(o, verified.status(), details);
  details["height"] = verified->height;
  details["blockHash"] = ToHex(verified->block_hash);
  details["validatorHandoffs"] = verified->handoffs;
  if (verified->is_state) {
    details["key"] = verified->key;
    details["present"] = verified->value.has_value();
    if (verified->value.has_value()) details["value"] = ledger::EncodeBase64(*verified->value);
  } else if (!o.document.empty()) {
    Finish(o, Status(pb::Status::INVALID_ARGUMENT, "a document check needs a state proof"),
           details);
  } else {
    details["leafIndex"] = verified->leaf_index;
  }
  if (!o.document.empty()) {
    // The document check: the proven record must reference the file (node/document_refs.h).
    std::optional<std::string> file_hash = FromHex(o.document);
    if (!file_hash.has_value() || file_hash->size() != 32) {
      throw UsageError("--document is the hex of a 32-byte file hash");
    }
    details["document"] = o.document;
    if (!verified->value.has_value() ||
        !node::References(verified->key, *verified->value, *file_hash)) {
      Finish(o,
             Status(pb::Status::INVALID_ARGUMENT,
                    "the proven record " + verified->key + " does not reference the document"),
             details);
    }
  }
  Finish(o, Status::Ok(), details);
}

void AddCommonOptions(CLI::App& command, VerifyOptions& o) {
  command.add_option("--suite", o.suite, "hash suite: intl (SHA-256) or sm (SM3)");
  command.add_flag("--json", o.json, "print the result as JSON");
}

// Parses and runs `args` (what followed `onechain verify`); exits with 0, 1 or 2.
[[noreturn]] void RunVerify(std::vector<std::string> args) {
  CLI::App app("Check proofs offline: exit 0 valid, 1 invalid, 2 usage error", "onechain verify");
  app.require_subcommand(1);
  VerifyOptions o;
  auto* bundle = app.add_subcommand("bundle", "a proof bundle file, against the genesis file");
  bundle->add_option("file", o.bundle_file, "bundle: binary protobuf or armored text")->required();
  bundle->add_option("--genesis", o.genesis_file, "genesis.json of the network")->required();
  bundle->add_flag("--json", o.json, "print the result as JSON");
  bundle->add_option("--document", o.document,
                     "hex file hash: also check that the proven record references that file");
  auto* inclusion = app.add_subcommand("inclusion", "a raw RFC 6962 inclusion proof");
  inclusion->add_option("--leaf-hash", o.leaf_hash, "leaf hash, base64");
  inclusion->add_option("--leaf-data", o.leaf_data, "leaf data, base64 (hashed with 0x00)");
  inclusion->add_option("--index", o.index, "leaf index")->required();
  inclusion->add_option("--size", o.size, "tree size")->required();
  inclusion->add_option("--root", o.root, "tree root, base64")->required();
  inclusion->add_option("--proof", o.proof, "audit path: base64 hashes, comma-separated");
  AddCommonOptions(*inclusion, o);
  auto* consistency = app.add_subcommand("consistency", "a raw RFC 6962 consistency proof");
  consistency->add_option("--old-size", o.old_size, "old tree size")->required();
  consistency->add_option("--new-size", o.new_size, "new tree size")->required();
  consistency->add_option("--old-root", o.old_root, "old root, base64")->required();
  consistency->add_option("--new-root", o.new_root, "new root, base64")->required();
  consistency->add_option("--proof", o.proof, "proof: base64 hashes, comma-separated");
  AddCommonOptions(*consistency, o);
  try {
    std::reverse(args.begin(), args.end());  // CLI11 takes a vector in reverse order
    app.parse(args);
    if (bundle->parsed()) RunBundle(o);
    if (inclusion->parsed()) RunInclusion(o);
    RunConsistency(o);
  } catch (const CLI::CallForHelp&) {
    std::cout << (app.get_subcommands().empty() ? app.help() : app.get_subcommands()[0]->help());
    std::exit(kExitValid);
  } catch (const CLI::ParseError& e) {
    std::cerr << "usage error: " << e.what() << "\n"
              << "see: onechain verify --help\n";
    std::exit(kExitUsage);
  } catch (const UsageError& e) {
    std::cerr << "usage error: " << e.what() << "\n";
    std::exit(kExitUsage);
  }
}

}  // namespace

void AddVerifyCommand(CLI::App& app) {
  auto* verify = app.add_subcommand(
      "verify", "check a proof bundle or a raw RFC 6962 proof offline (onechain verify --help)");
  // Everything after `verify` is parsed by RunVerify, so that usage errors exit with 2.
  verify->prefix_command();
  verify->allow_extras();
  verify->set_help_flag();
  verify->callback([verify] { RunVerify(verify->remaining()); });
}

}  // namespace onechain::cli
