#include "framework/adapter.h"

#include <fcntl.h>
#include <google/protobuf/util/json_util.h>
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <deque>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <thread>

#include "cli/client.h"
#include "framework/event_listener.h"
#include "node/envelope.h"
#include "util/bytes.h"

namespace onechain::adapters {

namespace {

constexpr size_t kBatchMax = 1'000;
// Blocks an act may wait for inclusion: long enough for a busy node, short enough that a
// journaled transaction a crashed adapter left behind settles soon after a restart.
constexpr uint64_t kValidForBlocks = 2'000;
constexpr int kWaitSliceMs = 10'000;
constexpr int kEventsHeardPerTurn = 16;

template <typename T>
Result<T> ParseJson(const std::string& json) {
  T message;
  google::protobuf::util::JsonParseOptions options;
  options.ignore_unknown_fields = true;
  auto status = google::protobuf::util::JsonStringToMessage(json, &message, options);
  if (!status.ok()) {
    return Status(pb::Status::MALFORMED, "cannot parse the node's " + message.GetTypeName() + ": " +
                                             std::string(status.message()));
  }
  return message;
}

bool IsTransient(pb::Status::Code code) {
  switch (code) {
    case pb::Status::NONCE_REPLAYED:
    case pb::Status::NONCE_SKIPPED:
    case pb::Status::DUPLICATE:
    case pb::Status::MEMPOOL_FULL:
    case pb::Status::EXPIRED:
    case pb::Status::IO:
    case pb::Status::UNAVAILABLE:
    case pb::Status::INTERNAL:
      return true;
    default:
      return false;
  }
}

std::string JournalPath(const std::string& state_dir) { return state_dir + "/journal"; }

Result<std::vector<std::string>> ReadJournal(const std::string& state_dir) {
  std::vector<std::string> hashes;
  std::ifstream in(JournalPath(state_dir));
  if (!in) return hashes;
  std::string line;
  while (std::getline(in, line)) {
    if (line.size() == 64 && FromHex(line)) hashes.push_back(line);
  }
  return hashes;
}

}  // namespace

void Department::OnEvent(const pb::Event&, NodeClient&) {}

const std::vector<std::string>& AdapterEventTypes() {
  static const std::vector<std::string> kTypes = {"case.accepted", "creditor.listed", "notice.sent",
                                                  "claim.material_requested",
                                                  "claim.review_notice_sent", "data.requested"};
  return kTypes;
}

const pb::CaseCreditor* ChainView::Entry(const std::string& creditor_id) const {
  for (const pb::CaseCreditor& entry : my_claims.creditors()) {
    if (entry.id() == creditor_id) return &entry;
  }
  return nullptr;
}

const pb::Claim* ChainView::LiveClaimOf(const std::string& creditor_id) const {
  for (const pb::Claim& claim : my_claims.claims()) {
    if (claim.creditor_id() == creditor_id && claim.status() != pb::CLAIM_STATUS_WITHDRAWN) {
      return &claim;
    }
  }
  return nullptr;
}

Result<std::unique_ptr<crypto::PrivateKey>> LoadKeyFile(const std::string& path,
                                                        const std::string& passphrase_env) {
  std::ifstream in(path);
  if (!in) return Status(pb::Status::IO, "cannot read " + path);
  std::stringstream pem;
  pem << in.rdbuf();
  const char* passphrase = std::getenv(passphrase_env.c_str());
  return crypto::PrivateKeyFromPem(pem.str(), passphrase ? passphrase : "");
}

Status WriteFileAtomically(const std::string& path, const std::string& content) {
  const std::string tmp = path + ".tmp";
  int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0) return Status(pb::Status::IO, "cannot write " + tmp);
  size_t done = 0;
  while (done < content.size()) {
    ssize_t n = ::write(fd, content.data() + done, content.size() - done);
    if (n <= 0) {
      ::close(fd);
      return Status(pb::Status::IO, "cannot write " + tmp);
    }
    done += static_cast<size_t>(n);
  }
  if (::fsync(fd) != 0 || ::close(fd) != 0) return Status(pb::Status::IO, "cannot sync " + tmp);
  if (::rename(tmp.c_str(), path.c_str()) != 0) {
    return Status(pb::Status::IO, "cannot rename " + tmp + " to " + path);
  }
  std::string dir = std::filesystem::path(path).parent_path().string();
  int dir_fd = ::open(dir.empty() ? "." : dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dir_fd >= 0) {
    ::fsync(dir_fd);
    ::close(dir_fd);
  }
  return Status::Ok();
}

