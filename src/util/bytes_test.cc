// Proves hex encoding round-trips and rejects malformed input.
#include "util/bytes.h"

#include <gtest/gtest.h>

namespace onechain {

TEST(Hex, RoundTrip) {
  std::string raw("\x00\x01\xab\xff", 4);
  EXPECT_EQ(ToHex(raw), "0001abff");
  EXPECT_EQ(FromHex("0001ABff"), raw);
}

TEST(Hex, RejectsOddLengthAndNonHex) {
  EXPECT_FALSE(FromHex("abc").has_value());
  EXPECT_FALSE(FromHex("zz").has_value());
}

}  // namespace onechain
