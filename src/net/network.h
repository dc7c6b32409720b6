// Peer links between the validators named in genesis: TCP with mutual TLS 1.3, identities pinned
// to the genesis validator keys, length-prefixed frames, bounded per-peer send queues,
// reconnection with backoff, and counters and bans for bad input. README.md has the formats and
// policies. This header is the module's whole public surface.
//
// The interface carries opaque (peer, type, bytes) messages and peer up/down events, so a node
// driver can feed a pure consensus state machine; net/ knows nothing of consensus.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "block.pb.h"
#include "crypto/crypto.h"
#include "util/status.h"

namespace onechain::net {

// A validator, by its position in Genesis.validators.
using PeerId = uint32_t;
// Tag of a message. Types below kFirstApplicationType belong to net/ itself (hello, ping).
using MessageType = uint16_t;
inline constexpr MessageType kFirstApplicationType = 16;

inline constexpr size_t kValidatorsMax = 256;
inline constexpr size_t kSendQueueFramesMax = 4096;
inline constexpr size_t kSendQueueBytesMax = 64u << 20;
inline constexpr uint32_t kHandshakeTimeoutMs = 5'000;
inline constexpr uint32_t kPingIntervalMs = 1'000;
inline constexpr uint32_t kIdleTimeoutMs = 10'000;  // no frame for this long ends the link
inline constexpr uint32_t kBackoffInitialMs = 100;
inline constexpr uint32_t kBackoffMaxMs = 10'000;
inline constexpr uint32_t kBanMs = 60'000;
inline constexpr uint32_t kBadFramesBeforeBan = 16;  // per link; oversized frames ban at once
inline constexpr size_t kPendingHandshakesMax = 64;  // unauthenticated inbound links at once

struct Event {
  enum class Kind { kPeerUp, kPeerDown, kMessage };
  Kind kind = Kind::kMessage;
  PeerId peer = 0;
  MessageType type = 0;  // kMessage only; ≥ kFirstApplicationType
  std::string payload;   // kMessage only
};

enum class SendResult {
  kQueued,
  kNotConnected,  // no authenticated link to the peer now; nothing queued
  kQueueFull,     // the peer's send queue is at its bound; dropped and counted
  kTooLarge,      // payload over kFramePayloadBytesMax (frame.h)
  kInvalid,       // unknown peer, ourselves, or a type below kFirstApplicationType
};

struct Options {
  pb::Genesis genesis;       // validated (node::ValidateGenesis)
  std::string genesis_hash;  // suite hash of the genesis bytes, as the ledger stores it
  PeerId self = 0;
  std::shared_ptr<const crypto::PrivateKey> key;  // must be genesis.validators(self).public_key
  std::string listen_address;  // "host:port"; empty: the genesis address of `self`
  // Called on the I/O thread for every event, in order per peer. It should hand the event to a
  // queue and return: while it runs, no link is read (which is TCP backpressure on all peers).
  std::function<void(Event)> on_event;
  // Jitter source for reconnection delays; default: a std::random_device-seeded generator.
  std::function<uint64_t()> random;
  size_t send_queue_frames_max = kSendQueueFramesMax;
  size_t send_queue_bytes_max = kSendQueueBytesMax;
  uint32_t handshake_timeout_ms = kHandshakeTimeoutMs;
  uint32_t ping_interval_ms = kPingIntervalMs;
  uint32_t idle_timeout_ms = kIdleTimeoutMs;
  uint32_t backoff_initial_ms = kBackoffInitialMs;
  uint32_t backoff_max_ms = kBackoffMaxMs;
  uint32_t ban_ms = kBanMs;
  uint32_t bad_frames_before_ban = kBadFramesBeforeBan;
};

// Counters of one validator's links, for /metrics. Monotonic except the queue gauges.
struct PeerCounters {
  uint64_t links_up = 0;  // authenticated links established
  uint64_t links_down = 0;
  uint64_t frames_received = 0;  // application frames delivered
  uint64_t frames_sent = 0;      // application frames written
  uint64_t bytes_received = 0;   // all frames, headers included
  uint64_t bytes_sent = 0;
  uint64_t malformed = 0;        // reserved or unknown type, bad ping, second hello
  uint64_t oversized = 0;        // header declared more than kFramePayloadBytesMax
  uint64_t replayed = 0;         // sequence number not exactly the previous one plus one
  uint64_t rejected = 0;         // frames the application refused as faulty (Penalize)
  uint64_t send_queue_full = 0;  // frames dropped because the send queue was full
  uint64_t bans = 0;
  uint64_t refused_while_banned = 0;
  uint64_t idle_timeouts = 0;
  size_t send_queue_frames = 0;  // gauge
  size_t send_queue_bytes = 0;   // gauge
};

struct PeerStats {
  PeerId peer = 0;
  bool connected = false;
  bool banned = false;
  PeerCounters counters;
};

// Links that never authenticated as a validator of this chain.
struct HandshakeCounters {
  uint64_t tls_failed = 0;        // TLS handshake failed: plaintext, TLS < 1.3, unpinned key
  uint64_t hello_malformed = 0;   // first frame not a well-formed hello
  uint64_t wrong_chain = 0;       // chain id, genesis hash or protocol version differ
  uint64_t not_validator = 0;     // key or index not in genesis, or key ≠ certificate key
  uint64_t bad_binding = 0;       // signature, TLS binding, direction or dialed peer wrong
  uint64_t timeouts = 0;          // no hello within handshake_timeout_ms
  uint64_t too_many_pending = 0;  // refused at accept: kPendingHandshakesMax reached
};

class Network {
 public:
  // Binds the listening socket and starts the I/O thread; dials the validators with a higher
  // index. INVALID_ARGUMENT for a key or index that does not match genesis, IO if it cannot bind.
  static Result<std::unique_ptr<Network>> Start(Options options);
  virtual ~Network() = default;

  // The bound port (useful with port 0).
  virtual uint16_t listen_port() const = 0;
  // Overrides the genesis address of `peer` (tests with ephemeral ports, address changes);
  // a pending reconnection to it is retried at once.
  virtual void SetPeerAddress(PeerId peer, std::string address) = 0;

  // Thread-safe. Queues `payload` for `peer`; never blocks.
  virtual SendResult Send(PeerId peer, MessageType type, std::string_view payload) = 0;
  // Send to every connected validator; returns how many queued it.
  virtual size_t Broadcast(MessageType type, std::string_view payload) = 0;

  // Thread-safe. The application refused a frame `peer` sent (undecodable, bad signature, for
  // another chain...): counted as `rejected` and logged through the rate limiter, and it adds
  // to the link's bad frames, so a peer that keeps sending them is disconnected and banned for
  // ban_ms like one that sends bad frames.
  virtual void Penalize(PeerId peer, std::string what) = 0;

  virtual bool IsConnected(PeerId peer) const = 0;
  virtual std::vector<PeerStats> Stats() const = 0;  // one entry per other validator
  virtual HandshakeCounters handshake_counters() const = 0;

  // Closes every link and joins the I/O thread; no event is delivered once it returns.
  // Not from inside on_event (it runs on the I/O thread this joins).
  virtual void Stop() = 0;
};

}  // namespace onechain::net
