// libFuzzer target for core/hex: decoding never reads out of bounds, and whatever
// decodes, re-encodes to the same digits (case folded).
#include <cstdint>
#include <cstdlib>
#include <string>

#include "core/hex.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  std::string out;
  const auto err = sqlhunt::hex::decode(text, out);
  if (err) {
    if (err->position >= size) std::abort();
    return 0;
  }
  if (out.size() * 2 != size) std::abort();
  static const char* digits = "0123456789abcdef";
  for (size_t i = 0; i < out.size(); ++i) {
    const auto b = static_cast<unsigned char>(out[i]);
    if (sqlhunt::hex::digit_value(static_cast<unsigned char>(text[2 * i])) != (b >> 4) ||
        digits[b & 15] != (text[2 * i + 1] | 0x20))
      std::abort();
  }
  sqlhunt::hex::decode(text, out, std::string_view(" "));
  return 0;
}
