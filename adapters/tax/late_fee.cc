#include "tax/late_fee.h"

#include <charconv>
#include <limits>

namespace onechain::adapters::tax {

namespace {

Status Invalid(const std::string& message) {
  return Status(pb::Status::INVALID_ARGUMENT, message);
}

bool ParseDigits(std::string_view text, int& out) {
  if (text.empty()) return false;
  for (char c : text) {
    if (c < '0' || c > '9') return false;
  }
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
  return ec == std::errc() && end == text.data() + text.size();
}

bool IsLeap(int year) { return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0; }

int DaysInMonth(int year, int month) {
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return month == 2 && IsLeap(year) ? 29 : kDays[month - 1];
}

// Days from 1970-01-01 to year-month-day: whole 400-year eras, then years, then months.
int64_t DaysFromCivil(int year, int month, int day) {
  // Count March-based years so that the leap day falls at the end of a year.
  const int y = month <= 2 ? year - 1 : year;
  const int era = y / 400;  // y ≥ 1899, never negative here
  const int year_of_era = y - era * 400;
  const int shifted_month = month > 2 ? month - 3 : month + 9;
  const int day_of_year = (153 * shifted_month + 2) / 5 + day - 1;
  const int day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
  return static_cast<int64_t>(era) * 146'097 + day_of_era - 719'468;
}

}  // namespace

Result<int64_t> DayNumber(std::string_view date) {
  if (date.size() != 10 || date[4] != '-' || date[7] != '-') {
    return Invalid("date '" + std::string(date.substr(0, 40)) + "' is not YYYY-MM-DD");
  }
  int year = 0, month = 0, day = 0;
  if (!ParseDigits(date.substr(0, 4), year) || !ParseDigits(date.substr(5, 2), month) ||
      !ParseDigits(date.substr(8, 2), day)) {
    return Invalid("date '" + std::string(date) + "' is not YYYY-MM-DD");
  }
  if (year < 1900 || month < 1 || month > 12 || day < 1 || day > DaysInMonth(year, month)) {
    return Invalid("date '" + std::string(date) + "' does not exist");
  }
  return DaysFromCivil(year, month, day);
}

Result<LateFee> LateFeeToAcceptance(int64_t principal, std::string_view due_date,
                                    std::string_view acceptance_date) {
  if (principal < 0) return Invalid("the principal is negative");
  Result<int64_t> due = DayNumber(due_date);
  if (!due.ok()) return due.status();
  Result<int64_t> accepted = DayNumber(acceptance_date);
  if (!accepted.ok()) return accepted.status();
  LateFee out;
  out.days = *accepted > *due ? *accepted - *due : 0;
  // principal < 2^63 and days < 2^22: the product of three fits in 128 bits.
  const __int128 numerator = static_cast<__int128>(principal) * out.days * kLateFeeRatePerDay;
  const __int128 fee = (numerator + kLateFeeRateDenominator / 2) / kLateFeeRateDenominator;
  if (fee > std::numeric_limits<int64_t>::max()) {
    return Status(pb::Status::INVALID_ARGUMENT, "the late fee on " + std::to_string(principal) +
                                            " fen over " + std::to_string(out.days) +
                                            " days exceeds int64 fen");
  }
  out.fee = static_cast<int64_t>(fee);
  return out;
}

Result<pb::TaxItem> TaxItemFor(const ArrearsRow& row, std::string_view acceptance_date) {
  for (auto [name, value] : {std::pair{"principal", row.principal},
                             {"surcharges", row.surcharges},
                             {"fine", row.fine},
                             {"special_interest", row.special_interest}}) {
    if (value < 0) return Invalid(row.tax_name + " " + row.period + ": " + name + " is negative");
  }
  int64_t tax = 0;
  if (__builtin_add_overflow(row.principal, row.surcharges, &tax)) {
    return Status(pb::Status::INVALID_ARGUMENT,
                  row.tax_name + " " + row.period + ": principal + surcharges exceeds int64 fen");
  }
  Result<LateFee> late = LateFeeToAcceptance(row.principal, row.due_date, acceptance_date);
  if (!late.ok()) return late.status();
  pb::TaxItem item;
  item.set_tax_name(row.tax_name);
  item.set_period(row.period);
  item.set_tax(tax);
  item.set_late_fee(late->fee);
  item.set_fine(row.fine);
  item.set_special_interest(row.special_interest);
  item.set_calculation("late fee " + FormatYuan(row.principal) + " x 0.05% x " +
                       std::to_string(late->days) + " days (" + row.due_date +
                       " due, to the acceptance date " + std::string(acceptance_date) +
                       ", SAT Announcement 2019 No. 48); surcharges " +
                       FormatYuan(row.surcharges) + " with the tax");
  return item;
}

std::string FormatYuan(int64_t fen) {
  const bool negative = fen < 0;
  // Work in unsigned so that INT64_MIN has a magnitude.
  uint64_t magnitude = negative ? 0 - static_cast<uint64_t>(fen) : static_cast<uint64_t>(fen);
  std::string cents = std::to_string(magnitude % 100);
  if (cents.size() < 2) cents.insert(0, "0");
  std::string yuan = std::to_string(magnitude / 100);
  for (int i = static_cast<int>(yuan.size()) - 3; i > 0; i -= 3) yuan.insert(i, ",");
  return (negative ? "-" : "") + yuan + "." + cents;
}

}  // namespace onechain::adapters::tax
