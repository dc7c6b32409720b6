#include "api/event_routes.h"

#include <google/protobuf/util/json_util.h>
#include <openssl/rand.h>

#include <chrono>
#include <set>

#include "api/server.h"
#include "node/events.h"
#include "node/response_times.h"
#include "util/bytes.h"

namespace onechain::api {

namespace {

void Send(httplib::Response& res, const google::protobuf::Message& message, int status = 200) {
  res.status = status;
  res.set_content(MessageJson(message), "application/json");
}

void SendError(httplib::Response& res, const Status& status) {
  pb::ErrorBody body;
  body.set_code(status.code());
  body.set_message(status.message());
  Send(res, body, HttpStatusFor(status.code()));
}

int64_t NowMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

Status Invalid(const std::string& message) { return Status(pb::Status::INVALID_ARGUMENT, message); }

Status CheckKnown(const httplib::Request& req, const std::set<std::string>& known) {
  for (const auto& [name, value] : req.params) {
    if (!known.contains(name)) {
      std::string names;
      for (const std::string& k : known) names += (names.empty() ? "" : ", ") + k;
      return Invalid("unknown parameter '" + name.substr(0, 40) + "'; use " + names);
    }
  }
  return Status::Ok();
}

bool IsCaseId(const std::string& id) {
  return id.size() == 32 && id.find_first_not_of("0123456789abcdef") == std::string::npos;
}

// ?case= and ?types= of the stream.
Result<node::EventFilter> FilterFrom(const httplib::Request& req) {
  node::EventFilter filter;
  if (req.has_param("case")) {
    filter.case_id = req.get_param_value("case");
    if (!IsCaseId(filter.case_id)) return Invalid("case is a case id: 32 hex digits");
  }
  if (req.has_param("types")) {
    std::string types = req.get_param_value("types");
    size_t start = 0;
    while (start <= types.size()) {
      size_t comma = types.find(',', start);
      std::string type = types.substr(start, comma == std::string::npos ? comma : comma - start);
      if (!node::EventTypes().contains(type)) {
        std::string known;
        for (const std::string& t : node::EventTypes()) known += (known.empty() ? "" : ", ") + t;
        return Invalid("types is a comma-separated list of event types; '" + type.substr(0, 40) +
                       "' is none of " + known);
      }
      filter.types.insert(type);
      if (comma == std::string::npos) break;
      start = comma + 1;
    }
  }
  return filter;
}

// Webhooks are an organization admin's.
Status RequireOrgAdmin(const std::optional<pb::Account>& caller, const std::string& what) {
  if (!caller) {
    return Status(pb::Status::UNAUTHENTICATED, "sign the request as your organization's admin");
  }
  bool is_admin = false;
  for (int role : caller->roles()) is_admin |= role == pb::ROLE_ORG_ADMIN;
  if (!is_admin || caller->org_id().empty()) {
    return Status(pb::Status::UNAUTHORIZED, "only an organization's admin " + what);
  }
  return Status::Ok();
}

std::string RandomHex(size_t bytes) {
  std::string raw(bytes, '\0');
  if (RAND_bytes(reinterpret_cast<unsigned char*>(raw.data()), static_cast<int>(bytes)) != 1) {
    return "";
  }
  return ToHex(raw);
}

// One stream's place and what it writes.
struct StreamState {
  std::optional<pb::Account> viewer;
  node::EventFilter filter;
  node::EventCursor cursor;
  int64_t heartbeat_ms = kHeartbeatMsDefault;
  std::chrono::steady_clock::time_point last_write;
  bool opened = false;
};

std::string EventFrame(const pb::Event& event) {
  return "id: " + event.id() + "\nevent: " + event.type() + "\ndata: " + MessageJson(event) +
         "\n\n";
}

}  // namespace

EventRoutes::EventRoutes(RouteContext context) : context_(std::move(context)) { Register(); }

EventRoutes::~EventRoutes() { Stop(); }

Status EventRoutes::EnableWebhooks(const std::string& dir) {
  webhooks_ = std::make_unique<WebhookService>(context_.node, dir);
  return webhooks_->Start();
}

void EventRoutes::Stop() {
  stopping_ = true;
  if (webhooks_) webhooks_->Stop();
}

// The caller of a stream: ?token= (from POST /v1/events/token) or a request signature, not both.
Result<std::optional<pb::Account>> EventRoutes::Caller(const httplib::Request& req) {
  if (!req.has_param("token")) return context_.authenticate(req);
  if (!req.get_header_value("Signature").empty()) {
    return Invalid("give either a token or a request signature, not both");
  }
  std::string account_id;
  {
    std::lock_guard lock(tokens_mu_);
    auto it = tokens_.find(req.get_param_value("token"));
    if (it == tokens_.end() || it->second.second < NowMs()) {
      return Status(pb::Status::UNAUTHENTICATED,
                    "the token is unknown or expired; get a new one with POST /v1/events/token");
    }
    account_id = it->second.first;
  }
  Result<pb::Account> account = context_.node.GetAccount(account_id);
  if (!account.ok() || account->status() != pb::ACCOUNT_STATUS_ACTIVE) {
    return Status(pb::Status::REVOKED_SIGNER, "the token's account is no longer active");
  }
  return std::optional<pb::Account>(std::move(*account));
}

void EventRoutes::Register() {
  using httplib::Request;
  using httplib::Response;
  context_.route("GET", "/v1/events", "/v1/events",
                 [this](const Request& req, Response& res) { Stream(req, res); });
  context_.route(
      "POST", "/v1/events/token", "/v1/events/token", [this](const Request& req, Response& res) {
        Result<std::optional<pb::Account>> caller = context_.authenticate(req);
        if (!caller.ok()) return SendError(res, caller.status());
        if (!caller->has_value()) {
          return SendError(
              res, Status(pb::Status::UNAUTHENTICATED, "sign the request with your account key"));
        }
        pb::EventToken token;
        token.set_token(RandomHex(24));
        token.set_expires_ms(NowMs() + kEventTokenTtlMs);
        std::lock_guard lock(tokens_mu_);
        std::erase_if(tokens_, [](const auto& entry) { return entry.second.second < NowMs(); });
        if (tokens_.size() >= kEventTokensMax || token.token().empty()) {
          return SendError(
              res, Status(pb::Status::UNAVAILABLE, "too many live tokens; try again later"));
        }
        tokens_[token.token()] = {(*caller)->id(), token.expires_ms()};
        Send(res, token);
      });
  context_.route(
      "POST", "/v1/me/webhook", "/v1/me/webhook", [this](const Request& req, Response& res) {
        Result<std::optional<pb::Account>> caller = context_.authenticate(req);
        if (!caller.ok()) return SendError(res, caller.status());
        if (Status st = RequireOrgAdmin(*caller, "registers its webhook"); !st.ok()) {
          return SendError(res, st);
        }
        const pb::Account* admin = &**caller;
        if (!webhooks_) {
          return SendError(
              res, Status(pb::Status::FAILED_PRECONDITION, "this node does not deliver webhooks"));
        }
        pb::WebhookRequest body;
        if (!google::protobuf::util::JsonStringToMessage(req.body, &body).ok()) {
          return SendError(
              res, Status(pb::Status::MALFORMED, "the body is not JSON of a WebhookRequest"));
        }
        Result<pb::WebhookRegistration> reg = webhooks_->Register(admin->org_id(), body.url());
        if (!reg.ok()) return SendError(res, reg.status());
        Send(res, *reg, body.url().empty() ? 200 : 201);
      });
  context_.route(
      "GET", "/v1/me/webhook/deliveries", "/v1/me/webhook/deliveries",
      [this](const Request& req, Response& res) {
        if (Status st = CheckKnown(req, {}); !st.ok()) return SendError(res, st);
        Result<std::optional<pb::Account>> caller = context_.authenticate(req);
        if (!caller.ok()) return SendError(res, caller.status());
        if (Status st = RequireOrgAdmin(*caller, "reads its webhook's deliveries"); !st.ok()) {
          return SendError(res, st);
        }
        if (!webhooks_) {
          return SendError(
              res, Status(pb::Status::FAILED_PRECONDITION, "this node does not deliver webhooks"));
        }
        Result<pb::WebhookDeliveryLog> log = webhooks_->Log((*caller)->org_id());
        if (!log.ok()) return SendError(res, log.status());
        Send(res, *log);
      });
  context_.route("GET", "/v1/stats/response-times", "/v1/stats/response-times",
                 [this](const Request& req, Response& res) {
                   if (Status st = CheckKnown(req, {"case", "org"}); !st.ok()) {
                     return SendError(res, st);
                   }
                   std::string case_id = req.get_param_value("case");
                   std::string org = req.get_param_value("org");
                   if (req.has_param("case") && !IsCaseId(case_id)) {
                     return SendError(res, Invalid("case is a case id: 32 hex digits"));
                   }
                   if (req.has_param("org") && (org.empty() || org.size() > 40)) {
                     return SendError(res, Invalid("org is an organization id"));
                   }
                   Result<pb::ResponseTimeReport> report =
                       node::ComputeResponseTimes(context_.node.chain(), case_id, org);
                   if (!report.ok()) return SendError(res, report.status());
                   Send(res, *report);
                 });
}

void EventRoutes::Stream(const httplib::Request& req, httplib::Response& res) {
  if (Status st = CheckKnown(req, {"case", "types", "after", "token", "heartbeat_ms"}); !st.ok()) {
    return SendError(res, st);
  }
  auto state = std::make_shared<StreamState>();
  Result<node::EventFilter> filter = FilterFrom(req);
  if (!filter.ok()) return SendError(res, filter.status());
  state->filter = std::move(*filter);
  std::string after = req.get_header_value("Last-Event-ID");
  if (after.empty()) after = req.get_param_value("after");
  if (!after.empty()) {
    std::optional<node::EventCursor> cursor = node::ParseEventId(after);
    if (!cursor) {
      return SendError(res, Invalid("Last-Event-ID (or after) is an event id: HEIGHT.INDEX"));
    }
    state->cursor = *cursor;
  }
  if (req.has_param("heartbeat_ms")) {
    const std::string& text = req.get_param_value("heartbeat_ms");
    char* end = nullptr;
    long long ms = std::strtoll(text.c_str(), &end, 10);
    if (text.empty() || *end != '\0' || ms < 500 || ms > 60'000) {
      return SendError(res, Invalid("heartbeat_ms is 500 to 60000"));
    }
    state->heartbeat_ms = ms;
  }
  Result<std::optional<pb::Account>> caller = Caller(req);
  if (!caller.ok()) return SendError(res, caller.status());
  state->viewer = std::move(*caller);
  if (streams_.fetch_add(1) >= kEventStreamsMax) {
    streams_.fetch_sub(1);
    res.set_header("Retry-After", "5");
    return SendError(res, Status(pb::Status::UNAVAILABLE,
                                 "too many event streams are open on this node; retry later"));
  }
  res.set_header("Cache-Control", "no-cache");
  res.set_header("X-Accel-Buffering", "no");
  node::Node& node = context_.node;
  res.set_chunked_content_provider(
      "text/event-stream",
      [this, state, &node](size_t, httplib::DataSink& sink) {
        auto write = [&](const std::string& text) {
          state->last_write = std::chrono::steady_clock::now();
          return sink.write(text.data(), text.size());
        };
        if (!state->opened) {
          state->opened = true;
          if (!write("retry: 2000\n: open at height " + std::to_string(node.height()) + "\n\n")) {
            return false;
          }
        }
        if (stopping_) {
          sink.done();
          return true;
        }
        uint64_t up_to = node.height();
        Result<node::EventPage> page =
            node::ReadEvents(node.chain(), state->viewer, state->cursor, state->filter,
                             kEventsPerWrite, up_to, 4 * kEventsPerWrite);
        if (!page.ok()) return false;
        bool moved = !(page->next == state->cursor);
        for (const pb::Event& event : page->events) {
          if (!write(EventFrame(event))) return false;
        }
        state->cursor = page->next;
        bool caught_up = state->cursor.height >= up_to && state->cursor.index == UINT32_MAX;
        if (moved && !caught_up) return true;  // more to read now
        auto since = std::chrono::steady_clock::now() - state->last_write;
        int64_t quiet_ms = std::chrono::duration_cast<std::chrono::milliseconds>(since).count();
        if (quiet_ms >= state->heartbeat_ms) {
          if (!write(": heartbeat\n\n")) return false;
          quiet_ms = 0;
        }
        if (!sink.is_writable()) return false;
        node.WaitForHeightAbove(up_to, std::min<int64_t>(state->heartbeat_ms - quiet_ms, 500));
        return true;
      },
      [this](bool) { streams_.fetch_sub(1); });
}

}  // namespace onechain::api