Result<uint64_t> LoadCursor(const std::string& state_dir) {
  std::ifstream in(state_dir + "/cursor");
  if (!in) return uint64_t{0};
  uint64_t height = 0;
  if (!(in >> height)) {
    return Status(pb::Status::MALFORMED, state_dir + "/cursor does not hold a height");
  }
  return height;
}

Status SaveCursor(const std::string& state_dir, uint64_t height) {
  return WriteFileAtomically(state_dir + "/cursor", std::to_string(height) + "\n");
}

NodeClient::NodeClient(std::string base_url, const crypto::PrivateKey& key)
    : base_url_(std::move(base_url)), key_(key) {}

// A fresh connection per request: the node answers later requests on a kept-alive connection
// about 40 ms late (tests/test_cluster.h, NodeApi).
Result<pb::Health> NodeClient::Health() {
  auto json = cli::ApiClient(base_url_).GetJson("/v1/health");
  if (!json.ok()) return json.status();
  return ParseJson<pb::Health>(*json);
}

Result<uint64_t> NodeClient::CommittedNonce() {
  auto json = cli::ApiClient(base_url_).GetJson("/v1/keys/" + ToHex(key_.public_key()));
  if (!json.ok()) return json.status();
  auto account = ParseJson<pb::Account>(*json);
  if (!account.ok()) return account.status();
  return account->nonce();
}

Result<pb::NoticeList> NodeClient::MyNotices() {
  cli::ApiClient client(base_url_);
  client.SignReadsWith(&key_);
  auto json = client.GetJson("/v1/me/notices");
  if (!json.ok()) return json.status();
  return ParseJson<pb::NoticeList>(*json);
}

Result<pb::ClaimList> NodeClient::MyClaims() {
  cli::ApiClient client(base_url_);
  client.SignReadsWith(&key_);
  auto json = client.GetJson("/v1/me/claims");
  if (!json.ok()) return json.status();
  return ParseJson<pb::ClaimList>(*json);
}

Result<pb::GrantList> NodeClient::MyGrants() {
  cli::ApiClient client(base_url_);
  client.SignReadsWith(&key_);
  auto json = client.GetJson("/v1/me/grants");
  if (!json.ok()) return json.status();
  return ParseJson<pb::GrantList>(*json);
}

Result<pb::Account> NodeClient::GetAccount(const std::string& account_id) {
  auto json = cli::ApiClient(base_url_).GetJson("/v1/accounts/" + account_id);
  if (!json.ok()) return json.status();
  return ParseJson<pb::Account>(*json);
}

Status NodeClient::PutBlob(const std::string& hash, const std::string& bytes) {
  cli::ApiClient client(base_url_);
  client.SignReadsWith(&key_);
  auto reply = client.PutSigned("/v1/blobs/" + ToHex(hash), bytes);
  if (!reply.ok()) return reply.status();
  if (reply->status != 201) {
    return Status(pb::Status::UNAVAILABLE, "the node refused the upload (HTTP " +
                                               std::to_string(reply->status) + "): " + reply->body);
  }
  return Status::Ok();
}

Result<pb::Case> NodeClient::GetCase(const std::string& case_id) {
  auto json = cli::ApiClient(base_url_).GetJson("/v1/cases/" + case_id);
  if (!json.ok()) return json.status();
  return ParseJson<pb::Case>(*json);
}

