// A department's own PostgreSQL, read through libpq: parameterized queries whose rows come back
// as text, reconnecting once when the connection was lost. Adapters parse the columns they read.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "util/status.h"

namespace onechain::adapters {

using PgRow = std::vector<std::string>;

class PgDatabase {
 public:
  // IO if the database cannot be reached.
  static Result<std::unique_ptr<PgDatabase>> Connect(const std::string& conninfo);
  ~PgDatabase();
  // The rows of `sql` with $1… bound to `params`; IO on any failure (the caller retries later).
  Result<std::vector<PgRow>> Rows(const std::string& sql, const std::vector<std::string>& params);

 private:
  struct Impl;
  explicit PgDatabase(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

// A bigint column as fen; nullopt if it is not a decimal integer that fits.
std::optional<int64_t> ParseFen(const std::string& text);

}  // namespace onechain::adapters
