// core/vtab_or_merge.h — an OR over a stored table, answered one scan per branch.
//
// Over a table made with CREATE VIRTUAL TABLE (its path a stored default, so every
// branch of an OR is a usable plan), SQLite may answer
//     WHERE time < '2019-02-18 08:00' OR time > '2019-02-18 18:00'
// with one scan per branch on the same cursor (EXPLAIN QUERY PLAN: MULTI-INDEX OR),
// keeping a row of a later scan only when its rowid is not among the earlier scans'.
// A rowid that numbers the rows of each scan 1, 2, 3 made that merge drop every row of
// the second scan whose number the first had used: a silent loss (46 flows instead of
// 62 in tests/sql/core/or_over_stored_table.sql). A rowid cannot name a row across
// scans cheaply (the readers seek, skip blobs and filter inside records), so:
//
//   * a cursor SQLite opens in the slot of one it read to its end (an OR's next branch,
//     a subquery run again) numbers its rows on from that one's, so no merge by rowid
//     drops a row; any other scan numbers its rows 1, 2, 3;
//   * SQLite gives each branch a cursor of its own, opened in the slot of the last
//     branch's cursor, which it closes then (xOpen, then xClose of the old one, then
//     xFilter); a scan is a later branch when its cursor came that way and its plan
//     (idxStr) is not the plan the group began with (that plan again is the same OR for
//     a join's next outer row, or a subquery run again);
//   * a row of a later branch that an earlier branch of the group also returned is
//     skipped by the base itself, which can tell when the earlier branch's own
//     constraints (those the later branch does not share) are bounds on kTime columns:
//     it reads a row's times (Cursor::time_ms_of) and checks them;
//   * any other OR (src_ip = x OR dst_ip = x) is an error that says how to write it,
//     never a wrong answer: the base cannot see a row's src_ip.
//
// Left: an OR whose branches have the same plan with other values ((time > a AND time
// < b) OR (time > c AND time < d)) cannot be told from a subquery run again, so its
// branches are not merged: no row is lost, but a row inside both windows comes twice.
// docs/README.md says so; tests/sql/core/or_over_stored_table.sql shows it.
#pragma once

#include <sqlite3.h>

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "core/vtab.h"

namespace sqlhunt::vtab {

// The exact bounds of the query on one kTime column, in epoch milliseconds.
struct TimeWindow {
  int column = -1;
  bool active = false;  // the query bounds the time
  bool none = false;    // a NULL bound: no row can match
  std::optional<int64_t> lower, upper;
  bool lower_strict = false, upper_strict = false;

  bool contains(std::optional<int64_t> ms) const {
    if (!active) return true;
    if (none || !ms) return false;
    if (lower && (*ms < *lower || (lower_strict && *ms == *lower))) return false;
    if (upper && (*ms > *upper || (upper_strict && *ms == *upper))) return false;
    return true;
  }
  bool operator==(const TimeWindow& o) const {
    return column == o.column && none == o.none && lower == o.lower && upper == o.upper &&
           lower_strict == o.lower_strict && upper_strict == o.upper_strict;
  }
};

class OrMerge {
 public:
  // At each xFilter: the scan's plan (idxStr), its constraints (small values kept), its
  // time windows, and whether its cursor was opened while another cursor of the table
  // sat at its end (`follows_scan`: how SQLite moves to an OR's next branch). True when
  // this scan is a later branch of an OR (its rowids go on from the earlier branches';
  // a scan of its own numbers its rows from 1 again). Throws sqlhunt::Error when an
  // earlier branch has a constraint the base cannot check on a row.
  bool start(const TableSpec& spec, const std::string& plan, const std::vector<Constraint>& constraints,
             const std::vector<TimeWindow>& windows, bool follows_scan);
  // Whether the current row was already returned by an earlier branch of this OR.
  bool seen_before(const std::function<std::optional<int64_t>(int column)>& time_of) const;

 private:
  // A constraint of a branch, its value kept as bytes when small (a 20 MB text given to
  // iocs() is not copied at every scan: a large value is never taken for shared).
  struct Saved {
    int column = -1;
    unsigned char op = 0;
    int type = SQLITE_NULL;  // SQLITE_INTEGER, ...
    bool large = false; // over kKeptBytes: its bytes not kept
    std::string bytes;
  };
  static constexpr int kKeptBytes = 4096;
  static Saved saved(const Constraint& c);
  static bool same(const Saved& a, const Saved& b);
  struct Branch {
    std::string plan;
    std::vector<Saved> args;  // its constraints on columns that are not kTime
    std::vector<TimeWindow> windows;
  };
  void clear();

  std::optional<std::string> first_plan_;     // the plan the current OR group began with
  std::optional<Branch> current_;
  std::vector<Branch> earlier_;               // this OR group's earlier branches
  std::vector<std::vector<TimeWindow>> skip_; // per earlier branch: the windows that tell its rows
};

}  // namespace sqlhunt::vtab
