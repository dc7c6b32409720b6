// Public entry points of src/crypto: suite lookup, key generation and PEM loading. The suites
// themselves live in ed25519.cc and sm2.cc, PEM handling in pem.cc.
#include "crypto/crypto.h"

#include <openssl/err.h>

#include "crypto/internal.h"

namespace onechain::crypto {
namespace {

Result<std::unique_ptr<PrivateKey>> Ed25519KeyFromPkey(const EVP_PKEY& pkey) {
  internal::SecretBytes<32> seed;
  size_t seed_size = seed.size();
  if (EVP_PKEY_get_raw_private_key(&pkey, seed.data(), &seed_size) != 1 ||
      seed_size != seed.size()) {
    ERR_clear_error();
    return Status(pb::Status::MALFORMED, "Ed25519 private key is not a 32-byte seed");
  }
  return internal::Ed25519KeyFromSeed(seed.bytes);
}

}  // namespace

const Suite* GetSuite(pb::Suite id) {
  switch (id) {
    case pb::SUITE_INTL:
      return &internal::IntlSuite();
    case pb::SUITE_SM:
      return &internal::SmSuite();
    default:
      return nullptr;
  }
}

const Suite* SuiteByName(std::string_view name) {
  if (name == "intl") return &internal::IntlSuite();
  if (name == "sm") return &internal::SmSuite();
  return nullptr;
}

Result<std::unique_ptr<PrivateKey>> GenerateKey(pb::Suite suite) {
  switch (suite) {
    case pb::SUITE_INTL:
      return internal::GenerateEd25519Key();
    case pb::SUITE_SM:
      return internal::GenerateSm2Key();
    default:
      return Status(pb::Status::INVALID_ARGUMENT,
                    "cannot generate a key for suite " + std::to_string(static_cast<int>(suite)));
  }
}

Result<std::unique_ptr<PrivateKey>> PrivateKeyFromPem(std::string_view pem,
                                                      std::string_view passphrase) {
  Result<internal::Owned<EVP_PKEY>> pkey = internal::PkeyFromPem(pem, passphrase);
  if (!pkey.ok()) return pkey.status();
  const EVP_PKEY& key = **pkey;
  if (EVP_PKEY_is_a(&key, "ED25519")) return Ed25519KeyFromPkey(key);
  // OpenSSL 3.0 may load an SM2 key as type "EC" with group SM2; Sm2KeyFromPkey checks the group.
  if (EVP_PKEY_is_a(&key, "SM2") || EVP_PKEY_is_a(&key, "EC")) {
    return internal::Sm2KeyFromPkey(key);
  }
  const char* type = EVP_PKEY_get0_type_name(&key);
  return Status(pb::Status::INVALID_ARGUMENT, std::string("unsupported private key type ") +
                                                  (type ? type : "(unknown)") +
                                                  "; expected Ed25519 or SM2");
}

}  // namespace onechain::crypto
