// libFuzzer target for core/time: parse() accepts or refuses any bytes without reading
// out of bounds, and anything it accepts formats to a valid 24-character ISO time that
// parses back to the same millisecond.
#include <cstdint>
#include <cstdlib>
#include <string>

#include "core/time.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace sqlhunt::timefmt;
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const auto t = parse(text);
  if (!t) return 0;
  const std::string iso = iso_from_epoch(*t);
  if (iso.size() != kIsoLength) std::abort();
  const auto back = parse(iso);
  if (!back) std::abort();
  // Clamped years (outside 0000..9999) do not round-trip; everything else must.
  if (*t > -62167219200.0 && *t < 253402300799.0 && epoch_ms_from_seconds(*back) != epoch_ms_from_seconds(*t))
    std::abort();
  return 0;
}
