// libFuzzer target for vtabs/office_activity: any bytes, read as an Office 365 export of
// any shape (CSV, JSON lines, arrays, envelopes), normalise without crashing or reading
// out of bounds: client_ip is canonical, record is valid JSON, a time is in range, and
// asking for fewer columns never changes the ones asked for.
#include <cstdint>
#include <cstdlib>
#include <string>

#include <nlohmann/json.hpp>

#include "core/ip.h"
#include "core/record_stream.h"
#include "vtabs/office_activity/activity.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  auto reader = sqlhunt::records::Reader::from_string(text, 4096);
  sqlhunt::office::Normaliser all, some;
  sqlhunt::records::Record r;
  int n = 0;
  while (reader->next(r)) {
    if (++n > 100000) std::abort();  // every record consumes input: no endless loop
    const auto a = all(r);
    if (a.client_ip && sqlhunt::ip::normalize(*a.client_ip) != *a.client_ip) std::abort();
    if (a.epoch && !(*a.epoch >= -62135596800.0 && *a.epoch < 253402300800.0)) std::abort();
    const std::string json = all.record_json(r);
    if (!json.empty() && !nlohmann::json::accept(json)) std::abort();
    if (r.has_value != !json.empty()) std::abort();
    const auto b = some(r, sqlhunt::office::kNeedClient | sqlhunt::office::kNeedTypes);
    if (b.client_ip != a.client_ip || b.client_port != a.client_port || b.record_type != a.record_type ||
        b.record_type_id != a.record_type_id || b.time || b.operation)
      std::abort();
  }
  return 0;
}
