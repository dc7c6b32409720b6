// Suite "sm": SM2 signatures (GB/T 32918.2) with SM3 and the default user ID, SM3 hashes
// (GB/T 32905), all through OpenSSL 3 EVP.
//
// Signing takes OpenSSL's standard path (EVP_DigestSign with the "distid" parameter), which
// computes Z_A itself. Verification caches, per thread and per public key, the parsed key with an
// initialised EVP_PKEY_CTX and Z_A, then verifies e = SM3(Z_A ‖ M) with EVP_PKEY_verify: no key
// parsing, method fetch or Z_A hash per call, and no OpenSSL object shared between threads.
// Tests check that both paths agree with each other and with OpenSSL's own DigestVerify.
#include <openssl/core_names.h>
#include <openssl/err.h>

#include <cstring>
#include <unordered_map>

#include "crypto/internal.h"

namespace onechain::crypto::internal {
namespace {

constexpr size_t kCoordinateBytes = 32;
constexpr size_t kScalarBytes = 32;
// SEQUENCE { INTEGER r, INTEGER s }: 2 + 2 × (2 + 33) bytes at most.
constexpr size_t kDerSignatureBytesMax = 72;
// Public keys whose verifier one thread keeps; beyond that an arbitrary entry is evicted.
constexpr size_t kVerifiersPerThreadMax = 1024;
constexpr std::string_view kDefaultUserId = "1234567812345678";
constexpr uint8_t kUncompressedPointTag = 0x04;

using Bytes32 = std::array<uint8_t, 32>;

constexpr uint8_t HexNibble(char c) { return c <= '9' ? c - '0' : (c & ~0x20) - 'A' + 10; }
constexpr Bytes32 Hex32(const char (&hex)[65]) {
  Bytes32 out{};
  for (size_t i = 0; i < out.size(); ++i) {
    out[i] = static_cast<uint8_t>(HexNibble(hex[2 * i]) << 4 | HexNibble(hex[2 * i + 1]));
  }
  return out;
}

// Curve parameters of the SM2 recommended curve (GB/T 32918.5), big-endian.
constexpr Bytes32 kFieldPrime =
    Hex32("FFFFFFFEFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF00000000FFFFFFFFFFFFFFFF");
constexpr Bytes32 kCurveA =
    Hex32("FFFFFFFEFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF00000000FFFFFFFFFFFFFFFC");
constexpr Bytes32 kCurveB =
    Hex32("28E9FA9E9D9F5E344D5A9E4BCF6509A7F39789F515AB8F92DDBCBD414D940E93");
constexpr Bytes32 kGeneratorX =
    Hex32("32C4AE2C1F1981195F9904466A39C9948FE30BBFF2660BE1715A4589334C74C7");
constexpr Bytes32 kGeneratorY =
    Hex32("BC3736A2F4F6779C59BDCEE36B692153D0A9877CC62A474002DF32E52139F0A0");
constexpr Bytes32 kOrder =
    Hex32("FFFFFFFEFFFFFFFFFFFFFFFFFFFFFFFF7203DF6B21C6052B53BBF40939D54123");

// Big-endian comparison of two 32-byte numbers.
bool LessThan(std::span<const uint8_t, 32> a, const Bytes32& b) {
  return std::memcmp(a.data(), b.data(), b.size()) < 0;
}
bool IsZero(std::span<const uint8_t, 32> a) {
  uint8_t any = 0;
  for (uint8_t byte : a) any |= byte;
  return any == 0;
}
bool ScalarInRange(std::span<const uint8_t, 32> scalar) {
  return !IsZero(scalar) && LessThan(scalar, kOrder);
}

// 0x04 ‖ x ‖ y with x, y < p. Whether the point is on the curve is left to OpenSSL.
bool IsCanonicalPublicKey(std::string_view raw) {
  if (raw.size() != kSm2PublicKeyBytes || Bytes(raw)[0] != kUncompressedPointTag) return false;
  std::span<const uint8_t, 32> x(Bytes(raw) + 1, kCoordinateBytes);
  std::span<const uint8_t, 32> y(Bytes(raw) + 1 + kCoordinateBytes, kCoordinateBytes);
  return LessThan(x, kFieldPrime) && LessThan(y, kFieldPrime);
}

// r ‖ s, each in [1, n-1].
bool IsCanonicalSignature(std::string_view raw) {
  if (raw.size() != kSignatureBytes) return false;
  return ScalarInRange(std::span<const uint8_t, 32>(Bytes(raw), kScalarBytes)) &&
         ScalarInRange(std::span<const uint8_t, 32>(Bytes(raw) + kScalarBytes, kScalarBytes));
}

// Z_A = SM3(ENTL_A ‖ ID_A ‖ a ‖ b ‖ x_G ‖ y_G ‖ x_A ‖ y_A), GB/T 32918.2 §5.5; `point_xy` is
// x_A ‖ y_A.
Bytes32 UserHashZ(std::string_view point_xy) {
  constexpr uint16_t kUserIdBits = kDefaultUserId.size() * 8;
  const uint8_t entl[2] = {kUserIdBits >> 8, kUserIdBits & 0xff};
  Bytes32 z;
  HashInto(HashAlgorithm::kSm3,
           {AsView(entl), kDefaultUserId, AsView(kCurveA), AsView(kCurveB), AsView(kGeneratorX),
            AsView(kGeneratorY), point_xy},
           z);
  return z;
}

// Appends DER INTEGER for a non-zero 32-byte big-endian value; returns the bytes written.
size_t DerAppendInteger(std::span<const uint8_t, 32> value, uint8_t* out) {
  size_t skip = 0;
  while (skip < value.size() - 1 && value[skip] == 0) ++skip;
  const bool pad = (value[skip] & 0x80) != 0;
  const size_t length = value.size() - skip + (pad ? 1 : 0);
  size_t at = 0;
  out[at++] = 0x02;
  out[at++] = static_cast<uint8_t>(length);
  if (pad) out[at++] = 0x00;
  std::memcpy(out + at, value.data() + skip, value.size() - skip);
  return at + value.size() - skip;
}

// DER of r ‖ s (already checked to be in range); returns the length used in `der`.
size_t DerEncodeSignature(std::string_view raw, std::array<uint8_t, kDerSignatureBytesMax>& der) {
  size_t at = 2;
  at += DerAppendInteger(std::span<const uint8_t, 32>(Bytes(raw), kScalarBytes), &der[at]);
  at += DerAppendInteger(std::span<const uint8_t, 32>(Bytes(raw) + kScalarBytes, kScalarBytes),
                         &der[at]);
  der[0] = 0x30;
  der[1] = static_cast<uint8_t>(at - 2);
  return at;
}

// r ‖ s from OpenSSL's DER signature.
std::string RawFromDer(const uint8_t* der, size_t size) {
  const uint8_t* cursor = der;
  Owned<ECDSA_SIG> sig(d2i_ECDSA_SIG(nullptr, &cursor, static_cast<long>(size)));
  Require(sig != nullptr && cursor == der + size, "OpenSSL produced an undecodable SM2 signature");
  const BIGNUM* r = nullptr;
  const BIGNUM* s = nullptr;
  ECDSA_SIG_get0(sig.get(), &r, &s);
  std::string raw(kSignatureBytes, '\0');
  auto* out = reinterpret_cast<uint8_t*>(raw.data());
  Require(BN_bn2binpad(r, out, kScalarBytes) == kScalarBytes, "SM2 r wider than 32 bytes");
  Require(BN_bn2binpad(s, out + kScalarBytes, kScalarBytes) == kScalarBytes,
          "SM2 s wider than 32 bytes");
  return raw;
}

// An SM2 EVP_PKEY from OSSL_PARAMs (`selection` EVP_PKEY_PUBLIC_KEY or EVP_PKEY_KEYPAIR);
// null when OpenSSL rejects them, e.g. a point that is not on the curve.
Owned<EVP_PKEY> Sm2KeyFromParams(OSSL_PARAM_BLD& builder, int selection) {
  Require(OSSL_PARAM_BLD_push_utf8_string(&builder, OSSL_PKEY_PARAM_GROUP_NAME, "SM2", 0) == 1,
          "OSSL_PARAM_BLD_push_utf8_string");
  Owned<OSSL_PARAM> params(OSSL_PARAM_BLD_to_param(&builder));
  Require(params != nullptr, "OSSL_PARAM_BLD_to_param");
  Owned<EVP_PKEY_CTX> context(EVP_PKEY_CTX_new_from_name(nullptr, "SM2", nullptr));
  Require(context != nullptr && EVP_PKEY_fromdata_init(context.get()) == 1,
          "EVP_PKEY_fromdata_init(SM2)");
  EVP_PKEY* pkey = nullptr;
  if (EVP_PKEY_fromdata(context.get(), &pkey, selection, params.get()) != 1) {
    ERR_clear_error();
    return nullptr;
  }
  return Owned<EVP_PKEY>(pkey);
}

Owned<EVP_PKEY> PublicKeyFromRaw(std::string_view raw) {
  Owned<OSSL_PARAM_BLD> builder(OSSL_PARAM_BLD_new());
  Require(builder != nullptr, "OSSL_PARAM_BLD_new");
  Require(OSSL_PARAM_BLD_push_octet_string(builder.get(), OSSL_PKEY_PARAM_PUB_KEY, raw.data(),
                                           raw.size()) == 1,
          "OSSL_PARAM_BLD_push_octet_string");
  return Sm2KeyFromParams(*builder, EVP_PKEY_PUBLIC_KEY);
}

struct Sm2Verifier {
  Owned<EVP_PKEY_CTX> context;  // EVP_PKEY_verify_init done; owns a reference to the key
  Bytes32 z{};                  // Z_A for the default user ID
};

// Null when `raw` (already canonical) is not a point on the curve.
std::unique_ptr<Sm2Verifier> NewVerifier(std::string_view raw) {
  Owned<EVP_PKEY> pkey = PublicKeyFromRaw(raw);
  if (pkey == nullptr) return nullptr;
  auto verifier = std::make_unique<Sm2Verifier>();
  verifier->context.reset(EVP_PKEY_CTX_new_from_pkey(nullptr, pkey.get(), nullptr));
  Require(verifier->context != nullptr, "EVP_PKEY_CTX_new_from_pkey");
  Require(EVP_PKEY_verify_init(verifier->context.get()) == 1, "EVP_PKEY_verify_init(SM2)");
  verifier->z = UserHashZ(raw.substr(1));
  return verifier;
}

// One per thread: lookups take no lock and no EVP object is ever used by two threads.
class VerifierCache {
 public:
  const Sm2Verifier* Get(std::string_view public_key) {
    if (auto it = verifiers_.find(public_key); it != verifiers_.end()) return it->second.get();
    std::unique_ptr<Sm2Verifier> verifier = NewVerifier(public_key);
    if (verifier == nullptr) return nullptr;
    if (verifiers_.size() >= kVerifiersPerThreadMax) verifiers_.erase(verifiers_.begin());
    return verifiers_.emplace(std::string(public_key), std::move(verifier)).first->second.get();
  }

