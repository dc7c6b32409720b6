#include "node/document_index.h"

#include <algorithm>

#include "node/document_refs.h"

namespace onechain::node {

namespace {

constexpr std::string_view kEntryPrefix = "dr/";
constexpr std::string_view kVersionKey = "drv/version";
constexpr std::string_view kVersion = "1";
constexpr size_t kRecordsMax = 100'000'000;

// Hashes longer than 255 bytes are no attachment hash; they are never indexed nor found.
bool Indexable(std::string_view file_hash) { return !file_hash.empty() && file_hash.size() < 256; }

std::string HashPrefix(std::string_view file_hash) {
  std::string key(kEntryPrefix);
  key.push_back(static_cast<char>(file_hash.size()));
  key += file_hash;
  return key;
}

void AddEntries(std::string_view record_key, std::string_view value, ledger::StateWrites& out) {
  for (const std::string& hash : DocumentHashesOf(record_key, value)) {
    if (Indexable(hash)) out[HashPrefix(hash) + std::string(record_key)] = std::string();
  }
}

bool IsDocumentRecord(std::string_view key) {
  return std::any_of(kDocumentRecordPrefixes.begin(), kDocumentRecordPrefixes.end(),
                     [&](std::string_view prefix) { return key.starts_with(prefix); });
}

}  // namespace

Result<ledger::StateWrites> DocumentIndexWrites(const ledger::StateWrites& writes,
                                                const ledger::Store& store) {
  ledger::StateWrites out;
  for (const auto& [key, value] : writes) {
    if (!IsDocumentRecord(key)) continue;
    auto before = store.GetState(key);
    if (!before.ok()) return before.status();
    std::vector<std::string> old_hashes, new_hashes;
    if (before->has_value()) old_hashes = DocumentHashesOf(key, **before);
    if (value.has_value()) new_hashes = DocumentHashesOf(key, *value);
    for (const std::string& hash : old_hashes) {
      if (Indexable(hash) && std::find(new_hashes.begin(), new_hashes.end(), hash) ==
                                 new_hashes.end()) {
        out[HashPrefix(hash) + key] = std::nullopt;
      }
    }
    if (value.has_value()) AddEntries(key, *value, out);
  }
  return out;
}

Status EnsureDocumentIndex(ledger::Store& store) {
  auto version = store.GetIndex(kVersionKey);
  if (!version.ok()) return version.status();
  if (version->has_value()) return Status::Ok();
  ledger::StateWrites out;
  for (std::string_view prefix : kDocumentRecordPrefixes) {
    auto rows = store.ScanState(prefix, kRecordsMax);
    if (!rows.ok()) return rows.status();
    for (const auto& [key, value] : *rows) AddEntries(key, value, out);
  }
  out[std::string(kVersionKey)] = std::string(kVersion);
  return store.WriteIndexes(out);
}

Result<std::vector<std::string>> RecordsReferencing(const ledger::Store& store,
                                                    std::string_view file_hash, size_t limit) {
  std::vector<std::string> keys;
  if (!Indexable(file_hash)) return keys;
  std::string prefix = HashPrefix(file_hash);
  auto rows = store.ScanIndex(prefix, "", limit);
  if (!rows.ok()) return rows.status();
  for (const auto& [key, value] : *rows) keys.push_back(key.substr(prefix.size()));
  return keys;
}

}  // namespace onechain::node
