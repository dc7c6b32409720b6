// The case contract: roster of administrator firms, acceptance, appointment, claim period and
// first meeting, termination (DOMAIN.md steps 1-3 and 15). Internal to contracts/; the Executor
// dispatches to it.
#pragma once

#include <optional>
#include <string>

#include "case.pb.h"
#include "contracts/executor.h"

namespace onechain::contracts {

inline constexpr size_t kCaseNumberBytesMax = 64;
inline constexpr size_t kDebtorNameBytesMax = 200;
inline constexpr int64_t kMsPerDay = 86'400'000;

// `days` statutory days in milliseconds of block time: the network's day length (params.day_ms,
// 0 for a real day) times `days`. Every contract converts its "days" bounds through this.
int64_t DaysToMs(const pb::NetworkParams& params, uint32_t days);

std::string CaseKey(std::string_view case_id);
std::string RosterKey(std::string_view court_org_id, std::string_view firm_org_id);
// "cbc/<credit code>/<case id>" -> "" : cases of a debtor, for public search.
std::string CaseByCreditCodeKey(std::string_view credit_code, std::string_view case_id);
inline constexpr std::string_view kCaseKeyPrefix = "case/";

std::string CaseIdFor(const crypto::Suite& suite, std::string_view court_org_id,
                      std::string_view case_number);
// GB 32100-2015: 18 characters from "0123456789ABCDEFGHJKLMNPQRTUWXY", the last a check digit.
bool IsValidCreditCode(std::string_view code);
// The check character for the first 17 characters of a credit code.
char CreditCodeCheckCharacter(std::string_view first17);
// A real calendar date written YYYY-MM-DD.
bool IsValidDate(std::string_view date);

bool IsCaseAction(const pb::TxBody& body);
Status PrecheckCaseAction(const std::optional<pb::Account>& signer, const pb::TxBody& body);

struct ActionContext {
  const Executor& executor;
  const BlockContext& block;
  const pb::Account& signer;
  Overlay& state;
  std::string* changed_id;  // the record the action created or changed
};
Status ApplyCaseAction(ActionContext& context, const pb::TxBody& body);

std::optional<pb::Case> LoadCase(const StateReader& state, std::string_view case_id);

}  // namespace onechain::contracts
