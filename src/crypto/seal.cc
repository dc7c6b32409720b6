// Envelope encryption of materials (seal.h): X25519 sealed boxes and XChaCha20-Poly1305 through
// libsodium for intl; SM2 encryption and SM4-CTR + HMAC-SM3 through OpenSSL 3 for sm.
#include "crypto/seal.h"

#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/rand.h>
#include <sodium.h>

#include <algorithm>

#include "crypto/internal.h"
#include "crypto/openssl_key.h"

namespace onechain::crypto {
namespace {

using internal::Bytes;
using internal::Owned;
using internal::Require;

constexpr size_t kXNonceBytes = crypto_aead_xchacha20poly1305_ietf_NPUBBYTES;
constexpr size_t kXTagBytes = crypto_aead_xchacha20poly1305_ietf_ABYTES;
constexpr size_t kSealedBoxOverhead = crypto_box_SEALBYTES;
constexpr size_t kSm4KeyBytes = 16;
constexpr size_t kSm4IvBytes = 16;
constexpr size_t kSmTagBytes = 32;
static_assert(crypto_aead_xchacha20poly1305_ietf_KEYBYTES == kDataKeyBytes);
static_assert(crypto_box_PUBLICKEYBYTES == kX25519PublicKeyBytes);
static_assert(crypto_box_SECRETKEYBYTES == 32);

Status NotForThisKey() {
  return Status(pb::Status::INVALID_ARGUMENT,
                "wrapped key does not open with this encryption key (another reader's, or altered)");
}
Status NotAuthentic() {
  return Status(pb::Status::INVALID_ARGUMENT,
                "sealed data does not authenticate under this data key and associated data");
}
Status BadDataKey() {
  return Status(pb::Status::INVALID_ARGUMENT, "data key must be exactly 32 bytes");
}
Status UnknownSuite() { return Status(pb::Status::WRONG_SUITE, "unknown crypto suite"); }

std::string Random(size_t size) {
  std::string out(size, '\0');
  Require(RAND_bytes(reinterpret_cast<unsigned char*>(out.data()), static_cast<int>(size)) == 1,
          "RAND_bytes");
  return out;
}

// ---- intl: X25519 ----

class X25519DecryptionKey final : public DecryptionKey {
 public:
  explicit X25519DecryptionKey(Owned<EVP_PKEY> pkey) : pkey_(std::move(pkey)) {
    size_t secret_size = secret_.size();
    size_t public_size = kX25519PublicKeyBytes;
    public_key_.resize(kX25519PublicKeyBytes);
    Require(EVP_PKEY_get_raw_private_key(pkey_.get(), secret_.data(), &secret_size) == 1 &&
                secret_size == secret_.size() &&
                EVP_PKEY_get_raw_public_key(pkey_.get(), internal::MutableBytes(public_key_),
                                            &public_size) == 1 &&
                public_size == kX25519PublicKeyBytes,
            "X25519 raw key");
  }

  pb::Suite suite() const override { return pb::SUITE_INTL; }
  std::string public_key() const override { return public_key_; }

  Result<std::string> UnwrapDataKey(std::string_view wrapped) const override {
    if (wrapped.size() != kSealedBoxOverhead + kDataKeyBytes) {
      return Status(pb::Status::MALFORMED, "wrapped key must be " +
                                               std::to_string(kSealedBoxOverhead + kDataKeyBytes) +
                                               " bytes for the intl suite");
    }
    std::string data_key(kDataKeyBytes, '\0');
    if (crypto_box_seal_open(internal::MutableBytes(data_key), Bytes(wrapped), wrapped.size(),
                             Bytes(public_key_), secret_.data()) != 0) {
      return NotForThisKey();
    }
    return data_key;
  }

  Result<std::string> ToPem(std::string_view passphrase) const override {
    return internal::PkeyToPem(*pkey_, passphrase);
  }

 private:
  Owned<EVP_PKEY> pkey_;
  internal::SecretBytes<32> secret_;
  std::string public_key_;
};

bool IsX25519PublicKey(std::string_view public_key) {
  if (public_key.size() != kX25519PublicKeyBytes) return false;
  // A clamped scalar is a multiple of the cofactor, so it maps every small-order point (and only
  // those) to the all-zero output that crypto_scalarmult refuses.
  internal::SecretBytes<32> scalar;
  randombytes_buf(scalar.data(), scalar.size());
  internal::SecretBytes<32> shared;
  return crypto_scalarmult(shared.data(), scalar.data(), Bytes(public_key)) == 0;
}

// ---- sm: SM2 ----

class Sm2DecryptionKey final : public DecryptionKey {
 public:
  explicit Sm2DecryptionKey(std::unique_ptr<PrivateKey> key)
      : key_(std::move(key)), pkey_(ToEvpPkey(*key_)) {}

