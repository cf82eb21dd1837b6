// core/config: precedence (session > environment > default), what SQL may set, secrets,
// and that docs/config.md lists every setting.
#include "core/config.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <sstream>

#include "core/error.h"

namespace sqlhunt {
namespace {

TEST(Config, SessionBeatsEnvironmentBeatsDefault) {
  unsetenv("SQLHUNT_HTTP_TIMEOUT");
  config::set("http.timeout", std::nullopt);
  EXPECT_EQ(config::get("http.timeout"), "15");
  setenv("SQLHUNT_HTTP_TIMEOUT", "7", 1);
  EXPECT_EQ(config::get_number("http.timeout"), 7);
  config::set("http.timeout", "2.5");
  EXPECT_EQ(config::get_number("http.timeout"), 2.5);
  config::set("http.timeout", std::nullopt);
  EXPECT_EQ(config::get("http.timeout"), "7");
  unsetenv("SQLHUNT_HTTP_TIMEOUT");
}

TEST(Config, UnknownKeySuggestsTheClosest) {
  try {
    config::set("virustotl.key", "x");
    FAIL() << "no error";
  } catch (const Error& e) {
    EXPECT_STREQ(e.what(),
                 "sqlhunt_config: unknown setting 'virustotl.key' (did you mean 'virustotal.key'?); "
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

TEST(Config, NumbersAreChecked) {
  EXPECT_THROW(config::set("virustotal.rate", "fast"), Error);
  EXPECT_THROW(config::set("http.timeout", "-1"), Error);
  setenv("SQLHUNT_OTX_RATE", "lots", 1);
  try {
    config::get_number("otx.rate");
    FAIL() << "no error";
  } catch (const Error& e) {
    EXPECT_STREQ(e.what(), "setting otx.rate (SQLHUNT_OTX_RATE): 'lots' is not a number of 0 or more");
  }
  unsetenv("SQLHUNT_OTX_RATE");
}

TEST(Config, SecretsAreShownAsSetAndRedacted) {
  config::set("greynoise.key", "gn-secret-123456");
  EXPECT_EQ(config::show("greynoise.key"), "set");
  EXPECT_EQ(config::get("greynoise.key"), "gn-secret-123456");
  EXPECT_EQ(config::redact("bad key gn-secret-123456 refused"), "bad key [redacted] refused");
  config::set("greynoise.key", std::nullopt);
  EXPECT_EQ(config::show("greynoise.key"), std::nullopt);
}

TEST(Config, DocsListEverySetting) {
  std::ifstream in(std::string(SQLHUNT_SOURCE_DIR) + "/docs/config.md");
  ASSERT_TRUE(in) << "docs/config.md is missing";
  std::stringstream ss;
  ss << in.rdbuf();
  const std::string doc = ss.str();
  for (const auto& s : config::settings()) {
    const std::string row = std::string("| `") + s.env + "` | " + (s.sql ? std::string("`") + s.key + "`" : "environment only");
    EXPECT_NE(doc.find(row), std::string::npos) << "docs/config.md has no row for " << s.key;
  }
}

}  // namespace
}  // namespace sqlhunt
