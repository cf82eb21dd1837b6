// core/ioc/refang.h — undo the defanging analysts apply to indicators.
//
//   hxxp hxxps fxp fxps sfxp (any case), before :// or a defanged form of it
//                                           -> http https ftp ftps sftp
//   [.] (.) {.} [dot] (dot) {dot} " dot "   -> .
//   [@] (@) {@} [at] (at) {at}              -> @
//   [:]//  [://] after any scheme word, ":\\" after a known one  -> ://
//   [:]                                     -> :
//   [/] (/) {/}                             -> /
// Everything else is copied as is. refang() of text with nothing defanged returns it
// unchanged. Pure; no allocation beyond the result.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace sqlhunt::ioc {

std::string refang(std::string_view text);

// Length of the defanged dot at text[pos] ("[.]" -> 3, " dot " -> 5, "." -> 1), or 0.
// `defanged` is set when the dot is a defanged one.
size_t dot_length(std::string_view text, size_t pos, bool& defanged);
// Length of the defanged or plain '@' at text[pos], or 0.
size_t at_length(std::string_view text, size_t pos, bool& defanged);
// Is `word` (any case) one of the URL schemes we know (http, https, ftp, ftps, sftp,
// tftp, ws, wss, smb, ldap, ldaps, ssh, telnet, rdp, irc, ircs, git) or a defanged one
// (hxxp, hxxps, fxp, fxps, sfxp)? A known scheme's URL may name a one-label host
// (http://server/x); any other scheme needs a domain or an address.
bool known_scheme(std::string_view word);
// The plain scheme of a defanged one (any case): "hXXps" -> "https", "sfxp" -> "sftp";
// empty for anything else.
std::string_view plain_scheme(std::string_view word);
// Length of a defanged '/' at text[pos] ("[/]", "(/)", "{/}"), or 0.
size_t slash_length(std::string_view text, size_t pos);

}  // namespace sqlhunt::ioc
