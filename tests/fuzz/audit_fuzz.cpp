// libFuzzer target for the audit log parser: the input is a log (lines split on \n);
// every line goes through the header parser and the event assembler, and every column
// of every event is computed. Checks: no crash or sanitizer report, every line ends up
// in exactly one event, every JSON column is valid UTF-8 with balanced structure, the
// columns answered from picked fields (field_picks.h) equal those looked up field by
// field, the inline field scanner agrees with the full one, and the input read as a
// passwd file (id_names.h) names nothing it should not.
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

#include "core/json_text.h"
#include "vtabs/audit_events/audit_event.h"
#include "vtabs/audit_events/audit_record.h"
#include "vtabs/audit_events/audit_value.h"
#include "vtabs/audit_events/event_assembler.h"
#include "vtabs/audit_events/field_picks.h"
#include "vtabs/audit_events/id_names.h"

namespace audit = sqlhunt::audit;

namespace {

void check_utf8(std::string_view s) {
  for (size_t i = 0; i < s.size();) {
    const size_t n = sqlhunt::json::utf8_sequence_length(s, i);
    if (n == 0) std::abort();
    i += n;
  }
}

template <class T>
std::string text_of(const std::optional<T>& v) {
  if (!v) return "\x01null";
  if constexpr (std::is_same_v<T, int64_t>) return std::to_string(*v);
  else return std::string(*v);
}

// Every column, as text, in one vector (to compare two ways of answering them).
std::vector<std::string> touch_all_columns(audit::EventView& v) {
  std::vector<std::string> out;
  out.emplace_back(v.type());
  out.push_back(v.record_types());
  out.push_back(text_of(v.arch()));
  out.push_back(text_of(v.syscall()));
  out.push_back(text_of(v.success()));
  out.push_back(text_of(v.integer("exit")));
  for (const char* k : {"pid", "ppid", "uid", "auid", "euid", "suid", "fsuid", "gid", "egid", "ses"})
    out.push_back(text_of(v.id(k)));
  for (const char* k : {"exe", "comm", "cwd", "proctitle", "key", "subj", "op", "res", "cmd"})
    out.push_back(text_of(v.text(k)));
  for (const char* k : {"tty", "addr", "acct", "hostname"}) out.push_back(text_of(v.text(k, true)));
  out.push_back(text_of(v.terminal()));
  out.push_back(text_of(v.account()));
  out.push_back(text_of(v.id_name("uid", "UID", v.users())));
  out.push_back(text_of(v.id_name("gid", "GID", v.groups())));
  out.push_back(text_of(v.enriched("AUID")));
  out.push_back(text_of(v.argc()));
  if (auto a = v.argv_json()) check_utf8(*a);
  out.push_back(text_of(v.argv_json()));
  out.push_back(text_of(v.cmdline()));
  out.push_back(v.argv_problem());
  if (auto p = v.paths_json()) check_utf8(*p);
  const std::string records = v.records_json();
  check_utf8(records);
  out.push_back(records);
  return out;
}

void check_scanners_agree(const audit::RecordHeader& h) {
  audit::FieldScanner quick(h), slow(h);
  audit::Field a, b;
  for (;;) {
    const bool more = quick.next(a);
    if (more != slow.next_slow(b)) std::abort();
    if (!more) break;
    if (a.key != b.key || a.value != b.value || a.inner != b.inner || a.enriched != b.enriched) std::abort();
  }
  if (quick.unterminated_quote() != slow.unterminated_quote()) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  audit::EventAssembler assembler(/*keep_text=*/true);
  audit::EventView view;
  // The input as a passwd file too: its names must be the first field of some line.
  const auto names = audit::IdNames::parse(input);
  for (int64_t id : {int64_t{0}, int64_t{1}, int64_t{1000}, int64_t{4294967295}})
    if (auto n = names->name(id); n && (n->empty() || n->find(':') != std::string_view::npos)) std::abort();
  view.set_names(names.get(), names.get());
  size_t lines = 0, accounted = 0;
  constexpr audit::PickMask kAll = (audit::PickMask{1} << audit::kPickCount) - 1;
  auto drain = [&] {
    while (audit::Event* e = assembler.pop()) {
      accounted += e->record_count;
      view.reset(e);
      const auto slow = touch_all_columns(view);
      audit::prepare_event(*e, kAll);
      view.reset(e);
      if (touch_all_columns(view) != slow) std::abort();
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
    if (sl.is_record) {
      check_scanners_agree(sl.header);
      (void)audit::find_another_header(sl.header.body);
    }
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
