#include "core/params.h"

#include <gtest/gtest.h>

#include "core/error.h"

using sqlhunt::Error;
using sqlhunt::parse_params;
using sqlhunt::sql_unquote;

TEST(Params, Unquotes) {
  EXPECT_EQ(sql_unquote("'it''s'"), "it's");
  EXPECT_EQ(sql_unquote("\"a\"\"b\""), "a\"b");
  EXPECT_EQ(sql_unquote("[x y]"), "x y");
  EXPECT_EQ(sql_unquote("  bare  "), "bare");
  EXPECT_EQ(sql_unquote("'"), "'");
}

TEST(Params, NamedAndPositional) {
  auto p = parse_params({"path='case/a=b.log'"}, {"path", "mode"});
  EXPECT_EQ(p.at("path"), "case/a=b.log");
  p = parse_params({"'x.log'", " mode = fast "}, {"path", "mode"});
  EXPECT_EQ(p.at("path"), "x.log");
  EXPECT_EQ(p.at("mode"), "fast");
  p = parse_params({"mode=fast", "'x.log'"}, {"path", "mode"});
  EXPECT_EQ(p.at("path"), "x.log");
}

TEST(Params, Errors) {
  EXPECT_THROW(parse_params({"pth='x'"}, {"path"}), Error);
  EXPECT_THROW(parse_params({"path='x'", "path='y'"}, {"path"}), Error);
  EXPECT_THROW(parse_params({"'x'", "'y'"}, {"path"}), Error);
  EXPECT_THROW(parse_params({"='x'"}, {"path"}), Error);
  try {
    parse_params({"pth='x'"}, {"path"});
  } catch (const Error& e) {
    EXPECT_STREQ(e.what(), "unknown parameter 'pth' (known: path)");
  }
}