  pb::Suite suite() const override { return pb::SUITE_SM; }
  std::string public_key() const override { return key_->public_key(); }

  Result<std::string> UnwrapDataKey(std::string_view wrapped) const override {
    if (wrapped.empty() || wrapped.size() > kWrappedKeyBytesMax) {
      return Status(pb::Status::MALFORMED, "wrapped key must be 1 to " +
                                               std::to_string(kWrappedKeyBytesMax) + " bytes");
    }
    Owned<EVP_PKEY_CTX> context(EVP_PKEY_CTX_new_from_pkey(nullptr, pkey_.get(), nullptr));
    Require(context != nullptr && EVP_PKEY_decrypt_init(context.get()) == 1,
            "EVP_PKEY_decrypt_init(SM2)");
    std::string data_key(kWrappedKeyBytesMax, '\0');
    size_t size = data_key.size();
    if (EVP_PKEY_decrypt(context.get(), internal::MutableBytes(data_key), &size, Bytes(wrapped),
                         wrapped.size()) != 1 ||
        size != kDataKeyBytes) {
      ERR_clear_error();
      OPENSSL_cleanse(data_key.data(), data_key.size());
      return NotForThisKey();
    }
    data_key.resize(size);
    return data_key;
  }

  Result<std::string> ToPem(std::string_view passphrase) const override {
    return key_->ToPem(passphrase);
  }

 private:
  std::unique_ptr<PrivateKey> key_;
  EvpPkey pkey_;
};

Result<std::string> WrapSm2(std::string_view reader_public_key, std::string_view data_key) {
  Owned<EVP_PKEY> reader = internal::Sm2PublicKeyFromRaw(reader_public_key);
  if (reader == nullptr) {
    return Status(pb::Status::INVALID_ARGUMENT,
                  "reader's encryption key is not an SM2 public key (65 bytes, on the curve)");
  }
  Owned<EVP_PKEY_CTX> context(EVP_PKEY_CTX_new_from_pkey(nullptr, reader.get(), nullptr));
  Require(context != nullptr && EVP_PKEY_encrypt_init(context.get()) == 1,
          "EVP_PKEY_encrypt_init(SM2)");
  size_t size = 0;
  Require(EVP_PKEY_encrypt(context.get(), nullptr, &size, Bytes(data_key), data_key.size()) == 1,
          "EVP_PKEY_encrypt(SM2) size");
  std::string wrapped(size, '\0');
  Require(EVP_PKEY_encrypt(context.get(), internal::MutableBytes(wrapped), &size, Bytes(data_key),
                           data_key.size()) == 1,
          "EVP_PKEY_encrypt(SM2)");
  wrapped.resize(size);
  return wrapped;
}

// HMAC-SM3 over len(aad) (8 bytes, big-endian) ‖ aad ‖ iv ‖ ciphertext.
std::string SmTag(std::string_view mac_key, std::string_view associated_data, std::string_view iv,
                  std::string_view ciphertext) {
  static EVP_MAC* const mac = EVP_MAC_fetch(nullptr, "HMAC", nullptr);
  Require(mac != nullptr, "EVP_MAC_fetch(HMAC)");
  Owned<EVP_MAC_CTX> context(EVP_MAC_CTX_new(mac));
  OSSL_PARAM params[] = {
      OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, const_cast<char*>("SM3"), 0),
      OSSL_PARAM_construct_end()};
  Require(context != nullptr &&
              EVP_MAC_init(context.get(), Bytes(mac_key), mac_key.size(), params) == 1,
          "EVP_MAC_init(HMAC-SM3)");
  uint8_t length[8];
  uint64_t aad_size = associated_data.size();
  for (int i = 7; i >= 0; --i, aad_size >>= 8) length[i] = static_cast<uint8_t>(aad_size);
  Require(EVP_MAC_update(context.get(), length, sizeof length) == 1 &&
              EVP_MAC_update(context.get(), Bytes(associated_data), associated_data.size()) == 1 &&
              EVP_MAC_update(context.get(), Bytes(iv), iv.size()) == 1 &&
              EVP_MAC_update(context.get(), Bytes(ciphertext), ciphertext.size()) == 1,
          "EVP_MAC_update(HMAC-SM3)");
  std::string tag(kSmTagBytes, '\0');
  size_t size = 0;
  Require(EVP_MAC_final(context.get(), internal::MutableBytes(tag), &size, tag.size()) == 1 &&
              size == kSmTagBytes,
          "EVP_MAC_final(HMAC-SM3)");
  return tag;
}

// SM4-CTR is its own inverse: the same call encrypts and decrypts.
std::string Sm4Ctr(std::string_view key, std::string_view iv, std::string_view input) {
  static EVP_CIPHER* const cipher = EVP_CIPHER_fetch(nullptr, "SM4-CTR", nullptr);
  Require(cipher != nullptr, "EVP_CIPHER_fetch(SM4-CTR)");
  Owned<EVP_CIPHER_CTX> context(EVP_CIPHER_CTX_new());
  Require(context != nullptr && EVP_EncryptInit_ex2(context.get(), cipher, Bytes(key), Bytes(iv),
                                                    nullptr) == 1,
          "EVP_EncryptInit_ex2(SM4-CTR)");
  std::string output(input.size(), '\0');
  size_t done = 0;
  // EVP_EncryptUpdate takes an int length: feed large inputs in chunks.
  constexpr size_t kChunk = size_t{1} << 24;
  while (done < input.size()) {
    const size_t chunk = std::min(kChunk, input.size() - done);
    int written = 0;
    Require(EVP_EncryptUpdate(context.get(), internal::MutableBytes(output) + done, &written,
                              Bytes(input) + done, static_cast<int>(chunk)) == 1 &&
                static_cast<size_t>(written) == chunk,
            "EVP_EncryptUpdate(SM4-CTR)");
    done += chunk;
  }
  return output;
}

}  // namespace

