// core/ioc/refang.h — undo the defanging analysts apply to indicators.
//
//   hxxp:// hxxps:// fxp://  (any case)     -> http:// https:// ftp://
//   [.] (.) {.} [dot] (dot) {dot} " dot "   -> .
//   [@] (@) {@} [at] (at) {at}              -> @
//   [:] [://]  ":\\" after a scheme        -> : ://
//   [/]                                     -> /
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
// Is `word` (any case) a URL scheme we extract, or a defanged one (hxxp, hxxps, fxp)?
bool is_scheme_word(std::string_view word);

}  // namespace sqlhunt::ioc