Result<pb::TxStatus> NodeClient::TxStatus(const std::string& hash_hex, int wait_ms) {
  auto reply =
      cli::ApiClient(base_url_).Get("/v1/tx/" + hash_hex + "?wait_ms=" + std::to_string(wait_ms));
  if (!reply.ok()) return reply.status();
  if (reply->status == 404) {
    pb::TxStatus gone;
    gone.set_hash(hash_hex);
    gone.set_state(pb::TxStatus::REJECTED);
    gone.set_code(pb::Status::NOT_FOUND);
    gone.set_message("the node knows no such transaction");
    return gone;
  }
  if (reply->status != 200) return cli::StatusFromErrorBody(*reply);
  return ParseJson<pb::TxStatus>(reply->body);
}

Result<std::vector<pb::TxStatus>> NodeClient::SubmitAndWait(const std::vector<pb::TxBody>& actions,
                                                            const std::string& journal_path) {
  std::vector<pb::TxStatus> out(actions.size());
  if (actions.empty()) return out;
  auto health = Health();
  if (!health.ok()) return health.status();
  auto nonce = CommittedNonce();
  if (!nonce.ok()) return nonce.status();
  std::vector<std::string> envelopes;
  std::vector<std::string> hashes;
  std::string journal;
  const crypto::Suite& suite = *crypto::GetSuite(key_.suite());
  for (size_t i = 0; i < actions.size(); ++i) {
    pb::TxBody body = actions[i];
    body.set_chain_id(health->chain_id());
    body.set_suite(key_.suite());
    body.set_signer(key_.public_key());
    body.set_nonce(*nonce + 1 + i);
    body.set_valid_until_height(health->height() + kValidForBlocks);
    envelopes.push_back(node::SignEnvelope(key_, body));
    pb::SignedTx envelope;
    envelope.ParseFromString(envelopes.back());
    hashes.push_back(ToHex(node::TxHash(suite, envelope)));
    journal += hashes.back() + "\n";
  }
  if (!journal_path.empty()) {
    if (Status st = WriteFileAtomically(journal_path, journal); !st.ok()) return st;
  }
  for (size_t start = 0; start < envelopes.size(); start += kBatchMax) {
    pb::SubmitBatchRequest request;
    size_t end = std::min(envelopes.size(), start + kBatchMax);
    for (size_t i = start; i < end; ++i) request.add_txs(envelopes[i]);
    auto reply = cli::ApiClient(base_url_).PostBinary("/v1/txs", request.SerializeAsString());
    if (!reply.ok()) return reply.status();
    if (reply->status != 200) return cli::StatusFromErrorBody(*reply);
    auto response = ParseJson<pb::SubmitBatchResponse>(reply->body);
    if (!response.ok()) return response.status();
    if (response->results_size() != static_cast<int>(end - start)) {
      return Status(pb::Status::INTERNAL, "the node answered a batch with the wrong count");
    }
    for (size_t i = start; i < end; ++i) {
      const pb::SubmitResult& result = response->results(static_cast<int>(i - start));
      out[i].set_hash(hashes[i]);
      if (result.code() != pb::Status::OK) {
        out[i].set_state(pb::TxStatus::REJECTED);
        out[i].set_code(result.code());
        out[i].set_message(result.message());
      } else {
        out[i].set_state(pb::TxStatus::PENDING);
      }
    }
  }
  // One signer's transactions commit in nonce order: wait for the last admitted one first, then
  // read the others, which are committed by then.
  for (size_t k = out.size(); k-- > 0;) {
    if (out[k].state() != pb::TxStatus::PENDING) continue;
    for (;;) {
      auto status = TxStatus(hashes[k], kWaitSliceMs);
      if (!status.ok()) return status.status();
      out[k] = *status;
      if (out[k].state() != pb::TxStatus::PENDING) break;
    }
  }
  if (!journal_path.empty()) ::unlink(journal_path.c_str());
  return out;
}

