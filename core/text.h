// core/text.h — the small text helpers every reader needs, written once.
//
// ASCII only on purpose: field names, types, hex and header cells of the formats we
// read are ASCII, and a locale-dependent std::tolower would make a reader's answer
// depend on the analyst's LANG.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace sqlhunt::text {

inline bool is_blank(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

// `s` without leading and trailing blanks (space, tab, CR, LF).
inline std::string_view trim(std::string_view s) {
  while (!s.empty() && is_blank(s.front())) s.remove_prefix(1);
  while (!s.empty() && is_blank(s.back())) s.remove_suffix(1);
  return s;
}

inline char ascii_lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c | 0x20) : c; }

// `s` with A-Z lowered (other bytes, UTF-8 included, kept).
inline std::string ascii_lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = ascii_lower(c);
  return out;
}

// Equal without regard to ASCII case.
inline bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i)
    if (ascii_lower(a[i]) != ascii_lower(b[i])) return false;
  return true;
}

inline bool starts_with(std::string_view s, std::string_view prefix) {
  return s.size() >= prefix.size() && s.compare(0, prefix.size(), prefix) == 0;
}

// An id written in decimal or as 0x-hex (process and logon ids: Windows writes
// "0x1a2b", Sysmon and auditd "6699"), blanks around it allowed; nullopt for anything
// else, a negative number or one past INT64_MAX.
std::optional<int64_t> parse_id(std::string_view text);

inline bool ends_with(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

}  // namespace sqlhunt::text
