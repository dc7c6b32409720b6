// TLS identities and the hello that binds a TLS session to a genesis validator key
// (README.md "Handshake"). Internal to src/net; tests use it to act as a raw peer.
#pragma once

#include <openssl/ssl.h>

#include <boost/asio/ssl/context.hpp>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "block.pb.h"
#include "crypto/crypto.h"
#include "net/network.h"

namespace onechain::net {

inline constexpr uint32_t kProtocolVersion = 1;
inline constexpr MessageType kHelloType = 1;
inline constexpr MessageType kPingType = 2;
inline constexpr size_t kTlsBindingBytes = 32;
inline constexpr std::string_view kHelloSignatureDomain = "onechain/net/hello/v1";

// A TLS 1.3-only context for both roles that asks the peer for a certificate and presents a
// self-signed Ed25519 certificate: for the intl suite its key is the validator key itself; for
// the sm suite (OpenSSL 3.0 TLS takes no SM2 certificate) a fresh Ed25519 key of this process.
// No session tickets or resumption: every link runs a full handshake with certificates.
std::unique_ptr<boost::asio::ssl::context> MakeTlsContext(const crypto::PrivateKey& validator_key);

// The certificate check run during the handshake: only a depth-0 certificate with an Ed25519 key
// is accepted and, when `pins` is set, only one whose raw key is in `pins` (an empty set refuses
// every certificate).
bool AcceptPeerCertificate(X509_STORE_CTX* store,
                           const std::optional<std::vector<std::string>>& pins);
// Raw Ed25519 key of the peer's certificate after the handshake.
std::optional<std::string> PeerCertificateKey(SSL* ssl);
// kTlsBindingBytes from the TLS exporter (RFC 8446 7.5) of this session: equal on both ends,
// different for every session.
std::string TlsBinding(SSL* ssl);

struct HelloFields {
  std::string chain_id;
  std::string genesis_hash;
  PeerId index = 0;
  std::string tls_binding;
  bool dialer = false;
  uint32_t protocol_version = kProtocolVersion;
};
// Serialized pb::NetHello signed by `key`.
std::string BuildHello(const HelloFields& fields, const crypto::PrivateKey& key);

enum class HelloVerdict { kOk, kMalformed, kWrongChain, kNotValidator, kBadBinding };
struct HelloCheck {
  HelloVerdict verdict = HelloVerdict::kMalformed;
  PeerId peer = 0;
  std::string reason;  // for logs
};
struct HelloExpectation {
  const pb::Genesis* genesis = nullptr;
  std::string_view genesis_hash;
  PeerId self = 0;
  std::string_view tls_binding;
  bool we_dialed = false;
  PeerId dialed = 0;                 // when we_dialed
  std::string_view certificate_key;  // checked against the claimed key for the intl suite
};
HelloCheck CheckHello(std::string_view payload, const HelloExpectation& expect);

}  // namespace onechain::net