namespace {

// After a crash: waits until every journaled transaction is committed or unknown to the node.
Status SettleJournal(const std::string& state_dir, NodeClient& node) {
  auto hashes = ReadJournal(state_dir);
  if (!hashes.ok()) return hashes.status();
  for (const std::string& hash : *hashes) {
    for (;;) {
      auto status = node.TxStatus(hash, kWaitSliceMs);
      if (!status.ok()) return status.status();
      if (status->state() != pb::TxStatus::PENDING) break;
    }
  }
  if (!hashes->empty()) {
    spdlog::info("settled {} transactions journaled before a restart", hashes->size());
    ::unlink(JournalPath(state_dir).c_str());
  }
  return Status::Ok();
}

// One round; returns the number of notices handled.
Result<size_t> RunRound(const AdapterOptions& options, NodeClient& node, Department& department) {
  if (Status st = SettleJournal(options.state_dir, node); !st.ok()) return st;
  auto cursor = LoadCursor(options.state_dir);
  if (!cursor.ok()) return cursor.status();
  auto notices = node.MyNotices();
  if (!notices.ok()) return notices.status();
  std::vector<const pb::Notice*> fresh;
  for (const pb::Notice& notice : notices->notices()) {
    if (notice.sent_height() > *cursor) fresh.push_back(&notice);
  }
  if (fresh.empty()) return size_t{0};
  std::stable_sort(fresh.begin(), fresh.end(), [](const pb::Notice* a, const pb::Notice* b) {
    return a->sent_height() < b->sent_height();
  });
  ChainView view;
  auto claims = node.MyClaims();
  if (!claims.ok()) return claims.status();
  view.my_claims = std::move(*claims);

  uint64_t newest = fresh.back()->sent_height();
  uint64_t first_unfinished = UINT64_MAX;  // height of the first notice to handle again
  std::vector<pb::TxBody> actions;
  std::vector<uint64_t> action_height;
  for (const pb::Notice* notice : fresh) {
    std::vector<pb::TxBody> mine;
    Status st = department.OnNotice(*notice, view, node, mine);
    if (!st.ok()) {
      spdlog::warn("notice {} (case {}): {}", notice->id(), notice->case_id(), st.ToString());
      if (IsTransient(st.code()))
        first_unfinished = std::min(first_unfinished, notice->sent_height());
      continue;
    }
    for (pb::TxBody& body : mine) {
      actions.push_back(std::move(body));
      action_height.push_back(notice->sent_height());
    }
  }
  auto results = node.SubmitAndWait(actions, JournalPath(options.state_dir));
  if (!results.ok()) return results.status();
  for (size_t i = 0; i < results->size(); ++i) {
    const pb::TxStatus& status = (*results)[i];
    if (status.state() == pb::TxStatus::COMMITTED && status.code() == pb::Status::OK) continue;
    spdlog::warn("act for a notice at height {} failed: {} {}", action_height[i],
                 pb::Status::Code_Name(status.code()), status.message());
    if (IsTransient(status.code()) || status.state() != pb::TxStatus::COMMITTED) {
      first_unfinished = std::min(first_unfinished, action_height[i]);
    }
  }
  uint64_t next = first_unfinished == UINT64_MAX ? newest : first_unfinished - 1;
  if (next > *cursor) {
    if (Status st = SaveCursor(options.state_dir, next); !st.ok()) return st;
  }
  spdlog::info("handled {} notices, submitted {} acts, cursor at height {}", fresh.size(),
               actions.size(), std::max(next, *cursor));
  return fresh.size();
}

// The data requests still waiting for an answer: the department's acts for each, submitted and
// awaited. Committed state is the only record of what was answered (a request answered shows
// ANSWERED), and the journal covers acts still pending after a crash. Returns how many acted.
Result<size_t> RunDataRequests(const AdapterOptions& options, NodeClient& node,
                               Department& department) {
  if (Status st = SettleJournal(options.state_dir, node); !st.ok()) return st;
  auto grants = node.MyGrants();
  if (!grants.ok()) return grants.status();
  std::vector<pb::TxBody> actions;
  std::vector<std::string> action_grant;
  for (const pb::Grant& grant : grants->grants()) {
    if (grant.status() != pb::GRANT_STATUS_REQUESTED) continue;
    std::vector<pb::TxBody> mine;
    if (Status st = department.OnDataRequest(grant, node, mine); !st.ok()) {
      spdlog::warn("data request {} (case {}): {}", grant.id(), grant.case_id(), st.ToString());
      continue;
    }
    for (pb::TxBody& body : mine) {
      actions.push_back(std::move(body));
      action_grant.push_back(grant.id());
    }
  }
  if (actions.empty()) return size_t{0};
  auto results = node.SubmitAndWait(actions, JournalPath(options.state_dir));
  if (!results.ok()) return results.status();
  for (size_t i = 0; i < results->size(); ++i) {
    const pb::TxStatus& status = (*results)[i];
    if (status.state() == pb::TxStatus::COMMITTED && status.code() == pb::Status::OK) continue;
    spdlog::warn("answer to data request {} failed: {} {}", action_grant[i],
                 pb::Status::Code_Name(status.code()), status.message());
  }
  spdlog::info("answered data requests with {} acts", actions.size());
  return actions.size();
}

}  // namespace

