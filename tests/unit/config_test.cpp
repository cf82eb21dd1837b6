// core/config: precedence (session > environment > default), what SQL may set, secrets,
// numbers and their ranges, flags. The tests register settings of their own (as a
// module does); tests/python/test_docs_config.py checks docs/config.md against every
// module's registrations through sqlhunt_settings.
#include "core/config.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <sstream>

#include "core/error.h"

namespace sqlhunt {
namespace {

const config::Registration kTestSettings({
    {"test.timeout", "SQLHUNT_TEST_TIMEOUT", "15", config::Kind::kNumber, true, 0.1, 3600, "a number"},
    {"test.rate", "SQLHUNT_TEST_RATE", "4", config::Kind::kNumber, true, 0, 100000, "a rate"},
    {"test.key", "SQLHUNT_TEST_KEY", "", config::Kind::kSecret, true, 0, 0, "a secret"},
    {"test.url", "SQLHUNT_TEST_URL", "https://example.org", config::Kind::kUrl, false, 0, 0, "a URL"},
    {"test.flag", "SQLHUNT_TEST_FLAG", "0", config::Kind::kFlag, true, 0, 0, "a flag"},
});

TEST(Config, SessionBeatsEnvironmentBeatsDefault) {
  unsetenv("SQLHUNT_TEST_TIMEOUT");
  config::set("test.timeout", std::nullopt);
  EXPECT_EQ(config::get("test.timeout"), "15");
  setenv("SQLHUNT_TEST_TIMEOUT", "7", 1);
  EXPECT_EQ(config::get_number("test.timeout"), 7);
  config::set("test.timeout", "2.5");
  EXPECT_EQ(config::get_number("test.timeout"), 2.5);
  config::set("test.timeout", std::nullopt);
  EXPECT_EQ(config::get("test.timeout"), "7");
  unsetenv("SQLHUNT_TEST_TIMEOUT");
}

TEST(Config, UnknownKeySuggestsTheClosest) {
  try {
    config::set("tset.key", "x");
    FAIL() << "no error";
  } catch (const Error& e) {
    EXPECT_STREQ(e.what(),
                 "sqlhunt_config: unknown setting 'tset.key' (did you mean 'test.key'?); "
                 "docs/config.md lists them");
  }
}

TEST(Config, UrlsAreEnvironmentOnly) {
  for (const auto& s : config::settings()) {
    const std::string key = s.key;
    if (key.size() > 4 && key.substr(key.size() - 4) == ".url") {
      EXPECT_FALSE(s.sql) << key;
      EXPECT_THROW(config::set(key, "http://127.0.0.1:1"), Error) << key;
    }
  }
}

TEST(Config, NumbersAreCheckedAgainstTheirRange) {
  EXPECT_THROW(config::set("test.rate", "fast"), Error);
  EXPECT_THROW(config::set("test.timeout", "-1"), Error);
  // 0 and 1e20 seconds were once accepted, and then a request never ended.
  try {
    config::set("test.timeout", "0");
    FAIL() << "no error";
  } catch (const Error& e) {
    EXPECT_STREQ(e.what(), "sqlhunt_config: test.timeout: '0' is out of range: a number from 0.1 to 3600");
  }
  EXPECT_THROW(config::set("test.timeout", "99999999999999999999"), Error);
  EXPECT_THROW(config::set("test.timeout", "nan"), Error);
  EXPECT_THROW(config::set("test.timeout", "inf"), Error);
  setenv("SQLHUNT_TEST_RATE", "lots", 1);
  try {
    config::get_number("test.rate");
    FAIL() << "no error";
  } catch (const Error& e) {
    EXPECT_STREQ(e.what(), "setting test.rate (SQLHUNT_TEST_RATE): 'lots' is not a number from 0 to 100000");
  }
  unsetenv("SQLHUNT_TEST_RATE");
}

TEST(Config, Flags) {
  EXPECT_FALSE(config::get_flag("test.flag"));
  for (const char* on : {"1", "on", "TRUE", "yes"}) {
    config::set("test.flag", on);
    EXPECT_TRUE(config::get_flag("test.flag")) << on;
  }
  EXPECT_THROW(config::set("test.flag", "2"), Error);
  config::set("test.flag", "off");
  EXPECT_FALSE(config::get_flag("test.flag"));
  config::set("test.flag", std::nullopt);
}

TEST(Config, SecretsAreShownAsSetAndRedacted) {
  config::set("test.key", "gn-secret-123456");
  EXPECT_EQ(config::show("test.key"), "set");
  EXPECT_EQ(config::get("test.key"), "gn-secret-123456");
  EXPECT_EQ(config::redact("bad key gn-secret-123456 refused"), "bad key [redacted] refused");
  config::set("test.key", std::nullopt);
  EXPECT_EQ(config::show("test.key"), std::nullopt);
}

}  // namespace
}  // namespace sqlhunt
