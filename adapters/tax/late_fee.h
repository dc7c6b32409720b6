// The tax bureau's arithmetic for a bankruptcy declaration, in exact integer fen: late fees of
// 0.05% a day (Tax Collection Administration Law art. 32) that stop accruing on the date the court
// accepts the case (SAT Announcement 2019 No. 48), and one arrears row as a declaration's TaxItem.
// Pure functions: no database, no network.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "claims.pb.h"
#include "util/status.h"

namespace onechain::adapters::tax {

// Late fee rate: 5 per 10,000 of the unpaid tax per day.
inline constexpr int64_t kLateFeeRatePerDay = 5;
inline constexpr int64_t kLateFeeRateDenominator = 10'000;

// Days since 1970-01-01 of a proleptic Gregorian "YYYY-MM-DD" (years 1900-9999); INVALID_ARGUMENT
// for anything else, including 2023-02-29.
Result<int64_t> DayNumber(std::string_view date);

struct LateFee {
  int64_t days = 0;  // days in arrears counted: the day after the due date through acceptance
  int64_t fee = 0;   // fen, rounded half up
};

// The late fee on `principal` fen that fell due on `due_date` (the last day to pay), counted from
// the next day through `acceptance_date` inclusive; 0 days if the case was accepted on or before
// the due date. INVALID_ARGUMENT for a negative principal or a bad date, INVALID_ARGUMENT also if the fee does
// not fit in int64 fen.
Result<LateFee> LateFeeToAcceptance(int64_t principal, std::string_view due_date,
                                    std::string_view acceptance_date);

// One row of the bureau's arrears table.
struct ArrearsRow {
  std::string tax_name;
  std::string period;
  int64_t principal = 0;         // fen: the tax itself, which bears late fees
  int64_t surcharges = 0;        // fen: surcharges levied with it (declared with the tax)
  std::string due_date;          // YYYY-MM-DD, last day to pay
  int64_t fine = 0;              // fen
  int64_t special_interest = 0;  // fen, special tax adjustment interest
};

// The TaxItem to declare for `row` with its late fee computed to `acceptance_date`; the contracts
// rank its parts (tax: EBL 113 (2); late fee and special interest: ordinary; fine: subordinated).
// INVALID_ARGUMENT for a negative amount or a bad date, INVALID_ARGUMENT also if a sum does not fit.
Result<pb::TaxItem> TaxItemFor(const ArrearsRow& row, std::string_view acceptance_date);

// "12,345.67" for 1234567 fen.
std::string FormatYuan(int64_t fen);

}  // namespace onechain::adapters::tax
