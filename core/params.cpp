#include "core/params.h"

#include <algorithm>

#include "core/error.h"
#include "core/text.h"

namespace sqlhunt {
namespace {

using text::trim;

// The position of the first '=' that is not inside quotes, or npos.
size_t find_assignment(std::string_view s) {
  char quote = 0;
  for (size_t i = 0; i < s.size(); ++i) {
    const char c = s[i];
    if (quote) {
      if (c == quote) quote = 0;
    } else if (c == '\'' || c == '"' || c == '`') {
      quote = c;
    } else if (c == '[') {
      quote = ']';
    } else if (c == '=') {
      return i;
    }
  }
  return std::string_view::npos;
}

}  // namespace

std::string sql_unquote(std::string_view text) {
  text = trim(text);
  if (text.size() >= 2) {
    const char open = text.front();
    const char close = open == '[' ? ']' : open;
    if ((open == '\'' || open == '"' || open == '`' || open == '[') && text.back() == close) {
      std::string out;
      text = text.substr(1, text.size() - 2);
      for (size_t i = 0; i < text.size(); ++i) {
        out.push_back(text[i]);
        if (text[i] == close && open != '[' && i + 1 < text.size() && text[i + 1] == close) ++i;
      }
      return out;
    }
  }
  return std::string(text);
}

Params parse_params(const std::vector<std::string_view>& args,
                    const std::vector<std::string>& names) {
  Params out;
  size_t next_positional = 0;
  for (std::string_view raw : args) {
    raw = trim(raw);
    if (raw.empty()) continue;
    std::string name, value;
    const size_t eq = find_assignment(raw);
    if (eq == std::string_view::npos) {
      while (next_positional < names.size() && out.count(names[next_positional])) ++next_positional;
      if (next_positional >= names.size())
        throw Error("too many arguments: " + std::string(raw));
      name = names[next_positional++];
      value = sql_unquote(raw);
    } else {
      name = sql_unquote(raw.substr(0, eq));
      value = sql_unquote(raw.substr(eq + 1));
      if (name.empty()) throw Error("empty parameter name in '" + std::string(raw) + "'");
      if (std::find(names.begin(), names.end(), name) == names.end()) {
        std::string known;
        for (const auto& n : names) known += (known.empty() ? "" : ", ") + n;
        throw Error("unknown parameter '" + name + "' (known: " + known + ")");
      }
    }
    if (!out.emplace(name, value).second) throw Error("more than one '" + name + "' parameter");
  }
  return out;
}

}  // namespace sqlhunt