 private:
  struct TransparentHash {
    using is_transparent = void;
    size_t operator()(std::string_view s) const { return std::hash<std::string_view>()(s); }
  };
  std::unordered_map<std::string, std::unique_ptr<Sm2Verifier>, TransparentHash, std::equal_to<>>
      verifiers_;
};

class Sm2Suite final : public Suite {
 public:
  pb::Suite id() const override { return pb::SUITE_SM; }
  const char* name() const override { return "sm"; }
  size_t public_key_bytes() const override { return kSm2PublicKeyBytes; }

  std::string Hash(std::initializer_list<std::string_view> parts) const override {
    return HashParts(HashAlgorithm::kSm3, parts);
  }

  bool Verify(std::string_view public_key, std::string_view message,
              std::string_view signature) const override {
    if (!IsCanonicalPublicKey(public_key) || !IsCanonicalSignature(signature)) return false;
    thread_local VerifierCache cache;
    const Sm2Verifier* verifier = cache.Get(public_key);
    if (verifier == nullptr) return false;
    Bytes32 e;
    HashInto(HashAlgorithm::kSm3, {AsView(verifier->z), message}, e);
    std::array<uint8_t, kDerSignatureBytesMax> der;
    const size_t der_size = DerEncodeSignature(signature, der);
    const bool ok =
        EVP_PKEY_verify(verifier->context.get(), der.data(), der_size, e.data(), e.size()) == 1;
    if (!ok) ERR_clear_error();
    return ok;
  }
};

class Sm2PrivateKey final : public PrivateKey {
 public:
  Sm2PrivateKey(Owned<EVP_PKEY> pkey, std::string public_key)
      : pkey_(std::move(pkey)), public_key_(std::move(public_key)) {}

