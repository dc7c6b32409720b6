// Routes outside server.cc's core: the event stream, webhooks and response-time figures.
//
//   GET  /v1/events                  server-sent events (node/events.h), filtered by who asks:
//                                    unsigned: public events; signed (request_auth.h) or with
//                                    ?token=: also the caller's. ?case=ID&types=a,b narrows them;
//                                    Last-Event-ID (or ?after=ID) resumes after that event.
//   POST /v1/events/token            signed: a token for ?token= (EventSource cannot sign), valid
//                                    kEventTokenTtlMs, for the account that signed
//   POST /v1/me/webhook              signed by an org admin: registers (or, with an empty url,
//                                    removes) its organization's webhook; answers the secret
//   GET  /v1/me/webhook/deliveries   signed by an org admin: its webhook's recent deliveries
//   GET  /v1/stats/response-times    public: department response times (node/response_times.h)
//
// A stream holds one server thread: at most kEventStreamsMax run at once (503 UNAVAILABLE
// beyond, with Retry-After). Each turn writes at most kEventsPerWrite events read from the ledger,
// straight to the socket, so nothing queues per connection: a client that reads slower than the
// write timeout (5 s) is dropped and resumes with Last-Event-ID. A comment line (": heartbeat")
// goes out every heartbeat_ms (default 15,000) when nothing else did.
#pragma once

#include <httplib.h>

#include <atomic>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>

#include "api/webhooks.h"
#include "node/node.h"

namespace onechain::api {

inline constexpr size_t kEventStreamsMax = 24;
inline constexpr size_t kEventsPerWrite = 256;
inline constexpr int64_t kEventTokenTtlMs = 10 * 60'000;
inline constexpr size_t kEventTokensMax = 10'000;
inline constexpr int64_t kHeartbeatMsDefault = 15'000;

// What the routes need from the server: the node, how to register a route (so that the OpenAPI
// test sees it), and who signed a request.
struct RouteContext {
  node::Node& node;
  std::function<void(const std::string& method, const std::string& documented_path,
                     const char* pattern, httplib::Server::Handler handler)>
      route;
  std::function<Result<std::optional<pb::Account>>(const httplib::Request&)> authenticate;
};

class EventRoutes {
 public:
  explicit EventRoutes(RouteContext context);
  ~EventRoutes();
  // Keeps webhook registrations and delivery cursors in `dir` and starts delivering.
  Status EnableWebhooks(const std::string& dir);
  // Ends every stream and stops webhook delivery; call before the HTTP server stops.
  void Stop();

 private:
  void Register();
  void Stream(const httplib::Request& req, httplib::Response& res);
  Result<std::optional<pb::Account>> Caller(const httplib::Request& req);

  RouteContext context_;
  std::atomic<bool> stopping_{false};
  std::atomic<size_t> streams_{0};
  std::mutex tokens_mu_;
  std::unordered_map<std::string, std::pair<std::string, int64_t>> tokens_;  // -> account, expiry
  std::unique_ptr<WebhookService> webhooks_;
};

}  // namespace onechain::api
