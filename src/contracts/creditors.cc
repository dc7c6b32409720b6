// The known-creditor list (EBL 14), binding of creditor accounts, claim-declaration notices with
// delivery receipts, and the court's replacement of the administrator (EBL 22).
#include "contracts/workflow_internal.h"

namespace onechain::contracts::workflow {

namespace {

Status ApplyReplaceAdministrator(ActionContext& c, const pb::ReplaceAdministrator& a) {
  Result<pb::Case> record = LoadOpenCase(c.state, a.case_id());
  if (!record.ok()) return record.status();
  if (Status st = RequireCaseJudge(c, *record); !st.ok()) return st;
  if (record->administrator_org_id().empty()) {
    return Status(pb::Status::FAILED_PRECONDITION,
                  "case_id " + a.case_id() + " has no administrator to replace; appoint one");
  }
  if (record->administrator_org_id() == a.firm_org_id()) {
    return Invalid("firm_org_id", "is already the administrator of the case");
  }
  std::optional<std::string> bytes = c.state.Get(RosterKey(record->court_org_id(), a.firm_org_id()));
  pb::RosterEntry entry;
  if (!bytes || !entry.ParseFromString(*bytes) || !entry.active()) {
    return Status(pb::Status::FAILED_PRECONDITION,
                  "firm_org_id " + a.firm_org_id() + " is not an active firm on the court's roster");
  }
  pb::Appointment* former = record->add_former_administrators();
  former->set_firm_org_id(record->administrator_org_id());
  former->set_replaced_height(c.block.height);
  former->set_reason(a.reason());
  record->set_administrator_org_id(a.firm_org_id());
  c.state.Put(CaseKey(record->id()), record->SerializeAsString());
  *c.changed_id = record->id();
  return Status::Ok();
}

Status ApplyAddKnownCreditor(ActionContext& c, const pb::AddKnownCreditor& a) {
  Result<pb::Case> record = LoadOpenCase(c.state, a.case_id());
  if (!record.ok()) return record.status();
  if (Status st = RequireAdministrator(c, *record); !st.ok()) return st;
  if (a.kind() == pb::CREDITOR_KIND_DEPARTMENT) {
    std::optional<pb::Org> org = c.executor.LoadOrg(c.state, a.org_id());
    if (!org || (org->kind() != pb::ORG_KIND_TAX_BUREAU &&
                 org->kind() != pb::ORG_KIND_MARKET_REGULATOR &&
                 org->kind() != pb::ORG_KIND_DEPARTMENT)) {
      return Invalid("org_id", "'" + a.org_id() + "' is not a department organization");
    }
  }
  pb::CaseCreditor creditor;
  creditor.set_id(CreditorIdFor(c.executor.suite(), a.case_id(), a.id_number()));
  if (LoadCreditor(c.state, creditor.id())) {
    return Status(pb::Status::ALREADY_EXISTS,
                  "id_number " + a.id_number() + " is already on the case's creditor list");
  }
  creditor.set_case_id(a.case_id());
  creditor.set_kind(a.kind());
  creditor.set_name(a.name());
  creditor.set_id_number(a.id_number());
  creditor.set_org_id(a.org_id());
  creditor.set_service_address(a.service_address());
  creditor.set_basis(a.basis());
  creditor.set_added_height(c.block.height);
  creditor.set_added_time_ms(c.block.time_ms);
  StoreCreditor(c.state, creditor);
  ListAppend(c.state, CaseCreditorsList(a.case_id()), creditor.id());
  if (!a.org_id().empty()) ListAppend(c.state, OrgCreditorsList(a.org_id()), creditor.id());
  *c.changed_id = creditor.id();
  return Status::Ok();
}

Status ApplyBindCreditorAccount(ActionContext& c, const pb::BindCreditorAccount& a) {
  Result<CreditorInCase> found = LoadCreditorForAdministrator(c, a.creditor_id());
  if (!found.ok()) return found.status();
  pb::CaseCreditor* creditor = &found->creditor;
    if (creditor->kind() == pb::CREDITOR_KIND_DEPARTMENT) {
    return Status(pb::Status::FAILED_PRECONDITION,
                  "creditor_id " + a.creditor_id() +
                      " is a department; its organization admin grants its accounts");
  }
  if (!creditor->bound_account_id().empty()) {
    return Status(pb::Status::ALREADY_EXISTS, "creditor_id " + a.creditor_id() +
                                                  " is already bound to account " +
                                                  creditor->bound_account_id());
  }
  std::optional<pb::Account> account = c.executor.LoadAccount(c.state, a.account_id());
  if (!account || account->status() != pb::ACCOUNT_STATUS_ACTIVE ||
      !HasRole(*account, pb::ROLE_CREDITOR)) {
    return Status(pb::Status::NOT_FOUND,
                  "account_id " + a.account_id() + " is no active self-registered creditor account");
  }
  if (account->id_number() != creditor->id_number()) {
    return Invalid("account_id", "carries id number '" + account->id_number() +
                                     "', not the creditor entry's '" + creditor->id_number() + "'");
  }
  creditor->set_bound_account_id(account->id());
  StoreCreditor(c.state, *creditor);
  ListAppend(c.state, AccountCreditorsList(account->id()), creditor->id());
  *c.changed_id = creditor->id();
  return Status::Ok();
}

Status ApplySendClaimNotice(ActionContext& c, const pb::SendClaimNotice& a) {
  Result<CreditorInCase> found = LoadCreditorForAdministrator(c, a.creditor_id());
  if (!found.ok()) return found.status();
  pb::CaseCreditor* creditor = &found->creditor;
  const pb::Case* record = &found->record;
  if (record->claim_period_end_ms() == 0) {
    return Status(pb::Status::FAILED_PRECONDITION,
                  "the court has not set the claim period of case " + record->id());
  }
  uint32_t due_days = ParamOr(c.executor.genesis().params().claim_notice_max_days_after_acceptance(),
                              kDefaultClaimNoticeDays);
  pb::Notice notice;
  notice.set_case_id(record->id());
  notice.set_creditor_id(creditor->id());
  notice.set_kind(pb::NOTICE_KIND_CLAIM_DECLARATION);
  notice.set_text(a.text());
  notice.set_deadline_ms(record->claim_period_end_ms());
  notice.set_sent_after_statutory_deadline(c.block.time_ms >
                                           record->accepted_time_ms() + DaysMs(c, due_days));
  *c.changed_id = IssueNotice(c, std::move(notice));
  return Status::Ok();
}

Status ApplyAcknowledgeNotice(ActionContext& c, const pb::AcknowledgeNotice& a) {
  std::optional<pb::Notice> notice = LoadNotice(c.state, a.notice_id());
  if (!notice) return Status(pb::Status::NOT_FOUND, "notice_id " + a.notice_id() + " does not exist");
  Result<pb::Case> record = LoadOpenCase(c.state, notice->case_id());
  if (!record.ok()) return record.status();
  Result<pb::CaseCreditor> creditor = LoadCreditorActedFor(c, notice->creditor_id(), "notice_id");
  if (!creditor.ok()) return creditor.status();
  if (notice->acknowledged_height() != 0) {
    return Status(pb::Status::ALREADY_EXISTS,
                  "notice_id " + a.notice_id() + " was acknowledged at height " +
                      std::to_string(notice->acknowledged_height()));
  }
  notice->set_acknowledged_height(c.block.height);
  notice->set_acknowledged_time_ms(c.block.time_ms);
  notice->set_acknowledged_by(c.signer.id());
  c.state.Put(NoticeKey(notice->id()), notice->SerializeAsString());
  *c.changed_id = notice->id();
  return Status::Ok();
}

Status PrecheckAddKnownCreditor(const pb::AddKnownCreditor& a) {
  switch (a.kind()) {
    case pb::CREDITOR_KIND_FIRM:
    case pb::CREDITOR_KIND_PERSON:
      if (!a.org_id().empty()) return Invalid("org_id", "is only for department creditors");
      break;
    case pb::CREDITOR_KIND_DEPARTMENT:
      if (a.org_id().empty()) return Invalid("org_id", "is required for a department creditor");
      break;
    default:
      return Invalid("kind", "must be firm, person or department (employees are listed with "
                             "their claims)");
  }
  if (Status st = CheckText("name", a.name(), kShortTextBytesMax); !st.ok()) return st;
  if (Status st = CheckText("id_number", a.id_number(), kIdNumberBytesMax); !st.ok()) return st;
  if (Status st = CheckOptionalText("service_address", a.service_address(), kTextBytesMax);
      !st.ok()) {
    return st;
  }
  return CheckOptionalText("basis", a.basis(), kTextBytesMax);
}

}  // namespace

Status PrecheckCreditorAction(const pb::TxBody& body) {
  switch (body.action_case()) {
    case pb::TxBody::kReplaceAdministrator:
      if (Status st = CheckText("case_id", body.replace_administrator().case_id(), 64); !st.ok()) {
        return st;
      }
      return CheckText("reason", body.replace_administrator().reason(), kReasonBytesMax);
    case pb::TxBody::kAddKnownCreditor:
      return PrecheckAddKnownCreditor(body.add_known_creditor());
    case pb::TxBody::kBindCreditorAccount:
      return CheckText("account_id", body.bind_creditor_account().account_id(), 64);
    case pb::TxBody::kSendClaimNotice:
      return CheckText("text", body.send_claim_notice().text(), kTextBytesMax);
    case pb::TxBody::kAcknowledgeNotice:
      return CheckText("notice_id", body.acknowledge_notice().notice_id(), 64);
    default:
      return Status(pb::Status::MALFORMED, "not a creditor action");
  }
}

Status ApplyCreditorAction(ActionContext& c, const pb::TxBody& body) {
  switch (body.action_case()) {
    case pb::TxBody::kReplaceAdministrator:
      return ApplyReplaceAdministrator(c, body.replace_administrator());
    case pb::TxBody::kAddKnownCreditor:
      return ApplyAddKnownCreditor(c, body.add_known_creditor());
    case pb::TxBody::kBindCreditorAccount:
      return ApplyBindCreditorAccount(c, body.bind_creditor_account());
    case pb::TxBody::kSendClaimNotice:
      return ApplySendClaimNotice(c, body.send_claim_notice());
    case pb::TxBody::kAcknowledgeNotice:
      return ApplyAcknowledgeNotice(c, body.acknowledge_notice());
    default:
      return Status(pb::Status::MALFORMED, "not a creditor action");
  }
}

}  // namespace onechain::contracts::workflow
