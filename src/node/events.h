// Events: what the chain's committed transactions mean to the people who may see them. Each
// committed transaction whose action succeeded and that concerns a case makes one event, named
// by its place in the ledger ("<height>.<index>"), so that events are ordered, replayable from
// the blocks alone, and a reader resumes after the last id it saw. Who sees an event follows
// node/read_policy.h: the event of a public record goes to anyone; of a case record (creditor
// list, plans, distributions, confirmations) to the case's readers; of a party record (a notice,
// a claim, a ballot) to the court, the administrator and the creditor entry it concerns; and
// its signer always sees its own act. Governance acts (accounts, roster) make no event.
//
// Adding a type (e.g. "data.requested" when departments answer data requests) is one line in
// ClassifyTx's table and one in kEventTypes; the stream, the filters and webhooks follow.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "block.pb.h"
#include "contracts/state.h"
#include "events.pb.h"
#include "governance.pb.h"
#include "node/read_policy.h"
#include "tx.pb.h"
#include "util/status.h"

namespace onechain::node {

class Chain;

// Every event type, sorted.
const std::set<std::string>& EventTypes();

// A place in the ledger: events strictly after (height, index) follow it. {0, 0} is the start.
struct EventCursor {
  uint64_t height = 0;
  uint32_t index = 0;
  bool operator==(const EventCursor&) const = default;
};
std::string EventId(const EventCursor& cursor);
// "<height>.<index>" (also accepts "<height>" alone: after the whole block). Nullopt if malformed.
std::optional<EventCursor> ParseEventId(std::string_view id);

struct ClassifiedEvent {
  pb::Event event;
  PrivacyClass privacy = PrivacyClass::kPublic;
  // Set for a data grant's event: seen by the grant's readers (contracts::MayReadGrant) and the
  // department's officers (contracts::IsGrantDepartment) only.
  std::string grant_id;
};

// The event a committed transaction makes, if any: nullopt for a failed action or an action that
// concerns no case. `state` is committed state (to find a record's case and creditor entry).
std::optional<ClassifiedEvent> ClassifyTx(const contracts::StateReader& state,
                                          const pb::TxBody& body, const pb::Receipt& receipt);

// Whether `viewer` may see `event`, by node/read_policy.h. `viewer` is null for the public.
bool MaySee(const contracts::StateReader& state, const pb::Account* viewer,
            const ClassifiedEvent& event);

// The account-like view an organization's webhook sees through: what its judges, clerks,
// administrator members and department officers may see (its own bound entries aside).
pb::Account OrgViewer(std::string_view org_id);

struct EventFilter {
  std::string case_id;          // empty: every case
  std::set<std::string> types;  // empty: every type
  bool Matches(const pb::Event& event) const;
};

struct EventPage {
  std::vector<pb::Event> events;
  EventCursor next;  // where the scan stopped: give it back to go on
};

// Reads the events after `after` that `viewer` may see (nullopt viewer: the public) and that
// match `filter`, from committed blocks up to `up_to` (inclusive), at most `limit` events and at
// most `blocks_max` blocks scanned; `next` passes blocks with nothing visible, so a reader never
// rescans them. The viewer is reloaded from state: an account revoked since sees public events.
Result<EventPage> ReadEvents(const Chain& chain, const std::optional<pb::Account>& viewer,
                             const EventCursor& after, const EventFilter& filter, size_t limit,
                             uint64_t up_to, uint64_t blocks_max);

}  // namespace onechain::node
