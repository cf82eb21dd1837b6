// vtabs/win_events — Windows events (EVTX logs and exports) as SQL.
//
//   SELECT * FROM win_events('case/Security.evtx');
//   SELECT * FROM win_events('case/*.evtx') WHERE event_id IN (4624, 4625);
//   CREATE VIRTUAL TABLE sec USING win_events(path='case/SecurityEvent.csv');
//
// win_events(path) — one row per event. `path` (HIDDEN, required) is a file or a glob
// (natural order; a glob that matches nothing gives no rows, a literal path that does not
// exist is an error); `.gz` files are read through. Each file's format is recognised
// from its content (vtabs/win_events/event_source.h), not its name:
//   * .evtx logs, read natively (evtx_file.h, binxml.h): every record of every chunk,
//     records carved from chunk slack (recovered = 1), damaged chunks and records as
//     parse_error rows;
//   * files of event XML (Event Viewer's "Save as XML", wevtutil qe /f:xml), streamed
//     through expat, one row per <Event>;
//   * exports: Sentinel/Log Analytics SecurityEvent as CSV or JSON (EventData as XML
//     text, read with expat), winlogbeat and Get-WinEvent JSON.
//
//   time, epoch          TimeCreated: ISO-8601 UTC with ms, and REAL seconds (the EVTX
//                        record header's written time when the event has none)
//   event_id, record_id  EventID; EventRecordID
//   computer, channel, provider, level, user_sid (System/Security/@UserID)
//   activity             the event's title ("An account was successfully logged on.")
//   subject_*, target_*, logon_type(_name), ip_address, ip_port, workstation,
//   status(_name), sub_status(_name), failure_reason, process_id, parent_process_id,
//   process_name, parent_process_name, command_line, token_elevation, process_guid,
//   parent_process_guid   typed and named from EventData (vtabs/win_events/event_model.h):
//                        logon ids and process ids are INTEGERs whatever hex or decimal
//                        form the source used, so they join across 4624/4688/4634 and
//                        across sources
//   recovered            1 for a record carved from EVTX slack, else 0
//   event_data           JSON object of every EventData/UserData field
//   raw                  EVTX, XML files: the event's XML; exports: the source record as JSON
//   file, line, offset   where it came from: for EVTX `line` is the record's position in
//                        the file (every record found, in file order) and `offset` its
//                        byte offset; for exports the physical line where it starts
//   parse_error          NULL, or why (part of) the event could not be read. The row is
//                        still there, with what could be read.
//
// Plan: `path` is the input. `event_id = n` and `event_id IN (...)` are taken as one
// batch (sqlite3_vtab_in) and applied by the table itself (SQLite does not re-check
// them): an EVTX record whose EventID is not wanted is not expanded, found from its
// template instance's values alone. Bounds on `time` are instants, applied by the base
// (core/vtab.h's kTime: '2019-03-02 00:40', '2019-03-02T01:40+01:00' mean what they
// say); bounds on `epoch` and `record_id` are hints SQLite re-checks. An EVTX record
// outside any of them is not expanded, and a chunk whose header's id range lies outside
// a record_id bound is not read at all. Exports are read
// whole. A scan costs 1e6 (1e5 rows), less with each constraint, so in a join SQLite
// reads the file once on the outer side. xFilter reads colUsed: System columns alone
// never decode EventData, and `raw` is rendered only when read (parse_error asks for
// everything, so its reasons are complete). Reading files, win_events is DIRECTONLY.
#pragma once

#include "core/sqlite.h"

namespace sqlhunt {
int register_win_events(sqlite3* db);
}
