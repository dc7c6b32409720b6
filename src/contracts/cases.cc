#include "contracts/cases.h"

#include <algorithm>

#include "contracts/checks.h"
#include "util/bytes.h"

namespace onechain::contracts {

namespace {

constexpr std::string_view kCreditCodeAlphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY";
constexpr int kCreditCodeWeights[17] = {1, 3, 9, 27, 19, 26, 16, 17, 20,
                                        29, 25, 13, 8, 24, 10, 30, 28};

bool IsValidOrgId(const std::string& id) {
  return id.size() >= 3 && id.size() <= 40 && std::all_of(id.begin(), id.end(), [](char c) {
           return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-';
         });
}

Status RequireJudge(const std::optional<pb::Account>& signer, bool admin_may) {
  if (signer && (HasRole(*signer, pb::ROLE_JUDGE) ||
                 (admin_may && HasRole(*signer, pb::ROLE_ORG_ADMIN)))) {
    return Status::Ok();
  }
  return Status(pb::Status::UNAUTHORIZED,
                admin_may ? "only a judge or the court's admin may manage the roster"
                          : "only a judge may do this");
}

// The signer's organization must be a court; returns its id.
Result<std::string> RequireCourt(const ActionContext& c) {
  std::optional<pb::Org> org = c.executor.LoadOrg(c.state, c.signer.org_id());
  if (!org || org->kind() != pb::ORG_KIND_COURT) {
    return Status(pb::Status::UNAUTHORIZED, "only a court's accounts may do this");
  }
  return org->id();
}

// The case, if it exists, belongs to the signer's court and is not terminated.
Result<pb::Case> LoadOwnOpenCase(const ActionContext& c, const std::string& case_id) {
  Result<std::string> court = RequireCourt(c);
  if (!court.ok()) return court.status();
  std::optional<pb::Case> found = LoadCase(c.state, case_id);
  if (!found) return Status(pb::Status::NOT_FOUND, "case " + case_id + " does not exist");
  if (found->court_org_id() != *court) {
    return Status(pb::Status::UNAUTHORIZED, "case " + case_id + " belongs to another court");
  }
  if (found->status() == pb::CASE_STATUS_TERMINATED) {
    return Status(pb::Status::FAILED_PRECONDITION, "case " + case_id + " is terminated");
  }
  return std::move(*found);
}

void StoreCase(ActionContext& c, const pb::Case& record) {
  c.state.Put(CaseKey(record.id()), record.SerializeAsString());
  *c.changed_id = record.id();
}

Status ApplyAddRosterFirm(ActionContext& c, const pb::AddRosterFirm& a) {
  Result<std::string> court = RequireCourt(c);
  if (!court.ok()) return court.status();
  if (c.executor.LoadOrg(c.state, a.firm_org_id())) {
    return Status(pb::Status::ALREADY_EXISTS, "organization " + a.firm_org_id() + " exists");
  }
  if (Status st = c.executor.CheckNewPublicKey(c.state, a.admin_public_key()); !st.ok()) {
    return st;
  }
  pb::Org firm;
  firm.set_id(a.firm_org_id());
  firm.set_name(a.firm_name());
  firm.set_kind(pb::ORG_KIND_ADMINISTRATOR_FIRM);
  c.state.Put(OrgKey(firm.id()), firm.SerializeAsString());
  pb::Account admin;
  admin.set_id(AccountIdForKey(c.executor.suite(), a.admin_public_key()));
  admin.set_org_id(firm.id());
  admin.add_roles(pb::ROLE_ORG_ADMIN);
  admin.add_roles(pb::ROLE_ADMINISTRATOR_MEMBER);
  admin.set_public_key(a.admin_public_key());
  admin.set_status(pb::ACCOUNT_STATUS_ACTIVE);
  admin.set_display_name(a.admin_name());
  admin.set_registered_height(c.block.height);
  admin.set_updated_height(c.block.height);
  c.executor.StoreAccount(c.state, admin);
  pb::RosterEntry entry;
  entry.set_court_org_id(*court);
  entry.set_firm_org_id(firm.id());
  entry.set_active(true);
  entry.set_added_height(c.block.height);
  c.state.Put(RosterKey(*court, firm.id()), entry.SerializeAsString());
  *c.changed_id = firm.id();
  return Status::Ok();
}

Status ApplySetRosterFirmActive(ActionContext& c, const pb::SetRosterFirmActive& a) {
  Result<std::string> court = RequireCourt(c);
  if (!court.ok()) return court.status();
  std::optional<std::string> bytes = c.state.Get(RosterKey(*court, a.firm_org_id()));
  if (!bytes) {
    return Status(pb::Status::NOT_FOUND, a.firm_org_id() + " is not on this court's roster");
  }
  pb::RosterEntry entry;
  entry.ParseFromString(*bytes);
  entry.set_active(a.active());
  c.state.Put(RosterKey(*court, a.firm_org_id()), entry.SerializeAsString());
  *c.changed_id = a.firm_org_id();
  return Status::Ok();
}

Status ApplyAcceptCase(ActionContext& c, const pb::AcceptCase& a) {
  Result<std::string> court = RequireCourt(c);
  if (!court.ok()) return court.status();
  pb::Case record;
  record.set_id(CaseIdFor(c.executor.suite(), *court, a.case_number()));
  if (LoadCase(c.state, record.id())) {
    return Status(pb::Status::ALREADY_EXISTS,
                  "case " + a.case_number() + " was already accepted by this court");
  }
  record.set_case_number(a.case_number());
  record.set_court_org_id(*court);
  record.set_debtor_name(a.debtor_name());
  record.set_debtor_credit_code(a.debtor_credit_code());
  record.set_procedure(a.procedure());
  record.set_acceptance_date(a.acceptance_date());
  record.set_accepted_time_ms(c.block.time_ms);
  record.set_accepted_height(c.block.height);
  record.set_status(pb::CASE_STATUS_ACCEPTED);
  StoreCase(c, record);
  c.state.Put(CaseByCreditCodeKey(a.debtor_credit_code(), record.id()), "");
  return Status::Ok();
}

Status ApplyAppointAdministrator(ActionContext& c, const pb::AppointAdministrator& a) {
  Result<pb::Case> record = LoadOwnOpenCase(c, a.case_id());
  if (!record.ok()) return record.status();
  std::optional<std::string> bytes = c.state.Get(RosterKey(record->court_org_id(), a.firm_org_id()));
  pb::RosterEntry entry;
  if (!bytes || !entry.ParseFromString(*bytes) || !entry.active()) {
    return Status(pb::Status::FAILED_PRECONDITION,
                  a.firm_org_id() + " is not an active firm on this court's roster");
  }
  record->set_administrator_org_id(a.firm_org_id());
  StoreCase(c, *record);
  return Status::Ok();
}

Status ApplySetClaimPeriod(ActionContext& c, const pb::SetClaimPeriod& a) {
  Result<pb::Case> record = LoadOwnOpenCase(c, a.case_id());
  if (!record.ok()) return record.status();
  const pb::NetworkParams& params = c.executor.genesis().params();
  // EBL 45 counts the period from the announcement, which the acceptance transaction publishes.
  int64_t length = a.claim_period_end_ms() - record->accepted_time_ms();
  int64_t min_ms = DaysToMs(params, params.claim_period_min_days());
  int64_t max_ms = DaysToMs(params, params.claim_period_max_days());
  if (length < min_ms || length > max_ms) {
    return Invalid("claim_period_end_ms",
                   "must fall " + std::to_string(params.claim_period_min_days()) + " to " +
                       std::to_string(params.claim_period_max_days()) +
                       " days after the acceptance announcement (EBL 45)");
  }
  if (record->claim_period_end_ms() != 0 && c.block.time_ms >= record->claim_period_end_ms()) {
    return Status(pb::Status::FAILED_PRECONDITION, "the claim period has already ended");
  }
  int64_t meeting_gap = a.first_meeting_ms() - a.claim_period_end_ms();
  if (meeting_gap <= 0 ||
      meeting_gap > DaysToMs(params, params.first_meeting_max_days_after_period())) {
    return Invalid("first_meeting_ms",
                   "must fall within " +
                       std::to_string(params.first_meeting_max_days_after_period()) +
                       " days after the claim period ends (EBL 62)");
  }
  record->set_claim_period_end_ms(a.claim_period_end_ms());
  record->set_first_meeting_ms(a.first_meeting_ms());
  StoreCase(c, *record);
  return Status::Ok();
}

Status ApplyTerminateCase(ActionContext& c, const pb::TerminateCase& a) {
  Result<pb::Case> record = LoadOwnOpenCase(c, a.case_id());
  if (!record.ok()) return record.status();
  record->set_status(pb::CASE_STATUS_TERMINATED);
  record->set_terminated_height(c.block.height);
  record->set_termination_reason(a.reason());
  StoreCase(c, *record);
  return Status::Ok();
}

}  // namespace

int64_t DaysToMs(const pb::NetworkParams& params, uint32_t days) {
  int64_t day = params.day_ms() != 0 ? static_cast<int64_t>(params.day_ms()) : kMsPerDay;
  return static_cast<int64_t>(days) * day;
}

std::string CaseKey(std::string_view case_id) { return std::string(kCaseKeyPrefix) += case_id; }
std::string RosterKey(std::string_view court_org_id, std::string_view firm_org_id) {
  return "roster/" + std::string(court_org_id) + "/" + std::string(firm_org_id);
}
std::string CaseByCreditCodeKey(std::string_view credit_code, std::string_view case_id) {
  return "cbc/" + std::string(credit_code) + "/" + std::string(case_id);
}

std::string CaseIdFor(const crypto::Suite& suite, std::string_view court_org_id,
                      std::string_view case_number) {
  return ToHex(suite.Hash({court_org_id, std::string_view("\0", 1), case_number}).substr(0, 16));
}

char CreditCodeCheckCharacter(std::string_view first17) {
  int sum = 0;
  for (size_t i = 0; i < 17; ++i) {
    size_t value = kCreditCodeAlphabet.find(first17[i]);
    if (value == std::string_view::npos) return '\0';
    sum += static_cast<int>(value) * kCreditCodeWeights[i];
  }
  int check = (31 - sum % 31) % 31;
  return kCreditCodeAlphabet[check];
}

bool IsValidCreditCode(std::string_view code) {
  return code.size() == 18 && CreditCodeCheckCharacter(code.substr(0, 17)) == code[17];
}

bool IsValidDate(std::string_view date) {
  if (date.size() != 10 || date[4] != '-' || date[7] != '-') return false;
  for (size_t i : {0, 1, 2, 3, 5, 6, 8, 9}) {
    if (date[i] < '0' || date[i] > '9') return false;
  }
  int year = std::stoi(std::string(date.substr(0, 4)));
  int month = std::stoi(std::string(date.substr(5, 2)));
  int day = std::stoi(std::string(date.substr(8, 2)));
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (year < 1900 || month < 1 || month > 12 || day < 1) return false;
  bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
  return day <= kDays[month - 1] + (month == 2 && leap ? 1 : 0);
}

bool IsCaseAction(const pb::TxBody& body) {
  switch (body.action_case()) {
    case pb::TxBody::kAddRosterFirm:
    case pb::TxBody::kSetRosterFirmActive:
    case pb::TxBody::kAcceptCase:
    case pb::TxBody::kAppointAdministrator:
    case pb::TxBody::kSetClaimPeriod:
    case pb::TxBody::kTerminateCase:
      return true;
    default:
      return false;
  }
}

Status PrecheckCaseAction(const std::optional<pb::Account>& signer, const pb::TxBody& body) {
  switch (body.action_case()) {
    case pb::TxBody::kAddRosterFirm: {
      const auto& a = body.add_roster_firm();
      if (Status st = RequireJudge(signer, true); !st.ok()) return st;
      if (!IsValidOrgId(a.firm_org_id())) {
        return Invalid("firm_org_id", "must be 3 to 40 characters of a-z, 0-9 and -");
      }
      if (Status st = CheckText("firm_name", a.firm_name(), kDebtorNameBytesMax); !st.ok()) {
        return st;
      }
      return CheckText("admin_name", a.admin_name(), kDisplayNameBytesMax);
    }
    case pb::TxBody::kSetRosterFirmActive:
      return RequireJudge(signer, true);
    case pb::TxBody::kAcceptCase: {
      const auto& a = body.accept_case();
      if (Status st = RequireJudge(signer, false); !st.ok()) return st;
      if (Status st = CheckText("case_number", a.case_number(), kCaseNumberBytesMax); !st.ok()) {
        return st;
      }
      if (Status st = CheckText("debtor_name", a.debtor_name(), kDebtorNameBytesMax); !st.ok()) {
        return st;
      }
      if (!IsValidCreditCode(a.debtor_credit_code())) {
        return Invalid("debtor_credit_code",
                       "is not a valid 18-character unified social credit code");
      }
      if (a.procedure() == pb::PROCEDURE_UNSPECIFIED || !pb::Procedure_IsValid(a.procedure())) {
        return Invalid("procedure", "must be liquidation, reorganization or compromise");
      }
      if (!IsValidDate(a.acceptance_date())) {
        return Invalid("acceptance_date", "must be a real date written YYYY-MM-DD");
      }
      return Status::Ok();
    }
    case pb::TxBody::kAppointAdministrator:
      return RequireJudge(signer, false);
    case pb::TxBody::kSetClaimPeriod:
      return RequireJudge(signer, false);
    case pb::TxBody::kTerminateCase:
      if (Status st = RequireJudge(signer, false); !st.ok()) return st;
      return CheckText("reason", body.terminate_case().reason(), kReasonBytesMax);
    default:
      return Status(pb::Status::MALFORMED, "not a case action");
  }
}

Status ApplyCaseAction(ActionContext& c, const pb::TxBody& body) {
  switch (body.action_case()) {
    case pb::TxBody::kAddRosterFirm:
      return ApplyAddRosterFirm(c, body.add_roster_firm());
    case pb::TxBody::kSetRosterFirmActive:
      return ApplySetRosterFirmActive(c, body.set_roster_firm_active());
    case pb::TxBody::kAcceptCase:
      return ApplyAcceptCase(c, body.accept_case());
    case pb::TxBody::kAppointAdministrator:
      return ApplyAppointAdministrator(c, body.appoint_administrator());
    case pb::TxBody::kSetClaimPeriod:
      return ApplySetClaimPeriod(c, body.set_claim_period());
    case pb::TxBody::kTerminateCase:
      return ApplyTerminateCase(c, body.terminate_case());
    default:
      return Status(pb::Status::MALFORMED, "not a case action");
  }
}

std::optional<pb::Case> LoadCase(const StateReader& state, std::string_view case_id) {
  std::optional<std::string> bytes = state.Get(CaseKey(case_id));
  if (!bytes) return std::nullopt;
  pb::Case record;
  if (!record.ParseFromString(*bytes)) return std::nullopt;
  return record;
}

}  // namespace onechain::contracts
