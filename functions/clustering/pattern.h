// functions/clustering/pattern.h — a command line or log message with its variable parts
// replaced by typed placeholders, so that GROUP BY on the result collapses repetitive
// events (pure C++; the SQL function is cmdline_pattern(), functions/clustering).
//
//   pattern("sleep 5")                                     = "sleep <NUM>"
//   pattern("Failed password for root from 61.184.247.3 port 4242 ssh2")
//                                                          = "Failed password for <USER> from <IP> port <NUM> ssh2"
//   pattern("C:\\Users\\alice\\AppData\\Local\\Temp\\tmp8f3a.ps1")
//                                                          = "C:\\Users\\<USER>\\AppData\\Local\\Temp\\<TMP>.ps1"
//
// Placeholders, in the order they are tried at each token (the rules with examples are
// in docs/clustering.md):
//   <TIME>   a date, a time or both, in the forms logs write: ISO-8601 (with T or a
//            space, fraction, zone), syslog's "Jun 14 15:16:01", ctime's
//            "Fri Jun 17 07:07:00 2005", Apache's "15/Jan/2019:05:24:24 +0000",
//            2019/01/15, 1/15/2019, 15.01.2019, HH:MM[:SS[.fff]]. A weekday, a zone
//            (UTC, EDT, +0000) and a year written around it are part of it.
//   <MAC>    six hex pairs with ':' or '-'
//   <IP>     IPv4 (strict dotted quad), IPv6 (any RFC 4291 form, %zone included); a
//            port or prefix after it stays (":<NUM>", "/<NUM>")
//   <EMAIL>  local@domain (domain with a real public suffix)
//   <HOST>   a DNS name with a real public suffix (the IoC scanner's rule: file names
//            such as setup.py or a.sh are not hosts), and the host part of a URL
//   <B64>    a base64 run of 32+ characters mixing upper case, lower case and digits
//   <GUID>   8-4-4-4-12 hex digits
//   <SID>    a Windows security identifier, S-1-...
//   <USER>   the path component after home/ or Users\ (not Public, Default, All Users);
//            the word after "user " (not a prose word: "user unknown"); the value of
//            user=, acct=, ruser=, username= ...; sshd's "<method> for <account> from"
//   <TMP>    the path component after tmp/, temp\, %TEMP%\, /dev/shm/, with its
//            extension kept ("<TMP>.ps1")
//   <HEX>    0x-prefixed hex, and words of 6+ hex digits with both digits and letters
//   <ID>     a word of 8+ letters and digits that switches between them 3+ times
//            (random names: mktemp's, session ids)
//   <NUM>    a run of digits, with its decimal parts (1.2.3 and 3.14 are one <NUM>);
//            a short run (1-3 digits) glued to the letters before it stays part of the
//            word, so names keep their look: ssh2, x86, sha256, python3, tty2, Win32
// Everything else is copied as it is, whitespace included, so the pattern reads like
// the text. The function is deterministic, linear in the text, allocates only its
// result, and always returns valid UTF-8 (invalid bytes become U+FFFD). It is
// idempotent: pattern(pattern(x)) == pattern(x).
#pragma once

#include <string>
#include <string_view>

namespace sqlhunt::clustering {

// Appends the pattern of `text` to `out`.
void append_pattern(std::string& out, std::string_view text);

inline std::string pattern(std::string_view text) {
  std::string out;
  append_pattern(out, text);
  return out;
}

}  // namespace sqlhunt::clustering
