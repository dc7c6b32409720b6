// End-to-end encryption of case materials: envelope encryption. A file is encrypted once under a
// fresh 32-byte data key; the data key is wrapped for each reader's encryption key, so the chain
// and the blob store hold only ciphertext and wrapped keys.
//
//   suite  data (SealData / OpenData)                   wrapping (WrapDataKey / UnwrapDataKey)
//   intl   XChaCha20-Poly1305 (IETF, libsodium),        libsodium sealed box: ephemeral X25519
//          random 24-byte nonce, 16-byte tag            + XSalsa20-Poly1305 to the reader's X25519
//   sm     SM4-CTR + HMAC-SM3 (encrypt-then-MAC),       SM2 public-key encryption (GB/T 32918.4),
//          random 16-byte IV, 32-byte tag               C1 ‖ C3 ‖ C2 in the DER of GM/T 0009
//
// OpenSSL 3.0 has no SM4-GCM, so the sm suite authenticates with HMAC-SM3 over
// len(aad) ‖ aad ‖ iv ‖ ciphertext; the data key's first 16 bytes key SM4 and its last 16 bytes
// key the MAC. Formats (docs/materials.md):
//   sealed data, intl: nonce(24) ‖ ciphertext ‖ tag(16)
//   sealed data, sm:   iv(16) ‖ ciphertext ‖ tag(32)
// An encryption key is separate from the account's signing key: X25519 for intl, an SM2 key pair
// for sm; both as PKCS#8 PEM that `openssl pkey` reads.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "crypto/crypto.h"

namespace onechain::crypto {

inline constexpr size_t kDataKeyBytes = 32;
inline constexpr size_t kX25519PublicKeyBytes = 32;
// Largest plaintext SealData takes (materials are bounded well below this by their contracts).
inline constexpr size_t kSealedPlaintextBytesMax = size_t{1} << 30;
// Largest wrapped key UnwrapDataKey parses (an SM2 ciphertext of 32 bytes is about 140 bytes).
inline constexpr size_t kWrappedKeyBytesMax = 256;

// An account's encryption key pair: the private part opens data keys wrapped for its public key.
class DecryptionKey {
 public:
  virtual ~DecryptionKey() = default;
  virtual pb::Suite suite() const = 0;
  // X25519: 32 bytes; SM2: 65 bytes (0x04 ‖ x ‖ y).
  virtual std::string public_key() const = 0;
  // The data key inside `wrapped`. INVALID_ARGUMENT when it was not wrapped for this key or was
  // altered; MALFORMED when its size is impossible.
  virtual Result<std::string> UnwrapDataKey(std::string_view wrapped) const = 0;
  // PKCS#8 PEM; encrypted when `passphrase` is not empty.
  virtual Result<std::string> ToPem(std::string_view passphrase) const = 0;
};

Result<std::unique_ptr<DecryptionKey>> GenerateDecryptionKey(pb::Suite suite);
// Reads an X25519 or SM2 PKCS#8 PEM; the suite follows from the key type.
Result<std::unique_ptr<DecryptionKey>> DecryptionKeyFromPem(std::string_view pem,
                                                            std::string_view passphrase);

// True when `public_key` is a usable encryption key of `suite` (length, encoding, on the curve,
// not of small order).
bool IsEncryptionPublicKey(pb::Suite suite, std::string_view public_key);

// A fresh random data key (kDataKeyBytes).
std::string NewDataKey();

// `data_key` wrapped so that only the holder of `reader_public_key`'s private part can open it.
// INVALID_ARGUMENT when the public key is unusable or the data key has the wrong size.
Result<std::string> WrapDataKey(pb::Suite suite, std::string_view reader_public_key,
                                std::string_view data_key);

// Encrypts and authenticates `plaintext`, binding `associated_data` (not stored in the output).
Result<std::string> SealData(pb::Suite suite, std::string_view data_key,
                             std::string_view plaintext, std::string_view associated_data);
// The plaintext, or INVALID_ARGUMENT when the key, the associated data or any byte is wrong.
Result<std::string> OpenData(pb::Suite suite, std::string_view data_key, std::string_view sealed,
                             std::string_view associated_data);

}  // namespace onechain::crypto
