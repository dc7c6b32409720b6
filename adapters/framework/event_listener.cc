#include "framework/event_listener.h"

#include <google/protobuf/util/json_util.h>
#include <httplib.h>
#include <spdlog/spdlog.h>

#include <chrono>

#include "api.pb.h"
#include "api/request_auth.h"

namespace onechain::adapters {

namespace {

constexpr int kHeartbeatMs = 1'000;  // the stream's pulse: how soon a stop is noticed
constexpr int kReconnectMs = 1'000;
constexpr size_t kFrameBytesMax = 1 << 20;  // a larger frame is no event of ours: drop it

}  // namespace

std::vector<pb::Event> TakeEventFrames(std::string& buffer, const std::string& chunk) {
  buffer += chunk;
  std::vector<pb::Event> events;
  size_t start = 0;
  for (size_t end; (end = buffer.find("\n\n", start)) != std::string::npos; start = end + 2) {
    std::string_view frame(buffer.data() + start, end - start);
    std::string id, data;
    size_t line_start = 0;
    while (line_start <= frame.size()) {
      size_t line_end = frame.find('\n', line_start);
      if (line_end == std::string_view::npos) line_end = frame.size();
      std::string_view line = frame.substr(line_start, line_end - line_start);
      if (line.starts_with("id: ")) id = line.substr(4);
      if (line.starts_with("data: ")) data = line.substr(6);
      line_start = line_end + 1;
    }
    if (id.empty()) continue;
    pb::Event event;
    google::protobuf::util::JsonParseOptions options;
    options.ignore_unknown_fields = true;
    if (!google::protobuf::util::JsonStringToMessage(data, &event, options).ok() ||
        event.id() != id) {
      spdlog::warn("event {}: its data is not an event; skipped", id.substr(0, 40));
      continue;
    }
    events.push_back(std::move(event));
  }
  buffer.erase(0, start);
  if (buffer.size() > kFrameBytesMax) buffer.clear();
  return events;
}

EventListener::EventListener(std::string base_url, const crypto::PrivateKey& key,
                             std::vector<std::string> types)
    : base_url_(std::move(base_url)), key_(key), types_(std::move(types)) {}

EventListener::~EventListener() { Stop(); }

void EventListener::Start() {
  thread_ = std::thread([this] { Run(); });
}

void EventListener::Stop() {
  stop_ = true;
  heard_.notify_all();
  if (thread_.joinable()) thread_.join();
}

std::string EventListener::last_event_id() {
  std::lock_guard lock(mu_);
  return last_id_;
}

std::vector<pb::Event> EventListener::Wait(int wait_ms, const std::atomic<bool>& stop) {
  std::unique_lock lock(mu_);
  auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(wait_ms);
  while (queue_.empty() && !stop && std::chrono::steady_clock::now() < deadline) {
    heard_.wait_until(
        lock, std::min(deadline, std::chrono::steady_clock::now() + std::chrono::milliseconds(50)));
  }
  std::vector<pb::Event> out(std::make_move_iterator(queue_.begin()),
                             std::make_move_iterator(queue_.end()));
  queue_.clear();
  return out;
}

void EventListener::Run() {
  std::string types;
  for (const std::string& type : types_) types += (types.empty() ? "" : "%2C") + type;
  while (!stop_) {
    std::string resume = last_event_id();
    httplib::Client client(base_url_);
    client.set_read_timeout(std::chrono::milliseconds(5 * kHeartbeatMs));
    if (resume.empty()) {
      // First connection: from the node's height now on.
      auto health = client.Get("/v1/health");
      pb::Health parsed;
      if (!health || health->status != 200 ||
          !google::protobuf::util::JsonStringToMessage(health->body, &parsed).ok()) {
        std::this_thread::sleep_for(std::chrono::milliseconds(kReconnectMs));
        continue;
      }
      resume = std::to_string(parsed.height());
      std::lock_guard lock(mu_);
      if (last_id_.empty()) last_id_ = resume;
    }
    std::string path = "/v1/events?heartbeat_ms=" + std::to_string(kHeartbeatMs) +
                       (types.empty() ? "" : "&types=" + types);
    size_t question = path.find('?');
    int64_t now = std::chrono::duration_cast<std::chrono::seconds>(
                      std::chrono::system_clock::now().time_since_epoch())
                      .count();
    api::SignatureHeaders signature =
        api::SignRequest(key_, {"GET", path.substr(0, question), path.substr(question + 1), ""},
                         now, api::RandomNonce());
    httplib::Headers headers = {{"Content-Digest", signature.content_digest},
                                {"Signature-Input", signature.signature_input},
                                {"Signature", signature.signature},
                                {"Last-Event-ID", resume}};
    std::string buffer;
    int status = 0;
    auto result = client.Get(
        path, headers,
        [&](const httplib::Response& res) {
          status = res.status;
          return res.status == 200;
        },
        [&](const char* data, size_t length) {
          std::vector<pb::Event> events = TakeEventFrames(buffer, std::string(data, length));
          if (!events.empty()) {
            std::lock_guard lock(mu_);
            for (pb::Event& event : events) {
              last_id_ = event.id();
              queue_.push_back(std::move(event));
            }
            heard_.notify_all();
          }
          return !stop_.load();
        });
    if (stop_) break;
    spdlog::info("event stream ended (HTTP {}); reopening after {}", status,
                 resume.empty() ? "the start" : resume);
    std::this_thread::sleep_for(std::chrono::milliseconds(kReconnectMs));
  }
}

}  // namespace onechain::adapters
