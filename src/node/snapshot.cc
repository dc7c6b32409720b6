#include "node/snapshot.h"

#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <thread>
#include <unordered_map>

#include "consensus/certificates.h"
#include "consensus/limits.h"
#include "ledger/backup.h"
#include "ledger/log_tree.h"
#include "ledger/proof_bundle.h"
#include "ledger/state_tree.h"
#include "ledger/store.h"
#include "node/genesis.h"
#include "util/bytes.h"

namespace onechain::node {

namespace {

constexpr uint8_t kHeaderRecord = 1;
constexpr uint8_t kChunkRecord = 2;
constexpr int kExportAttempts = 40;
constexpr auto kExportRetry = std::chrono::milliseconds(250);
constexpr size_t kCertificateFileBytesMax = 64 << 10;

Status Malformed(const std::string& what) {
  return Status(pb::Status::MALFORMED, "snapshot: " + what);
}

void AppendRecord(std::string& out, uint8_t kind, const std::string& payload) {
  const auto n = static_cast<uint32_t>(payload.size());
  for (int shift = 24; shift >= 0; shift -= 8) out.push_back(static_cast<char>(n >> shift));
  out.push_back(static_cast<char>(kind));
  out += payload;
}

pb::ValidatorSet GenesisValidators(const pb::Genesis& genesis) {
  pb::ValidatorSet set;
  for (const pb::GenesisValidator& v : genesis.validators()) set.add_public_keys(v.public_key());
  return set;
}

// The consensus parameters exactly as the BFT driver derives them from genesis.
consensus::ChainParams ParamsOf(const pb::Genesis& genesis, const crypto::Suite& suite,
                                const std::string& genesis_hash) {
  consensus::ChainParams params;
  params.chain_id = genesis.chain_id();
  params.suite = &suite;
  for (const pb::GenesisValidator& v : genesis.validators()) {
    params.validator_keys.push_back(v.public_key());
  }
  params.genesis =
      consensus::GenesisInfo(suite, genesis_hash, genesis.genesis_time_ms(), genesis_hash);
  return params;
}

// The keys of the log tree's records that LogTree::Load reads for `size` leaves.
std::vector<std::string> LogFrontierKeys(uint64_t size) {
  std::vector<std::string> keys = {ledger::kLogSizeKey};
  for (int level = 63; level >= 0; --level) {
    if (((size >> level) & 1) != 0) keys.push_back(ledger::LogNodeKey(level, (size >> level) - 1));
  }
  return keys;
}

template <typename T>
Result<std::optional<T>> ReadMessage(const std::string& path, size_t bytes_max) {
  std::error_code ec;
  if (!std::filesystem::exists(path, ec)) return std::optional<T>();
  Result<std::string> bytes = ReadFile(path, bytes_max);
  if (!bytes.ok()) return bytes.status();
  T message;
  if (!message.ParseFromString(*bytes)) return Status(pb::Status::IO, path + " is corrupt");
  return std::optional<T>(std::move(message));
}

// The QC of the committed block at `height`: root.qc when that is the last commit, else the one a
// child block carries (pending/ or committed/).
std::optional<pb::QuorumCert> FindQc(const std::string& bft_dir, uint64_t height) {
  auto root = ReadMessage<pb::QuorumCert>(bft_dir + "/root.qc", consensus::kMessageBytesMax);
  if (root.ok() && root->has_value() && consensus::QcRound(**root) > 0 &&
      (*root)->vote_data().proposed().height() == height) {
    return **root;
  }
  std::error_code ec;
  for (const char* sub : {"/pending", "/committed"}) {
    for (const auto& entry : std::filesystem::directory_iterator(bft_dir + sub, ec)) {
      auto block = ReadMessage<pb::ConsensusBlock>(entry.path().string(),
                                                   consensus::kMessageBytesMax);
      if (block.ok() && block->has_value() &&
          (*block)->qc().vote_data().proposed().height() == height) {
        return (*block)->qc();
      }
    }
  }
  return std::nullopt;
}

std::vector<pb::SnapshotEntry> Entries(const std::vector<std::pair<std::string, std::string>>& rows) {
  std::vector<pb::SnapshotEntry> out;
  out.reserve(rows.size());
  for (const auto& [key, value] : rows) {
    pb::SnapshotEntry& e = out.emplace_back();
    e.set_key(key);
    e.set_value(value);
  }
  return out;
}

}  // namespace

Result<std::optional<Snapshot>> SnapshotOf(const ledger::Store& store, const std::string& bft_dir) {
  const uint64_t height = store.height();
  if (height == 0) {
    return Status(pb::Status::FAILED_PRECONDITION, "the node has committed no block yet");
  }
  std::optional<pb::QuorumCert> qc = FindQc(bft_dir, height);
  Result<std::string> certificate =
      ReadFile(bft_dir + "/checkpoints/" + std::to_string(height), kCertificateFileBytesMax);
  if (!qc || !certificate.ok()) return std::optional<Snapshot>();

  pb::Genesis genesis;
  if (!genesis.ParseFromString(store.genesis_bytes())) {
    return Status(pb::Status::IO, "the stored genesis does not decode");
  }
  const crypto::Suite* suite = crypto::GetSuite(genesis.suite());
  if (suite == nullptr) return Status(pb::Status::IO, "the stored genesis names no suite");
  auto block = store.GetBlock(height);
  if (!block.ok()) return block.status();
  if (!block->has_value()) return Status(pb::Status::IO, "the head block is missing");
  pb::Block parsed;
  pb::BlockHeader header;
  if (!parsed.ParseFromString(**block) || !header.ParseFromString(parsed.header())) {
    return Status(pb::Status::IO, "the head block is corrupt");
  }

  Snapshot snapshot;
  pb::SnapshotHeader& h = snapshot.header;
  h.set_format(kSnapshotFormat);
  h.set_chain_id(genesis.chain_id());
  h.set_genesis_hash(store.genesis_hash());
  h.set_height(height);
  h.set_block(**block);
  h.set_certificate(*certificate);
  *h.mutable_root_qc() = *qc;

  std::string after;
  for (;;) {
    auto rows = store.ScanState("", after, 10'000);
    if (!rows.ok()) return rows.status();
    if (rows->empty()) break;
    after = rows->back().first;
    for (pb::SnapshotEntry& e : Entries(*rows)) snapshot.state.push_back(std::move(e));
  }
  auto validators = store.GetState(ledger::kValidatorSetStateKey);
  if (!validators.ok()) return validators.status();
  if (validators->has_value()) {
    if (!h.mutable_validators()->ParseFromString(**validators)) {
      return Status(pb::Status::IO, "the stored validator set does not decode");
    }
  } else {
    *h.mutable_validators() = GenesisValidators(genesis);
  }

  ledger::StoreNodes nodes(store);
  Status walked = ledger::VisitStateTree(
      *suite, nodes, height,
      [&](std::string_view key, std::string_view bytes) {
        pb::SnapshotEntry& e = snapshot.state_nodes.emplace_back();
        e.set_key(std::string(key));
        e.set_value(std::string(bytes));
        return Status::Ok();
      },
      [](std::string_view, std::string_view) { return Status::Ok(); });
  if (!walked.ok()) return walked;
  for (const std::string& key : LogFrontierKeys(header.log_size())) {
    auto value = store.GetProofNode(key);
    if (!value.ok()) return value.status();
    if (!value->has_value()) continue;  // an empty log has no size record
    pb::SnapshotEntry& e = snapshot.log_nodes.emplace_back();
    e.set_key(key);
    e.set_value(**value);
  }
  h.set_state_entries(snapshot.state.size());
  h.set_state_nodes(snapshot.state_nodes.size());
  h.set_log_nodes(snapshot.log_nodes.size());
  return std::optional<Snapshot>(std::move(snapshot));
}

std::string EncodeSnapshot(const Snapshot& snapshot) {
  std::string out = kSnapshotMagic;
  AppendRecord(out, kHeaderRecord, snapshot.header.SerializeAsString());
  pb::SnapshotChunk chunk;
  size_t chunk_bytes = 0;
  auto flush = [&] {
    if (chunk_bytes == 0) return;
    AppendRecord(out, kChunkRecord, chunk.SerializeAsString());
    chunk.Clear();
    chunk_bytes = 0;
  };
  auto add = [&](google::protobuf::RepeatedPtrField<pb::SnapshotEntry>* field,
                 const pb::SnapshotEntry& entry) {
    const size_t bytes = entry.ByteSizeLong() + 8;
    if (chunk_bytes + bytes > kSnapshotChunkBytes) flush();
    *field->Add() = entry;
    chunk_bytes += bytes;
  };
  for (const auto& e : snapshot.state) add(chunk.mutable_state(), e);
  for (const auto& e : snapshot.state_nodes) add(chunk.mutable_state_nodes(), e);
  for (const auto& e : snapshot.log_nodes) add(chunk.mutable_log_nodes(), e);
  flush();
  return out;
}

Result<Snapshot> ParseSnapshot(std::string_view bytes) {
  if (bytes.size() > kSnapshotBytesMax) {
    return Status(pb::Status::TOO_LARGE, "snapshot: the file is larger than " +
                                             std::to_string(kSnapshotBytesMax) + " bytes");
  }
  if (!bytes.starts_with(kSnapshotMagic)) {
    return Malformed("the file does not start with \"onechain-snapshot@v1\"");
  }
  Snapshot snapshot;
  bool have_header = false;
  size_t at = std::string_view(kSnapshotMagic).size();
  while (at < bytes.size()) {
    if (bytes.size() - at < 5) return Malformed("a record header is truncated");
    uint32_t length = 0;
    for (int i = 0; i < 4; ++i) length = (length << 8) | static_cast<uint8_t>(bytes[at + i]);
    const auto kind = static_cast<uint8_t>(bytes[at + 4]);
    at += 5;
    if (length > kSnapshotRecordBytesMax) {
      return Status(pb::Status::TOO_LARGE, "snapshot: a record of " + std::to_string(length) +
                                               " bytes is over " +
                                               std::to_string(kSnapshotRecordBytesMax));
    }
    if (bytes.size() - at < length) return Malformed("a record is truncated");
    const std::string_view payload = bytes.substr(at, length);
    at += length;
    if (!have_header) {
      if (kind != kHeaderRecord ||
          !snapshot.header.ParseFromArray(payload.data(), static_cast<int>(payload.size()))) {
        return Malformed("the first record is not a header");
      }
      have_header = true;
      continue;
    }
    pb::SnapshotChunk chunk;
    if (kind != kChunkRecord ||
        !chunk.ParseFromArray(payload.data(), static_cast<int>(payload.size()))) {
      return Malformed("a record after the header is not a chunk");
    }
    auto take = [](auto* from, std::vector<pb::SnapshotEntry>& to, uint64_t declared) {
      for (auto& e : *from) to.push_back(std::move(e));
      return to.size() <= declared;
    };
    if (!take(chunk.mutable_state(), snapshot.state, snapshot.header.state_entries()) ||
        !take(chunk.mutable_state_nodes(), snapshot.state_nodes, snapshot.header.state_nodes()) ||
        !take(chunk.mutable_log_nodes(), snapshot.log_nodes, snapshot.header.log_nodes())) {
      return Malformed("the chunks hold more entries than the header declares");
    }
  }
  if (!have_header) return Malformed("there is no header");
  if (snapshot.state.size() != snapshot.header.state_entries() ||
      snapshot.state_nodes.size() != snapshot.header.state_nodes() ||
      snapshot.log_nodes.size() != snapshot.header.log_nodes()) {
    return Malformed("the chunks hold fewer entries than the header declares (truncated file?)");
  }
  return snapshot;
}

Result<SnapshotInfo> VerifySnapshot(const pb::Genesis& genesis, const Snapshot& snapshot) {
  const pb::SnapshotHeader& h = snapshot.header;
  const crypto::Suite* suite = crypto::GetSuite(genesis.suite());
  if (suite == nullptr) return Status(pb::Status::WRONG_SUITE, "the genesis names no suite");
  if (h.format() != kSnapshotFormat) {
    return Malformed("format " + std::to_string(h.format()) + " is not 1");
  }
  const std::string genesis_hash = suite->Hash(GenesisBytes(genesis));
  if (h.chain_id() != genesis.chain_id() || h.genesis_hash() != genesis_hash) {
    return Status(pb::Status::WRONG_CHAIN,
                  "snapshot: it belongs to another chain or genesis than this genesis file");
  }
  pb::Block block;
  pb::BlockHeader header;
  if (h.height() == 0 || !block.ParseFromString(h.block()) ||
      !header.ParseFromString(block.header()) || header.height() != h.height() ||
      header.chain_id() != genesis.chain_id()) {
    return Malformed("the block is not the chain's block of height " + std::to_string(h.height()));
  }
  SnapshotInfo info;
  info.height = h.height();
  info.block_hash = suite->Hash(block.header());
  info.state_root = header.state_root();
  info.state_entries = snapshot.state.size();
  info.state_nodes = snapshot.state_nodes.size();

  // The certificate: a quorum of the genesis validators signed this header.
  if (Status st = ledger::VerifySignatureListCertificate(*suite, GenesisValidators(genesis),
                                                         block.header(), info.block_hash,
                                                         h.certificate());
      !st.ok()) {
    return Status(pb::Status::BAD_SIGNATURE, "snapshot: the block's certificate does not verify: " +
                                                 st.message());
  }
  // The consensus QC the BFT driver resumes from: of this height, signed by a quorum.
  const consensus::ChainParams params = ParamsOf(genesis, *suite, genesis_hash);
  if (Status st = consensus::CheckQcShape(params, h.root_qc()); !st.ok()) {
    return Malformed("the root QC: " + st.message());
  }
  if (h.root_qc().vote_data().proposed().height() != h.height()) {
    return Status(pb::Status::INVALID_ARGUMENT, "snapshot: the root QC certifies height " +
                                                    std::to_string(h.root_qc().vote_data().proposed().height()) +
                                                    ", not " + std::to_string(h.height()));
  }
  consensus::Verifier verifier(params);
  if (Status st = verifier.VerifyQc(h.root_qc()); !st.ok()) {
    return Status(pb::Status::BAD_SIGNATURE, "snapshot: the root QC does not verify: " +
                                                 st.message());
  }

  // Contract state: sorted distinct keys, each a leaf of the tree whose root the header holds.
  std::unordered_map<std::string, std::string> leaves;  // key hash -> value hash
  for (size_t i = 0; i < snapshot.state.size(); ++i) {
    const pb::SnapshotEntry& e = snapshot.state[i];
    if (i > 0 && !(snapshot.state[i - 1].key() < e.key())) {
      return Malformed("state keys are not in strictly increasing order");
    }
    leaves.emplace(suite->Hash(e.key()), suite->Hash(e.value()));
  }
  ledger::MemoryNodes nodes;
  ledger::NodeWrites records;
  for (const pb::SnapshotEntry& e : snapshot.state_nodes) {
    if (!records.emplace(e.key(), e.value()).second) return Malformed("a state record repeats");
  }
  nodes.Apply(records);
  Result<std::string> root = ledger::StateTree(*suite, nodes).Root(h.height());
  if (!root.ok() || *root != header.state_root()) {
    return Status(pb::Status::HASH_MISMATCH,
                  "snapshot: the state tree's root is not the block's state root");
  }
  size_t visited = 0;
  size_t matched = 0;
  Status walked = ledger::VisitStateTree(
      *suite, nodes, h.height(),
      [&](std::string_view, std::string_view) {
        ++visited;
        return Status::Ok();
      },
      [&](std::string_view key_hash, std::string_view value_hash) {
        auto it = leaves.find(std::string(key_hash));
        if (it == leaves.end() || it->second != value_hash) {
          return Status(pb::Status::HASH_MISMATCH,
                        "snapshot: a state entry is missing or its value differs from the tree");
        }
        ++matched;
        return Status::Ok();
      });
  if (!walked.ok()) {
    return Status(pb::Status::HASH_MISMATCH, "snapshot: " + walked.message());
  }
  if (matched != snapshot.state.size()) {
    return Status(pb::Status::HASH_MISMATCH,
                  "snapshot: it holds state entries that the state root does not cover");
  }
  if (visited != snapshot.state_nodes.size()) {
    return Malformed("it holds state tree records that the root does not reach");
  }

  // The log tree's frontier against the header's log root.
  ledger::MemoryNodes log_nodes;
  ledger::NodeWrites log_records;
  const std::vector<std::string> frontier = LogFrontierKeys(header.log_size());
  for (const pb::SnapshotEntry& e : snapshot.log_nodes) {
    if (std::find(frontier.begin(), frontier.end(), e.key()) == frontier.end() ||
        !log_records.emplace(e.key(), e.value()).second) {
      return Malformed("a log record is not one of the frontier's");
    }
  }
  log_nodes.Apply(log_records);
  Result<ledger::LogTree> log = ledger::LogTree::Load(*suite, log_nodes);
  if (!log.ok() || log->size() != header.log_size() || log->Root() != header.log_root()) {
    return Status(pb::Status::HASH_MISMATCH,
                  "snapshot: the log frontier does not give the block's log root");
  }

  // The validator set: what the state records, else genesis'.
  pb::ValidatorSet expected = GenesisValidators(genesis);
  for (const pb::SnapshotEntry& e : snapshot.state) {
    if (e.key() == ledger::kValidatorSetStateKey && !expected.ParseFromString(e.value())) {
      return Malformed("the state's validator set does not decode");
    }
  }
  if (expected.SerializeAsString() != h.validators().SerializeAsString()) {
    return Status(pb::Status::INVALID_ARGUMENT,
                  "snapshot: the validator set is not the one the state records");
  }
  return info;
}

Result<SnapshotInfo> ExportSnapshot(const std::string& data_dir, const std::string& out_path) {
  const std::string work = out_path + ".work-" + std::to_string(static_cast<long>(::getpid()));
  std::error_code ec;
  for (int attempt = 0; attempt < kExportAttempts; ++attempt) {
    std::filesystem::remove_all(work, ec);
    std::filesystem::create_directories(work, ec);
    if (ec) return Status(pb::Status::IO, "cannot create " + work + ": " + ec.message());
    Result<ledger::BackupInfo> copy =
        ledger::CreateBackup(data_dir, work + "/db", work + "/scratch");
    if (!copy.ok()) {
      std::filesystem::remove_all(work, ec);
      return copy.status();
    }
    Result<std::optional<Snapshot>> snapshot = std::optional<Snapshot>();
    pb::Genesis genesis;
    {
      auto store = ledger::Store::Open(work + "/db");
      if (!store.ok()) {
        std::filesystem::remove_all(work, ec);
        return store.status();
      }
      snapshot = SnapshotOf(**store, data_dir + "/bft");
      genesis.ParseFromString((*store)->genesis_bytes());
    }
    std::filesystem::remove_all(work, ec);
    if (!snapshot.ok()) return snapshot.status();
    if (!snapshot->has_value()) {
      std::this_thread::sleep_for(kExportRetry);  // the node certifies that height shortly
      continue;
    }
    // What an importer will check, checked before the file is written.
    Result<SnapshotInfo> info = VerifySnapshot(genesis, **snapshot);
    if (!info.ok()) {
      return Status(pb::Status::INTERNAL,
                    "the snapshot does not verify against its own genesis: " +
                        info.status().message());
    }
    const std::string bytes = EncodeSnapshot(**snapshot);
    if (Status st = WriteFile(out_path, bytes, 0600); !st.ok()) return st;
    info->bytes = bytes.size();
    return info;
  }
  return Status(pb::Status::FAILED_PRECONDITION,
                "no committed height of " + data_dir +
                    " has both its checkpoint certificate and consensus QC (is it a BFT "
                    "validator's data directory?)");
}

Result<SnapshotInfo> ImportSnapshot(const std::string& in_path, const std::string& data_dir,
                                    const pb::Genesis& genesis) {
  std::error_code ec;
  if (std::filesystem::exists(data_dir + "/CURRENT", ec) ||
      std::filesystem::exists(data_dir + "/bft/root.qc", ec)) {
    return Status(pb::Status::ALREADY_EXISTS,
                  data_dir + " holds a node's data already; import into an empty directory");
  }
  Result<std::string> bytes = ReadFile(in_path, kSnapshotBytesMax);
  if (!bytes.ok()) return bytes.status();
  Result<Snapshot> snapshot = ParseSnapshot(*bytes);
  if (!snapshot.ok()) return snapshot.status();
  Result<SnapshotInfo> info = VerifySnapshot(genesis, *snapshot);
  if (!info.ok()) return info.status();
  info->bytes = bytes->size();
  const pb::SnapshotHeader& h = snapshot->header;

  // Lay the store down beside the data directory, then copy it in (ledger::RestoreBackup), so an
  // interrupted import never leaves a half-written database where the node looks.
  const std::string work =
      data_dir + ".snapshot-" + std::to_string(static_cast<long>(::getpid()));
  std::filesystem::remove_all(work, ec);
  {
    auto store = ledger::Store::Open(work);
    if (!store.ok()) return store.status();
    ledger::StateWrites state, proof_nodes;
    size_t batch_bytes = 0;
    auto flush = [&]() -> Status {
      Status st = (*store)->ImportRows(state, proof_nodes);
      state.clear();
      proof_nodes.clear();
      batch_bytes = 0;
      return st;
    };
    auto add = [&](ledger::StateWrites& to, const pb::SnapshotEntry& e) -> Status {
      to.insert_or_assign(e.key(), e.value());
      batch_bytes += e.key().size() + e.value().size();
      return batch_bytes >= kSnapshotChunkBytes * 4 ? flush() : Status::Ok();
    };
    Status st = Status::Ok();
    for (const auto& e : snapshot->state) if (st.ok()) st = add(state, e);
    for (const auto& e : snapshot->state_nodes) if (st.ok()) st = add(proof_nodes, e);
    for (const auto& e : snapshot->log_nodes) if (st.ok()) st = add(proof_nodes, e);
    if (st.ok()) st = flush();
    if (st.ok()) {
      st = (*store)->InitFromSnapshot(GenesisBytes(genesis), h.genesis_hash(), h.height(),
                                      h.block(), info->block_hash, info->state_root);
    }
    if (!st.ok()) {
      store->reset();
      std::filesystem::remove_all(work, ec);
      return st;
    }
  }
  Result<ledger::BackupInfo> copied = ledger::RestoreBackup(work, data_dir);
  std::filesystem::remove_all(work, ec);
  if (!copied.ok()) return copied.status();
  // The BFT driver resumes from the QC of this height; the certificate serves the proof routes.
  std::filesystem::create_directories(data_dir + "/bft/checkpoints", ec);
  if (ec) return Status(pb::Status::IO, "cannot create " + data_dir + "/bft: " + ec.message());
  if (Status st = WriteFile(data_dir + "/bft/checkpoints/" + std::to_string(h.height()),
                            h.certificate());
      !st.ok()) {
    return st;
  }
  if (Status st = WriteFile(data_dir + "/bft/root.qc", h.root_qc().SerializeAsString());
      !st.ok()) {
    return st;
  }
  return info;
}

}  // namespace onechain::node
