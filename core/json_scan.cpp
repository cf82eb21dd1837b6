#include "core/json_scan.h"

#include <cstring>

#include <nlohmann/json.hpp>

#include "core/error.h"

namespace sqlhunt::json {
namespace {

using Json = nlohmann::ordered_json;

// The bytes that may stand outside strings in JSON besides blanks and brackets: those
// of numbers and of true, false and null.
constexpr bool word_byte(unsigned char c) {
  return (c >= '0' && c <= '9') || c == '-' || c == '+' || c == '.' || c == 'e' || c == 'E' || c == 't' ||
         c == 'r' || c == 'u' || c == 'f' || c == 'a' || c == 'l' || c == 's' || c == 'n';
}

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

const char* describe(Read r) {
  switch (r) {
    case Read::kOk: return "read whole";
    case Read::kEnd: return "nothing to read";
    case Read::kTruncated: return "the data ends inside a value (cut short?)";
    case Read::kTooLong: return "a value is longer than the limit";
    case Read::kCut: return "a '{' stands where no value may (a missing '}' or ']'?)";
    case Read::kUnbalanced: return "the brackets do not balance (a '{' or '[' too many, or a '}' or ']' missing?)";
    case Read::kStray: return "a byte JSON allows only inside a string stands outside one (a '\"' missing or one too many?)";
    case Read::kOpenString: return "a string is not closed at the end of its line (a '\"' missing or one too many?)";
  }
  return "unreadable";
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
  // Indentation, when the value is pretty-printed (its inner lines indented deeper than
  // its first): a line inside it that starts at its own column or left of it with a
  // '{' is the next record (this one lacks a closing bracket), and with a '}' or ']'
  // while brackets it opened are still open is its own end (it has one too many).
  // A valid value never does either, so reading on would only swallow the records
  // after it; compact values (column -1) give no such clue.
  const int start_col = col_;
  int line_col = start_col;  // the column of the next byte when only blanks precede it
  int inner_col = -1;        // the column the value's first inner line starts at
  for (;;) {
    if (buf_.pending() == 0 && !buf_.fill()) return Read::kTruncated;
    const char* const base = buf_.data() + buf_.begin();
    const char* p = base;
    const char* const e = buf_.data() + buf_.end();
    const char* run = p;  // bytes kept since the last flush
    auto finish = [&](const char* at) {
      buf_.consume(static_cast<size_t>(at - base));
      col_ = -1;
    };
    // A raw line break inside a string: not JSON. Reading on as if the string went on
    // would turn every quote after it inside out, up to the end of the file; the line
    // is the unit a damaged record is resynchronised by (skip_to_element).
    auto open_string = [&](const char* after_lf) {
      buf_.consume(static_cast<size_t>(after_lf - base));
      ++line_;
      col_ = 0;
      return Read::kOpenString;
    };
    while (p < e) {
      if (in_string) {
        if (escaped) {  // the byte after a backslash (which may be in the last buffer)
          escaped = false;
          if (*p == '\n') return open_string(p + 1);
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
          return open_string(p);
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
      if (ch == ' ' || ch == '\t' || ch == '\r' || ch == '\n') {
        if (ch == '\n') ++line_, line_col = 0;
        else if (line_col >= 0) ++line_col;
        put(run, static_cast<size_t>(p - 1 - run));
        run = p;
        continue;
      }
      const int at = line_col;  // this byte's column if it starts its line, else -1
      line_col = -1;
      const bool first_inner = at >= 0 && depth > 0 && inner_col < 0 && nest_.front() == '{';
      if (at >= 0 && depth > 0 && inner_col < 0) inner_col = at;
      // A line inside the value that starts at the value's own column or left of it, in
      // a value whose inner lines are indented (or at its first inner line, which in a
      // record opens a member, never an object: `[{...},\n{...}` lost its '}').
      const bool outdented = at >= 0 && at <= start_col && (inner_col > start_col || first_inner);
      switch (ch) {
        case '"':
          in_string = true;
          break;
        case '{':
          if (depth > 0 && (outdented || !(last == ':' || ((last == '[' || last == ',') && nest_.back() == '[')))) {
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
          if (outdented && !first_inner && depth > 1) {
            put(run, static_cast<size_t>(p - run));
            finish(p);
            return Read::kUnbalanced;
          }
          last = ch;
          if (!nest_.empty()) nest_.pop_back();
          if (--depth <= 0) {
            put(run, static_cast<size_t>(p - run));
            finish(p);
            return too_long ? Read::kTooLong : Read::kOk;
          }
          break;
        case ',':
        case ':':
          last = ch;
          break;
        default:
          if (!word_byte(static_cast<unsigned char>(ch))) {
            finish(p);
            return Read::kStray;
          }
          last = ch;
          break;
      }
    }
    put(run, static_cast<size_t>(p - run));
    finish(p);
  }
}

bool Scanner::skip_to_element(int column, char open, std::string_view first_key) {
  // The next element may stand right here (a ',' was missing).
  if (peek() == open && (column < 0 || col_ == column) && follows(first_key)) return true;
  if (column >= 0) {
    for (;;) {
      if (col_ < 0) {  // something else stands before us on this line: the next line
        // (or, when the elements' first key is known, an element starting inside this
        // line, where the damaged one ran into it: `{"Na{"TimeGenerated": ...`)
        if (!first_key.empty() && skip_in_line_to(open, first_key)) return true;
        for (;;) {
          if (buf_.pending() == 0 && !buf_.fill()) return false;
          const char* p = buf_.data() + buf_.begin();
          const void* nl = std::memchr(p, '\n', buf_.pending());
          if (!nl) {
            buf_.consume(buf_.pending());
            continue;
          }
          buf_.consume(static_cast<size_t>(static_cast<const char*>(nl) - p) + 1);
          ++line_;
          col_ = 0;
          break;
        }
      }
      const int c = peek_nonblank();
      if (c < 0) return false;
      if ((c == open && col_ == column) || (c == ']' && col_ <= column)) return true;
      advance();
    }
  }
  const char close = open == '{' ? '}' : ']';
  int seen = 0;  // 1: a closing bracket; 2: a closing bracket, then ','
  for (;;) {
    const int c = peek();
    if (c < 0) return false;
    if (c == open && seen == 2 && follows(first_key)) return true;
    if (c == close) seen = 1;
    else if (c == ',') seen = seen == 1 ? 2 : 0;
    else if (c != ' ' && c != '\t' && c != '\r' && c != '\n') seen = 0;
    advance();
  }
}

bool Scanner::skip_in_line_to(char open, std::string_view first_key) {
  for (;;) {
    const int c = peek();
    if (c < 0 || c == '\n') return false;
    if (c == open && follows(first_key)) return true;
    advance();
  }
}

bool Scanner::follows(std::string_view text) {
  if (text.empty()) return true;
  // The next byte (the bracket), blanks, then `text`: at most a few dozen bytes ahead.
  size_t at = 1;
  for (;;) {
    while (buf_.pending() < at + text.size() && buf_.fill()) {
    }
    if (buf_.pending() < at + text.size()) return false;
    const char* p = buf_.data() + buf_.begin() + at;
    if (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n') {
      if (++at > 64) return false;
      continue;
    }
    return std::memcmp(p, text.data(), text.size()) == 0;
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
      col_ = 0;
      if (terminated) *terminated = true;
      break;
    }
    buf_.consume(n);
    col_ = -1;
  }
  if (!out.empty() && out.back() == '\r') out.pop_back();
  return any;
}

}  // namespace sqlhunt::json
