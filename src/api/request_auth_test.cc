#include "api/request_auth.h"

#include <gtest/gtest.h>

#include "util/bytes.h"

namespace onechain::api {
namespace {

constexpr int64_t kNow = 1'795'000'000;
constexpr std::string_view kNonce = "n0nce-0123456789abc";

class RequestAuthTest : public ::testing::TestWithParam<pb::Suite> {
 protected:
  void SetUp() override {
    auto key = crypto::GenerateKey(GetParam());
    ASSERT_TRUE(key.ok());
    key_ = std::move(*key);
    suite_ = crypto::GetSuite(GetParam());
  }

  RequestParts Request() const { return {"GET", "/v1/claims/ab12", "case=7&page_size=20", ""}; }

  Result<std::string> Verify(const RequestParts& request, const SignatureHeaders& headers,
                             int64_t now = kNow) {
    return verifier().Verify(request, headers, now);
  }

  RequestVerifier& verifier() {
    if (!verifier_) verifier_ = std::make_unique<RequestVerifier>(*suite_);
    return *verifier_;
  }

  void ExpectRefused(const RequestParts& request, const SignatureHeaders& headers,
                     std::string_view sentence_part) {
    Result<std::string> result = Verify(request, headers);
    ASSERT_FALSE(result.ok());
    EXPECT_EQ(result.status().code(), pb::Status::UNAUTHENTICATED);
    EXPECT_NE(result.status().message().find(sentence_part), std::string::npos)
        << result.status().message();
  }

