// The social insurance declaration: each contribution in its tier, late fees to the acceptance
// date, nothing owed, bad dates and overflow refused.
#include "social/social.h"

#include <gtest/gtest.h>

namespace onechain::adapters::social {
namespace {

pb::Case Accepted(const std::string& date) {
  pb::Case record;
  record.set_debtor_credit_code("91440300MA5F8XGL06");
  record.set_acceptance_date(date);
  return record;
}

pb::CaseCreditor Entry() {
  pb::CaseCreditor entry;
  entry.set_id("e1");
  entry.set_name("Social Insurance Fund");
  entry.set_id_number("12440300MB0000000X");
  return entry;
}

TEST(SocialDeclarationTest, EmployeeAccountsInTierOneTheRestInTierTwoLateFeesOrdinary) {
  std::vector<Contribution> rows = {
      {"pension", "personal", "2026-08", 1'600'000, "2026-09-15"},
      {"medical", "personal", "2026-08", 400'000, "2026-09-15"},
      {"unemployment", "personal", "2026-08", 50'000, "2026-09-15"},
      {"pension", "pooled", "2026-08", 3'200'000, "2026-09-15"},
      {"work_injury", "pooled", "2026-08", 30'000, "2026-11-20"},  // due on acceptance: no fee
  };
  auto declare = SocialDeclaration(rows, Accepted("2026-11-20"), Entry());
  ASSERT_TRUE(declare.ok()) << declare.status().ToString();
  EXPECT_EQ(declare->creditor_id(), "e1");
  const pb::Declaration& d = declare->declaration();
  EXPECT_EQ(d.creditor_id_number(), "12440300MB0000000X");
  ASSERT_EQ(d.components_size(), 3);
  EXPECT_EQ(d.components(0).kind(), pb::COMPONENT_KIND_PENSION);
  EXPECT_EQ(d.components(0).amount(), 2'000'000);
  EXPECT_EQ(d.components(1).kind(), pb::COMPONENT_KIND_SOCIAL_INSURANCE);
  EXPECT_EQ(d.components(1).amount(), 3'280'000);
  EXPECT_EQ(d.components(2).kind(), pb::COMPONENT_KIND_OTHER);
  // 2026-09-16 .. 2026-11-20 is 66 days: 5,250,000 fen x 0.05% x 66 = 173,250 fen.
  EXPECT_EQ(d.components(2).amount(), 173'250);
  EXPECT_TRUE(d.tax_items().empty());
}

TEST(SocialDeclarationTest, NothingOwedBadDatesAndOverflowAreRefused) {
  EXPECT_EQ(SocialDeclaration({}, Accepted("2026-11-20"), Entry()).status().code(),
            pb::Status::NOT_FOUND);
  EXPECT_EQ(SocialDeclaration({{"pension", "pooled", "x", 0, "2026-09-15"}}, Accepted("2026-11-20"),
                              Entry())
                .status()
                .code(),
            pb::Status::NOT_FOUND);
  EXPECT_EQ(SocialDeclaration({{"pension", "pooled", "x", 10, "2026-02-30"}},
                              Accepted("2026-11-20"), Entry())
                .status()
                .code(),
            pb::Status::INVALID_ARGUMENT);
  std::vector<Contribution> huge = {{"pension", "pooled", "a", INT64_MAX - 1, "2026-11-20"},
                                    {"pension", "pooled", "b", 10, "2026-11-20"}};
  EXPECT_EQ(SocialDeclaration(huge, Accepted("2026-11-20"), Entry()).status().code(),
            pb::Status::INVALID_ARGUMENT);
  EXPECT_TRUE(IsEmployeeTier({"medical", "personal", "", 1, ""}));
  EXPECT_FALSE(IsEmployeeTier({"medical", "pooled", "", 1, ""}));
  EXPECT_FALSE(IsEmployeeTier({"unemployment", "personal", "", 1, ""}));
}

}  // namespace
}  // namespace onechain::adapters::social
