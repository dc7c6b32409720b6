// Suite "intl": Ed25519 signatures through libsodium, SHA-256 hashes through OpenSSL.
//
// crypto_sign_verify_detached (libsodium >= 1.0.16, built without ED25519_COMPAT) rejects
// S >= L, small-order R, small-order or non-canonical public keys, and compares R byte for byte
// against the canonical encoding it recomputes, so non-canonical R never verifies either.
#include <sodium.h>

#include "crypto/internal.h"

namespace onechain::crypto::internal {
namespace {

constexpr size_t kSeedBytes = crypto_sign_SEEDBYTES;
static_assert(kSeedBytes == 32);
static_assert(crypto_sign_PUBLICKEYBYTES == kEd25519PublicKeyBytes);
static_assert(crypto_sign_BYTES == kSignatureBytes);

class Ed25519Suite final : public Suite {
 public:
  Ed25519Suite() { EnsureSodium(); }
  pb::Suite id() const override { return pb::SUITE_INTL; }
  const char* name() const override { return "intl"; }
  size_t public_key_bytes() const override { return kEd25519PublicKeyBytes; }

  std::string Hash(std::initializer_list<std::string_view> parts) const override {
    return HashParts(HashAlgorithm::kSha256, parts);
  }

  bool Verify(std::string_view public_key, std::string_view message,
              std::string_view signature) const override {
    if (public_key.size() != kEd25519PublicKeyBytes) return false;
    if (signature.size() != kSignatureBytes) return false;
    return crypto_sign_verify_detached(Bytes(signature), Bytes(message), message.size(),
                                       Bytes(public_key)) == 0;
  }
};

// Holds libsodium's 64-byte secret key (seed ‖ public key); wiped on destruction.
class Ed25519PrivateKey final : public PrivateKey {
 public:
  Ed25519PrivateKey() = default;
  Ed25519PrivateKey(const Ed25519PrivateKey&) = delete;
  Ed25519PrivateKey& operator=(const Ed25519PrivateKey&) = delete;
  ~Ed25519PrivateKey() override { sodium_memzero(secret_key_.data(), secret_key_.size()); }

  uint8_t* secret_key() { return secret_key_.data(); }
  uint8_t* public_key_bytes() { return public_key_.data(); }

  pb::Suite suite() const override { return pb::SUITE_INTL; }
  std::string public_key() const override { return std::string(AsView(public_key_)); }

  std::string Sign(std::string_view message) const override {
    std::string signature(kSignatureBytes, '\0');
    const int rc = crypto_sign_detached(reinterpret_cast<uint8_t*>(signature.data()), nullptr,
                                        Bytes(message), message.size(), secret_key_.data());
    Require(rc == 0, "crypto_sign_detached failed");
    return signature;
  }

  Result<std::string> ToPem(std::string_view passphrase) const override {
    // libsodium's secret key starts with the 32-byte seed, which is the RFC 8410 private key.
    Owned<EVP_PKEY> pkey(EVP_PKEY_new_raw_private_key_ex(nullptr, "ED25519", nullptr,
                                                         secret_key_.data(), kSeedBytes));
    Require(pkey != nullptr, "EVP_PKEY_new_raw_private_key_ex(ED25519) failed");
    return PkeyToPem(*pkey, passphrase);
  }

 private:
  std::array<uint8_t, crypto_sign_SECRETKEYBYTES> secret_key_{};
  std::array<uint8_t, crypto_sign_PUBLICKEYBYTES> public_key_{};
};

}  // namespace

// sodium_init is itself thread-safe; the static makes every later call a single load.
void EnsureSodium() {
  static const bool initialized = sodium_init() >= 0;
  Require(initialized, "sodium_init failed");
}

const Suite& IntlSuite() {
  static const Ed25519Suite suite;
  return suite;
}

std::unique_ptr<PrivateKey> GenerateEd25519Key() {
  EnsureSodium();
  auto key = std::make_unique<Ed25519PrivateKey>();
  Require(crypto_sign_keypair(key->public_key_bytes(), key->secret_key()) == 0,
          "crypto_sign_keypair failed");
  return key;
}

std::unique_ptr<PrivateKey> Ed25519KeyFromSeed(std::span<const uint8_t, 32> seed) {
  EnsureSodium();
  auto key = std::make_unique<Ed25519PrivateKey>();
  Require(crypto_sign_seed_keypair(key->public_key_bytes(), key->secret_key(), seed.data()) == 0,
          "crypto_sign_seed_keypair failed");
  return key;
}

}  // namespace onechain::crypto::internal
