// core/file_kind.h — what a file is, from its first bytes, so a reader can name a file
// of the wrong kind instead of reading it as junk.
//
// An `.evtx` given to alerts() once gave 8,385 parse_error rows, and a JSON-lines
// alerts file given to audit_events() gave 25 events of nothing. Every file reader asks
// check() before it reads a file: a file that is clearly another format is one error
// that says what it is and which table reads it:
//
//   alerts: 'x.evtx' is a Windows event log (EVTX): read it with win_events
//
// Kinds are recognised by content, never by name, and through gzip (a `.gz` of an
// EVTX file is "gzip-compressed Windows event log (EVTX)"). Only what is certain counts
// as "clearly another format": magic numbers (EVTX, SQLite, ELF, PE, PDF, ZIP, pcap)
// and the shapes of text formats (JSON, an audit log, Zeek TSV, XML). Text that is
// none of them is kText and left to the reader, which reports its lines as it always
// does.
//
// Which table reads which kind is declared by the tables themselves (a static
// ReadsKinds in each adapter), so core knows no table name.
#pragma once

#include <initializer_list>
#include <string>
#include <string_view>
#include <vector>

namespace sqlhunt::files {

enum class Kind {
  kEmpty,       // no bytes at all
  kText,        // text that is none of the below (CSV, a report, a log of some kind)
  kJson,        // starts with '{' or '[' (after blanks and a BOM)
  kAuditLog,    // auditd records: type=... msg=audit(...)
  kZeekTsv,     // Zeek's TSV logs: #separator
  kXml,         // <?xml or <Event
  kEvtx,        // "ElfFile\0"
  kSqlite,      // "SQLite format 3\0"
  kElf,         // an ELF executable or library
  kPe,          // a Windows executable ("MZ")
  kPdf,
  kZip,         // also .docx/.xlsx
  kPcap,        // pcap or pcapng
  kBinary,      // NUL bytes or mostly non-text, of no kind above
};

// "a Windows event log (EVTX)", "JSON", "an SQLite database", ...
const char* kind_name(Kind kind);

struct Sniffed {
  Kind kind = Kind::kEmpty;
  bool gzip = false;  // the bytes were gzip-compressed (kind is what is inside)
};

// What `head` (a file's first bytes, up to a few KB, decompressed) is.
Kind sniff(std::string_view head);
// What the file at `path` is (its first 4 KB, through gzip). Throws sqlhunt::Error when
// it cannot be read.
Sniffed sniff_file(const std::string& path);

// Declares, in a table's adapter, the kinds of file it reads (the distinctive ones:
// kEvtx for win_events, kAuditLog for audit_events), so check() can point there.
class ReadsKinds {
 public:
  ReadsKinds(const char* table, std::initializer_list<Kind> kinds);
};
// The tables that declared `kind`, in the order they registered.
std::vector<std::string> tables_reading(Kind kind);

// Throws sqlhunt::Error when `path` is clearly of a kind `table` does not read, naming
// what it is and which table reads it. kText, kEmpty and the `accepted` kinds pass.
// Returns what it found (a reader may use it to pick a format).
Sniffed check(const std::string& path, const char* table, std::initializer_list<Kind> accepted);

}  // namespace sqlhunt::files
