#include "core/hex.h"

#include <gtest/gtest.h>

using sqlhunt::hex::decode;
using sqlhunt::hex::is_hex;

TEST(Hex, DecodesUpperAndLowerCase) {
  std::string out;
  EXPECT_FALSE(decode("2F746D70", out));
  EXPECT_EQ(out, "/tmp");
  EXPECT_FALSE(decode("2f746d70", out));
  EXPECT_EQ(out, "/tmp");
}

TEST(Hex, EmptyIsEmpty) {
  std::string out = "x";
  EXPECT_FALSE(decode("", out));
  EXPECT_EQ(out, "");
}

TEST(Hex, KeepsNulUnlessReplaced) {
  std::string out;
  EXPECT_FALSE(decode("6C73002D6C61", out));
  EXPECT_EQ(out, std::string("ls\0-la", 6));
  EXPECT_FALSE(decode("6C73002D6C61", out, std::string_view(" ")));
  EXPECT_EQ(out, "ls -la");
  EXPECT_FALSE(decode("610062", out, std::string_view("")));
  EXPECT_EQ(out, "ab");
  EXPECT_FALSE(decode("610062", out, std::string_view(", ")));
  EXPECT_EQ(out, "a, b");
}

TEST(Hex, OddLengthPointsAtTheUnpairedDigit) {
  std::string out;
  auto err = decode("ABC", out);
  ASSERT_TRUE(err);
  EXPECT_TRUE(err->odd_length);
  EXPECT_EQ(err->position, 2u);
}

TEST(Hex, BadDigitPointsAtIt) {
  std::string out;
  auto err = decode("41G2", out);
  ASSERT_TRUE(err);
  EXPECT_FALSE(err->odd_length);
  EXPECT_EQ(err->position, 2u);
  err = decode("4", out);  // odd and not a digit: the bad character wins
  ASSERT_TRUE(err);
  EXPECT_TRUE(err->odd_length);
  err = decode("41 ", out);
  ASSERT_TRUE(err);
  EXPECT_FALSE(err->odd_length);
  EXPECT_EQ(err->position, 2u);
}

TEST(Hex, IsHex) {
  EXPECT_TRUE(is_hex("00ff"));
  EXPECT_FALSE(is_hex(""));
  EXPECT_FALSE(is_hex("0"));
  EXPECT_FALSE(is_hex("0g"));
}
