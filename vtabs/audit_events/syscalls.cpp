#include "vtabs/audit_events/syscalls.h"

#include <cstddef>
#include <strings.h>

namespace sqlhunt::audit {
namespace {

#include "vtabs/audit_events/syscall_names.inc"

struct Arch {
  std::string_view hex;  // AUDIT_ARCH_* as auditd prints it (lower case)
  std::string_view name;
  const char* const* table;
  size_t size;
};

template <size_t N>
constexpr Arch arch(std::string_view hex, std::string_view name, const char* const (&t)[N]) {
  return Arch{hex, name, t, N};
}

const Arch kArches[] = {
    arch("c000003e", "x86_64", kSyscalls_x86_64),
    arch("c00000b7", "aarch64", kSyscalls_aarch64),
    arch("40000003", "i386", kSyscalls_i386),
};

const Arch* find(std::string_view hex) {
  for (const auto& a : kArches)
    if (hex.size() == a.hex.size() && strncasecmp(hex.data(), a.hex.data(), hex.size()) == 0) return &a;
  return nullptr;
}

}  // namespace

std::string_view arch_name(std::string_view arch_hex) {
  const Arch* a = find(arch_hex);
  return a ? a->name : std::string_view();
}

std::string_view syscall_name(std::string_view arch_hex, std::string_view number) {
  const Arch* a = find(arch_hex);
  if (!a || number.empty() || number.size() > 6) return {};
  size_t n = 0;
  for (char c : number) {
    if (c < '0' || c > '9') return {};
    n = n * 10 + static_cast<size_t>(c - '0');
  }
  if (n >= a->size || !a->table[n]) return {};
  return a->table[n];
}

}  // namespace sqlhunt::audit
