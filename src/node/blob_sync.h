// Blob replication between validators (docs/privacy.md, "Replication"). A material's ciphertext
// is uploaded to the validator a client submits through; when a committed block references a
// blob (an action carrying a pb::Attachment that left a `blobref/` entry in state), every
// validator that lacks it fetches it from its peers over the validators' TLS links, so that
// GET /v1/blobs/{hash} at any validator serves it, also after the uploading one is gone.
//
// Wire (application message types of net/, payloads in big-endian):
//   kBlobRequestMessage  hash(32) ‖ u64 offset
//   kBlobChunkMessage    hash(32) ‖ u64 total size ‖ u64 offset ‖ bytes (≤ kBlobChunkBytes)
//   kBlobAbsentMessage   hash(32)                      the peer does not hold it
// A blob travels in chunks since a frame is at most 16 MiB and a blob up to 32 MiB. The fetcher
// asks one peer at a time for the next chunk; the assembled bytes are hashed before they are
// stored. A peer that answers "absent", does not answer within kBlobChunkTimeoutMs or sends bad
// bytes is left for the next; after a round over every peer the fetch waits (0.5 s, 1 s, 2 s …
// up to 60 s) and tries again, at most kBlobFetchRoundsMax rounds. At most kBlobFetchesMax
// blobs are in flight and kBlobWantedMax wanted at once.
//
// Bad input from a peer (undecodable message, a total size over the blob limit, a chunk that
// does not fit, assembled bytes that do not hash to the requested hash) is dropped and reported
// through `reject`, which the BFT driver counts per reason and reports to net (a peer that keeps
// sending it is disconnected and banned) like other bad peer input. Late or duplicate chunks
// (after a timeout moved the fetch on) are ignored: an honest slow peer sends them.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <thread>

#include "crypto/crypto.h"
#include "ledger/blob_store.h"
#include "net/network.h"

namespace onechain::node {

class Node;

inline constexpr net::MessageType kBlobRequestMessage = net::kFirstApplicationType + 40;
inline constexpr net::MessageType kBlobChunkMessage = net::kFirstApplicationType + 41;
inline constexpr net::MessageType kBlobAbsentMessage = net::kFirstApplicationType + 42;
inline constexpr size_t kBlobChunkBytes = size_t{1} << 20;
inline constexpr size_t kBlobFetchesMax = 4;
inline constexpr size_t kBlobWantedMax = 10'000;
inline constexpr int64_t kBlobChunkTimeoutMs = 5'000;
inline constexpr int64_t kBlobRetryInitialMs = 500;
inline constexpr int64_t kBlobRetryMaxMs = 60'000;
inline constexpr int kBlobFetchRoundsMax = 40;
// Received blob messages waiting for the sync thread; beyond these the message is dropped (the
// sender retries after its timeout).
inline constexpr size_t kBlobInboxMessagesMax = 256;
inline constexpr size_t kBlobInboxBytesMax = size_t{64} << 20;

bool IsBlobSyncMessage(net::MessageType type);

struct BlobSyncCounters {
  uint64_t fetched = 0;         // blobs stored after a fetch
  uint64_t gave_up = 0;         // wanted blobs dropped after kBlobFetchRoundsMax rounds
  uint64_t timeouts = 0;        // chunk requests unanswered in time
  uint64_t absent = 0;          // "absent" answers
  uint64_t rejected = 0;        // bad peer input (reported through `reject`)
  uint64_t stale = 0;           // late or duplicate chunks, ignored
  uint64_t chunks_served = 0;   // chunks sent to peers
  uint64_t wants_dropped = 0;   // wants over kBlobWantedMax
  uint64_t inbox_dropped = 0;   // messages over the inbox bounds
};

// The fetch and serve logic, single-threaded, with the links and the clock injected.
class BlobFetcher {
 public:
  struct Io {
    // Queues a message to a peer; false when it was not queued (no link, full queue).
    std::function<bool(uint32_t peer, net::MessageType type, std::string_view payload)> send;
    std::function<bool(uint32_t peer)> connected;
    // Bad input from a peer, with a short reason ("blob hash mismatch", …).
    std::function<void(uint32_t peer, const std::string& reason)> reject;
  };

