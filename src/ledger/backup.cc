#include "ledger/backup.h"

#include <rocksdb/db.h>
#include <rocksdb/write_batch.h>

#include <filesystem>
#include <memory>
#include <system_error>
#include <vector>

#include "ledger/store.h"

namespace onechain::ledger {

namespace {

constexpr size_t kBatchBytes = 4 << 20;

Status Io(const std::string& what, const rocksdb::Status& s) {
  return Status(pb::Status::IO, what + ": " + s.ToString());
}

// Closes a DB and its column family handles in the right order.
struct OpenDb {
  std::unique_ptr<rocksdb::DB> db;
  std::vector<rocksdb::ColumnFamilyHandle*> handles;
  ~OpenDb() {
    for (auto* h : handles) {
      if (db) db->DestroyColumnFamilyHandle(h);
    }
  }
};

Result<BackupInfo> CheckStore(const std::string& dir, uint64_t keys) {
  auto store = Store::Open(dir);
  if (!store.ok()) {
    return Status(pb::Status::MALFORMED, dir + " does not open as a store: " +
                                             store.status().message());
  }
  if (!(*store)->initialized()) {
    return Status(pb::Status::MALFORMED, dir + " holds no genesis: not a node's database");
  }
  BackupInfo info;
  info.height = (*store)->height();
  info.head_hash = (*store)->head_hash();
  info.keys = keys;
  if (info.height > 0) {
    auto block = (*store)->GetBlock(info.height);
    if (!block.ok() || !block->has_value()) {
      return Status(pb::Status::MALFORMED, dir + " lacks its head block " +
                                               std::to_string(info.height));
    }
  }
  return info;
}

Result<uint64_t> Copy(const std::string& data_dir, const std::string& out_dir,
                      const std::string& scratch_dir) {
  rocksdb::Options options;
  std::vector<std::string> names;
  rocksdb::Status s = rocksdb::DB::ListColumnFamilies(options, data_dir, &names);
  if (!s.ok()) return Io("cannot list the column families of " + data_dir, s);
  std::vector<rocksdb::ColumnFamilyDescriptor> descriptors;
  for (const std::string& name : names) descriptors.emplace_back(name, options);

  // The secondary must keep every file open: the primary's compactions delete files it reads.
  rocksdb::Options secondary_options = options;
  secondary_options.max_open_files = -1;
  OpenDb source;
  rocksdb::DB* raw = nullptr;
  s = rocksdb::DB::OpenAsSecondary(secondary_options, data_dir, scratch_dir, descriptors,
                                   &source.handles, &raw);
  if (!s.ok()) return Io("cannot open " + data_dir + " beside its node", s);
  source.db.reset(raw);
  s = source.db->TryCatchUpWithPrimary();
  if (!s.ok()) return Io("cannot catch up with the node's writes", s);

  rocksdb::Options out_options;
  out_options.create_if_missing = true;
  out_options.error_if_exists = true;
  out_options.create_missing_column_families = true;
  OpenDb target;
  s = rocksdb::DB::Open(out_options, out_dir, descriptors, &target.handles, &raw);
  if (!s.ok()) return Io("cannot create " + out_dir, s);
  target.db.reset(raw);

  uint64_t keys = 0;
  rocksdb::WriteOptions write_options;
  write_options.disableWAL = true;  // flushed below, before the copy counts as done
  for (size_t i = 0; i < source.handles.size(); ++i) {
    std::unique_ptr<rocksdb::Iterator> it(
        source.db->NewIterator(rocksdb::ReadOptions(), source.handles[i]));
    rocksdb::WriteBatch batch;
    for (it->SeekToFirst(); it->Valid(); it->Next()) {
      batch.Put(target.handles[i], it->key(), it->value());
      ++keys;
      if (batch.GetDataSize() >= kBatchBytes) {
        if (s = target.db->Write(write_options, &batch); !s.ok()) return Io("write", s);
        batch.Clear();
      }
    }
    if (!it->status().ok()) return Io("cannot read " + names[i], it->status());
    if (s = target.db->Write(write_options, &batch); !s.ok()) return Io("write", s);
  }
  rocksdb::FlushOptions flush;
  flush.wait = true;
  s = target.db->Flush(flush, target.handles);
  if (!s.ok()) return Io("cannot flush " + out_dir, s);
  if (s = target.db->SyncWAL(); !s.ok()) return Io("cannot sync " + out_dir, s);
  return keys;
}

}  // namespace

Result<BackupInfo> CreateBackup(const std::string& data_dir, const std::string& out_dir,
                                const std::string& scratch_dir) {
  std::error_code ec;
  if (std::filesystem::exists(out_dir, ec)) {
    return Status(pb::Status::ALREADY_EXISTS, out_dir + " exists; a backup goes to a new directory");
  }
  if (std::filesystem::exists(scratch_dir, ec)) {
    return Status(pb::Status::ALREADY_EXISTS, scratch_dir + " exists");
  }
  Result<uint64_t> keys = Copy(data_dir, out_dir, scratch_dir);
  std::filesystem::remove_all(scratch_dir, ec);
  if (!keys.ok()) {
    std::filesystem::remove_all(out_dir, ec);
    return keys.status();
  }
  Result<BackupInfo> info = CheckStore(out_dir, *keys);
  if (!info.ok()) std::filesystem::remove_all(out_dir, ec);
  return info;
}

Result<BackupInfo> RestoreBackup(const std::string& backup_dir, const std::string& data_dir) {
  std::error_code ec;
  if (std::filesystem::exists(data_dir + "/CURRENT", ec)) {
    return Status(pb::Status::ALREADY_EXISTS,
                  data_dir + " holds a database; restore into an empty or new directory");
  }
  if (!std::filesystem::exists(backup_dir + "/CURRENT", ec)) {
    return Status(pb::Status::MALFORMED, backup_dir + " is not a backup (no CURRENT file)");
  }
  std::filesystem::create_directories(data_dir, ec);
  for (const auto& entry : std::filesystem::directory_iterator(backup_dir, ec)) {
    // RocksDB's LOCK and info logs belong to whoever opened the copy last.
    const std::string name = entry.path().filename().string();
    if (name == "LOCK" || name.starts_with("LOG")) continue;
    std::filesystem::copy(entry.path(), data_dir + "/" + name,
                          std::filesystem::copy_options::recursive, ec);
    if (ec) {
      return Status(pb::Status::IO, "cannot copy " + entry.path().string() + ": " + ec.message());
    }
  }
  if (ec) return Status(pb::Status::IO, "cannot read " + backup_dir + ": " + ec.message());
  return CheckStore(data_dir, 0);
}

}  // namespace onechain::ledger
