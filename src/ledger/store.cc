#include "ledger/store.h"

#include <rocksdb/db.h>
#include <rocksdb/cache.h>
#include <rocksdb/filter_policy.h>
#include <rocksdb/options.h>
#include <rocksdb/table.h>
#include <rocksdb/write_batch.h>

#include <cassert>

namespace onechain::ledger {

namespace {
constexpr const char* kMetaHeight = "height";
constexpr const char* kMetaHead = "head";
constexpr const char* kMetaGenesis = "genesis";
constexpr const char* kMetaGenesisHash = "genesis_hash";
constexpr const char* kMetaStateRoot = "state_root";
constexpr const char* kBlockHashIndexPrefix = "bh/";
constexpr size_t kBlockCacheBytes = 128ull << 20;
constexpr int kBloomBitsPerKey = 10;
constexpr double kMemtableBloomRatio = 0.05;  // of the write buffer's size

enum Family { kDefault = 0, kBlocks, kTxs, kReceipts, kState, kIndexes, kProofs, kFamilyCount };
const char* const kFamilyNames[kFamilyCount] = {
    "default", "blocks", "txs", "receipts", "state", "indexes", "proofs"};

Status IoError(const char* what, const rocksdb::Status& s) {
  return Status(pb::Status::IO, std::string(what) + ": " + s.ToString());
}

std::string EncodeLocation(uint64_t height, uint32_t index) {
  std::string out = EncodeU64(height);
  for (int shift = 24; shift >= 0; shift -= 8) out.push_back(static_cast<char>(index >> shift));
  return out;
}
}  // namespace

std::string EncodeU64(uint64_t v) {
  std::string out(8, '\0');
  for (int i = 7; i >= 0; --i) {
    out[i] = static_cast<char>(v & 0xff);
    v >>= 8;
  }
  return out;
}

uint64_t DecodeU64(std::string_view bytes) {
  assert(bytes.size() == 8);
  uint64_t v = 0;
  for (unsigned char c : bytes) v = (v << 8) | c;
  return v;
}

struct Store::Impl {
  std::unique_ptr<rocksdb::DB> db;
  std::vector<rocksdb::ColumnFamilyHandle*> families;

  ~Impl() {
    for (auto* handle : families) db->DestroyColumnFamilyHandle(handle);
  }

