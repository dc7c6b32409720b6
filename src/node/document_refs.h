// Which stored records reference a file (issue 5, item 5): a file is referenced by its suite hash
// (pb::Attachment.hash, the hash of the encrypted file as stored off chain). The document check
// (GET /v1/documents/{hash}, api/document_check.h) finds a record that references the hash and
// proves that record's state key; `onechain verify bundle --document HASH` checks offline that
// the proven value references it. Both use this one reading of the records.
#pragma once

#include <array>
#include <string>
#include <string_view>
#include <vector>

namespace onechain::node {

// The state key prefixes of records that carry attachments: plans (their document; case class)
// and claims (the declaration's agent authorization and attachments, the objections'
// attachments; party class). No public record carries a file yet.
inline constexpr std::array<std::string_view, 2> kDocumentRecordPrefixes = {"plan/", "claim/"};

// The file hashes the record stored under `key` references (empty for a key of another kind or a
// value that does not decode).
std::vector<std::string> DocumentHashesOf(std::string_view key, std::string_view value);

bool References(std::string_view key, std::string_view value, std::string_view file_hash);

}  // namespace onechain::node
