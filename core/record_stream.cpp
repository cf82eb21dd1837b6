#include "core/record_stream.h"

#include "core/error.h"
#include "core/json_text.h"
#include "core/record_stream_impl.h"

namespace sqlhunt::records {

const char* shape_name(Shape shape) {
  switch (shape) {
    case Shape::kUnknown: return "unknown";
    case Shape::kEmpty: return "empty";
    case Shape::kJsonLines: return "JSON lines";
    case Shape::kJsonArray: return "JSON array";
    case Shape::kJsonObjects: return "JSON objects";
    case Shape::kGraph: return "Graph envelope";
    case Shape::kAzureRecords: return "Azure records envelope";
    case Shape::kLogAnalytics: return "Log Analytics tables";
    case Shape::kCsv: return "CSV";
  }
  return "unknown";
}

namespace {

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

std::string open_string_error(uint64_t line) {
  return "a string is not closed at the end of line " + std::to_string(line) +
         " (a '\"' missing or one too many)";
}

std::string too_long_error(size_t max) {
  return "record longer than " + std::to_string(max) + " bytes: skipped";
}

// `text` without the commas that stand right before a closing ']' or '}' (blanks
// between them allowed), outside strings; false when it has none.
bool without_trailing_commas(const std::string& text, std::string& out) {
  out.clear();
  bool in_string = false, changed = false;
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (in_string) {
      if (c == '\\' && i + 1 < text.size()) {
        out.push_back(c);
        c = text[++i];
      } else if (c == '"') {
        in_string = false;
      }
    } else if (c == '"') {
      in_string = true;
    } else if (c == ',') {
      size_t j = i + 1;
      while (j < text.size() && (text[j] == ' ' || text[j] == '\t' || text[j] == '\r' || text[j] == '\n')) ++j;
      if (j < text.size() && (text[j] == ']' || text[j] == '}')) {
        changed = true;
        continue;
      }
    }
    out.push_back(c);
  }
  return changed;
}

}  // namespace

