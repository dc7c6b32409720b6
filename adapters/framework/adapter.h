// The department adapter framework: a process beside a department's node that hears what the
// chain addresses to its organization (notices to its creditor entries) and acts on it, signed
// with one officer's key. A department supplies a Department; the framework supplies polling from
// a durable cursor, nonces, batched submission, waiting for commits and crash safety.
//
// Exactly-once acts across restarts rest on three rules:
//  - the cursor (the highest notice height fully handled) is saved only after the acts for every
//    notice up to it are committed, so a restart never misses a notice;
//  - every act is checked against committed state before it is built (a Department sees the
//    notice's acknowledgement and the claims its entries hold), so re-handling repeats nothing;
//  - the hashes of submitted transactions are journaled before submission, and after a restart
//    the framework waits until each is committed or gone before it reads state, so an act still
//    pending in the node's mempool is never built twice.
#pragma once

#include <atomic>
#include <memory>
#include <string>
#include <vector>

#include "api.pb.h"
#include "case.pb.h"
#include "claims.pb.h"
#include "crypto/crypto.h"
#include "events.pb.h"
#include "privacy.pb.h"
#include "tx.pb.h"
#include "util/status.h"

namespace onechain::adapters {

// Committed state as the officer's signed reads show it, at the start of one round.
struct ChainView {
  pb::ClaimList my_claims;  // the claims the organization's entries hold, and the entries
  const pb::CaseCreditor* Entry(const std::string& creditor_id) const;
  // The claim `creditor_id` holds and has not withdrawn, if any.
  const pb::Claim* LiveClaimOf(const std::string& creditor_id) const;
};

class NodeClient;

// What a department does with one notice: the actions to submit (TxBody with only its action
// set; the framework fills in chain, signer, nonce and expiry). Returning an error leaves the
// notice for the next round (the cursor does not pass it).
class Department {
 public:
  virtual ~Department() = default;
  virtual Status OnNotice(const pb::Notice& notice, const ChainView& view, NodeClient& node,
                          std::vector<pb::TxBody>& actions) = 0;
  // An event heard on GET /v1/events (framework/event_listener.h), before the round it wakes.
  // Acts still come from OnNotice: events only make the adapter act at once, and let a
  // department prepare (e.g. read its records of a case's debtor as soon as the case is
  // accepted). The default does nothing.
  virtual void OnEvent(const pb::Event& event, NodeClient& node);
  // A data request to the organization still waiting for its answer (GET /v1/me/grants, status
  // REQUESTED): the actions that answer it (an AnswerRecords), or none to leave it to an
  // officer. Asked again each round until committed state shows it answered, revoked or expired;
  // an error is logged and the request asked again next round. The default answers nothing.
  virtual Status OnDataRequest(const pb::Grant& grant, NodeClient& node,
                               std::vector<pb::TxBody>& actions);
};

// The event types an adapter listens for: a case accepted, a notice to one of the
// organization's entries, a claim of theirs reviewed or asked for material, an entry listed.
// and a data request to the organization ("data.requested").
const std::vector<std::string>& AdapterEventTypes();

// Reads and writes of the node's REST API as the officer.
class NodeClient {
 public:
  NodeClient(std::string base_url, const crypto::PrivateKey& key);
  const crypto::PrivateKey& key() const { return key_; }

  Result<pb::Health> Health();
  Result<uint64_t> CommittedNonce();
  Result<pb::NoticeList> MyNotices();
  Result<pb::ClaimList> MyClaims();
  Result<pb::Case> GetCase(const std::string& case_id);
  Result<pb::TxStatus> TxStatus(const std::string& hash_hex, int wait_ms);
  // The data requests asked of the organization (GET /v1/me/grants).
  Result<pb::GrantList> MyGrants();
  Result<pb::Account> GetAccount(const std::string& account_id);
  // Uploads encrypted bytes (signed PUT /v1/blobs/{hash}); `hash` is the suite hash of `bytes`.
  Status PutBlob(const std::string& hash, const std::string& bytes);

  // Signs `actions` with consecutive nonces after the committed one, journals their hashes to
  // `journal_path` (if not empty), submits them in batches of up to 1,000 and waits until each is
  // committed. Returns one TxStatus per action, in order (REJECTED with the node's code for one
  // refused at admission).
  Result<std::vector<pb::TxStatus>> SubmitAndWait(const std::vector<pb::TxBody>& actions,
                                                  const std::string& journal_path);

 private:
  std::string base_url_;
  const crypto::PrivateKey& key_;
};

struct AdapterOptions {
  std::string node_url = "http://127.0.0.1:8080";
  std::string state_dir;      // cursor and journal live here
  int poll_interval_ms = 200;  // between idle rounds; with events, a fallback only
  bool listen_events = true;   // hold GET /v1/events open and start a round at each event
  bool once = false;          // one round, then return (for tools and tests)
};

// The durable cursor: the highest notice height fully handled (0 if none yet).
Result<uint64_t> LoadCursor(const std::string& state_dir);
Status SaveCursor(const std::string& state_dir, uint64_t height);

// The officer's key from a PKCS#8 PEM file, decrypted with the passphrase in the environment
// variable `passphrase_env` (none if it is unset).
Result<std::unique_ptr<crypto::PrivateKey>> LoadKeyFile(const std::string& path,
                                                        const std::string& passphrase_env);

// Writes `content` to `path` through a synced temporary file and a rename.
Status WriteFileAtomically(const std::string& path, const std::string& content);

// Runs rounds until `stop` is set (or one round if options.once). A round: settle journaled
// transactions, read notices newer than the cursor, let `department` build actions for them in
// height order, submit them, then advance the cursor to the height before the first notice whose
// handling or acts failed transiently (or to the newest notice).
Status RunAdapter(const AdapterOptions& options, const crypto::PrivateKey& key,
                  Department& department, const std::atomic<bool>& stop);

}  // namespace onechain::adapters
