// vtabs/audit_events/audit_event.h — the columns of one assembled event.
//
// EventView answers audit_events' columns from an Event's record lines. It parses the
// records' fields only when the first column that needs them is read, and each column
// only when asked, so `SELECT count(*)` or `SELECT time, serial` never decode a field.
// A column query names the fields it reads up front: prepare_event() picks them out of
// the records in one pass on the reader's thread (field_picks.h), and the view answers
// those from the picks, by the same rule.
//
// Where a column comes from (first record that has the field, the SYSCALL record
// searched first):
//   type          SYSCALL when the event has one, else its first record's type
//   syscall, arch arch=/syscall= of SYSCALL, by auditd's tables (syscalls.h)
//   success       SYSCALL success=yes/no; else res= (success/yes/1 -> 1, failed/no/0 -> 0)
//   pid .. ses    numbers; auditd's unset id 4294967295 (and -1) -> NULL
//   argv          every EXECVE record's a0..aN and chunked aN[i] (aN_len), decoded, in
//                 index order; argc from argc= (an index missing from the log is null).
//                 Nothing the log holds is left out, whatever the count: an argument
//                 the kernel would not write (a second aN, an aN and aN[i] both, an index
//                 past more than kMaxMissingArguments missing ones) is put at the end,
//                 and argv_problem() says so (the row's parse_error)
//   cmdline       argv joined by spaces; an argument that is empty or holds a space, a
//                 quote or a shell metacharacter is single-quoted, shell style
//   proctitle     PROCTITLE's proctitle, NULs as spaces
//   paths         PATH records: [{"item","name","nametype","mode","inode"}]
//   tty, hostname, addr, terminal, acct   "?" and "(none)" -> NULL; terminal without
//                 a leading "/dev/" (sudo writes /dev/pts/0 and pts/0 for one terminal)
//   cmd           USER_CMD's cmd= (the command run through sudo), decoded
//   uid_name, auid_name, gid_name   ENRICHED logs: UID= / AUID= / GID= after the 0x1d
//                 byte; else the name in the passwd/group file given (IdNames), if any
//   account       acct=; else id= named (ENRICHED ID=, else the passwd file) or as
//                 text; else auid= the same way (AUID=); NULL when none is set
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
#include "vtabs/audit_events/field_picks.h"
#include "vtabs/audit_events/id_names.h"

namespace sqlhunt::audit {

// A gap of missing argument indices longer than this (in all, per event) is not
// filled with nulls: the arguments after it go at the end of argv, flagged (an index
// like a99999999 would otherwise cost 100 million nulls).
inline constexpr uint64_t kMaxMissingArguments = 65'536;

// Picks `wanted` fields of the event's records (field_picks.h) for the query's thread.
// The reader thread calls it; EventView then answers those fields from the picks.
void prepare_event(Event& event, PickMask wanted);

// The decoded fields of one record as a JSON object (the form of audit_records.fields,
// audit_events.records[].fields and audit_fields()).
void append_fields_json(std::string& out, const ParsedRecord& rec);

class EventView {
 public:
  void reset(const Event* e) {
    event_ = e;
    parsed_ = false;
    argv_built_ = false;
  }
  // Names for uid/auid/gid when the log has none (may be null: no names).
  void set_names(const IdNames* users, const IdNames* groups) {
    users_ = users;
    groups_ = groups;
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
  std::optional<std::string_view> terminal();
  // uid_name ("uid", "UID"), auid_name ("auid", "AUID"), gid_name ("gid", "GID").
  std::optional<std::string_view> id_name(std::string_view key, std::string_view enriched_key,
                                          const IdNames* names);
  std::optional<std::string_view> account();
  std::optional<int64_t> argc();
  std::optional<std::string_view> argv_json();
  std::optional<std::string_view> cmdline();
  // Why argv is not simply the log's a0..aN (empty when it is): part of parse_error.
  const std::string& argv_problem();
  std::optional<std::string> paths_json();
  std::string records_json();

  const IdNames* users() const { return users_; }
  const IdNames* groups() const { return groups_; }

 private:
  // Every record with its header parsed; fields are parsed by fields().
  std::vector<ParsedRecord>& records();
  const std::vector<Field>& fields(ParsedRecord& r);
  // The raw value of `key` (first match, SYSCALL first; records of another kind than
  // the key's are skipped), from the picks when the event has that one.
  const Field* find(std::string_view key, bool enriched_only = false);
  // Collects the EXECVE arguments into pieces_/args_ once per event; false if the event
  // has no EXECVE record.
  bool build_argv();
  // Appends argument `a` (args_[a]) decoded to `out`.
  void append_argument(std::string& out, size_t a);

  struct Piece {
    uint64_t index;
    uint64_t chunk;  // 0: the whole argument; c + 1: chunk c of aN[c]
    std::string_view value;
  };
  struct Argument {
    uint32_t first = 0, count = 0;  // pieces_[first, first + count), joined; count 0 = missing
  };

  const Event* event_ = nullptr;
  const IdNames* users_ = nullptr;
  const IdNames* groups_ = nullptr;
  bool parsed_ = false;
  std::vector<ParsedRecord> records_;
  size_t syscall_index_ = 0;
  bool has_syscall_ = false;
  Field picked_;         // what find() hands out for a picked field
  std::string scratch_;  // decoded text handed out by text()
  std::string scratch2_;
  std::string out_;      // argv_json() and cmdline() results
  // The arguments of the current event; buffers reused from event to event.
  bool argv_built_ = false, has_argv_ = false;
  std::vector<Piece> pieces_;
  std::vector<Argument> args_;
  std::string argv_problem_;
};

// Appends one argument to a command line, single-quoted shell style if it needs it
// (see cmdline above).
void append_shell_word(std::string& out, std::string_view argument);

}  // namespace sqlhunt::audit
