// The administrator's review of claims (EBL 57): requests for material, results by component with
// ranking and reasons, review-result notices with the objection window, objections and re-review
// (JI III 8); and the court's acts on claims: temporary voting amounts (EBL 59 ¶2) and the ruling
// that confirms undisputed claims (EBL 58).
#include <set>

#include "contracts/workflow_internal.h"

namespace onechain::contracts::workflow {

namespace {

Status NotInStatus(const pb::Claim& claim, const std::string& what) {
  return Status(pb::Status::FAILED_PRECONDITION, "claim_id " + claim.id() + " is " +
                                                     pb::ClaimStatus_Name(claim.status()) + "; " +
                                                     what);
}

// The claim in an open case, with the signer checked as a member of its administrator.
Result<ClaimInCase> LoadClaimForAdministrator(const ActionContext& c, const std::string& id) {
  Result<ClaimInCase> found = LoadClaimInOpenCase(c.state, id);
  if (!found.ok()) return found.status();
  if (Status st = RequireAdministrator(c, found->record); !st.ok()) return st;
  return found;
}

Status ApplyRequestMaterial(ActionContext& c, const pb::RequestMaterial& a) {
  Result<ClaimInCase> found = LoadClaimForAdministrator(c, a.claim_id());
  if (!found.ok()) return found.status();
  pb::Claim& claim = found->claim;
  if (claim.status() != pb::CLAIM_STATUS_DECLARED &&
      claim.status() != pb::CLAIM_STATUS_MATERIAL_REQUESTED) {
    return NotInStatus(claim, "material is requested before the review");
  }
  if (Status st = CheckFutureTime(c, "deadline_ms", a.deadline_ms()); !st.ok()) return st;
  claim.set_status(pb::CLAIM_STATUS_MATERIAL_REQUESTED);
  claim.set_material_request(a.what());
  pb::Notice notice;
  notice.set_case_id(claim.case_id());
  notice.set_creditor_id(claim.creditor_id());
  notice.set_kind(pb::NOTICE_KIND_MATERIAL_REQUEST);
  notice.set_claim_id(claim.id());
  notice.set_text(a.what());
  notice.set_deadline_ms(a.deadline_ms());
  IssueNotice(c, std::move(notice));
  StoreClaimAfter(c, claim, pb::CLAIM_EVENT_KIND_MATERIAL_REQUESTED);
  return Status::Ok();
}

// Builds the review result from the action and the declared components; refuses a review that
// leaves a component out, names one twice, confirms more than declared, ranks a tax item other
// than its automatic ranking, or gives no reason for what it does not confirm.
Result<pb::ReviewResult> BuildReview(const pb::Claim& claim, const pb::ReviewClaim& a) {
  std::vector<pb::ComponentResult> components = DeclaredComponents(claim.declaration());
  if (static_cast<size_t>(a.components_size()) != components.size()) {
    return Invalid("components", "must review each of the " + std::to_string(components.size()) +
                                     " declared components exactly once");
  }
  std::set<uint32_t> seen;
  pb::ReviewResult review;
  int64_t secured = 0;
  for (int i = 0; i < a.components_size(); ++i) {
    const pb::ComponentReview& r = a.components(i);
    std::string field = "components[" + std::to_string(i) + "]";
    if (r.index() >= components.size() || !seen.insert(r.index()).second) {
      return Invalid(field + ".index", "is out of range or repeated");
    }
    pb::ComponentResult& result = components[r.index()];
    if (r.confirmed() < 0 || r.confirmed() > result.declared()) {
      return Invalid(field + ".confirmed", "must lie between 0 and the declared " +
                                               std::to_string(result.declared()) + " fen");
    }
    if (r.confirmed() < result.declared() && r.reason().empty()) {
      return Invalid(field + ".reason", "is required for an amount not confirmed");
    }
    if (result.ranking() != pb::RANKING_UNSPECIFIED) {  // a tax item: ranked automatically
      if (r.ranking() != pb::RANKING_UNSPECIFIED && r.ranking() != result.ranking()) {
        return Invalid(field + ".ranking", "of a tax item must be " +
                                               pb::Ranking_Name(result.ranking()) +
                                               " (ranked automatically)");
      }
    } else if (!pb::Ranking_IsValid(r.ranking()) || r.ranking() == pb::RANKING_UNSPECIFIED) {
      return Invalid(field + ".ranking", "is required");
    } else {
      result.set_ranking(r.ranking());
    }
    if (result.ranking() == pb::RANKING_SECURED) secured += r.confirmed();
    result.set_confirmed(r.confirmed());
    result.set_reason(r.reason());
  }
  if (secured > 0 && a.collateral_id().empty()) {
    return Invalid("collateral_id", "is required when a component is ranked SECURED");
  }
  if (secured > claim.declaration().security().amount()) {
    return Invalid("components", "rank more as SECURED than the declaration's secured amount");
  }
  int64_t confirmed = 0;  // ≤ the declared total, which was overflow-checked
  for (pb::ComponentResult& component : components) {
    confirmed += component.confirmed();
    *review.add_components() = std::move(component);
  }
  review.set_declared_total(claim.declared_total());
  review.set_confirmed_total(confirmed);
  review.set_not_confirmed(claim.declared_total() - confirmed);
  review.set_outcome(confirmed == claim.declared_total() ? pb::REVIEW_OUTCOME_CONFIRMED
                     : confirmed == 0                    ? pb::REVIEW_OUTCOME_REJECTED
                                                         : pb::REVIEW_OUTCOME_PARTLY_CONFIRMED);
  if (review.not_confirmed() > 0 && a.reasons().empty()) {
    return Invalid("reasons", "are required unless the whole claim is confirmed");
  }
  review.set_collateral_id(secured > 0 ? a.collateral_id() : "");
  review.set_reasons(a.reasons());
  return review;
}

Status ApplyReviewClaim(ActionContext& c, const pb::ReviewClaim& a) {
  Result<ClaimInCase> found = LoadClaimForAdministrator(c, a.claim_id());
  if (!found.ok()) return found.status();
  pb::Claim& claim = found->claim;
  bool re_review = claim.status() == pb::CLAIM_STATUS_OBJECTED;
  if (!re_review && claim.status() != pb::CLAIM_STATUS_DECLARED &&
      claim.status() != pb::CLAIM_STATUS_MATERIAL_REQUESTED &&
      claim.status() != pb::CLAIM_STATUS_REVIEWED) {
    return NotInStatus(claim, "only a declared or objected claim is reviewed");
  }
  if (claim.origin() == pb::CLAIM_ORIGIN_EMPLOYEE_LIST && !re_review) {
    return NotInStatus(claim, "a listed employee claim is re-reviewed only after an objection");
  }
  Result<pb::ReviewResult> review = BuildReview(claim, a);
  if (!review.ok()) return review.status();
  review->set_reviewer_account_id(c.signer.id());
  review->set_height(c.block.height);
  review->set_time_ms(c.block.time_ms);
  review->set_re_review(re_review);
  *claim.mutable_review() = std::move(*review);
  if (re_review) {
    claim.set_status(pb::CLAIM_STATUS_RE_REVIEWED);
    // JI III 8: a lawsuit within 15 days after the verification at the first meeting.
    int64_t verification = std::max(found->record.first_meeting_ms(), c.block.time_ms);
    uint32_t days =
        ParamOr(c.executor.genesis().params().lawsuit_days_after_verification(), kDefaultLawsuitDays);
    claim.set_lawsuit_deadline_ms(verification + DaysMs(c, days));
  } else {
    claim.set_status(pb::CLAIM_STATUS_REVIEWED);
  }
  StoreClaimAfter(c, claim,
                  re_review ? pb::CLAIM_EVENT_KIND_RE_REVIEWED : pb::CLAIM_EVENT_KIND_REVIEWED);
  return Status::Ok();
}

Status ApplySendReviewNotice(ActionContext& c, const pb::SendReviewNotice& a) {
  Result<ClaimInCase> found = LoadClaimForAdministrator(c, a.claim_id());
  if (!found.ok()) return found.status();
  pb::Claim& claim = found->claim;
  pb::Notice notice;
  notice.set_case_id(claim.case_id());
  notice.set_creditor_id(claim.creditor_id());
  notice.set_claim_id(claim.id());
  if (claim.status() == pb::CLAIM_STATUS_REVIEWED) {
    if (Status st = CheckObjectionDeadline(c, a.objection_deadline_ms()); !st.ok()) return st;
    claim.set_status(pb::CLAIM_STATUS_NOTIFIED);
    claim.set_objection_deadline_ms(a.objection_deadline_ms());
    notice.set_kind(pb::NOTICE_KIND_REVIEW_RESULT);
    notice.set_deadline_ms(a.objection_deadline_ms());
    notice.set_text("Review result: " + pb::ReviewOutcome_Name(claim.review().outcome()) +
                    "; objections with reasons until the deadline (JI III 8).");
  } else if (claim.status() == pb::CLAIM_STATUS_RE_REVIEWED) {
    if (a.objection_deadline_ms() != 0) {
      return Invalid("objection_deadline_ms", "must be 0 for a re-review result (no new window)");
    }
    notice.set_kind(pb::NOTICE_KIND_RE_REVIEW_RESULT);
    notice.set_deadline_ms(claim.lawsuit_deadline_ms());
    notice.set_text("Re-review result: " + pb::ReviewOutcome_Name(claim.review().outcome()) +
                    "; who still disputes it may sue until the deadline (JI III 8).");
  } else {
    return NotInStatus(claim, "a review-result notice follows a review or re-review");
  }
  IssueNotice(c, std::move(notice));
  StoreClaimAfter(c, claim, pb::CLAIM_EVENT_KIND_NOTIFIED);
  return Status::Ok();
}

Status ApplyObjectToClaim(ActionContext& c, const pb::ObjectToClaim& a) {
  Result<ClaimInCase> found = LoadClaimInOpenCase(c.state, a.claim_id());
  if (!found.ok()) return found.status();
  pb::Claim& claim = found->claim;
  Result<pb::CaseCreditor> objector =
      LoadCreditorActedFor(c, a.objector_creditor_id(), "objector_creditor_id");
  if (!objector.ok()) return objector.status();
  if (objector->case_id() != claim.case_id()) {
    return Status(pb::Status::UNAUTHORIZED,
                  "objector_creditor_id " + objector->id() + " is a creditor of another case");
  }
  if (claim.status() != pb::CLAIM_STATUS_NOTIFIED && claim.status() != pb::CLAIM_STATUS_OBJECTED) {
    return NotInStatus(claim, "objections follow a review-result notice");
  }
  if (c.block.time_ms > claim.objection_deadline_ms()) {
    return Status(pb::Status::FAILED_PRECONDITION,
                  "the objection window of claim_id " + claim.id() + " closed at " +
                      std::to_string(claim.objection_deadline_ms()) + " (block time " +
                      std::to_string(c.block.time_ms) + ")");
  }
  for (const pb::Objection& earlier : claim.objections()) {
    if (earlier.objector_creditor_id() == objector->id()) {
      return Status(pb::Status::ALREADY_EXISTS,
                    "objector_creditor_id " + objector->id() + " already objected to this claim");
    }
  }
  if (claim.objections_size() >= kObjectionsPerClaimMax) {
    return Status(pb::Status::TOO_LARGE, "claim_id " + claim.id() + " has too many objections");
  }
  pb::Objection* objection = claim.add_objections();
  objection->set_objector_creditor_id(objector->id());
  objection->set_objector_account_id(c.signer.id());
  objection->set_reasons(a.reasons());
  *objection->mutable_attachments() = a.attachments();
  objection->set_height(c.block.height);
  objection->set_time_ms(c.block.time_ms);
  claim.set_status(pb::CLAIM_STATUS_OBJECTED);
  StoreClaimAfter(c, claim, pb::CLAIM_EVENT_KIND_OBJECTED);
  return Status::Ok();
}

Status ApplySetTemporaryVotingAmount(ActionContext& c, const pb::SetTemporaryVotingAmount& a) {
  Result<ClaimInCase> found = LoadClaimInOpenCase(c.state, a.claim_id());
  if (!found.ok()) return found.status();
  if (Status st = RequireCaseJudge(c, found->record); !st.ok()) return st;
  pb::Claim& claim = found->claim;
  if (claim.status() == pb::CLAIM_STATUS_CONFIRMED || claim.status() == pb::CLAIM_STATUS_WITHDRAWN) {
    return NotInStatus(claim, "a temporary amount is for an undetermined claim (EBL 59)");
  }
  if (a.amount() > claim.declared_total()) {
    return Invalid("amount", "exceeds the declared total of " +
                                 std::to_string(claim.declared_total()) + " fen");
  }
  claim.set_has_temporary_voting_amount(a.amount() > 0);
  claim.set_temporary_voting_amount(a.amount());
  StoreClaimAfter(c, claim, pb::CLAIM_EVENT_KIND_TEMPORARY_AMOUNT_SET);
  return Status::Ok();
}

// Undisputed: the objection window is over with no objection, or a re-review answered the
// objections (whoever still disputes it sues; the court then leaves the claim out).
Status CheckUndisputed(const ActionContext& c, const pb::Claim& claim) {
  bool window_over_unopposed = claim.status() == pb::CLAIM_STATUS_NOTIFIED &&
                               c.block.time_ms > claim.objection_deadline_ms();
  if (!window_over_unopposed && claim.status() != pb::CLAIM_STATUS_RE_REVIEWED) {
    return NotInStatus(claim, "only an undisputed claim whose objection window is over is "
                              "confirmed (EBL 58)");
  }
  if (claim.review().outcome() == pb::REVIEW_OUTCOME_REJECTED) {
    return NotInStatus(claim, "it was rejected in full and has nothing to confirm");
  }
  return Status::Ok();
}

Status ApplyConfirmClaims(ActionContext& c, const pb::ConfirmClaims& a) {
  Result<pb::Case> record = LoadOpenCase(c.state, a.case_id());
  if (!record.ok()) return record.status();
  if (Status st = RequireCaseJudge(c, *record); !st.ok()) return st;
  if (record->first_meeting_ms() == 0 || c.block.time_ms < record->first_meeting_ms()) {
    return Status(pb::Status::FAILED_PRECONDITION,
                  "case_id " + a.case_id() + ": claims are confirmed after the first meeting has "
                  "verified the claim form (EBL 58)");
  }
  std::set<std::string> seen;
  for (const std::string& id : a.claim_ids()) {
    if (!seen.insert(id).second) return Invalid("claim_ids", "repeat " + id);
    std::optional<pb::Claim> claim = LoadClaim(c.state, id);
    if (!claim || claim->case_id() != a.case_id()) {
      return Status(pb::Status::NOT_FOUND, "claim_ids: " + id + " is no claim of the case");
    }
    if (Status st = CheckUndisputed(c, *claim); !st.ok()) return st;
    claim->set_status(pb::CLAIM_STATUS_CONFIRMED);
    claim->set_confirmed_height(c.block.height);
    StoreClaimAfter(c, *claim, pb::CLAIM_EVENT_KIND_CONFIRMED);
  }
  *c.changed_id = a.case_id();
  return Status::Ok();
}

Status PrecheckReviewClaim(const pb::ReviewClaim& a) {
  if (a.components_size() > kComponentsMax + kTaxItemsMax * 4) {
    return Status(pb::Status::TOO_LARGE, "components has too many entries");
  }
  for (int i = 0; i < a.components_size(); ++i) {
    if (Status st = CheckOptionalText("components[" + std::to_string(i) + "].reason",
                                      a.components(i).reason(), kTextBytesMax);
        !st.ok()) {
      return st;
    }
  }
  if (Status st = CheckOptionalText("collateral_id", a.collateral_id(), kShortTextBytesMax);
      !st.ok()) {
    return st;
  }
  return CheckOptionalText("reasons", a.reasons(), kTextBytesMax);
}

Status PrecheckObjection(const pb::ObjectToClaim& a) {
  if (Status st = CheckText("reasons", a.reasons(), kTextBytesMax); !st.ok()) return st;
  return CheckAttachments("attachments", a.attachments());
}

}  // namespace

Status PrecheckReviewAction(const pb::TxBody& body) {
  switch (body.action_case()) {
    case pb::TxBody::kRequestMaterial:
      return CheckText("what", body.request_material().what(), kTextBytesMax);
    case pb::TxBody::kReviewClaim:
      return PrecheckReviewClaim(body.review_claim());
    case pb::TxBody::kSendReviewNotice:
      if (body.send_review_notice().objection_deadline_ms() < 0) {
        return Invalid("objection_deadline_ms", "must not be negative");
      }
      return CheckText("claim_id", body.send_review_notice().claim_id(), kShortTextBytesMax);
    case pb::TxBody::kObjectToClaim:
      return PrecheckObjection(body.object_to_claim());
    case pb::TxBody::kSetTemporaryVotingAmount:
      return CheckAmount("amount", body.set_temporary_voting_amount().amount());
    case pb::TxBody::kConfirmClaims: {
      int count = body.confirm_claims().claim_ids_size();
      if (count == 0) return Invalid("claim_ids", "are required");
      if (count > kClaimsPerConfirmationMax) {
        return Status(pb::Status::TOO_LARGE, "claim_ids lists more than " +
                                                 std::to_string(kClaimsPerConfirmationMax));
      }
      return Status::Ok();
    }
    default:
      return Status(pb::Status::MALFORMED, "not a review action");
  }
}

Status ApplyReviewAction(ActionContext& c, const pb::TxBody& body) {
  switch (body.action_case()) {
    case pb::TxBody::kRequestMaterial:
      return ApplyRequestMaterial(c, body.request_material());
    case pb::TxBody::kReviewClaim:
      return ApplyReviewClaim(c, body.review_claim());
    case pb::TxBody::kSendReviewNotice:
      return ApplySendReviewNotice(c, body.send_review_notice());
    case pb::TxBody::kObjectToClaim:
      return ApplyObjectToClaim(c, body.object_to_claim());
    case pb::TxBody::kSetTemporaryVotingAmount:
      return ApplySetTemporaryVotingAmount(c, body.set_temporary_voting_amount());
    case pb::TxBody::kConfirmClaims:
      return ApplyConfirmClaims(c, body.confirm_claims());
    default:
      return Status(pb::Status::MALFORMED, "not a review action");
  }
}

}  // namespace onechain::contracts::workflow
