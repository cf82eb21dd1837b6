// libFuzzer target for core/csv: any bytes give records without reading out of bounds
// or growing past the record limit, and a tiny buffer gives the same records as a large
// one (the refill logic cannot change what is read).
#include <cstdint>
#include <cstdlib>
#include <string>
#include <vector>

#include "core/csv.h"

namespace {
struct Out {
  std::vector<std::string> fields;
  uint64_t line, end_line;
  std::string error;
  bool operator==(const Out& o) const {
    return fields == o.fields && line == o.line && end_line == o.end_line && error == o.error;
  }
};

std::vector<Out> read_all(std::string_view text, sqlhunt::csv::Options opt) {
  auto r = sqlhunt::csv::Reader::from_string(text, opt);
  std::vector<Out> out;
  sqlhunt::csv::Record rec;
  uint64_t last_line = 0;
  while (r->next(rec)) {
    if (rec.end_line < rec.line || rec.line <= last_line) std::abort();
    last_line = rec.end_line;
    size_t total = 0;
    for (auto f : rec.fields) total += f.size();
    if (total > opt.max_record) std::abort();
    out.push_back({{rec.fields.begin(), rec.fields.end()}, rec.line, rec.end_line, rec.error});
  }
  return out;
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  sqlhunt::csv::Options big, small;
  // The first byte picks the delimiter and header mode, so both are explored.
  big.delimiter = small.delimiter = (data[0] & 1) ? ',' : ';';
  big.header = small.header = (data[0] & 2) != 0;
  big.max_record = small.max_record = 256;
  small.buffer_size = 1;
  const std::string_view text(reinterpret_cast<const char*>(data) + 1, size - 1);
  if (!(read_all(text, big) == read_all(text, small))) std::abort();
  return 0;
}
