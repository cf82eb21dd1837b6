#include "core/hex.h"

namespace sqlhunt::hex {

bool is_hex(std::string_view text) {
  if (text.empty() || text.size() % 2 != 0) return false;
  for (unsigned char c : text)
    if (digit_value(c) < 0) return false;
  return true;
}

std::optional<DecodeError> decode(std::string_view text, std::string& out,
                                  std::optional<std::string_view> nul_replacement) {
  out.clear();
  out.reserve(text.size() / 2);
  const size_t pairs = text.size() / 2;
  for (size_t i = 0; i < pairs; ++i) {
    const int hi = digit_value(static_cast<unsigned char>(text[2 * i]));
    if (hi < 0) return DecodeError{2 * i, false};
    const int lo = digit_value(static_cast<unsigned char>(text[2 * i + 1]));
    if (lo < 0) return DecodeError{2 * i + 1, false};
    const char byte = static_cast<char>((hi << 4) | lo);
    if (byte == '\0' && nul_replacement)
      out.append(*nul_replacement);
    else
      out.push_back(byte);
  }
  if (text.size() % 2 != 0) {
    const size_t last = text.size() - 1;
    return DecodeError{last, digit_value(static_cast<unsigned char>(text[last])) >= 0};
  }
  return std::nullopt;
}

}  // namespace sqlhunt::hex
