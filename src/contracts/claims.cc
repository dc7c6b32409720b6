// Claims as creditors and departments declare them (EBL 48, 49; late claims EBL 56), amendments,
// withdrawals, transfers and waivers of priority, and employee claims that the administrator
// lists without declaration (EBL 48).
#include "contracts/workflow_internal.h"

namespace onechain::contracts::workflow {

namespace {

bool IsTaxKind(pb::ComponentKind kind) {
  return kind >= pb::COMPONENT_KIND_TAX && kind <= pb::COMPONENT_KIND_TAX_SPECIAL_INTEREST;
}

bool IsEmployeeKind(pb::ComponentKind kind) {
  return kind >= pb::COMPONENT_KIND_WAGES && kind <= pb::COMPONENT_KIND_COMPENSATION;
}

Status CheckComponents(const google::protobuf::RepeatedPtrField<pb::AmountComponent>& components,
                       bool employee_only) {
  if (components.size() > kComponentsMax) {
    return Status(pb::Status::TOO_LARGE,
                  "components has more than " + std::to_string(kComponentsMax) + " entries");
  }
  for (int i = 0; i < components.size(); ++i) {
    const pb::AmountComponent& component = components[i];
    std::string field = "components[" + std::to_string(i) + "]";
    pb::ComponentKind kind = component.kind();
    if (!pb::ComponentKind_IsValid(kind) || kind == pb::COMPONENT_KIND_UNSPECIFIED ||
        IsTaxKind(kind)) {
      return Invalid(field + ".kind", "must be a non-tax component kind (tax goes in tax_items)");
    }
    if (employee_only && !IsEmployeeKind(kind)) {
      return Invalid(field + ".kind", "must be wages, medical, pension or compensation");
    }
    if (Status st = CheckAmount(field + ".amount", component.amount()); !st.ok()) return st;
    if (Status st = CheckOptionalText(field + ".calculation", component.calculation(),
                                      kTextBytesMax);
        !st.ok()) {
      return st;
    }
  }
  return Status::Ok();
}

Status CheckTaxItems(const google::protobuf::RepeatedPtrField<pb::TaxItem>& items) {
  if (items.size() > kTaxItemsMax) {
    return Status(pb::Status::TOO_LARGE,
                  "tax_items has more than " + std::to_string(kTaxItemsMax) + " entries");
  }
  for (int i = 0; i < items.size(); ++i) {
    const pb::TaxItem& item = items[i];
    std::string field = "tax_items[" + std::to_string(i) + "]";
    if (Status st = CheckText(field + ".tax_name", item.tax_name(), kShortTextBytesMax); !st.ok()) {
      return st;
    }
    for (auto [name, value] : {std::pair{".tax", item.tax()}, {".late_fee", item.late_fee()},
                               {".fine", item.fine()}, {".special_interest", item.special_interest()}}) {
      if (Status st = CheckAmount(field + name, value); !st.ok()) return st;
    }
    if (Status st = CheckOptionalText(field + ".calculation", item.calculation(), kTextBytesMax);
        !st.ok()) {
      return st;
    }
  }
  return Status::Ok();
}

// The declared total over every component, overflow-checked; must be positive.
Result<int64_t> DeclaredTotal(const pb::Declaration& declaration) {
  int64_t total = 0;
  for (const pb::ComponentResult& component : DeclaredComponents(declaration)) {
    if (!AddChecked(total, component.declared())) return Overflow("the declared total");
  }
  if (total <= 0) return Invalid("components", "must declare a positive amount in total");
  return total;
}

Status CheckDeclarationText(const pb::Declaration& d) {
  const std::pair<const char*, const std::string*> required[] = {
      {"declaration.creditor_name", &d.creditor_name()},
      {"declaration.creditor_id_number", &d.creditor_id_number()},
      {"declaration.service_address", &d.service_address()},
      {"declaration.nature", &d.nature()}};
  for (const auto& [field, value] : required) {
    if (Status st = CheckText(field, *value, kTextBytesMax); !st.ok()) return st;
  }
  const std::pair<const char*, const std::string*> optional[] = {
      {"declaration.agent_name", &d.agent_name()},
      {"declaration.payment_account", &d.payment_account()},
      {"declaration.facts", &d.facts()},
      {"declaration.joint_details", &d.joint_details()},
      {"declaration.judgments", &d.judgments()},
      {"declaration.setoff", &d.setoff()},
      {"declaration.acquired_by_transfer", &d.acquired_by_transfer()}};
  for (const auto& [field, value] : optional) {
    if (Status st = CheckOptionalText(field, *value, kTextBytesMax); !st.ok()) return st;
  }
  if (d.joint() && d.joint_details().empty()) {
    return Invalid("declaration.joint_details", "is required for a joint claim");
  }
  return Status::Ok();
}

Status CheckDeclaration(const pb::Declaration& d) {
  if (Status st = CheckDeclarationText(d); !st.ok()) return st;
  if (!d.agent_name().empty() || d.has_agent_authorization()) {
    if (d.agent_name().empty()) {
      return Invalid("declaration.agent_name", "is required with an agent authorization");
    }
    if (Status st = CheckAttachment("declaration.agent_authorization", d.agent_authorization());
        !st.ok()) {
      return st;
    }
  }
  if (Status st = CheckComponents(d.components(), false); !st.ok()) return st;
  if (Status st = CheckTaxItems(d.tax_items()); !st.ok()) return st;
  if (Status st = CheckAttachments("declaration.attachments", d.attachments()); !st.ok()) return st;
  Result<int64_t> total = DeclaredTotal(d);
  if (!total.ok()) return total.status();
  const pb::Security& security = d.security();
  if (Status st = CheckAmount("declaration.security.amount", security.amount()); !st.ok()) return st;
  if (security.amount() > *total) {
    return Invalid("declaration.security.amount", "exceeds the declared total");
  }
  if (security.amount() > 0) {
    if (Status st = CheckText("declaration.security.collateral_id", security.collateral_id(),
                              kShortTextBytesMax);
        !st.ok()) {
      return st;
    }
    return CheckText("declaration.security.description", security.description(), kTextBytesMax);
  }
  if (!security.collateral_id().empty()) {
    return Invalid("declaration.security.amount", "must be positive when a collateral is named");
  }
  return Status::Ok();
}

// Checks that need the holder's entry: its id number, and tax items only from the tax bureau.
// A reader a claim's materials may be wrapped for: whoever acts for the holder, a member of the
// case's administrator, a judge or clerk of its court (DOMAIN.md, party class).
bool MayReadClaim(const pb::Account& reader, const pb::Case& record,
                  const pb::CaseCreditor& holder) {
  if (ActsFor(reader, holder)) return true;
  if (!record.administrator_org_id().empty() && reader.org_id() == record.administrator_org_id() &&
      HasRole(reader, pb::ROLE_ADMINISTRATOR_MEMBER)) {
    return true;
  }
  return reader.org_id() == record.court_org_id() &&
         (HasRole(reader, pb::ROLE_JUDGE) || HasRole(reader, pb::ROLE_CLERK));
}

Status CheckReaders(const ActionContext& c, const pb::Case& record, const pb::CaseCreditor& holder,
                    const std::string& field, const pb::Attachment& attachment) {
  for (int i = 0; i < attachment.keys_size(); ++i) {
    const std::string& id = attachment.keys(i).reader_account_id();
    const std::string at = field + ".keys[" + std::to_string(i) + "].reader_account_id";
    std::optional<pb::Account> reader = c.executor.LoadAccount(c.state, id);
    if (!reader || reader->status() != pb::ACCOUNT_STATUS_ACTIVE) {
      return Invalid(at, "names " + id + ", which is no active account");
    }
    if (reader->encryption_key().empty()) {
      return Invalid(at, "names " + id + ", which has set no encryption key");
    }
    if (!MayReadClaim(*reader, record, holder)) {
      return Invalid(at, "names " + id + ", who may not read this claim's materials");
    }
  }
  return Status::Ok();
}

Status CheckDeclarationFor(const ActionContext& c, const pb::Case& record,
                           const pb::CaseCreditor& holder, const pb::Declaration& d) {
  if (d.has_agent_authorization()) {
    if (Status st = CheckReaders(c, record, holder, "declaration.agent_authorization",
                                 d.agent_authorization());
        !st.ok()) {
      return st;
    }
  }
  for (int i = 0; i < d.attachments_size(); ++i) {
    if (Status st = CheckReaders(c, record, holder,
                                 "declaration.attachments[" + std::to_string(i) + "]",
                                 d.attachments(i));
        !st.ok()) {
      return st;
    }
  }
  if (d.creditor_id_number() != holder.id_number()) {
    return Invalid("declaration.creditor_id_number",
                   "differs from the creditor entry's id number " + holder.id_number());
  }
  if (d.tax_items_size() > 0) {
    std::optional<pb::Org> org = c.executor.LoadOrg(c.state, holder.org_id());
    if (!org || org->kind() != pb::ORG_KIND_TAX_BUREAU) {
      return Invalid("declaration.tax_items", "may be declared by a tax bureau only");
    }
  }
  return Status::Ok();
}

// The case accepts declarations: its claim period is set and no final distribution was made.
Status CheckAcceptsDeclarations(const pb::Case& record) {
  if (record.claim_period_end_ms() == 0) {
    return Status(pb::Status::FAILED_PRECONDITION,
                  "the court has not set the claim period of case " + record.id());
  }
  if (record.final_distribution_height() != 0) {
    return Status(pb::Status::FAILED_PRECONDITION,
                  "case " + record.id() + " made its final distribution; no claim is accepted "
                  "(EBL 56)");
  }
  return Status::Ok();
}

pb::Claim NewClaim(ActionContext& c, const pb::Case& record, const pb::CaseCreditor& holder) {
  pb::Claim claim;
  claim.set_id(AppendNewId(c, "claim", record.id(), CaseClaimsList(record.id())));
  claim.set_case_id(record.id());
  claim.set_creditor_id(holder.id());
  claim.set_declared_height(c.block.height);
  claim.set_declared_time_ms(c.block.time_ms);
  ListAppend(c.state, CreditorClaimsList(holder.id()), claim.id());
  return claim;
}

Status ApplyDeclareClaim(ActionContext& c, const pb::DeclareClaim& a) {
  Result<pb::CaseCreditor> holder = LoadCreditorActedFor(c, a.creditor_id(), "creditor_id");
  if (!holder.ok()) return holder.status();
  Result<pb::Case> record = LoadOpenCase(c.state, holder->case_id());
  if (!record.ok()) return record.status();
  if (holder->kind() == pb::CREDITOR_KIND_EMPLOYEE) {
    return Status(pb::Status::FAILED_PRECONDITION,
                  "creditor_id " + a.creditor_id() +
                      " is an employee; the administrator lists employee claims (EBL 48)");
  }
  if (Status st = CheckAcceptsDeclarations(*record); !st.ok()) return st;
  if (Status st = CheckDeclarationFor(c, *record, *holder, a.declaration()); !st.ok()) return st;
  pb::Claim claim = NewClaim(c, *record, *holder);
  claim.set_status(pb::CLAIM_STATUS_DECLARED);
  claim.set_origin(pb::CLAIM_ORIGIN_DECLARED);
  claim.set_late(c.block.time_ms >= record->claim_period_end_ms());
  *claim.mutable_declaration() = a.declaration();
  claim.set_declared_total(*DeclaredTotal(a.declaration()));
  StoreClaimAfter(c, claim, pb::CLAIM_EVENT_KIND_DECLARED);
  return Status::Ok();
}

Status ApplyAmendClaim(ActionContext& c, const pb::AmendClaim& a) {
  Result<ClaimInCase> found = LoadClaimForHolder(c, a.claim_id());
  if (!found.ok()) return found.status();
  pb::Claim& claim = found->claim;
  if (claim.status() != pb::CLAIM_STATUS_DECLARED &&
      claim.status() != pb::CLAIM_STATUS_MATERIAL_REQUESTED) {
    return Status(pb::Status::FAILED_PRECONDITION,
                  "claim_id " + a.claim_id() + " is " + pb::ClaimStatus_Name(claim.status()) +
                      "; a claim is amended only before its review");
  }
  std::optional<pb::CaseCreditor> holder = LoadCreditor(c.state, claim.creditor_id());
  if (Status st = CheckDeclarationFor(c, found->record, *holder, a.declaration()); !st.ok()) {
    return st;
  }
  *claim.mutable_declaration() = a.declaration();
  claim.set_declared_total(*DeclaredTotal(a.declaration()));
  claim.set_status(pb::CLAIM_STATUS_DECLARED);
  claim.clear_material_request();
  StoreClaimAfter(c, claim, pb::CLAIM_EVENT_KIND_AMENDED);
  return Status::Ok();
}

bool HasAllocation(const pb::Claim& claim) {
  if (claim.allocated_from_collateral() != 0) return true;
  for (int64_t amount : claim.allocated_by_tier()) {
    if (amount != 0) return true;
  }
  return false;
}

Status ApplyWithdrawClaim(ActionContext& c, const pb::WithdrawClaim& a) {
  Result<ClaimInCase> found = LoadClaimForHolder(c, a.claim_id());
  if (!found.ok()) return found.status();
  pb::Claim& claim = found->claim;
  if (claim.status() == pb::CLAIM_STATUS_WITHDRAWN) {
    return Status(pb::Status::FAILED_PRECONDITION, "claim_id " + a.claim_id() + " is withdrawn");
  }
  if (HasAllocation(claim)) {
    return Status(pb::Status::FAILED_PRECONDITION,
                  "claim_id " + a.claim_id() + " has shares in an approved distribution");
  }
  claim.set_status(pb::CLAIM_STATUS_WITHDRAWN);
  claim.set_withdrawal_reason(a.reason());
  StoreClaimAfter(c, claim, pb::CLAIM_EVENT_KIND_WITHDRAWN);
  return Status::Ok();
}

// The employee's entry: found by id number, or added to the list.
Result<pb::CaseCreditor> EmployeeEntry(ActionContext& c, const pb::ListEmployeeClaim& a) {
  std::string id = CreditorIdFor(c.executor.suite(), a.case_id(), a.id_number());
  std::optional<pb::CaseCreditor> existing = LoadCreditor(c.state, id);
  if (existing) {
    if (existing->kind() != pb::CREDITOR_KIND_EMPLOYEE) {
      return Invalid("id_number", "belongs to a creditor entry that is no employee");
    }
    return std::move(*existing);
  }
  pb::CaseCreditor entry;
  entry.set_id(id);
  entry.set_case_id(a.case_id());
  entry.set_kind(pb::CREDITOR_KIND_EMPLOYEE);
  entry.set_name(a.name());
  entry.set_id_number(a.id_number());
  entry.set_basis("employee list (EBL 48)");
  entry.set_added_height(c.block.height);
  entry.set_added_time_ms(c.block.time_ms);
  StoreCreditor(c.state, entry);
  ListAppend(c.state, CaseCreditorsList(a.case_id()), entry.id());
  return entry;
}

Status ApplyListEmployeeClaim(ActionContext& c, const pb::ListEmployeeClaim& a) {
  Result<pb::Case> record = LoadOpenCase(c.state, a.case_id());
  if (!record.ok()) return record.status();
  if (Status st = RequireAdministrator(c, *record); !st.ok()) return st;
  if (Status st = CheckObjectionDeadline(c, a.objection_deadline_ms()); !st.ok()) return st;
  Result<pb::CaseCreditor> entry = EmployeeEntry(c, a);
  if (!entry.ok()) return entry.status();
  pb::Claim claim = NewClaim(c, *record, *entry);
  claim.set_origin(pb::CLAIM_ORIGIN_EMPLOYEE_LIST);
  claim.set_status(pb::CLAIM_STATUS_NOTIFIED);
  pb::Declaration* listed = claim.mutable_declaration();
  listed->set_creditor_name(a.name());
  listed->set_creditor_id_number(a.id_number());
  *listed->mutable_components() = a.components();
  claim.set_declared_total(*DeclaredTotal(*listed));
  pb::ReviewResult* review = claim.mutable_review();
  for (pb::ComponentResult component : DeclaredComponents(*listed)) {
    component.set_confirmed(component.declared());
    component.set_ranking(pb::RANKING_EMPLOYEE);
    *review->add_components() = std::move(component);
  }
  review->set_outcome(pb::REVIEW_OUTCOME_CONFIRMED);
  review->set_declared_total(claim.declared_total());
  review->set_confirmed_total(claim.declared_total());
  review->set_reviewer_account_id(c.signer.id());
  review->set_height(c.block.height);
  review->set_time_ms(c.block.time_ms);
  claim.set_objection_deadline_ms(a.objection_deadline_ms());
  pb::Notice notice;
  notice.set_case_id(record->id());
  notice.set_creditor_id(entry->id());
  notice.set_kind(pb::NOTICE_KIND_EMPLOYEE_LISTING);
  notice.set_claim_id(claim.id());
  notice.set_text("Your claim as an employee is listed and published (EBL 48).");
  notice.set_deadline_ms(a.objection_deadline_ms());
  IssueNotice(c, std::move(notice));
  StoreClaimAfter(c, claim, pb::CLAIM_EVENT_KIND_LISTED);
  return Status::Ok();
}

Status ApplyTransferClaim(ActionContext& c, const pb::TransferClaim& a) {
  Result<ClaimInCase> found = LoadClaimForHolder(c, a.claim_id());
  if (!found.ok()) return found.status();
  pb::Claim& claim = found->claim;
  if (claim.status() == pb::CLAIM_STATUS_WITHDRAWN) {
    return Status(pb::Status::FAILED_PRECONDITION, "claim_id " + a.claim_id() + " is withdrawn");
  }
  if (claim.transfers_size() >= kTransfersPerClaimMax) {
    return Status(pb::Status::TOO_LARGE, "claim_id " + a.claim_id() + " has " +
                                             std::to_string(kTransfersPerClaimMax) + " transfers");
  }
  std::optional<pb::CaseCreditor> to = LoadCreditor(c.state, a.to_creditor_id());
  if (!to || to->case_id() != claim.case_id()) {
    return Status(pb::Status::NOT_FOUND,
                  "to_creditor_id " + a.to_creditor_id() + " is no creditor entry of the case");
  }
  if (to->id() == claim.creditor_id()) {
    return Invalid("to_creditor_id", "already holds the claim");
  }
  pb::ClaimTransfer* transfer = claim.add_transfers();
  transfer->set_from_creditor_id(claim.creditor_id());
  transfer->set_to_creditor_id(to->id());
  *transfer->mutable_agreement() = a.agreement();
  transfer->set_height(c.block.height);
  transfer->set_time_ms(c.block.time_ms);
  claim.set_creditor_id(to->id());
  ListAppend(c.state, CreditorClaimsList(to->id()), claim.id());
  StoreClaimAfter(c, claim, pb::CLAIM_EVENT_KIND_TRANSFERRED);
  return Status::Ok();
}

Status ApplyWaivePriority(ActionContext& c, const pb::WaivePriority& a) {
  Result<ClaimInCase> found = LoadClaimForHolder(c, a.claim_id());
  if (!found.ok()) return found.status();
  pb::Claim& claim = found->claim;
  if (claim.declaration().security().amount() == 0 || claim.status() == pb::CLAIM_STATUS_WITHDRAWN) {
    return Status(pb::Status::FAILED_PRECONDITION,
                  "claim_id " + a.claim_id() + " is not a secured claim in force");
  }
  if (claim.priority_waived()) {
    return Status(pb::Status::ALREADY_EXISTS, "claim_id " + a.claim_id() + " waived priority");
  }
  if (claim.secured_settled()) {
    return Status(pb::Status::FAILED_PRECONDITION,
                  "claim_id " + a.claim_id() + " was already paid from its collateral");
  }
  claim.set_priority_waived(true);
  StoreClaimAfter(c, claim, pb::CLAIM_EVENT_KIND_PRIORITY_WAIVED);
  return Status::Ok();
}

Status PrecheckListEmployeeClaim(const pb::ListEmployeeClaim& a) {
  if (Status st = CheckText("name", a.name(), kShortTextBytesMax); !st.ok()) return st;
  if (Status st = CheckText("id_number", a.id_number(), kIdNumberBytesMax); !st.ok()) return st;
  if (a.components().empty()) return Invalid("components", "are required");
  if (Status st = CheckComponents(a.components(), true); !st.ok()) return st;
  pb::Declaration listed;
  *listed.mutable_components() = a.components();
  Result<int64_t> total = DeclaredTotal(listed);
  return total.ok() ? Status::Ok() : total.status();
}

}  // namespace

Status PrecheckClaimAction(const pb::TxBody& body) {
  switch (body.action_case()) {
    case pb::TxBody::kDeclareClaim:
      return CheckDeclaration(body.declare_claim().declaration());
    case pb::TxBody::kAmendClaim:
      return CheckDeclaration(body.amend_claim().declaration());
    case pb::TxBody::kWithdrawClaim:
      return CheckText("reason", body.withdraw_claim().reason(), kReasonBytesMax);
    case pb::TxBody::kListEmployeeClaim:
      return PrecheckListEmployeeClaim(body.list_employee_claim());
    case pb::TxBody::kTransferClaim:
      return CheckAttachment("agreement", body.transfer_claim().agreement());
    case pb::TxBody::kWaivePriority:
      return CheckText("claim_id", body.waive_priority().claim_id(), 64);
    default:
      return Status(pb::Status::MALFORMED, "not a claim action");
  }
}

Status ApplyClaimAction(ActionContext& c, const pb::TxBody& body) {
  switch (body.action_case()) {
    case pb::TxBody::kDeclareClaim:
      return ApplyDeclareClaim(c, body.declare_claim());
    case pb::TxBody::kAmendClaim:
      return ApplyAmendClaim(c, body.amend_claim());
    case pb::TxBody::kWithdrawClaim:
      return ApplyWithdrawClaim(c, body.withdraw_claim());
    case pb::TxBody::kListEmployeeClaim:
      return ApplyListEmployeeClaim(c, body.list_employee_claim());
    case pb::TxBody::kTransferClaim:
      return ApplyTransferClaim(c, body.transfer_claim());
    case pb::TxBody::kWaivePriority:
      return ApplyWaivePriority(c, body.waive_priority());
    default:
      return Status(pb::Status::MALFORMED, "not a claim action");
  }
}

}  // namespace onechain::contracts::workflow
