#include "tax/tax_db.h"

#include <libpq-fe.h>

#include <charconv>
#include <mutex>

namespace onechain::adapters::tax {

namespace {

struct ResultDeleter {
  void operator()(PGresult* result) const { PQclear(result); }
};
using PgResult = std::unique_ptr<PGresult, ResultDeleter>;

std::optional<int64_t> ParseFen(const char* text) {
  std::string_view view(text);
  int64_t value = 0;
  auto [end, ec] = std::from_chars(view.data(), view.data() + view.size(), value);
  if (ec != std::errc() || end != view.data() + view.size()) return std::nullopt;
  return value;
}

}  // namespace

struct TaxDatabase::Impl {
  std::mutex mu;
  PGconn* conn = nullptr;
  std::string conninfo;

  // Runs a parameterized query; reconnects once if the connection was lost.
  Result<PgResult> Query(const char* sql, const std::vector<std::string>& params) {
    std::lock_guard lock(mu);
    std::vector<const char*> values;
    for (const std::string& p : params) values.push_back(p.c_str());
    for (int attempt = 0; attempt < 2; ++attempt) {
      if (PQstatus(conn) != CONNECTION_OK) PQreset(conn);
      PgResult result(PQexecParams(conn, sql, static_cast<int>(values.size()), nullptr,
                                   values.data(), nullptr, nullptr, 0));
      if (result && PQresultStatus(result.get()) == PGRES_TUPLES_OK) return result;
      if (PQstatus(conn) == CONNECTION_OK) {
        return Status(pb::Status::IO,
                      std::string("tax database query failed: ") + PQerrorMessage(conn));
      }
    }
    return Status(pb::Status::IO, std::string("tax database unreachable: ") + PQerrorMessage(conn));
  }
};

TaxDatabase::TaxDatabase(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

TaxDatabase::~TaxDatabase() {
  if (impl_ && impl_->conn != nullptr) PQfinish(impl_->conn);
}

Result<std::unique_ptr<TaxDatabase>> TaxDatabase::Connect(const std::string& conninfo) {
  auto impl = std::make_unique<Impl>();
  impl->conninfo = conninfo;
  impl->conn = PQconnectdb(conninfo.c_str());
  if (impl->conn == nullptr || PQstatus(impl->conn) != CONNECTION_OK) {
    std::string message = impl->conn ? PQerrorMessage(impl->conn) : "out of memory";
    if (impl->conn != nullptr) PQfinish(impl->conn);
    return Status(pb::Status::IO, "cannot connect to the tax database: " + message);
  }
  return std::unique_ptr<TaxDatabase>(new TaxDatabase(std::move(impl)));
}

Result<std::optional<Taxpayer>> TaxDatabase::FindTaxpayer(const std::string& credit_code) {
  auto result = impl_->Query("SELECT credit_code, name FROM taxpayers WHERE credit_code = $1",
                             {credit_code});
  if (!result.ok()) return result.status();
  if (PQntuples(result->get()) == 0) return std::optional<Taxpayer>();
  return std::optional<Taxpayer>(
      Taxpayer{PQgetvalue(result->get(), 0, 0), PQgetvalue(result->get(), 0, 1)});
}

Result<std::vector<ArrearsRow>> TaxDatabase::Arrears(const std::string& credit_code) {
  auto result = impl_->Query(
      "SELECT tax_name, period, principal, surcharges, to_char(due_date, 'YYYY-MM-DD'), fine, "
      "special_interest FROM arrears WHERE credit_code = $1 AND NOT paid ORDER BY id",
      {credit_code});
  if (!result.ok()) return result.status();
  std::vector<ArrearsRow> rows;
  PGresult* r = result->get();
  for (int i = 0; i < PQntuples(r); ++i) {
    ArrearsRow row;
    row.tax_name = PQgetvalue(r, i, 0);
    row.period = PQgetvalue(r, i, 1);
    row.due_date = PQgetvalue(r, i, 4);
    std::optional<int64_t> amounts[4] = {ParseFen(PQgetvalue(r, i, 2)), ParseFen(PQgetvalue(r, i, 3)),
                                         ParseFen(PQgetvalue(r, i, 5)), ParseFen(PQgetvalue(r, i, 6))};
    for (const auto& amount : amounts) {
      if (!amount) {
        return Status(pb::Status::MALFORMED, "arrears row " + std::to_string(i) + " of " +
                                                 credit_code + " has an amount that is not fen");
      }
    }
    row.principal = *amounts[0];
    row.surcharges = *amounts[1];
    row.fine = *amounts[2];
    row.special_interest = *amounts[3];
    rows.push_back(std::move(row));
  }
  return rows;
}

}  // namespace onechain::adapters::tax
