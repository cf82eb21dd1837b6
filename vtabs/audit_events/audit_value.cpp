#include "vtabs/audit_events/audit_value.h"

#include <algorithm>
#include <array>

#include "core/hex.h"

namespace sqlhunt::audit {
namespace {

// libauparse's escaped field names (auparse/typetab.h: AUPARSE_TYPE_ESCAPED,
// _ESCAPED_KEY, _PROCTITLE, _ESCAPED_FILE), sorted for binary search.
constexpr std::array<std::string_view, 30> kEncoded = {
    "acct", "cgroup", "cmd", "comm", "cwd", "data", "dir", "exe", "file", "grp", "key",
    "name", "new-chardev", "new-disk", "new-fs", "new-net", "new-rng", "new_group",
    "ocomm", "old-chardev", "old-disk", "old-fs", "old-net", "old-rng", "path",
    "proctitle", "root_dir", "sw", "vm", "watch",
};

constexpr bool sorted(const std::array<std::string_view, kEncoded.size()>& a) {
  for (size_t i = 1; i < a.size(); ++i)
    if (!(a[i - 1] < a[i])) return false;
  return true;
}
static_assert(sorted(kEncoded), "kEncoded must stay sorted for binary_search");

bool is_argument_key(std::string_view key) {
  // a0, a12, a3[0], a3_len is a length (a number), not text
  if (key.size() < 2 || key[0] != 'a') return false;
  size_t i = 1;
  while (i < key.size() && key[i] >= '0' && key[i] <= '9') ++i;
  if (i == 1) return false;
  if (i == key.size()) return true;
  if (key[i] != '[' || key.back() != ']') return false;
  for (size_t j = i + 1; j + 1 < key.size(); ++j)
    if (key[j] < '0' || key[j] > '9') return false;
  return key.size() > i + 2;
}

}  // namespace

bool encoded_field(std::string_view key, bool execve) {
  if (execve && is_argument_key(key)) return true;
  return std::binary_search(kEncoded.begin(), kEncoded.end(), key);
}

std::optional<std::string_view> decode_value(std::string_view raw, bool hex_allowed,
                                             std::string& scratch, bool is_key_field) {
  if (raw.size() >= 2 && raw.front() == '"') {
    // (A value whose closing quote is missing runs to the end of the line: the
    // scanner's rule. A lone quote is not a quoted value at all.)
    raw.remove_prefix(1);
    if (raw.back() == '"') raw.remove_suffix(1);
    return raw;
  }
  if (raw == "(null)") return std::nullopt;
  if (!hex_allowed || !hex::is_hex(raw)) return raw;
  if (hex::decode(raw, scratch, std::string_view(" "))) return raw;  // cannot fail: is_hex
  if (is_key_field) std::replace(scratch.begin(), scratch.end(), '\x01', ',');
  return std::string_view(scratch);
}

std::optional<std::string> decode_for_sql(std::string_view raw, std::optional<std::string_view> field) {
  std::string scratch;
  const bool hex_allowed = !field || encoded_field(*field, /*execve=*/true);
  auto v = decode_value(raw, hex_allowed, scratch, field && *field == "key");
  if (!v) return std::nullopt;
  return std::string(*v);
}

}  // namespace sqlhunt::audit
