// core/ioc/ioc.h — indicators of compromise out of any text (pure C++).
//
// One left-to-right pass over the bytes, no regex. Two event streams, merged in order:
//   trigger bytes, found 16 at a time with SSE2 (a byte loop elsewhere):
//     '.' '[' '(' '{' " dot "   dotted names: IPv4, domains (defanged forms too)
//     ':'                       URLs ("://", "[:]//", "[://]", ":\\"), drive paths (C:\),
//                               registry keys (HKLM:\), IPv6
//     '@' "[@]" "[at]"          e-mail addresses
//     '\\'                      UNC paths, %ENV%\ paths, registry keys (HKLM\...)
//     '/'                       Linux paths
//     '-'                       CVE ids ("CVE-")
//   hash-length hex runs (32/40/64/128), found by a skip search that looks at every
//   32nd byte only while it is no hex digit.
// Each handler backs up to the start of its token (never past the end of the previous
// match), reads forward, validates (core/ip.h for addresses, the public suffix list via
// libpsl for domains) and either emits a match and jumps past it or lets the scan go
// on. Time and memory are linear in the text. Every rule, with examples, is in
// docs/extract_iocs.md; the code holds one job per file (scan.h lists them).
//
// Matches come out in order of `start`, never overlapping, except that a URL is
// followed by its host (domain/ipv4/ipv6) and by what its path, query and fragment
// contain once percent-decoded (a URL inside a URL); those lie inside the URL's span.
// `start`/`end` are byte offsets into the text; text.substr(start, end - start) is
// always the indicator as written (its `raw`), `value` the refanged, normalised form.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace sqlhunt::ioc {

enum class Type : uint8_t {
  kIpv4,
  kIpv6,
  kDomain,
  kUrl,
  kEmail,
  kMd5,
  kSha1,
  kSha256,
  kSha512,
  kWindowsPath,
  kLinuxPath,
  kCve,
  kRegistryKey,
};
inline constexpr int kTypeCount = 13;

using TypeMask = uint32_t;
inline constexpr TypeMask kAllTypes = (1u << kTypeCount) - 1;
inline constexpr TypeMask bit(Type t) { return 1u << static_cast<unsigned>(t); }

// "ipv4", "ipv6", "domain", "url", "email", "md5", "sha1", "sha256", "sha512",
// "windows_path", "linux_path", "cve", "registry_key"
const char* type_name(Type t);
std::optional<Type> type_from_name(std::string_view name);
// A comma list of type names ("ipv4, url"; case and spaces ignored) -> mask. Throws
// std::invalid_argument naming the unknown type and listing the known ones. An empty
// list is an error too (it would keep nothing).
TypeMask parse_types(std::string_view list);

struct Match {
  Type type;
  bool defanged;   // written in a defanged form ("hxxp", "[.]", "[at]", ...)
  size_t start;    // byte offset of the first byte
  size_t end;      // byte offset past the last byte
  std::string value;
};

// Appends every indicator in `text` whose type is in `mask` to `out`.
void extract(std::string_view text, std::vector<Match>& out, TypeMask mask = kAllTypes);
std::vector<Match> extract(std::string_view text, TypeMask mask = kAllTypes);

namespace detail {
class Scan;
}

// The same matches a batch at a time, for texts too large to hold every match of at
// once (iocs() over a 200 MB value): memory is the batch, whatever the text holds.
// `text` must outlive the Scanner.
//   ioc::Scanner scan(text);
//   std::vector<ioc::Match> batch;
//   while (scan.next(batch)) for (auto& m : batch) ...;
class Scanner {
 public:
  explicit Scanner(std::string_view text, TypeMask mask = kAllTypes);
  ~Scanner();
  Scanner(const Scanner&) = delete;
  Scanner& operator=(const Scanner&) = delete;
  // Replaces `out` with the next matches: at least `batch` of them (a URL may bring a
  // few more along: its host and what its query holds) unless the text ends first.
  // False, with `out` empty, when there are no more.
  bool next(std::vector<Match>& out, size_t batch = 256);

 private:
  std::unique_ptr<detail::Scan> scan_;
};

// The one classifier: the indicator that `text` is as a whole (ASCII whitespace around
// it ignored), or nullopt when it is not exactly one indicator. Its `value` is the
// refanged, normalised form: whole("hxxp://Evil[.]com/a") = {kUrl, "http://evil.com/a"}.
// ioc_type() and ti_lookup (which types, asks and caches with it) both use it, so a
// value that extraction would not report as one indicator is never sent anywhere.
// Reads only as far as the first indicator: cheap on long values.
std::optional<Match> whole(std::string_view text);
// whole(text)'s type: ioc_type('hxxp://evil[.]com/a') = kUrl.
std::optional<Type> whole_type(std::string_view text);

}  // namespace sqlhunt::ioc