  Result<std::optional<std::string>> Get(Family family, std::string_view key) const {
    std::string value;
    rocksdb::Status s = db->Get(rocksdb::ReadOptions(), families[family],
                                rocksdb::Slice(key.data(), key.size()), &value);
    if (s.IsNotFound()) return std::optional<std::string>();
    if (!s.ok()) return IoError("read failed", s);
    return std::optional<std::string>(std::move(value));
  }
};

Store::Store(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Store::~Store() = default;

Result<std::unique_ptr<Store>> Store::Open(const std::string& dir) {
  rocksdb::Options options;
  options.create_if_missing = true;
  options.create_missing_column_families = true;
  options.IncreaseParallelism(2);
  // Point lookups dominate (duplicate checks mostly miss, state reads mostly hit): bloom filters
  // and one shared block cache for every family.
  rocksdb::BlockBasedTableOptions table;
  table.block_cache = rocksdb::NewLRUCache(kBlockCacheBytes);
  table.filter_policy.reset(rocksdb::NewBloomFilterPolicy(kBloomBitsPerKey));
  rocksdb::ColumnFamilyOptions family_options(options);
  family_options.table_factory.reset(rocksdb::NewBlockBasedTableFactory(table));
  // The same for the memtable, where recent keys live: a duplicate check or an unused-key check
  // then skips the skip-list search instead of walking it to a miss.
  family_options.memtable_whole_key_filtering = true;
  family_options.memtable_prefix_bloom_size_ratio = kMemtableBloomRatio;
  std::vector<rocksdb::ColumnFamilyDescriptor> descriptors;
  for (const char* name : kFamilyNames) descriptors.emplace_back(name, family_options);
  auto impl = std::make_unique<Impl>();
  rocksdb::DB* raw = nullptr;
  rocksdb::Status s = rocksdb::DB::Open(options, dir, descriptors, &impl->families, &raw);
  if (!s.ok()) return IoError("cannot open database", s);
  impl->db.reset(raw);
  std::unique_ptr<Store> store(new Store(std::move(impl)));
  if (Status st = store->LoadMeta(); !st.ok()) return st;
  return store;
}

Status Store::LoadMeta() {
  auto read = [this](const char* key, std::string* out) -> Status {
    auto value = impl_->Get(kDefault, key);
    if (!value.ok()) return value.status();
    if (value->has_value()) *out = std::move(**value);
    return Status::Ok();
  };
  std::string height;
  for (auto [key, out] : {std::pair{kMetaHeight, &height}, {kMetaHead, &head_hash_},
                          {kMetaGenesis, &genesis_bytes_}, {kMetaGenesisHash, &genesis_hash_},
                          {kMetaStateRoot, &state_root_}}) {
    if (Status st = read(key, out); !st.ok()) return st;
  }
  if (!height.empty()) {
    if (height.size() != 8) return Status(pb::Status::IO, "corrupt height record");
    height_ = DecodeU64(height);
  }
  return Status::Ok();
}

static void PutStateWrites(rocksdb::WriteBatch& batch, rocksdb::ColumnFamilyHandle* state,
                           const StateWrites& writes) {
  for (const auto& [key, value] : writes) {
    if (value.has_value()) {
      batch.Put(state, key, *value);
    } else {
      batch.Delete(state, key);
    }
  }
}

static Status WriteSynced(rocksdb::DB& db, rocksdb::WriteBatch& batch) {
  rocksdb::WriteOptions options;
  options.sync = true;
  rocksdb::Status s = db.Write(options, &batch);
  if (!s.ok()) return IoError("commit failed", s);
  return Status::Ok();
}

// The meta records that make a store initialized, at `height` with head `head`.
static void PutMeta(rocksdb::WriteBatch& batch, rocksdb::ColumnFamilyHandle* meta,
                    const std::string& genesis_bytes, const std::string& genesis_hash,
                    const std::string& head, uint64_t height, const std::string& state_root) {
  batch.Put(meta, kMetaGenesis, genesis_bytes);
  batch.Put(meta, kMetaGenesisHash, genesis_hash);
  batch.Put(meta, kMetaHead, head);
  batch.Put(meta, kMetaHeight, EncodeU64(height));
  batch.Put(meta, kMetaStateRoot, state_root);
}

Status Store::InitGenesis(const std::string& genesis_bytes, const std::string& genesis_hash,
                          const StateWrites& state, const std::string& state_root,
                          const StateWrites& proof_writes) {
  if (initialized()) return Status(pb::Status::FAILED_PRECONDITION, "store already has genesis");
  rocksdb::WriteBatch batch;
  auto& f = impl_->families;
  PutStateWrites(batch, f[kState], state);
  PutStateWrites(batch, f[kProofs], proof_writes);
  PutMeta(batch, f[kDefault], genesis_bytes, genesis_hash, genesis_hash, 0, state_root);
  if (Status st = WriteSynced(*impl_->db, batch); !st.ok()) return st;
  genesis_bytes_ = genesis_bytes;
  genesis_hash_ = genesis_hash;
  head_hash_ = genesis_hash;
  state_root_ = state_root;
  height_ = 0;
  return Status::Ok();
}

Status Store::Commit(const BlockCommit& commit) {
  assert(initialized());
  assert(commit.tx_hashes.size() == commit.receipts.size());
  if (commit.height != height_ + 1) {
    return Status(pb::Status::FAILED_PRECONDITION,
                  "block height " + std::to_string(commit.height) + " does not follow " +
                      std::to_string(height_));
  }
  rocksdb::WriteBatch batch;
  auto& f = impl_->families;
  std::string height_key = EncodeU64(commit.height);
  batch.Put(f[kBlocks], height_key, commit.block_bytes);
  batch.Put(f[kIndexes], kBlockHashIndexPrefix + commit.block_hash, height_key);
  PutStateWrites(batch, f[kIndexes], commit.index_writes);
  std::string receipt_bytes;
  for (size_t i = 0; i < commit.tx_hashes.size(); ++i) {
    batch.Put(f[kTxs], commit.tx_hashes[i], EncodeLocation(commit.height, i));
    commit.receipts[i].SerializeToString(&receipt_bytes);
    batch.Put(f[kReceipts], commit.tx_hashes[i], receipt_bytes);
  }
  PutStateWrites(batch, f[kState], commit.state_writes);
  PutStateWrites(batch, f[kProofs], commit.proof_writes);
  batch.Put(f[kDefault], kMetaHeight, height_key);
  batch.Put(f[kDefault], kMetaHead, commit.block_hash);
  batch.Put(f[kDefault], kMetaStateRoot, commit.state_root);
  if (Status st = WriteSynced(*impl_->db, batch); !st.ok()) return st;
  height_ = commit.height;
  head_hash_ = commit.block_hash;
  state_root_ = commit.state_root;
  return Status::Ok();
}

Result<std::optional<std::string>> Store::GetState(std::string_view key) const {
  return impl_->Get(kState, key);
}

struct StateSnapshot::Impl {
  rocksdb::DB* db;
  rocksdb::ColumnFamilyHandle* state;
  const rocksdb::Snapshot* snapshot;
};

StateSnapshot::StateSnapshot(std::unique_ptr<Impl> impl, uint64_t height)
    : impl_(std::move(impl)), height_(height) {}

StateSnapshot::~StateSnapshot() { impl_->db->ReleaseSnapshot(impl_->snapshot); }

Result<std::optional<std::string>> StateSnapshot::Get(std::string_view key) const {
  rocksdb::ReadOptions options;
  options.snapshot = impl_->snapshot;
  std::string value;
  rocksdb::Status s =
      impl_->db->Get(options, impl_->state, rocksdb::Slice(key.data(), key.size()), &value);
  if (s.IsNotFound()) return std::optional<std::string>();
  if (!s.ok()) return IoError("read failed", s);
  return std::optional<std::string>(std::move(value));
}

Result<std::unique_ptr<StateSnapshot>> Store::SnapshotState() const {
  rocksdb::DB& db = *impl_->db;
  auto impl = std::make_unique<StateSnapshot::Impl>(
      StateSnapshot::Impl{&db, impl_->families[kState], db.GetSnapshot()});
  // The height as of the same snapshot: the block's state and its height are one write batch.
  rocksdb::ReadOptions options;
  options.snapshot = impl->snapshot;
  std::string height;
  rocksdb::Status s = db.Get(options, impl_->families[kDefault], kMetaHeight, &height);
  uint64_t at = s.ok() && height.size() == 8 ? DecodeU64(height) : 0;
  std::unique_ptr<StateSnapshot> snapshot(new StateSnapshot(std::move(impl), at));
  if (!s.ok() && !s.IsNotFound()) return IoError("read failed", s);
  return snapshot;
}

Result<std::optional<std::string>> Store::GetProofNode(std::string_view key) const {
  return impl_->Get(kProofs, key);
}

Result<std::optional<std::string>> Store::GetBlock(uint64_t height) const {
  return impl_->Get(kBlocks, EncodeU64(height));
}

Result<std::optional<uint64_t>> Store::HeightOfBlock(std::string_view block_hash) const {
  auto value = impl_->Get(kIndexes, std::string(kBlockHashIndexPrefix) + std::string(block_hash));
  if (!value.ok()) return value.status();
  if (!value->has_value() || (*value)->size() != 8) return std::optional<uint64_t>();
  return std::optional<uint64_t>(DecodeU64(**value));
}

Result<std::optional<TxLocation>> Store::GetTxLocation(std::string_view tx_hash) const {
  auto value = impl_->Get(kTxs, tx_hash);
  if (!value.ok()) return value.status();
  if (!value->has_value()) return std::optional<TxLocation>();
  const std::string& bytes = **value;
  if (bytes.size() != 12) return Status(pb::Status::IO, "corrupt transaction location");
  TxLocation location;
  location.height = DecodeU64(std::string_view(bytes).substr(0, 8));
  for (size_t i = 8; i < 12; ++i) {
    location.index = (location.index << 8) | static_cast<unsigned char>(bytes[i]);
  }
  return std::optional<TxLocation>(location);
}

Result<std::optional<pb::Receipt>> Store::GetReceipt(std::string_view tx_hash) const {
  auto value = impl_->Get(kReceipts, tx_hash);
  if (!value.ok()) return value.status();
  if (!value->has_value()) return std::optional<pb::Receipt>();
  pb::Receipt receipt;
  if (!receipt.ParseFromString(**value)) return Status(pb::Status::IO, "corrupt receipt");
  return std::optional<pb::Receipt>(std::move(receipt));
}

static Result<std::vector<std::pair<std::string, std::string>>> Scan(
    rocksdb::DB& db, rocksdb::ColumnFamilyHandle* family, std::string_view prefix,
    std::string_view start_after, size_t limit) {
  std::vector<std::pair<std::string, std::string>> out;
  std::unique_ptr<rocksdb::Iterator> it(db.NewIterator(rocksdb::ReadOptions(), family));
  rocksdb::Slice prefix_slice(prefix.data(), prefix.size());
  if (start_after.empty()) {
    it->Seek(prefix_slice);
  } else {
    it->Seek(rocksdb::Slice(start_after.data(), start_after.size()));
    if (it->Valid() && it->key() == rocksdb::Slice(start_after.data(), start_after.size())) {
      it->Next();
    }
  }
  for (; it->Valid() && it->key().starts_with(prefix_slice) && out.size() < limit; it->Next()) {
    out.emplace_back(it->key().ToString(), it->value().ToString());
  }
  if (!it->status().ok()) return IoError("scan failed", it->status());
  return out;
}

Result<std::vector<std::pair<std::string, std::string>>> Store::ScanState(
    std::string_view prefix, size_t limit) const {
  return Scan(*impl_->db, impl_->families[kState], prefix, {}, limit);
}

Result<std::vector<std::pair<std::string, std::string>>> Store::ScanState(
    std::string_view prefix, std::string_view start_after, size_t limit) const {
  if (!start_after.empty() && start_after.substr(0, prefix.size()) != prefix) {
    return std::vector<std::pair<std::string, std::string>>();
  }
  return Scan(*impl_->db, impl_->families[kState], prefix, start_after, limit);
}

Status Store::WriteIndexes(const StateWrites& writes) {
  rocksdb::WriteBatch batch;
  PutStateWrites(batch, impl_->families[kIndexes], writes);
  return WriteSynced(*impl_->db, batch);
}

Status Store::ImportRows(const StateWrites& state, const StateWrites& proof_nodes) {
  if (initialized()) return Status(pb::Status::FAILED_PRECONDITION, "the store is initialized");
  rocksdb::WriteBatch batch;
  PutStateWrites(batch, impl_->families[kState], state);
  PutStateWrites(batch, impl_->families[kProofs], proof_nodes);
  rocksdb::Status s = impl_->db->Write(rocksdb::WriteOptions(), &batch);
  if (!s.ok()) return Status(pb::Status::IO, "snapshot import write failed: " + s.ToString());
  return Status::Ok();
}

Status Store::InitFromSnapshot(const std::string& genesis_bytes, const std::string& genesis_hash,
                               uint64_t height, const std::string& block_bytes,
                               const std::string& block_hash, const std::string& state_root) {
  if (initialized()) return Status(pb::Status::FAILED_PRECONDITION, "the store is initialized");
  rocksdb::WriteBatch batch;
  auto& f = impl_->families;
  const std::string height_key = EncodeU64(height);
  batch.Put(f[kBlocks], height_key, block_bytes);
  batch.Put(f[kIndexes], kBlockHashIndexPrefix + block_hash, height_key);
  PutMeta(batch, f[kDefault], genesis_bytes, genesis_hash, block_hash, height, state_root);
  if (Status st = WriteSynced(*impl_->db, batch); !st.ok()) return st;
  genesis_bytes_ = genesis_bytes;
  genesis_hash_ = genesis_hash;
  head_hash_ = block_hash;
  state_root_ = state_root;
  height_ = height;
  return Status::Ok();
}

Result<std::optional<std::string>> Store::GetIndex(std::string_view key) const {
  return impl_->Get(kIndexes, key);
}

Result<std::vector<std::pair<std::string, std::string>>> Store::ScanIndex(
    std::string_view prefix, std::string_view start_after, size_t limit) const {
  if (!start_after.empty() && start_after.substr(0, prefix.size()) != prefix) {
    return std::vector<std::pair<std::string, std::string>>();
  }
  return Scan(*impl_->db, impl_->families[kIndexes], prefix, start_after, limit);
}

uint64_t Store::IntProperty(const std::string& name) const {
  uint64_t total = 0;
  for (rocksdb::ColumnFamilyHandle* family : impl_->families) {
    uint64_t value = 0;
    if (impl_->db->GetIntProperty(family, name, &value)) total += value;
  }
  return total;
}

}  // namespace onechain::ledger
