#include "api/webhooks.h"

#include <fcntl.h>
#include <google/protobuf/util/json_util.h>
#include <httplib.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "node/events.h"
#include "util/bytes.h"

namespace onechain::api {

namespace {

int64_t NowMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

Status WriteDurably(const std::string& path, const std::string& content) {
  std::string tmp = path + ".tmp";
  int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
  if (fd < 0) return Status(pb::Status::IO, "cannot write " + tmp);
  bool ok = ::write(fd, content.data(), content.size()) == static_cast<ssize_t>(content.size()) &&
            ::fsync(fd) == 0;
  ::close(fd);
  if (!ok || ::rename(tmp.c_str(), path.c_str()) != 0) {
    return Status(pb::Status::IO, "cannot write " + path);
  }
  return Status::Ok();
}

std::optional<std::string> ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::nullopt;
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

// http(s)://host[:port][/path], printable, no spaces: the URL's scheme-host-port and path.
Result<std::pair<std::string, std::string>> SplitUrl(const std::string& url) {
  auto bad = [&](const std::string& why) {
    return Status(pb::Status::INVALID_ARGUMENT, "url " + why + "; give http(s)://host[:port]/path");
  };
  if (url.size() > kWebhookUrlBytesMax) return bad("is too long");
  for (char c : url) {
    if (c <= ' ' || c == 0x7f) return bad("holds a space or a control character");
  }
  size_t scheme_end = url.find("://");
  if (scheme_end == std::string::npos) return bad("has no scheme");
  std::string scheme = url.substr(0, scheme_end);
  if (scheme != "http" && scheme != "https") return bad("is not http or https");
  size_t path_start = url.find('/', scheme_end + 3);
  std::string host =
      url.substr(scheme_end + 3,
                 path_start == std::string::npos ? std::string::npos : path_start - scheme_end - 3);
  if (host.empty() || host.find('@') != std::string::npos) return bad("has no plain host");
  return std::make_pair(scheme + "://" + host,
                        path_start == std::string::npos ? "/" : url.substr(path_start));
}

}  // namespace

std::string MessageJson(const google::protobuf::Message& message) {
  google::protobuf::util::JsonPrintOptions options;
  options.always_print_primitive_fields = true;
  std::string out;
  (void)google::protobuf::util::MessageToJsonString(message, &out, options);
  return out;
}

std::string WebhookSignature(const std::string& secret, int64_t unix_seconds,
                             const std::string& body) {
  std::string message = std::to_string(unix_seconds) + "." + body;
  unsigned char mac[EVP_MAX_MD_SIZE];
  unsigned int mac_len = 0;
  HMAC(EVP_sha256(), secret.data(), static_cast<int>(secret.size()),
       reinterpret_cast<const unsigned char*>(message.data()), message.size(), mac, &mac_len);
  return "t=" + std::to_string(unix_seconds) +
         ",v1=" + ToHex(std::string(reinterpret_cast<const char*>(mac), mac_len));
}

struct WebhookService::Hook {
  pb::WebhookRegistration registration;
  node::EventCursor cursor;
  std::deque<pb::WebhookDelivery> log;  // guarded by the service's mu_
  std::atomic<bool> removed{false};
  std::mutex wake_mu;
  std::condition_variable wake;
  std::thread thread;
};

WebhookService::WebhookService(node::Node& node, std::string dir)
    : node_(node), dir_(std::move(dir)) {}

WebhookService::~WebhookService() { Stop(); }

Status WebhookService::Start() {
  std::error_code error;
  std::filesystem::create_directories(dir_, error);
  if (error) return Status(pb::Status::IO, "cannot create " + dir_ + ": " + error.message());
  std::lock_guard lock(mu_);
  for (const auto& file : std::filesystem::directory_iterator(dir_, error)) {
    if (file.path().extension() != ".reg") continue;
    auto hook = std::make_unique<Hook>();
    std::optional<std::string> bytes = ReadFile(file.path().string());
    if (!bytes || !hook->registration.ParseFromString(*bytes)) {
      return Status(pb::Status::IO, "cannot read webhook " + file.path().string());
    }
    std::string cursor_path = dir_ + "/" + hook->registration.org_id() + ".cursor";
    std::optional<std::string> cursor = ReadFile(cursor_path);
    std::optional<node::EventCursor> parsed = cursor ? node::ParseEventId(*cursor) : std::nullopt;
    if (!parsed) return Status(pb::Status::IO, "cannot read " + cursor_path);
    hook->cursor = *parsed;
    Hook& ref = *hook;
    hooks_[hook->registration.org_id()] = std::move(hook);
    ref.thread = std::thread([this, &ref] { Deliver(ref); });
  }
  return Status::Ok();
}

void WebhookService::Stop() {
  if (stopping_.exchange(true)) return;
  std::map<std::string, std::unique_ptr<Hook>> hooks;
  {
    std::lock_guard lock(mu_);
    hooks.swap(hooks_);
  }
  for (auto& [org, hook] : hooks) {
    hook->wake.notify_all();
    if (hook->thread.joinable()) hook->thread.join();
  }
}

Status WebhookService::Save(const Hook& hook) {
  return WriteDurably(dir_ + "/" + hook.registration.org_id() + ".cursor",
                      node::EventId(hook.cursor));
}

Result<pb::WebhookRegistration> WebhookService::Register(const std::string& org_id,
                                                         const std::string& url) {
  if (!url.empty()) {
    if (Result<std::pair<std::string, std::string>> split = SplitUrl(url); !split.ok()) {
      return split.status();
    }
  }
  std::unique_ptr<Hook> old;
  {
    std::lock_guard lock(mu_);
    auto it = hooks_.find(org_id);
    if (it != hooks_.end()) {
      old = std::move(it->second);
      hooks_.erase(it);
    }
  }
  if (old) {
    old->removed = true;
    old->wake.notify_all();
    if (old->thread.joinable()) old->thread.join();
  }
  std::error_code error;
  if (url.empty()) {
    std::filesystem::remove(dir_ + "/" + org_id + ".reg", error);
    std::filesystem::remove(dir_ + "/" + org_id + ".cursor", error);
    pb::WebhookRegistration removed;
    removed.set_org_id(org_id);
    return removed;
  }
  auto hook = std::make_unique<Hook>();
  std::string secret(32, '\0');
  if (RAND_bytes(reinterpret_cast<unsigned char*>(secret.data()), 32) != 1) {
    return Status(pb::Status::INTERNAL, "no random bytes for the secret");
  }
  hook->registration.set_org_id(org_id);
  hook->registration.set_url(url);
  hook->registration.set_secret(ToHex(secret));
  hook->registration.set_created_ms(NowMs());
  hook->cursor = {node_.height(), UINT32_MAX};  // from the next block on
  if (Status st = Save(*hook); !st.ok()) return st;
  if (Status st =
          WriteDurably(dir_ + "/" + org_id + ".reg", hook->registration.SerializeAsString());
      !st.ok()) {
    return st;
  }
  pb::WebhookRegistration answer = hook->registration;
  std::lock_guard lock(mu_);
  if (stopping_) return Status(pb::Status::UNAVAILABLE, "the node is stopping");
  Hook& ref = *hook;
  hooks_[org_id] = std::move(hook);
  ref.thread = std::thread([this, &ref] { Deliver(ref); });
  return answer;
}

Result<pb::WebhookDeliveryLog> WebhookService::Log(const std::string& org_id) {
  std::lock_guard lock(mu_);
  auto it = hooks_.find(org_id);
  if (it == hooks_.end()) {
    return Status(pb::Status::NOT_FOUND, "your organization has no webhook");
  }
  pb::WebhookDeliveryLog log;
  log.set_url(it->second->registration.url());
  log.set_cursor(node::EventId(it->second->cursor));
  for (const pb::WebhookDelivery& d : it->second->log) *log.add_deliveries() = d;
  return log;
}

void WebhookService::Deliver(Hook& hook) {
  auto split = SplitUrl(hook.registration.url());
  if (!split.ok()) return;
  const auto& [origin, path] = *split;
  const std::optional<pb::Account> viewer = node::OrgViewer(hook.registration.org_id());
  auto live = [&] { return !stopping_ && !hook.removed; };
  // Sleeps up to `ms` unless the hook is stopped; false once stopped.
  auto pause = [&](int64_t ms) {
    std::unique_lock lock(hook.wake_mu);
    hook.wake.wait_for(lock, std::chrono::milliseconds(ms), [&] { return !live(); });
    return live();
  };
  while (live()) {
    uint64_t up_to = node_.height();
    Result<node::EventPage> page =
        node::ReadEvents(node_.chain(), viewer, hook.cursor, {}, 64, up_to, 1024);
    if (!page.ok()) {
      spdlog::error("webhook {}: {}", hook.registration.org_id(), page.status().ToString());
      if (!pause(1000)) return;
      continue;
    }
    for (const pb::Event& event : page->events) {
      std::string body = MessageJson(event);
      int64_t backoff = kWebhookBackoffFirstMs;
      for (uint32_t attempt = 1;; ++attempt) {
        if (!live()) return;
        httplib::Client client(origin);
        client.set_connection_timeout(5);
        client.set_read_timeout(10);
        client.set_write_timeout(10);
        int64_t seconds = NowMs() / 1000;
        httplib::Headers headers = {
            {"OneChain-Event-Id", event.id()},
            {"OneChain-Event-Type", event.type()},
            {"OneChain-Signature", WebhookSignature(hook.registration.secret(), seconds, body)}};
        auto answer = client.Post(path.c_str(), headers, body, "application/json");
        pb::WebhookDelivery delivery;
        delivery.set_event_id(event.id());
        delivery.set_attempt(attempt);
        delivery.set_time_ms(NowMs());
        if (answer) {
          delivery.set_http_status(answer->status);
          delivery.set_delivered(answer->status >= 200 && answer->status < 300);
          if (!delivery.delivered())
            delivery.set_error("answered HTTP " + std::to_string(answer->status));
        } else {
          delivery.set_error("no answer: " + httplib::to_string(answer.error()));
        }
        {
          std::lock_guard lock(mu_);
          hook.log.push_back(delivery);
          while (hook.log.size() > kWebhookLogMax) hook.log.pop_front();
        }
        if (delivery.delivered()) break;
        if (!pause(backoff)) return;
        backoff = std::min(backoff * 2, kWebhookBackoffMaxMs);
      }
      auto cursor = node::ParseEventId(event.id());
      {
        std::lock_guard lock(mu_);
        hook.cursor = *cursor;
      }
      if (Status st = Save(hook); !st.ok()) {
        spdlog::error("webhook {}: {}", hook.registration.org_id(), st.ToString());
      }
    }
    bool moved = !(page->next == hook.cursor);
    {
      std::lock_guard lock(mu_);
      hook.cursor = page->next;
    }
    if (moved) (void)Save(hook);
    if (page->events.empty() && hook.cursor.height >= up_to) {
      node_.WaitForHeightAbove(up_to, 500);
    }
  }
}

}  // namespace onechain::api
