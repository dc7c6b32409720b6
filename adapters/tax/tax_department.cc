#include "tax/tax_department.h"

#include <google/protobuf/util/json_util.h>
#include <spdlog/spdlog.h>

#include <filesystem>

#include "contracts/workflow.h"
#include "crypto/seal.h"

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
    return Status(pb::Status::INVALID_ARGUMENT, "the debtor has " + std::to_string(rows->size()) +
                                                    " arrears rows; a declaration "
                                                    "takes at most " +
                                                    std::to_string(contracts::kTaxItemsMax) +
                                                    " tax items");
  }
  pb::DeclareClaim declare;
  declare.set_creditor_id(entry.id());
  pb::Declaration* d = declare.mutable_declaration();
  d->set_creditor_name(entry.name());
  d->set_creditor_id_number(entry.id_number());
  d->set_service_address(service_address);
  d->set_electronic_service_consent(true);
  d->set_nature(
      "tax arrears: taxes with surcharges, late fees, fines, special-adjustment interest");
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
  if (event.type() != "case.accepted" || HasCase(event.case_id())) return;
  auto record = CaseOf(event.case_id(), node);
  if (!record.ok()) return;  // the notice's round reads it again
  auto taxpayer = db_.FindTaxpayer((*record)->debtor_credit_code());
  if (!taxpayer.ok() || !*taxpayer) return;
  auto rows = db_.Arrears((*record)->debtor_credit_code());
  if (!rows.ok()) return;
  spdlog::info(
      "case {} accepted: the debtor {} owes {} arrears rows here; the bureau declares "
      "them once the administrator's notice comes",
      (*record)->case_number(), (*record)->debtor_credit_code(), rows->size());
}

Result<pb::DeclareClaim> TaxDepartment::Prepare(const pb::Case& record,
                                                const pb::CaseCreditor& entry) {
  return PrepareDeclaration(db_, record, entry, options_.service_address);
}

Status TaxDepartment::File(const pb::Notice& notice, pb::DeclareClaim declare,
                           std::vector<pb::TxBody>& actions) {
  if (!options_.prepare_only) return DeclaringDepartment::File(notice, std::move(declare), actions);
  const std::string prepared = PreparedPath(options_.state_dir, notice.id());
  if (std::filesystem::exists(prepared) ||
      std::filesystem::exists(ApprovedPath(options_.state_dir, notice.id()))) {
    return Status::Ok();
  }
  std::string json;
  google::protobuf::util::JsonPrintOptions print;
  print.add_whitespace = true;
  (void)google::protobuf::util::MessageToJsonString(declare, &json, print);
  std::filesystem::create_directories(options_.state_dir + "/prepared");
  if (Status st = WriteFileAtomically(prepared, json); !st.ok()) {
    return Status(pb::Status::UNAVAILABLE, st.message());
  }
  spdlog::info("notice {}: declaration prepared in {} for approval", notice.id(), prepared);
  return Status::Ok();
}

Status TaxDepartment::OnDataRequest(const pb::Grant& grant, NodeClient& node,
                                    std::vector<pb::TxBody>& actions) {
  if (options_.prepare_only) return Status::Ok();
  if (grant.record_type() != kTaxArrearsRecordType) {
    spdlog::info("data request {} is for '{}', which this adapter does not answer: left to an "
                 "officer", grant.id(), grant.record_type());
    return Status::Ok();
  }
  auto record = CaseOf(grant.case_id(), node);
  if (!record.ok()) return record.status();
  // The records: what the bureau would declare, computed to the acceptance date.
  pb::Declaration records;
  records.set_creditor_id_number(grant.debtor_credit_code());
  records.set_facts("arrears in the bureau's collection records computed to the acceptance date " +
                    (*record)->acceptance_date());
  auto taxpayer = db_.FindTaxpayer(grant.debtor_credit_code());
  if (!taxpayer.ok()) return taxpayer.status();
  if (*taxpayer) {
    records.set_creditor_name((*taxpayer)->name);
    auto rows = db_.Arrears(grant.debtor_credit_code());
    if (!rows.ok()) return rows.status();
    for (const ArrearsRow& row : *rows) {
      auto item = TaxItemFor(row, (*record)->acceptance_date());
      if (!item.ok()) return item.status();
      *records.add_tax_items() = std::move(*item);
    }
  }
  std::string json;
  (void)google::protobuf::util::MessageToJsonString(records, &json);
  // Sealed for the member who asked (the reader the contracts allow that the bureau can name).
  auto reader = node.GetAccount(grant.requested_by());
  if (!reader.ok()) return reader.status();
  if (reader->encryption_key().empty()) {
    return Status(pb::Status::FAILED_PRECONDITION,
                  "the requester " + grant.requested_by() + " has published no encryption key");
  }
  const pb::Suite suite = node.key().suite();
  const std::string data_key = crypto::NewDataKey();
  auto sealed = crypto::SealData(suite, data_key, json, grant.id());
  if (!sealed.ok()) return sealed.status();
  auto wrapped = crypto::WrapDataKey(suite, reader->encryption_key(), data_key);
  if (!wrapped.ok()) return wrapped.status();
  pb::Attachment file;
  file.set_hash(crypto::GetSuite(suite)->Hash(*sealed));
  file.set_size(sealed->size());
  file.set_media_type("application/json");
  file.set_name(std::string(kTaxArrearsRecordType) + "-" + grant.debtor_credit_code() + ".json");
  pb::WrappedKey* key = file.add_keys();
  key->set_reader_account_id(grant.requested_by());
  key->set_wrapped(*wrapped);
  if (Status st = node.PutBlob(file.hash(), *sealed); !st.ok()) return st;
  pb::TxBody body;
  body.mutable_answer_records()->set_grant_id(grant.id());
  *body.mutable_answer_records()->add_records() = std::move(file);
  actions.push_back(std::move(body));
  spdlog::info("data request {}: the arrears of {} ({} items) answered for {}", grant.id(),
               grant.debtor_credit_code(), records.tax_items_size(), grant.requested_by());
  return Status::Ok();
}

}  // namespace onechain::adapters::tax
