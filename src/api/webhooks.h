// Per-organization webhooks: an organization's admin registers a URL and gets a secret; the node
// POSTs every event the organization may see (node/events.h, node::OrgViewer) from the
// registration on, in ledger order, one event per request:
//
//   POST <url>
//   Content-Type: application/json          the Event (events.proto) in protobuf's JSON mapping
//   OneChain-Event-Id: <height>.<index>
//   OneChain-Event-Type: claim.declared
//   OneChain-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>." ‖ body)>
//
// where the HMAC key is the secret's hex text as ASCII bytes. A receiver checks v1 in constant
// time and refuses a t far from its clock. A 2xx answer delivers the event; anything else (or no
// answer in 10 s) is retried after 0.5 s, 1 s, 2 s, … up to 60 s between tries, for ever: the
// next event waits, so the order holds. The cursor (the last event delivered) is saved durably
// after each delivery, so a restarted node resumes after it: an event may be delivered twice
// (crash between the answer and the save), never skipped; receivers dedupe by OneChain-Event-Id.
//
// Files in the webhook directory: <org>.reg (WebhookRegistration), <org>.cursor (event id).
#pragma once

#include <atomic>
#include <condition_variable>
#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "events.pb.h"
#include "node/node.h"

namespace onechain::api {

inline constexpr size_t kWebhookLogMax = 200;
inline constexpr size_t kWebhookUrlBytesMax = 2000;
inline constexpr int64_t kWebhookBackoffFirstMs = 500;
inline constexpr int64_t kWebhookBackoffMaxMs = 60'000;

// Protobuf's JSON mapping with every field printed, as the API answers (events, webhook bodies).
std::string MessageJson(const google::protobuf::Message& message);

// "t=<t>,v1=<hex>" for `body` at `unix_seconds`.
std::string WebhookSignature(const std::string& secret, int64_t unix_seconds,
                             const std::string& body);

class WebhookService {
 public:
  WebhookService(node::Node& node, std::string dir);
  ~WebhookService();
  // Loads the registrations in the directory and starts their delivery.
  Status Start();
  void Stop();

  // Registers `url` for `org_id` (replacing its webhook, with a new secret); an empty url removes
  // it. Delivery starts after the current height.
  Result<pb::WebhookRegistration> Register(const std::string& org_id, const std::string& url);
  Result<pb::WebhookDeliveryLog> Log(const std::string& org_id);

 private:
  struct Hook;
  void Deliver(Hook& hook);
  Status Save(const Hook& hook);

  node::Node& node_;
  std::string dir_;
  std::mutex mu_;
  std::map<std::string, std::unique_ptr<Hook>> hooks_;  // by org; guarded by mu_
  std::atomic<bool> stopping_{false};
};

}  // namespace onechain::api
