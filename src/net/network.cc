// The peer links: one I/O thread runs a Boost.Asio io_context with every socket, TLS stream and
// timer. Links, per-peer slots and the acceptor are touched only on that thread; the send queues,
// counters and ban expiries are shared with callers under `mu_`. README.md has the policies.
#include "net/network.h"

#include <pthread.h>

#include <spdlog/spdlog.h>

#include <atomic>
#include <boost/asio.hpp>
#include <boost/asio/ssl.hpp>
#include <deque>
#include <mutex>
#include <random>
#include <set>
#include <thread>

#include "net/frame.h"
#include "net/policy.h"
#include "net/tls.h"

namespace onechain::net {
namespace {

namespace asio = boost::asio;
namespace ssl = boost::asio::ssl;
using tcp = asio::ip::tcp;
using Clock = std::chrono::steady_clock;
using boost::system::error_code;

constexpr uint32_t kLogsPerWindow = 20;
constexpr std::chrono::milliseconds kLogWindow{10'000};
constexpr std::chrono::milliseconds kAcceptRetryDelay{100};

struct HostPort {
  std::string host;
  std::string port;
};

std::optional<HostPort> SplitAddress(std::string_view address) {
  const size_t colon = address.rfind(':');
  if (colon == std::string_view::npos || colon == 0 || colon + 1 == address.size()) {
    return std::nullopt;
  }
  std::string_view host = address.substr(0, colon);
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']') {
    host = host.substr(1, host.size() - 2);
  }
  return HostPort{std::string(host), std::string(address.substr(colon + 1))};
}

uint64_t HandshakeCounters::*RefusalCounter(HelloVerdict verdict) {
  switch (verdict) {
    case HelloVerdict::kWrongChain:
      return &HandshakeCounters::wrong_chain;
    case HelloVerdict::kNotValidator:
      return &HandshakeCounters::not_validator;
    case HelloVerdict::kBadBinding:
      return &HandshakeCounters::bad_binding;
    case HelloVerdict::kMalformed:
    case HelloVerdict::kOk:
      break;
  }
  return &HandshakeCounters::hello_malformed;
}

// One TCP connection: TLS handshake, hello, then frames both ways.
struct Link : std::enable_shared_from_this<Link> {
  enum class State { kConnecting, kTls, kHello, kOpen, kClosed };

  Link(asio::io_context& io, ssl::context& tls, std::optional<PeerId> dialed_peer)
      : stream(io, tls), resolver(io), handshake_timer(io), tick_timer(io), dialed(dialed_peer) {}

  ssl::stream<tcp::socket> stream;
  tcp::resolver resolver;
  asio::steady_timer handshake_timer;
  asio::steady_timer tick_timer;
  const std::optional<PeerId> dialed;  // set on links we opened
  std::optional<PeerId> peer;          // set once the hello checks out
  State state = State::kConnecting;
  std::array<uint8_t, kFrameHeaderBytes> header_in{};
  std::string payload_in;
  uint64_t sequence_in = 0;
  uint64_t sequence_out = 0;
  std::string hello_frame;  // first frame out
  bool hello_sent = false;
  bool writing = false;
  bool ping_due = false;
  std::string frame_out;
  bool frame_out_is_application = false;
  uint32_t bad_frames = 0;
  Clock::time_point last_receive{};
  std::string tls_binding;
  std::string certificate_key;
};

struct PeerSlot {
  PeerSlot(asio::io_context& io, std::string address_in, std::string key)
      : address(std::move(address_in)), public_key(std::move(key)), redial_timer(io) {}
  // I/O thread only.
  std::string address;
  const std::string public_key;
  std::shared_ptr<Link> link;     // the authenticated link
  std::shared_ptr<Link> dialing;  // our connection attempt, before it authenticates
  asio::steady_timer redial_timer;
  uint32_t attempts = 0;
  // Guarded by NetworkImpl::mu_.
  bool up = false;
  std::deque<std::string> queue;
  size_t queue_bytes = 0;
  Clock::time_point banned_until{};
  PeerCounters counters;
};

class NetworkImpl final : public Network {
 public:
  explicit NetworkImpl(Options options)
      : options_(std::move(options)),
        tls_(MakeTlsContext(*options_.key)),
        acceptor_(io_),
        work_(asio::make_work_guard(io_)),
        log_limiter_(kLogsPerWindow, kLogWindow) {
    for (int i = 0; i < options_.genesis.validators_size(); ++i) {
      const pb::GenesisValidator& v = options_.genesis.validators(i);
      peers_.push_back(std::make_unique<PeerSlot>(io_, v.address(), v.public_key()));
    }
    if (!options_.random) {
      options_.random = [rng = std::mt19937_64(std::random_device{}())]() mutable { return rng(); };
    }
  }
  ~NetworkImpl() override { Stop(); }

