// core/progress.h — one line on the terminal while a long scan reads files.
//
// A scan of a large log from the sqlite3 shell can take seconds with nothing to see.
// When a statement's sqlhunt scans have been open for longer than `progress.delay`
// seconds (default 2) and stderr is a terminal, the file readers draw one line on
// stderr, redrawn at most four times a second:
//
//   sqlhunt: case/audit/audit.log.1  412.3 MB of 1.0 GB (41%)  380.2 MB/s
//
//   file   the file being read now (shortened from the left to fit the terminal);
//   bytes  how far into that file the reader is, of its size on disk (gzip: compressed
//          bytes of the compressed size, so the percentage is right; a FIFO has no size);
//   rate   bytes taken from disk by every scan of the statement, per second since its
//          first scan opened.
// The line is erased as soon as no scan is reading (every open scan has reached its
// end), so a statement's result is printed after it is gone, and when the last scan
// closes. It is off when `progress` is 0 (SQLHUNT_PROGRESS=0, or
// sqlhunt_config('progress', 0)) and whenever stderr is not a terminal (a pipe, a file,
// a test's captured output): nothing is ever written into output a program reads.
//
// Rows a query prints while it scans share the terminal with the line: it is drawn with
// the cursor left at the start of the line, so a row overwrites it from the left and
// the next draw happens on the row's next line (a short row may keep the line's tail).
//
// Who calls what: the vtab base (core/vtab.cpp) says when scans open, start reading,
// reach their end and close; ByteReader (core/file_source.cpp) says what it read. The
// cost when nothing is drawn is one relaxed atomic load per read call (64 KB..1 MB).
#pragma once

#include <cstdint>
#include <string>

namespace sqlhunt::progress {

// xOpen / xClose. The first open scan of a statement starts the clock and reads the
// settings (throws sqlhunt::Error for a bad SQLHUNT_PROGRESS* value, counting nothing).
void scan_opened();
void scan_closed();

// xFilter (a scan starts reading) and xEof (it reached its end). The line is erased
// when the number of scans reading drops to zero; a join's inner side starts and ends
// once per outer row, while the outer scan keeps reading.
void scan_reading();
void scan_ended();

// Might a line be drawn now? One relaxed load: readers ask before they compute their
// position.
bool wanted();

// A reader of `path` took `bytes` from disk and now stands at `position` of `size`
// (0: unknown).
void read(const std::string& path, uint64_t bytes, uint64_t position, uint64_t size);

// The text of the line (without the terminal's control characters) as read() draws it,
// for `width` columns. Exposed for the unit test of its format.
std::string line(const std::string& path, uint64_t position, uint64_t size, double bytes_per_second,
                 size_t width);

}  // namespace sqlhunt::progress
