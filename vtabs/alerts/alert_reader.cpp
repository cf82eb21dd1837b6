#include "vtabs/alerts/alert_reader.h"

#include <algorithm>
#include <cstring>
#include <vector>

#include "core/csv.h"
#include "core/error.h"
#include "core/file_source.h"
#include "core/json_text.h"

namespace sqlhunt::alerts {

const char* shape_name(Shape shape) {
  switch (shape) {
    case Shape::kUnknown: return "unknown";
    case Shape::kEmpty: return "empty";
    case Shape::kJsonLines: return "JSON lines";
    case Shape::kJsonArray: return "JSON array";
    case Shape::kJsonObjects: return "JSON objects";
    case Shape::kGraph: return "Graph envelope";
    case Shape::kLogAnalytics: return "Log Analytics tables";
    case Shape::kCsv: return "CSV";
  }
  return "unknown";
}

namespace {

enum class Mode {
  kStart,
  kFirst,       // the first object was read while detecting the shape; hand it out
  kLines,       // JSON lines
  kConcat,      // pretty-printed objects one after another
  kArray,       // elements of a top-level array
  kValueArray,  // elements of a Graph envelope's "value"
  kTablesArray, // the "tables" array of a Log Analytics result
  kTableKeys,   // the keys of one table object
  kRows,        // a table's "rows"
  kTopKeys,     // the envelope's keys after its array
  kTrailing,    // after the top-level document: only blanks may follow
  kCsv,
  kDone,
};

// kCut: a '{' stood where no value may (after a value, with no ',' between): the
// record lacks its closing bracket and that '{' starts the next one (left unread).
enum class Read { kOk, kEnd, kTruncated, kTooLong, kCut };

// nlohmann's messages start with "[json.exception.parse_error.101] ": the analyst needs
// only what follows.
std::string json_message(const std::exception& e) {
  std::string m = e.what();
  if (!m.empty() && m[0] == '[') {
    const size_t close = m.find("] ");
    if (close != std::string::npos) m.erase(0, close + 2);
  }
  m = cut_message(std::move(m));
  return m;
}

std::string shown_char(int c) {
  if (c < 0) return "the end of the file";
  if (c >= 0x20 && c < 0x7f) return std::string("'") + static_cast<char>(c) + "'";
  static const char* hex = "0123456789ABCDEF";
  return std::string("byte 0x") + hex[(c >> 4) & 15] + hex[c & 15];
}

const char* type_name(const Json& v) {
  switch (v.type()) {
    case Json::value_t::object: return "an object";
    case Json::value_t::array: return "an array";
    case Json::value_t::string: return "a string";
    case Json::value_t::null: return "null";
    case Json::value_t::boolean: return "a boolean";
    default: return "a number";
  }
}

const char* type_name(simdjson::dom::element v) {
  switch (v.type()) {
    case simdjson::dom::element_type::OBJECT: return "an object";
    case simdjson::dom::element_type::ARRAY: return "an array";
    case simdjson::dom::element_type::STRING: return "a string";
    case simdjson::dom::element_type::NULL_VALUE: return "null";
    case simdjson::dom::element_type::BOOL: return "a boolean";
    default: return "a number";
  }
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
    message = json_message(e);
    return false;
  }
};

}  // namespace

std::string why_not_json(std::string_view text, const std::string& fallback) {
  ErrorOnlySax sax;
  if (Json::sax_parse(text.begin(), text.end(), &sax) || sax.message.empty()) return fallback;
  return sax.message;
}

struct RecordReader::Impl {
  std::string path;
  std::string text;  // from_string: the bytes (the CSV reader re-reads them)
  std::unique_ptr<files::ByteReader> bytes;
  std::string_view memory;
  std::vector<char> buf = std::vector<char>(256 * 1024);
  size_t pos = 0, end = 0;
  bool eof = false;
  uint64_t line = 1;
  size_t max_record = kDefaultMaxRecord;

