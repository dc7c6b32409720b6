// PKCS#8 PEM for private keys of both suites.
//   plain:     "-----BEGIN PRIVATE KEY-----"            (PrivateKeyInfo, RFC 5208 / 5958)
//   encrypted: "-----BEGIN ENCRYPTED PRIVATE KEY-----"  (EncryptedPrivateKeyInfo, PBES2 with
//              scrypt N=2^14 r=8 p=1 and AES-256-CBC, RFC 8018 / RFC 7914)
// Reading parses the container before decrypting it, so a damaged file (MALFORMED) is told apart
// from a wrong passphrase (INVALID_ARGUMENT).
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/pkcs12.h>

#include "crypto/internal.h"

namespace onechain::crypto::internal {
namespace {

constexpr size_t kPemBytesMax = 64 * 1024;
constexpr size_t kPassphraseBytesMax = 1024;
// scrypt "interactive" cost: 16 MiB of memory, within OpenSSL's default 32 MiB decode limit.
constexpr uint64_t kScryptN = uint64_t{1} << 14;
constexpr uint64_t kScryptR = 8;
constexpr uint64_t kScryptP = 1;

Status Malformed(std::string message) {
  ERR_clear_error();
  return Status(pb::Status::MALFORMED, std::move(message));
}
Status InvalidArgument(std::string message) {
  ERR_clear_error();
  return Status(pb::Status::INVALID_ARGUMENT, std::move(message));
}

// The pieces PEM_read_bio hands back; the DER body may hold a plain key, so it is wiped.
struct PemBlock {
  char* label = nullptr;
  char* headers = nullptr;
  unsigned char* der = nullptr;
  long der_size = 0;
  PemBlock() = default;
  PemBlock(const PemBlock&) = delete;
  PemBlock& operator=(const PemBlock&) = delete;
  ~PemBlock() {
    OPENSSL_free(label);
    OPENSSL_free(headers);
    OPENSSL_clear_free(der, static_cast<size_t>(der_size));
  }
};

Owned<X509_SIG> Encrypt(PKCS8_PRIV_KEY_INFO& info, std::string_view passphrase) {
  Owned<X509_ALGOR> pbe(
      PKCS5_pbe2_set_scrypt(EVP_aes_256_cbc(), nullptr, 0, nullptr, kScryptN, kScryptR, kScryptP));
  Require(pbe != nullptr, "PKCS5_pbe2_set_scrypt");
  X509_SIG* encrypted =
      PKCS8_set0_pbe(passphrase.data(), static_cast<int>(passphrase.size()), &info, pbe.get());
  Require(encrypted != nullptr, "PKCS8_set0_pbe");
  pbe.release();  // now owned by `encrypted`
  return Owned<X509_SIG>(encrypted);
}

// Parses exactly `size` bytes of DER with `d2i`; null on any error or trailing bytes.
template <typename T, typename D2i>
Owned<T> ParseWhole(D2i d2i, const unsigned char* der, long size) {
  const unsigned char* cursor = der;
  Owned<T> parsed(d2i(nullptr, &cursor, size));
  if (parsed == nullptr || cursor != der + size) return nullptr;
  return parsed;
}

Result<Owned<PKCS8_PRIV_KEY_INFO>> DecryptBlock(const PemBlock& block,
                                                std::string_view passphrase) {
  auto encrypted = ParseWhole<X509_SIG>(d2i_X509_SIG, block.der, block.der_size);
  if (encrypted == nullptr) return Malformed("encrypted PKCS#8 structure does not decode");
  if (passphrase.empty()) return InvalidArgument("private key is encrypted; passphrase required");
  Owned<PKCS8_PRIV_KEY_INFO> info(
      PKCS8_decrypt(encrypted.get(), passphrase.data(), static_cast<int>(passphrase.size())));
  if (info == nullptr) return InvalidArgument("wrong passphrase for encrypted private key");
  return info;
}

Result<Owned<PKCS8_PRIV_KEY_INFO>> PrivateKeyInfoOf(const PemBlock& block,
                                                    std::string_view passphrase) {
  const std::string_view label = block.label;
  if (block.headers != nullptr && block.headers[0] != '\0') {
    return Malformed("PEM headers found; PKCS#8 PEM has none (legacy encrypted format?)");
  }
  if (label == PEM_STRING_PKCS8) return DecryptBlock(block, passphrase);
  if (label != PEM_STRING_PKCS8INF) {
    return Malformed("PEM block \"" + std::string(label) + "\" is not a PKCS#8 private key");
  }
  auto info = ParseWhole<PKCS8_PRIV_KEY_INFO>(d2i_PKCS8_PRIV_KEY_INFO, block.der, block.der_size);
  if (info == nullptr) return Malformed("PKCS#8 PrivateKeyInfo does not decode");
  return info;
}

}  // namespace

Result<std::string> PkeyToPem(const EVP_PKEY& pkey, std::string_view passphrase) {
  if (passphrase.size() > kPassphraseBytesMax) {
    return InvalidArgument("passphrase is longer than " + std::to_string(kPassphraseBytesMax) +
                           " bytes");
  }
  Owned<PKCS8_PRIV_KEY_INFO> info(EVP_PKEY2PKCS8(&pkey));
  Require(info != nullptr, "EVP_PKEY2PKCS8");
  // Secure-memory BIO: its buffer is cleansed when freed, since it may hold the plain key.
  Owned<BIO> bio(BIO_new(BIO_s_secmem()));
  Require(bio != nullptr, "BIO_new(BIO_s_secmem)");
  if (passphrase.empty()) {
    Require(PEM_write_bio_PKCS8_PRIV_KEY_INFO(bio.get(), info.get()) == 1, "PEM_write PKCS8INF");
  } else {
    Owned<X509_SIG> encrypted = Encrypt(*info, passphrase);
    Require(PEM_write_bio_PKCS8(bio.get(), encrypted.get()) == 1, "PEM_write PKCS8");
  }
  char* data = nullptr;
  const long size = BIO_get_mem_data(bio.get(), &data);
  Require(size > 0 && data != nullptr, "empty PEM output");
  return std::string(data, static_cast<size_t>(size));
}

Result<Owned<EVP_PKEY>> PkeyFromPem(std::string_view pem, std::string_view passphrase) {
  if (pem.size() > kPemBytesMax) {
    return Malformed("PEM is " + std::to_string(pem.size()) + " bytes; a private key is at most " +
                     std::to_string(kPemBytesMax));
  }
  if (passphrase.size() > kPassphraseBytesMax) {
    return InvalidArgument("passphrase is longer than " + std::to_string(kPassphraseBytesMax) +
                           " bytes");
  }
  Owned<BIO> bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
  Require(bio != nullptr, "BIO_new_mem_buf");
  PemBlock block;
  if (PEM_read_bio(bio.get(), &block.label, &block.headers, &block.der, &block.der_size) != 1) {
    return Malformed("no PEM block found");
  }
  Result<Owned<PKCS8_PRIV_KEY_INFO>> info = PrivateKeyInfoOf(block, passphrase);
  if (!info.ok()) return info.status();
  Owned<EVP_PKEY> pkey(EVP_PKCS82PKEY(info->get()));
  if (pkey == nullptr) return Malformed("PKCS#8 holds no private key OpenSSL can read");
  return pkey;
}

}  // namespace onechain::crypto::internal
