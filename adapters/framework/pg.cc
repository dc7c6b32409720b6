#include "framework/pg.h"

#include <libpq-fe.h>

#include <charconv>
#include <mutex>

namespace onechain::adapters {

struct PgDatabase::Impl {
  std::mutex mu;
  PGconn* conn = nullptr;
};

PgDatabase::PgDatabase(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

PgDatabase::~PgDatabase() {
  if (impl_ && impl_->conn != nullptr) PQfinish(impl_->conn);
}

Result<std::unique_ptr<PgDatabase>> PgDatabase::Connect(const std::string& conninfo) {
  auto impl = std::make_unique<Impl>();
  impl->conn = PQconnectdb(conninfo.c_str());
  if (impl->conn == nullptr || PQstatus(impl->conn) != CONNECTION_OK) {
    std::string message = impl->conn ? PQerrorMessage(impl->conn) : "out of memory";
    if (impl->conn != nullptr) PQfinish(impl->conn);
    return Status(pb::Status::IO, "cannot connect to the database: " + message);
  }
  return std::unique_ptr<PgDatabase>(new PgDatabase(std::move(impl)));
}

Result<std::vector<PgRow>> PgDatabase::Rows(const std::string& sql,
                                            const std::vector<std::string>& params) {
  std::lock_guard lock(impl_->mu);
  std::vector<const char*> values;
  for (const std::string& p : params) values.push_back(p.c_str());
  for (int attempt = 0; attempt < 2; ++attempt) {
    if (PQstatus(impl_->conn) != CONNECTION_OK) PQreset(impl_->conn);
    PGresult* result = PQexecParams(impl_->conn, sql.c_str(), static_cast<int>(values.size()),
                                    nullptr, values.data(), nullptr, nullptr, 0);
    if (result != nullptr && PQresultStatus(result) == PGRES_TUPLES_OK) {
      std::vector<PgRow> rows(static_cast<size_t>(PQntuples(result)));
      for (size_t i = 0; i < rows.size(); ++i) {
        for (int j = 0; j < PQnfields(result); ++j) {
          rows[i].emplace_back(PQgetvalue(result, static_cast<int>(i), j));
        }
      }
      PQclear(result);
      return rows;
    }
    PQclear(result);
    if (PQstatus(impl_->conn) == CONNECTION_OK) {
      return Status(pb::Status::IO, std::string("query failed: ") + PQerrorMessage(impl_->conn));
    }
  }
  return Status(pb::Status::IO,
                std::string("database unreachable: ") + PQerrorMessage(impl_->conn));
}

std::optional<int64_t> ParseFen(const std::string& text) {
  int64_t value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return value;
}

}  // namespace onechain::adapters
