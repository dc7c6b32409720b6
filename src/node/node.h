// A OneChain node: admission of signed transactions, the block producer, and the queries the
// API serves. Today one validator orders blocks alone (SoloProducer); the BFT engine will take
// the producer's place and use the same Chain.
#pragma once

#include <atomic>
#include <condition_variable>
#include <deque>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <unordered_map>

#include "api.pb.h"
#include "node/case_search.h"
#include "node/chain.h"
#include "node/envelope.h"
#include "node/read_policy.h"
#include "queries.pb.h"
#include "contracts/queries.h"
#include "util/metrics.h"
#include "ledger/blob_store.h"
#include "privacy.pb.h"

namespace onechain::node {

inline constexpr int64_t kBlockIntervalMs = 100;
inline constexpr size_t kRecentRejectionsMax = 10'000;
inline constexpr int64_t kCommitWaitMsMax = 30'000;
// A granted record is served for this long after the reader's access record (docs/privacy.md).
inline constexpr int64_t kGrantReadWindowMs = 10 * 60'000;
inline constexpr size_t kGrantsListMax = 1000;

struct Config {
  std::string data_dir;
  std::string genesis_path;
  std::string validator_key_path;
  std::string key_passphrase;
  // host:port the peer links listen on when genesis names several validators; empty: the
  // address genesis gives this validator.
  std::string peer_listen;
};

class BftDriver;
class CheckpointCertifier;

class Node {
 public:
  // Opens (or creates from genesis) the chain in config.data_dir and loads the validator key,
  // which must be one of genesis's validators.
  static Result<std::unique_ptr<Node>> Open(const Config& config);
  ~Node();

  // Starts and stops the block producer thread.
  void Start();
  void Stop();

  // Admission: decode with limits, chain and suite, signature, signer, authorization, expiry,
  // duplicates and nonce; then queue. Returns the transaction hash.
  Result<std::string> Submit(std::string_view envelope_bytes);
  // Admission of many envelopes at once: the same checks as Submit for each, in order (so one
  // signer's consecutive nonces may travel in one batch), with the commit lock taken once.
  // One result per envelope: its hash or why it was refused.
  std::vector<Result<std::string>> SubmitBatch(const std::vector<std::string_view>& envelopes);

  // Status of a transaction by hash; waits up to `wait_ms` for a pending one to commit.
  Result<pb::TxStatus> GetTxStatus(std::string_view hash, int64_t wait_ms);
  Result<pb::BlockView> GetBlock(uint64_t height) const;
  Result<pb::Account> GetAccount(std::string_view account_id) const;
  Result<pb::Account> GetAccountByKey(std::string_view public_key) const;
  Result<pb::OrgList> ListOrgs() const;
  // Public case records (DOMAIN.md privacy class "public").
  Result<pb::Case> GetCase(std::string_view case_id) const;
  // Public case search (node/case_search.h).
  Result<pb::CaseList> SearchCases(const CaseQuery& query) const;
  pb::Health Health() const;

  // Reads of the bankruptcy workflow (contracts/queries.h), each on one snapshot of committed
  // state and filtered by node/read_policy.h for `caller` (null: an unsigned request). A record
  // the caller may not read is NOT_FOUND exactly as a missing one.
  Result<pb::ClaimForm> GetClaimForm(const pb::Account* caller, std::string_view case_id,
                                     contracts::Page page) const;                      // case
  Result<pb::Claim> GetClaim(const pb::Account* caller, std::string_view claim_id) const;  // party
  Result<pb::ClaimHistory> GetClaimHistory(const pb::Account* caller,
                                           std::string_view claim_id) const;  // party
  Result<pb::CaseCreditorList> ListCaseCreditors(const pb::Account* caller,
                                                 std::string_view case_id,
                                                 contracts::Page page) const;  // case
  Result<pb::PlanList> ListCasePlans(const pb::Account* caller, std::string_view case_id,
                                     contracts::Page page) const;  // case
  Result<pb::PlanView> GetPlan(const pb::Account* caller, std::string_view plan_id) const;  // case
  Result<pb::DistributionDetail> PreviewDistribution(
      const pb::Account* caller, const pb::ProposeDistribution& input) const;  // case
  // Own: the caller's notices, and the claims its creditor entries hold now.
  Result<pb::NoticeList> GetMyNotices(const pb::Account* caller) const;
  Result<pb::ClaimList> GetMyClaims(const pb::Account* caller) const;
  // Public.
  Result<pb::MeetingList> ListCaseMeetings(std::string_view case_id, contracts::Page page) const;
  Result<pb::RecruitmentList> ListCaseRecruitments(std::string_view case_id,
                                                   contracts::Page page) const;
  // Every recruitment notice, in id order, from after `page_token` (a previous reply's
  // next_page_token; empty for the first page).
  Result<pb::RecruitmentList> ListRecruitments(std::string_view page_token,
                                               uint32_t page_size) const;

