// Signature and hash suites. A network picks one suite in genesis:
//   intl: Ed25519 (libsodium) signatures, SHA-256 (OpenSSL) hashes;
//   sm:   SM2 signatures with SM3 and the standard user ID "1234567812345678" (OpenSSL 3),
//         SM3 hashes.
// Raw encodings used on the wire and in state:
//   public key: Ed25519 32 bytes; SM2 65 bytes (0x04 ‖ x ‖ y, uncompressed)
//   signature:  Ed25519 64 bytes (R ‖ S); SM2 64 bytes (r ‖ s, big-endian, each in [1, n-1])
//   hash:       32 bytes
// Verification rejects every non-canonical encoding (S ≥ L, small-order or non-canonical points,
// r or s out of range, wrong lengths).
#pragma once

#include <initializer_list>
#include <memory>
#include <string>
#include <string_view>

#include "types.pb.h"
#include "util/status.h"

namespace onechain::crypto {

inline constexpr size_t kHashBytes = 32;
inline constexpr size_t kSignatureBytes = 64;
inline constexpr size_t kEd25519PublicKeyBytes = 32;
inline constexpr size_t kSm2PublicKeyBytes = 65;

// Stateless, thread-safe.
class Suite {
 public:
  virtual ~Suite() = default;
  virtual pb::Suite id() const = 0;
  virtual const char* name() const = 0;  // "intl" or "sm"
  virtual size_t public_key_bytes() const = 0;
  // Hash of the concatenation of `parts`.
  virtual std::string Hash(std::initializer_list<std::string_view> parts) const = 0;
  std::string Hash(std::string_view data) const { return Hash({data}); }
  // True only for a canonical signature by `public_key` over exactly `message`.
  virtual bool Verify(std::string_view public_key, std::string_view message,
                      std::string_view signature) const = 0;
};

// Never null for SUITE_INTL and SUITE_SM; null for anything else.
const Suite* GetSuite(pb::Suite id);
// "intl" / "sm" -> suite; null for an unknown name.
const Suite* SuiteByName(std::string_view name);

// A signing key. Keys are stored as PKCS#8 PEM that `openssl pkey` reads, optionally encrypted
// with a passphrase (PBES2, AES-256-CBC, scrypt or PBKDF2).
class PrivateKey {
 public:
  virtual ~PrivateKey() = default;
  virtual pb::Suite suite() const = 0;
  virtual std::string public_key() const = 0;  // raw encoding as above
  virtual std::string Sign(std::string_view message) const = 0;
  // PEM; encrypted when `passphrase` is not empty.
  virtual Result<std::string> ToPem(std::string_view passphrase) const = 0;
};

Result<std::unique_ptr<PrivateKey>> GenerateKey(pb::Suite suite);
// Reads a PKCS#8 PEM private key (Ed25519 or SM2); the suite follows from the key type.
// Errors: MALFORMED (not a key we can read), INVALID_ARGUMENT (wrong passphrase, other key type).
Result<std::unique_ptr<PrivateKey>> PrivateKeyFromPem(std::string_view pem,
                                                      std::string_view passphrase);

}  // namespace onechain::crypto
