#include "tax/tax_department.h"

#include <google/protobuf/util/json_util.h>
#include <spdlog/spdlog.h>

#include <filesystem>

#include "contracts/workflow.h"

namespace onechain::adapters::tax {

Result<pb::DeclareClaim> PrepareDeclaration(TaxDatabase& db, const pb::Case& record,
                                            const pb::CaseCreditor& entry,
                                            const std::string& service_address) {
  auto taxpayer = db.FindTaxpayer(record.debtor_credit_code());
  if (!taxpayer.ok()) return taxpayer.status();
  if (!*taxpayer) {
    return Status(pb::Status::NOT_FOUND,
                  "the debtor " + record.debtor_credit_code() + " is not a taxpayer here");
  }
  auto rows = db.Arrears(record.debtor_credit_code());
  if (!rows.ok()) return rows.status();
  if (rows->empty()) {
    return Status(pb::Status::NOT_FOUND,
                  "the debtor " + record.debtor_credit_code() + " owes no tax");
  }
  if (rows->size() > static_cast<size_t>(contracts::kTaxItemsMax)) {
    return Status(pb::Status::INVALID_ARGUMENT,
                  "the debtor has " + std::to_string(rows->size()) + " arrears rows; a declaration "
                  "takes at most " + std::to_string(contracts::kTaxItemsMax) + " tax items");
  }
  pb::DeclareClaim declare;
  declare.set_creditor_id(entry.id());
  pb::Declaration* d = declare.mutable_declaration();
  d->set_creditor_name(entry.name());
  d->set_creditor_id_number(entry.id_number());
  d->set_service_address(service_address);
  d->set_electronic_service_consent(true);
  d->set_nature("tax arrears: taxes with surcharges, late fees, fines, special-adjustment interest");
  d->set_facts("arrears of " + (*taxpayer)->name + " (" + record.debtor_credit_code() +
               ") in the bureau's collection records, computed to the acceptance date " +
               record.acceptance_date() + " (SAT Announcement 2019 No. 48)");
  int64_t total = 0;
  for (const ArrearsRow& row : *rows) {
    auto item = TaxItemFor(row, record.acceptance_date());
    if (!item.ok()) return item.status();
    for (int64_t part : {item->tax(), item->late_fee(), item->fine(), item->special_interest()}) {
      if (__builtin_add_overflow(total, part, &total)) {
        return Status(pb::Status::INVALID_ARGUMENT, "the declared total exceeds int64 fen");
      }
    }
    *d->add_tax_items() = std::move(*item);
  }
  if (total <= 0) return Status(pb::Status::NOT_FOUND, "the debtor owes nothing to declare");
  return declare;
}

std::string PreparedPath(const std::string& state_dir, const std::string& notice_id) {
  return state_dir + "/prepared/" + notice_id + ".json";
}

std::string ApprovedPath(const std::string& state_dir, const std::string& notice_id) {
  return state_dir + "/approved/" + notice_id + ".json";
}

void TaxDepartment::OnEvent(const pb::Event& event, NodeClient& node) {
  if (event.type() != "case.accepted" || cases_.contains(event.case_id())) return;
  auto record = node.GetCase(event.case_id());
  if (!record.ok()) return;  // the notice's round reads it again
  cases_.emplace(event.case_id(), *record);
  auto taxpayer = db_.FindTaxpayer(record->debtor_credit_code());
  if (!taxpayer.ok() || !*taxpayer) return;
  auto rows = db_.Arrears(record->debtor_credit_code());
  if (!rows.ok()) return;
  spdlog::info("case {} accepted: the debtor {} owes {} arrears rows here; the bureau declares "
               "them once the administrator's notice comes",
               record->case_number(), record->debtor_credit_code(), rows->size());
}

Status TaxDepartment::OnNotice(const pb::Notice& notice, const ChainView& view, NodeClient& node,
                               std::vector<pb::TxBody>& actions) {
  if (notice.kind() != pb::NOTICE_KIND_CLAIM_DECLARATION) {
    spdlog::info("notice {}: kind {} is for an officer", notice.id(),
                 pb::NoticeKind_Name(notice.kind()));
    return Status::Ok();
  }
  const pb::CaseCreditor* entry = view.Entry(notice.creditor_id());
  if (entry == nullptr) {
    return Status(pb::Status::UNAVAILABLE, "creditor entry " + notice.creditor_id() +
                                               " is not yet among the bureau's entries");
  }
  if (notice.acknowledged_height() == 0) {
    pb::TxBody ack;
    ack.mutable_acknowledge_notice()->set_notice_id(notice.id());
    actions.push_back(std::move(ack));
  }
  if (const pb::Claim* claim = view.LiveClaimOf(entry->id())) {
    spdlog::info("notice {}: claim {} is already declared", notice.id(), claim->id());
    return Status::Ok();
  }
  auto cached = cases_.find(notice.case_id());
  if (cached == cases_.end()) {
    auto record = node.GetCase(notice.case_id());
    if (!record.ok()) return Status(pb::Status::UNAVAILABLE, record.status().ToString());
    cached = cases_.emplace(notice.case_id(), std::move(*record)).first;
  }
  auto declare = PrepareDeclaration(db_, cached->second, *entry, options_.service_address);
  if (!declare.ok()) {
    if (declare.status().code() == pb::Status::NOT_FOUND) {
      spdlog::info("notice {}: nothing to declare: {}", notice.id(), declare.status().message());
      return Status::Ok();
    }
    if (declare.status().code() == pb::Status::IO) {
      return Status(pb::Status::UNAVAILABLE, declare.status().message());
    }
    // Records that cannot be declared as they stand: the notice is acknowledged, the claim left
    // to an officer (re-handling after a fix is safe: delete the cursor).
    spdlog::error("notice {}: the debtor's records cannot be declared, an officer must look: {}",
                  notice.id(), declare.status().ToString());
    return Status::Ok();
  }
  if (options_.prepare_only) {
    const std::string prepared = PreparedPath(options_.state_dir, notice.id());
    if (std::filesystem::exists(prepared) ||
        std::filesystem::exists(ApprovedPath(options_.state_dir, notice.id()))) {
      return Status::Ok();
    }
    std::string json;
    google::protobuf::util::JsonPrintOptions print;
    print.add_whitespace = true;
    (void)google::protobuf::util::MessageToJsonString(*declare, &json, print);
    std::filesystem::create_directories(options_.state_dir + "/prepared");
    if (Status st = WriteFileAtomically(prepared, json); !st.ok()) {
      return Status(pb::Status::UNAVAILABLE, st.message());
    }
    spdlog::info("notice {}: declaration prepared in {} for approval", notice.id(), prepared);
    return Status::Ok();
  }
  pb::TxBody body;
  *body.mutable_declare_claim() = std::move(*declare);
  actions.push_back(std::move(body));
  return Status::Ok();
}

}  // namespace onechain::adapters::tax