  uint64_t height() const;
  // Waits up to `wait_ms` for the committed height to pass `height`; returns the height then
  // (for streams that follow new blocks: api/event_stream.h).
  uint64_t WaitForHeightAbove(uint64_t height, int64_t wait_ms);
  // Consensus state when several validators order blocks (BFT); NOT_FOUND for a single validator.
  Result<pb::ConsensusInfo> GetConsensus() const;
  // A transaction relayed by another validator: admitted like Submit, not relayed again.
  Status AdmitRelayed(std::string_view envelope_bytes);
  const Chain& chain() const { return *chain_; }
  // The certificates of executed blocks under BFT (node/checkpoint_certifier.h); nullptr for a
  // single validator, whose proposer signature certifies each block.
  const CheckpointCertifier* checkpoint_certifier() const;

  // Operators' figures in the Prometheus text format (node_metrics.cc): height, blocks and
  // transactions committed, commit latency (admission here to commit), mempool, submissions
  // refused by code, consensus round and peer links, RocksDB sizes.
  std::string RenderMetrics() const;
  // The API counts each submission's outcome here (refusals by their code).
  void CountSubmission(const Status& outcome);

  // Encrypted materials and data grants (node_reads.cc, docs/privacy.md).
  // Stores ciphertext under its hash: HASH_MISMATCH when `bytes` do not hash to `hash_hex`,
  // TOO_LARGE beyond the blob limit. Idempotent.
  Result<pb::BlobPutResponse> PutBlob(std::string_view hash_hex, std::string_view bytes);
  // The ciphertext, only to a caller who may read a record referencing it (a reader its data key
  // is wrapped for, or who submitted it; for a grant's record, a reader of the live grant with an
  // access record of the last kGrantReadWindowMs); NotFound("blob") otherwise, as for no blob.
  Result<std::string> GetBlob(const pb::Account* caller, std::string_view hash_hex,
                              int64_t now_ms) const;
  // BLOB_MISSING when the action references a material this node does not hold.
  Status CheckBlobsHeld(const pb::TxBody& body) const;
  Result<pb::RecordTypeList> GetRecordTypes(std::string_view org_id) const;  // public
  // A grant: to its readers (court, administrator) and its department's officers.
  Result<pb::Grant> GetGrant(const pb::Account* caller, std::string_view grant_id) const;
  // The grants asked of the caller's department (own).
  Result<pb::GrantList> GetMyGrants(const pb::Account* caller) const;
  // A grant's access records: to its department's officers and the case's court.
  Result<pb::AccessRecordList> ListGrantAccess(const pb::Account* caller,
                                               std::string_view grant_id,
                                               contracts::Page page) const;

 private:
  friend class BftDriver;
  Node(std::unique_ptr<Chain> chain, std::unique_ptr<crypto::PrivateKey> validator_key);
  // The checks of admission that need no committed state: decoding, chain, suite, signature.
  struct Prepared {
    std::string hash;
    DecodedTx decoded;
  };
  Result<Prepared> Prepare(std::string_view envelope_bytes);
  // The checks against committed state and the mempool, and the queueing; commit_mu_ held.
  Result<std::string> Admit(std::string_view envelope_bytes, Prepared prepared);
  void ProduceLoop();
  // Executes and commits one batch; returns false if the node must stop.
  bool ProduceBlock(std::vector<mempool::PendingTx>& batch);
  void RememberRejection(const std::string& hash, const Status& status);
  void ForgetRejection(const std::string& hash);
  Result<pb::TxStatus> CommittedStatus(const std::string& hash) const;

  std::unique_ptr<Chain> chain_;
  std::unique_ptr<crypto::PrivateKey> validator_key_;
  mempool::Mempool mempool_;

  // Admission holds it while it reads committed state and queues (signature checks run before,
  // outside it); the producer holds it while it commits a block and releases the block's mempool
  // reservations, so that a transaction can never be admitted again against a stale nonce.
  // A plain mutex on purpose: a reader-preferring rwlock let steady admission starve commits.
  std::mutex commit_mu_;
  std::atomic<uint64_t> height_{0};  // committed height, readable without the lock
  std::mutex height_mu_;
  std::condition_variable height_changed_;  // signalled after each commit
  uint64_t commits_ = 0;                     // guarded by height_mu_

  std::mutex rejections_mu_;
  std::unordered_map<std::string, Status> rejections_;  // guarded by rejections_mu_
  std::deque<std::string> rejection_order_;              // guarded by rejections_mu_

  // Metrics (node_metrics.cc). Admission times wait in admitted_at_us_ (guarded by commit_mu_,
  // bounded) until the transaction commits.
  void NoteAdmitted(const std::string& hash);
  // After a block commits, commit_mu_ held: its transactions' latency from admission here.
  void ObserveCommitted(const std::vector<mempool::PendingTx>& txs);
  void ObserveCommitted(const std::vector<std::string>& hashes);
  void ObserveCommittedHash(const std::string& hash, int64_t now_us);
  std::unordered_map<std::string, int64_t> admitted_at_us_;
  util::Counter submissions_admitted_;
  util::LabeledCounter submissions_refused_;
  util::Counter blocks_committed_;
  util::Counter txs_committed_;
  util::Histogram commit_latency_{util::LatencyBuckets()};

  std::atomic<bool> running_{false};
  std::thread producer_;
  std::unique_ptr<BftDriver> bft_;  // set when genesis names more than one validator
  std::unique_ptr<ledger::BlobStore> blobs_;  // <data dir>/blobs: materials' ciphertext
};

}  // namespace onechain::node
