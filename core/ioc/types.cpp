// core/ioc/types.cpp — the public face of the scanner (ioc.h): type names and lists,
// extract(), the streaming Scanner, and whole-value typing, the one classifier that
// ioc_type() and ti_lookup share.
#include <memory>
#include <stdexcept>

#include "core/ioc/scan.h"

namespace sqlhunt::ioc {

const char* type_name(Type t) {
  switch (t) {
    case Type::kIpv4: return "ipv4";
    case Type::kIpv6: return "ipv6";
    case Type::kDomain: return "domain";
    case Type::kUrl: return "url";
    case Type::kEmail: return "email";
    case Type::kMd5: return "md5";
    case Type::kSha1: return "sha1";
    case Type::kSha256: return "sha256";
    case Type::kSha512: return "sha512";
    case Type::kWindowsPath: return "windows_path";
    case Type::kLinuxPath: return "linux_path";
    case Type::kCve: return "cve";
    case Type::kRegistryKey: return "registry_key";
  }
  return "?";
}

std::optional<Type> type_from_name(std::string_view name) {
  for (int i = 0; i < kTypeCount; ++i) {
    const auto t = static_cast<Type>(i);
    if (text::iequals(name, type_name(t))) return t;
  }
  return std::nullopt;
}

TypeMask parse_types(std::string_view list) {
  TypeMask mask = 0;
  size_t i = 0;
  while (i <= list.size()) {
    size_t j = list.find(',', i);
    if (j == std::string_view::npos) j = list.size();
    std::string_view item = list.substr(i, j - i);
    while (!item.empty() && (item.front() == ' ' || item.front() == '\t')) item.remove_prefix(1);
    while (!item.empty() && (item.back() == ' ' || item.back() == '\t')) item.remove_suffix(1);
    if (!item.empty()) {
      auto t = type_from_name(item);
      if (!t) {
        std::string known;
        for (int k = 0; k < kTypeCount; ++k) {
          if (k) known += ", ";
          known += type_name(static_cast<Type>(k));
        }
        throw std::invalid_argument("unknown type '" + std::string(item) + "' (known types: " + known + ")");
      }
      mask |= bit(*t);
    }
    i = j + 1;
  }
  if (!mask) throw std::invalid_argument("no type given in '" + std::string(list) + "'");
  return mask;
}

void extract(std::string_view text, std::vector<Match>& out, TypeMask mask) {
  detail::Scan(text, out, mask, 0).run();
}

std::vector<Match> extract(std::string_view text, TypeMask mask) {
  std::vector<Match> out;
  extract(text, out, mask);
  return out;
}

Scanner::Scanner(std::string_view text, TypeMask mask)
    : scan_(std::make_unique<detail::Scan>(text, mask, 0)) {}
Scanner::~Scanner() = default;

bool Scanner::next(std::vector<Match>& out, size_t batch) {
  out.clear();
  scan_->set_output(out);
  scan_->run(batch ? batch : 1);
  return !out.empty();
}

std::optional<Match> whole(std::string_view text) {
  auto ws = [](char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f'; };
  while (!text.empty() && ws(text.front())) text.remove_prefix(1);
  while (!text.empty() && ws(text.back())) text.remove_suffix(1);
  if (text.empty()) return std::nullopt;
  // Matches come in order of start, so only the first few can start at 0: the scan
  // stops there instead of reading a long value to its end.
  std::vector<Match> found;
  detail::Scan scan(text, found, kAllTypes, 0);
  for (size_t seen = 0; scan.run(1) || seen < found.size();) {
    for (; seen < found.size(); ++seen) {
      Match& m = found[seen];
      if (m.start != 0) return std::nullopt;
      if (m.end == text.size()) return std::move(m);
    }
  }
  return std::nullopt;
}

std::optional<Type> whole_type(std::string_view text) {
  if (auto m = whole(text)) return m->type;
  return std::nullopt;
}

}  // namespace sqlhunt::ioc
