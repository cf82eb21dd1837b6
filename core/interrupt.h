// core/interrupt.h — Ctrl-C stops a query, even one that is reading or waiting.
//
// SQLite stops a statement between VDBE steps when the host calls sqlite3_interrupt()
// (the sqlite3 shell does on Ctrl-C), but a virtual table that is inside one xFilter or
// xNext — decompressing a 10 GiB gzip bomb, waiting on a dead provider — never gets
// back to the VDBE to notice. SQLite 3.41 added sqlite3_is_interrupted() for this; the
// SQLite sqlhunt is built against (Debian 12: 3.40) has no such call. So sqlhunt
// watches SIGINT itself: when the extension loads into a host that handles SIGINT (the
// sqlite3 shell, Python), it chains a handler in front of the host's, which notes the
// interrupt and then calls the host's handler as before. A host that leaves SIGINT at
// its default (Ctrl-C ends the process) is left alone.
//
// The note means "stop what is running": it is set only while sqlhunt scans are open
// and cleared when the last one closes, so the next statement starts clean. Every long
// loop asks requested() — ByteReader::read (every file reader), the HTTP and DNS
// waits, the vtab base after each row — and the statement ends with "interrupted"
// within about 100 ms.
#pragma once

namespace sqlhunt::interrupt {

// Chains the SIGINT handler (once per process; a no-op where SIGINT is default or
// ignored).
void install();

// An interrupt arrived while scans were open.
bool requested();

// The vtab base counts open scans (xOpen / xClose).
void scan_opened();
void scan_closed();

// Tests: as if Ctrl-C had been pressed now.
void raise_for_test();

}  // namespace sqlhunt::interrupt