Result<std::unique_ptr<DecryptionKey>> GenerateDecryptionKey(pb::Suite suite) {
  switch (suite) {
    case pb::SUITE_INTL: {
      Owned<EVP_PKEY> pkey(EVP_PKEY_Q_keygen(nullptr, nullptr, "X25519"));
      Require(pkey != nullptr, "EVP_PKEY_Q_keygen(X25519)");
      return std::unique_ptr<DecryptionKey>(
          std::make_unique<X25519DecryptionKey>(std::move(pkey)));
    }
    case pb::SUITE_SM: {
      Result<std::unique_ptr<PrivateKey>> key = GenerateKey(pb::SUITE_SM);
      if (!key.ok()) return key.status();
      return std::unique_ptr<DecryptionKey>(
          std::make_unique<Sm2DecryptionKey>(std::move(key).value()));
    }
    default:
      return UnknownSuite();
  }
}

Result<std::unique_ptr<DecryptionKey>> DecryptionKeyFromPem(std::string_view pem,
                                                            std::string_view passphrase) {
  Result<Owned<EVP_PKEY>> pkey = internal::PkeyFromPem(pem, passphrase);
  if (!pkey.ok()) return pkey.status();
  if (EVP_PKEY_is_a(pkey->get(), "X25519")) {
    return std::unique_ptr<DecryptionKey>(
        std::make_unique<X25519DecryptionKey>(std::move(pkey).value()));
  }
  if (EVP_PKEY_is_a(pkey->get(), "SM2") || EVP_PKEY_is_a(pkey->get(), "EC")) {
    Result<std::unique_ptr<PrivateKey>> key = internal::Sm2KeyFromPkey(**pkey);
    if (!key.ok()) return key.status();
    return std::unique_ptr<DecryptionKey>(
        std::make_unique<Sm2DecryptionKey>(std::move(key).value()));
  }
  return Status(pb::Status::INVALID_ARGUMENT,
                "not an encryption key: expected an X25519 or SM2 private key");
}

bool IsEncryptionPublicKey(pb::Suite suite, std::string_view public_key) {
  internal::EnsureSodium();
  switch (suite) {
    case pb::SUITE_INTL:
      return IsX25519PublicKey(public_key);
    case pb::SUITE_SM:
      return internal::Sm2PublicKeyFromRaw(public_key) != nullptr;
    default:
      return false;
  }
}

std::string NewDataKey() { return Random(kDataKeyBytes); }

