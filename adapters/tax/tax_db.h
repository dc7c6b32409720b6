// The tax bureau's own PostgreSQL database, read only: taxpayers by unified social credit code
// and their arrears by tax item (adapters/tax/schema.sql).
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "tax/late_fee.h"
#include "util/status.h"

namespace onechain::adapters::tax {

struct Taxpayer {
  std::string credit_code;
  std::string name;
};

class TaxDatabase {
 public:
  // `conninfo` as libpq takes it, e.g. "host=127.0.0.1 port=5432 dbname=tax user=tax".
  static Result<std::unique_ptr<TaxDatabase>> Connect(const std::string& conninfo);
  ~TaxDatabase();
  TaxDatabase(const TaxDatabase&) = delete;
  TaxDatabase& operator=(const TaxDatabase&) = delete;

  // The taxpayer with this code, or nullopt. IO if the database does not answer.
  Result<std::optional<Taxpayer>> FindTaxpayer(const std::string& credit_code);
  // Its unpaid arrears, in the order the bureau recorded them. MALFORMED for a row whose amounts
  // or date do not parse.
  Result<std::vector<ArrearsRow>> Arrears(const std::string& credit_code);

 private:
  struct Impl;
  explicit TaxDatabase(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace onechain::adapters::tax
