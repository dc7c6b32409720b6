// `onechain backup create|restore`: a consistent copy of a node's RocksDB while the node runs, and
// its restore into a new data directory (src/ledger/backup.h).
#include <iostream>
#include <memory>

#include <unistd.h>

#include "cli/commands.h"
#include "ledger/backup.h"
#include "util/bytes.h"

namespace onechain::cli {

namespace {

struct BackupOptions {
  std::string data_dir = "data";
  std::string out;
  std::string from;
};

void Print(const char* what, const std::string& dir, const ledger::BackupInfo& info) {
  std::cout << what << " " << dir << ": height " << info.height << ", head "
            << ToHex(info.head_hash);
  if (info.keys > 0) std::cout << ", " << info.keys << " keys";
  std::cout << "\n";
}

}  // namespace

void AddBackupCommands(CLI::App& app) {
  auto options = std::make_shared<BackupOptions>();
  auto* backup = app.add_subcommand("backup", "consistent backup of a node's database and restore");
  backup->require_subcommand(1);
  auto* create = backup->add_subcommand(
      "create", "copy the database of --data-dir (its node may be running) into --out");
  create->add_option("--data-dir", options->data_dir, "the node's data directory")
      ->capture_default_str();
  create->add_option("--out", options->out, "a new directory for the backup")->required();
  create->callback([options] {
    const std::string scratch =
        options->out + ".secondary-" + std::to_string(static_cast<long>(::getpid()));
    Print("backup", options->out,
          Take(ledger::CreateBackup(options->data_dir, options->out, scratch)));
  });
  auto* restore = backup->add_subcommand(
      "restore", "copy a backup into a data directory that holds no database (node stopped)");
  restore->add_option("--from", options->from, "the backup directory")->required();
  restore->add_option("--data-dir", options->data_dir, "the node's data directory")->required();
  restore->callback([options] {
    Print("restored", options->data_dir,
          Take(ledger::RestoreBackup(options->from, options->data_dir)));
  });
}

}  // namespace onechain::cli
