#include "social/social.h"

#include "tax/late_fee.h"

namespace onechain::adapters::social {

bool IsEmployeeTier(const Contribution& row) {
  return row.account == "personal" && (row.insurance == "pension" || row.insurance == "medical");
}

Result<pb::DeclareClaim> SocialDeclaration(const std::vector<Contribution>& rows,
                                           const pb::Case& record, const pb::CaseCreditor& entry) {
  int64_t employee = 0, other = 0, late = 0, total = 0;
  for (const Contribution& row : rows) {
    auto fee = tax::LateFeeToAcceptance(row.amount, row.due_date, record.acceptance_date());
    if (!fee.ok()) return fee.status();
    int64_t& tier = IsEmployeeTier(row) ? employee : other;
    if (__builtin_add_overflow(tier, row.amount, &tier) ||
        __builtin_add_overflow(late, fee->fee, &late) ||
        __builtin_add_overflow(total, row.amount, &total) ||
        __builtin_add_overflow(total, fee->fee, &total)) {
      return Status(pb::Status::INVALID_ARGUMENT, "the declared total exceeds int64 fen");
    }
  }
  if (total <= 0) return Status(pb::Status::NOT_FOUND, "the debtor owes no contributions");
  pb::DeclareClaim declare;
  declare.set_creditor_id(entry.id());
  pb::Declaration* d = declare.mutable_declaration();
  d->set_creditor_name(entry.name());
  d->set_creditor_id_number(entry.id_number());
  d->set_service_address("the fund's registered address");
  d->set_electronic_service_consent(true);
  d->set_nature("unpaid social insurance contributions with late fees");
  d->set_facts(std::to_string(rows.size()) + " unpaid contributions of " +
               record.debtor_credit_code() + " in the fund's records, late fees to the " +
               "acceptance date " + record.acceptance_date());
  auto add = [&](pb::ComponentKind kind, int64_t amount, const char* calculation) {
    if (amount == 0) return;
    pb::AmountComponent* c = d->add_components();
    c->set_kind(kind);
    c->set_amount(amount);
    c->set_calculation(calculation);
  };
  add(pb::COMPONENT_KIND_PENSION, employee,
      "basic pension and medical insurance owed to employees' personal accounts (EBL 113 (1))");
  add(pb::COMPONENT_KIND_SOCIAL_INSURANCE, other, "other social insurance (EBL 113 (2))");
  add(pb::COMPONENT_KIND_OTHER, late,
      "late fees, 0.05% a day to the acceptance date (Social Insurance Law art. 86): ordinary");
  return declare;
}

Result<pb::DeclareClaim> SocialDepartment::Prepare(const pb::Case& record,
                                                   const pb::CaseCreditor& entry) {
  auto rows = db_.Rows(
      "SELECT insurance, account, period, amount, to_char(due_date, 'YYYY-MM-DD') "
      "FROM contributions WHERE credit_code = $1 AND NOT paid ORDER BY id",
      {record.debtor_credit_code()});
  if (!rows.ok()) return rows.status();
  std::vector<Contribution> contributions;
  for (const PgRow& row : *rows) {
    std::optional<int64_t> amount = ParseFen(row[3]);
    if (!amount) return Status(pb::Status::MALFORMED, "a contribution amount is not fen");
    contributions.push_back({row[0], row[1], row[2], *amount, row[4]});
  }
  return SocialDeclaration(contributions, record, entry);
}

}  // namespace onechain::adapters::social