  pb::Suite suite() const override { return pb::SUITE_SM; }
  std::string public_key() const override { return public_key_; }

  std::string Sign(std::string_view message) const override {
    Owned<EVP_MD_CTX> context(EVP_MD_CTX_new());
    Require(context != nullptr, "EVP_MD_CTX_new");
    OSSL_PARAM params[] = {OSSL_PARAM_construct_octet_string(
                               OSSL_PKEY_PARAM_DIST_ID, const_cast<char*>(kDefaultUserId.data()),
                               kDefaultUserId.size()),
                           OSSL_PARAM_construct_end()};
    // The user ID is set on the initialised context: OpenSSL 3.0.19 refuses it as an init
    // parameter (before the digest is bound), while setting it afterwards works on every 3.0.x.
    EVP_PKEY_CTX* key_context = nullptr;
    Require(EVP_DigestSignInit_ex(context.get(), &key_context, "SM3", nullptr, nullptr,
                                  pkey_.get(), nullptr) == 1,
            "EVP_DigestSignInit_ex(SM2, SM3)");
    Require(EVP_PKEY_CTX_set_params(key_context, params) == 1, "EVP_PKEY_CTX_set_params(SM2 ID)");
    std::array<uint8_t, kDerSignatureBytesMax> der;
    size_t der_size = der.size();
    Require(
        EVP_DigestSign(context.get(), der.data(), &der_size, Bytes(message), message.size()) == 1,
        "EVP_DigestSign(SM2)");
    return RawFromDer(der.data(), der_size);
  }