  BlobFetcher(const crypto::Suite& suite, const ledger::BlobStore& store, uint32_t self,
              uint32_t validators, Io io);

  // Fetch this blob (32-byte hash) unless it is held, already wanted or kBlobWantedMax are.
  void Want(const std::string& hash, int64_t now_ms);
  void OnMessage(uint32_t peer, net::MessageType type, std::string_view payload, int64_t now_ms);
  // Times out unanswered requests and starts fetches up to kBlobFetchesMax.
  void Tick(int64_t now_ms);

  const BlobSyncCounters& counters() const { return counters_; }
  size_t wanted() const { return wanted_.size(); }
  size_t in_flight() const;

  static std::string EncodeRequest(std::string_view hash, uint64_t offset);
  static std::string EncodeChunk(std::string_view hash, uint64_t total, uint64_t offset,
                                 std::string_view bytes);

 private:
  struct Fetch {
    int round = 0;                    // finished rounds over every peer
    uint32_t next = 0;                // index (0 … validators-2) of the next peer this round
    int64_t not_before_ms = 0;        // backoff after a round
    std::optional<uint32_t> peer;     // asked now
    int64_t deadline_ms = 0;          // for the current chunk
    uint64_t total = 0;
    std::string bytes;                // assembled so far
  };
  void Serve(uint32_t peer, std::string_view payload);
  void OnChunk(uint32_t peer, std::string_view payload, int64_t now_ms);
  void OnAbsent(uint32_t peer, std::string_view payload, int64_t now_ms);
  // The current peer failed: move on to the next one (now, or after the round's backoff).
  void MoveOn(const std::string& hash, Fetch& fetch, int64_t now_ms);
  // Asks the next connected peer; false when the fetch was given up.
  bool Start(const std::string& hash, Fetch& fetch, int64_t now_ms);
  void Reject(uint32_t peer, const std::string& reason);

  const crypto::Suite& suite_;
  const ledger::BlobStore& store_;
  const uint32_t self_;
  const uint32_t validators_;
  Io io_;
  std::map<std::string, Fetch> wanted_;
  // The last blob served, so that the chunks of one blob do not each read and hash the file.
  std::string served_hash_, served_bytes_;
  BlobSyncCounters counters_;
};

// Runs a BlobFetcher on its own thread for a BFT validator: wants the blobs that newly committed
// blocks reference (and, at start, every referenced blob not held), and handles the peers'
// blob messages, which the driver hands over with OnMessage.
class BlobSync {
 public:
  BlobSync(Node& node, const ledger::BlobStore& store, net::Network& network, uint32_t self,
           std::function<void(uint32_t peer, const std::string& reason)> reject);
  ~BlobSync();
  void Start();
  void Stop();
  // From the driver's thread: queues the message for the sync thread (bounded).
  void OnMessage(uint32_t peer, net::MessageType type, std::string payload);
  BlobSyncCounters counters() const;

 private:
  void Loop();
  void WantCommitted(uint64_t height, int64_t now_ms);
  void WantReferenced(int64_t now_ms);

  Node& node_;
  net::Network& network_;
  BlobFetcher fetcher_;  // sync thread only
  uint64_t scanned_height_ = 0;

  mutable std::mutex mu_;
  std::condition_variable wake_;
  struct Message {
    uint32_t peer;
    net::MessageType type;
    std::string payload;
  };
  std::deque<Message> inbox_;  // mu_
  size_t inbox_bytes_ = 0;     // mu_
  bool running_ = false;       // mu_
  uint64_t inbox_dropped_ = 0; // mu_
  BlobSyncCounters published_; // mu_: the fetcher's counters after each turn
  std::thread thread_;
};

}  // namespace onechain::node
