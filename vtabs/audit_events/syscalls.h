// vtabs/audit_events/syscalls.h — syscall numbers to names, per architecture.
//
// A SYSCALL record says `arch=c000003e syscall=59`; ausearch -i shows `arch=x86_64
// syscall=execve`. The tables are auditd's own (scripts/gen-syscall-names writes
// syscall_names.inc from `ausyscall --dump`), for the architectures audit logs come
// from in practice: x86_64, aarch64 and i386 (32-bit programs on x86_64 hosts log
// arch=40000003).
#pragma once

#include <string_view>

namespace sqlhunt::audit {

// "x86_64", "aarch64" or "i386" for auditd's hex arch (AUDIT_ARCH_*), "" if unknown.
std::string_view arch_name(std::string_view arch_hex);

// The syscall's name for `arch_hex` and the decimal `number`; "" if either is unknown.
std::string_view syscall_name(std::string_view arch_hex, std::string_view number);

}  // namespace sqlhunt::audit
