#include "report_db.h"

#include <libpq-fe.h>

#include <chrono>
#include <thread>

#include "schema_sql.h"

namespace onechain::reporting {

namespace {

struct ResultDeleter {
  void operator()(PGresult* result) const { PQclear(result); }
};
using PgResult = std::unique_ptr<PGresult, ResultDeleter>;

}  // namespace

struct ReportDb::Impl {
  PGconn* conn = nullptr;

  Status Error(const std::string& what) const {
    return Status(pb::Status::IO, what + ": " + PQerrorMessage(conn));
  }

  Result<PgResult> Exec(const Statement& statement) {
    std::vector<const char*> values;
    for (const auto& p : statement.params) values.push_back(p ? p->c_str() : nullptr);
    PgResult result(PQexecParams(conn, statement.sql.c_str(), static_cast<int>(values.size()),
                                 nullptr, values.data(), nullptr, nullptr, 0));
    if (!result) return Error("reporting database: no result");
    ExecStatusType status = PQresultStatus(result.get());
    if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) {
      return Error("reporting database refused `" + statement.sql.substr(0, 80) + "`");
    }
    return result;
  }

  // Reconnects if the connection was lost (the server restarted).
  Status EnsureConnected() {
    if (PQstatus(conn) == CONNECTION_OK) return Status::Ok();
    PQreset(conn);
    if (PQstatus(conn) != CONNECTION_OK) return Error("reporting database unreachable");
    return Status::Ok();
  }

  void Rollback() { PgResult(PQexec(conn, "ROLLBACK")); }
};

ReportDb::ReportDb(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

ReportDb::~ReportDb() {
  if (impl_ && impl_->conn != nullptr) PQfinish(impl_->conn);
}

Result<std::unique_ptr<ReportDb>> ReportDb::Open(const std::string& conninfo) {
  auto impl = std::make_unique<Impl>();
  impl->conn = PQconnectdb(conninfo.c_str());
  if (impl->conn == nullptr || PQstatus(impl->conn) != CONNECTION_OK) {
    std::string message = impl->conn ? PQerrorMessage(impl->conn) : "out of memory";
    if (impl->conn != nullptr) PQfinish(impl->conn);
    return Status(pb::Status::IO, "cannot connect to the reporting database: " + message);
  }
  PgResult quiet(PQexec(impl->conn, "SET client_min_messages = warning"));
  // The schema is idempotent (IF NOT EXISTS); several statements run through the simple protocol.
  PgResult schema(PQexec(impl->conn, kSchemaSql));
  if (!schema || PQresultStatus(schema.get()) != PGRES_COMMAND_OK) {
    Status error = impl->Error("cannot create the reporting schema");
    PQfinish(impl->conn);
    impl->conn = nullptr;
    return error;
  }
  return std::unique_ptr<ReportDb>(new ReportDb(std::move(impl)));
}

Result<Cursor> ReportDb::LoadCursor() {
  if (Status s = impl_->EnsureConnected(); !s.ok()) return s;
  auto result = impl_->Exec({"SELECT height, block_hash FROM report_cursor WHERE id = 1", {}});
  if (!result.ok()) return result.status();
  if (PQntuples(result->get()) != 1) {
    return Status(pb::Status::INTERNAL, "report_cursor does not hold exactly one row");
  }
  Cursor cursor;
  cursor.height = std::stoull(PQgetvalue(result->get(), 0, 0));
  cursor.block_hash = PQgetvalue(result->get(), 0, 1);
  return cursor;
}

Result<std::vector<std::string>> ReportDb::ClaimsOf(const std::string& id) {
  if (Status s = impl_->EnsureConnected(); !s.ok()) return s;
  auto result = impl_->Exec(
      {"SELECT claim_id FROM claims WHERE case_id = $1 OR case_id = "
       "(SELECT case_id FROM plans WHERE plan_id = $1) ORDER BY claim_id",
       {id}});
  if (!result.ok()) return result.status();
  std::vector<std::string> ids;
  for (int i = 0; i < PQntuples(result->get()); ++i) ids.push_back(PQgetvalue(result->get(), i, 0));
  return ids;
}

Status ReportDb::ApplyBlock(uint64_t height, const std::string& block_hash, int64_t block_time_ms,
                            const std::vector<Statement>& statements, int hold_ms) {
  if (Status s = impl_->EnsureConnected(); !s.ok()) return s;
  if (auto begin = impl_->Exec({"BEGIN", {}}); !begin.ok()) return begin.status();
  auto fail = [&](Status status) {
    impl_->Rollback();
    return status;
  };
  // The row lock makes a second reporter on the same database wait here, then see the new height.
  auto cursor = impl_->Exec({"SELECT height FROM report_cursor WHERE id = 1 FOR UPDATE", {}});
  if (!cursor.ok()) return fail(cursor.status());
  const uint64_t at = std::stoull(PQgetvalue(cursor->get(), 0, 0));
  if (at + 1 != height) {
    return fail(Status(pb::Status::FAILED_PRECONDITION, "the reporting database is at height " +
                                                 std::to_string(at) + ", not " +
                                                 std::to_string(height - 1)));
  }
  for (const Statement& statement : statements) {
    if (auto r = impl_->Exec(statement); !r.ok()) return fail(r.status());
  }
  auto moved = impl_->Exec({"UPDATE report_cursor SET height = $1, block_hash = $2, "
                            "block_time_ms = $3 WHERE id = 1",
                            {std::to_string(height), block_hash, std::to_string(block_time_ms)}});
  if (!moved.ok()) return fail(moved.status());
  if (hold_ms > 0) std::this_thread::sleep_for(std::chrono::milliseconds(hold_ms));
  if (auto commit = impl_->Exec({"COMMIT", {}}); !commit.ok()) return fail(commit.status());
  return Status::Ok();
}

}  // namespace onechain::reporting
