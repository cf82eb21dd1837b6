#include "functions/hex_decode/hex_decode.h"

#include <string>

#include "core/hex.h"
#include "core/sql_function.h"

namespace sqlhunt {
namespace {

// The error text quotes the argument, cut so a 10 MB value does not flood the screen.
std::string quoted_excerpt(std::string_view text) {
  constexpr size_t kMax = 40;
  if (text.size() <= kMax) return "'" + std::string(text) + "'";
  return "'" + std::string(text.substr(0, kMax)) + "...' (" + std::to_string(text.size()) + " characters)";
}

void hex_decode_fn(sqlite3_context* ctx, int argc, sqlite3_value** argv) {
  for (int i = 0; i < argc; ++i)
    if (sqlite3_value_type(argv[i]) == SQLITE_NULL) return sqlite3_result_null(ctx);
  sqlfn::guard(ctx, [&] {
    const std::string_view text = sqlfn::text_arg(argv[0]);
    std::optional<std::string_view> sep;
    if (argc > 1) sep = sqlfn::text_arg(argv[1]);
    std::string out;
    if (auto err = hex::decode(text, out, sep)) {
      const size_t pos = err->position + 1;
      if (err->odd_length)
        return sqlfn::result_error(
            ctx, "hex_decode: odd number of hex digits (" + std::to_string(text.size()) +
                     ") in " + quoted_excerpt(text) + ": the digit at position " +
                     std::to_string(pos) + " has no pair");
      const unsigned char bad = static_cast<unsigned char>(text[err->position]);
      std::string shown = bad >= 0x20 && bad < 0x7f ? std::string("'") + static_cast<char>(bad) + "'"
                                                    : "byte 0x" + std::string(1, "0123456789ABCDEF"[bad >> 4]) +
                                                          "0123456789ABCDEF"[bad & 15];
      return sqlfn::result_error(ctx, "hex_decode: " + shown + " at position " + std::to_string(pos) +
                                          " of " + quoted_excerpt(text) + " is not a hex digit");
    }
    sqlfn::result_text(ctx, out);
  });
}

}  // namespace

int register_hex_decode(sqlite3* db) {
  int rc = sqlite3_create_function(db, "hex_decode", 1, sqlfn::kPure, nullptr, hex_decode_fn, nullptr, nullptr);
  if (rc == SQLITE_OK)
    rc = sqlite3_create_function(db, "hex_decode", 2, sqlfn::kPure, nullptr, hex_decode_fn, nullptr, nullptr);
  return rc;
}

}  // namespace sqlhunt
