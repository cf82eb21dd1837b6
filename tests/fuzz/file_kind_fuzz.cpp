// libFuzzer target for core/file_kind: what a file is, from its first bytes (every
// reader asks it first, about files an attacker may have written). sniff() must read
// only what it is given, name every kind it returns, and answer the same twice.
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <string_view>

#include "core/file_kind.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view head(reinterpret_cast<const char*>(data), size);
  const sqlhunt::files::Kind k = sqlhunt::files::sniff(head);
  const char* name = sqlhunt::files::kind_name(k);
  if (name == nullptr || std::strlen(name) == 0) std::abort();
  if (sqlhunt::files::sniff(head) != k) std::abort();
  if (size == 0 && k != sqlhunt::files::Kind::kEmpty) std::abort();
  return 0;
}
