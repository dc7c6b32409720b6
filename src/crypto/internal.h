// Internal to src/crypto: RAII owners for OpenSSL objects, the hash engine shared by both suites,
// and the per-suite key factories that crypto.cc dispatches to. Nothing outside src/crypto
// includes this header.
#pragma once

#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/param_build.h>
#include <openssl/x509.h>

#include <array>
#include <cstdint>
#include <initializer_list>
#include <memory>
#include <span>
#include <string>
#include <string_view>

#include "crypto/crypto.h"

namespace onechain::crypto::internal {

// One deleter for every OpenSSL type we own; BIGNUMs may hold private scalars, so they are
// cleared before they are freed.
struct OpenSslFree {
  void operator()(BIO* p) const { BIO_free(p); }
  void operator()(BIGNUM* p) const { BN_clear_free(p); }
  void operator()(ECDSA_SIG* p) const { ECDSA_SIG_free(p); }
  void operator()(EVP_CIPHER* p) const { EVP_CIPHER_free(p); }
  void operator()(EVP_CIPHER_CTX* p) const { EVP_CIPHER_CTX_free(p); }
  void operator()(EVP_MAC* p) const { EVP_MAC_free(p); }
  void operator()(EVP_MAC_CTX* p) const { EVP_MAC_CTX_free(p); }
  void operator()(EVP_MD_CTX* p) const { EVP_MD_CTX_free(p); }
  void operator()(EVP_PKEY* p) const { EVP_PKEY_free(p); }
  void operator()(EVP_PKEY_CTX* p) const { EVP_PKEY_CTX_free(p); }
  void operator()(OSSL_PARAM* p) const { OSSL_PARAM_free(p); }
  void operator()(OSSL_PARAM_BLD* p) const { OSSL_PARAM_BLD_free(p); }
  void operator()(PKCS8_PRIV_KEY_INFO* p) const { PKCS8_PRIV_KEY_INFO_free(p); }
  void operator()(X509_ALGOR* p) const { X509_ALGOR_free(p); }
  void operator()(X509_SIG* p) const { X509_SIG_free(p); }
};
template <typename T>
using Owned = std::unique_ptr<T, OpenSslFree>;

// A fixed-size buffer for secret bytes that is wiped when it goes out of scope.
template <size_t N>
struct SecretBytes {
  std::array<uint8_t, N> bytes{};
  SecretBytes() = default;
  SecretBytes(const SecretBytes&) = delete;
  SecretBytes& operator=(const SecretBytes&) = delete;
  ~SecretBytes();
  uint8_t* data() { return bytes.data(); }
  const uint8_t* data() const { return bytes.data(); }
  static constexpr size_t size() { return N; }
};
void Cleanse(void* data, size_t size);
template <size_t N>
SecretBytes<N>::~SecretBytes() {
  Cleanse(bytes.data(), N);
}

// Aborts with `what` (and the OpenSSL error queue) when `ok` is false. Only for failures that
// input cannot cause: allocation failures or a broken library installation.
void Require(bool ok, const char* what);

inline const uint8_t* Bytes(std::string_view s) {
  return reinterpret_cast<const uint8_t*>(s.data());
}
inline uint8_t* MutableBytes(std::string& s) { return reinterpret_cast<uint8_t*>(s.data()); }
inline std::string_view AsView(std::span<const uint8_t> bytes) {
  return {reinterpret_cast<const char*>(bytes.data()), bytes.size()};
}

// ---- Hashing (digest.cc) ----
enum class HashAlgorithm { kSha256, kSm3 };
// Hash of the concatenation of `parts` without copying them; uses a per-thread context.
void HashInto(HashAlgorithm algorithm, std::initializer_list<std::string_view> parts,
              std::span<uint8_t, kHashBytes> out);
std::string HashParts(HashAlgorithm algorithm, std::initializer_list<std::string_view> parts);
// The explicitly fetched digest, valid for the life of the process.
const EVP_MD* FetchedMd(HashAlgorithm algorithm);

// ---- Suites (ed25519.cc, sm2.cc) ----
// Initialises libsodium once; every libsodium caller runs it first.
void EnsureSodium();
const Suite& IntlSuite();
const Suite& SmSuite();

// ---- Keys ----
std::unique_ptr<PrivateKey> GenerateEd25519Key();
std::unique_ptr<PrivateKey> Ed25519KeyFromSeed(std::span<const uint8_t, 32> seed);
std::unique_ptr<PrivateKey> GenerateSm2Key();
// An SM2 public key from its raw encoding (0x04 ‖ x ‖ y); null when `raw` is not canonical or
// not a point on the curve.
Owned<EVP_PKEY> Sm2PublicKeyFromRaw(std::string_view raw);
// `pkey` is an SM2 key or an EC key on curve SM2, with its private part.
Result<std::unique_ptr<PrivateKey>> Sm2KeyFromPkey(const EVP_PKEY& pkey);

// ---- PEM (pem.cc) ----
// PKCS#8 PEM of `pkey`; encrypted with scrypt + AES-256-CBC when `passphrase` is not empty.
Result<std::string> PkeyToPem(const EVP_PKEY& pkey, std::string_view passphrase);
// Reads a PKCS#8 PEM (plain or encrypted) into an OpenSSL key of any type.
Result<Owned<EVP_PKEY>> PkeyFromPem(std::string_view pem, std::string_view passphrase);

}  // namespace onechain::crypto::internal
