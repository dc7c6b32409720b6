#include "node/case_search.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <random>

#include "contracts/cases.h"
#include "node/chain.h"

namespace onechain::node {
namespace {

class CaseSearchTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("onechain-case-search-" + std::to_string(getpid()));
    std::filesystem::remove_all(dir_);
    auto store = ledger::Store::Open(dir_.string());
    ASSERT_TRUE(store.ok()) << store.status().ToString();
    store_ = std::move(*store);
    ASSERT_TRUE(store_->InitGenesis("genesis", "genesis-hash", {}, "root").ok());
    state_ = std::make_unique<CommittedState>(*store_);
  }

  void TearDown() override {
    state_.reset();
    store_.reset();
    std::filesystem::remove_all(dir_);
  }

  // Commits `cases` as one block's state writes, with the index writes the node derives.
  void CommitCases(const std::vector<pb::Case>& cases) {
    ledger::BlockCommit commit;
    commit.height = store_->height() + 1;
    commit.block_hash = "block-" + std::to_string(commit.height);
    commit.state_root = "root";
    for (const pb::Case& record : cases) {
      commit.state_writes[contracts::CaseKey(record.id())] = record.SerializeAsString();
      commit.state_writes[contracts::CaseByCreditCodeKey(record.debtor_credit_code(),
                                                         record.id())] = std::string();
    }
    Result<ledger::StateWrites> index = CaseIndexWrites(commit.state_writes, *store_);
    ASSERT_TRUE(index.ok()) << index.status().ToString();
    commit.index_writes = std::move(*index);
    ASSERT_TRUE(store_->Commit(commit).ok());
  }

  static pb::Case MakeCase(int n, const std::string& name, const std::string& credit_code,
                           const std::string& court, pb::Procedure procedure,
                           pb::CaseStatus status, const std::string& date, uint64_t height) {
    pb::Case record;
    char id[33];
    std::snprintf(id, sizeof id, "%032x", n);
    record.set_id(id);
    record.set_case_number("(2026)粤03破" + std::to_string(n) + "号");
    record.set_debtor_name(name);
    record.set_debtor_credit_code(credit_code);
    record.set_court_org_id(court);
    record.set_procedure(procedure);
    record.set_status(status);
    record.set_acceptance_date(date);
    record.set_accepted_height(height);
    return record;
  }

  // Every page of `query`, following next_page_token; fails on a repeated case.
  std::vector<std::string> AllPages(CaseQuery query) {
    std::vector<std::string> ids;
    for (int page = 0; page < 1000; ++page) {
      Result<pb::CaseList> list = SearchCases(*store_, *state_, query);
      EXPECT_TRUE(list.ok()) << list.status().ToString();
      if (!list.ok()) break;
      EXPECT_LE(static_cast<size_t>(list->cases_size()), query.page_size);
      for (const pb::Case& record : list->cases()) {
        EXPECT_EQ(std::count(ids.begin(), ids.end(), record.id()), 0) << record.id();
        ids.push_back(record.id());
      }
      if (list->next_page_token().empty()) break;
      query.page_token = list->next_page_token();
    }
    return ids;
  }

  std::filesystem::path dir_;
  std::unique_ptr<ledger::Store> store_;
  std::unique_ptr<CommittedState> state_;
};

const std::string kCode1 = "91440300MA5F8XGL06";
const std::string kCode2 = "914403001922038216";

TEST(NormalizedChars, FoldsWidthCaseAndSpace) {
  EXPECT_EQ(NormalizedChars("ＡＢｃ　深圳 Co.\t"),
            (std::vector<std::string>{"a", "b", "c", "深", "圳", "c", "o", "."}));
  EXPECT_EQ(NormalizedChars("（集团）"), (std::vector<std::string>{"(", "集", "团", ")"}));
  // A byte that starts no UTF-8 sequence, and a truncated sequence, count one byte each.
  EXPECT_EQ(NormalizedChars("\xff\xe6\xb7"),
            (std::vector<std::string>{"\xff", "\xe6", "\xb7"}));
}

