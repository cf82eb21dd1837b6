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

// Parses an event's record headers, and the fields of its general (SYSCALL,
// user-space, ...) and CWD records, into event.parsed. The reader thread calls it, so
// the query's thread mostly looks fields up; EXECVE, PATH and PROCTITLE stay lazy.
void prepare_event(Event& event);

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
  // Every record of `e` with its header (fields not yet parsed).
  static void fill_records(const Event& e, std::vector<ParsedRecord>& out);

  std::string_view type();
  std::string record_types();
  std::optional<std::string_view> arch();
  std::optional<std::string_view> syscall();
  std::optional<int64_t> success();
  std::optional<int64_t> integer(std::string_view key);   // exit
  std::optional<int64_t> id(std::string_view key);        // pid, uid, ... (unset -> NULL)
  // A decoded text field; `unknown_is_null` maps "?" and "(none)" to NULL.
  // The view is valid until the next call on this EventView.
  std::optional<std::string_view> text(std::string_view key, bool unknown_is_null = false);
  std::optional<std::string_view> enriched(std::string_view key);
  std::optional<int64_t> argc();
  std::optional<std::string_view> argv_json();
  std::optional<std::string_view> cmdline();
  std::optional<std::string> paths_json();
  std::string records_json();

 private:
  // Every record with its header parsed; fields are parsed by fields().
  std::vector<ParsedRecord>& records();
  const std::vector<Field>& fields(ParsedRecord& r);
  // The raw value of `key` (first match, SYSCALL first; records of another kind than
  // the key's are skipped), and the record it is in.
  const Field* find(std::string_view key, bool enriched_only = false, const ParsedRecord** in = nullptr);
  // Fills arg_text_/arg_present_[0, argn_) from the EXECVE records; false if none.
  bool collect_argv();
  std::string& argument_slot(size_t index);

  const Event* event_ = nullptr;
  bool parsed_ = false;
  std::vector<ParsedRecord> records_;      // when the event was not prepared
  std::vector<ParsedRecord>* recs_ = &records_;
  size_t syscall_index_ = 0;
  bool has_syscall_ = false;
  std::string scratch_;  // decoded text handed out by text()
  std::string out_;      // argv_json() and cmdline() results
  // The arguments of the current event; buffers reused from event to event.
  std::vector<std::string> arg_text_;
  std::vector<unsigned char> arg_present_;
  size_t argn_ = 0;
};

// Appends one argument to a command line, single-quoted shell style if it needs it
// (see cmdline above).
void append_shell_word(std::string& out, std::string_view argument);

}  // namespace sqlhunt::audit
