#include "node/blob_sync.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <chrono>

#include "contracts/grants.h"
#include "node/envelope.h"
#include "node/node.h"
#include "util/bytes.h"

namespace onechain::node {

namespace {

constexpr size_t kHashBytes = 32;
constexpr size_t kChunkHeaderBytes = kHashBytes + 16;

void PutU64(std::string& out, uint64_t v) {
  for (int shift = 56; shift >= 0; shift -= 8) out.push_back(static_cast<char>(v >> shift));
}

uint64_t GetU64(std::string_view in) {
  uint64_t v = 0;
  for (size_t i = 0; i < 8; ++i) v = (v << 8) | static_cast<uint8_t>(in[i]);
  return v;
}

int64_t Backoff(int round) {
  int64_t ms = kBlobRetryInitialMs;
  for (int i = 1; i < round && ms < kBlobRetryMaxMs; ++i) ms *= 2;
  return std::min(ms, kBlobRetryMaxMs);
}

int64_t NowMs() {
  using namespace std::chrono;
  return duration_cast<milliseconds>(steady_clock::now().time_since_epoch()).count();
}

}  // namespace

bool IsBlobSyncMessage(net::MessageType type) {
  return type == kBlobRequestMessage || type == kBlobChunkMessage || type == kBlobAbsentMessage;
}

BlobFetcher::BlobFetcher(const crypto::Suite& suite, const ledger::BlobStore& store,
                         uint32_t self, uint32_t validators, Io io)
    : suite_(suite), store_(store), self_(self), validators_(validators), io_(std::move(io)) {}

std::string BlobFetcher::EncodeRequest(std::string_view hash, uint64_t offset) {
  std::string out(hash);
  PutU64(out, offset);
  return out;
}

std::string BlobFetcher::EncodeChunk(std::string_view hash, uint64_t total, uint64_t offset,
                                     std::string_view bytes) {
  std::string out(hash);
  out.reserve(kChunkHeaderBytes + bytes.size());
  PutU64(out, total);
  PutU64(out, offset);
  out.append(bytes);
  return out;
}

size_t BlobFetcher::in_flight() const {
  return static_cast<size_t>(std::count_if(wanted_.begin(), wanted_.end(), [](const auto& e) {
    return e.second.peer.has_value();
  }));
}

void BlobFetcher::Want(const std::string& hash, int64_t now_ms) {
  if (hash.size() != kHashBytes || wanted_.contains(hash) || store_.Has(hash)) return;
  if (validators_ < 2) return;
  if (wanted_.size() >= kBlobWantedMax) {
    ++counters_.wants_dropped;
    return;
  }
  Fetch fetch;
  fetch.not_before_ms = now_ms;
  wanted_.emplace(hash, std::move(fetch));
}

void BlobFetcher::Reject(uint32_t peer, const std::string& reason) {
  ++counters_.rejected;
  if (io_.reject) io_.reject(peer, reason);
}

void BlobFetcher::OnMessage(uint32_t peer, net::MessageType type, std::string_view payload,
                            int64_t now_ms) {
  if (type == kBlobRequestMessage) {
    Serve(peer, payload);
  } else if (type == kBlobChunkMessage) {
    OnChunk(peer, payload, now_ms);
  } else if (type == kBlobAbsentMessage) {
    OnAbsent(peer, payload, now_ms);
  }
}

void BlobFetcher::Serve(uint32_t peer, std::string_view payload) {
  if (payload.size() != kHashBytes + 8) return Reject(peer, "blob request malformed");
  std::string hash(payload.substr(0, kHashBytes));
  uint64_t offset = GetU64(payload.substr(kHashBytes));
  if (served_hash_ != hash) {
    Result<std::string> bytes = store_.Get(hash);
    if (!bytes.ok()) {  // not held (or damaged: never served)
      io_.send(peer, kBlobAbsentMessage, hash);
      return;
    }
    served_hash_ = hash;
    served_bytes_ = std::move(*bytes);
  }
  if (offset > served_bytes_.size() || (offset == served_bytes_.size() && offset != 0)) {
    return Reject(peer, "blob request malformed");
  }
  std::string_view chunk = std::string_view(served_bytes_).substr(offset, kBlobChunkBytes);
  if (io_.send(peer, kBlobChunkMessage, EncodeChunk(hash, served_bytes_.size(), offset, chunk))) {
    ++counters_.chunks_served;
  }
}

void BlobFetcher::OnChunk(uint32_t peer, std::string_view payload, int64_t now_ms) {
  if (payload.size() < kChunkHeaderBytes) return Reject(peer, "blob chunk malformed");
  std::string hash(payload.substr(0, kHashBytes));
  const uint64_t total = GetU64(payload.substr(kHashBytes));
  const uint64_t offset = GetU64(payload.substr(kHashBytes + 8));
  std::string_view data = payload.substr(kChunkHeaderBytes);
  auto it = wanted_.find(hash);
  if (it == wanted_.end() || it->second.peer != peer || offset != it->second.bytes.size()) {
    ++counters_.stale;  // answered after a timeout moved on, or a duplicate
    return;
  }
  Fetch& fetch = it->second;
  std::string reason;
  if (total > store_.max_blob_bytes()) {
    reason = "blob oversized";
  } else if ((offset > 0 && total != fetch.total) || data.size() > kBlobChunkBytes ||
             offset + data.size() > total || (data.empty() && offset < total)) {
    reason = "blob chunk malformed";
  }
  if (reason.empty()) {
    fetch.total = total;
    fetch.bytes.append(data);
    if (fetch.bytes.size() < total) {
      if (!io_.send(peer, kBlobRequestMessage, EncodeRequest(hash, fetch.bytes.size()))) {
        return MoveOn(hash, fetch, now_ms);
      }
      fetch.deadline_ms = now_ms + kBlobChunkTimeoutMs;
      return;
    }
    if (suite_.Hash(fetch.bytes) != hash) {
      reason = "blob hash mismatch";
    } else if (Result<std::string> stored = store_.Put(fetch.bytes); !stored.ok()) {
      spdlog::warn("blob sync: cannot store blob {}: {}", ToHex(hash), stored.status().ToString());
      fetch.peer.reset();
      fetch.bytes.clear();
      fetch.not_before_ms = now_ms + kBlobRetryMaxMs;
      return;
    } else {
      ++counters_.fetched;
      spdlog::info("blob sync: blob {} ({} bytes) fetched from validator {}", ToHex(hash),
                   total, peer);
      wanted_.erase(it);
      return;
    }
  }
  Reject(peer, reason);
  MoveOn(hash, fetch, now_ms);
}

void BlobFetcher::OnAbsent(uint32_t peer, std::string_view payload, int64_t now_ms) {
  if (payload.size() != kHashBytes) return Reject(peer, "blob absent malformed");
  std::string hash(payload);
  auto it = wanted_.find(hash);
  if (it == wanted_.end() || it->second.peer != peer) {
    ++counters_.stale;
    return;
  }
  ++counters_.absent;
  MoveOn(hash, it->second, now_ms);
}

void BlobFetcher::MoveOn(const std::string& hash, Fetch& fetch, int64_t now_ms) {
  (void)hash;
  fetch.peer.reset();
  fetch.bytes.clear();
  fetch.total = 0;
  fetch.not_before_ms = std::max(fetch.not_before_ms, now_ms);
}

bool BlobFetcher::Start(const std::string& hash, Fetch& fetch, int64_t now_ms) {
  while (true) {
    if (fetch.next >= validators_ - 1) {  // every peer was asked this round
      ++fetch.round;
      fetch.next = 0;
      if (fetch.round >= kBlobFetchRoundsMax) {
        ++counters_.gave_up;
        spdlog::warn("blob sync: gave up blob {} after {} rounds over the validators",
                     ToHex(hash), fetch.round);
        return false;
      }
      fetch.not_before_ms = now_ms + Backoff(fetch.round);
      return true;
    }
    uint32_t peer = (self_ + 1 + fetch.next) % validators_;
    ++fetch.next;
    if (!io_.connected(peer)) continue;
    if (!io_.send(peer, kBlobRequestMessage, EncodeRequest(hash, 0))) continue;
    fetch.peer = peer;
    fetch.deadline_ms = now_ms + kBlobChunkTimeoutMs;
    return true;
  }
}

void BlobFetcher::Tick(int64_t now_ms) {
  size_t flying = 0;
  for (auto& [hash, fetch] : wanted_) {
    if (fetch.peer && now_ms >= fetch.deadline_ms) {
      ++counters_.timeouts;
      MoveOn(hash, fetch, now_ms);
    }
    if (fetch.peer) ++flying;
  }
  for (auto it = wanted_.begin(); it != wanted_.end() && flying < kBlobFetchesMax;) {
    Fetch& fetch = it->second;
    if (fetch.peer || fetch.not_before_ms > now_ms) {
      ++it;
      continue;
    }
    if (store_.Has(it->first)) {  // stored meanwhile (an upload to this node)
      it = wanted_.erase(it);
      continue;
    }
    if (!Start(it->first, fetch, now_ms)) {
      it = wanted_.erase(it);
      continue;
    }
    if (fetch.peer) ++flying;
    ++it;
  }
}

// ---------------------------------------------------------------------------------------------

BlobSync::BlobSync(Node& node, const ledger::BlobStore& store, net::Network& network,
                   uint32_t self, std::function<void(uint32_t, const std::string&)> reject)
    : node_(node),
      network_(network),
      fetcher_(node.chain().suite(), store, self,
               static_cast<uint32_t>(node.chain().genesis().validators_size()),
               BlobFetcher::Io{
                   [this](uint32_t peer, net::MessageType type, std::string_view payload) {
                     return network_.Send(peer, type, payload) == net::SendResult::kQueued;
                   },
                   [this](uint32_t peer) { return network_.IsConnected(peer); },
                   std::move(reject)}) {}

BlobSync::~BlobSync() { Stop(); }

void BlobSync::Start() {
  {
    std::lock_guard lock(mu_);
    if (running_) return;
    running_ = true;
  }
  thread_ = std::thread([this] { Loop(); });
}

void BlobSync::Stop() {
  {
    std::lock_guard lock(mu_);
    if (!running_) return;
    running_ = false;
    wake_.notify_all();
  }
  if (thread_.joinable()) thread_.join();
}

void BlobSync::OnMessage(uint32_t peer, net::MessageType type, std::string payload) {
  std::lock_guard lock(mu_);
  if (inbox_.size() >= kBlobInboxMessagesMax ||
      inbox_bytes_ + payload.size() > kBlobInboxBytesMax) {
    ++inbox_dropped_;
    return;
  }
  inbox_bytes_ += payload.size();
  inbox_.push_back(Message{peer, type, std::move(payload)});
  wake_.notify_one();
}

BlobSyncCounters BlobSync::counters() const {
  std::lock_guard lock(mu_);
  BlobSyncCounters out = published_;
  out.inbox_dropped = inbox_dropped_;
  return out;
}

void BlobSync::WantReferenced(int64_t now_ms) {
  const ledger::Store& store = node_.chain().store();
  std::string after;
  while (fetcher_.wanted() < kBlobWantedMax) {
    auto page = store.ScanState("blobref/", after, 1024);
    if (!page.ok()) {
      spdlog::warn("blob sync: cannot list referenced blobs: {}", page.status().ToString());
      return;
    }
    for (const auto& [key, value] : *page) {
      std::optional<std::string> hash = FromHex(std::string_view(key).substr(8));
      if (hash) fetcher_.Want(*hash, now_ms);
    }
    if (page->size() < 1024) return;
    after = page->back().first;
  }
}

void BlobSync::WantCommitted(uint64_t height, int64_t now_ms) {
  const ledger::Store& store = node_.chain().store();
  auto bytes = store.GetBlock(height);
  if (!bytes.ok() || !bytes->has_value()) return;
  pb::Block block;
  if (!block.ParseFromString(**bytes)) return;
  for (const std::string& envelope : block.txs()) {
    Result<DecodedTx> decoded = DecodeEnvelope(envelope);
    if (!decoded.ok()) continue;
    contracts::ForEachAttachment(decoded->body, [&](const pb::Attachment& file) {
      if (file.hash().size() != 32) return;
      // Only what a successful action referenced (a refused one left no blobref).
      auto ref = store.GetState(contracts::BlobRefsKey(file.hash()));
      if (ref.ok() && ref->has_value()) fetcher_.Want(file.hash(), now_ms);
    });
  }
}

void BlobSync::Loop() {
  scanned_height_ = node_.height();
  WantReferenced(NowMs());
  while (true) {
    std::deque<Message> messages;
    {
      std::unique_lock lock(mu_);
      wake_.wait_for(lock, std::chrono::milliseconds(50),
                     [&] { return !running_ || !inbox_.empty(); });
      if (!running_) return;
      messages.swap(inbox_);
      inbox_bytes_ = 0;
    }
    int64_t now = NowMs();
    for (Message& m : messages) fetcher_.OnMessage(m.peer, m.type, m.payload, now);
    for (uint64_t top = node_.height(); scanned_height_ < top;) {
      WantCommitted(++scanned_height_, now);
    }
    fetcher_.Tick(now);
    std::lock_guard lock(mu_);
    published_ = fetcher_.counters();
  }
}

}  // namespace onechain::node
