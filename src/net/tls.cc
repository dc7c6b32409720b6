#include "net/tls.h"

#include <openssl/err.h>
#include <openssl/x509.h>

#include <algorithm>
#include <cassert>

#include "crypto/openssl_key.h"
#include "net.pb.h"
#include "net/frame.h"

namespace onechain::net {
namespace {

constexpr std::string_view kExporterLabel = "EXPORTER-onechain-net-hello";
constexpr long kCertificateValiditySeconds = 100L * 365 * 24 * 3600;

// Aborts on failures that input cannot cause (allocation, a broken OpenSSL installation).
void Require(bool ok, const char* what) {
  if (ok) return;
  ERR_print_errors_fp(stderr);
  fprintf(stderr, "net/tls: %s failed\n", what);
  abort();
}

struct X509Free {
  void operator()(X509* cert) const { X509_free(cert); }
};

std::unique_ptr<X509, X509Free> SelfSignedCertificate(EVP_PKEY* key) {
  std::unique_ptr<X509, X509Free> cert(X509_new());
  Require(cert != nullptr, "X509_new");
  Require(X509_set_version(cert.get(), X509_VERSION_3) == 1, "X509_set_version");
  Require(ASN1_INTEGER_set(X509_get_serialNumber(cert.get()), 1) == 1, "serial");
  Require(X509_gmtime_adj(X509_getm_notBefore(cert.get()), -3600) != nullptr, "notBefore");
  Require(X509_gmtime_adj(X509_getm_notAfter(cert.get()), kCertificateValiditySeconds) != nullptr,
          "notAfter");
  X509_NAME* name = X509_get_subject_name(cert.get());
  Require(X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC,
                                     reinterpret_cast<const unsigned char*>("onechain validator"),
                                     -1, -1, 0) == 1,
          "subject");
  Require(X509_set_issuer_name(cert.get(), name) == 1, "issuer");
  Require(X509_set_pubkey(cert.get(), key) == 1, "X509_set_pubkey");
  Require(X509_sign(cert.get(), key, nullptr) > 0, "X509_sign");  // Ed25519 takes no digest
  return cert;
}

std::optional<std::string> Ed25519KeyOf(EVP_PKEY* key) {
  if (key == nullptr || !EVP_PKEY_is_a(key, "ED25519")) return std::nullopt;
  std::string raw(crypto::kEd25519PublicKeyBytes, '\0');
  size_t size = raw.size();
  if (EVP_PKEY_get_raw_public_key(key, reinterpret_cast<unsigned char*>(raw.data()), &size) != 1 ||
      size != raw.size()) {
    ERR_clear_error();
    return std::nullopt;
  }
  return raw;
}

std::string SignedMessage(std::string_view body) {
  std::string message(kHelloSignatureDomain);
  message.append(body);
  return message;
}

HelloCheck Refuse(HelloVerdict verdict, std::string reason) {
  return {.verdict = verdict, .peer = 0, .reason = std::move(reason)};
}

}  // namespace

std::unique_ptr<boost::asio::ssl::context> MakeTlsContext(const crypto::PrivateKey& validator_key) {
  auto context = std::make_unique<boost::asio::ssl::context>(boost::asio::ssl::context::tls);
  SSL_CTX* native = context->native_handle();
  Require(SSL_CTX_set_min_proto_version(native, TLS1_3_VERSION) == 1, "min TLS 1.3");
  Require(SSL_CTX_set_max_proto_version(native, TLS1_3_VERSION) == 1, "max TLS 1.3");
  Require(SSL_CTX_set1_sigalgs_list(native, "ed25519") == 1, "sigalgs ed25519");
  SSL_CTX_set_options(native, SSL_OP_NO_TICKET);
  Require(SSL_CTX_set_num_tickets(native, 0) == 1, "no tickets");
  SSL_CTX_set_session_cache_mode(native, SSL_SESS_CACHE_OFF);
  crypto::EvpPkey key;
  if (validator_key.suite() == pb::SUITE_INTL) {
    key = crypto::ToEvpPkey(validator_key);
  } else {
    key.reset(EVP_PKEY_Q_keygen(nullptr, nullptr, "ED25519"));
    Require(key != nullptr, "Ed25519 TLS key generation");
  }
  auto cert = SelfSignedCertificate(key.get());
  Require(SSL_CTX_use_certificate(native, cert.get()) == 1, "SSL_CTX_use_certificate");
  Require(SSL_CTX_use_PrivateKey(native, key.get()) == 1, "SSL_CTX_use_PrivateKey");
  Require(SSL_CTX_check_private_key(native) == 1, "SSL_CTX_check_private_key");
  SSL_CTX_set_verify(native, SSL_VERIFY_PEER | SSL_VERIFY_FAIL_IF_NO_PEER_CERT, nullptr);
  return context;
}

