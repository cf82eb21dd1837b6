// libFuzzer target for the IoC scanner and refang (core/ioc).
// Invariants: every match lies within the text with start < end; matches come in
// order of start; a match either starts at or after the end of the previous top-level
// match or lies inside the URL before it (its host, what its query holds); values are
// never empty; refang never grows a text and is the identity on text without '[', '(',
// '{', ' ', '\' or "xp"; the streaming Scanner gives extract()'s matches; whole_type
// and parse_types never crash.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "core/ioc/ioc.h"
#include "core/ioc/refang.h"

using namespace sqlhunt::ioc;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const auto ms = extract(text);
  size_t last_start = 0, top_end = 0, url_start = 0, url_end = 0;
  for (const auto& m : ms) {
    if (!(m.start < m.end && m.end <= size)) std::abort();
    if (m.start < last_start) std::abort();
    if (m.value.empty()) std::abort();
    const bool inside_url = m.start >= url_start && m.end <= url_end;
    if (m.start < top_end && !inside_url) std::abort();
    if (!inside_url) {
      top_end = m.end;
      if (m.type == Type::kUrl) url_start = m.start, url_end = m.end;
    }
    last_start = m.start;
  }
  // A type filter keeps a subset, in the same order.
  const auto ips = extract(text, bit(Type::kIpv4) | bit(Type::kDomain));
  size_t k = 0;
  for (const auto& m : ips) {
    while (k < ms.size() && !(ms[k].start == m.start && ms[k].end == m.end && ms[k].type == m.type)) ++k;
    if (k == ms.size()) std::abort();
    ++k;
  }
  // The streaming Scanner gives the same matches, in the same order.
  Scanner scan(text);
  std::vector<Match> part;
  size_t at = 0;
  while (scan.next(part, 1 + size % 5)) {
    for (const auto& m : part) {
      if (at >= ms.size() || ms[at].start != m.start || ms[at].end != m.end || ms[at].type != m.type ||
          ms[at].value != m.value)
        std::abort();
      ++at;
    }
  }
  if (at != ms.size()) std::abort();
  const std::string r = refang(text);
  if (r.size() > size) std::abort();
  (void)whole_type(text);
  try {
    (void)parse_types(text);
  } catch (const std::invalid_argument&) {
  }
  return 0;
}