  Status Listen(const std::string& address);
  void Run();

  uint16_t listen_port() const override { return port_; }
  void SetPeerAddress(PeerId peer, std::string address) override;
  SendResult Send(PeerId peer, MessageType type, std::string_view payload) override;
  size_t Broadcast(MessageType type, std::string_view payload) override;
  bool IsConnected(PeerId peer) const override;
  void Penalize(PeerId peer, std::string what) override;
  std::vector<PeerStats> Stats() const override;
  HandshakeCounters handshake_counters() const override;
  void Stop() override;

 private:
  PeerId size() const { return static_cast<PeerId>(peers_.size()); }
  bool Dials(PeerId peer) const { return peer > options_.self; }
  std::optional<std::vector<std::string>> CertificatePins(const Link& link) const;

  void Accept();
  void Dial(PeerId peer);
  void ScheduleRedial(PeerId peer);
  void StartTls(const std::shared_ptr<Link>& link, ssl::stream_base::handshake_type role);
  void OnTls(const std::shared_ptr<Link>& link);
  void ReadHeader(const std::shared_ptr<Link>& link);
  void OnHeader(const std::shared_ptr<Link>& link);
  void OnFrame(const std::shared_ptr<Link>& link, const FrameHeader& header);
  void OnHello(const std::shared_ptr<Link>& link, const FrameHeader& header);
  void Authenticate(const std::shared_ptr<Link>& link, PeerId peer);
  void Tick(const std::shared_ptr<Link>& link);
  void Pump(const std::shared_ptr<Link>& link);
  bool TakeNextFrame(Link& link);
  void BadFrame(const std::shared_ptr<Link>& link, uint64_t PeerCounters::*counter,
                const std::string& what);
  void Ban(PeerId peer, const std::string& why);
  // By value: callers pass references to the very slots Close clears.
  void Close(std::shared_ptr<Link> link, const std::string& why);
  void Emit(Event event);
  void LogRefusal(const std::string& message);
  void CountHandshake(uint64_t HandshakeCounters::*counter) {
    std::lock_guard lock(mu_);
    ++(handshake_counters_.*counter);
  }

  Options options_;
  asio::io_context io_;
  std::unique_ptr<ssl::context> tls_;
  tcp::acceptor acceptor_;
  asio::steady_timer accept_retry_{io_};
  asio::executor_work_guard<asio::io_context::executor_type> work_;
  std::thread thread_;
  std::atomic<bool> stopping_{false};
  std::once_flag stop_once_;
  uint16_t port_ = 0;
  LogLimiter log_limiter_;                   // I/O thread only
  std::set<std::shared_ptr<Link>> pending_;  // inbound links not yet authenticated
  std::vector<std::unique_ptr<PeerSlot>> peers_;

