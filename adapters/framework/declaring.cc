#include "framework/declaring.h"

#include <spdlog/spdlog.h>

namespace onechain::adapters {

Result<const pb::Case*> DeclaringDepartment::CaseOf(const std::string& case_id, NodeClient& node) {
  auto cached = cases_.find(case_id);
  if (cached == cases_.end()) {
    auto record = node.GetCase(case_id);
    if (!record.ok()) return Status(pb::Status::UNAVAILABLE, record.status().ToString());
    cached = cases_.emplace(case_id, std::move(*record)).first;
  }
  return &cached->second;
}

Status DeclaringDepartment::OnNotice(const pb::Notice& notice, const ChainView& view,
                                     NodeClient& node, std::vector<pb::TxBody>& actions) {
  if (notice.kind() != pb::NOTICE_KIND_CLAIM_DECLARATION) {
    spdlog::info("notice {}: kind {} is for an officer", notice.id(),
                 pb::NoticeKind_Name(notice.kind()));
    return Status::Ok();
  }
  const pb::CaseCreditor* entry = view.Entry(notice.creditor_id());
  if (entry == nullptr) {
    return Status(pb::Status::UNAVAILABLE, "creditor entry " + notice.creditor_id() +
                                               " is not yet among the department's entries");
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
  Result<const pb::Case*> record = CaseOf(notice.case_id(), node);
  if (!record.ok()) return record.status();
  Result<pb::DeclareClaim> declare = Prepare(**record, *entry);
  if (!declare.ok()) {
    switch (declare.status().code()) {
      case pb::Status::NOT_FOUND:
        spdlog::info("notice {}: nothing to declare: {}", notice.id(), declare.status().message());
        return Status::Ok();
      case pb::Status::IO:
      case pb::Status::UNAVAILABLE:
        return Status(pb::Status::UNAVAILABLE, declare.status().message());
      default:
        spdlog::error("notice {}: the records cannot be declared, an officer must look: {}",
                      notice.id(), declare.status().ToString());
        return Status::Ok();
    }
  }
  return File(notice, std::move(*declare), actions);
}

Status DeclaringDepartment::File(const pb::Notice&, pb::DeclareClaim declare,
                                 std::vector<pb::TxBody>& actions) {
  pb::TxBody body;
  *body.mutable_declare_claim() = std::move(declare);
  actions.push_back(std::move(body));
  return Status::Ok();
}

}  // namespace onechain::adapters
