#include "node/case_search.h"

#include <limits>
#include <map>
#include <set>

#include "contracts/cases.h"
#include "util/bytes.h"

namespace onechain::node {

namespace {

constexpr std::string_view kGramPrefix = "cs/g/";
constexpr std::string_view kGramCountPrefix = "cs/k/";
constexpr std::string_view kRecentPrefix = "cs/r/";
constexpr std::string_view kIndexVersionKey = "cs/version";
constexpr std::string_view kIndexVersion = "1";
constexpr size_t kCasesMax = 100'000'000;

// Length of the UTF-8 sequence starting at text[i], or 1 for a byte that starts none.
size_t Utf8Length(std::string_view text, size_t i) {
  unsigned char lead = static_cast<unsigned char>(text[i]);
  size_t length = lead < 0x80 ? 1 : (lead >> 5) == 0x6 ? 2 : (lead >> 4) == 0xE ? 3
                                  : (lead >> 3) == 0x1E ? 4 : 1;
  if (i + length > text.size()) return 1;
  for (size_t k = 1; k < length; ++k) {
    if ((static_cast<unsigned char>(text[i + k]) & 0xC0) != 0x80) return 1;
  }
  return length;
}

std::string Joined(const std::vector<std::string>& chars) {
  std::string out;
  for (const std::string& c : chars) out += c;
  return out;
}

std::set<std::string> Bigrams(const std::vector<std::string>& chars) {
  std::set<std::string> grams;
  for (size_t i = 0; i + 1 < chars.size(); ++i) grams.insert(chars[i] + chars[i + 1]);
  return grams;
}

std::string GramKey(std::string_view gram, std::string_view case_id) {
  return std::string(kGramPrefix) + std::string(gram) + "/" + std::string(case_id);
}

std::string RecentKey(uint64_t accepted_height, std::string_view case_id) {
  return std::string(kRecentPrefix) +
         ledger::EncodeU64(std::numeric_limits<uint64_t>::max() - accepted_height) + "/" +
         std::string(case_id);
}

Result<uint64_t> GramCount(const ledger::Store& store, std::string_view gram) {
  auto value = store.GetIndex(std::string(kGramCountPrefix) + std::string(gram));
  if (!value.ok()) return value.status();
  if (!value->has_value() || (*value)->size() != 8) return uint64_t{0};
  return ledger::DecodeU64(**value);
}

bool Matches(const pb::Case& record, const CaseQuery& query, const std::string& normalized_text) {
  if (!normalized_text.empty() &&
      Joined(NormalizedChars(record.debtor_name())).find(normalized_text) == std::string::npos) {
    return false;
  }
  if (!query.credit_code.empty() && record.debtor_credit_code() != query.credit_code) return false;
  if (!query.court_org_id.empty() && record.court_org_id() != query.court_org_id) return false;
  if (query.procedure != pb::PROCEDURE_UNSPECIFIED && record.procedure() != query.procedure) {
    return false;
  }
  if (query.status != pb::CASE_STATUS_UNSPECIFIED && record.status() != query.status) return false;
  if (!query.accepted_from.empty() && record.acceptance_date() < query.accepted_from) return false;
  if (!query.accepted_to.empty() && record.acceptance_date() > query.accepted_to) return false;
  return true;
}

Status Invalid(std::string message) {
  return Status(pb::Status::INVALID_ARGUMENT, std::move(message));
}

Status Validate(const CaseQuery& query, size_t text_chars) {
  if (!query.text.empty() &&
      (text_chars < kSearchQueryCharsMin || text_chars > kSearchQueryCharsMax)) {
    return Invalid("q is " + std::to_string(kSearchQueryCharsMin) + " to " +
                   std::to_string(kSearchQueryCharsMax) + " characters of the debtor's name");
  }
  if (!query.credit_code.empty() && !contracts::IsValidCreditCode(query.credit_code)) {
    return Invalid("credit_code is not a valid 18-character unified social credit code");
  }
  if (query.court_org_id.size() > 64) return Invalid("court is an organization id");
  for (const std::string* date : {&query.accepted_from, &query.accepted_to}) {
    if (!date->empty() && !contracts::IsValidDate(*date)) {
      return Invalid("accepted_from and accepted_to are dates written YYYY-MM-DD");
    }
  }
  if (query.page_size == 0 || query.page_size > kSearchPageSizeMax) {
    return Invalid("page_size is 1 to " + std::to_string(kSearchPageSizeMax));
  }
  return Status::Ok();
}

}  // namespace

std::vector<std::string> NormalizedChars(std::string_view text) {
  std::vector<std::string> chars;
  for (size_t i = 0; i < text.size();) {
    size_t length = Utf8Length(text, i);
    std::string c(text.substr(i, length));
    i += length;
    if (c == " " || c == "\t" || c == "\n" || c == "\r" || c == "\u3000") continue;
    if (c.size() == 1 && c[0] >= 'A' && c[0] <= 'Z') c[0] = static_cast<char>(c[0] - 'A' + 'a');
    if (c.size() == 3) {
      // U+FF01..U+FF5E, the full-width forms of '!'..'~', are EF BC 81..EF BD 9E.
      unsigned b0 = static_cast<unsigned char>(c[0]), b1 = static_cast<unsigned char>(c[1]),
               b2 = static_cast<unsigned char>(c[2]);
      unsigned code = ((b0 & 0x0F) << 12) | ((b1 & 0x3F) << 6) | (b2 & 0x3F);
      if (code >= 0xFF01 && code <= 0xFF5E) {
        char ascii = static_cast<char>(code - 0xFF01 + '!');
        if (ascii >= 'A' && ascii <= 'Z') ascii = static_cast<char>(ascii - 'A' + 'a');
        c = std::string(1, ascii);
      }
    }
    chars.push_back(std::move(c));
  }
  return chars;
}

Result<ledger::StateWrites> CaseIndexWrites(const ledger::StateWrites& writes,
                                            const ledger::Store& store) {
  ledger::StateWrites out;
  std::map<std::string, int64_t> count_changes;
  auto index = [&](const pb::Case& record, bool add) {
    for (const std::string& gram : Bigrams(NormalizedChars(record.debtor_name()))) {
      std::string key = GramKey(gram, record.id());
      if (add) {
        out[key] = std::string();
      } else {
        out[key] = std::nullopt;
      }
      count_changes[gram] += add ? 1 : -1;
    }
    std::string recent = RecentKey(record.accepted_height(), record.id());
    if (add) {
      out[recent] = std::string();
    } else {
      out[recent] = std::nullopt;
    }
  };
  auto parse = [](const std::string& bytes) -> Result<pb::Case> {
    pb::Case record;
    if (!record.ParseFromString(bytes)) {
      return Status(pb::Status::INTERNAL, "a case record does not decode");
    }
    return record;
  };
  for (auto it = writes.lower_bound(contracts::kCaseKeyPrefix);
       it != writes.end() && it->first.starts_with(contracts::kCaseKeyPrefix); ++it) {
    auto before = store.GetState(it->first);
    if (!before.ok()) return before.status();
    // A case's name and acceptance never change: only a new or removed record moves the index.
    if (before->has_value() == it->second.has_value()) continue;
    Result<pb::Case> record = parse(it->second.has_value() ? *it->second : **before);
    if (!record.ok()) return record.status();
    index(*record, it->second.has_value());
  }
  for (const auto& [gram, change] : count_changes) {
    Result<uint64_t> count = GramCount(store, gram);
    if (!count.ok()) return count.status();
    int64_t updated = static_cast<int64_t>(*count) + change;
    std::string key = std::string(kGramCountPrefix) + gram;
    if (updated <= 0) {
      out[key] = std::nullopt;
    } else {
      out[key] = ledger::EncodeU64(static_cast<uint64_t>(updated));
    }
  }
  return out;
}

Status EnsureCaseIndex(ledger::Store& store) {
  auto version = store.GetIndex(kIndexVersionKey);
  if (!version.ok()) return version.status();
  if (version->has_value()) return Status::Ok();
  // Every committed case as if it were written now, against a store that holds none of them:
  // the writes are new records, so CaseIndexWrites indexes each. Counts start from zero here.
  auto rows = store.ScanState(contracts::kCaseKeyPrefix, kCasesMax);
  if (!rows.ok()) return rows.status();
  ledger::StateWrites out;
  std::map<std::string, uint64_t> counts;
  for (const auto& [key, value] : *rows) {
    pb::Case record;
    if (!record.ParseFromString(value)) {
      return Status(pb::Status::IO, "a committed case record does not decode");
    }
    for (const std::string& gram : Bigrams(NormalizedChars(record.debtor_name()))) {
      out[GramKey(gram, record.id())] = std::string();
      ++counts[gram];
    }
    out[RecentKey(record.accepted_height(), record.id())] = std::string();
  }
  for (const auto& [gram, count] : counts) {
    out[std::string(kGramCountPrefix) + gram] = ledger::EncodeU64(count);
  }
  out[std::string(kIndexVersionKey)] = std::string(kIndexVersion);
  return store.WriteIndexes(out);
}

Result<pb::CaseList> SearchCases(const ledger::Store& store, const contracts::StateReader& state,
                                 const CaseQuery& query) {
  std::vector<std::string> text_chars = NormalizedChars(query.text);
  if (Status st = Validate(query, text_chars.size()); !st.ok()) return st;
  std::string normalized_text = Joined(text_chars);
  std::string start_after;
  if (!query.page_token.empty()) {
    std::optional<std::string> decoded = FromHex(query.page_token);
    if (!decoded) return Invalid("page_token is not one this search handed out");
    start_after = std::move(*decoded);
  }

  // Where the candidates come from: the rarest bigram's postings, the debtor's cases, or all
  // cases newest first.
  std::string prefix;
  bool from_state = false;
  if (!normalized_text.empty()) {
    std::string rarest;
    uint64_t fewest = std::numeric_limits<uint64_t>::max();
    for (const std::string& gram : Bigrams(text_chars)) {
      Result<uint64_t> count = GramCount(store, gram);
      if (!count.ok()) return count.status();
      if (*count < fewest) {
        fewest = *count;
        rarest = gram;
      }
    }
    if (fewest == 0) return pb::CaseList();
    prefix = std::string(kGramPrefix) + rarest + "/";
  } else if (!query.credit_code.empty()) {
    prefix = contracts::CaseByCreditCodeKey(query.credit_code, "");
    from_state = true;
  } else {
    prefix = std::string(kRecentPrefix);
  }
  if (!start_after.empty() && !start_after.starts_with(prefix)) {
    return Invalid("page_token belongs to another query");
  }

  pb::CaseList list;
  size_t examined = 0;
  std::string last_key = start_after;
  bool exhausted = false;
  while (static_cast<size_t>(list.cases_size()) < query.page_size && !exhausted &&
         examined < kSearchCandidatesMax) {
    size_t chunk = std::min<size_t>(kSearchPageSizeMax, kSearchCandidatesMax - examined);
    Result<std::vector<std::pair<std::string, std::string>>> rows =
        from_state ? store.ScanState(prefix, last_key, chunk)
                   : store.ScanIndex(prefix, last_key, chunk);
    if (!rows.ok()) return rows.status();
    size_t used = 0;
    for (const auto& [key, value] : *rows) {
      ++used;
      ++examined;
      last_key = key;
      std::string_view case_id = std::string_view(key).substr(key.rfind('/') + 1);
      std::optional<pb::Case> record = contracts::LoadCase(state, case_id);
      if (record && Matches(*record, query, normalized_text)) {
        *list.add_cases() = std::move(*record);
        if (static_cast<size_t>(list.cases_size()) == query.page_size) break;
      }
    }
    exhausted = rows->size() < chunk && used == rows->size();
  }
  if (!exhausted && !last_key.empty()) list.set_next_page_token(ToHex(last_key));
  return list;
}

}  // namespace onechain::node
