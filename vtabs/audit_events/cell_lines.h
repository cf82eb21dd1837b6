// vtabs/audit_events/cell_lines.h — audit records that arrive as values, not files.
//
// A SIEM keeps one raw audit record per row (Sentinel's AuditLog_CL.RawData, a
// Syslog message): audit_events_from(sql) reads them from a query's rows and joins them
// into events exactly as audit_events does a file's lines. CellLines turns one value
// into the SourceLines the event assembler takes, as AuditSource does for a file:
//
//   * a value may hold several lines (records separated by "\n" or "\r\n"): each is a
//     line of its own; a "\r" before a line's end and a final newline are dropped;
//   * `node` is the host of records that carry no node= of their own (a SIEM keeps the
//     host in a column, Computer, and strips node=): they are joined under it, so two
//     hosts' events with the same time and serial stay apart; a record's own node= wins;
//   * every line is numbered with its row of the SELECT (1-based): a row's lines share
//     the number; `file` is 0 and offsets are the line's byte offset within its value;
//   * a NULL or empty value, or a line that is no record, becomes a line with its error
//     (then a row with parse_error), never a skip.
// Nothing is copied: the lines are views into `text` (which must stay valid until the
// last next()) and the node a view into `node`.
#pragma once

#include <cstdint>
#include <string_view>

#include "vtabs/audit_events/audit_source.h"

namespace sqlhunt::audit {

class CellLines {
 public:
  // `text` nullptr: the value was NULL.
  void reset(const char* text, size_t size, std::string_view node, uint64_t row);
  // The next line of the value; false when it has no more.
  bool next(SourceLine& out);

 private:
  std::string_view rest_, node_;
  uint64_t row_ = 0, offset_ = 0;
  bool null_ = false, any_ = false, done_ = true;
};

}  // namespace sqlhunt::audit
