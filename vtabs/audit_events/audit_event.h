// vtabs/audit_events/audit_event.h — the columns of one assembled event.
//
// EventView answers audit_events' columns from an Event's record lines. It parses the
// records' fields only when the first column that needs them is read, and each column
// only when asked, so `SELECT count(*)` or `SELECT time, serial` never decode a field.
//
// Where a column comes from (first record that has the field, the SYSCALL record
// searched first):
//   type          SYSCALL when the event has one, else its first record's type
//   syscall, arch arch=/syscall= of SYSCALL, by auditd's tables (syscalls.h)
//   success       SYSCALL success=yes/no; else res= (success/yes/1 -> 1, failed/no/0 -> 0)
//   pid .. ses    numbers; auditd's unset id 4294967295 (and -1) -> NULL
//   argv          every EXECVE record's a0..aN and chunked aN[i] (aN_len), decoded, in
//                 index order; argc from argc= (an index missing from the log is null)
//   cmdline       argv joined by spaces; an argument that is empty or holds a space, a
//                 quote or a shell metacharacter is single-quoted, shell style
//   proctitle     PROCTITLE's proctitle, NULs as spaces
//   paths         PATH records: [{"item","name","nametype","mode","inode"}]
//   tty, hostname, addr, terminal, acct   "?" and "(none)" -> NULL
//   uid_name, auid_name   ENRICHED logs: UID= / AUID= after the 0x1d byte
//   records       [{"type", "line", "fields": {key: decoded value}}] — every field of
//                 every record; a key seen twice in one record keeps both ("key",
//                 "key#2"); words that are not key=value are kept under "text".
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "vtabs/audit_events/audit_record.h"
#include "vtabs/audit_events/event_assembler.h"

namespace sqlhunt::audit {

// One record's fields, parsed.
struct ParsedRecord {
  RecordHeader header;
  std::vector<Field> fields;
  bool execve = false;
  uint64_t line = 0;
};

// Parses a record line (header already known to be valid) into `out`.
void parse_fields(const RecordHeader& h, ParsedRecord& out);

// The decoded fields of one record as a JSON object (the form of audit_records.fields,
// audit_events.records[].fields and audit_fields()).
void append_fields_json(std::string& out, const ParsedRecord& rec);

class EventView {
 public:
  void reset(const Event* e) {
    event_ = e;
    parsed_ = false;
  }
  const Event& event() const { return *event_; }

  std::string_view type();
  std::string record_types();
  std::optional<std::string_view> arch();
  std::optional<std::string_view> syscall();
  std::optional<int64_t> success();
  std::optional<int64_t> integer(std::string_view key);   // exit
  std::optional<int64_t> id(std::string_view key);        // pid, uid, ... (unset -> NULL)
  // A decoded text field; `unknown_is_null` maps "?" and "(none)" to NULL.
  std::optional<std::string> text(std::string_view key, bool unknown_is_null = false);
  std::optional<std::string> enriched(std::string_view key);
  std::optional<int64_t> argc();
  std::optional<std::string> argv_json();
  std::optional<std::string> cmdline();
  std::optional<std::string> paths_json();
  std::string records_json();

 private:
  const std::vector<ParsedRecord>& records();
  // The raw value of `key` (first match, SYSCALL first) and whether its record is EXECVE.
  const Field* find(std::string_view key, bool enriched_only = false);
  // argv, with a flag per argument telling whether it was present.
  bool collect_argv(std::vector<std::optional<std::string>>& args);

  const Event* event_ = nullptr;
  bool parsed_ = false;
  std::vector<ParsedRecord> records_;
  size_t syscall_index_ = 0;
  bool has_syscall_ = false;
};

// Joins arguments into one line, quoting those that need it (see cmdline above).
std::string join_command_line(const std::vector<std::optional<std::string>>& args);

}  // namespace sqlhunt::audit
