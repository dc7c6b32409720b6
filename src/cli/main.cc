// onechain: keys, genesis, node, tx, query. Every command has --help, prints JSON with --json,
// and exits non-zero with a clear message on error.
#include <iostream>

#include "cli/commands.h"

int main(int argc, char** argv) {
  CLI::App app("OneChain: a consortium blockchain for bankruptcy cases", "onechain");
  app.require_subcommand(1);
  onechain::cli::AddKeysCommands(app);
  onechain::cli::AddGenesisCommands(app);
  onechain::cli::AddNodeCommand(app);
  onechain::cli::AddTxCommands(app);
  onechain::cli::AddQueryCommands(app);
  onechain::cli::AddVerifyCommand(app);
  onechain::cli::AddDemoCommands(app);
  onechain::cli::AddNetCommands(app);
  onechain::cli::AddBackupCommands(app);
  onechain::cli::AddBlobCommands(app);
  onechain::cli::AddSnapshotCommands(app);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e);
  } catch (const onechain::cli::CommandError& e) {
    std::cerr << "error: " << e.what() << "\n";
    return 1;
  }
  return 0;
}
