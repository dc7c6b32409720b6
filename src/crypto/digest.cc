// SHA-256 and SM3 through OpenSSL EVP. Hash() is on the hot path (Merkle trees, transaction ids),
// so each digest is fetched once per process and each thread reuses one EVP_MD_CTX per algorithm:
// no allocation and no method-store lookup per call, and no temporary concatenation of parts.
#include <openssl/err.h>

#include <cstdio>
#include <cstdlib>

#include "crypto/internal.h"

namespace onechain::crypto::internal {
namespace {

constexpr size_t kAlgorithmCount = 2;

size_t Index(HashAlgorithm algorithm) { return static_cast<size_t>(algorithm); }

// Fetched once, never freed: an EVP_MD must outlive every thread's context that uses it, and
// threads may still hash while static destructors run.
const std::array<const EVP_MD*, kAlgorithmCount>& FetchedMds() {
  static const std::array<const EVP_MD*, kAlgorithmCount> mds = [] {
    std::array<const EVP_MD*, kAlgorithmCount> fetched = {
        EVP_MD_fetch(nullptr, "SHA2-256", nullptr), EVP_MD_fetch(nullptr, "SM3", nullptr)};
    Require(fetched[0] != nullptr, "OpenSSL has no SHA2-256");
    Require(fetched[1] != nullptr, "OpenSSL has no SM3");
    Require(EVP_MD_get_size(fetched[0]) == kHashBytes, "SHA2-256 is not 32 bytes");
    Require(EVP_MD_get_size(fetched[1]) == kHashBytes, "SM3 is not 32 bytes");
    return fetched;
  }();
  return mds;
}

EVP_MD_CTX* ThreadContext(HashAlgorithm algorithm) {
  thread_local std::array<Owned<EVP_MD_CTX>, kAlgorithmCount> contexts;
  Owned<EVP_MD_CTX>& context = contexts[Index(algorithm)];
  if (context == nullptr) {
    context.reset(EVP_MD_CTX_new());
    Require(context != nullptr, "EVP_MD_CTX_new failed");
  }
  return context.get();
}

}  // namespace

void Cleanse(void* data, size_t size) { OPENSSL_cleanse(data, size); }

void Require(bool ok, const char* what) {
  if (ok) return;
  std::fprintf(stderr, "onechain crypto: fatal: %s\n", what);
  ERR_print_errors_fp(stderr);
  std::abort();
}

const EVP_MD* FetchedMd(HashAlgorithm algorithm) { return FetchedMds()[Index(algorithm)]; }

void HashInto(HashAlgorithm algorithm, std::initializer_list<std::string_view> parts,
              std::span<uint8_t, kHashBytes> out) {
  EVP_MD_CTX* context = ThreadContext(algorithm);
  // Re-initialising with the same EVP_MD keeps the provider's digest state allocation.
  Require(EVP_DigestInit_ex2(context, FetchedMd(algorithm), nullptr) == 1, "EVP_DigestInit_ex2");
  for (std::string_view part : parts) {
    Require(EVP_DigestUpdate(context, part.data(), part.size()) == 1, "EVP_DigestUpdate");
  }
  unsigned int written = 0;
  Require(EVP_DigestFinal_ex(context, out.data(), &written) == 1, "EVP_DigestFinal_ex");
  Require(written == kHashBytes, "digest length is not 32 bytes");
}

std::string HashParts(HashAlgorithm algorithm, std::initializer_list<std::string_view> parts) {
  std::array<uint8_t, kHashBytes> digest;
  HashInto(algorithm, parts, digest);
  return std::string(AsView(digest));
}

}  // namespace onechain::crypto::internal
