// The late fee to the acceptance date and the ranking of a tax declaration's parts.
#include "tax/late_fee.h"

#include <gtest/gtest.h>

#include <limits>

#include "contracts/workflow.h"

namespace onechain::adapters::tax {
namespace {

TEST(DayNumber, KnownDatesAndLeapYears) {
  EXPECT_EQ(*DayNumber("1970-01-01"), 0);
  EXPECT_EQ(*DayNumber("2000-03-01") - *DayNumber("2000-02-28"), 2);  // 2000 is leap
  EXPECT_EQ(*DayNumber("1900-03-01") - *DayNumber("1900-02-28"), 1);  // 1900 is not
  EXPECT_EQ(*DayNumber("2024-03-01") - *DayNumber("2024-02-28"), 2);
  EXPECT_EQ(*DayNumber("2025-03-01") - *DayNumber("2025-02-28"), 1);
  EXPECT_EQ(*DayNumber("2026-11-20"), 20'777);
  EXPECT_EQ(*DayNumber("2025-01-01") - *DayNumber("2024-01-01"), 366);
}

TEST(DayNumber, RefusesDatesThatDoNotExist) {
  for (const char* bad : {"2023-02-29", "2026-13-01", "2026-04-31", "2026-00-10", "2026-1-01",
                          "20261101", "2026-11-2x", "", "1899-12-31", "+026-11-20"}) {
    Result<int64_t> day = DayNumber(bad);
    ASSERT_FALSE(day.ok()) << bad;
    EXPECT_EQ(day.status().code(), pb::Status::INVALID_ARGUMENT) << bad;
  }
  EXPECT_TRUE(DayNumber("2024-02-29").ok());
}

TEST(LateFee, StopsAtTheAcceptanceDate) {
  // Accepted on the due date or before: no day in arrears.
  EXPECT_EQ(LateFeeToAcceptance(1'000'000, "2026-11-20", "2026-11-20")->fee, 0);
  EXPECT_EQ(LateFeeToAcceptance(1'000'000, "2026-11-20", "2026-11-19")->days, 0);
  // Accepted the day after the due date: that day counts, and nothing after it.
  Result<LateFee> one = LateFeeToAcceptance(1'000'000, "2026-11-19", "2026-11-20");
  EXPECT_EQ(one->days, 1);
  EXPECT_EQ(one->fee, 500);  // 10,000.00 yuan x 0.05% = 5.00 yuan
  Result<LateFee> month = LateFeeToAcceptance(3'500'000, "2026-10-15", "2026-11-20");
  EXPECT_EQ(month->days, 36);
  EXPECT_EQ(month->fee, 63'000);
}

TEST(LateFee, LeapDayCounts) {
  EXPECT_EQ(LateFeeToAcceptance(10'000, "2024-02-28", "2024-03-01")->days, 2);
  EXPECT_EQ(LateFeeToAcceptance(10'000, "2023-02-28", "2023-03-01")->days, 1);
  EXPECT_EQ(LateFeeToAcceptance(10'000, "2023-12-31", "2024-12-31")->days, 366);
}

TEST(LateFee, RoundsHalfUpToTheFen) {
  // 1,001 fen x 5 / 10,000 = 0.5005 fen -> 1; 999 fen -> 0.4995 -> 0; 1,000 fen -> 0.5 -> 1.
  EXPECT_EQ(LateFeeToAcceptance(1'001, "2026-11-19", "2026-11-20")->fee, 1);
  EXPECT_EQ(LateFeeToAcceptance(999, "2026-11-19", "2026-11-20")->fee, 0);
  EXPECT_EQ(LateFeeToAcceptance(1'000, "2026-11-19", "2026-11-20")->fee, 1);
}

TEST(LateFee, OverflowIsRefusedNotWrapped) {
  constexpr int64_t kMax = std::numeric_limits<int64_t>::max();
  // Over 2,000 days the fee is the principal itself: exact at INT64_MAX, whose product
  // with the days needs 128 bits on the way.
  Result<LateFee> exact = LateFeeToAcceptance(kMax, "2000-01-01", "2005-06-23");
  ASSERT_TRUE(exact.ok()) << exact.status().ToString();
  EXPECT_EQ(exact->days, 2'000);
  EXPECT_EQ(exact->fee, kMax);
  Result<LateFee> over = LateFeeToAcceptance(kMax, "2000-01-01", "2005-06-24");
  ASSERT_FALSE(over.ok());
  EXPECT_EQ(over.status().code(), pb::Status::INVALID_ARGUMENT);
  EXPECT_EQ(LateFeeToAcceptance(-1, "2026-01-01", "2026-11-20").status().code(),
            pb::Status::INVALID_ARGUMENT);
  EXPECT_FALSE(LateFeeToAcceptance(100, "2026-02-30", "2026-11-20").ok());

  ArrearsRow row{"VAT", "2025", kMax, 1, "2026-11-01", 0, 0};
  EXPECT_EQ(TaxItemFor(row, "2026-11-20").status().code(), pb::Status::INVALID_ARGUMENT);
  row.surcharges = -1;
  EXPECT_EQ(TaxItemFor(row, "2026-11-20").status().code(), pb::Status::INVALID_ARGUMENT);
}

TEST(TaxItem, PartsAndTheirRanking) {
  ArrearsRow vat{"VAT", "2025-09", 3'000'000, 360'000, "2025-10-15", 150'000, 0};
  ArrearsRow cit{"corporate income tax", "2024", 8'000'000, 0, "2025-05-31", 0, 420'000};
  pb::Declaration declaration;
  for (const ArrearsRow& row : {vat, cit}) {
    Result<pb::TaxItem> item = TaxItemFor(row, "2026-11-20");
    ASSERT_TRUE(item.ok()) << item.status().ToString();
    *declaration.add_tax_items() = *item;
  }
  // 2025-10-15 -> 2026-11-20: 401 days; 3,000,000 x 5 x 401 / 10,000 = 601,500 fen.
  EXPECT_EQ(declaration.tax_items(0).tax(), 3'360'000);
  EXPECT_EQ(declaration.tax_items(0).late_fee(), 601'500);
  // 2025-05-31 -> 2026-11-20: 538 days; 8,000,000 x 5 x 538 / 10,000 = 2,152,000 fen.
  EXPECT_EQ(declaration.tax_items(1).late_fee(), 2'152'000);

  std::vector<pb::ComponentResult> parts = contracts::DeclaredComponents(declaration);
  ASSERT_EQ(parts.size(), 6u);
  const std::pair<pb::ComponentKind, pb::Ranking> expected[] = {
      {pb::COMPONENT_KIND_TAX, pb::RANKING_TAX_AND_SOCIAL_INSURANCE},
      {pb::COMPONENT_KIND_TAX_LATE_FEE, pb::RANKING_ORDINARY},
      {pb::COMPONENT_KIND_TAX_FINE, pb::RANKING_SUBORDINATED},
      {pb::COMPONENT_KIND_TAX, pb::RANKING_TAX_AND_SOCIAL_INSURANCE},
      {pb::COMPONENT_KIND_TAX_LATE_FEE, pb::RANKING_ORDINARY},
      {pb::COMPONENT_KIND_TAX_SPECIAL_INTEREST, pb::RANKING_ORDINARY}};
  for (size_t i = 0; i < parts.size(); ++i) {
    EXPECT_EQ(parts[i].kind(), expected[i].first) << i;
    EXPECT_EQ(parts[i].ranking(), expected[i].second) << i;
  }
  EXPECT_EQ(parts[2].declared(), 150'000);
  EXPECT_EQ(parts[5].declared(), 420'000);
}

TEST(FormatYuan, GroupsThousands) {
  EXPECT_EQ(FormatYuan(0), "0.00");
  EXPECT_EQ(FormatYuan(5), "0.05");
  EXPECT_EQ(FormatYuan(123'456'789), "1,234,567.89");
  EXPECT_EQ(FormatYuan(-100'000), "-1,000.00");
}

}  // namespace
}  // namespace onechain::adapters::tax