  std::unique_ptr<crypto::PrivateKey> key_;
  const crypto::Suite* suite_ = nullptr;
  std::unique_ptr<RequestVerifier> verifier_;
};

TEST_P(RequestAuthTest, SignedRequestVerifiesToTheSignersKey) {
  SignatureHeaders headers = SignRequest(*key_, Request(), kNow, kNonce);
  EXPECT_EQ(headers.signature_input,
            std::string("sig1=(\"@method\" \"@path\" \"@query\" \"content-digest\");created=") +
                std::to_string(kNow) + ";nonce=\"" + std::string(kNonce) + "\";keyid=\"" +
                ToHex(key_->public_key()) + "\";alg=\"" +
                (GetParam() == pb::SUITE_SM ? "sm2-sm3" : "ed25519") + "\"");
  Result<std::string> signer = Verify(Request(), headers);
  ASSERT_TRUE(signer.ok()) << signer.status().ToString();
  EXPECT_EQ(*signer, key_->public_key());
}

TEST_P(RequestAuthTest, ContentDigestIsRfc9530Sha256) {
  // SHA-256 of "" and of {"hello": "world"} (the latter is RFC 9530's own example).
  EXPECT_EQ(ContentDigest(""), "sha-256=:47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=:");
  EXPECT_EQ(ContentDigest("{\"hello\": \"world\"}"),
            "sha-256=:X48E9qOokqqrvdts8nOJRJN3OWDUoyWxBf7kbu9DBPE=:");
}

TEST_P(RequestAuthTest, EveryChangedComponentIsRefused) {
  SignatureHeaders headers = SignRequest(*key_, Request(), kNow, kNonce);
  std::vector<RequestParts> changed(4, Request());
  changed[0].method = "POST";
  changed[1].path = "/v1/claims/ab13";
  changed[2].query = "case=8&page_size=20";
  changed[3].query = "";
  for (const RequestParts& other : changed) ExpectRefused(other, headers, "does not verify");
  RequestParts other = Request();
  other.body = "x";
  ExpectRefused(other, headers, "Content-Digest");
  // A body with its digest recomputed still fails: the digest is signed.
  SignatureHeaders redigested = headers;
  redigested.content_digest = ContentDigest("x");
  ExpectRefused(other, redigested, "does not verify");
}

TEST_P(RequestAuthTest, ReplayIsRefusedAndANewNonceIsNot) {
  SignatureHeaders headers = SignRequest(*key_, Request(), kNow, kNonce);
  ASSERT_TRUE(Verify(Request(), headers).ok());
  ExpectRefused(Request(), headers, "replay");
  SignatureHeaders again = SignRequest(*key_, Request(), kNow, "another-nonce-0123");
  EXPECT_TRUE(Verify(Request(), again).ok());
}

TEST_P(RequestAuthTest, CreatedOutsideTheWindowIsRefused) {
  for (int64_t offset : {-kSignatureSkewSecondsMax - 1, kSignatureSkewSecondsMax + 1}) {
    SignatureHeaders headers = SignRequest(*key_, Request(), kNow + offset, kNonce);
    ExpectRefused(Request(), headers, "s from now");
  }
  for (int64_t offset : {-kSignatureSkewSecondsMax, kSignatureSkewSecondsMax}) {
    SignatureHeaders headers = SignRequest(*key_, Request(), kNow + offset, kNonce);
    EXPECT_TRUE(Verify(Request(), headers).ok()) << offset;
  }
}

TEST_P(RequestAuthTest, MalformedHeadersAreRefusedWithTheirReason) {
  const SignatureHeaders good = SignRequest(*key_, Request(), kNow, kNonce);
  auto with_input = [&](std::string input) {
    SignatureHeaders h = good;
    h.signature_input = std::move(input);
    return h;
  };
  std::string params_tail = good.signature_input.substr(good.signature_input.find(";created"));
  ExpectRefused(Request(), SignatureHeaders{}, "carries Content-Digest");
  ExpectRefused(Request(), with_input("sig2=" + good.signature_input.substr(5)), "must be sig1");
  ExpectRefused(Request(), with_input("sig1=(\"@method\" \"@path\")" + params_tail),
                "must be sig1");
  ExpectRefused(Request(), with_input(good.signature_input + ";expires=1"), "in that order");
  ExpectRefused(Request(), with_input(good.signature_input.substr(
                               0, good.signature_input.find(";nonce"))),
                "in that order");
  std::string short_nonce = good.signature_input;
  short_nonce.replace(short_nonce.find(kNonce), kNonce.size(), "short");
  ExpectRefused(Request(), with_input(short_nonce), "nonce is 16 to 64");
  std::string other_alg = good.signature_input;
  other_alg.replace(other_alg.find("alg=\"") + 5, 3, "rsa");
  ExpectRefused(Request(), with_input(other_alg), "alg");
  std::string upper_key = good.signature_input;
  size_t key_at = upper_key.find("keyid=\"") + 7;
  for (size_t i = key_at; upper_key[i] != '"'; ++i) upper_key[i] = static_cast<char>(toupper(upper_key[i]));
  ExpectRefused(Request(), with_input(upper_key), "keyid");
  std::string negative = good.signature_input;
  negative.replace(negative.find("created=") + 8, std::to_string(kNow).size(), "-5");
  ExpectRefused(Request(), with_input(negative), "created");

  SignatureHeaders bad_signature = good;
  bad_signature.signature = "sig1=:!!!:";
  ExpectRefused(Request(), bad_signature, "64-byte signature");
  bad_signature.signature = "sig1=:AAAA:";
  ExpectRefused(Request(), bad_signature, "64-byte signature");
  bad_signature.signature = good.signature.substr(0, good.signature.size() - 1);
  ExpectRefused(Request(), bad_signature, "sig1=:<base64>:");
  SignatureHeaders oversized = good;
  oversized.signature_input.append(kSignatureHeaderBytesMax, ' ');
  ExpectRefused(Request(), oversized, "longer than");
}

TEST_P(RequestAuthTest, AnotherKeysSignatureIsRefused) {
  auto other = crypto::GenerateKey(GetParam());
  ASSERT_TRUE(other.ok());
  SignatureHeaders mine = SignRequest(*key_, Request(), kNow, kNonce);
  SignatureHeaders theirs = SignRequest(**other, Request(), kNow, kNonce);
  mine.signature = theirs.signature;  // keyid still names key_
  ExpectRefused(Request(), mine, "does not verify");
}

TEST(RequestAuth, RandomNoncesAreValidAndDistinct) {
  std::string a = RandomNonce(), b = RandomNonce();
  EXPECT_NE(a, b);
  EXPECT_EQ(a.size(), 24u);
  auto key = crypto::GenerateKey(pb::SUITE_INTL);
  ASSERT_TRUE(key.ok());
  RequestVerifier verifier(*crypto::GetSuite(pb::SUITE_INTL));
  RequestParts request{"GET", "/v1/me", "", ""};
  EXPECT_TRUE(verifier.Verify(request, SignRequest(**key, request, kNow, a), kNow).ok());
}

INSTANTIATE_TEST_SUITE_P(Suites, RequestAuthTest, ::testing::Values(pb::SUITE_INTL, pb::SUITE_SM),
                         [](const auto& info) {
                           return std::string(info.param == pb::SUITE_SM ? "sm" : "intl");
                         });

}  // namespace
}  // namespace onechain::api