TEST_F(CaseSearchTest, FindsByPartOfTheNameWithFilters) {
  CommitCases({MakeCase(1, "深圳市海天科技有限公司", kCode1, "court", pb::PROCEDURE_LIQUIDATION,
                        pb::CASE_STATUS_ACCEPTED, "2026-03-01", 1),
               MakeCase(2, "深圳海天食品（集团）有限公司", kCode2, "court",
                        pb::PROCEDURE_REORGANIZATION, pb::CASE_STATUS_ACCEPTED, "2026-05-10", 1),
               MakeCase(3, "广州云海贸易有限公司", kCode1, "court-gz", pb::PROCEDURE_LIQUIDATION,
                        pb::CASE_STATUS_TERMINATED, "2025-12-31", 1)});
  auto ids = [&](CaseQuery query) { return AllPages(std::move(query)); };
  CaseQuery q;
  q.text = "海天";
  EXPECT_EQ(ids(q), (std::vector<std::string>{MakeCase(1, "", "", "", {}, {}, "", 0).id(),
                                              MakeCase(2, "", "", "", {}, {}, "", 0).id()}));
  q.text = "海天 食品";  // spaces do not matter
  EXPECT_EQ(ids(q).size(), 1u);
  q.text = "（集团）";  // full-width brackets match their ASCII folding
  EXPECT_EQ(ids(q).size(), 1u);
  q.text = "有限公司";
  EXPECT_EQ(ids(q).size(), 3u);
  q.procedure = pb::PROCEDURE_LIQUIDATION;
  EXPECT_EQ(ids(q).size(), 2u);
  q.status = pb::CASE_STATUS_TERMINATED;
  EXPECT_EQ(ids(q).size(), 1u);
  q = CaseQuery();
  q.text = "有限公司";
  q.court_org_id = "court";
  q.accepted_from = "2026-04-01";
  EXPECT_EQ(ids(q).size(), 1u);
  q.accepted_from = "";
  q.accepted_to = "2026-03-01";
  EXPECT_EQ(ids(q).size(), 1u);
  q = CaseQuery();
  q.text = "北京";  // a bigram no case holds
  EXPECT_TRUE(ids(q).empty());
  q.text = "海天科技X";  // every bigram is held, the whole text is not
  EXPECT_TRUE(ids(q).empty());
  q = CaseQuery();
  q.credit_code = kCode1;
  EXPECT_EQ(ids(q).size(), 2u);
}

TEST_F(CaseSearchTest, NewestFirstWithoutText) {
  for (uint64_t height = 1; height <= 5; ++height) {
    CommitCases({MakeCase(static_cast<int>(height), "公司" + std::to_string(height), kCode1,
                          "court", pb::PROCEDURE_LIQUIDATION, pb::CASE_STATUS_ACCEPTED,
                          "2026-01-01", height)});
  }
  CaseQuery q;
  q.page_size = 2;
  std::vector<std::string> ids = AllPages(q);
  ASSERT_EQ(ids.size(), 5u);
  for (size_t i = 0; i < ids.size(); ++i) {
    EXPECT_EQ(ids[i], MakeCase(static_cast<int>(5 - i), "", "", "", {}, {}, "", 0).id());
  }
}

TEST_F(CaseSearchTest, BadQueriesAreRefusedNamingTheField) {
  CommitCases({MakeCase(1, "深圳市海天科技有限公司", kCode1, "court", pb::PROCEDURE_LIQUIDATION,
                        pb::CASE_STATUS_ACCEPTED, "2026-03-01", 1)});
  auto refused = [&](CaseQuery q, std::string_view field) {
    Result<pb::CaseList> list = SearchCases(*store_, *state_, q);
    ASSERT_FALSE(list.ok());
    EXPECT_EQ(list.status().code(), pb::Status::INVALID_ARGUMENT);
    EXPECT_NE(list.status().message().find(field), std::string::npos) << list.status().message();
  };
  CaseQuery q;
  q.text = "海";
  refused(q, "q is");
  q.text = std::string(51, 'a');
  refused(q, "q is");
  q = CaseQuery();
  q.credit_code = "91440300MA5F8XGL07";  // wrong check character
  refused(q, "credit_code");
  q = CaseQuery();
  q.accepted_from = "2026-02-30";
  refused(q, "accepted_from");
  q = CaseQuery();
  q.page_size = 0;
  refused(q, "page_size");
  q.page_size = kSearchPageSizeMax + 1;
  refused(q, "page_size");
  q = CaseQuery();
  q.page_token = "zz";
  refused(q, "page_token");
  // A token of the newest-first listing used for a name query.
  CaseQuery listing;
  listing.page_size = 1;
  CommitCases({MakeCase(2, "深圳市海天科技二号有限公司", kCode1, "court",
                        pb::PROCEDURE_LIQUIDATION, pb::CASE_STATUS_ACCEPTED, "2026-03-01", 2)});
  Result<pb::CaseList> first = SearchCases(*store_, *state_, listing);
  ASSERT_TRUE(first.ok());
  ASSERT_FALSE(first->next_page_token().empty());
  q = CaseQuery();
  q.text = "海天";
  q.page_token = first->next_page_token();
  refused(q, "another query");
}

