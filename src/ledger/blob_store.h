// Content-addressed store for the ciphertext of materials (docs/materials.md), beside RocksDB:
// large files stay out of the block and state column families, and the chain holds only their
// hash, size, media type and wrapped keys. A blob is named by the suite hash of its bytes and
// lives at <dir>/<first two hex digits>/<hex hash>. Writes are durable before Put returns
// (temporary file, fsync, rename, fsync of the directory), so a kill -9 leaves either the whole
// blob or none; reads check the hash, so a damaged file is reported, never served.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "crypto/crypto.h"
#include "util/status.h"

namespace onechain::ledger {

// Largest blob the store accepts unless told otherwise: one material file after encryption.
inline constexpr uint64_t kBlobBytesMaxDefault = uint64_t{32} << 20;

class BlobStore {
 public:
  // Opens or creates the store in `dir`. Blobs larger than `max_blob_bytes` are refused.
  static Result<std::unique_ptr<BlobStore>> Open(std::string dir, const crypto::Suite& suite,
                                                 uint64_t max_blob_bytes = kBlobBytesMaxDefault);

  // Stores `bytes` durably and returns their hash (32 bytes). Storing the same bytes again is a
  // no-op. TOO_LARGE beyond the limit (nothing written); IO when the disk refuses.
  Result<std::string> Put(std::string_view bytes) const;
  // The bytes whose hash is `hash`. MALFORMED for a hash of the wrong length; NOT_FOUND when no
  // such blob is stored; IO when the stored file no longer matches its hash.
  Result<std::string> Get(std::string_view hash) const;
  // Whether a blob with this hash is stored (its content is not checked).
  bool Has(std::string_view hash) const;

  uint64_t max_blob_bytes() const { return max_blob_bytes_; }

 private:
  BlobStore(std::string dir, const crypto::Suite& suite, uint64_t max_blob_bytes)
      : dir_(std::move(dir)), suite_(suite), max_blob_bytes_(max_blob_bytes) {}
  std::string PathOf(std::string_view hash) const;

  std::string dir_;
  const crypto::Suite& suite_;
  uint64_t max_blob_bytes_;
};

}  // namespace onechain::ledger
