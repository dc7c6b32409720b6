// How an adapter hears the chain at once: a thread holds GET /v1/events open (signed with the
// officer's key, so the stream carries the public events and those of the organization's creditor
// entries), keeps the events of the types asked for, and wakes the adapter's loop. A dropped
// stream is reopened after a second with Last-Event-ID, so nothing heard is heard twice and
// nothing is skipped; the first connection starts after the node's height at that moment (the
// adapter's round reads everything older from its durable cursor).
#pragma once

#include <atomic>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "crypto/crypto.h"
#include "events.pb.h"

namespace onechain::adapters {

// The frames of a server-sent event stream: appends `chunk` to `buffer`, removes every complete
// frame from it and returns the events among them (frames without an id, such as heartbeats,
// are skipped; so is an event whose data is not an Event).
std::vector<pb::Event> TakeEventFrames(std::string& buffer, const std::string& chunk);

class EventListener {
 public:
  // `types`: the event types to keep (e.g. "case.accepted", "notice.sent").
  EventListener(std::string base_url, const crypto::PrivateKey& key,
                std::vector<std::string> types);
  ~EventListener();
  void Start();
  void Stop();
  // Waits up to `wait_ms` (less if `stop` is set) for events; returns those heard since the last
  // call, oldest first.
  std::vector<pb::Event> Wait(int wait_ms, const std::atomic<bool>& stop);
  // Where the stream resumes: the id of the last event heard, or the height of the first
  // connection ("" before it).
  std::string last_event_id();

 private:
  void Run();

  std::string base_url_;
  const crypto::PrivateKey& key_;
  std::vector<std::string> types_;
  std::atomic<bool> stop_{false};
  std::mutex mu_;
  std::condition_variable heard_;
  std::deque<pb::Event> queue_;  // guarded by mu_
  std::string last_id_;          // guarded by mu_
  std::thread thread_;
};

}  // namespace onechain::adapters
