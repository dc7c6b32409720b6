// onechain-search-bench: public case search over many cases. Commits N case records in blocks
// of 5,000 into a fresh store through the node's own index code (CaseIndexWrites, the same
// writes a block of AcceptCase transactions makes), then times SearchCases for a mix of the
// queries the public portal sends — part of a debtor's name, a credit code, the newest cases —
// and prints p50/p99/max per kind and overall as JSON. Store-level: the HTTP route adds its
// parsing and JSON encoding on top (well under a millisecond).
#include <CLI/CLI.hpp>
#include <algorithm>
#include <chrono>
#include <filesystem>
#include <iostream>
#include <nlohmann/json.hpp>
#include <random>

#include "bench/stats.h"
#include "contracts/cases.h"
#include "node/case_search.h"
#include "node/chain.h"

namespace onechain::bench {
namespace {

constexpr size_t kBlockCases = 5'000;

// Debtor names shaped like real ones: a city, two trade-name characters, an industry and a form.
const std::vector<std::string> kCities = {"深圳市", "广州市", "北京", "上海", "杭州市", "成都市",
                                          "武汉市", "南京市", "重庆", "西安市", "苏州", "天津"};
const std::vector<std::string> kTradeChars = {
    "海", "天", "云", "华", "鑫", "瑞", "恒", "达", "利", "兴", "泰", "盛", "宏", "嘉", "新",
    "源", "通", "明", "安", "信", "德", "隆", "汇", "金", "丰", "永", "昌", "荣", "佳", "和",
    "长", "东", "方", "中", "联", "创", "博", "润", "诚", "凯"};
const std::vector<std::string> kIndustries = {"科技", "贸易", "食品", "建设", "实业", "物流",
                                              "置业", "电子", "纺织", "医药", "投资", "传媒"};
const std::vector<std::string> kForms = {"有限公司", "股份有限公司", "（集团）有限公司"};

struct Options {
  size_t cases = 1'000'000, queries = 3'000;
  std::string dir;
};

std::string CreditCode(std::mt19937_64& random) {
  static const char kDigits[] = "0123456789ABCDEFGHJKLMNPQRTUWXY";
  std::string code = "9144";
  while (code.size() < 17) code += kDigits[random() % (sizeof kDigits - 1)];
  return code + contracts::CreditCodeCheckCharacter(code);
}


int Run(const Options& o) {
  const std::string dir = o.dir.empty() ? (std::filesystem::temp_directory_path() /
                                           ("onechain-search-bench-" + std::to_string(getpid())))
                                              .string()
                                        : o.dir;
  std::filesystem::remove_all(dir);
  auto opened = ledger::Store::Open(dir);
  if (!opened.ok()) {
    std::cerr << "error: " << opened.status().ToString() << "\n";
    return 1;
  }
  std::unique_ptr<ledger::Store> store = std::move(*opened);
  if (Status st = store->InitGenesis("genesis", "genesis-hash", {}, "root"); !st.ok()) {
    std::cerr << "error: " << st.ToString() << "\n";
    return 1;
  }
  std::mt19937_64 random(2026);
  auto pick = [&](const std::vector<std::string>& from) { return from[random() % from.size()]; };
  std::vector<std::string> names, codes;
  names.reserve(o.cases);
  codes.reserve(o.cases);
  const auto load_start = std::chrono::steady_clock::now();
  for (size_t first = 0; first < o.cases; first += kBlockCases) {
    ledger::BlockCommit commit;
    commit.height = store->height() + 1;
    commit.block_hash = "block-" + std::to_string(commit.height);
    commit.state_root = "root";
    for (size_t n = first; n < std::min(o.cases, first + kBlockCases); ++n) {
      pb::Case record;
      char id[33];
      std::snprintf(id, sizeof id, "%032zx", n);
      record.set_id(id);
      record.set_case_number("(2026)粤03破" + std::to_string(n) + "号");
      names.push_back(pick(kCities) + pick(kTradeChars) + pick(kTradeChars) + pick(kIndustries) +
                      pick(kForms));
      codes.push_back(CreditCode(random));
      record.set_debtor_name(names.back());
      record.set_debtor_credit_code(codes.back());
      record.set_court_org_id(random() % 4 == 0 ? "court-gz" : "court");
      record.set_procedure(random() % 5 == 0 ? pb::PROCEDURE_REORGANIZATION
                                             : pb::PROCEDURE_LIQUIDATION);
      record.set_status(pb::CASE_STATUS_ACCEPTED);
      record.set_acceptance_date("2026-0" + std::to_string(1 + random() % 9) + "-1" +
                                 std::to_string(random() % 10));
      record.set_accepted_height(commit.height);
      commit.state_writes[contracts::CaseKey(record.id())] = record.SerializeAsString();
      commit.state_writes[contracts::CaseByCreditCodeKey(record.debtor_credit_code(),
                                                         record.id())] = std::string();
    }
    Result<ledger::StateWrites> index = node::CaseIndexWrites(commit.state_writes, *store);
    if (!index.ok()) {
      std::cerr << "error: " << index.status().ToString() << "\n";
      return 1;
    }
    commit.index_writes = std::move(*index);
    if (Status st = store->Commit(commit); !st.ok()) {
      std::cerr << "error: " << st.ToString() << "\n";
      return 1;
    }
  }
  const double load_s =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - load_start).count();
  std::cerr << o.cases << " cases committed in " << load_s << " s; " << o.queries
            << " queries...\n";

