#include "reporter.h"

#include <google/protobuf/util/json_util.h>
#include <spdlog/spdlog.h>

#include <chrono>
#include <set>
#include <thread>

#include "cli/client.h"
#include "util/bytes.h"

namespace onechain::reporting {

namespace {

template <typename T>
Result<T> ParseJson(const std::string& json) {
  T message;
  google::protobuf::util::JsonParseOptions options;
  options.ignore_unknown_fields = true;  // a newer node may add fields
  auto status = google::protobuf::util::JsonStringToMessage(json, &message, options);
  if (!status.ok()) {
    return Status(pb::Status::MALFORMED, "cannot parse the node's " + message.GetTypeName() +
                                             ": " + std::string(status.message()));
  }
  return message;
}

std::string Num(int64_t value) { return std::to_string(value); }
std::string Num(uint64_t value) { return std::to_string(value); }

std::string ActionName(const pb::TxBody& body) {
  const auto* oneof = body.GetDescriptor()->FindOneofByName("action");
  const auto* field = body.GetReflection()->GetOneofFieldDescriptor(body, oneof);
  return field ? field->name() : "none";
}

// Appends the rows of one claim record: the claim (insert or replace) and its components.
void ClaimStatements(const pb::Claim& claim, uint64_t height, std::vector<Statement>& out) {
  const bool reviewed = claim.review().components_size() > 0;
  int64_t confirmed_total = 0;
  for (const pb::ComponentResult& c : claim.review().components()) confirmed_total += c.confirmed();
  std::optional<std::string> confirmed;
  if (reviewed) confirmed = Num(confirmed_total);
  out.push_back(
      {"INSERT INTO claims VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) "
       "ON CONFLICT (claim_id) DO UPDATE SET creditor_id = $3, status = $5, late = $6, "
       "version = $7, declared_total = $8, confirmed_total = $9, paid_total = $10, "
       "updated_height = $13",
       {claim.id(), claim.case_id(), claim.creditor_id(), pb::ClaimOrigin_Name(claim.origin()),
        pb::ClaimStatus_Name(claim.status()), claim.late() ? "true" : "false",
        Num(static_cast<uint64_t>(claim.version())), Num(claim.declared_total()), confirmed,
        Num(claim.paid_total()), Num(claim.declared_height()), Num(claim.declared_time_ms()),
        Num(height)}});
  out.push_back({"DELETE FROM claim_components WHERE claim_id = $1", {claim.id()}});
  auto component = [&](int idx, pb::ComponentKind kind, const std::string& tax_name,
                       int64_t declared, std::optional<std::string> confirmed_amount,
                       std::optional<std::string> ranking) {
    out.push_back({"INSERT INTO claim_components VALUES ($1, $2, $3, $4, $5, $6, $7)",
                   {claim.id(), Num(static_cast<int64_t>(idx)), pb::ComponentKind_Name(kind),
                    tax_name, Num(declared), std::move(confirmed_amount), std::move(ranking)}});
  };
  if (reviewed) {
    int idx = 0;
    for (const pb::ComponentResult& c : claim.review().components()) {
      component(idx++, c.kind(), c.tax_name(), c.declared(), Num(c.confirmed()),
                pb::Ranking_Name(c.ranking()));
    }
    return;
  }
  // Not reviewed yet: the declaration's components, tax items expanded as the review expands them.
  int idx = 0;
  for (const pb::AmountComponent& c : claim.declaration().components()) {
    component(idx++, c.kind(), "", c.amount(), std::nullopt, std::nullopt);
  }
  for (const pb::TaxItem& t : claim.declaration().tax_items()) {
    const std::pair<pb::ComponentKind, int64_t> parts[] = {
        {pb::COMPONENT_KIND_TAX, t.tax()},
        {pb::COMPONENT_KIND_TAX_LATE_FEE, t.late_fee()},
        {pb::COMPONENT_KIND_TAX_FINE, t.fine()},
        {pb::COMPONENT_KIND_TAX_SPECIAL_INTEREST, t.special_interest()}};
    for (const auto& [kind, amount] : parts) {
      if (amount != 0) component(idx++, kind, t.tax_name(), amount, std::nullopt, std::nullopt);
    }
  }
}

}  // namespace

Result<std::vector<std::string>> ClaimsTouched(
    const std::vector<CommittedTx>& txs,
    const std::function<Result<std::vector<std::string>>(const std::string&)>& case_claims) {
  std::set<std::string> ids;
  for (const CommittedTx& tx : txs) {
    const pb::TxStatus& s = tx.status;
    if (s.code() != pb::Status::OK) continue;
    const pb::TxBody& b = s.body();
    switch (b.action_case()) {
      case pb::TxBody::kDeclareClaim:
      case pb::TxBody::kListEmployeeClaim:
        ids.insert(s.record_id());
        break;
      case pb::TxBody::kAmendClaim: ids.insert(b.amend_claim().claim_id()); break;
      case pb::TxBody::kWithdrawClaim: ids.insert(b.withdraw_claim().claim_id()); break;
      case pb::TxBody::kRequestMaterial: ids.insert(b.request_material().claim_id()); break;
      case pb::TxBody::kReviewClaim: ids.insert(b.review_claim().claim_id()); break;
      case pb::TxBody::kSendReviewNotice: ids.insert(b.send_review_notice().claim_id()); break;
      case pb::TxBody::kObjectToClaim: ids.insert(b.object_to_claim().claim_id()); break;
      case pb::TxBody::kSetTemporaryVotingAmount:
        ids.insert(b.set_temporary_voting_amount().claim_id());
        break;
      case pb::TxBody::kTransferClaim: ids.insert(b.transfer_claim().claim_id()); break;
      case pb::TxBody::kWaivePriority: ids.insert(b.waive_priority().claim_id()); break;
      case pb::TxBody::kConfirmClaims:
        if (b.confirm_claims().claim_ids_size() > 0) {
          ids.insert(b.confirm_claims().claim_ids().begin(), b.confirm_claims().claim_ids().end());
          break;
        }
        [[fallthrough]];
      case pb::TxBody::kApprovePlan:
      case pb::TxBody::kRecordPayment: {
        // These act on the claims of a whole case (confirmation, allocations, payments).
        std::string key = b.action_case() == pb::TxBody::kConfirmClaims ? b.confirm_claims().case_id()
                          : b.action_case() == pb::TxBody::kApprovePlan ? b.approve_plan().plan_id()
                                                                        : b.record_payment().plan_id();
        auto known = case_claims(key);
        if (!known.ok()) return known.status();
        ids.insert(known->begin(), known->end());
        break;
      }
      default:
        break;
    }
  }
  ids.erase("");
  return std::vector<std::string>(ids.begin(), ids.end());
}

std::vector<Statement> BlockStatements(const pb::BlockView& block,
                                       const std::vector<CommittedTx>& txs,
                                       const std::vector<pb::Claim>& claims) {
  const uint64_t height = block.header().height();
  const std::string h = Num(height);
  const std::string t = Num(block.header().time_ms());
  std::vector<Statement> out;
  out.push_back({"INSERT INTO blocks VALUES ($1, $2, $3, $4)",
                 {h, block.hash(), t, Num(static_cast<int64_t>(txs.size()))}});
  for (const CommittedTx& tx : txs) {
    const pb::TxStatus& s = tx.status;
    const pb::TxBody& b = s.body();
    const std::string& rec = s.record_id();
    out.push_back({"INSERT INTO transactions VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
                   {tx.hash, h, Num(static_cast<uint64_t>(s.index())), ActionName(b),
                    ToHex(b.signer()), pb::Status::Code_Name(s.code()), s.message(), rec}});
    if (s.code() != pb::Status::OK) continue;
    switch (b.action_case()) {
      case pb::TxBody::kAcceptCase: {
        const auto& a = b.accept_case();
        out.push_back({"INSERT INTO cases (case_id, case_number, debtor_name, debtor_credit_code, "
                       "procedure, acceptance_date, accepted_height, accepted_time_ms) "
                       "VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
                       {rec, a.case_number(), a.debtor_name(), a.debtor_credit_code(),
                        pb::Procedure_Name(a.procedure()), a.acceptance_date(), h, t}});
        break;
      }
      case pb::TxBody::kAppointAdministrator:
        out.push_back({"UPDATE cases SET administrator_firm = $2 WHERE case_id = $1",
                       {b.appoint_administrator().case_id(),
                        b.appoint_administrator().firm_org_id()}});
        break;
      case pb::TxBody::kReplaceAdministrator:
        out.push_back({"UPDATE cases SET administrator_firm = $2 WHERE case_id = $1",
                       {b.replace_administrator().case_id(),
                        b.replace_administrator().firm_org_id()}});
        break;
      case pb::TxBody::kSetClaimPeriod:
        out.push_back({"UPDATE cases SET claim_period_end_ms = $2, first_meeting_ms = $3 "
                       "WHERE case_id = $1",
                       {b.set_claim_period().case_id(),
                        Num(b.set_claim_period().claim_period_end_ms()),
                        Num(b.set_claim_period().first_meeting_ms())}});
        break;
      case pb::TxBody::kTerminateCase:
        out.push_back({"UPDATE cases SET terminated_time_ms = $2, termination_reason = $3 "
                       "WHERE case_id = $1",
                       {b.terminate_case().case_id(), t, b.terminate_case().reason()}});
        break;
      case pb::TxBody::kAddKnownCreditor: {
        const auto& a = b.add_known_creditor();
        out.push_back({"INSERT INTO creditors VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
                       {rec, a.case_id(), pb::CreditorKind_Name(a.kind()), a.name(),
                        a.id_number(), a.org_id(), h, t}});
        break;
      }
      case pb::TxBody::kListEmployeeClaim: {
        // The employee's creditor entry is created with the listed claim; its id is the claim's
        // holder (filled in below from the claim record).
        const auto& a = b.list_employee_claim();
        for (const pb::Claim& claim : claims) {
          if (claim.id() != rec) continue;
          out.push_back({"INSERT INTO creditors VALUES ($1, $2, $3, $4, $5, '', $6, $7) "
                         "ON CONFLICT (creditor_id) DO NOTHING",
                         {claim.creditor_id(), a.case_id(),
                          pb::CreditorKind_Name(pb::CREDITOR_KIND_EMPLOYEE), a.name(),
                          a.id_number(), h, t}});
        }
        break;
      }
      case pb::TxBody::kSendClaimNotice:
        out.push_back({"INSERT INTO notices (notice_id, case_id, creditor_id, kind, sent_height, "
                       "sent_time_ms) SELECT $1, case_id, creditor_id, $3, $4, $5 "
                       "FROM creditors WHERE creditor_id = $2",
                       {rec, b.send_claim_notice().creditor_id(),
                        pb::NoticeKind_Name(pb::NOTICE_KIND_CLAIM_DECLARATION), h, t}});
        break;
      case pb::TxBody::kAcknowledgeNotice:
        out.push_back({"UPDATE notices SET acknowledged_height = $2, acknowledged_time_ms = $3 "
                       "WHERE notice_id = $1 AND acknowledged_height IS NULL",
                       {b.acknowledge_notice().notice_id(), h, t}});
        break;
      case pb::TxBody::kReviewClaim:
        out.push_back({"INSERT INTO reviews VALUES ($1, $2, 'review_claim', $3, $4)",
                       {tx.hash, b.review_claim().claim_id(), h, t}});
        break;
      case pb::TxBody::kSendReviewNotice:
        out.push_back({"INSERT INTO reviews VALUES ($1, $2, 'send_review_notice', $3, $4)",
                       {tx.hash, b.send_review_notice().claim_id(), h, t}});
        break;
      case pb::TxBody::kConveneMeeting: {
        const auto& a = b.convene_meeting();
        out.push_back({"INSERT INTO meetings VALUES ($1, $2, $3, $4, $5, $6, $7)",
                       {rec, a.case_id(), pb::MeetingKind_Name(a.kind()), Num(a.start_ms()),
                        Num(a.vote_end_ms()), a.place(), t}});
        break;
      }
      case pb::TxBody::kAddMotion: {
        const auto& a = b.add_motion();
        out.push_back({"INSERT INTO motions (motion_id, meeting_id, kind, title, plan_id, "
                       "added_time_ms) VALUES ($1, $2, $3, $4, $5, $6)",
                       {rec, a.meeting_id(), pb::MotionKind_Name(a.kind()), a.title(),
                        a.plan_id(), t}});
        break;
      }
      case pb::TxBody::kCastBallot: {
        const auto& a = b.cast_ballot();
        out.push_back({"INSERT INTO ballots VALUES ($1, $2, $3, $4, $5, $6)",
                       {tx.hash, a.motion_id(), a.creditor_id(),
                        pb::BallotChoice_Name(a.choice()), h, t}});
        break;
      }
      case pb::TxBody::kCloseMotion:
        out.push_back({"UPDATE motions SET closed_time_ms = $2 WHERE motion_id = $1",
                       {b.close_motion().motion_id(), t}});
        break;
      case pb::TxBody::kProposePlan: {
        const auto& a = b.propose_plan();
        out.push_back({"INSERT INTO plans (plan_id, case_id, kind, title, proposed_time_ms) "
                       "VALUES ($1, $2, $3, $4, $5)",
                       {rec, a.case_id(), pb::PlanKind_Name(a.kind()), a.title(), t}});
        break;
      }
      case pb::TxBody::kProposeDistribution: {
        const auto& a = b.propose_distribution();
        out.push_back({"INSERT INTO plans VALUES ($1, $2, $3, $4, $5, $6, $7, NULL)",
                       {rec, a.case_id(), pb::PlanKind_Name(pb::PLAN_KIND_DISTRIBUTION),
                        a.title(), Num(a.general_estate()), a.final() ? "true" : "false", t}});
        break;
      }
      case pb::TxBody::kApprovePlan:
        out.push_back({"UPDATE plans SET approved_time_ms = $2 WHERE plan_id = $1",
                       {b.approve_plan().plan_id(), t}});
        break;
      case pb::TxBody::kRecordPayment: {
        const auto& a = b.record_payment();
        out.push_back({"INSERT INTO payments VALUES ($1, $2, $3, $4, $5, $6, $7)",
                       {tx.hash, a.plan_id(), a.payee_id(), Num(a.amount()), a.reference(), h,
                        t}});
        break;
      }
      default:
        break;
    }
  }
  // Claims last: their creditor rows are in by now.
  for (const pb::Claim& claim : claims) ClaimStatements(claim, height, out);
  return out;
}

namespace {

// Reads of one block and what it touched, from the node.
class Source {
 public:
  Source(const std::string& url, const crypto::PrivateKey& reader) : public_(url), signed_(url) {
    signed_.SignReadsWith(&reader);
  }

