// `onechain snapshot export|import`: a node's committed state at one height in one file, and a
// new data directory made from such a file after it verified against the genesis
// (src/node/snapshot.h, docs/snapshots.md).
#include <iostream>
#include <memory>

#include "cli/commands.h"
#include "node/genesis.h"
#include "node/snapshot.h"
#include "util/bytes.h"

namespace onechain::cli {

namespace {

struct SnapshotOptions {
  std::string data_dir = "data";
  std::string out;
  std::string in;
  std::string genesis;
};

void Print(const char* what, const std::string& path, const node::SnapshotInfo& info) {
  std::cout << what << " " << path << ": height " << info.height << ", block "
            << ToHex(info.block_hash) << ", state root " << ToHex(info.state_root) << ", "
            << info.state_entries << " state entries, " << info.state_nodes
            << " state tree records, " << info.bytes << " bytes\n";
}

}  // namespace

void AddSnapshotCommands(CLI::App& app) {
  auto options = std::make_shared<SnapshotOptions>();
  auto* snapshot = app.add_subcommand("snapshot", "state snapshots: export, and import for a new node");
  snapshot->require_subcommand(1);
  auto* out = snapshot->add_subcommand(
      "export", "write the committed state of --data-dir (its node may be running) to --out");
  out->add_option("--data-dir", options->data_dir, "the validator's data directory")
      ->capture_default_str();
  out->add_option("--out", options->out, "the snapshot file to write")->required();
  out->callback([options] {
    Print("exported", options->out, Take(node::ExportSnapshot(options->data_dir, options->out)));
  });
  auto* in = snapshot->add_subcommand(
      "import", "verify --in against --genesis and make --data-dir from it (no database there)");
  in->add_option("--in", options->in, "the snapshot file")->required();
  in->add_option("--genesis", options->genesis, "the network's genesis.json")->required();
  in->add_option("--data-dir", options->data_dir, "the new node's data directory")->required();
  in->callback([options] {
    pb::Genesis genesis = Take(node::LoadGenesisFile(options->genesis));
    Print("imported", options->in,
          Take(node::ImportSnapshot(options->in, options->data_dir, genesis)));
  });
}

}  // namespace onechain::cli