bool AcceptPeerCertificate(X509_STORE_CTX* store,
                           const std::optional<std::vector<std::string>>& pins) {
  if (X509_STORE_CTX_get_error_depth(store) != 0) return false;  // we expect no chain
  std::optional<std::string> key =
      Ed25519KeyOf(X509_get0_pubkey(X509_STORE_CTX_get_current_cert(store)));
  if (!key) return false;
  return !pins || std::find(pins->begin(), pins->end(), *key) != pins->end();
}

std::optional<std::string> PeerCertificateKey(SSL* ssl) {
  X509* cert = SSL_get0_peer_certificate(ssl);
  if (cert == nullptr) return std::nullopt;
  return Ed25519KeyOf(X509_get0_pubkey(cert));
}

std::string TlsBinding(SSL* ssl) {
  std::string binding(kTlsBindingBytes, '\0');
  Require(SSL_export_keying_material(ssl, reinterpret_cast<unsigned char*>(binding.data()),
                                     binding.size(), kExporterLabel.data(), kExporterLabel.size(),
                                     nullptr, 0, 0) == 1,
          "SSL_export_keying_material");
  return binding;
}

std::string BuildHello(const HelloFields& fields, const crypto::PrivateKey& key) {
  pb::NetHelloBody body;
  body.set_protocol_version(fields.protocol_version);
  body.set_chain_id(fields.chain_id);
  body.set_genesis_hash(fields.genesis_hash);
  body.set_validator_index(fields.index);
  body.set_public_key(key.public_key());
  body.set_tls_binding(fields.tls_binding);
  body.set_dialer(fields.dialer);
  pb::NetHello hello;
  hello.set_body(body.SerializeAsString());
  hello.set_signature(key.Sign(SignedMessage(hello.body())));
  return hello.SerializeAsString();
}

HelloCheck CheckHello(std::string_view payload, const HelloExpectation& expect) {
  assert(expect.genesis != nullptr);
  const pb::Genesis& genesis = *expect.genesis;
  pb::NetHello hello;
  pb::NetHelloBody body;
  if (payload.size() > kHelloPayloadBytesMax ||
      !hello.ParseFromArray(payload.data(), static_cast<int>(payload.size())) ||
      !body.ParseFromString(hello.body())) {
    return Refuse(HelloVerdict::kMalformed, "hello does not decode");
  }
  if (body.protocol_version() != kProtocolVersion) {
    return Refuse(HelloVerdict::kWrongChain,
                  "protocol version " + std::to_string(body.protocol_version()));
  }
  if (body.chain_id() != genesis.chain_id() || body.genesis_hash() != expect.genesis_hash) {
    return Refuse(HelloVerdict::kWrongChain, "chain id \"" + body.chain_id().substr(0, 64) +
                                                 "\" or its genesis hash is not ours");
  }
  const PeerId index = body.validator_index();
  if (index >= static_cast<uint32_t>(genesis.validators_size()) || index == expect.self) {
    return Refuse(HelloVerdict::kNotValidator, "validator index " + std::to_string(index));
  }
  const std::string& genesis_key = genesis.validators(static_cast<int>(index)).public_key();
  if (body.public_key() != genesis_key) {
    return Refuse(HelloVerdict::kNotValidator,
                  "key is not the genesis key of validator " + std::to_string(index));
  }
  if (genesis.suite() == pb::SUITE_INTL && expect.certificate_key != genesis_key) {
    return Refuse(HelloVerdict::kNotValidator,
                  "certificate key is not validator " + std::to_string(index) + "'s genesis key");
  }
  if (body.tls_binding() != expect.tls_binding || body.dialer() == expect.we_dialed) {
    return Refuse(HelloVerdict::kBadBinding, "hello is not bound to this TLS session");
  }
  const bool right_direction = expect.we_dialed ? index == expect.dialed : index < expect.self;
  if (!right_direction) {
    return Refuse(HelloVerdict::kBadBinding,
                  "validator " + std::to_string(index) + " is not the one this link belongs to");
  }
  const crypto::Suite* suite = crypto::GetSuite(genesis.suite());
  if (suite == nullptr ||
      !suite->Verify(genesis_key, SignedMessage(hello.body()), hello.signature())) {
    return Refuse(HelloVerdict::kBadBinding, "hello signature does not verify");
  }
  return {.verdict = HelloVerdict::kOk, .peer = index, .reason = {}};
}

}  // namespace onechain::net
