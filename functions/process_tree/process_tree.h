// functions/process_tree — process-creation events as trees (docs/process_trees.md).
//
//   SELECT * FROM process_tree(sql [, skew_ms])
//
// `sql` is a SELECT over process events, its columns found by name:
//   pid, ppid, time     required. pid/ppid: integers, or text in decimal or 0x-hex
//                       (Windows' "0x1610"); time: epoch seconds or any time text
//                       core/time.h reads (ISO-8601, "2019-01-15 05:24:24.010", ...)
//   host                the machine (pids are per host); absent or NULL: one host
//   image               the process' executable (NewProcessName, Image, exe)
//   parent_image        the creator's executable where the source says it (4688's
//                       ParentProcessName, Sysmon's ParentImage): a parent must have
//                       that file name (compared case-insensitively)
//   guid, parent_guid   Sysmon's ProcessGuid / ParentProcessGuid: linked first
//   logon_id            carried to the output (SubjectLogonId, TargetLogonId, ses)
//   is_exit             1 on process-exit rows (4689, Sysmon 5, exit_group): they end
//                       a pid's life and are not output themselves
//   anything else       carried along as the JSON object `extra`
// skew_ms (default 10): how far a parent's start may be logged after its child's.
//
// One row per process start, plus one per parent the data does not have (inferred),
// depth-first (ORDER BY path keeps that order):
//   proc_key, parent_key, root_key   host|pid|time (time ISO with ms; "?" for an
//                       inferred parent; "#2" appended when two starts share one)
//   depth (0 for a root), path (ancestry, zero-padded positions joined by '/'),
//   is_root, is_leaf, inferred (1/0),
//   host, pid, ppid, time, epoch, image, parent_image, guid, parent_guid, logon_id,
//   exit_time (the matched exit event's time), extra (JSON), note (why a row is
//   placed as it is: a pid that is no number, a cut cycle; NULL when nothing to say)
// Linking rules, pid reuse, skew, cycles: functions/process_tree/proc_tree.h.
// Errors name what is missing: "process_tree: the SELECT has no column 'ppid' (it
// gives: ...)".
//
// Plan: the SELECT runs once per xFilter and every row is read before the first comes
// out (a parent may be logged after its child); memory is linear in the rows, time
// O(n log n).
//
// Security: registered DIRECTONLY. Its argument is SQL that it runs as a top-level
// statement (core/sql_source.h): from a view or trigger it would run whatever a
// database author put there, DIRECTONLY functions included.
#pragma once

#include "core/sqlite.h"

namespace sqlhunt {
int register_process_tree(sqlite3* db);
}
