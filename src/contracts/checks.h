// Field checks and role tests shared by the contracts. Every refusal names the field it is about.
#pragma once

#include <algorithm>
#include <cstdint>
#include <string>

#include "governance.pb.h"
#include "util/status.h"

namespace onechain::contracts {

inline bool HasRole(const pb::Account& account, pb::Role role) {
  return std::find(account.roles().begin(), account.roles().end(), role) != account.roles().end();
}

inline Status Invalid(const std::string& field, const std::string& why) {
  return Status(pb::Status::INVALID_ARGUMENT, field + " " + why);
}

// A required text field of at most `max_bytes`.
inline Status CheckText(const std::string& field, const std::string& value, size_t max_bytes) {
  if (value.empty()) return Invalid(field, "is required");
  if (value.size() > max_bytes) {
    return Status(pb::Status::TOO_LARGE,
                  field + " is longer than " + std::to_string(max_bytes) + " bytes");
  }
  return Status::Ok();
}

inline Status CheckOptionalText(const std::string& field, const std::string& value,
                                size_t max_bytes) {
  return value.empty() ? Status::Ok() : CheckText(field, value, max_bytes);
}

// An amount of fen that must not be negative.
inline Status CheckAmount(const std::string& field, int64_t fen) {
  if (fen < 0) return Invalid(field, "must not be negative (fen)");
  return Status::Ok();
}

// sum += value; false on int64 overflow (sum is then unspecified).
inline bool AddChecked(int64_t& sum, int64_t value) {
  return !__builtin_add_overflow(sum, value, &sum);
}

inline Status Overflow(const std::string& field) {
  return Status(pb::Status::INVALID_ARGUMENT, field + " overflows a 64-bit amount of fen");
}

}  // namespace onechain::contracts
