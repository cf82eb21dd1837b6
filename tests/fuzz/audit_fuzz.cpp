// libFuzzer target for the audit log parser: the input is a log (lines split on \n);
// every line goes through the header parser and the event assembler, and every column
// of every event is computed. Checks: no crash or sanitizer report, every line ends up
// in exactly one event, and every JSON column is valid UTF-8 with balanced structure.
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "core/json_text.h"
#include "vtabs/audit_events/audit_event.h"
#include "vtabs/audit_events/audit_record.h"
#include "vtabs/audit_events/audit_value.h"
#include "vtabs/audit_events/event_assembler.h"

namespace audit = sqlhunt::audit;

namespace {

void check_utf8(std::string_view s) {
  for (size_t i = 0; i < s.size();) {
    const size_t n = sqlhunt::json::utf8_sequence_length(s, i);
    if (n == 0) std::abort();
    i += n;
  }
}

void touch_all_columns(audit::EventView& v) {
  (void)v.type();
  (void)v.record_types();
  (void)v.arch();
  (void)v.syscall();
  (void)v.success();
  (void)v.integer("exit");
  (void)v.id("auid");
  for (const char* k : {"exe", "comm", "cwd", "proctitle", "key", "addr", "acct"}) (void)v.text(k, true);
  (void)v.enriched("UID");
  (void)v.argc();
  if (auto a = v.argv_json()) check_utf8(*a);
  (void)v.cmdline();
  if (auto p = v.paths_json()) check_utf8(*p);
  check_utf8(v.records_json());
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  audit::EventAssembler assembler(/*keep_text=*/true);
  audit::EventView view;
  size_t lines = 0, accounted = 0;
  auto drain = [&] {
    while (audit::Event* e = assembler.pop()) {
      accounted += e->record_count;
      view.reset(e);
      touch_all_columns(view);
    }
  };
  size_t pos = 0;
  while (pos < input.size()) {
    size_t nl = input.find('\n', pos);
    if (nl == std::string_view::npos) nl = input.size();
    audit::SourceLine sl;
    sl.line.text = input.substr(pos, nl - pos);
    sl.line.number = ++lines;
    sl.is_record = audit::parse_header(sl.line.text, sl.header, sl.error);
    assembler.add(sl);
    drain();
    std::string scratch;
    (void)audit::decode_for_sql(sl.line.text, std::nullopt);
    pos = nl + 1;
  }
  assembler.finish();
  drain();
  if (accounted != lines) std::abort();
  return 0;
}