  Mode mode = Mode::kStart, after_first = Mode::kDone;
  SourceRecord first;
  bool array_first = true;  // the next array element is the array's first
  bool object_first = true; // the next key is the object's first
  bool tables_first = true; // the next table is the "tables" array's first
  int table_index = 0;
  bool have_columns = false;
  std::vector<std::string> columns;
  simdjson::dom::parser parser;
  std::unique_ptr<csv::Reader> csv;
  std::vector<std::string> csv_names;
  size_t csv_skip = 0;  // 1 when the first column is a pandas index
  bool header_reported = false;
  bool resync = false;  // the last record was cut short (Read::kCut) before a '{'
  std::string nest;     // read_value's open brackets

  // ---- bytes ---------------------------------------------------------------------
  bool fill() {
    if (eof) return false;
    pos = end = 0;
    if (bytes) {
      end = bytes->read(buf.data(), buf.size());
    } else {
      end = std::min(memory.size(), buf.size());
      std::memcpy(buf.data(), memory.data(), end);
      memory.remove_prefix(end);
    }
    if (end == 0) eof = true;
    return end > 0;
  }
  int peek() {
    if (pos == end && !fill()) return -1;
    return static_cast<unsigned char>(buf[pos]);
  }
  void advance() {
    if (buf[pos] == '\n') ++line;
    ++pos;
  }
  int peek_nonblank() {
    for (;;) {
      const int c = peek();
      if (c != ' ' && c != '\t' && c != '\r' && c != '\n') return c;
      advance();
    }
  }

