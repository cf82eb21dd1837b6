#include "core/config.h"

#include <algorithm>
#include <cstdio>
#include <cmath>
#include <cstdlib>
#include <map>
#include <mutex>

#include "core/error.h"

#ifndef SQLHUNT_DEFAULT_DATA_DIR
#define SQLHUNT_DEFAULT_DATA_DIR "data"
#endif

namespace sqlhunt::config {
namespace {

// The registered settings, by key. Function-local statics: modules register from
// their own static initialisers, in an order the linker chooses.
std::map<std::string, Setting, std::less<>>& registry() {
  static std::map<std::string, Setting, std::less<>> m;
  return m;
}
std::mutex& registry_mutex() {
  static std::mutex m;
  return m;
}

bool same(const Setting& a, const Setting& b) {
  return std::string_view(a.env) == b.env && std::string_view(a.default_value) == b.default_value &&
         a.kind == b.kind && a.sql == b.sql && a.min == b.min && a.max == b.max;
}

std::mutex& mutex() {
  static std::mutex m;
  return m;
}
std::map<std::string, std::string, std::less<>>& session() {
  static std::map<std::string, std::string, std::less<>> m;
  return m;
}

size_t edit_distance(std::string_view a, std::string_view b) {
  std::vector<size_t> prev(b.size() + 1), cur(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) prev[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    cur[0] = i;
    for (size_t j = 1; j <= b.size(); ++j)
      cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] != b[j - 1] ? 1u : 0u)});
    prev.swap(cur);
  }
  return prev[b.size()];
}

const Setting& require(std::string_view key) {
  if (const Setting* s = find(key)) return *s;
  std::string best;
  size_t best_d = 4;
  if (key.size() <= 64)  // a suggestion for a typo, not for 10 MB of text
    for (const auto& s : settings()) {
      const size_t d = edit_distance(key, s.key);
      if (d < best_d) best_d = d, best = s.key;
    }
  std::string msg = "sqlhunt_config: unknown setting '" + cut_message(std::string(key.substr(0, 200)), 60) + "'";
  if (!best.empty()) msg += " (did you mean '" + best + "'?)";
  msg += "; docs/config.md lists them";
  throw Error(msg);
}

std::string number_text(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%g", v);
  return buf;
}

std::string expand(std::string v) {
  auto replace = [&](std::string_view word, const std::string& with) {
    const size_t at = v.find(word);
    if (at != std::string::npos) v.replace(at, word.size(), with);
  };
  replace("${DATA}", data_dir());
  replace("${CACHE}", cache_dir());
  return v;
}

// The value of a kNumber or kFlag setting, or why it is none.
std::optional<std::string> parse_number(const Setting& s, std::string_view text, double* out) {
  if (s.kind == Kind::kFlag) {
    std::string t;
    for (char c : text) t += static_cast<char>(c >= 'A' && c <= 'Z' ? c | 0x20 : c);
    if (t == "1" || t == "on" || t == "true" || t == "yes") return *out = 1, std::nullopt;
    if (t == "0" || t == "off" || t == "false" || t == "no") return *out = 0, std::nullopt;
    return std::string("not 0 or 1 (on/off, true/false, yes/no)");
  }
  std::string str(text);
  char* end = nullptr;
  const double v = std::strtod(str.c_str(), &end);
  const std::string range = "a number from " + number_text(s.min) + " to " + number_text(s.max);
  if (str.empty() || end != str.c_str() + str.size() || !std::isfinite(v)) return "not " + range;
  if (v < s.min || v > s.max) return "out of range: " + range;
  *out = v;
  return std::nullopt;
}

bool is_number(const Setting& s) { return s.kind == Kind::kNumber || s.kind == Kind::kFlag; }

}  // namespace

const char* kind_name(Kind kind) {
  switch (kind) {
    case Kind::kText: return "text";
    case Kind::kPath: return "path";
    case Kind::kUrl: return "url";
    case Kind::kSecret: return "secret";
    case Kind::kNumber: return "number";
    case Kind::kFlag: return "flag";
  }
  return "text";
}

