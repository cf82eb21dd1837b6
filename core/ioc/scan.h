// core/ioc/scan.h — the scanner's insides, shared by the files that hold its jobs
// (not for use outside core/ioc; the interface is core/ioc/ioc.h):
//   scan.cpp    the driver: the two event streams (trigger bytes, hash-length hex
//               runs), dispatch, hashes and CVE ids
//   names.cpp   dotted names: domains (public suffix list, stop-list), IPv4, e-mail,
//               and IPv6
//   urls.cpp    URLs and what their path and query hold
//   paths.cpp   Windows paths, registry keys, Linux paths
//   types.cpp   type names, extract(), the streaming Scanner, whole-value typing
// One Scan reads one text left to right; each handler backs up to the start of its
// token (never past floor_, the end of the previous match), reads forward, and emits
// a match and jumps past it, or lets the scan go on.
#pragma once

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <string>
#include <string_view>
#include <vector>

#include "core/ioc/ioc.h"
#include "core/text.h"

namespace sqlhunt::ioc::detail {

using text::ascii_lower;
using text::iequals;

// Byte classes (one table lookup per byte in the hot loop).
enum : uint16_t {
  kAlnum = 1 << 0,    // [A-Za-z0-9]
  kHex = 1 << 1,      // [0-9A-Fa-f]
  kLabel = 1 << 2,    // DNS label byte: [A-Za-z0-9-]
  kTrigger = 1 << 3,  // . : @ / \ [ ( { -
  kUrl = 1 << 4,      // may appear in a URL's path, query or fragment
  kLocal = 1 << 5,    // e-mail local part: [A-Za-z0-9._%+-!#$&'*^~]
  kWinSeg = 1 << 6,   // ASCII byte of a Windows path segment (no space)
  kLinSeg = 1 << 7,   // ASCII byte of a Linux path segment
  kUserinfo = 1 << 8, // URL userinfo
  kDigit = 1 << 9,
};

constexpr std::array<uint16_t, 256> make_classes() {
  std::array<uint16_t, 256> t{};
  for (int c = 0; c < 256; ++c) {
    uint16_t v = 0;
    const bool digit = c >= '0' && c <= '9';
    const bool alpha = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    if (digit) v |= kDigit;
    if (digit || alpha) v |= kAlnum | kLabel | kLocal | kWinSeg | kLinSeg | kUserinfo;
    if (digit || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F')) v |= kHex;
    if (c == '-') v |= kLabel;
    if (c == '.' || c == ':' || c == '@' || c == '/' || c == '\\' || c == '[' || c == '(' || c == '{' ||
        c == '-')
      v |= kTrigger;
    if (c > 0x20 && c < 0x7f) {
      const bool not_url = c == '"' || c == '<' || c == '>' || c == '\\' || c == '^' || c == '`' ||
                           c == '{' || c == '}' || c == '|';
      if (!not_url) v |= kUrl;
      // ',' and ';' are legal in file names but in text they separate lists far more
      // often (CSV fields, PATH=C:\a;C:\b).
      const bool not_win = c == '\\' || c == '/' || c == ':' || c == '*' || c == '?' || c == '"' ||
                           c == '<' || c == '>' || c == '|' || c == ',' || c == ';';
      if (!not_win) v |= kWinSeg;
    }
    // RFC 5322's atext minus what separates fields in logs and URLs (/ = ? | { } `).
    if (c == '.' || c == '_' || c == '%' || c == '+' || c == '-' || c == '!' || c == '#' || c == '$' ||
        c == '&' || c == '\'' || c == '*' || c == '^' || c == '~')
      v |= kLocal;
    if (c == '.' || c == '_' || c == '-' || c == '+' || c == '@' || c == '%' || c == '~' || c == '=' ||
        c == ',')
      v |= kLinSeg;
    if (c == '-' || c == '.' || c == '_' || c == '~' || c == '%' || c == '!' || c == '$' || c == '&' ||
        c == '\'' || c == '(' || c == ')' || c == '*' || c == '+' || c == ',' || c == ';' || c == '=' ||
        c == ':')
      v |= kUserinfo;
    t[c] = v;
  }
  return t;
}
inline constexpr std::array<uint16_t, 256> kCls = make_classes();

inline bool is(unsigned char c, uint16_t cls) { return (kCls[c] & cls) != 0; }
inline Type hash_type(size_t len) {
  switch (len) {
    case 32: return Type::kMd5;
    case 40: return Type::kSha1;
    case 64: return Type::kSha256;
    default: return Type::kSha512;
  }
}
inline bool hash_length(size_t len) { return len == 32 || len == 40 || len == 64 || len == 128; }

constexpr int kMaxUrlDepth = 3;

// A dotted name read forward: labels separated by plain or defanged dots.
struct Name {
  size_t start = 0, end = 0;
  int labels = 0;
  bool defanged = false;
  bool bad_label = false;    // empty, > 63 bytes, or a leading/trailing '-'
  bool all_numeric = true;
  size_t last_label_start = 0;
  // The name with its defanged dots made plain (case kept), built only when one is
  // defanged: a plain name is its own text (Scan::text_of), and most names scanned
  // turn out to be none.
  std::string refanged;
};

class Scan {
 public:
  Scan(std::string_view text, std::vector<Match>& out, TypeMask mask, int depth)
      : Scan(text, mask, depth) {
    out_ = &out;
  }
  // Without an output yet: set_output() before run().
  Scan(std::string_view text, TypeMask mask, int depth)
      : t_(text), s_(reinterpret_cast<const unsigned char*>(text.data())), n_(text.size()), mask_(mask),
        depth_(depth) {}

  // Scans on until at least `want` more matches are in the output (a trigger may add
  // several: a URL brings its host along) or the text ends. Returns false once the
  // whole text has been scanned. Called again, it goes on where it stopped.
  bool run(size_t want = std::numeric_limits<size_t>::max());
  // Where the next matches go (the streaming Scanner hands in a fresh batch).
  void set_output(std::vector<Match>& out) { out_ = &out; }

 private:
  std::string_view t_;
  const unsigned char* s_;
  size_t n_;
  std::vector<Match>* out_ = nullptr;
  TypeMask mask_;
  int depth_;
  size_t floor_ = 0;  // end of the last match: nothing backs up past it
  // run()'s position, kept between calls: the scan position, the next hash-length hex
  // run [h_, hash_end_) (n_: none found before hstop_, where the search stopped) and the
  // next trigger byte tp_.
  bool started_ = false, done_ = false;
  size_t i_ = 0, h_ = 0, hash_end_ = 0, tp_ = 0, hstop_ = 0;

  unsigned char at(size_t i) const { return i < n_ ? s_[i] : 0; }
  // A name as one string, its dots plain.
  std::string_view text_of(const Name& nm) const {
    return nm.defanged ? std::string_view(nm.refanged) : t_.substr(nm.start, nm.end - nm.start);
  }

  void emit(Type type, size_t start, size_t end, std::string value, bool defanged) {
    if (mask_ & bit(type)) out_->push_back(Match{type, defanged, start, end, std::move(value)});
    floor_ = std::max(floor_, end);
  }

  // scan.cpp: the event streams, dispatch, hashes, CVE.
  size_t next_trigger(size_t i) const;
  size_t find_hash(size_t from, size_t& end, size_t limit, size_t& stop) const;
  size_t trigger(size_t p);
  bool hash(size_t rs, size_t e);
  size_t cve(size_t rs);

  // names.cpp
  // `underscore`: a '_' is a label byte too (a URL's host).
  Name parse_name(size_t pos, bool underscore = false) const;
  bool valid_domain(const Name& nm, bool host) const;
  size_t quad(size_t pos, bool& defanged) const;
  size_t dotted(size_t p);
  size_t email(size_t p);
  size_t ipv6(size_t p);

  // urls.cpp
  size_t url(size_t p);
  void rescan(size_t from, size_t to);

  // paths.cpp
  size_t win_segments(size_t pos, size_t sep, int& segs, bool quoted) const;
  size_t trim_path(size_t start, size_t end) const;
  bool after_quote(size_t start) const { return start > 0 && s_[start - 1] == '\''; }
  size_t win_path_from(Type type, size_t start, size_t pos, size_t sep);
  size_t emit_win(Type type, size_t start, size_t end, size_t sep);
  size_t drive_path(size_t p);
  size_t unc_path(size_t p);
  size_t env_path(size_t p);
  size_t registry(size_t p);
  size_t linux_path(size_t p);
};

}  // namespace sqlhunt::ioc::detail