// Parses r.json (a record) into r.value. A malformed record keeps its reason, in
// nlohmann's words (they name the line, column and what was expected).
void Reader::Impl::parse_object(Record& r) {
  simdjson::dom::element v;
  auto err = parser.parse(r.json).get(v);
  if (err && trailing_commas) {
    std::string fixed;
    if (without_trailing_commas(r.json, fixed) && !parser.parse(fixed).get(v)) {
      r.json = std::move(fixed);
      err = simdjson::SUCCESS;
    }
  }
  if (err) {
    r.error = "not valid JSON: " + json::why_not_json(r.json, simdjson::error_message(err));
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

std::string Reader::Impl::cut_error() const {
  return "the record is not complete (a missing '}' or ']'?): a new one starts at line " +
         std::to_string(scan->line());
}

// After damage (r.error says what): skips to where the next record seems to start and
// says in r.error where reading goes on. False when nothing follows (the file ends).
bool Reader::Impl::read_on(Record& r, char open) {
  if (scan->skip_to_element(element_col, open, first_key)) {
    resync = true;
    r.error += "; reading on at line " + std::to_string(scan->line());
    return true;
  }
  r.error += "; nothing after it could be read (to the end of the file, line " + std::to_string(scan->line()) + ")";
  return false;
}

// One value read as a record (an array's element, a table's row when `row`, or one of
// concatenated objects). False when the file ends inside it or after it, with nothing
// more to read.
bool Reader::Impl::element(Record& r, bool row) {
  scan->peek_nonblank();
  r.line = scan->line();
  if (element_col == -2) element_col = scan->column();
  const char open = row ? '[' : '{';
  const json::Read st = scan->read_value(&r.json, max_record);
  if (st == json::Read::kTruncated || st == json::Read::kEnd) {
    r.json.clear();
    r.error = "the file ends inside this record (truncated?)";
    return false;
  }
  if (st == json::Read::kTooLong) {
    r.json.clear();
    r.error = too_long_error(max_record);
    return true;
  }
  if (st == json::Read::kCut) {
    r.json.clear();
    r.error = cut_error();
    resync = true;
    return true;
  }
  if (st == json::Read::kOpenString) {
    r.json.clear();
    r.error = open_string_error(scan->line() - 1);
    return read_on(r, open);
  }
  if (st == json::Read::kUnbalanced) {
    r.json.clear();
    r.error = std::string(json::describe(st)) + ": the record ends at line " + std::to_string(scan->line());
    return true;
  }
  if (st == json::Read::kStray) {
    r.json.clear();
    r.error = std::string("not JSON at line ") + std::to_string(scan->line()) + ": " + json::describe(st);
    return read_on(r, open);
  }
  if (row) row_to_object(r);
  else parse_object(r);
  if (!row && first_key.empty() && r.has_value && r.json.size() > 2 && r.json[1] == '"') {
    // The compact text's first key: from its quote to the next one not escaped. (A
    // table's rows are arrays: no key to know them by.)
    size_t end = 2;
    while (end < r.json.size() && r.json[end] != '"') end += r.json[end] == '\\' ? 2 : 1;
    if (end < r.json.size()) first_key.assign(r.json, 1, end);
  }
  if (!r.error.empty()) {
    // A record that is not JSON may be only the start of a damaged one (a stray '}' or
    // ']' ended it early): unless a ',', the array's end or the next record follows,
    // what follows is the rest of it.
    const int c = scan->peek_nonblank();
    if (c >= 0 && c != ',' && c != ']' && c != open) return read_on(r, open);
  }
  return true;
}

// Between array elements, which open with `open`. 1: an element follows; 0: the array
// ended; 2: damage (r set), and the array goes on; -1: damage (r set), and the file ends.
int Reader::Impl::array_step(Record& r, const char* what, char open) {
  int c = scan->peek_nonblank();
  if (c == ']') {
    scan->advance();
    return 0;
  }
  if (resync) {  // an element was cut short at the '{' that starts this one
    resync = false;
  } else if (!array_first) {
    if (c != ',') {
      r.line = scan->line();
      if (c < 0) {
        r.error = std::string("the file ends inside ") + what + " (truncated?)";
        return -1;
      }
      r.error = std::string("expected ',' or ']' in ") + what + ", found " + json::shown_char(c);
      return read_on(r, open) ? 2 : -1;
    }
    scan->advance();
    c = scan->peek_nonblank();
  }
  if (c < 0) {
    r.line = scan->line();
    r.error = std::string("the file ends inside ") + what + " (truncated?)";
    return -1;
  }
  if (array_first) element_col = -2, first_key.clear();  // learnt from this array's elements
  array_first = false;
  return 1;
}

// Between object keys. 1: `key` read and its ':' taken; 0: the object ended; -1: error.
// `raw`, when given, collects the keys as compact JSON.
int Reader::Impl::key_step(Record& r, std::string& key, std::string* raw) {
  int c = scan->peek_nonblank();
  if (c == '}') {
    scan->advance();
    return 0;
  }
  if (!object_first) {
    if (c != ',') {
      r.line = scan->line();
      r.error = c < 0 ? "the file ends inside an object (truncated?)"
                      : "expected ',' or '}' after an object member, found " + json::shown_char(c);
      return -1;
    }
    scan->advance();
    if (raw) raw->push_back(',');
    c = scan->peek_nonblank();
  }
  object_first = false;
  std::string k;
  if (c != '"' || scan->read_value(&k, 1u << 16) != json::Read::kOk) {
    r.line = scan->line();
    r.error = "expected an object key (a string), found " + json::shown_char(c);
    return -1;
  }
  std::string_view decoded;
  simdjson::dom::element ke;
  if (parser.parse(k).get(ke) || ke.get_string().get(decoded)) {
    r.line = scan->line();
    r.error = "bad object key: " + json::why_not_json(k, "not a JSON string");
    return -1;
  }
  key.assign(decoded);
  if (raw) *raw += k;
  c = scan->peek_nonblank();
  if (c != ':') {
    r.line = scan->line();
    r.error = "expected ':' after key \"" + cut_message(key, 80) + "\", found " + json::shown_char(c);
    return -1;
  }
  scan->advance();
  if (raw) raw->push_back(':');
  return 1;
}

// The first byte was '{': walk the first object's keys to learn the shape.
Shape Reader::Impl::walk_first() {
  Record& r = first;
  const uint64_t start_line = scan->line();
  r.line = start_line;
  scan->advance();
  std::string raw = "{";
  object_first = true;
  // An envelope's array comes first, or after its "@odata.context" and the like only:
  // a record with a "value" or "tables" array among its fields (a JSON-lines file's
  // first record) is no envelope, and reading it as one lost the file.
  bool only_annotations = true;
  for (;;) {
    std::string key;
    const int k = key_step(r, key, &raw);
    if (k < 0) break;
    if (k == 0) {
      raw.push_back('}');
      const uint64_t end_line = scan->line();
      const int next = scan->peek_nonblank();
      r.json = std::move(raw);
      r.line = start_line;
      mode = Mode::kFirst;
      if (end_line == start_line && (next < 0 || scan->line() > end_line)) {
        after_first = Mode::kLines;
        return Shape::kJsonLines;
      }
      after_first = Mode::kConcat;
      return Shape::kJsonObjects;
    }
    const int c = scan->peek_nonblank();
    if (c == '[' && only_annotations) {
      const Shape s = enter_envelope(key);
      if (s != Shape::kUnknown) {
        r = Record();
        return s;
      }
    }
    only_annotations = only_annotations && !key.empty() && key[0] == '@';
    std::string value;
    const json::Read st = scan->read_value(&value, max_record);
    if (st == json::Read::kCut) {
      // The first object lacks its closing bracket and another starts: report it, then
      // learn the shape from that one.
      r.json.clear();
      r.has_value = false;
      r.line = start_line;
      r.error = cut_error();
      mode = Mode::kFirst;
      after_first = Mode::kStart;
      return Shape::kUnknown;
    }
    if (st != json::Read::kOk) {
      r.error = st == json::Read::kTooLong      ? too_long_error(max_record)
                : st == json::Read::kOpenString ? open_string_error(scan->line() - 1)
                : st == json::Read::kTruncated  ? std::string("the file ends inside this record (truncated?)")
                                                : std::string("not JSON: ") + json::describe(st);
      break;
    }
    raw += value;
  }
  // The first object is broken: report it and read on line by line (the common case is
  // JSON lines with a bad first line).
  r.json.clear();
  r.has_value = false;
  r.line = start_line;
  std::string rest;
  bool too_long = false;
  if (scan->line() == start_line) scan->read_line(rest, 0, too_long);
  mode = Mode::kFirst;
  after_first = Mode::kLines;
  return Shape::kJsonLines;
}

void Reader::Impl::start() {
  // A UTF-8 byte-order mark is not data, before or after blank lines.
  scan->skip_bom();
  const int c = scan->peek_nonblank();
  if (c < 0) {
    mode = Mode::kDone;
    shape = Shape::kEmpty;
  } else if (c == '[') {
    scan->advance();
    array_first = true;
    mode = Mode::kArray;
    shape = Shape::kJsonArray;
  } else if (c == '{') {
    shape = walk_first();
  } else {
    csv::Options opt;
    opt.max_record = max_record;
    // The CSV reader starts again from the first byte (the BOM and blanks included).
    csv = in_memory ? csv::Reader::from_string(text, opt) : std::make_unique<csv::Reader>(path, opt);
    csv_names = csv->header();
    csv_skip = csv->index_column() ? 1 : 0;
    mode = Mode::kCsv;
    shape = Shape::kCsv;
  }
}

bool Reader::Impl::next_csv(Record& r) {
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

bool Reader::Impl::next_line(Record& r) {
  if (scan->peek_nonblank() < 0) return false;
  r.line = scan->line();
  bool too_long = false;
  bool terminated = false;
  scan->read_line(r.json, max_record, too_long, &terminated);
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

bool Reader::Impl::next(Record& r) {
  for (;;) {
    switch (mode) {
      case Mode::kStart:
        start();
        continue;
      case Mode::kDone:
        return false;
      case Mode::kFirst:
        r = std::move(first);
        first = Record();
        mode = after_first;
        // Parsed now: the first record's value must live in the parser until the next call.
        if (r.error.empty()) parse_object(r);
        return true;
      case Mode::kCsv:
        return next_csv(r);
      case Mode::kLines:
        return next_line(r);
      case Mode::kConcat:
        if (scan->peek_nonblank() < 0) {
          mode = Mode::kDone;
          return false;
        }
        if (!element(r)) mode = Mode::kDone;
        return true;
      case Mode::kArray:
      case Mode::kEnvelopeArray:
      case Mode::kRows: {
        const char* what = mode == Mode::kArray  ? "the array"
                           : mode == Mode::kRows ? "the table's rows"
                           : shape == Shape::kAzureRecords ? "the \"records\" array"
                                                           : "the \"value\" array";
        const bool rows = mode == Mode::kRows;
        const int step = array_step(r, what, rows ? '[' : '{');
        if (step < 0) {
          mode = Mode::kDone;
          return true;
        }
        if (step == 2) return true;
        if (step == 0) {
          mode = mode == Mode::kArray ? Mode::kTrailing : mode == Mode::kRows ? Mode::kTableKeys : Mode::kTopKeys;
          continue;
        }
        if (!element(r, rows)) mode = Mode::kDone;
        return true;
      }
      case Mode::kTablesArray:
        if (tables_step(r)) return true;
        continue;
      case Mode::kTableKeys:
        if (table_keys_step(r)) return true;
        continue;
      case Mode::kTopKeys:
        if (top_keys_step(r)) return true;
        continue;
      case Mode::kTrailing: {
        const int c = scan->peek_nonblank();
        mode = Mode::kDone;
        if (c < 0) return false;
        r.line = scan->line();
        if (shape == Shape::kJsonArray) {
          // A stray ']' ended the array early, or arrays follow one another: the
          // elements after it are read as the array's.
          r.error = "unexpected " + json::shown_char(c) + " after the array's closing ']' (a stray ']'?)";
          if (read_on(r, '{')) mode = Mode::kArray;
          return true;
        }
        r.error = "unexpected " + json::shown_char(c) +
                  " after the end of the JSON document: the rest of the file is not read";
        return true;
      }
    }
  }
}

Reader::Reader() : impl_(std::make_unique<Impl>()) {}

Reader::Reader(const std::string& path, size_t max_record) : Reader() {
  impl_->path = path;
  impl_->bytes = std::make_unique<files::ByteReader>(path);
  impl_->max_record = max_record;
  impl_->buf = std::make_unique<files::ReadBuffer>(*impl_->bytes, 256 * 1024, 256 * 1024);
  impl_->scan = std::make_unique<json::Scanner>(*impl_->buf);
}

std::unique_ptr<Reader> Reader::from_string(std::string_view text, size_t max_record) {
  std::unique_ptr<Reader> r(new Reader());
  Impl& m = *r->impl_;
  m.text.assign(text);
  m.in_memory = true;
  m.path = "<text>";
  m.bytes = std::make_unique<files::ByteReader>(m.text, m.path);
  m.max_record = max_record;
  m.buf = std::make_unique<files::ReadBuffer>(*m.bytes, 256 * 1024, 256 * 1024);
  m.scan = std::make_unique<json::Scanner>(*m.buf);
  return r;
}

Reader::~Reader() = default;

Shape Reader::shape() const { return impl_->shape; }

void Reader::allow_trailing_commas(bool on) { impl_->trailing_commas = on; }

std::string Reader::read_error() const {
  if (impl_->csv) return impl_->csv->error();
  return impl_->bytes->error();
}

bool Reader::next(Record& r) {
  r = Record();
  return impl_->next(r);
}

}  // namespace sqlhunt::records
