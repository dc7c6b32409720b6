// Proves ToEvpPkey hands OpenSSL the same key pair: OpenSSL's public key equals ours, and what
// OpenSSL signs with it our suite verifies (Ed25519 and SM2).
#include "crypto/openssl_key.h"

#include <gtest/gtest.h>
#include <openssl/core_names.h>

#include <string>

namespace onechain::crypto {
namespace {

std::string OpenSslSign(EVP_PKEY* pkey, const EVP_MD* md, std::string_view message) {
  EVP_MD_CTX* ctx = EVP_MD_CTX_new();
  EXPECT_EQ(EVP_DigestSignInit(ctx, nullptr, md, nullptr, pkey), 1);
  size_t size = 0;
  const auto* data = reinterpret_cast<const unsigned char*>(message.data());
  EXPECT_EQ(EVP_DigestSign(ctx, nullptr, &size, data, message.size()), 1);
  std::string signature(size, '\0');
  EXPECT_EQ(EVP_DigestSign(ctx, reinterpret_cast<unsigned char*>(signature.data()), &size, data,
                           message.size()),
            1);
  signature.resize(size);
  EVP_MD_CTX_free(ctx);
  return signature;
}

TEST(ToEvpPkey, Ed25519KeyPairMatches) {
  auto key = GenerateKey(pb::SUITE_INTL);
  ASSERT_TRUE(key.ok());
  EvpPkey pkey = ToEvpPkey(**key);
  ASSERT_TRUE(EVP_PKEY_is_a(pkey.get(), "ED25519"));
  std::string raw(kEd25519PublicKeyBytes, '\0');
  size_t size = raw.size();
  ASSERT_EQ(EVP_PKEY_get_raw_public_key(pkey.get(), reinterpret_cast<unsigned char*>(raw.data()),
                                        &size),
            1);
  EXPECT_EQ(raw, (*key)->public_key());
  const std::string signature = OpenSslSign(pkey.get(), nullptr, "peer link");
  EXPECT_TRUE(GetSuite(pb::SUITE_INTL)->Verify((*key)->public_key(), "peer link", signature));
  EXPECT_FALSE(GetSuite(pb::SUITE_INTL)->Verify((*key)->public_key(), "peer linK", signature));
}

TEST(ToEvpPkey, Sm2KeyHasTheSamePublicPoint) {
  auto key = GenerateKey(pb::SUITE_SM);
  ASSERT_TRUE(key.ok());
  EvpPkey pkey = ToEvpPkey(**key);
  ASSERT_TRUE(EVP_PKEY_is_a(pkey.get(), "SM2") || EVP_PKEY_is_a(pkey.get(), "EC"));
  std::string point(kSm2PublicKeyBytes, '\0');
  size_t size = 0;
  ASSERT_EQ(EVP_PKEY_get_octet_string_param(pkey.get(), OSSL_PKEY_PARAM_ENCODED_PUBLIC_KEY,
                                            reinterpret_cast<unsigned char*>(point.data()),
                                            point.size(), &size),
            1);
  ASSERT_EQ(size, kSm2PublicKeyBytes);
  EXPECT_EQ(point, (*key)->public_key());
}

}  // namespace
}  // namespace onechain::crypto
