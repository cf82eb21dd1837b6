#include "core/ioc/refang.h"

#include <utility>

namespace sqlhunt::ioc {
namespace {

bool is_alnum(unsigned char c) {
  return (c >= '0' && c <= '9') || ((c | 0x20) >= 'a' && (c | 0x20) <= 'z');
}

char closing(char open) {
  switch (open) {
    case '[': return ']';
    case '(': return ')';
    case '{': return '}';
    default: return 0;
  }
}

// Case-insensitive: does text[pos..] start with `word` (lower case)?
bool starts_ci(std::string_view text, size_t pos, std::string_view word) {
  if (pos > text.size() || text.size() - pos < word.size()) return false;
  for (size_t k = 0; k < word.size(); ++k)
    if ((static_cast<unsigned char>(text[pos + k]) | 0x20) != static_cast<unsigned char>(word[k])) return false;
  return true;
}

// Length of `sym` or `word` (any case) in brackets at t[pos] ("[.]", "(dot)", "{@}",
// "[at]", "(/)"), where t[pos] is an opening bracket and `close` its closing one; 0
// when there is none. (The callers test for the bracket first: most bytes they look at
// are none, and that test is their hot path.)
size_t bracketed(std::string_view t, size_t pos, char close, char sym, std::string_view word) {
  if (pos + 2 < t.size() && t[pos + 1] == sym && t[pos + 2] == close) return 3;
  const size_t n = word.size();
  if (n && starts_ci(t, pos + 1, word) && pos + n + 1 < t.size() && t[pos + n + 1] == close) return n + 2;
  return 0;
}

// Length of a defanged "://" at pos ("[:]//", "[://]", ":\\"), 0 when none.
size_t defanged_scheme_sep(std::string_view t, size_t pos) {
  if (t.compare(pos, 5, "[:]//") == 0 || t.compare(pos, 5, "[://]") == 0) return 5;
  if (t.compare(pos, 3, ":\\\\") == 0) return 3;
  return 0;
}

}  // namespace

bool known_scheme(std::string_view w) {
  static constexpr std::string_view kSchemes[] = {
      "http", "https", "ftp", "ftps", "sftp", "tftp", "ws",   "wss",   "smb", "ldap", "ldaps",
      "ssh",  "telnet", "rdp", "irc", "ircs", "git", "hxxp", "hxxps", "fxp", "fxps", "sfxp"};
  if (w.size() < 2 || w.size() > 6) return false;
  char low[8];
  for (size_t k = 0; k < w.size(); ++k) low[k] = static_cast<char>(w[k] | 0x20);
  const std::string_view l(low, w.size());
  for (auto s : kSchemes)
    if (s == l) return true;
  return false;
}

std::string_view plain_scheme(std::string_view w) {
  static constexpr std::pair<std::string_view, std::string_view> kDefanged[] = {
      {"hxxp", "http"}, {"hxxps", "https"}, {"fxp", "ftp"}, {"fxps", "ftps"}, {"sfxp", "sftp"}};
  for (const auto& [defanged, plain] : kDefanged)
    if (w.size() == defanged.size() && starts_ci(w, 0, defanged)) return plain;
  return {};
}

size_t slash_length(std::string_view t, size_t pos) {
  const char close = pos < t.size() ? closing(t[pos]) : 0;
  return close ? bracketed(t, pos, close, '/', {}) : 0;
}

size_t dot_length(std::string_view t, size_t pos, bool& defanged) {
  if (pos >= t.size()) return 0;
  const char c = t[pos];
  if (c == '.') {
    defanged = false;
    return 1;
  }
  if (c == ' ') {
    if (starts_ci(t, pos + 1, "dot") && pos + 4 < t.size() && t[pos + 4] == ' ') {
      defanged = true;
      return 5;
    }
    return 0;
  }
  const char close = closing(c);
  if (!close) return 0;
  const size_t n = bracketed(t, pos, close, '.', "dot");
  if (n) defanged = true;
  return n;
}

size_t at_length(std::string_view t, size_t pos, bool& defanged) {
  if (pos >= t.size()) return 0;
  if (t[pos] == '@') {
    defanged = false;
    return 1;
  }
  const char close = closing(t[pos]);
  if (!close) return 0;
  const size_t n = bracketed(t, pos, close, '@', "at");
  if (n) defanged = true;
  return n;
}

std::string refang(std::string_view t) {
  // Fast path: nothing that could start a defanged form ("[", "(", "{", " dot ",
  // "hxxp"/"fxp", ":\\").
  bool maybe = false;
  for (size_t k = 0; k < t.size() && !maybe; ++k) {
    const char c = t[k];
    maybe = c == '[' || c == '(' || c == '{' || c == ' ' || c == '\\' ||
            ((c | 0x20) == 'x' && k + 1 < t.size() && (t[k + 1] | 0x20) == 'p');
  }
  if (!maybe) return std::string(t);
  std::string out;
  out.reserve(t.size());
  size_t i = 0;
  const size_t n = t.size();
  while (i < n) {
    const unsigned char c = static_cast<unsigned char>(t[i]);
    // A scheme word at a word start: hxxp/hxxps/fxp become http/https/ftp, and a
    // defanged "://" after any scheme word becomes "://".
    if (is_alnum(c) && (i == 0 || !is_alnum(static_cast<unsigned char>(t[i - 1])))) {
      size_t j = i;
      while (j < n && j - i < 32 && is_alnum(static_cast<unsigned char>(t[j]))) ++j;
      const std::string_view word = t.substr(i, j - i);
      const std::string_view mapped = plain_scheme(word);
      const bool plain_sep = t.compare(j, 3, "://") == 0;
      size_t sep = plain_sep ? 0 : defanged_scheme_sep(t, j);
      // ":\\" stands for "://" only after a scheme we know ("C:\\Windows" is a path);
      // "[:]//" after any word that can be a scheme.
      if (sep == 3 && !known_scheme(word)) sep = 0;
      if (sep && !((c | 0x20) >= 'a' && (c | 0x20) <= 'z')) sep = 0;
      if (!mapped.empty() && (plain_sep || sep)) {
        out += mapped;
        out += "://";
        i = j + (plain_sep ? 3 : sep);
        continue;
      }
      if (sep) {
        out.append(word);
        out += "://";
        i = j + sep;
        continue;
      }
      out.append(word);
      i = j;
      continue;
    }
    bool d = false;
    if (c == '[' || c == '(' || c == '{' || c == ' ') {
      if (size_t len = dot_length(t, i, d); len && d) {
        out += '.';
        i += len;
        continue;
      }
      if (size_t len = at_length(t, i, d); len && d) {
        out += '@';
        i += len;
        continue;
      }
      if (c == '[' && t.compare(i, 3, "[:]") == 0) {
        out += ':';
        i += 3;
        continue;
      }
      if (size_t len = slash_length(t, i)) {
        out += '/';
        i += len;
        continue;
      }
    }
    out += static_cast<char>(c);
    ++i;
  }
  return out;
}

}  // namespace sqlhunt::ioc