  Result<uint64_t> Head() {
    auto json = public_.GetJson("/v1/health");
    if (!json.ok()) return json.status();
    auto health = ParseJson<pb::Health>(*json);
    if (!health.ok()) return health.status();
    return health->height();
  }

  Result<pb::BlockView> Block(uint64_t height) {
    auto json = public_.GetJson("/v1/blocks/" + std::to_string(height));
    if (!json.ok()) return json.status();
    return ParseJson<pb::BlockView>(*json);
  }

  Result<CommittedTx> Tx(const std::string& hash, uint64_t height) {
    auto json = public_.GetJson("/v1/tx/" + hash);
    if (!json.ok()) return json.status();
    auto status = ParseJson<pb::TxStatus>(*json);
    if (!status.ok()) return status.status();
    if (status->state() != pb::TxStatus::COMMITTED || status->height() != height) {
      return Status(pb::Status::INTERNAL, "transaction " + hash + " of block " +
                                              std::to_string(height) +
                                              " is not reported committed there");
    }
    return CommittedTx{hash, std::move(*status)};
  }

  Result<pb::Claim> Claim(const std::string& id) {
    auto json = signed_.GetJson("/v1/claims/" + id);
    if (!json.ok()) {
      return Status(json.status().code(), "claim " + id + " (the reporter's key must be a court "
                                          "account): " + json.status().message());
    }
    return ParseJson<pb::Claim>(*json);
  }

