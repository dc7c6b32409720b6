// The reporting database (reporting/schema.sql) through libpq: the schema, the cursor, and one
// block's rows written in one transaction together with the cursor.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "util/status.h"

namespace onechain::reporting {

// One parameterized statement; a nullopt parameter is SQL NULL.
struct Statement {
  std::string sql;
  std::vector<std::optional<std::string>> params;
};

struct Cursor {
  uint64_t height = 0;
  std::string block_hash;
};

class ReportDb {
 public:
  // `conninfo` as libpq takes it. Creates the tables if they are missing.
  static Result<std::unique_ptr<ReportDb>> Open(const std::string& conninfo);
  ~ReportDb();
  ReportDb(const ReportDb&) = delete;
  ReportDb& operator=(const ReportDb&) = delete;

  Result<Cursor> LoadCursor();
  // The ids of the claims the database holds for the case `id`, or for the case of the plan `id`.
  Result<std::vector<std::string>> ClaimsOf(const std::string& id);

  // In one transaction: checks that the cursor is at height - 1 (FAILED_PRECONDITION otherwise, nothing
  // written), runs `statements`, moves the cursor to `height`, commits. `hold_ms` pauses before
  // the commit (for crash tests). IO if the database fails; then nothing is written.
  Status ApplyBlock(uint64_t height, const std::string& block_hash, int64_t block_time_ms,
                    const std::vector<Statement>& statements, int hold_ms = 0);

 private:
  struct Impl;
  explicit ReportDb(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace onechain::reporting
