// libFuzzer target for core/ip: any bytes parse or are refused without reading out of
// bounds; an accepted address prints canonically, and that text parses back to it.
// normalize() (the decorations logs add: ports, brackets, zones, ::ffff:) gives text
// that parses as a plain address and normalises to itself.
#include <cstdint>
#include <cstdlib>

#include "core/ip.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace sqlhunt::ip;
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  if (const auto n = normalize(text)) {
    const auto plain = parse(*n);
    if (!plain || plain->mapped_v4() || normalize(*n) != *n) std::abort();
  }
  const auto a = parse(text);
  if (!a) return 0;
  const std::string canonical = to_string(*a);
  const auto back = parse(canonical);
  if (!back || !(*back == *a) || to_string(*back) != canonical) std::abort();
  (void)class_name(classify(*a));
  return 0;
}
