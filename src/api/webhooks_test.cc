// The webhook signature: HMAC-SHA256 over "<t>." + body, keyed with the secret's text.
#include "api/webhooks.h"

#include <gtest/gtest.h>

namespace onechain::api {
namespace {

TEST(WebhookSignatureTest, MatchesAnIndependentHmac) {
  // python3: hmac.new(b'00ff' * 16, b'1764400000.{"id":"5.0"}', hashlib.sha256).hexdigest()
  std::string secret;
  for (int i = 0; i < 16; ++i) secret += "00ff";
  EXPECT_EQ(WebhookSignature(secret, 1764400000, "{\"id\":\"5.0\"}"),
            "t=1764400000,v1=88a2308a248fd012a9a7685bf2e86c31c46ada81ba45315b37c4a24f6d76c6fd");
  EXPECT_NE(WebhookSignature("other", 1764400000, "{\"id\":\"5.0\"}"),
            WebhookSignature("another", 1764400000, "{\"id\":\"5.0\"}"));
}

}  // namespace
}  // namespace onechain::api