Result<std::string> WrapDataKey(pb::Suite suite, std::string_view reader_public_key,
                                std::string_view data_key) {
  if (data_key.size() != kDataKeyBytes) return BadDataKey();
  internal::EnsureSodium();
  switch (suite) {
    case pb::SUITE_INTL: {
      if (!IsX25519PublicKey(reader_public_key)) {
        return Status(pb::Status::INVALID_ARGUMENT,
                      "reader's encryption key is not an X25519 public key of full order");
      }
      std::string wrapped(kSealedBoxOverhead + kDataKeyBytes, '\0');
      Require(crypto_box_seal(internal::MutableBytes(wrapped), Bytes(data_key), data_key.size(),
                              Bytes(reader_public_key)) == 0,
              "crypto_box_seal");
      return wrapped;
    }
    case pb::SUITE_SM:
      return WrapSm2(reader_public_key, data_key);
    default:
      return UnknownSuite();
  }
}

Result<std::string> SealData(pb::Suite suite, std::string_view data_key,
                             std::string_view plaintext, std::string_view associated_data) {
  if (data_key.size() != kDataKeyBytes) return BadDataKey();
  if (plaintext.size() > kSealedPlaintextBytesMax) {
    return Status(pb::Status::TOO_LARGE, "plaintext exceeds " +
                                             std::to_string(kSealedPlaintextBytesMax) + " bytes");
  }
  internal::EnsureSodium();
  switch (suite) {
    case pb::SUITE_INTL: {
      std::string sealed = Random(kXNonceBytes);
      sealed.resize(kXNonceBytes + plaintext.size() + kXTagBytes);
      unsigned long long size = 0;
      Require(crypto_aead_xchacha20poly1305_ietf_encrypt(
                  internal::MutableBytes(sealed) + kXNonceBytes, &size, Bytes(plaintext),
                  plaintext.size(), Bytes(associated_data), associated_data.size(), nullptr,
                  Bytes(sealed), Bytes(data_key)) == 0 &&
                  size == plaintext.size() + kXTagBytes,
              "crypto_aead_xchacha20poly1305_ietf_encrypt");
      return sealed;
    }
    case pb::SUITE_SM: {
      const std::string iv = Random(kSm4IvBytes);
      const std::string ciphertext = Sm4Ctr(data_key.substr(0, kSm4KeyBytes), iv, plaintext);
      const std::string tag =
          SmTag(data_key.substr(kSm4KeyBytes), associated_data, iv, ciphertext);
      return iv + ciphertext + tag;
    }
    default:
      return UnknownSuite();
  }
}

Result<std::string> OpenData(pb::Suite suite, std::string_view data_key, std::string_view sealed,
                             std::string_view associated_data) {
  if (data_key.size() != kDataKeyBytes) return BadDataKey();
  internal::EnsureSodium();
  switch (suite) {
    case pb::SUITE_INTL: {
      if (sealed.size() < kXNonceBytes + kXTagBytes) {
        return Status(pb::Status::MALFORMED, "sealed data is shorter than its nonce and tag");
      }
      std::string plaintext(sealed.size() - kXNonceBytes - kXTagBytes, '\0');
      unsigned long long size = 0;
      if (crypto_aead_xchacha20poly1305_ietf_decrypt(
              internal::MutableBytes(plaintext), &size, nullptr, Bytes(sealed) + kXNonceBytes,
              sealed.size() - kXNonceBytes, Bytes(associated_data), associated_data.size(),
              Bytes(sealed), Bytes(data_key)) != 0) {
        return NotAuthentic();
      }
      return plaintext;
    }
    case pb::SUITE_SM: {
      if (sealed.size() < kSm4IvBytes + kSmTagBytes) {
        return Status(pb::Status::MALFORMED, "sealed data is shorter than its IV and tag");
      }
      const std::string_view iv = sealed.substr(0, kSm4IvBytes);
      const std::string_view ciphertext =
          sealed.substr(kSm4IvBytes, sealed.size() - kSm4IvBytes - kSmTagBytes);
      const std::string_view tag = sealed.substr(sealed.size() - kSmTagBytes);
      const std::string expected =
          SmTag(data_key.substr(kSm4KeyBytes), associated_data, iv, ciphertext);
      if (CRYPTO_memcmp(expected.data(), tag.data(), kSmTagBytes) != 0) return NotAuthentic();
      return Sm4Ctr(data_key.substr(0, kSm4KeyBytes), iv, ciphertext);
    }
    default:
      return UnknownSuite();
  }
}

}  // namespace onechain::crypto