  node::CommittedState state(*store);
  std::map<std::string, std::vector<double>> times;  // kind -> ms
  size_t results = 0;
  for (size_t q = 0; q < o.queries; ++q) {
    node::CaseQuery query;
    std::string kind;
    const std::string& name = names[random() % names.size()];
    std::vector<std::string> chars = node::NormalizedChars(name);
    // The trade name follows the city ("深圳市…" three characters, "北京…" two).
    const size_t trade = chars.size() > 6 && chars[2] == "市" ? 3 : 2;
    switch (q % 4) {
      case 0:  // the trade name: two characters, the common portal search
        kind = "name, trade name";
        query.text = chars[trade] + chars[trade + 1];
        break;
      case 1:  // a longer fragment: trade name and industry
        kind = "name, four characters";
        query.text = chars[trade] + chars[trade + 1] + chars[trade + 2] + chars[trade + 3];
        break;
      case 2:
        kind = "credit code";
        query.credit_code = codes[random() % codes.size()];
        break;
      default:
        kind = "newest, liquidation at one court";
        query.court_org_id = "court-gz";
        query.procedure = pb::PROCEDURE_LIQUIDATION;
        break;
    }
    const auto start = std::chrono::steady_clock::now();
    Result<pb::CaseList> list = node::SearchCases(*store, state, query);
    const double ms =
        std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
    if (!list.ok()) {
      std::cerr << "error: " << list.status().ToString() << "\n";
      return 1;
    }
    results += static_cast<size_t>(list->cases_size());
    times[kind].push_back(ms);
    times["all"].push_back(ms);
  }
  nlohmann::json out = {{"cases", o.cases}, {"queries", o.queries}, {"load_s", load_s},
                        {"results", results}};
  for (const auto& [kind, ms] : times) {
    out["latency_ms"][kind] = {{"p50", Percentile(ms, 0.5)}, {"p99", Percentile(ms, 0.99)},
                               {"max", Percentile(ms, 1.0)}};
  }
  std::cout << out.dump(2) << "\n";
  store.reset();
  if (o.dir.empty()) std::filesystem::remove_all(dir);
  return 0;
}

}  // namespace
}  // namespace onechain::bench

int main(int argc, char** argv) {
  onechain::bench::Options o;
  CLI::App app{"Public case search latency over many cases, as JSON"};
  app.add_option("-n,--cases", o.cases, "Cases committed before the queries")
      ->capture_default_str()
      ->check(CLI::Range(1, 20'000'000));
  app.add_option("-q,--queries", o.queries, "Timed queries")->capture_default_str();
  app.add_option("--dir", o.dir, "Store directory (default: a temporary one, removed after)");
  CLI11_PARSE(app, argc, argv);
  return onechain::bench::Run(o);
}
