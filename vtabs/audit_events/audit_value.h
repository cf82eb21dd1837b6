// vtabs/audit_events/audit_value.h — auditd's rule for reading one field value.
//
// auditd writes a value in one of three ways (the kernel's audit_log_untrustedstring
// and libaudit's audit_encode_nv_string):
//   "text"      quoted: the text is exactly what is between the quotes;
//   2F746D70    hex: a field that may hold untrusted text (a path, a command line, a
//               process name) is hex-encoded when the text holds a space, a quote, a
//               control character or a byte >= 0x7f;
//   bare        anything else is written as is: numbers, ids, flags.
// Whether a bare value is hex therefore depends on the field: `/tmp` may come as
// 2F746D70 in `name=`, but `pid=1234` is the number 1234. encoded_field() is that list
// (libauparse's "escaped" field types: names, paths, comm, exe, key, proctitle, EXECVE
// arguments, ...). `(null)` is auditd's null and decodes to nothing (SQL NULL).
//
// Decoded text keeps every byte except two, so a value can be read in one piece:
// NUL separators (proctitle and other argv-like values) become spaces, and the 0x01
// that separates several rule keys in `key=` becomes a comma.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace sqlhunt::audit {

// Is `key` a field auditd hex-encodes when its text needs it? `execve` says the record
// is an EXECVE record, whose a0, a1, ... and a0[0], a0[1], ... are argument strings
// (in a SYSCALL record a0..a3 are the syscall's numeric arguments, never text).
bool encoded_field(std::string_view key, bool execve);

// Decodes one value by the rule above. `hex_allowed`: the field is an encoded_field.
// Returns nullopt for (null). The result points into `raw` when nothing had to change,
// else into `scratch`.
std::optional<std::string_view> decode_value(std::string_view raw, bool hex_allowed,
                                             std::string& scratch, bool is_key_field = false);

// audit_decode(value [, field]) as SQL sees it: without a field every unquoted hex
// value is decoded; with one, only when the field is an encoded field.
std::optional<std::string> decode_for_sql(std::string_view raw, std::optional<std::string_view> field);

}  // namespace sqlhunt::audit
