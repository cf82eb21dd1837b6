// libFuzzer target for functions/clustering/pattern (cmdline_pattern): never reads out
// of bounds, always returns valid UTF-8, grows the text by a bounded factor, and is
// idempotent (the pattern of a pattern is itself), as pattern.h promises.
#include <cstdint>
#include <cstdlib>
#include <string>

#include "core/json_text.h"
#include "functions/clustering/pattern.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const std::string once = sqlhunt::clustering::pattern(text);
  if (!sqlhunt::json::is_valid_utf8(once)) std::abort();
  // The widest rewrite: a one-byte number becomes "<NUM>"; an invalid byte becomes
  // U+FFFD (3 bytes).
  if (once.size() > 5 * size + 8) std::abort();
  if (sqlhunt::clustering::pattern(once) != once) std::abort();
  return 0;
}
