#include "crypto/seal.h"

#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>

#include "util/bytes.h"

namespace onechain::crypto {
namespace {

class SealTest : public testing::TestWithParam<pb::Suite> {
 protected:
  std::unique_ptr<DecryptionKey> NewKey() {
    Result<std::unique_ptr<DecryptionKey>> key = GenerateDecryptionKey(GetParam());
    EXPECT_TRUE(key.ok()) << key.status().ToString();
    return std::move(key).value();
  }
};

TEST_P(SealTest, EveryReaderOpensTheSameDataKeyAndNobodyElse) {
  const std::string data_key = NewDataKey();
  ASSERT_EQ(data_key.size(), kDataKeyBytes);
  auto creditor = NewKey();
  auto administrator = NewKey();
  auto outsider = NewKey();
  for (const auto* reader : {creditor.get(), administrator.get()}) {
    EXPECT_TRUE(IsEncryptionPublicKey(GetParam(), reader->public_key()));
    Result<std::string> wrapped = WrapDataKey(GetParam(), reader->public_key(), data_key);
    ASSERT_TRUE(wrapped.ok()) << wrapped.status().ToString();
    EXPECT_LE(wrapped->size(), kWrappedKeyBytesMax);
    Result<std::string> opened = reader->UnwrapDataKey(*wrapped);
    ASSERT_TRUE(opened.ok()) << opened.status().ToString();
    EXPECT_EQ(*opened, data_key);
    Result<std::string> stolen = outsider->UnwrapDataKey(*wrapped);
    ASSERT_FALSE(stolen.ok());
    EXPECT_EQ(stolen.status().code(), pb::Status::INVALID_ARGUMENT);
  }
}

TEST_P(SealTest, AlteringAnyByteOfAWrappedKeyIsRefused) {
  auto reader = NewKey();
  const std::string data_key = NewDataKey();
  const std::string wrapped = *WrapDataKey(GetParam(), reader->public_key(), data_key);
  for (size_t i = 0; i < wrapped.size(); ++i) {
    std::string altered = wrapped;
    altered[i] = static_cast<char>(altered[i] ^ 0x01);
    Result<std::string> opened = reader->UnwrapDataKey(altered);
    // SM2's DER may still parse after a flip in a length byte; what matters is that no altered
    // wrapping yields a key.
    EXPECT_FALSE(opened.ok()) << "byte " << i;
  }
  EXPECT_EQ(reader->UnwrapDataKey("").status().code(), pb::Status::MALFORMED);
  EXPECT_EQ(reader->UnwrapDataKey(std::string(kWrappedKeyBytesMax + 1, 'x')).status().code(),
            pb::Status::MALFORMED);
}

TEST_P(SealTest, SealedDataOpensOnlyWithItsKeyAndAssociatedData) {
  const std::string data_key = NewDataKey();
  for (size_t size : {size_t{0}, size_t{1}, size_t{15}, size_t{16}, size_t{17}, size_t{100000}}) {
    std::string plaintext(size, '\0');
    for (size_t i = 0; i < size; ++i) plaintext[i] = static_cast<char>(i * 131 + 7);
    Result<std::string> sealed = SealData(GetParam(), data_key, plaintext, "claim-17/material-2");
    ASSERT_TRUE(sealed.ok()) << sealed.status().ToString();
    // Shorter plaintexts may turn up in random ciphertext by chance.
    if (size >= 16) {
      EXPECT_EQ(sealed->find(plaintext), std::string::npos);
    }
    Result<std::string> opened = OpenData(GetParam(), data_key, *sealed, "claim-17/material-2");
    ASSERT_TRUE(opened.ok()) << opened.status().ToString();
    EXPECT_EQ(*opened, plaintext);
    EXPECT_FALSE(OpenData(GetParam(), data_key, *sealed, "claim-18/material-2").ok());
    EXPECT_FALSE(OpenData(GetParam(), NewDataKey(), *sealed, "claim-17/material-2").ok());
  }
  // Two seals of the same plaintext differ (fresh nonce or IV each time).
  EXPECT_NE(*SealData(GetParam(), data_key, "same", ""), *SealData(GetParam(), data_key, "same", ""));
}

TEST_P(SealTest, AlteringAnyByteOfSealedDataIsRefused) {
  const std::string data_key = NewDataKey();
  const std::string sealed = *SealData(GetParam(), data_key, "review result: confirmed", "aad");
  for (size_t i = 0; i < sealed.size(); ++i) {
    std::string altered = sealed;
    altered[i] = static_cast<char>(altered[i] ^ 0x80);
    Result<std::string> opened = OpenData(GetParam(), data_key, altered, "aad");
    ASSERT_FALSE(opened.ok()) << "byte " << i;
    EXPECT_EQ(opened.status().code(), pb::Status::INVALID_ARGUMENT);
  }
  Result<std::string> truncated = OpenData(GetParam(), data_key, sealed.substr(0, 10), "aad");
  EXPECT_EQ(truncated.status().code(), pb::Status::MALFORMED);
}

TEST_P(SealTest, BadKeysAreRefusedWithAReason) {
  EXPECT_EQ(WrapDataKey(GetParam(), NewKey()->public_key(), "short").status().code(),
            pb::Status::INVALID_ARGUMENT);
  EXPECT_EQ(SealData(GetParam(), "short", "x", "").status().code(), pb::Status::INVALID_ARGUMENT);
  EXPECT_EQ(OpenData(GetParam(), std::string(33, 'k'), "x", "").status().code(),
            pb::Status::INVALID_ARGUMENT);
  for (const std::string& bad : {std::string(), std::string(32, '\0'), std::string(65, '\x04'),
                                 std::string(31, '\x09')}) {
    EXPECT_FALSE(IsEncryptionPublicKey(GetParam(), bad));
    Result<std::string> wrapped = WrapDataKey(GetParam(), bad, NewDataKey());
    ASSERT_FALSE(wrapped.ok());
    EXPECT_EQ(wrapped.status().code(), pb::Status::INVALID_ARGUMENT);
    EXPECT_NE(wrapped.status().message().find("encryption key"), std::string::npos);
  }
}

TEST_P(SealTest, PemRoundTripKeepsTheKeyAndItsPassphrase) {
  auto key = NewKey();
  const std::string wrapped = *WrapDataKey(GetParam(), key->public_key(), NewDataKey());
  for (const std::string passphrase : {"", "correct horse"}) {
    Result<std::string> pem = key->ToPem(passphrase);
    ASSERT_TRUE(pem.ok()) << pem.status().ToString();
    Result<std::unique_ptr<DecryptionKey>> loaded = DecryptionKeyFromPem(*pem, passphrase);
    ASSERT_TRUE(loaded.ok()) << loaded.status().ToString();
    EXPECT_EQ((*loaded)->suite(), GetParam());
    EXPECT_EQ((*loaded)->public_key(), key->public_key());
    EXPECT_EQ(*(*loaded)->UnwrapDataKey(wrapped), *key->UnwrapDataKey(wrapped));
  }
  EXPECT_FALSE(DecryptionKeyFromPem(*key->ToPem("right"), "wrong").ok());
}

INSTANTIATE_TEST_SUITE_P(Suites, SealTest, testing::Values(pb::SUITE_INTL, pb::SUITE_SM),
                         [](const auto& info) { return info.param == pb::SUITE_INTL ? "intl" : "sm"; });

TEST(SealKeys, ASigningKeyIsNoEncryptionKey) {
  auto signing = *GenerateKey(pb::SUITE_INTL);
  Result<std::unique_ptr<DecryptionKey>> loaded = DecryptionKeyFromPem(*signing->ToPem(""), "");
  ASSERT_FALSE(loaded.ok());
  EXPECT_EQ(loaded.status().code(), pb::Status::INVALID_ARGUMENT);
}

nlohmann::json LoadVectors(const char* name) {
  std::ifstream in(std::string(ONECHAIN_TESTDATA_DIR "/wycheproof/") + name);
  EXPECT_TRUE(in.good()) << name;
  return nlohmann::json::parse(in);
}

std::string Unhex(const nlohmann::json& value) {
  std::optional<std::string> bytes = FromHex(value.get<std::string>());
  EXPECT_TRUE(bytes.has_value());
  return bytes.value_or(std::string());
}

// Wycheproof XChaCha20-Poly1305: every 192-bit-nonce case through OpenData's format
// nonce ‖ ciphertext ‖ tag — valid ones open to the message, invalid ones are refused.
TEST(SealVectors, WycheproofXChaCha20Poly1305) {
  const nlohmann::json vectors = LoadVectors("xchacha20_poly1305_test.json");
  size_t checked = 0;
  for (const auto& group : vectors["testGroups"]) {
    if (group["ivSize"] != 192 || group["keySize"] != 256) continue;
    for (const auto& test : group["tests"]) {
      const std::string sealed = Unhex(test["iv"]) + Unhex(test["ct"]) + Unhex(test["tag"]);
      Result<std::string> opened =
          OpenData(pb::SUITE_INTL, Unhex(test["key"]), sealed, Unhex(test["aad"]));
      if (test["result"] == "valid") {
        ASSERT_TRUE(opened.ok()) << "tcId " << test["tcId"];
        EXPECT_EQ(*opened, Unhex(test["msg"])) << "tcId " << test["tcId"];
      } else {
        EXPECT_FALSE(opened.ok()) << "tcId " << test["tcId"];
      }
      ++checked;
    }
  }
  EXPECT_GT(checked, 250u);
}

// Wycheproof X25519: a reader key is usable exactly when it is not of small order, i.e. when the
// vector's shared secret is not all zeros.
TEST(SealVectors, WycheproofX25519PublicKeys) {
  const nlohmann::json vectors = LoadVectors("x25519_test.json");
  size_t low_order = 0;
  size_t checked = 0;
  for (const auto& group : vectors["testGroups"]) {
    for (const auto& test : group["tests"]) {
      const std::string public_key = Unhex(test["public"]);
      const bool zero_shared = Unhex(test["shared"]) == std::string(32, '\0');
      low_order += zero_shared;
      EXPECT_EQ(IsEncryptionPublicKey(pb::SUITE_INTL, public_key), !zero_shared)
          << "tcId " << test["tcId"];
      ++checked;
    }
  }
  EXPECT_GT(checked, 500u);
  EXPECT_GT(low_order, 10u);
}

}  // namespace
}  // namespace onechain::crypto
