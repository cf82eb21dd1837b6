// One classifier (issue 13): ioc_type() and ti_lookup type an indicator through the same
// code (core/ioc's whole()). This runs every case of the IoC scanner's tests through
// both paths: each string literal of tests/unit/iocs_test.cpp and iocs_data_test.cpp
// (read from the source, so a case added there is checked here too), and every
// indicator the scanner finds in it, as written and refanged. The two paths must give
// the same type; ti_lookup asks a provider about the same value extraction reports.
// Both call whole(), so that check guards the wiring; the second test checks the
// classifier against the scanner, two different readings of an indicator.
#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "core/ioc/ioc.h"
#include "vtabs/ti_lookup/ti.h"

namespace sqlhunt {
namespace {

// The C++ string literals of a source file, adjacent ones joined ("a" "b" is "ab"),
// with their escapes decoded (\\ \" \' \n \r \t \0 and \x.., the ones the tests use).
std::vector<std::string> string_literals(const std::string& src) {
  std::vector<std::string> out;
  std::string cur;
  bool open = false;  // a literal group is being collected
  size_t i = 0;
  auto hex = [](char c) {
    return (c >= '0' && c <= '9') ? c - '0' : (c >= 'a' && c <= 'f') ? c - 'a' + 10 : (c >= 'A' && c <= 'F') ? c - 'A' + 10 : -1;
  };
  while (i < src.size()) {
    const char c = src[i];
    if (c == '/' && i + 1 < src.size() && src[i + 1] == '/') {  // a comment to the end of the line
      while (i < src.size() && src[i] != '\n') ++i;
      continue;
    }
    if (c == '\'' && i > 0 && src[i - 1] >= '0' && src[i - 1] <= '9') {  // 50'000'000
      ++i;
      continue;
    }
    if (c == '\'') {  // a char literal: '"' must not open a string
      i += src[i + 1] == '\\' ? 4 : 3;
      continue;
    }
    if (c == '"') {
      ++i;
      while (i < src.size() && src[i] != '"') {
        if (src[i] != '\\') {
          cur += src[i++];
          continue;
        }
        const char e = src[i + 1];
        i += 2;
        switch (e) {
          case 'n': cur += '\n'; break;
          case 'r': cur += '\r'; break;
          case 't': cur += '\t'; break;
          case '0': cur += '\0'; break;
          case 'x': {
            int v = 0;
            while (i < src.size() && hex(src[i]) >= 0) v = v * 16 + hex(src[i++]);
            cur += static_cast<char>(v);
            break;
          }
          default: cur += e;  // \\ \" \' \?
        }
      }
      ++i;  // the closing quote
      open = true;
      continue;
    }
    if (open && !(c == ' ' || c == '\n' || c == '\t' || c == '\r')) {
      out.push_back(cur);
      cur.clear();
      open = false;
    }
    ++i;
  }
  if (open) out.push_back(cur);
  return out;
}

// Every string literal of the IoC scanner's tests (iocs_test.cpp, iocs_data_test.cpp).
std::vector<std::string> iocs_test_literals() {
  std::vector<std::string> cases;
  for (const char* file : {"iocs_test.cpp", "iocs_data_test.cpp"}) {
    std::ifstream in(std::string(SQLHUNT_SOURCE_DIR) + "/tests/unit/" + file, std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    const auto literals = string_literals(ss.str());
    cases.insert(cases.end(), literals.begin(), literals.end());
  }
  return cases;
}

TEST(Classifier, IocTypeAndTiLookupAgreeOnEveryIocsTestCase) {
  const std::vector<std::string> cases = iocs_test_literals();
  ASSERT_GT(cases.size(), 60u) << "the literals of the IoC tests were not read";
  size_t checked = 0, typed = 0;
  auto check = [&](std::string_view v, const std::string& where) {
    const auto t = ioc::whole_type(v);
    const ti::Classified c = ti::classify(v);
    ASSERT_EQ(c.type, t ? ioc::type_name(*t) : "") << "'" << v << "' (" << where << ")";
    if (t) {
      ASSERT_EQ(c.value, ioc::whole(v)->value) << "'" << v << "'";
      ++typed;
    }
    ++checked;
  };
  for (const auto& text : cases) {
    check(text, "a literal");
    for (const auto& m : ioc::extract(text)) {
      check(std::string_view(text).substr(m.start, m.end - m.start), "found in '" + text.substr(0, 80) + "'");
      check(m.value, "the value of a match in '" + text.substr(0, 80) + "'");
    }
  }
  std::printf("%zu literals, %zu values checked, %zu of them indicators\n", cases.size(), checked, typed);
  EXPECT_GT(checked, 1000u);
  EXPECT_GT(typed, 400u);
  // The values a second classifier once disagreed on (it called them domains).
  for (const char* v : {"report.zip", "foo.py", "x.mov", "host.local", "a_b.com"}) EXPECT_EQ(ti::ioc_type(v), "") << v;
}

// What makes the classifier more than a second name for itself: an indicator the
// scanner finds inside a text is, taken alone, the same indicator to the classifier
// (same type; its value as found, refanged and normalised), except where the scanner
// reads context on purpose: a URL's host and the URL its query holds are indicators
// because of the URL around them ('archive.zip', 'build_01.example.org' and
// 'http%3A%2F%2Fevil.com' are none alone), and a quoted value runs to its closing quote
// ("C:\Program Files\x y.exe", a URL with a ',' in it). Those are left out here.
TEST(Classifier, AnIndicatorFoundInTextIsTheSameTakenAlone) {
  const std::vector<std::string> cases = iocs_test_literals();
  size_t checked = 0;
  std::vector<std::string> differ;
  for (const auto& text : cases) {
    const auto matches = ioc::extract(text);
    for (const auto& m : matches) {
      bool in_url = false;
      for (const auto& u : matches)
        in_url |= &u != &m && u.type == ioc::Type::kUrl && u.start <= m.start && m.end <= u.end;
      if (in_url || (m.start > 0 && (text[m.start - 1] == '"' || text[m.start - 1] == '\''))) continue;
      const std::string_view found = std::string_view(text).substr(m.start, m.end - m.start);
      const auto alone = ioc::whole(found);
      ++checked;
      if (!alone || alone->type != m.type || alone->value != m.value)
        differ.push_back("'" + std::string(found) + "' in '" + text.substr(0, 60) + "': found as " +
                         ioc::type_name(m.type) + " '" + m.value + "', alone " +
                         (alone ? std::string(ioc::type_name(alone->type)) + " '" + alone->value + "'" : "none"));
    }
  }
  EXPECT_GT(checked, 300u);  // 396 when written
  for (const auto& d : differ) ADD_FAILURE() << d;
}

}  // namespace
}  // namespace sqlhunt