  Result<std::string> ToPem(std::string_view passphrase) const override {
    return PkeyToPem(*pkey_, passphrase);
  }

 private:
  Owned<EVP_PKEY> pkey_;  // SM2 key pair; OpenSSL clears the scalar when it is freed
  std::string public_key_;
};

// x ‖ y of an EC public key, each left-padded to 32 bytes, after 0x04.
Result<std::string> RawPublicKeyOf(const EVP_PKEY& pkey) {
  std::string raw(kSm2PublicKeyBytes, '\0');
  raw[0] = static_cast<char>(kUncompressedPointTag);
  const char* names[] = {OSSL_PKEY_PARAM_EC_PUB_X, OSSL_PKEY_PARAM_EC_PUB_Y};
  for (size_t i = 0; i < 2; ++i) {
    BIGNUM* coordinate_raw = nullptr;
    if (EVP_PKEY_get_bn_param(&pkey, names[i], &coordinate_raw) != 1) {
      ERR_clear_error();
      return Status(pb::Status::MALFORMED, "SM2 key has no public point");
    }
    Owned<BIGNUM> coordinate(coordinate_raw);
    auto* out = reinterpret_cast<uint8_t*>(raw.data()) + 1 + i * kCoordinateBytes;
    if (BN_bn2binpad(coordinate.get(), out, kCoordinateBytes) != kCoordinateBytes) {
      return Status(pb::Status::MALFORMED, "SM2 public point coordinate wider than 32 bytes");
    }
  }
  return raw;
}

bool IsSm2Curve(const EVP_PKEY& pkey) {
  char group[64] = {};
  size_t group_size = 0;
  if (EVP_PKEY_get_group_name(&pkey, group, sizeof(group), &group_size) != 1) {
    ERR_clear_error();
    return false;
  }
  return std::string_view(group, group_size) == "SM2";
}

// Rebuilds `pkey` as an SM2-type key pair (OpenSSL may load SM2 keys as type EC) and checks that
// the scalar is in range and matches the public point.
Result<Owned<EVP_PKEY>> Sm2KeyPairFrom(const EVP_PKEY& pkey, std::string_view raw_public) {
  BIGNUM* scalar_raw = nullptr;
  if (EVP_PKEY_get_bn_param(&pkey, OSSL_PKEY_PARAM_PRIV_KEY, &scalar_raw) != 1) {
    ERR_clear_error();
    return Status(pb::Status::MALFORMED, "SM2 key has no private scalar");
  }
  Owned<BIGNUM> scalar(scalar_raw);
  Owned<OSSL_PARAM_BLD> builder(OSSL_PARAM_BLD_new());
  Require(builder != nullptr, "OSSL_PARAM_BLD_new");
  Require(OSSL_PARAM_BLD_push_BN(builder.get(), OSSL_PKEY_PARAM_PRIV_KEY, scalar.get()) == 1 &&
              OSSL_PARAM_BLD_push_octet_string(builder.get(), OSSL_PKEY_PARAM_PUB_KEY,
                                               raw_public.data(), raw_public.size()) == 1,
          "OSSL_PARAM_BLD_push");
  Owned<EVP_PKEY> rebuilt = Sm2KeyFromParams(*builder, EVP_PKEY_KEYPAIR);
  if (rebuilt == nullptr) return Status(pb::Status::MALFORMED, "SM2 key parameters rejected");
  Owned<EVP_PKEY_CTX> check(EVP_PKEY_CTX_new_from_pkey(nullptr, rebuilt.get(), nullptr));
  Require(check != nullptr, "EVP_PKEY_CTX_new_from_pkey");
  if (EVP_PKEY_check(check.get()) != 1) {
    ERR_clear_error();
    return Status(pb::Status::INVALID_ARGUMENT,
                  "SM2 private scalar is out of range or does not match the public key");
  }
  return rebuilt;
}

}  // namespace

Owned<EVP_PKEY> Sm2PublicKeyFromRaw(std::string_view raw) {
  if (!IsCanonicalPublicKey(raw)) return nullptr;
  return PublicKeyFromRaw(raw);
}

const Suite& SmSuite() {
  static const Sm2Suite suite;
  return suite;
}

std::unique_ptr<PrivateKey> GenerateSm2Key() {
  Owned<EVP_PKEY_CTX> context(EVP_PKEY_CTX_new_from_name(nullptr, "SM2", nullptr));
  Require(context != nullptr && EVP_PKEY_keygen_init(context.get()) == 1 &&
              EVP_PKEY_CTX_set_group_name(context.get(), "SM2") == 1,
          "EVP_PKEY_keygen_init(SM2)");
  EVP_PKEY* generated = nullptr;
  Require(EVP_PKEY_generate(context.get(), &generated) == 1, "EVP_PKEY_generate(SM2)");
  Owned<EVP_PKEY> pkey(generated);
  // A key OpenSSL just generated needs neither the rebuild nor the consistency check that a
  // loaded key gets.
  Result<std::string> raw_public = RawPublicKeyOf(*pkey);
  Require(raw_public.ok(), "a freshly generated SM2 key has no public point");
  return std::make_unique<Sm2PrivateKey>(std::move(pkey), std::move(raw_public).value());
}

Result<std::unique_ptr<PrivateKey>> Sm2KeyFromPkey(const EVP_PKEY& pkey) {
  if (!IsSm2Curve(pkey)) {
    return Status(pb::Status::INVALID_ARGUMENT, "EC key is not on curve SM2");
  }
  Result<std::string> raw_public = RawPublicKeyOf(pkey);
  if (!raw_public.ok()) return raw_public.status();
  Result<Owned<EVP_PKEY>> pair = Sm2KeyPairFrom(pkey, *raw_public);
  if (!pair.ok()) return pair.status();
  return std::unique_ptr<PrivateKey>(
      std::make_unique<Sm2PrivateKey>(std::move(pair).value(), std::move(raw_public).value()));
}

}  // namespace onechain::crypto::internal
