// core/ioc/paths.cpp — file system and registry paths: Windows paths (drive, UNC,
// %VAR%), registry keys (HKLM\..., HKLM:\...), Linux paths (under a top-level directory
// of the hierarchy, or ~/). Windows paths and registry keys share the segment reader
// and the trimming of trailing punctuation.
#include "core/ioc/scan.h"

namespace sqlhunt::ioc::detail {
namespace {

// Length of a valid UTF-8 sequence at s[i] that may be part of a name (a path
// segment): not a space or punctuation block character (curly quotes, CJK and
// full-width punctuation, no-break space, « »), else 0.
size_t utf8_name_char(const unsigned char* s, size_t i, size_t n) {
  const unsigned char c = s[i];
  uint32_t cp;
  size_t len;
  if (c >= 0xC2 && c <= 0xDF) {
    len = 2;
    cp = c & 0x1F;
  } else if (c >= 0xE0 && c <= 0xEF) {
    len = 3;
    cp = c & 0x0F;
  } else if (c >= 0xF0 && c <= 0xF4) {
    len = 4;
    cp = c & 0x07;
  } else {
    return 0;
  }
  if (i + len > n) return 0;
  for (size_t k = 1; k < len; ++k) {
    if ((s[i + k] & 0xC0) != 0x80) return 0;
    cp = (cp << 6) | (s[i + k] & 0x3F);
  }
  if ((len == 3 && cp < 0x800) || (len == 4 && (cp < 0x10000 || cp > 0x10FFFF))) return 0;
  if (cp >= 0xD800 && cp <= 0xDFFF) return 0;
  if ((cp >= 0x80 && cp <= 0xBF) || cp == 0xD7 || cp == 0xF7) return 0;  // C1, nbsp, « », ×, ÷
  if (cp >= 0x2000 && cp <= 0x206F) return 0;                            // general punctuation
  if (cp >= 0x3000 && cp <= 0x303F) return 0;                            // CJK punctuation
  if (cp >= 0xFE30 && cp <= 0xFE4F) return 0;                            // CJK compatibility forms
  if (cp >= 0xFF00 && cp <= 0xFF0F) return 0;                            // full-width ! " # ... /
  if (cp >= 0xFF1A && cp <= 0xFF20) return 0;                            // full-width : ; < = > ? @
  if (cp >= 0xFF3B && cp <= 0xFF40) return 0;
  if (cp >= 0xFF5B && cp <= 0xFF65) return 0;
  if (cp == 0xFEFF) return 0;
  return len;
}

// A Linux path starts in one of the top-level directories of the filesystem
// hierarchy (or at ~/): "/api/v1/users" in a web log or an Azure resource id
// ("/subscriptions/...") is not a path on a host.
constexpr std::string_view kFhsRoots[] = {"bin",  "boot", "dev",  "etc",  "home", "lib", "lib32",
                                          "lib64", "libx32", "media", "mnt", "opt", "proc", "root",
                                          "run",  "sbin", "snap", "srv",  "sys",  "tmp", "usr", "var"};

constexpr std::string_view kHives[] = {"hklm",
                                       "hkcu",
                                       "hkcr",
                                       "hku",
                                       "hkcc",
                                       "hkey_local_machine",
                                       "hkey_current_user",
                                       "hkey_classes_root",
                                       "hkey_users",
                                       "hkey_current_config",
                                       "hkey_performance_data"};

// May a path start after byte c? Not inside a word, a path or a variable.
bool boundary_before_path(unsigned char c) {
  return !(is(c, kAlnum) || c == '_' || c == '\\' || c == '/' || c == '.' || c == '-' || c == '%' || c == '$');
}

}  // namespace

// Segments after a separator at `pos` (sep = 1 for '\', 2 for an escaped "\\").
// Returns the end of the last segment and counts them; a segment may hold single
// spaces when what follows them reaches another separator ("Program Files\").
// `quoted`: the path follows a single quote ('C:\x\a.exe',High), so the next one
// ends it. That is decided here, while reading: reading on to the end of the
// segments and cutting at the quote afterwards read the rest of a text of
// '\\a\b'\\a\b'... once per path, quadratic.
size_t Scan::win_segments(size_t pos, size_t sep, int& segs, bool quoted) const {
  size_t i = pos, end = pos;
  segs = 0;
  for (;;) {
    const size_t ss = i;
    bool dot_in_segment = false;
    for (;;) {
      if (i >= n_) break;
      const unsigned char c = s_[i];
      if (c < 0x80) {
        if (is(c, kWinSeg) && !(quoted && c == '\'')) {
          dot_in_segment |= c == '.';
          ++i;
          continue;
        }
        if (c == ' ' && i > ss && !dot_in_segment) {
          size_t j = i;
          int spaces = 0;
          bool ok = false;
          while (j < n_ && j - i < 64) {
            const unsigned char d = s_[j];
            if (d == ' ') {
              if (++spaces > 3 || at(j + 1) == ' ') break;
              ++j;
              continue;
            }
            if (d == '\\') {
              // Not when the last word starts a registry key of its own ("HKLM\a HKCU\b").
              size_t w = j;
              while (w > i && s_[w - 1] != ' ') --w;
              bool hive = false;
              for (auto h : kHives) hive = hive || iequals(t_.substr(w, j - w), h);
              ok = s_[j - 1] != ' ' && !hive;
              break;
            }
            if (d == '%') break;
            if (d < 0x80) {
              if (!is(d, kWinSeg) || (quoted && d == '\'')) break;
              ++j;
              continue;
            }
            const size_t l = utf8_name_char(s_, j, n_);
            if (!l) break;
            j += l;
          }
          if (ok) {
            i = j;
            continue;
          }
        }
        break;
      }
      const size_t l = utf8_name_char(s_, i, n_);
      if (!l) break;
      i += l;
    }
    if (i == ss) break;
    ++segs;
    end = i;
    if (at(i) != '\\' || (sep == 2 && at(i + 1) != '\\')) break;
    // A doubled separator inside an unescaped path ("x64\\Release") is one.
    const size_t step = sep == 1 && at(i + 1) == '\\' ? 2 : sep;
    const unsigned char next = at(i + step);
    if (!(next >= 0x80 || is(next, kWinSeg))) break;
    i += step;
  }
  return end;
}

// Trim trailing punctuation and unbalanced ')' / ']' off [start, end).
size_t Scan::trim_path(size_t start, size_t end) const {
  long paren = 0, square = 0;  // opening minus closing brackets in the path
  for (size_t k = start; k < end; ++k) {
    paren += s_[k] == '(' ? 1 : s_[k] == ')' ? -1 : 0;
    square += s_[k] == '[' ? 1 : s_[k] == ']' ? -1 : 0;
  }
  while (end > start) {
    const unsigned char c = s_[end - 1];
    if (c == '.' || c == ',' || c == ';' || c == '!' || c == '\'' || c == '`') --end;
    else if (c == ')' && paren < 0) --end, ++paren;
    else if (c == ']' && square < 0) --end, ++square;
    else break;
  }
  return end;
}

// A Windows path or registry key starting at `start` whose segments begin at `pos`:
// read, trimmed and emitted; 0 when no segment is left.
size_t Scan::win_path_from(Type type, size_t start, size_t pos, size_t sep) {
  int segs = 0;
  size_t e = win_segments(pos, sep, segs, after_quote(start));
  if (!segs) return 0;
  e = trim_path(pos, e);
  if (e <= pos) return 0;
  return emit_win(type, start, e, sep);
}

size_t Scan::emit_win(Type type, size_t start, size_t end, size_t sep) {
  std::string v(t_.substr(start, end - start));
  if (sep == 2) {  // escaped (JSON, C strings): "\\" -> "\"
    std::string u;
    u.reserve(v.size());
    for (size_t i = 0; i < v.size(); ++i) {
      u += v[i];
      if (v[i] == '\\' && i + 1 < v.size() && v[i + 1] == '\\') ++i;
    }
    v.swap(u);
  }
  emit(type, start, end, std::move(v), false);
  return end;
}

size_t Scan::drive_path(size_t p) {
  if (p == 0 || at(p + 1) != '\\') return 0;
  const size_t ds = p - 1;
  const unsigned char letter = s_[ds];
  if (!((letter | 0x20) >= 'a' && (letter | 0x20) <= 'z')) return 0;
  if (ds > 0 && !boundary_before_path(s_[ds - 1])) return 0;
  if (ds < floor_) return 0;
  const size_t sep = at(p + 2) == '\\' ? 2 : 1;
  // "C:\Program Files\App\x.exe" in double quotes: the quotes delimit it.
  if (ds > 0 && s_[ds - 1] == '"' && sep == 1) {
    size_t q = p + 2;
    while (q < n_ && q - ds < 300 && s_[q] != '"' && s_[q] != '\n' && s_[q] != ':' && s_[q] != '*' &&
           s_[q] != '?' && s_[q] != '<' && s_[q] != '>' && s_[q] != '|' && s_[q] != '\r' && s_[q] != '\t')
      ++q;
    if (at(q) == '"') {
      size_t e = q;
      while (e > p + 2 && (s_[e - 1] == ' ' || s_[e - 1] == '.' || s_[e - 1] == '\\')) --e;
      // Not a quoted command line ("C:\x\net1  group ""Domain Admins"" /domain"):
      // no double space, no " /" or " -" switch, no CSV-doubled quote at the end.
      bool valid = e > p + 2 && at(q + 1) != '"';
      for (size_t k = p + 2; k < e && valid; ++k)
        valid = s_[k] >= 0x20 && s_[k] != 0x7f &&
                !(s_[k] == ' ' && (s_[k + 1] == ' ' || s_[k + 1] == '/' || s_[k + 1] == '-'));
      if (valid) {
        return emit_win(Type::kWindowsPath, ds, e, 1);
      }
    }
  }
  return win_path_from(Type::kWindowsPath, ds, p + 1 + sep, sep);
}

size_t Scan::unc_path(size_t p) {
  if (at(p + 1) != '\\') return 0;
  if (p > 0 && !boundary_before_path(s_[p - 1])) return 0;
  size_t sep = 1, i = p + 2;
  if (at(i) == '\\' && at(i + 1) == '\\') sep = 2, i = p + 4;
  const size_t hs = i;
  while (i < n_ && i - hs < 256 &&
         (is(s_[i], kLabel) || s_[i] == '.' || s_[i] == '_' || s_[i] == '$' || s_[i] == '?'))
    ++i;
  if (i == hs || at(i) != '\\' || (sep == 2 && at(i + 1) != '\\')) return 0;
  return win_path_from(Type::kWindowsPath, p, i + sep, sep);
}

size_t Scan::env_path(size_t p) {
  if (p < 3 || s_[p - 1] != '%') return 0;
  size_t vs = p - 1;
  while (vs > floor_ && p - vs < 40 && (is(s_[vs - 1], kAlnum) || s_[vs - 1] == '_' || s_[vs - 1] == '(' ||
                                        s_[vs - 1] == ')'))
    --vs;
  if (vs == p - 1 || vs == 0 || s_[vs - 1] != '%') return 0;
  const size_t st = vs - 1;
  if (st > 0 && !boundary_before_path(s_[st - 1])) return 0;
  const size_t sep = at(p + 1) == '\\' ? 2 : 1;
  return win_path_from(Type::kWindowsPath, st, p + sep, sep);
}

// HKLM\..., HKEY_LOCAL_MACHINE\..., HKLM:\... (PowerShell); p is the '\' or ':'.
size_t Scan::registry(size_t p) {
  if (p == 0 || !is(s_[p - 1], kAlnum)) return 0;
  size_t ws = p;
  while (ws > floor_ && p - ws < 22 && (is(s_[ws - 1], kAlnum) || s_[ws - 1] == '_')) --ws;
  if (ws == p || (s_[ws] | 0x20) != 'h' || (ws > 0 && (is(s_[ws - 1], kAlnum) || s_[ws - 1] == '_')))
    return 0;
  const std::string_view word = t_.substr(ws, p - ws);
  bool hive = false;
  for (auto h : kHives) hive = hive || iequals(word, h);
  if (!hive) return 0;
  size_t i = p;
  if (s_[i] == ':') ++i;
  if (at(i) != '\\') return 0;
  const size_t sep = at(i + 1) == '\\' ? 2 : 1;
  return win_path_from(Type::kRegistryKey, ws, i + sep, sep);
}

size_t Scan::linux_path(size_t p) {
  if (depth_ > 0) return 0;  // inside a URL, a path is the URL's
  size_t st = p;
  if (p > 0) {
    const unsigned char b = s_[p - 1];
    const bool boundary = b == ' ' || b == '\t' || b == '\n' || b == '\r' || b == '"' || b == '\'' ||
                          b == '`' || b == '=' || b == '(' || b == '[' || b == '{' || b == ',' || b == ';' ||
                          b == '>' || b == '|' || b == ':' || b == '&' || b >= 0x80;
    if (b == '~' && (p == 1 || !is(s_[p - 2], kAlnum))) st = p - 1;
    else if (!boundary) return 0;
  }
  if (st < floor_) return 0;
  size_t i = p;
  int segs = 0;
  bool all_numeric = true;
  std::string_view first;
  size_t end = p;
  while (i < n_ && s_[i] == '/') {
    const size_t ss = i + 1;
    size_t j = ss;
    while (j < n_) {
      const unsigned char c = s_[j];
      if (c < 0x80) {
        if (!is(c, kLinSeg)) break;
        ++j;
        continue;
      }
      const size_t l = utf8_name_char(s_, j, n_);
      if (!l) break;
      j += l;
    }
    if (j == ss) break;
    if (segs == 0) {
      // The first segment decides before the rest is read: a '/' after ',', '=' or
      // a non-ASCII letter starts another candidate inside this one, and reading
      // every rejected candidate to its end ("/data/x,/y,/z,...") was quadratic.
      first = t_.substr(ss, j - ss);
      if (!is(static_cast<unsigned char>(first[0]), kAlnum) && first[0] != '.' && first[0] != '_') return 0;
      if (st == p) {
        bool root = false;
        for (auto r : kFhsRoots) root = root || r == first;
        if (!root) return 0;
      }
    }
    for (size_t k = ss; k < j && all_numeric; ++k) all_numeric = is(s_[k], kDigit);
    ++segs;
    end = i = j;
  }
  if (!segs || all_numeric) return 0;
  if (st != p && segs < 2 && first.size() < 2) {
    return 0;  // "~/" and one character
  }
  while (end > p + 1 && (s_[end - 1] == '.' || s_[end - 1] == ',')) --end;
  if (end <= p + 1) return 0;
  emit(Type::kLinuxPath, st, end, std::string(t_.substr(st, end - st)), false);
  return end;
}

}  // namespace sqlhunt::ioc::detail
