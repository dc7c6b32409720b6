// Proves the peer links over real loopback sockets, for both suites: four validators form a full
// mesh and exchange messages; strangers, impostors, another chain, plaintext and TLS 1.2 clients
// are refused at the handshake; bad frames are dropped and counted, oversized ones and repeated
// bad ones disconnect and ban the sender until the ban expires (a dialer waits it out); a restarted
// validator is reconnected; a peer that does not read fills its bounded send queue and no more.
#include "net/network.h"

#include <gtest/gtest.h>

#include <boost/asio.hpp>
#include <boost/asio/ssl.hpp>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>

#include "net/frame.h"
#include "net/tls.h"

namespace onechain::net {
namespace {

namespace asio = boost::asio;
namespace ssl = boost::asio::ssl;
using tcp = asio::ip::tcp;
using boost::system::error_code;
using namespace std::chrono_literals;

constexpr auto kDeadline = 15s;
constexpr MessageType kVote = 20;
constexpr std::chrono::milliseconds kTestBanMs{1'500};

// Polls `condition` until it holds or `deadline` passes; returns its last value.
bool WaitUntil(const std::function<bool()>& condition,
               std::chrono::milliseconds deadline = kDeadline) {
  const auto end = std::chrono::steady_clock::now() + deadline;
  while (!condition()) {
    if (std::chrono::steady_clock::now() > end) return condition();
    std::this_thread::sleep_for(5ms);
  }
  return true;
}

class Inbox {
 public:
  void Push(Event event) {
    std::lock_guard lock(mu_);
    events_.push_back(std::move(event));
  }
  std::vector<Event> Messages(PeerId from) const {
    std::lock_guard lock(mu_);
    std::vector<Event> out;
    for (const Event& e : events_) {
      if (e.kind == Event::Kind::kMessage && e.peer == from) out.push_back(e);
    }
    return out;
  }
  size_t Count(Event::Kind kind, PeerId peer) const {
    std::lock_guard lock(mu_);
    return std::count_if(events_.begin(), events_.end(),
                         [&](const Event& e) { return e.kind == kind && e.peer == peer; });
  }

 private:
  mutable std::mutex mu_;
  std::vector<Event> events_;
};

std::string Address(uint16_t port) { return "127.0.0.1:" + std::to_string(port); }

class Cluster {
 public:
  Cluster(pb::Suite suite, size_t validators, std::string chain_id = "net-test") {
    genesis_.set_chain_id(std::move(chain_id));
    genesis_.set_suite(suite);
    for (size_t i = 0; i < validators; ++i) {
      auto key = crypto::GenerateKey(suite);
      EXPECT_TRUE(key.ok());
      keys_.push_back(std::shared_ptr<crypto::PrivateKey>(std::move(*key)));
      pb::GenesisValidator* v = genesis_.add_validators();
      v->set_org_id("org-" + std::to_string(i));
      v->set_public_key(keys_.back()->public_key());
      v->set_address("127.0.0.1:1");  // replaced by SetPeerAddress once ports are known
    }
    genesis_hash_ = crypto::GetSuite(suite)->Hash(genesis_.SerializeAsString());
    nets_.resize(validators);
    inboxes_.resize(validators);
    ports_.resize(validators, 0);
  }
  ~Cluster() {
    for (auto& net : nets_) net.reset();
  }

  Options OptionsFor(PeerId self) {
    Options options;
    options.genesis = genesis_;
    options.genesis_hash = genesis_hash_;
    options.self = self;
    options.key = keys_[self];
    options.listen_address = Address(ports_[self]);
    inboxes_[self] = std::make_shared<Inbox>();
    options.on_event = [inbox = inboxes_[self]](Event e) { inbox->Push(std::move(e)); };
    options.random = [this] { return jitter_draws_.fetch_add(1) * 7919; };
    options.handshake_timeout_ms = 3'000;
    options.ping_interval_ms = 100;
    options.idle_timeout_ms = 5'000;
    options.backoff_initial_ms = 10;
    options.backoff_max_ms = 200;
    options.ban_ms = kTestBanMs.count();
    options.bad_frames_before_ban = 4;
    return options;
  }

  void Start(PeerId self, Options options) {
    auto net = Network::Start(std::move(options));
    ASSERT_TRUE(net.ok()) << net.status().ToString();
    nets_[self] = std::move(*net);
    ports_[self] = nets_[self]->listen_port();
    for (PeerId other = 0; other < nets_.size(); ++other) {
      if (other == self || ports_[other] == 0) continue;
      nets_[self]->SetPeerAddress(other, Address(ports_[other]));
      if (nets_[other]) nets_[other]->SetPeerAddress(self, Address(ports_[self]));
    }
  }
  void Start(PeerId self) { Start(self, OptionsFor(self)); }

  bool FullMesh() const {
    for (PeerId a = 0; a < nets_.size(); ++a) {
      for (PeerId b = 0; b < nets_.size(); ++b) {
        if (a != b && (!nets_[a] || !nets_[a]->IsConnected(b))) return false;
      }
    }
    return true;
  }
  PeerStats StatsOf(PeerId self, PeerId peer) const {
    for (const PeerStats& s : nets_[self]->Stats()) {
      if (s.peer == peer) return s;
    }
    ADD_FAILURE() << "no stats for " << peer;
    return {};
  }

  pb::Genesis genesis_;
  std::string genesis_hash_;
  std::vector<std::shared_ptr<crypto::PrivateKey>> keys_;
  std::vector<std::unique_ptr<Network>> nets_;
  std::vector<std::shared_ptr<Inbox>> inboxes_;
  std::vector<uint16_t> ports_;
  std::atomic<uint64_t> jitter_draws_{0};
};

// A hand-driven peer: TLS with any key, then whatever bytes a test wants to send.
class RawPeer {
 public:
  explicit RawPeer(const crypto::PrivateKey& tls_key)
      : tls_(MakeTlsContext(tls_key)), stream_(io_, *tls_) {
    stream_.set_verify_mode(ssl::verify_none);
  }
  RawPeer(std::unique_ptr<ssl::context> tls) : tls_(std::move(tls)), stream_(io_, *tls_) {
    stream_.set_verify_mode(ssl::verify_none);
  }

  bool Connect(uint16_t port) {
    error_code ec;
    stream_.lowest_layer().connect({asio::ip::make_address("127.0.0.1"), port}, ec);
    return !ec;
  }
  error_code Handshake(ssl::stream_base::handshake_type role = ssl::stream_base::client) {
    return Run([&](auto done) { stream_.async_handshake(role, done); });
  }
  // Sends a hello as validator `index` signed by `key` (any key the test likes).
  void SendHello(const Cluster& cluster, PeerId index, const crypto::PrivateKey& key,
                 bool dialer = true, std::string chain_id = "") {
    const HelloFields fields{.chain_id = chain_id.empty() ? cluster.genesis_.chain_id() : chain_id,
                             .genesis_hash = cluster.genesis_hash_,
                             .index = index,
                             .tls_binding = TlsBinding(stream_.native_handle()),
                             .dialer = dialer};
    SendFrame(kHelloType, BuildHello(fields, key), 1);
  }
  void SendFrame(MessageType type, std::string_view payload, uint64_t sequence) {
    std::string frame = EncodeFrame(type, payload);
    StampSequence(frame, sequence);
    SendTls(frame);
  }
  void SendTls(std::string_view bytes) {
    EXPECT_FALSE(Run([&](auto done) { asio::async_write(stream_, asio::buffer(bytes), done); }));
  }
  void SendPlain(std::string_view bytes) {
    error_code ec;
    asio::write(stream_.next_layer(), asio::buffer(bytes), ec);
  }
  // Reads and discards until the other side closes; false if it is still open at the deadline.
  bool WaitClosed(bool tls = true) {
    std::array<char, 4096> buffer{};
    for (auto end = std::chrono::steady_clock::now() + kDeadline;
         std::chrono::steady_clock::now() < end;) {
      const error_code ec = Run([&](auto done) {
        if (tls) {
          stream_.async_read_some(asio::buffer(buffer), done);
        } else {
          stream_.next_layer().async_read_some(asio::buffer(buffer), done);
        }
      });
      if (ec == asio::error::timed_out) return false;
      if (ec) return true;
    }
    return false;
  }
  ssl::stream<tcp::socket>& stream() { return stream_; }
  asio::io_context& io() { return io_; }

  // Runs one asynchronous operation to completion or a deadline (then the socket is closed).
  template <typename Op>
  error_code Run(Op op) {
    std::optional<error_code> result;
    op([&](error_code ec, auto&&...) { result = ec; });
    io_.restart();
    io_.run_for(kDeadline);
    if (result) return *result;
    error_code ignored;
    stream_.lowest_layer().close(ignored);
    io_.restart();
    io_.run();
    return asio::error::timed_out;
  }

 private:
  asio::io_context io_;
  std::unique_ptr<ssl::context> tls_;
  ssl::stream<tcp::socket> stream_;
};

// A raw peer whose identity `node` must refuse. intl: its certificate key is pinned, so the TLS
// handshake itself fails. sm: TLS completes with a per-process key and the hello, sent as
// validator `index` signed by `key`, is refused and counted in `sm_counter`.
void ExpectRefused(Network& node, RawPeer& raw, const Cluster& cluster, PeerId index,
                   const crypto::PrivateKey& key, ssl::stream_base::handshake_type role,
                   uint64_t HandshakeCounters::*sm_counter) {
  const bool intl = cluster.genesis_.suite() == pb::SUITE_INTL;
  const error_code tls = raw.Handshake(role);
  if (intl) {
    EXPECT_TRUE(raw.WaitClosed());
    EXPECT_TRUE(WaitUntil([&] { return node.handshake_counters().tls_failed == 1; }));
    return;
  }
  ASSERT_FALSE(tls) << tls.message();
  raw.SendHello(cluster, index, key, /*dialer=*/role == ssl::stream_base::client);
  EXPECT_TRUE(raw.WaitClosed());
  EXPECT_TRUE(WaitUntil([&] { return node.handshake_counters().*sm_counter == 1; }));
}

class NetTest : public testing::TestWithParam<pb::Suite> {};

INSTANTIATE_TEST_SUITE_P(Suites, NetTest, testing::Values(pb::SUITE_INTL, pb::SUITE_SM),
                         [](const auto& info) {
                           return std::string(info.param == pb::SUITE_INTL ? "intl" : "sm");
                         });

TEST_P(NetTest, FourValidatorsFormAMeshAndExchangeMessages) {
  Cluster cluster(GetParam(), 4);
  for (PeerId i = 0; i < 4; ++i) cluster.Start(i);
  ASSERT_TRUE(WaitUntil([&] { return cluster.FullMesh(); }));
  for (PeerId i = 0; i < 4; ++i) {
    EXPECT_EQ(cluster.nets_[i]->Broadcast(kVote, "vote from " + std::to_string(i)), 3u);
  }
  EXPECT_EQ(cluster.nets_[0]->Send(3, kVote + 1, std::string(100'000, 'x')), SendResult::kQueued);
  for (PeerId to = 0; to < 4; ++to) {
    for (PeerId from = 0; from < 4; ++from) {
      if (from == to) continue;
      const size_t expected = (from == 0 && to == 3) ? 2 : 1;
      ASSERT_TRUE(WaitUntil([&] {
        return cluster.inboxes_[to]->Messages(from).size() == expected;
      })) << from
          << " -> " << to;
      const Event first = cluster.inboxes_[to]->Messages(from)[0];
      EXPECT_EQ(first.type, kVote);
      EXPECT_EQ(first.payload, "vote from " + std::to_string(from));
      EXPECT_EQ(cluster.inboxes_[to]->Count(Event::Kind::kPeerUp, from), 1u);
    }
  }
  const Event big = cluster.inboxes_[3]->Messages(0)[1];
  EXPECT_EQ(big.type, kVote + 1);
  EXPECT_EQ(big.payload, std::string(100'000, 'x'));
  const PeerStats stats = cluster.StatsOf(3, 0);
  EXPECT_TRUE(stats.connected);
  EXPECT_EQ(stats.counters.frames_received, 2u);
  EXPECT_EQ(stats.counters.malformed + stats.counters.replayed + stats.counters.oversized, 0u);
  EXPECT_EQ(cluster.nets_[0]->Send(0, kVote, "self"), SendResult::kInvalid);
  EXPECT_EQ(cluster.nets_[0]->Send(1, kHelloType, "reserved"), SendResult::kInvalid);
  EXPECT_EQ(cluster.nets_[0]->Send(9, kVote, "nobody"), SendResult::kInvalid);
}

TEST_P(NetTest, StrangerKeyIsRefused) {
  Cluster cluster(GetParam(), 2);
  cluster.Start(1);
  auto stranger = crypto::GenerateKey(GetParam());
  ASSERT_TRUE(stranger.ok());
  RawPeer raw(**stranger);
  ASSERT_TRUE(raw.Connect(cluster.ports_[1]));
  ExpectRefused(*cluster.nets_[1], raw, cluster, 0, **stranger, ssl::stream_base::client,
                &HandshakeCounters::not_validator);
  EXPECT_FALSE(cluster.nets_[1]->IsConnected(0));
  EXPECT_EQ(cluster.inboxes_[1]->Count(Event::Kind::kPeerUp, 0), 0u);
}

TEST_P(NetTest, ValidatorClaimingAnotherIndexIsRefused) {
  Cluster cluster(GetParam(), 3);
  cluster.Start(2);
  RawPeer raw(*cluster.keys_[0]);  // validator 0's own key, claiming to be validator 1
  ASSERT_TRUE(raw.Connect(cluster.ports_[2]));
  ASSERT_FALSE(raw.Handshake());
  raw.SendHello(cluster, 1, *cluster.keys_[0]);
  EXPECT_TRUE(raw.WaitClosed());
  EXPECT_TRUE(WaitUntil([&] { return cluster.nets_[2]->handshake_counters().not_validator == 1; }));
  EXPECT_FALSE(cluster.nets_[2]->IsConnected(1));
  EXPECT_FALSE(cluster.nets_[2]->IsConnected(0));
}

TEST_P(NetTest, HigherIndexMayNotDialALowerOne) {
  Cluster cluster(GetParam(), 2);
  cluster.Start(0);
  RawPeer raw(*cluster.keys_[1]);  // a genuine validator, but the lower index dials
  ASSERT_TRUE(raw.Connect(cluster.ports_[0]));
  ExpectRefused(*cluster.nets_[0], raw, cluster, 1, *cluster.keys_[1], ssl::stream_base::client,
                &HandshakeCounters::bad_binding);
  EXPECT_FALSE(cluster.nets_[0]->IsConnected(1));
}

TEST_P(NetTest, DialerRefusesAnAnswerFromTheWrongValidator) {
  Cluster cluster(GetParam(), 3);
  // A listener holding validator 2's key answers where validator 0 dials validator 1.
  asio::io_context io;
  tcp::acceptor acceptor(io, {asio::ip::make_address("127.0.0.1"), 0});
  cluster.ports_[1] = acceptor.local_endpoint().port();
  cluster.Start(0);
  RawPeer raw(*cluster.keys_[2]);
  acceptor.accept(raw.stream().next_layer());
  ExpectRefused(*cluster.nets_[0], raw, cluster, 2, *cluster.keys_[2], ssl::stream_base::server,
                &HandshakeCounters::bad_binding);
  EXPECT_FALSE(cluster.nets_[0]->IsConnected(1));
}

TEST_P(NetTest, AnotherChainIsRefused) {
  Cluster ours(GetParam(), 2);
  ours.Start(1);
  Options theirs = ours.OptionsFor(0);
  theirs.genesis.set_chain_id("other-chain");
  ours.Start(0, theirs);
  EXPECT_TRUE(WaitUntil([&] {
    return ours.nets_[0]->handshake_counters().wrong_chain >= 2 &&
           ours.nets_[1]->handshake_counters().wrong_chain >= 2;
  }));
  EXPECT_FALSE(ours.nets_[0]->IsConnected(1));
  EXPECT_FALSE(ours.nets_[1]->IsConnected(0));
  EXPECT_EQ(ours.inboxes_[1]->Count(Event::Kind::kPeerUp, 0), 0u);
}

TEST_P(NetTest, PlaintextAndTls12ClientsAreRefused) {
  Cluster cluster(GetParam(), 2);
  cluster.Start(1);
  RawPeer plain(*cluster.keys_[0]);
  ASSERT_TRUE(plain.Connect(cluster.ports_[1]));
  std::string hello = EncodeFrame(kHelloType, "plaintext hello");
  StampSequence(hello, 1);
  plain.SendPlain(hello);
  EXPECT_TRUE(plain.WaitClosed(/*tls=*/false));
  EXPECT_TRUE(WaitUntil([&] { return cluster.nets_[1]->handshake_counters().tls_failed == 1; }));

  auto tls12 = MakeTlsContext(*cluster.keys_[0]);
  SSL_CTX_set_min_proto_version(tls12->native_handle(), TLS1_2_VERSION);
  SSL_CTX_set_max_proto_version(tls12->native_handle(), TLS1_2_VERSION);
  RawPeer old(std::move(tls12));
  ASSERT_TRUE(old.Connect(cluster.ports_[1]));
  EXPECT_TRUE(old.Handshake());
  EXPECT_TRUE(WaitUntil([&] { return cluster.nets_[1]->handshake_counters().tls_failed == 2; }));
  EXPECT_FALSE(cluster.nets_[1]->IsConnected(0));
}

TEST_P(NetTest, GarbageBeforeTheHelloIsRefused) {
  Cluster cluster(GetParam(), 2);
  cluster.Start(1);
  RawPeer raw(*cluster.keys_[0]);
  ASSERT_TRUE(raw.Connect(cluster.ports_[1]));
  ASSERT_FALSE(raw.Handshake());
  raw.SendTls(std::string(64, '\xff'));
  EXPECT_TRUE(raw.WaitClosed());
  EXPECT_TRUE(
      WaitUntil([&] { return cluster.nets_[1]->handshake_counters().hello_malformed == 1; }));
  EXPECT_FALSE(cluster.nets_[1]->IsConnected(0));
}

// Validator 1 runs; the test speaks as validator 0 through a raw link.
class Authenticated {
 public:
  explicit Authenticated(Cluster& cluster) : raw(*cluster.keys_[0]) {
    EXPECT_TRUE(raw.Connect(cluster.ports_[1]));
    EXPECT_FALSE(raw.Handshake());
    raw.SendHello(cluster, 0, *cluster.keys_[0]);
  }
  RawPeer raw;
  uint64_t next_sequence = 2;
};

TEST_P(NetTest, BadFramesAreDroppedCountedThenTheSenderIsBanned) {
  Cluster cluster(GetParam(), 2);
  cluster.Start(1);
  Network& node = *cluster.nets_[1];
  {
    Authenticated peer(cluster);
    ASSERT_TRUE(WaitUntil([&] { return node.IsConnected(0); }));
    peer.raw.SendFrame(kVote, "replayed", 1);  // sequence already used by the hello
    peer.raw.SendFrame(5, "reserved type", peer.next_sequence++);
    peer.raw.SendFrame(kVote, "good", peer.next_sequence++);  // still delivered
    ASSERT_TRUE(WaitUntil([&] { return cluster.inboxes_[1]->Messages(0).size() == 1; }));
    EXPECT_EQ(cluster.inboxes_[1]->Messages(0)[0].payload, "good");
    PeerStats stats = cluster.StatsOf(1, 0);
    EXPECT_EQ(stats.counters.replayed, 1u);
    EXPECT_EQ(stats.counters.malformed, 1u);
    EXPECT_TRUE(stats.connected);
    EXPECT_FALSE(stats.banned);
    // Two more bad frames reach bad_frames_before_ban (4): disconnected and banned.
    peer.raw.SendFrame(kVote, "replayed again", 2);
    peer.raw.SendFrame(kVote, "and again", 2);
    EXPECT_TRUE(peer.raw.WaitClosed());
    stats = cluster.StatsOf(1, 0);
    EXPECT_EQ(stats.counters.replayed, 3u);
    EXPECT_EQ(stats.counters.bans, 1u);
    EXPECT_TRUE(stats.banned);
    EXPECT_EQ(cluster.inboxes_[1]->Messages(0).size(), 1u);
  }
  {
    Authenticated during_ban(cluster);
    EXPECT_TRUE(during_ban.raw.WaitClosed());
    EXPECT_GE(cluster.StatsOf(1, 0).counters.refused_while_banned, 1u);
  }
  ASSERT_TRUE(WaitUntil([&] { return !cluster.StatsOf(1, 0).banned; }));
  Authenticated after_ban(cluster);
  EXPECT_TRUE(WaitUntil([&] { return node.IsConnected(0); }));
}

TEST_P(NetTest, FramesTheApplicationRejectsAreCountedThenTheSenderIsBanned) {
  Cluster cluster(GetParam(), 2);
  cluster.Start(1);
  Network& node = *cluster.nets_[1];
  Authenticated peer(cluster);
  ASSERT_TRUE(WaitUntil([&] { return node.IsConnected(0); }));
  // Well-formed frames whose content the application refuses (a consensus message that does
  // not decode, a relayed transaction with a bad signature): the consumer penalizes the sender.
  peer.raw.SendFrame(kVote, "not a consensus message", peer.next_sequence++);
  ASSERT_TRUE(WaitUntil([&] { return cluster.inboxes_[1]->Messages(0).size() == 1; }));
  node.Penalize(0, "undecodable consensus message");
  ASSERT_TRUE(WaitUntil([&] { return cluster.StatsOf(1, 0).counters.rejected == 1; }));
  EXPECT_TRUE(cluster.StatsOf(1, 0).connected);
  EXPECT_FALSE(cluster.StatsOf(1, 0).banned);
  node.Penalize(5, "not a validator index: ignored");
  node.Penalize(1, "itself: ignored");
  // Three more reach bad_frames_before_ban (4): disconnected and banned for a while.
  for (int i = 0; i < 3; ++i) node.Penalize(0, "bad signature");
  EXPECT_TRUE(peer.raw.WaitClosed());
  PeerStats stats = cluster.StatsOf(1, 0);
  EXPECT_EQ(stats.counters.rejected, 4u);
  EXPECT_EQ(stats.counters.bans, 1u);
  EXPECT_TRUE(stats.banned);
  ASSERT_TRUE(WaitUntil([&] { return !cluster.StatsOf(1, 0).banned; }));
}

TEST_P(NetTest, OversizedFrameAndGarbageAfterTheHelloDisconnectAndBan) {
  Cluster cluster(GetParam(), 2);
  cluster.Start(1);
  {
    Authenticated peer(cluster);
    ASSERT_TRUE(WaitUntil([&] { return cluster.nets_[1]->IsConnected(0); }));
    const auto header = EncodeFrameHeader({.payload_bytes = kFramePayloadBytesMax + 1,
                                           .type = kVote,
                                           .sequence = peer.next_sequence++});
    peer.raw.SendTls({reinterpret_cast<const char*>(header.data()), header.size()});
    EXPECT_TRUE(peer.raw.WaitClosed());
  }
  PeerStats stats = cluster.StatsOf(1, 0);
  EXPECT_EQ(stats.counters.oversized, 1u);
  EXPECT_EQ(stats.counters.bans, 1u);
  EXPECT_FALSE(stats.connected);
  ASSERT_TRUE(WaitUntil([&] { return !cluster.StatsOf(1, 0).banned; }));
  {
    Authenticated peer(cluster);
    ASSERT_TRUE(WaitUntil([&] { return cluster.nets_[1]->IsConnected(0); }));
    peer.raw.SendTls(std::string(64, '\xff'));  // reads as a header declaring 4 GiB
    EXPECT_TRUE(peer.raw.WaitClosed());
  }
  stats = cluster.StatsOf(1, 0);
  EXPECT_EQ(stats.counters.oversized, 2u);
  EXPECT_EQ(stats.counters.bans, 2u);
  EXPECT_EQ(cluster.inboxes_[1]->Messages(0).size(), 0u);
}

// Accepts one connection into `peer`'s socket, or fails at the deadline.
bool AcceptWithin(asio::io_context& io, tcp::acceptor& acceptor, RawPeer& peer) {
  std::optional<error_code> result;
  acceptor.async_accept(peer.stream().next_layer(), [&](error_code ec) { result = ec; });
  io.restart();
  io.run_for(kDeadline);
  if (!result) {
    acceptor.cancel();
    io.restart();
    io.run();
  }
  return result && !*result;
}

TEST_P(NetTest, DialerBansAMisbehavingPeerAndRedialsOnlyAfterTheBan) {
  Cluster cluster(GetParam(), 2);
  asio::io_context io;
  tcp::acceptor acceptor(io, {asio::ip::make_address("127.0.0.1"), 0});
  cluster.ports_[1] = acceptor.local_endpoint().port();
  cluster.Start(0);  // dials validator 1, played here by a raw peer
  std::chrono::steady_clock::time_point closed_at;
  {
    RawPeer raw(*cluster.keys_[1]);
    ASSERT_TRUE(AcceptWithin(io, acceptor, raw));
    ASSERT_FALSE(raw.Handshake(ssl::stream_base::server));
    raw.SendHello(cluster, 1, *cluster.keys_[1], /*dialer=*/false);
    ASSERT_TRUE(WaitUntil([&] { return cluster.nets_[0]->IsConnected(1); }));
    const auto header = EncodeFrameHeader(
        {.payload_bytes = kFramePayloadBytesMax + 1, .type = kVote, .sequence = 2});
    raw.SendTls({reinterpret_cast<const char*>(header.data()), header.size()});
    EXPECT_TRUE(raw.WaitClosed());
    closed_at = std::chrono::steady_clock::now();  // the ban began before this
  }
  EXPECT_TRUE(cluster.StatsOf(0, 1).banned);
  EXPECT_EQ(cluster.StatsOf(0, 1).counters.oversized, 1u);
  RawPeer next(*cluster.keys_[1]);
  ASSERT_TRUE(AcceptWithin(io, acceptor, next));
  const auto waited = std::chrono::steady_clock::now() - closed_at;
  EXPECT_GE(waited, kTestBanMs - 100ms);
  ASSERT_FALSE(next.Handshake(ssl::stream_base::server));
  next.SendHello(cluster, 1, *cluster.keys_[1], /*dialer=*/false);
  EXPECT_TRUE(WaitUntil([&] { return cluster.nets_[0]->IsConnected(1); }));
}

TEST_P(NetTest, RestartedValidatorIsReconnected) {
  Cluster cluster(GetParam(), 4);
  for (PeerId i = 0; i < 4; ++i) cluster.Start(i);
  ASSERT_TRUE(WaitUntil([&] { return cluster.FullMesh(); }));
  cluster.nets_[2].reset();
  for (PeerId i : {0u, 1u, 3u}) {
    ASSERT_TRUE(WaitUntil([&] { return !cluster.nets_[i]->IsConnected(2); })) << i;
    EXPECT_EQ(cluster.nets_[i]->Send(2, kVote, "lost"), SendResult::kNotConnected);
  }
  const uint64_t draws_before = cluster.jitter_draws_;
  cluster.Start(2);  // the same port
  ASSERT_TRUE(WaitUntil([&] { return cluster.FullMesh(); }));
  EXPECT_GT(cluster.jitter_draws_.load(), draws_before);  // redials drew their jitter
  EXPECT_EQ(cluster.inboxes_[0]->Count(Event::Kind::kPeerDown, 2), 1u);
  EXPECT_EQ(cluster.inboxes_[0]->Count(Event::Kind::kPeerUp, 2), 2u);
  EXPECT_EQ(cluster.nets_[0]->Send(2, kVote, "welcome back"), SendResult::kQueued);
  EXPECT_EQ(cluster.nets_[2]->Send(3, kVote, "hello again"), SendResult::kQueued);
  ASSERT_TRUE(WaitUntil([&] { return cluster.inboxes_[2]->Messages(0).size() == 1; }));
  EXPECT_EQ(cluster.inboxes_[2]->Messages(0)[0].payload, "welcome back");
  ASSERT_TRUE(WaitUntil([&] { return cluster.inboxes_[3]->Messages(2).size() == 1; }));
  EXPECT_EQ(cluster.inboxes_[3]->Messages(2)[0].payload, "hello again");
}

TEST_P(NetTest, SendQueueToAPeerThatDoesNotReadStaysBounded) {
  Cluster cluster(GetParam(), 2);
  Options options = cluster.OptionsFor(1);
  options.send_queue_frames_max = 8;
  cluster.Start(1, options);
  Authenticated peer(cluster);  // never reads after its hello
  ASSERT_TRUE(WaitUntil([&] { return cluster.nets_[1]->IsConnected(0); }));
  const std::string payload(64 * 1024, 'p');
  // Keep offering frames until the kernel buffers are full and the queue sits at its bound; the
  // queue never holds more than the bound on the way.
  size_t queued = 0;
  size_t refused = 0;
  ASSERT_TRUE(WaitUntil([&] {
    const SendResult result = cluster.nets_[1]->Send(0, kVote, payload);
    if (result == SendResult::kQueued) ++queued;
    if (result == SendResult::kQueueFull) ++refused;
    const size_t in_queue = cluster.StatsOf(1, 0).counters.send_queue_frames;
    EXPECT_LE(in_queue, 8u);
    return result == SendResult::kQueueFull && in_queue == 8;
  }));
  EXPECT_GE(queued, 8u);
  const PeerStats stats = cluster.StatsOf(1, 0);
  EXPECT_EQ(stats.counters.send_queue_full, refused);
  EXPECT_LE(stats.counters.send_queue_bytes, 8 * (payload.size() + kFrameHeaderBytes));
  EXPECT_TRUE(stats.connected);  // a slow peer is not punished, its messages are dropped
}

TEST(NetStart, RefusesAKeyThatIsNotTheGenesisKey) {
  Cluster cluster(pb::SUITE_INTL, 2);
  Options options = cluster.OptionsFor(0);
  options.key = cluster.keys_[1];
  auto net = Network::Start(std::move(options));
  ASSERT_FALSE(net.ok());
  EXPECT_EQ(net.status().code(), pb::Status::INVALID_ARGUMENT);
  Options bad_index = cluster.OptionsFor(0);
  bad_index.self = 2;
  EXPECT_FALSE(Network::Start(std::move(bad_index)).ok());
}

}  // namespace
}  // namespace onechain::net
