#include "core/json_scan.h"

#include <cstring>

#include <nlohmann/json.hpp>

#include "core/error.h"

namespace sqlhunt::json {
namespace {

using Json = nlohmann::ordered_json;

// Accepts every event; keeps the parse error's message.
struct ErrorOnlySax : nlohmann::json_sax<Json> {
  std::string message;
  bool null() override { return true; }
  bool boolean(bool) override { return true; }
  bool number_integer(number_integer_t) override { return true; }
  bool number_unsigned(number_unsigned_t) override { return true; }
  bool number_float(number_float_t, const string_t&) override { return true; }
  bool string(string_t&) override { return true; }
  bool binary(binary_t&) override { return true; }
  bool start_object(std::size_t) override { return true; }
  bool key(string_t&) override { return true; }
  bool end_object() override { return true; }
  bool start_array(std::size_t) override { return true; }
  bool end_array() override { return true; }
  bool parse_error(std::size_t, const std::string&, const nlohmann::detail::exception& e) override {
    message = exception_message(e);
    return false;
  }
};

}  // namespace

std::string exception_message(const std::exception& e) {
  std::string m = e.what();
  if (!m.empty() && m[0] == '[') {
    const size_t close = m.find("] ");
    if (close != std::string::npos) m.erase(0, close + 2);
  }
  return cut_message(std::move(m));
}

std::string why_not_json(std::string_view text, const std::string& fallback) {
  ErrorOnlySax sax;
  if (Json::sax_parse(text.begin(), text.end(), &sax) || sax.message.empty()) return fallback;
  return sax.message;
}

std::string shown_char(int c) {
  if (c < 0) return "the end of the file";
  if (c >= 0x20 && c < 0x7f) return std::string("'") + static_cast<char>(c) + "'";
  static const char* hex = "0123456789ABCDEF";
  return std::string("byte 0x") + hex[(c >> 4) & 15] + hex[c & 15];
}

int Scanner::peek_nonblank() {
  for (;;) {
    const int c = peek();
    if (c != ' ' && c != '\t' && c != '\r' && c != '\n') return c;
    advance();
  }
}

void Scanner::skip_bom() {
  if (peek_nonblank() != 0xEF) return;
  while (buf_.pending() < 3 && buf_.fill()) {
  }
  if (buf_.pending() >= 3 && std::memcmp(buf_.data() + buf_.begin(), "\xEF\xBB\xBF", 3) == 0)
    buf_.consume(3);
}

Read Scanner::read_value(std::string* out, size_t cap) {
  int c = peek_nonblank();
  if (c < 0) return Read::kEnd;
  bool too_long = false;
  auto put = [&](const char* from, size_t n) {
    if (!out) return;
    if (out->size() + n <= cap) out->append(from, n);
    else too_long = true;
  };
  if (c != '{' && c != '[' && c != '"') {
    // A scalar: up to a delimiter. A stray delimiter is taken as a one-byte value (the
    // parser rejects it), so every call makes progress.
    if (c == ',' || c == ']' || c == '}' || c == ':') {
      const char ch = static_cast<char>(c);
      put(&ch, 1);
      advance();
      return too_long ? Read::kTooLong : Read::kOk;
    }
    for (;;) {
      c = peek();
      if (c < 0 || c == ',' || c == ']' || c == '}' || c == ' ' || c == '\t' || c == '\r' ||
          c == '\n' || c == ':')
        break;
      const char ch = static_cast<char>(c);
      put(&ch, 1);
      advance();
    }
    return too_long ? Read::kTooLong : Read::kOk;
  }
  int depth = 0;
  bool in_string = false, escaped = false;
  // The last byte outside strings that was no blank, and the open brackets: a '{' may
  // come only after ':' in an object, or after '[' or ',' in an array. Anywhere else the
  // value being read lacks a closing bracket ("{...\n" then the next record), and
  // reading on would swallow every record after it.
  char last = 0;
  nest_.clear();
  for (;;) {
    if (buf_.pending() == 0 && !buf_.fill()) return Read::kTruncated;
    const char* const base = buf_.data() + buf_.begin();
    const char* p = base;
    const char* const e = buf_.data() + buf_.end();
    const char* run = p;  // bytes kept since the last flush
    auto finish = [&](const char* at) { buf_.consume(static_cast<size_t>(at - base)); };
    while (p < e) {
      if (in_string) {
        if (escaped) {  // the byte after a backslash (which may be in the last buffer)
          escaped = false;
          if (*p == '\n') ++line_;
          ++p;
          continue;
        }
        // Most bytes are inside strings: skip to the next one that matters.
        while (p < e && *p != '"' && *p != '\\' && *p != '\n') ++p;
        if (p == e) break;
        const char ch = *p++;
        if (ch == '\\') {
          escaped = true;
        } else if (ch == '\n') {
          ++line_;
        } else {  // the closing quote
          in_string = false;
          last = '"';
          if (depth == 0) {
            put(run, static_cast<size_t>(p - run));
            finish(p);
            return too_long ? Read::kTooLong : Read::kOk;
          }
        }
        continue;
      }
      const char ch = *p++;
      switch (ch) {
        case '\n':
          ++line_;
          [[fallthrough]];
        case ' ':
        case '\t':
        case '\r':
          put(run, static_cast<size_t>(p - 1 - run));
          run = p;
          break;
        case '"':
          in_string = true;
          break;
        case '{':
          if (depth > 0 && !(last == ':' || ((last == '[' || last == ',') && nest_.back() == '['))) {
            put(run, static_cast<size_t>(p - 1 - run));
            finish(p - 1);
            return Read::kCut;
          }
          [[fallthrough]];
        case '[':
          last = ch;
          nest_.push_back(ch);
          ++depth;
          break;
        case '}':
        case ']':
          last = ch;
          if (!nest_.empty()) nest_.pop_back();
          if (--depth <= 0) {
            put(run, static_cast<size_t>(p - run));
            finish(p);
            return too_long ? Read::kTooLong : Read::kOk;
          }
          break;
        default:
          last = ch;
          break;
      }
    }
    put(run, static_cast<size_t>(p - run));
    finish(p);
  }
}

bool Scanner::read_line(std::string& out, size_t cap, bool& too_long, bool* terminated) {
  out.clear();
  too_long = false;
  if (terminated) *terminated = false;
  bool any = false;
  for (;;) {
    if (buf_.pending() == 0 && !buf_.fill()) break;
    any = true;
    const char* p = buf_.data() + buf_.begin();
    const void* nl = std::memchr(p, '\n', buf_.pending());
    const size_t n = nl ? static_cast<size_t>(static_cast<const char*>(nl) - p) : buf_.pending();
    if (out.size() + n <= cap) out.append(p, n);
    else too_long = true;
    if (nl) {
      buf_.consume(n + 1);
      ++line_;
      if (terminated) *terminated = true;
      break;
    }
    buf_.consume(n);
  }
  if (!out.empty() && out.back() == '\r') out.pop_back();
  return any;
}

}  // namespace sqlhunt::json
