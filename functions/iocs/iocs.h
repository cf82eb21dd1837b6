// functions/iocs — indicators of compromise out of any text.
//
//   extract_iocs(text)          -> TEXT (JSON array)
//   extract_iocs(text, types)   -> TEXT (JSON array)
//       [{"type","value","raw","start","end","defanged"}, ...] in order of appearance.
//       start/end: 0-based byte offsets into `text`, end exclusive; raw: the text as
//       written (substr(text, start + 1, end - start) for ASCII text); value: the
//       refanged, normalised indicator; defanged: true/false. `types` is a comma list
//       of types to keep ('ipv4,url'); NULL keeps every type, an unknown name is an
//       error that lists the known ones. NULL text gives NULL, '' gives '[]'. A JSON
//       longer than SQLite's length limit is an error raised as soon as it reaches the
//       limit (built a batch of matches at a time, into memory SQLite takes over).
//       extract_iocs('see hxxp://evil[.]com/a') =
//         [{"type":"url","value":"http://evil.com/a","raw":"hxxp://evil[.]com/a",...},
//          {"type":"domain","value":"evil.com","raw":"evil[.]com",...}]
//
//   SELECT type, value, start, "end", raw, defanged FROM iocs(text [, types])
//       The same as a table-valued function, one row per indicator, so it joins:
//         SELECT a.alert_name, i.value FROM alerts(...) a, iocs(a.description) i
//         WHERE i.type = 'ipv4';
//       Hidden columns: text (required: iocs() without it is an error naming it),
//       types (optional). rowid = 1-based position in the result. NULL text: no rows.
//       The scan streams: it runs as rows are read, a batch of matches at a time, so
//       memory is the cursor's copy of the text and one batch, whatever the text holds.
//       Plan: the scan runs once per xFilter, for the given text; the cost is fixed
//       (it does not depend on other constraints), and without `text` usable the plan
//       is refused so SQLite puts iocs() on the inner side of a join.
//
//   ioc_refang(text)  -> TEXT    ioc_refang('hxxp://evil[.]com') = 'http://evil.com'
//   ioc_type(value)   -> TEXT    the one type the whole value is ('1.2.3.4' -> 'ipv4',
//                                surrounding whitespace ignored), or NULL
//   ip_class(ip)      -> TEXT    public, private, loopback, link-local, multicast,
//                                reserved, shared, documentation, unspecified; NULL when
//                                `ip` is not an IPv4/IPv6 address (core/ip.h, strict)
//
// Types: ipv4 ipv6 domain url email md5 sha1 sha256 sha512 windows_path linux_path cve
// registry_key. Rules, defanged forms and the file-extension stop-list for domains:
// docs/extract_iocs.md (the scanner: core/ioc/ioc.h).
//
// Security: every function is deterministic and innocuous (SQLITE_INNOCUOUS), and the
// iocs table is registered SQLITE_VTAB_INNOCUOUS: they read nothing but their
// arguments (no file, no network, no setting), allocate in proportion to the text and
// run in time linear in it, so a view or trigger in a database someone else wrote
// gains nothing by calling them that it could not get with substr() and instr().
// Nothing is compiled per row: the scanner is hand-written (no regex) and the public
// suffix list is loaded once per process; a `types` list is parsed once per statement
// (sqlite3_set_auxdata).
#pragma once

#include "core/sqlite.h"

namespace sqlhunt {
int register_iocs(sqlite3* db);
}
