#include "api/request_auth.h"

#include <sodium.h>

#include <charconv>

#include "util/bytes.h"

namespace onechain::api {

namespace {

constexpr std::string_view kLabel = "sig1";
constexpr std::string_view kComponents = R"(("@method" "@path" "@query" "content-digest"))";
constexpr size_t kNonceCharsMin = 16;
constexpr size_t kNonceCharsMax = 64;

std::string Base64(std::string_view bytes) {
  std::string out(sodium_base64_encoded_len(bytes.size(), sodium_base64_VARIANT_ORIGINAL), '\0');
  sodium_bin2base64(out.data(), out.size(), reinterpret_cast<const unsigned char*>(bytes.data()),
                    bytes.size(), sodium_base64_VARIANT_ORIGINAL);
  out.resize(out.size() - 1);  // the terminating NUL
  return out;
}

std::optional<std::string> FromBase64(std::string_view text, size_t bytes_max) {
  std::string out(bytes_max, '\0');
  size_t length = 0;
  const char* end = nullptr;
  if (sodium_base642bin(reinterpret_cast<unsigned char*>(out.data()), out.size(), text.data(),
                        text.size(), nullptr, &length, &end,
                        sodium_base64_VARIANT_ORIGINAL) != 0 ||
      end != text.data() + text.size()) {
    return std::nullopt;
  }
  out.resize(length);
  return out;
}

const char* AlgorithmOf(pb::Suite suite) { return suite == pb::SUITE_SM ? "sm2-sm3" : "ed25519"; }

bool IsNonce(std::string_view nonce) {
  if (nonce.size() < kNonceCharsMin || nonce.size() > kNonceCharsMax) return false;
  for (char c : nonce) {
    bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
              c == '_' || c == '-';
    if (!ok) return false;
  }
  return true;
}

// The inner list with its parameters, as it appears after "sig1=" and in the signature base.
std::string SignatureParams(int64_t created, std::string_view nonce, std::string_view key_hex,
                            std::string_view alg) {
  std::string out(kComponents);
  out.append(";created=").append(std::to_string(created));
  out.append(";nonce=\"").append(nonce).append("\"");
  out.append(";keyid=\"").append(key_hex).append("\"");
  out.append(";alg=\"").append(alg).append("\"");
  return out;
}

std::string SignatureBase(const RequestParts& request, std::string_view content_digest,
                          std::string_view params) {
  std::string base;
  base.append("\"@method\": ").append(request.method).append("\n");
  base.append("\"@path\": ").append(request.path).append("\n");
  base.append("\"@query\": ?").append(request.query).append("\n");
  base.append("\"content-digest\": ").append(content_digest).append("\n");
  base.append("\"@signature-params\": ").append(params);
  return base;
}

Status Unauthenticated(std::string message) {
  return Status(pb::Status::UNAUTHENTICATED, std::move(message));
}

// Reads `name="value"` at `pos` of `text` (value without quotes or backslashes); advances pos.
std::optional<std::string_view> ReadQuotedParam(std::string_view text, size_t& pos,
                                                std::string_view name) {
  std::string prefix = ";" + std::string(name) + "=\"";
  if (text.substr(pos, prefix.size()) != prefix) return std::nullopt;
  size_t start = pos + prefix.size();
  size_t end = text.find('"', start);
  if (end == std::string_view::npos) return std::nullopt;
  pos = end + 1;
  return text.substr(start, end - start);
}

}  // namespace

std::string ContentDigest(std::string_view body) {
  return "sha-256=:" + Base64(crypto::GetSuite(pb::SUITE_INTL)->Hash(body)) + ":";
}

std::string RandomNonce() {
  unsigned char bytes[18];
  randombytes_buf(bytes, sizeof bytes);
  std::string out(sodium_base64_encoded_len(sizeof bytes, sodium_base64_VARIANT_URLSAFE_NO_PADDING),
                  '\0');
  sodium_bin2base64(out.data(), out.size(), bytes, sizeof bytes,
                    sodium_base64_VARIANT_URLSAFE_NO_PADDING);
  out.resize(out.size() - 1);
  return out;
}

SignatureHeaders SignRequest(const crypto::PrivateKey& key, const RequestParts& request,
                             int64_t created, std::string_view nonce) {
  SignatureHeaders headers;
  headers.content_digest = ContentDigest(request.body);
  std::string params =
      SignatureParams(created, nonce, ToHex(key.public_key()), AlgorithmOf(key.suite()));
  headers.signature_input = std::string(kLabel) + "=" + params;
  std::string signature = key.Sign(SignatureBase(request, headers.content_digest, params));
  headers.signature = std::string(kLabel) + "=:" + Base64(signature) + ":";
  return headers;
}

Result<std::string> RequestVerifier::Verify(const RequestParts& request,
                                            const SignatureHeaders& headers, int64_t now) {
  if (headers.content_digest.empty() || headers.signature_input.empty() ||
      headers.signature.empty()) {
    return Unauthenticated(
        "a signed request carries Content-Digest, Signature-Input and Signature headers");
  }
  if (headers.content_digest.size() > kSignatureHeaderBytesMax ||
      headers.signature_input.size() > kSignatureHeaderBytesMax ||
      headers.signature.size() > kSignatureHeaderBytesMax) {
    return Unauthenticated("a signature header is longer than " +
                           std::to_string(kSignatureHeaderBytesMax) + " bytes");
  }
  if (headers.content_digest != ContentDigest(request.body)) {
    return Unauthenticated("Content-Digest is not sha-256=:…: of the request body");
  }

  // Signature-Input: sig1=(<the four components>);created=N;nonce="…";keyid="…";alg="…"
  std::string_view input = headers.signature_input;
  std::string label_prefix = std::string(kLabel) + "=";
  if (input.substr(0, label_prefix.size()) != label_prefix ||
      input.substr(label_prefix.size(), kComponents.size()) != kComponents) {
    return Unauthenticated(
        "Signature-Input must be sig1=(\"@method\" \"@path\" \"@query\" \"content-digest\") "
        "followed by created, nonce, keyid and alg");
  }
  std::string_view params = input.substr(label_prefix.size());
  size_t pos = kComponents.size();
  constexpr std::string_view kCreated = ";created=";
  if (params.substr(pos, kCreated.size()) != kCreated) {
    return Unauthenticated("Signature-Input has no created parameter where expected");
  }
  pos += kCreated.size();
  int64_t created = 0;
  auto [end, error] = std::from_chars(params.data() + pos, params.data() + params.size(), created);
  if (error != std::errc() || created <= 0) {
    return Unauthenticated("Signature-Input's created is not a positive count of seconds");
  }
  pos = static_cast<size_t>(end - params.data());
  std::optional<std::string_view> nonce = ReadQuotedParam(params, pos, "nonce");
  std::optional<std::string_view> key_hex = nonce ? ReadQuotedParam(params, pos, "keyid") : std::nullopt;
  std::optional<std::string_view> alg = key_hex ? ReadQuotedParam(params, pos, "alg") : std::nullopt;
  if (!alg || pos != params.size()) {
    return Unauthenticated("Signature-Input's parameters must be created, nonce, keyid, alg, in "
                           "that order and nothing else");
  }
  if (!IsNonce(*nonce)) {
    return Unauthenticated("the nonce is 16 to 64 characters of A-Z, a-z, 0-9, _ and -");
  }
  if (*alg != AlgorithmOf(suite_.id())) {
    return Unauthenticated(std::string("this network signs with alg \"") +
                           AlgorithmOf(suite_.id()) + "\"");
  }
  std::optional<std::string> public_key = FromHex(*key_hex);
  if (!public_key || public_key->size() != suite_.public_key_bytes() ||
      ToHex(*public_key) != *key_hex) {
    return Unauthenticated("keyid is not the lowercase hex of a public key of this network");
  }
  if (created < now - kSignatureSkewSecondsMax || created > now + kSignatureSkewSecondsMax) {
    return Unauthenticated("the signature was created " + std::to_string(created - now) +
                           " s from now; at most " + std::to_string(kSignatureSkewSecondsMax) +
                           " s either way are accepted");
  }

  // Signature: sig1=:<base64>:
  std::string_view signature_header = headers.signature;
  std::string sig_prefix = std::string(kLabel) + "=:";
  if (signature_header.substr(0, sig_prefix.size()) != sig_prefix ||
      signature_header.size() < sig_prefix.size() + 1 || signature_header.back() != ':') {
    return Unauthenticated("Signature must be sig1=:<base64>:");
  }
  std::optional<std::string> signature = FromBase64(
      signature_header.substr(sig_prefix.size(), signature_header.size() - sig_prefix.size() - 1),
      crypto::kSignatureBytes);
  if (!signature || signature->size() != crypto::kSignatureBytes) {
    return Unauthenticated("Signature does not hold a 64-byte signature in base64");
  }
  if (!suite_.Verify(*public_key, SignatureBase(request, headers.content_digest, params),
                     *signature)) {
    return Unauthenticated("the request signature does not verify with keyid's key");
  }
  Result<bool> fresh = Remember(*signature, created, now);
  if (!fresh.ok()) return fresh.status();
  if (!*fresh) return Unauthenticated("this signed request was used already (replay)");
  return std::move(*public_key);
}

Result<bool> RequestVerifier::Remember(const std::string& signature, int64_t created,
                                       int64_t now) {
  std::lock_guard lock(mu_);
  while (!by_time_.empty() && by_time_.front().first < now - kSignatureSkewSecondsMax) {
    seen_.erase(by_time_.front().second);
    by_time_.pop_front();
  }
  if (seen_.contains(signature)) return false;
  if (seen_.size() >= kReplayCacheEntriesMax) {
    return Status(pb::Status::UNAVAILABLE, "too many signed requests at once; retry shortly");
  }
  seen_.insert(signature);
  by_time_.emplace_back(created, signature);
  return true;
}

}  // namespace onechain::api