TEST_F(CaseSearchTest, IndexIsBuiltOverCasesCommittedWithoutIt) {
  // A block committed by a node that had no index: state only.
  ledger::BlockCommit commit;
  commit.height = 1;
  commit.block_hash = "old-block";
  commit.state_root = "root";
  pb::Case old = MakeCase(7, "深圳市旧案科技有限公司", kCode1, "court", pb::PROCEDURE_LIQUIDATION,
                          pb::CASE_STATUS_ACCEPTED, "2025-01-01", 1);
  commit.state_writes[contracts::CaseKey(old.id())] = old.SerializeAsString();
  ASSERT_TRUE(store_->Commit(commit).ok());
  CaseQuery q;
  q.text = "旧案";
  EXPECT_TRUE(AllPages(q).empty());
  ASSERT_TRUE(EnsureCaseIndex(*store_).ok());
  EXPECT_EQ(AllPages(q), std::vector<std::string>{old.id()});
  // Later blocks add to it, and building again changes nothing.
  CommitCases({MakeCase(8, "深圳市旧案贸易有限公司", kCode1, "court", pb::PROCEDURE_LIQUIDATION,
                        pb::CASE_STATUS_ACCEPTED, "2025-01-02", 2)});
  ASSERT_TRUE(EnsureCaseIndex(*store_).ok());
  EXPECT_EQ(AllPages(q).size(), 2u);
}

// Random names over a small alphabet, compared with a brute-force filter over every case.
TEST_F(CaseSearchTest, AgreesWithABruteForceFilter) {
  const std::vector<std::string> alphabet = {"海", "天", "科", "技", "深", "圳", "a", "B"};
  std::mt19937 random(20261128);
  std::vector<pb::Case> cases;
  for (int n = 1; n <= 300; ++n) {
    std::string name;
    size_t length = 2 + random() % 6;
    for (size_t i = 0; i < length; ++i) name += alphabet[random() % alphabet.size()];
    cases.push_back(MakeCase(n, name, n % 2 ? kCode1 : kCode2, n % 3 ? "court" : "court-gz",
                             n % 4 ? pb::PROCEDURE_LIQUIDATION : pb::PROCEDURE_REORGANIZATION,
                             pb::CASE_STATUS_ACCEPTED, "2026-01-01", 1 + n / 50));
  }
  for (size_t start = 0; start < cases.size(); start += 50) {
    CommitCases(std::vector<pb::Case>(cases.begin() + static_cast<long>(start),
                                      cases.begin() + static_cast<long>(start + 50)));
  }
  for (int trial = 0; trial < 60; ++trial) {
    CaseQuery q;
    size_t length = 2 + random() % 2;
    for (size_t i = 0; i < length; ++i) q.text += alphabet[random() % alphabet.size()];
    if (trial % 3 == 0) q.court_org_id = "court-gz";
    if (trial % 4 == 0) q.procedure = pb::PROCEDURE_REORGANIZATION;
    q.page_size = 1 + random() % 7;
    std::string folded;
    for (const std::string& c : NormalizedChars(q.text)) folded += c;
    std::vector<std::string> expected;
    for (const pb::Case& record : cases) {
      std::string name;
      for (const std::string& c : NormalizedChars(record.debtor_name())) name += c;
      bool match = name.find(folded) != std::string::npos &&
                   (q.court_org_id.empty() || record.court_org_id() == q.court_org_id) &&
                   (q.procedure == pb::PROCEDURE_UNSPECIFIED || record.procedure() == q.procedure);
      if (match) expected.push_back(record.id());
    }
    std::vector<std::string> found = AllPages(q);
    std::sort(found.begin(), found.end());
    EXPECT_EQ(found, expected) << "query " << q.text << " page size " << q.page_size;
  }
}

}  // namespace
}  // namespace onechain::node