  // Reads one JSON value (object, array, string or scalar) starting at the next
  // non-blank byte, appending it to `out` without the blanks outside strings (compact
  // JSON). `out` null: skip it, keeping nothing. Only the byte structure is checked
  // here (strings, escapes, bracket depth); the parser checks the rest.
  Read read_value(std::string* out, size_t cap) {
    int c = peek_nonblank();
    if (c < 0) return Read::kEnd;
    bool too_long = false;
    auto put = [&](const char* from, size_t n) {
      if (!out) return;
      if (out->size() + n <= cap) out->append(from, n);
      else too_long = true;
    };
    if (c != '{' && c != '[' && c != '"') {
      // A scalar: up to a delimiter. A stray delimiter is taken as a one-byte value
      // (the parser rejects it), so every call makes progress.
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
    // The last byte outside strings that was no blank, and the open brackets: a '{'
    // may come only after ':' in an object, or after '[' or ',' in an array. Anywhere
    // else the value being read lacks a closing bracket ("{...\n" then the next
    // record), and reading on would swallow every record after it.
    char last = 0;
    nest.clear();
    for (;;) {
      if (pos == end && !fill()) return Read::kTruncated;
      const char* p = buf.data() + pos;
      const char* e = buf.data() + end;
      const char* run = p;  // bytes kept since the last flush
      while (p < e) {
        if (in_string) {
          if (escaped) {  // the byte after a backslash (which may be in the last buffer)
            escaped = false;
            if (*p == '\n') ++line;
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
            ++line;
          } else {  // the closing quote
            in_string = false;
            last = '"';
            if (depth == 0) {
              put(run, static_cast<size_t>(p - run));
              pos = static_cast<size_t>(p - buf.data());
              return too_long ? Read::kTooLong : Read::kOk;
            }
          }
          continue;
        }
        const char ch = *p++;
        switch (ch) {
          case '\n':
            ++line;
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
            if (depth > 0 && !(last == ':' || ((last == '[' || last == ',') && nest.back() == '['))) {
              put(run, static_cast<size_t>(p - 1 - run));
              pos = static_cast<size_t>(p - 1 - buf.data());
              return Read::kCut;
            }
            [[fallthrough]];
          case '[':
            last = ch;
            nest.push_back(ch);
            ++depth;
            break;
          case '}':
          case ']':
            last = ch;
            if (!nest.empty()) nest.pop_back();
            if (--depth <= 0) {
              put(run, static_cast<size_t>(p - run));
              pos = static_cast<size_t>(p - buf.data());
              return too_long ? Read::kTooLong : Read::kOk;
            }
            break;
          default:
            last = ch;
            break;
        }
      }
      put(run, static_cast<size_t>(p - run));
      pos = end;
    }
  }

  // Reads the rest of the current line into `out` (its "\r\n" or "\n" left out).
  // False at the end of the data with nothing read. Keeps at most `cap` bytes.
  bool read_line(std::string& out, size_t cap, bool& too_long, bool* terminated = nullptr) {
    out.clear();
    too_long = false;
    if (terminated) *terminated = false;
    bool any = false;
    for (;;) {
      if (pos == end && !fill()) return any;
      any = true;
      const char* p = buf.data() + pos;
      const void* nl = std::memchr(p, '\n', end - pos);
      const size_t n = nl ? static_cast<size_t>(static_cast<const char*>(nl) - p) : end - pos;
      if (out.size() + n <= cap) out.append(p, n);
      else too_long = true;
      if (nl) {
        pos += n + 1;
        ++line;
        if (terminated) *terminated = true;
        break;
      }
      pos = end;
    }
    if (!out.empty() && out.back() == '\r') out.pop_back();
    return true;
  }

  // ---- records -------------------------------------------------------------------
  // Parses r.json (a record) into r.value. A malformed record keeps its reason, in
  // nlohmann's words (they name the line, column and what was expected).
  void parse_object(SourceRecord& r) {
    simdjson::dom::element v;
    const auto err = parser.parse(r.json).get(v);
    if (err) {
      r.error = "not valid JSON: " + why_not_json(r.json, simdjson::error_message(err));
      r.json.clear();
      r.has_value = false;
      return;
    }
    if (!v.is_object()) {
      r.error = std::string("not a JSON object (") + type_name(v) + ")";
      r.json.clear();
      r.has_value = false;
      return;
    }
    r.value = v;
    r.has_value = true;
  }

  // One value read as a record. False when the structure is broken (the file ends).
  bool element(SourceRecord& r, bool row = false) {
    peek_nonblank();
    r.line = line;
    const Read st = read_value(&r.json, max_record);
    if (st == Read::kTruncated || st == Read::kEnd) {
      r.json.clear();
      r.error = "the file ends inside this record (truncated?)";
      return false;
    }
    if (st == Read::kTooLong) {
      r.json.clear();
      r.error = "record longer than " + std::to_string(max_record) + " bytes: skipped";
      return true;
    }
    if (st == Read::kCut) {
      r.json.clear();
      r.error = cut_error();
      resync = true;
      return true;
    }
    if (row) row_to_object(r);
    else parse_object(r);
    return true;
  }

  std::string cut_error() const {
    return "the record is not complete (a missing '}' or ']'?): a new one starts at line " +
           std::to_string(line);
  }

  // Between array elements. 1: an element follows; 0: the array ended; -1: error (r set).
  int array_step(SourceRecord& r, const char* what) {
    int c = peek_nonblank();
    if (c == ']') {
      advance();
      return 0;
    }
    if (resync) {  // an element was cut short at the '{' that starts this one
      resync = false;
    } else if (!array_first) {
      if (c != ',') {
        r.line = line;
        r.error = c < 0 ? std::string("the file ends inside ") + what + " (truncated?)"
                        : std::string("expected ',' or ']' in ") + what + ", found " + shown_char(c) +
                              ": the rest of the file is not read";
        return -1;
      }
      advance();
      c = peek_nonblank();
    }
    if (c < 0) {
      r.line = line;
      r.error = std::string("the file ends inside ") + what + " (truncated?)";
      return -1;
    }
    array_first = false;
    return 1;
  }

  // Between object keys. 1: `key` read and its ':' taken; 0: the object ended; -1: error.
  int key_step(SourceRecord& r, std::string& key, std::string* raw) {
    int c = peek_nonblank();
    if (c == '}') {
      advance();
      return 0;
    }
    if (!object_first) {
      if (c != ',') {
        r.line = line;
        r.error = c < 0 ? "the file ends inside an object (truncated?)"
                        : "expected ',' or '}' after an object member, found " + shown_char(c);
        return -1;
      }
      advance();
      if (raw) raw->push_back(',');
      c = peek_nonblank();
    }
    object_first = false;
    std::string k;
    if (c != '"' || read_value(&k, 1u << 16) != Read::kOk) {
      r.line = line;
      r.error = "expected an object key (a string), found " + shown_char(c);
      return -1;
    }
    try {
      key = Json::parse(k).get<std::string>();
    } catch (const std::exception& e) {
      r.line = line;
      r.error = "bad object key: " + json_message(e);
      return -1;
    }
    if (raw) *raw += k;
    c = peek_nonblank();
    if (c != ':') {
      r.line = line;
      r.error = "expected ':' after key \"" + key + "\", found " + shown_char(c);
      return -1;
    }
    advance();
    if (raw) raw->push_back(':');
    return 1;
  }

  // The first byte was '{': walk the first object's keys to learn the shape.
  Shape walk_first() {
    SourceRecord& r = first;
    r.line = line;
    const uint64_t start_line = line;
    advance();
    std::string raw = "{";
    object_first = true;
    // An envelope's array comes first, or after its "@odata.context" and the like
    // only: an alert with a "value" or "tables" array among its fields (a JSON-lines
    // file's first record) is no envelope, and reading it as one lost the file.
    bool only_annotations = true;
    for (;;) {
      std::string key;
      const int k = key_step(r, key, &raw);
      if (k < 0) break;
      if (k == 0) {
        raw.push_back('}');
        const uint64_t end_line = line;
        const int next = peek_nonblank();
        r.json = std::move(raw);
        r.line = start_line;
        mode = Mode::kFirst;
        if (end_line == start_line && (next < 0 || line > end_line)) {
          after_first = Mode::kLines;
          return Shape::kJsonLines;
        }
        after_first = Mode::kConcat;
        return Shape::kJsonObjects;
      }
      const int c = peek_nonblank();
      if (c == '[' && only_annotations && (key == "value" || key == "tables")) {
        advance();
        array_first = true;
        r = SourceRecord();
        if (key == "value") {
          mode = Mode::kValueArray;
          return Shape::kGraph;
        }
        tables_first = true;
        mode = Mode::kTablesArray;
        return Shape::kLogAnalytics;
      }
      only_annotations = only_annotations && !key.empty() && key[0] == '@';
      std::string value;
      const Read st = read_value(&value, max_record);
      if (st == Read::kCut) {
        // The first object lacks its closing bracket and another starts: report it,
        // then learn the shape from that one.
        r.json.clear();
        r.has_value = false;
        r.line = start_line;
        r.error = cut_error();
        mode = Mode::kFirst;
        after_first = Mode::kStart;
        return Shape::kUnknown;
      }
      if (st != Read::kOk) {
        r.error = st == Read::kTooLong ? "record longer than " + std::to_string(max_record) + " bytes: skipped"
                                       : "the file ends inside this record (truncated?)";
        break;
      }
      raw += value;
    }
    // The first object is broken: report it and read on line by line (the common
    // case is JSON lines with a bad first line).
    r.json.clear();
    r.has_value = false;
    r.line = start_line;
    std::string rest;
    bool too_long = false;
    if (line == start_line) read_line(rest, 0, too_long);
    mode = Mode::kFirst;
    after_first = Mode::kLines;
    return Shape::kJsonLines;
  }

  Shape start(Shape* shape_out) {
    // A UTF-8 byte-order mark is not data, before or after blank lines.
    int c = peek_nonblank();
    if (c == 0xEF && end - pos >= 3 && std::memcmp(buf.data() + pos, "\xEF\xBB\xBF", 3) == 0) {
      pos += 3;
      c = peek_nonblank();
    }
    Shape s;
    if (c < 0) {
      mode = Mode::kDone;
      s = Shape::kEmpty;
    } else if (c == '[') {
      advance();
      array_first = true;
      mode = Mode::kArray;
      s = Shape::kJsonArray;
    } else if (c == '{') {
      s = walk_first();
    } else {
      csv::Options opt;
      opt.max_record = max_record;
      csv = bytes ? std::make_unique<csv::Reader>(path, opt) : csv::Reader::from_string(text, opt);
      csv_names = csv->header();
      csv_skip = csv->index_column() ? 1 : 0;
      mode = Mode::kCsv;
      s = Shape::kCsv;
    }
    *shape_out = s;
    return s;
  }

  bool next_csv(SourceRecord& r) {
    if (!csv->header_error().empty() && !header_reported) {
      // A malformed header row: its names are still used, and the problem is a row.
      header_reported = true;
      r.line = csv->header_line();
      r.error = "header row: " + csv->header_error();
      return true;
    }
    csv::Record rec;
    if (!csv->next(rec)) return false;
    r.line = rec.line;
    r.error = rec.error;
    if (rec.fields.empty()) return true;
    r.json.push_back('{');
    for (size_t i = csv_skip; i < rec.fields.size(); ++i) {
      if (i > csv_skip) r.json.push_back(',');
      if (i < csv_names.size()) json::append_string(r.json, csv_names[i]);
      else json::append_string(r.json, "column" + std::to_string(i + 1));
      r.json.push_back(':');
      json::append_string(r.json, rec.fields[i]);
    }
    r.json.push_back('}');
    const std::string csv_error = r.error;
    r.error.clear();
    parse_object(r);
    if (!csv_error.empty()) r.error = r.error.empty() ? csv_error : csv_error + "; " + r.error;
    return true;
  }

  bool next_line(SourceRecord& r) {
    if (peek_nonblank() < 0) return false;
    r.line = line;
    bool too_long = false;
    bool terminated = false;
    read_line(r.json, max_record, too_long, &terminated);
    while (!r.json.empty() && (r.json.back() == ' ' || r.json.back() == '\t')) r.json.pop_back();
    if (too_long) {
      r.json.clear();
      r.error = "line longer than " + std::to_string(max_record) + " bytes: skipped";
      return true;
    }
    parse_object(r);
    if (!r.error.empty() && !terminated)
      r.error += " (the last line has no line break: the file may be truncated)";
    return true;
  }

  // A row of a Log Analytics table (r.json, an array), as an object keyed by the
  // column names.
  void row_to_object(SourceRecord& r) {
    Json row;
    try {
      row = Json::parse(r.json);
    } catch (const std::exception& e) {
      r.error = "not valid JSON: " + json_message(e);
      r.json.clear();
      return;
    }
    if (!row.is_array()) {
      r.error = std::string("a row is not an array (") + type_name(row) + ")";
      r.json.clear();
      return;
    }
    std::string mismatch;
    if (row.size() != columns.size())
      mismatch = "row has " + std::to_string(row.size()) + " values, the table has " +
                 std::to_string(columns.size()) + " columns";
    Json obj = Json::object();
    for (size_t i = 0; i < row.size(); ++i) {
      const std::string name = i < columns.size() ? columns[i] : "column" + std::to_string(i + 1);
      obj[name] = std::move(row[i]);
    }
    r.json = obj.dump(-1, ' ', false, Json::error_handler_t::replace);
    parse_object(r);
    if (!mismatch.empty()) r.error = r.error.empty() ? mismatch : mismatch + "; " + r.error;
  }

  void read_columns(SourceRecord& r) {
    std::string text;
    const uint64_t at = line;
    const Read st = read_value(&text, max_record);
    columns.clear();
    have_columns = false;
    try {
      if (st != Read::kOk) throw std::runtime_error("unreadable");
      const Json cols = Json::parse(text);
      for (const auto& c : cols) {
        if (c.is_object() && c.contains("name") && c["name"].is_string()) columns.push_back(c["name"].get<std::string>());
        else if (c.is_string()) columns.push_back(c.get<std::string>());
        else throw std::runtime_error("a column has no name");
      }
      have_columns = true;
    } catch (const std::exception& e) {
      r.line = at;
      r.error = "the table's \"columns\" cannot be read (" + json_message(e) + ")";
    }
  }
};

RecordReader::RecordReader() : impl_(std::make_unique<Impl>()) {}

RecordReader::RecordReader(const std::string& path, size_t max_record) : RecordReader() {
  impl_->path = path;
  impl_->bytes = std::make_unique<files::ByteReader>(path);
  impl_->max_record = max_record;
}

std::unique_ptr<RecordReader> RecordReader::from_string(std::string_view text, size_t max_record) {
  std::unique_ptr<RecordReader> r(new RecordReader());
  r->impl_->text.assign(text);
  r->impl_->memory = r->impl_->text;
  r->impl_->max_record = max_record;
  return r;
}

RecordReader::~RecordReader() = default;

std::string RecordReader::read_error() const {
  if (impl_->csv) return impl_->csv->error();
  return impl_->bytes ? impl_->bytes->error() : std::string();
}

bool RecordReader::next(SourceRecord& r) {
  r = SourceRecord();
  Impl& m = *impl_;
  for (;;) {
    switch (m.mode) {
      case Mode::kStart:
        m.start(&shape_);
        continue;
      case Mode::kDone:
        return false;
      case Mode::kFirst:
        r = std::move(m.first);
        m.first = SourceRecord();
        m.mode = m.after_first;
        // Parsed now: the first record's value must live in the parser until the next call.
        if (r.error.empty()) m.parse_object(r);
        return true;
      case Mode::kCsv:
        return m.next_csv(r);
      case Mode::kLines:
        return m.next_line(r);
      case Mode::kConcat:
        if (m.peek_nonblank() < 0) {
          m.mode = Mode::kDone;
          return false;
        }
        if (!m.element(r)) m.mode = Mode::kDone;
        return true;
      case Mode::kArray:
      case Mode::kValueArray:
      case Mode::kRows: {
        const char* what = m.mode == Mode::kArray ? "the array" : m.mode == Mode::kRows ? "the table's rows" : "the \"value\" array";
        const int step = m.array_step(r, what);
        if (step < 0) {
          m.mode = Mode::kDone;
          return true;
        }
        if (step == 0) {
          m.mode = m.mode == Mode::kArray ? Mode::kTrailing : m.mode == Mode::kRows ? Mode::kTableKeys : Mode::kTopKeys;
          continue;
        }
        const bool rows = m.mode == Mode::kRows;
        if (!m.element(r, rows)) m.mode = Mode::kDone;
        return true;
      }
      case Mode::kTablesArray: {
        m.array_first = m.tables_first;
        const int step = m.array_step(r, "the \"tables\" array");
        m.tables_first = false;
        if (step < 0) {
          m.mode = Mode::kDone;
          return true;
        }
        if (step == 0) {
          m.mode = Mode::kTopKeys;
          continue;
        }
        if (m.peek_nonblank() != '{') {
          if (m.table_index == 0) {
            r.line = m.line;
            r.error = "a table in \"tables\" is not an object";
            m.read_value(nullptr, 0);
            ++m.table_index;
            return true;
          }
          m.read_value(nullptr, 0);
          continue;
        }
        if (m.table_index > 0) {
          // Only the first table (PrimaryResult) holds the query's rows.
          m.read_value(nullptr, 0);
          ++m.table_index;
          continue;
        }
        m.advance();
        m.object_first = true;
        m.have_columns = false;
        m.columns.clear();
        m.mode = Mode::kTableKeys;
        continue;
      }
      case Mode::kTableKeys: {
        std::string key;
        const int k = m.key_step(r, key, nullptr);
        if (k < 0) {
          m.mode = Mode::kDone;
          return true;
        }
        if (k == 0) {
          ++m.table_index;
          m.mode = Mode::kTablesArray;
          continue;
        }
        if (key == "columns") {
          m.read_columns(r);
          if (!r.error.empty()) return true;
          continue;
        }
        if (key == "rows" && m.peek_nonblank() == '[') {
          if (!m.have_columns) {
            r.line = m.line;
            r.error = "the table's \"rows\" come before (or without) its \"columns\": its rows are not read";
            m.read_value(nullptr, 0);
            return true;
          }
          m.advance();
          m.array_first = true;
          m.mode = Mode::kRows;
          continue;
        }
        m.read_value(nullptr, 0);
        continue;
      }
      case Mode::kTopKeys: {
        std::string key;
        const int k = m.key_step(r, key, nullptr);
        if (k < 0) {
          m.mode = Mode::kDone;
          return true;
        }
        if (k == 0) {
          m.mode = Mode::kTrailing;
          continue;
        }
        m.read_value(nullptr, 0);
        continue;
      }
      case Mode::kTrailing: {
        const int c = m.peek_nonblank();
        m.mode = Mode::kDone;
        if (c < 0) return false;
        r.line = m.line;
        r.error = "unexpected " + shown_char(c) + " after the end of the JSON document: the rest of the file is not read";
        return true;
      }
    }
  }
}

}  // namespace sqlhunt::alerts