Registration::Registration(std::initializer_list<Setting> list) {
  std::lock_guard<std::mutex> lock(registry_mutex());
  for (const Setting& s : list) {
    auto [it, added] = registry().emplace(s.key, s);
    if (!added && !same(it->second, s)) {
      std::fprintf(stderr, "sqlhunt: setting '%s' registered twice, differently\n", s.key);
      std::abort();
    }
  }
}

std::vector<Setting> settings() {
  std::lock_guard<std::mutex> lock(registry_mutex());
  std::vector<Setting> out;
  for (const auto& [key, s] : registry()) out.push_back(s);
  return out;
}

const Setting* find(std::string_view key) {
  std::lock_guard<std::mutex> lock(registry_mutex());
  auto it = registry().find(key);
  return it == registry().end() ? nullptr : &it->second;  // map nodes never move
}

std::optional<std::string> get(std::string_view key) {
  const Setting& s = require(key);
  {
    std::lock_guard<std::mutex> lock(mutex());
    auto it = session().find(key);
    if (it != session().end()) return it->second.empty() ? std::nullopt : std::optional(it->second);
  }
  if (const char* e = std::getenv(s.env); e && *e) return std::string(e);
  if (*s.default_value) return expand(s.default_value);
  return std::nullopt;
}

std::optional<std::string> default_of(std::string_view key) {
  const Setting& s = require(key);
  if (!*s.default_value) return std::nullopt;
  return expand(s.default_value);
}

double get_number(std::string_view key) {
  const Setting& s = require(key);
  const auto v = get(key);
  double out = 0;
  if (!v) return 0;
  if (auto err = parse_number(s, *v, &out))
    throw Error(std::string("setting ") + s.key + " (" + s.env + "): '" + cut_message(*v, 40) + "' is " + *err);
  return out;
}

bool get_flag(std::string_view key) { return get_number(key) != 0; }

void set(std::string_view key, std::optional<std::string> value) {
  const Setting& s = require(key);
  if (!s.sql)
    throw Error(std::string("sqlhunt_config: '") + s.key + "' can only be set in the environment (" +
                s.env + "), never from SQL");
  if (value && s.check) s.check(*value);
  // A key or URL goes into a request header or line: a CR or LF in it would write
  // headers of its own (a key pasted with "\r\nX-Injected: yes").
  if (value && (s.kind == Kind::kSecret || s.kind == Kind::kUrl))
    for (char c : *value)
      if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f)
        throw Error(std::string("sqlhunt_config: ") + s.key + ": a control character (CR, LF, ...) is not allowed in it");
  if (value && is_number(s)) {
    double ignored;
    if (auto err = parse_number(s, *value, &ignored))
      throw Error(std::string("sqlhunt_config: ") + s.key + ": '" + cut_message(*value, 40) + "' is " + *err);
  }
  std::lock_guard<std::mutex> lock(mutex());
  if (value)
    session()[s.key] = *value;
  else
    session().erase(std::string(s.key));
}

std::optional<std::string> show(std::string_view key) {
  const Setting& s = require(key);
  auto v = get(key);
  if (v && s.kind == Kind::kSecret) return std::string("set");
  return v;
}

std::string data_dir() {
  if (const char* e = std::getenv("SQLHUNT_DATA_DIR"); e && *e) return e;
  return SQLHUNT_DEFAULT_DATA_DIR;
}

std::string cache_dir() {
  if (const char* x = std::getenv("XDG_CACHE_HOME"); x && *x) return std::string(x) + "/sqlhunt";
  if (const char* h = std::getenv("HOME"); h && *h) return std::string(h) + "/.cache/sqlhunt";
  return ".cache/sqlhunt";
}

std::string redact(std::string text) {
  for (const auto& s : settings()) {
    if (s.kind != Kind::kSecret) continue;
    const auto v = get(s.key);
    if (!v || v->size() < 4) continue;  // a 1-3 character "key" would redact half the text
    for (size_t at; (at = text.find(*v)) != std::string::npos;) text.replace(at, v->size(), "[redacted]");
  }
  return text;
}

}  // namespace sqlhunt::config