 private:
  cli::ApiClient public_;
  cli::ApiClient signed_;
};

Status ApplyOne(Source& source, ReportDb& db, uint64_t height, int hold_ms) {
  auto block = source.Block(height);
  if (!block.ok()) return block.status();
  std::vector<CommittedTx> txs;
  for (const std::string& hash : block->tx_hashes()) {
    auto tx = source.Tx(hash, height);
    if (!tx.ok()) return tx.status();
    txs.push_back(std::move(*tx));
  }
  auto touched = ClaimsTouched(txs, [&](const std::string& case_id) {
    return db.ClaimsOf(case_id);
  });
  if (!touched.ok()) return touched.status();
  std::vector<pb::Claim> claims;
  for (const std::string& id : *touched) {
    auto claim = source.Claim(id);
    if (!claim.ok()) return claim.status();
    claims.push_back(std::move(*claim));
  }
  return db.ApplyBlock(height, block->hash(), block->header().time_ms(),
                       BlockStatements(*block, txs, claims), hold_ms);
}

}  // namespace

Status RunReporter(const ReporterOptions& options, const crypto::PrivateKey& reader,
                   ReportDb& db, const std::atomic<bool>& stop) {
  Source source(options.node_url, reader);
  auto cursor = db.LoadCursor();
  if (!cursor.ok()) return cursor.status();
  uint64_t applied = cursor->height;
  spdlog::info("reporting database at height {}", applied);
  auto pause = [&] {
    for (int waited = 0; waited < options.poll_interval_ms && !stop.load(); waited += 20) {
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
  };
  while (!stop.load()) {
    if (options.stop_at_height != 0 && applied >= options.stop_at_height) return Status::Ok();
    auto head = source.Head();
    if (!head.ok()) {
      spdlog::warn("node unreachable: {}", head.status().ToString());
      pause();
      continue;
    }
    if (*head <= applied) {
      pause();
      continue;
    }
    Status status = ApplyOne(source, db, applied + 1, options.hold_ms);
    if (!status.ok()) {
      spdlog::warn("block {} not applied: {}", applied + 1, status.ToString());
      // Another writer may have moved the cursor: start again from what the database holds.
      auto again = db.LoadCursor();
      if (again.ok()) applied = again->height;
      pause();
      continue;
    }
    ++applied;
    spdlog::info("applied block {}", applied);
  }
  return Status::Ok();
}

}  // namespace onechain::reporting
