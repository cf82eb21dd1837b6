// core/hex.h — hexadecimal text to bytes, as auditd writes it.
//
// auditd hex-encodes a value that holds a space, a quote or a control character
// (proctitle, EXECVE arguments, paths, comm, key, ...). Decoding is case-insensitive
// and strict: the caller is told where the text stops being hex, so an SQL error can
// quote the position instead of returning garbage.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace sqlhunt::hex {

// Where decoding failed: `position` is 0-based into the input; `odd_length` is set when
// every character was a hex digit but their number was odd.
struct DecodeError {
  size_t position = 0;
  bool odd_length = false;
};

// The value of one hex digit, or -1.
inline int digit_value(unsigned char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// True when `text` is a non-empty, even-length run of hex digits.
bool is_hex(std::string_view text);

// Decodes `text` into `out` (replacing its contents). On failure returns the error and
// leaves `out` unspecified. When `nul_replacement` is given, every NUL byte of the
// result is replaced by it (auditd's proctitle holds argv NUL-separated).
std::optional<DecodeError> decode(std::string_view text, std::string& out,
                                  std::optional<std::string_view> nul_replacement = std::nullopt);

}  // namespace sqlhunt::hex
