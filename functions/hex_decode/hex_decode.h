// functions/hex_decode — hex text to the bytes it encodes.
//
//   hex_decode(text)        -> TEXT   hex_decode('2F746D70')             = '/tmp'
//   hex_decode(text, sep)   -> TEXT   hex_decode('6C73002D6C61', ' ')    = 'ls -la'
//
// Case-insensitive. NULL in any argument gives NULL. An odd number of digits or a
// character that is not a hex digit is an SQL error that quotes its 1-based position.
// With `sep`, every NUL byte of the result is replaced by `sep` (auditd's proctitle is
// argv joined by NULs). Deterministic and innocuous. See docs/hex_decode.md.
#pragma once

#include "core/sqlite.h"

namespace sqlhunt {
int register_hex_decode(sqlite3* db);
}
