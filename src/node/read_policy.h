// Who may read what: DOMAIN.md's privacy classes, in one place. Every read route of the API
// names the class of what it returns and asks MayRead; the answer depends only on the caller's
// relation to the case and record, gathered from state by RelationTo.
//
//   public  anyone, signed or not: case records, meetings and their resolutions, recruitment
//   case    the case's court (judges and clerks of the court organization), members of the firm
//           appointed as its administrator now, and accounts that act for a creditor entry of
//           the case: the claim form, review results, the creditor list, plans, distributions
//   party   a claim's own creditor (who acts for its current holder), the administrator, the
//           court: the claim, its declaration and evidence, its history
//   own     the signed caller's own records: its notices and claims
//
// A refused read is indistinguishable from a read of nothing: both are NotFound(kind), whose
// message does not even repeat the id asked for, so that replies for an existing record the
// caller may not read and for a made-up id are the same bytes.
#pragma once

#include <string_view>

#include "case.pb.h"
#include "claims.pb.h"
#include "contracts/state.h"
#include "governance.pb.h"
#include "util/status.h"

namespace onechain::node {

enum class PrivacyClass { kPublic, kCase, kParty, kOwn };

// What the caller is to the case (and, for party records, to the record's creditor entry).
struct CallerRelation {
  bool authenticated = false;  // a verified, active account signed the request
  bool court = false;          // judge or clerk of the case's court
  bool administrator = false;  // member of the firm appointed to the case now
  bool case_creditor = false;  // acts for some creditor entry of the case
  bool party = false;          // acts for the record's own creditor entry
};

// The rule: whether a caller so related may read a record of `privacy`.
bool MayRead(PrivacyClass privacy, const CallerRelation& relation);

// The caller's relation to `record` (and to `party`, the record's own creditor entry, for party
// records), from its account and state. `caller` is null for an unsigned request. Reads only
// what `privacy` needs: the case-creditor lookup (which reads the caller's creditor entries) is
// made only for the case class and only when court and administrator do not already decide it.
CallerRelation RelationTo(const contracts::StateReader& state, const pb::Account* caller,
                          const pb::Case& record, PrivacyClass privacy,
                          const pb::CaseCreditor* party = nullptr);

// Whether a caller who may read a case's creditor list also sees the creditors' identity
// numbers, addresses and bound accounts (court and administrator), or only names and kinds.
bool SeesCreditorIdentities(const CallerRelation& relation);
// Clears what SeesCreditorIdentities withholds.
void RedactCreditorIdentity(pb::CaseCreditor& creditor);

// The one answer for a missing record and for a record the caller may not read.
Status NotFound(std::string_view kind);

}  // namespace onechain::node