Status Department::OnDataRequest(const pb::Grant&, NodeClient&, std::vector<pb::TxBody>&) {
  return Status::Ok();
}

Status RunAdapter(const AdapterOptions& options, const crypto::PrivateKey& key,
                  Department& department, const std::atomic<bool>& stop) {
  std::error_code ec;
  std::filesystem::create_directories(options.state_dir, ec);
  if (ec) return Status(pb::Status::IO, "cannot create " + options.state_dir + ": " + ec.message());
  NodeClient node(options.node_url, key);
  std::unique_ptr<EventListener> listener;
  if (options.listen_events && !options.once) {
    listener = std::make_unique<EventListener>(options.node_url, key, AdapterEventTypes());
    listener->Start();
  }
  std::deque<pb::Event> to_hear;  // events the department has not heard yet
  while (!stop.load()) {
    auto handled = RunRound(options, node, department);
    if (!handled.ok()) spdlog::warn("round failed: {}", handled.status().ToString());
    if (auto answered = RunDataRequests(options, node, department); !answered.ok()) {
      spdlog::warn("data requests: {}", answered.status().ToString());
    } else if (handled.ok()) {
      *handled += *answered;
    }
    if (options.once) return handled.ok() ? Status::Ok() : handled.status();
    if (listener) {
      // Another round at once if this one acted or a notice-like event came, else when an event
      // comes or the poll is due. The department hears events a few at a time between rounds,
      // so that preparing for a thousand new cases never delays answering a notice.
      if (handled.ok() && *handled > 0) {
        for (pb::Event& event : listener->Wait(0, stop)) to_hear.push_back(std::move(event));
        continue;
      }
      bool busy = !to_hear.empty();
      for (;;) {
        std::vector<pb::Event> heard = listener->Wait(busy ? 0 : options.poll_interval_ms, stop);
        bool wake = false;
        for (pb::Event& event : heard) {
          wake |= event.type() != "case.accepted";
          to_hear.push_back(std::move(event));
        }
        if (wake || stop.load() || (!busy && heard.empty())) break;
        for (int i = 0; i < kEventsHeardPerTurn && !to_hear.empty(); ++i) {
          department.OnEvent(to_hear.front(), node);
          to_hear.pop_front();
        }
        busy = !to_hear.empty();
        if (!busy && heard.empty()) break;
      }
      continue;
    }
    if (handled.ok() && *handled > 0) continue;
    for (int slept = 0; slept < options.poll_interval_ms && !stop.load(); slept += 20) {
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
  }
  return Status::Ok();
}

}  // namespace onechain::adapters
