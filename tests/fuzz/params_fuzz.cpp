// libFuzzer target for core/params: the CREATE VIRTUAL TABLE arguments a database
// someone else wrote hands us. The input is split at '\x01' into arguments; parsing
// either succeeds or throws sqlhunt::Error (never anything else), a parsed value
// quoted the SQL way unquotes back to itself, and every name it gives is an accepted one.
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.h"
#include "core/params.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  std::vector<std::string_view> args;
  size_t start = 0;
  for (size_t i = 0; i <= text.size(); ++i)
    if (i == text.size() || text[i] == '\x01') args.push_back(text.substr(start, i - start)), start = i + 1;
  static const std::vector<std::string> names = {"path", "node", "since"};
  try {
    const sqlhunt::Params p = sqlhunt::parse_params(args, names);
    for (const auto& [name, value] : p) {
      if (name != "path" && name != "node" && name != "since") std::abort();
      std::string quoted = "'";
      for (char c : value) quoted += c == '\'' ? std::string("''") : std::string(1, c);
      quoted += "'";
      if (sqlhunt::sql_unquote(quoted) != value) std::abort();
    }
  } catch (const sqlhunt::Error&) {
  }
  return 0;
}
