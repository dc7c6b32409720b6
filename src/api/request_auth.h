// Signed requests: how a caller proves, on a read, which account it is. HTTP Message Signatures
// (RFC 9421) over the method, path, query and the body's Content-Digest (RFC 9530), made with the
// caller's account key — the same key that signs its transactions. Only one exact shape is
// accepted, so there is nothing to negotiate and nothing ambiguous to verify:
//
//   Content-Digest:  sha-256=:<base64 of SHA-256 of the body>:
//   Signature-Input: sig1=("@method" "@path" "@query" "content-digest");created=<unix s>;
//                    nonce="<16-64 chars [A-Za-z0-9_-]>";keyid="<hex public key>";alg="<alg>"
//   Signature:       sig1=:<base64 of the 64-byte signature>:
//
// (Signature-Input is one line.) alg is "ed25519" for the intl suite and "sm2-sm3" for the sm
// suite. The signed bytes are RFC 9421's signature base:
//
//   "@method": GET
//   "@path": /v1/cases/…
//   "@query": ?credit_code=…          ("?" alone when there is no query)
//   "content-digest": sha-256=:…:
//   "@signature-params": ("@method" "@path" "@query" "content-digest");created=…;nonce="…";…
//
// lines joined by "\n" with no final newline. The verifier refuses a `created` more than
// kSignatureSkewSecondsMax away from its clock and a signature it has already accepted within
// that window (replay).
#pragma once

#include <cstdint>
#include <deque>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_set>

#include "crypto/crypto.h"
#include "util/status.h"

namespace onechain::api {

inline constexpr int64_t kSignatureSkewSecondsMax = 300;
inline constexpr size_t kSignatureHeaderBytesMax = 1024;
inline constexpr size_t kReplayCacheEntriesMax = 1'000'000;

struct RequestParts {
  std::string_view method;  // "GET"
  std::string_view path;    // "/v1/me", without the query
  std::string_view query;   // the raw query without "?", empty when there is none
  std::string_view body;
};

struct SignatureHeaders {
  std::string content_digest;
  std::string signature_input;
  std::string signature;

  bool empty() const {
    return content_digest.empty() && signature_input.empty() && signature.empty();
  }
};

// "sha-256=:<base64>:" of `body`.
std::string ContentDigest(std::string_view body);

// The headers that sign `request` with `key` at `created` (unix seconds). `nonce` makes two
// identical requests in one second distinct; 16 to 64 characters of [A-Za-z0-9_-].
SignatureHeaders SignRequest(const crypto::PrivateKey& key, const RequestParts& request,
                             int64_t created, std::string_view nonce);

// A nonce for SignRequest from the system's random source.
std::string RandomNonce();

// Thread-safe.
class RequestVerifier {
 public:
  explicit RequestVerifier(const crypto::Suite& suite) : suite_(suite) {}

  // The signer's public key when `headers` sign `request` validly at `now` (unix seconds).
  // Codes: UNAUTHENTICATED (missing, malformed, stale, replayed or not verifying),
  // UNAVAILABLE (the replay cache is full). Every message says which part failed.
  Result<std::string> Verify(const RequestParts& request, const SignatureHeaders& headers,
                             int64_t now);

 private:
  // Records `signature` as used at `created`; false if it was used already.
  Result<bool> Remember(const std::string& signature, int64_t created, int64_t now);

  const crypto::Suite& suite_;
  std::mutex mu_;
  std::unordered_set<std::string> seen_;                 // guarded by mu_
  std::deque<std::pair<int64_t, std::string>> by_time_;  // (created, signature); guarded by mu_
};

}  // namespace onechain::api