  mutable std::mutex mu_;
  HandshakeCounters handshake_counters_;  // guarded by mu_
};

Status NetworkImpl::Listen(const std::string& address) {
  std::optional<HostPort> parts = SplitAddress(address);
  if (!parts)
    return Status(pb::Status::INVALID_ARGUMENT,
                  "listen address \"" + address + "\" is not host:port");
  error_code ec;
  tcp::resolver resolver(io_);
  auto endpoints = resolver.resolve(parts->host, parts->port, tcp::resolver::passive, ec);
  if (ec || endpoints.empty()) {
    return Status(pb::Status::IO, "cannot resolve listen address " + address + ": " + ec.message());
  }
  const tcp::endpoint endpoint = *endpoints.begin();
  acceptor_.open(endpoint.protocol(), ec);
  if (!ec) acceptor_.set_option(tcp::acceptor::reuse_address(true), ec);
  if (!ec) acceptor_.bind(endpoint, ec);
  if (!ec) acceptor_.listen(asio::socket_base::max_listen_connections, ec);
  if (ec) return Status(pb::Status::IO, "cannot listen on " + address + ": " + ec.message());
  port_ = acceptor_.local_endpoint().port();
  return Status::Ok();
}

void NetworkImpl::Run() {
  asio::post(io_, [this] {
    Accept();
    for (PeerId peer = options_.self + 1; peer < size(); ++peer) Dial(peer);
  });
  thread_ = std::thread([this] {
    pthread_setname_np(pthread_self(), "net-io");
    io_.run();
  });
}

void NetworkImpl::Stop() {
  std::call_once(stop_once_, [this] {
    stopping_ = true;
    asio::post(io_, [this] {
      error_code ignored;
      acceptor_.close(ignored);
      accept_retry_.cancel();
      for (auto& slot : peers_) {
        slot->redial_timer.cancel();
        if (slot->link) Close(slot->link, "stopping");
        if (slot->dialing) Close(slot->dialing, "stopping");
      }
      while (!pending_.empty()) Close(*pending_.begin(), "stopping");
    });
    work_.reset();
    if (thread_.joinable()) thread_.join();
  });
}

// ---- Connecting ----

void NetworkImpl::Accept() {
  acceptor_.async_accept([this](error_code ec, tcp::socket socket) {
    if (stopping_ || !acceptor_.is_open()) return;
    if (ec) {
      // Out of descriptors or similar: try again later rather than spin.
      LogRefusal("accept failed: " + ec.message());
      accept_retry_.expires_after(kAcceptRetryDelay);
      accept_retry_.async_wait([this](error_code timer_ec) {
        if (!timer_ec) Accept();
      });
      return;
    }
    {
      if (pending_.size() >= kPendingHandshakesMax) {
        CountHandshake(&HandshakeCounters::too_many_pending);
        LogRefusal("too many unauthenticated links; refused one");
        socket.close(ec);
      } else {
        socket.set_option(tcp::no_delay(true), ec);
        auto link = std::make_shared<Link>(io_, *tls_, std::nullopt);
        link->stream.next_layer() = std::move(socket);
        pending_.insert(link);
        StartTls(link, ssl::stream_base::server);
      }
    }
    Accept();
  });
}

void NetworkImpl::Dial(PeerId peer) {
  PeerSlot& slot = *peers_[peer];
  if (stopping_ || slot.link || slot.dialing) return;
  bool banned = false;
  {
    std::lock_guard lock(mu_);
    banned = Clock::now() < slot.banned_until;
  }
  if (banned) return ScheduleRedial(peer);  // waits out the ban
  std::optional<HostPort> parts = SplitAddress(slot.address);
  if (!parts) {
    LogRefusal("validator " + std::to_string(peer) + " has no usable address \"" + slot.address +
               "\"");
    ScheduleRedial(peer);
    return;
  }
  auto link = std::make_shared<Link>(io_, *tls_, peer);
  slot.dialing = link;
  link->handshake_timer.expires_after(std::chrono::milliseconds(options_.handshake_timeout_ms));
  link->handshake_timer.async_wait([this, link](error_code ec) {
    if (ec || link->state == Link::State::kOpen || link->state == Link::State::kClosed) return;
    CountHandshake(&HandshakeCounters::timeouts);
    Close(link, "handshake timeout");
  });
  link->resolver.async_resolve(
      parts->host, parts->port, [this, link](error_code ec, tcp::resolver::results_type endpoints) {
        if (ec || link->state == Link::State::kClosed)
          return Close(link, "resolve: " + ec.message());
        asio::async_connect(link->stream.next_layer(), endpoints,
                            [this, link](error_code connect_ec, const tcp::endpoint&) {
                              if (connect_ec || link->state == Link::State::kClosed) {
                                return Close(link, "connect: " + connect_ec.message());
                              }
                              error_code ignored;
                              link->stream.next_layer().set_option(tcp::no_delay(true), ignored);
                              StartTls(link, ssl::stream_base::client);
                            });
      });
}

void NetworkImpl::ScheduleRedial(PeerId peer) {
  PeerSlot& slot = *peers_[peer];
  if (stopping_ || !Dials(peer) || slot.link || slot.dialing) return;
  uint64_t delay_ms = BackoffDelayMs(slot.attempts, options_.backoff_initial_ms,
                                     options_.backoff_max_ms, options_.random());
  if (slot.attempts < 64) ++slot.attempts;
  {
    std::lock_guard lock(mu_);
    const auto now = Clock::now();
    if (now < slot.banned_until) {
      const auto ban_left = std::chrono::ceil<std::chrono::milliseconds>(slot.banned_until - now);
      delay_ms = std::max<uint64_t>(delay_ms, static_cast<uint64_t>(ban_left.count()));
    }
  }
  slot.redial_timer.expires_after(std::chrono::milliseconds(delay_ms));
  slot.redial_timer.async_wait([this, peer](error_code ec) {
    if (!ec) Dial(peer);
  });
}

void NetworkImpl::SetPeerAddress(PeerId peer, std::string address) {
  if (peer >= size() || peer == options_.self) return;
  asio::post(io_, [this, peer, address = std::move(address)] {
    PeerSlot& slot = *peers_[peer];
    slot.address = address;
    slot.attempts = 0;
    if (Dials(peer) && !slot.link && !slot.dialing) {
      slot.redial_timer.cancel();
      Dial(peer);
    }
  });
}

std::optional<std::vector<std::string>> NetworkImpl::CertificatePins(const Link& link) const {
  // The sm suite's certificates carry per-process keys: the hello alone binds the identity.
  if (options_.genesis.suite() != pb::SUITE_INTL) return std::nullopt;
  if (link.dialed) return std::vector<std::string>{peers_[*link.dialed]->public_key};
  std::vector<std::string> pins;
  for (PeerId peer = 0; peer < options_.self; ++peer) pins.push_back(peers_[peer]->public_key);
  return pins;
}

void NetworkImpl::StartTls(const std::shared_ptr<Link>& link,
                           ssl::stream_base::handshake_type role) {
  link->state = Link::State::kTls;
  if (!link->dialed) {
    link->handshake_timer.expires_after(std::chrono::milliseconds(options_.handshake_timeout_ms));
    link->handshake_timer.async_wait([this, link](error_code ec) {
      if (ec || link->state == Link::State::kOpen || link->state == Link::State::kClosed) return;
      CountHandshake(&HandshakeCounters::timeouts);
      Close(link, "handshake timeout");
    });
  }
  link->stream.set_verify_mode(ssl::verify_peer | ssl::verify_fail_if_no_peer_cert);
  link->stream.set_verify_callback(
      [pins = CertificatePins(*link)](bool, ssl::verify_context& context) {
        return AcceptPeerCertificate(context.native_handle(), pins);
      });
  link->stream.async_handshake(role, [this, link](error_code ec) {
    if (link->state == Link::State::kClosed) return;
    if (ec) {
      CountHandshake(&HandshakeCounters::tls_failed);
      LogRefusal("TLS handshake failed: " + ec.message());
      return Close(link, "TLS handshake failed");
    }
    OnTls(link);
  });
}

void NetworkImpl::OnTls(const std::shared_ptr<Link>& link) {
  SSL* ssl = link->stream.native_handle();
  link->tls_binding = TlsBinding(ssl);
  link->certificate_key = PeerCertificateKey(ssl).value_or("");
  link->state = Link::State::kHello;
  const HelloFields fields{.chain_id = options_.genesis.chain_id(),
                           .genesis_hash = options_.genesis_hash,
                           .index = options_.self,
                           .tls_binding = link->tls_binding,
                           .dialer = link->dialed.has_value()};
  link->hello_frame = EncodeFrame(kHelloType, BuildHello(fields, *options_.key));
  Pump(link);
  ReadHeader(link);
}

// ---- Reading ----

void NetworkImpl::ReadHeader(const std::shared_ptr<Link>& link) {
  asio::async_read(link->stream, asio::buffer(link->header_in),
                   [this, link](error_code ec, size_t) {
                     if (link->state == Link::State::kClosed) return;
                     if (ec) return Close(link, "read: " + ec.message());
                     OnHeader(link);
                   });
}

void NetworkImpl::OnHeader(const std::shared_ptr<Link>& link) {
  const FrameHeader header = DecodeFrameHeader(link->header_in);
  if (link->state == Link::State::kHello) {
    if (header.type != kHelloType || header.sequence != 1 ||
        header.payload_bytes > kHelloPayloadBytesMax) {
      CountHandshake(&HandshakeCounters::hello_malformed);
      LogRefusal("first frame is not a hello");
      return Close(link, "first frame is not a hello");
    }
  } else if (header.payload_bytes > kFramePayloadBytesMax) {
    const PeerId peer = *link->peer;
    {
      std::lock_guard lock(mu_);
      ++peers_[peer]->counters.oversized;
    }
    Ban(peer, "frame of " + std::to_string(header.payload_bytes) + " bytes declared");
    return Close(link, "oversized frame");
  }
  link->payload_in.resize(header.payload_bytes);
  asio::async_read(link->stream, asio::buffer(link->payload_in),
                   [this, link, header](error_code ec, size_t) {
                     if (link->state == Link::State::kClosed) return;
                     if (ec) return Close(link, "read: " + ec.message());
                     OnFrame(link, header);
                   });
}

void NetworkImpl::OnFrame(const std::shared_ptr<Link>& link, const FrameHeader& header) {
  link->last_receive = Clock::now();
  if (link->state == Link::State::kHello) return OnHello(link, header);
  const PeerId peer = *link->peer;
  {
    std::lock_guard lock(mu_);
    peers_[peer]->counters.bytes_received += kFrameHeaderBytes + header.payload_bytes;
  }
  if (header.sequence != link->sequence_in + 1) {
    BadFrame(link, &PeerCounters::replayed,
             "sequence " + std::to_string(header.sequence) + " after " +
                 std::to_string(link->sequence_in));
  } else if (header.type == kPingType && header.payload_bytes == 0) {
    link->sequence_in = header.sequence;
  } else if (header.type < kFirstApplicationType) {
    link->sequence_in = header.sequence;
    BadFrame(link, &PeerCounters::malformed, "reserved frame type " + std::to_string(header.type));
  } else {
    link->sequence_in = header.sequence;
    {
      std::lock_guard lock(mu_);
      ++peers_[peer]->counters.frames_received;
    }
    Emit({.kind = Event::Kind::kMessage,
          .peer = peer,
          .type = header.type,
          .payload = std::move(link->payload_in)});
  }
  if (link->state == Link::State::kOpen) ReadHeader(link);
}

void NetworkImpl::OnHello(const std::shared_ptr<Link>& link, const FrameHeader& header) {
  link->sequence_in = header.sequence;
  const HelloCheck check = CheckHello(link->payload_in, {.genesis = &options_.genesis,
                                                         .genesis_hash = options_.genesis_hash,
                                                         .self = options_.self,
                                                         .tls_binding = link->tls_binding,
                                                         .we_dialed = link->dialed.has_value(),
                                                         .dialed = link->dialed.value_or(0),
                                                         .certificate_key = link->certificate_key});
  if (check.verdict != HelloVerdict::kOk) {
    CountHandshake(RefusalCounter(check.verdict));
    LogRefusal("hello refused: " + check.reason);
    return Close(link, "hello refused");
  }
  {
    std::lock_guard lock(mu_);
    PeerSlot& slot = *peers_[check.peer];
    if (Clock::now() < slot.banned_until) {
      ++slot.counters.refused_while_banned;
      LogRefusal("validator " + std::to_string(check.peer) + " is banned; link refused");
      // Close takes mu_; leave the scope first.
    } else {
      slot.counters.links_up++;
      slot.up = true;
      link->peer = check.peer;
    }
  }
  if (!link->peer) return Close(link, "banned");
  Authenticate(link, check.peer);
  ReadHeader(link);
}

void NetworkImpl::Authenticate(const std::shared_ptr<Link>& link, PeerId peer) {
  PeerSlot& slot = *peers_[peer];
  pending_.erase(link);
  link->handshake_timer.cancel();
  if (slot.dialing == link) slot.dialing = nullptr;
  std::shared_ptr<Link> old = std::exchange(slot.link, link);
  if (old) {
    // The peer restarted and came back before we noticed the old link die.
    old->peer.reset();
    Close(old, "replaced by a new link");
    Emit({.kind = Event::Kind::kPeerDown, .peer = peer, .type = 0, .payload = {}});
  }
  slot.attempts = 0;
  link->state = Link::State::kOpen;
  spdlog::info("net: link to validator {} up ({})", peer, link->dialed ? "dialed" : "accepted");
  Emit({.kind = Event::Kind::kPeerUp, .peer = peer, .type = 0, .payload = {}});
  Tick(link);
  Pump(link);
}

void NetworkImpl::Tick(const std::shared_ptr<Link>& link) {
  link->tick_timer.expires_after(std::chrono::milliseconds(options_.ping_interval_ms));
  link->tick_timer.async_wait([this, link](error_code ec) {
    if (ec || link->state != Link::State::kOpen) return;
    if (Clock::now() - link->last_receive > std::chrono::milliseconds(options_.idle_timeout_ms)) {
      {
        std::lock_guard lock(mu_);
        ++peers_[*link->peer]->counters.idle_timeouts;
      }
      LogRefusal("validator " + std::to_string(*link->peer) + " silent; link closed");
      return Close(link, "idle timeout");
    }
    link->ping_due = true;
    Pump(link);
    Tick(link);
  });
}

// ---- Writing ----

bool NetworkImpl::TakeNextFrame(Link& link) {
  link.frame_out_is_application = false;
  if (!link.hello_sent) {
    link.hello_sent = true;
    link.frame_out = std::move(link.hello_frame);
    return true;
  }
  if (link.state != Link::State::kOpen) return false;
  if (link.ping_due) {
    link.ping_due = false;
    link.frame_out = EncodeFrame(kPingType, {});
    return true;
  }
  std::lock_guard lock(mu_);
  PeerSlot& slot = *peers_[*link.peer];
  if (slot.queue.empty()) return false;
  link.frame_out = std::move(slot.queue.front());
  slot.queue.pop_front();
  slot.queue_bytes -= link.frame_out.size();
  link.frame_out_is_application = true;
  return true;
}

void NetworkImpl::Pump(const std::shared_ptr<Link>& link) {
  if (link->writing || link->state == Link::State::kClosed || !TakeNextFrame(*link)) return;
  StampSequence(link->frame_out, ++link->sequence_out);
  link->writing = true;
  asio::async_write(link->stream, asio::buffer(link->frame_out),
                    [this, link](error_code ec, size_t bytes) {
                      link->writing = false;
                      if (link->state == Link::State::kClosed) return;
                      if (ec) return Close(link, "write: " + ec.message());
                      if (link->peer) {
                        std::lock_guard lock(mu_);
                        PeerCounters& counters = peers_[*link->peer]->counters;
                        counters.bytes_sent += bytes;
                        if (link->frame_out_is_application) ++counters.frames_sent;
                      }
                      Pump(link);
                    });
}

SendResult NetworkImpl::Send(PeerId peer, MessageType type, std::string_view payload) {
  if (peer >= size() || peer == options_.self || type < kFirstApplicationType) {
    return SendResult::kInvalid;
  }
  if (payload.size() > kFramePayloadBytesMax) return SendResult::kTooLarge;
  std::string frame = EncodeFrame(type, payload);
  {
    std::lock_guard lock(mu_);
    PeerSlot& slot = *peers_[peer];
    if (!slot.up) return SendResult::kNotConnected;
    if (slot.queue.size() >= options_.send_queue_frames_max ||
        slot.queue_bytes + frame.size() > options_.send_queue_bytes_max) {
      ++slot.counters.send_queue_full;
      return SendResult::kQueueFull;
    }
    slot.queue_bytes += frame.size();
    slot.queue.push_back(std::move(frame));
    if (slot.queue.size() > 1) return SendResult::kQueued;  // a write is already due
  }
  asio::post(io_, [this, peer] {
    if (const std::shared_ptr<Link>& link = peers_[peer]->link) Pump(link);
  });
  return SendResult::kQueued;
}

size_t NetworkImpl::Broadcast(MessageType type, std::string_view payload) {
  size_t queued = 0;
  for (PeerId peer = 0; peer < size(); ++peer) {
    if (peer != options_.self && Send(peer, type, payload) == SendResult::kQueued) ++queued;
  }
  return queued;
}

// ---- Bad input, bans, closing ----

void NetworkImpl::BadFrame(const std::shared_ptr<Link>& link, uint64_t PeerCounters::*counter,
                           const std::string& what) {
  const PeerId peer = *link->peer;
  {
    std::lock_guard lock(mu_);
    ++(peers_[peer]->counters.*counter);
  }
  LogRefusal("validator " + std::to_string(peer) + ": dropped frame: " + what);
  if (++link->bad_frames >= options_.bad_frames_before_ban) {
    Ban(peer, std::to_string(link->bad_frames) + " bad frames");
    Close(link, "too many bad frames");
  }
}

void NetworkImpl::Penalize(PeerId peer, std::string what) {
  if (peer >= size() || peer == options_.self) return;
  asio::post(io_, [this, peer, what = std::move(what)] {
    if (const std::shared_ptr<Link> link = peers_[peer]->link) {
      BadFrame(link, &PeerCounters::rejected, what);
    } else {
      std::lock_guard lock(mu_);
      ++peers_[peer]->counters.rejected;
    }
  });
}

void NetworkImpl::Ban(PeerId peer, const std::string& why) {
  {
    std::lock_guard lock(mu_);
    PeerSlot& slot = *peers_[peer];
    slot.banned_until = Clock::now() + std::chrono::milliseconds(options_.ban_ms);
    ++slot.counters.bans;
  }
  spdlog::warn("net: validator {} banned for {} ms: {}", peer, options_.ban_ms, why);
}

void NetworkImpl::Close(std::shared_ptr<Link> link, const std::string& why) {
  if (link->state == Link::State::kClosed) return;
  link->state = Link::State::kClosed;
  error_code ignored;
  link->handshake_timer.cancel();
  link->tick_timer.cancel();
  link->resolver.cancel();
  pending_.erase(link);
  if (link->peer) {
    const PeerId peer = *link->peer;
    PeerSlot& slot = *peers_[peer];
    if (slot.link == link) {
      slot.link = nullptr;
      {
        std::lock_guard lock(mu_);
        slot.up = false;
        ++slot.counters.links_down;
        slot.queue.clear();
        slot.queue_bytes = 0;
      }
      spdlog::info("net: link to validator {} down: {}", peer, why);
      Emit({.kind = Event::Kind::kPeerDown, .peer = peer, .type = 0, .payload = {}});
    }
  }
  if (link->dialed) {
    PeerSlot& slot = *peers_[*link->dialed];
    if (slot.dialing == link) slot.dialing = nullptr;
    ScheduleRedial(*link->dialed);
  }
  // Last, so that whoever sees the socket close also sees the link counted down.
  link->stream.lowest_layer().close(ignored);
}

void NetworkImpl::Emit(Event event) {
  if (!stopping_ && options_.on_event) options_.on_event(std::move(event));
}

void NetworkImpl::LogRefusal(const std::string& message) {
  uint64_t suppressed = 0;
  if (!log_limiter_.Allow(Clock::now(), suppressed)) return;
  if (suppressed > 0) {
    spdlog::warn("net: {} ({} similar messages suppressed)", message, suppressed);
  } else {
    spdlog::warn("net: {}", message);
  }
}

// ---- Accessors ----

bool NetworkImpl::IsConnected(PeerId peer) const {
  if (peer >= size()) return false;
  std::lock_guard lock(mu_);
  return peers_[peer]->up;
}

std::vector<PeerStats> NetworkImpl::Stats() const {
  std::vector<PeerStats> stats;
  const auto now = Clock::now();
  std::lock_guard lock(mu_);
  for (PeerId peer = 0; peer < size(); ++peer) {
    if (peer == options_.self) continue;
    const PeerSlot& slot = *peers_[peer];
    PeerStats entry{.peer = peer,
                    .connected = slot.up,
                    .banned = now < slot.banned_until,
                    .counters = slot.counters};
    entry.counters.send_queue_frames = slot.queue.size();
    entry.counters.send_queue_bytes = slot.queue_bytes;
    stats.push_back(entry);
  }
  return stats;
}

HandshakeCounters NetworkImpl::handshake_counters() const {
  std::lock_guard lock(mu_);
  return handshake_counters_;
}

Status CheckOptions(const Options& options) {
  const pb::Genesis& genesis = options.genesis;
  const auto invalid = [](std::string message) {
    return Status(pb::Status::INVALID_ARGUMENT, std::move(message));
  };
  if (genesis.validators_size() == 0 ||
      static_cast<size_t>(genesis.validators_size()) > kValidatorsMax) {
    return invalid("genesis must name 1 to " + std::to_string(kValidatorsMax) + " validators");
  }
  if (crypto::GetSuite(genesis.suite()) == nullptr) return invalid("genesis names no known suite");
  if (options.genesis_hash.size() != crypto::kHashBytes)
    return invalid("genesis hash must be 32 bytes");
  if (options.self >= static_cast<uint32_t>(genesis.validators_size())) {
    return invalid("validator index " + std::to_string(options.self) + " is not in genesis");
  }
  if (options.key == nullptr || options.key->suite() != genesis.suite() ||
      options.key->public_key() !=
          genesis.validators(static_cast<int>(options.self)).public_key()) {
    return invalid("the key is not the genesis key of validator " + std::to_string(options.self));
  }
  if (options.send_queue_frames_max == 0 || options.send_queue_bytes_max == 0 ||
      options.ping_interval_ms == 0 || options.bad_frames_before_ban == 0) {
    return invalid("queue bounds, ping interval and bad-frame limit must be positive");
  }
  return Status::Ok();
}

}  // namespace

Result<std::unique_ptr<Network>> Network::Start(Options options) {
  if (Status status = CheckOptions(options); !status.ok()) return status;
  const std::string listen =
      options.listen_address.empty()
          ? options.genesis.validators(static_cast<int>(options.self)).address()
          : options.listen_address;
  auto network = std::make_unique<NetworkImpl>(std::move(options));
  if (Status status = network->Listen(listen); !status.ok()) return status;
  network->Run();
  return std::unique_ptr<Network>(std::move(network));
}

}  // namespace onechain::net
