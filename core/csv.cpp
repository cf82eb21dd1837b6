#include "core/csv.h"

#include <algorithm>
#include <cstring>

#include "core/error.h"
#include "core/file_source.h"

namespace sqlhunt::csv {
namespace {

enum State : int {
  kFieldStart,  // at the first byte of a field
  kUnquoted,    // inside an unquoted field
  kQuoted,      // inside a quoted field
  kQuoteSeen,   // a quote inside a quoted field: closing, or the first of ""
  kQuoteSeenCR, // a closing quote then '\r': a CRLF, or text after the quote
};

struct Scan {
  int state = kFieldStart;
  uint64_t newlines = 0;  // line breaks inside quoted fields so far
};

constexpr size_t kNotFound = static_cast<size_t>(-1);

// Scans b[from, to) from state `s`; returns the index of the '\n' that ends the record,
// or kNotFound when the bytes run out first (s then holds the state to resume from).
size_t scan(const char* b, size_t from, size_t to, char delim, Scan& s) {
  size_t i = from;
  while (i < to) {
    switch (s.state) {
      case kQuoted: {
        const void* q = std::memchr(b + i, '"', to - i);
        const size_t stop = q ? static_cast<size_t>(static_cast<const char*>(q) - b) : to;
        for (const char* p = b + i; (p = static_cast<const char*>(std::memchr(p, '\n', static_cast<size_t>(b + stop - p)))); ++p)
          ++s.newlines;
        if (!q) return kNotFound;
        i = stop + 1;
        s.state = kQuoteSeen;
        break;
      }
      case kQuoteSeen: {
        const char c = b[i];
        if (c == '"') {
          s.state = kQuoted;
          ++i;
        } else if (c == '\n') {
          return i;
        } else if (c == '\r') {
          s.state = kQuoteSeenCR;
          ++i;
        } else {
          s.state = c == delim ? kFieldStart : kUnquoted;
          ++i;
        }
        break;
      }
      case kQuoteSeenCR:
        if (b[i] == '\n') return i;
        s.state = kUnquoted;  // text after a closing quote: pass 2 reports it
        break;
      case kFieldStart:
        if (b[i] == '"') {
          s.state = kQuoted;
          ++i;
          break;
        }
        s.state = kUnquoted;
        [[fallthrough]];
      case kUnquoted: {
        for (; i < to; ++i) {
          const char c = b[i];
          if (c == '\n') return i;
          if (c == delim) {
            s.state = kFieldStart;
            ++i;
            break;
          }
        }
        break;
      }
    }
  }
  return kNotFound;
}

// Splits the record b[s, e) (its line break removed) into fields, unescaping quoted
// fields in place. Sets `error` for text after a closing quote and for an unterminated
// quote (which only happens at the end of the data).
void split(char* b, size_t s, size_t e, char delim, std::vector<std::string_view>& fields,
           std::string& error) {
  size_t pos = s;
  for (;;) {
    if (pos < e && b[pos] == '"') {
      size_t read = pos + 1, write = pos;
      bool closed = false;
      for (;;) {
        const void* q = std::memchr(b + read, '"', e - read);
        const size_t stop = q ? static_cast<size_t>(static_cast<const char*>(q) - b) : e;
        std::memmove(b + write, b + read, stop - read);
        write += stop - read;
        if (!q) {
          read = e;
          break;
        }
        if (stop + 1 < e && b[stop + 1] == '"') {
          b[write++] = '"';
          read = stop + 2;
          continue;
        }
        read = stop + 1;
        closed = true;
        break;
      }
      if (!closed) {
        if (error.empty())
          error = "unterminated quoted field " + std::to_string(fields.size() + 1) +
                  " (the data ends inside it)";
      } else if (read < e && b[read] != delim) {
        // Text after the closing quote: keep it (as Python's csv does) and say so.
        if (error.empty())
          error = "text after the closing quote of field " + std::to_string(fields.size() + 1);
        while (read < e && b[read] != delim) b[write++] = b[read++];
      }
      fields.emplace_back(b + pos, write - pos);
      if (read >= e) return;
      pos = read + 1;  // past the delimiter
      if (pos == e) {
        fields.emplace_back();
        return;
      }
    } else {
      const void* d = std::memchr(b + pos, delim, e - pos);
      if (!d) {
        fields.emplace_back(b + pos, e - pos);
        return;
      }
      const size_t stop = static_cast<size_t>(static_cast<const char*>(d) - b);
      fields.emplace_back(b + pos, stop - pos);
      pos = stop + 1;
      if (pos == e) {
        fields.emplace_back();
        return;
      }
    }
  }
}

}  // namespace

namespace {
Options checked(Options o) {
  if (o.max_record < 16) o.max_record = 16;
  return o;
}
}  // namespace

Reader::Reader(const std::string& path, Options options)
    : Reader(std::make_unique<files::ByteReader>(path), options) {}

Reader::Reader(std::unique_ptr<files::ByteReader> bytes, Options options)
    : opt_(checked(options)), bytes_(std::move(bytes)),
      buf_(*bytes_, std::max<size_t>(std::min(opt_.buffer_size, opt_.max_record + 2), 4096),
           std::max<size_t>(opt_.max_record + 2, 4096)) {
  init();
}

std::unique_ptr<Reader> Reader::from_string(std::string_view text, Options options) {
  return std::unique_ptr<Reader>(
      new Reader(std::make_unique<files::ByteReader>(text, "<text>"), options));
}

Reader::~Reader() = default;

int Reader::index_of(std::string_view name) const {
  for (size_t i = 0; i < header_.size(); ++i)
    if (header_[i] == name) return static_cast<int>(i);
  return -1;
}

const std::string& Reader::error() const { return error_.empty() ? bytes_->error() : error_; }

void Reader::init() {
  // A UTF-8 byte-order mark is not data.
  while (buf_.pending() < 3 && buf_.fill()) {
  }
  if (buf_.pending() >= 3 && std::memcmp(buf_.data() + buf_.begin(), "\xEF\xBB\xBF", 3) == 0)
    buf_.consume(3);
  if (opt_.header) {
    Record r;
    if (read_record(r)) {
      header_.assign(r.fields.begin(), r.fields.end());
      header_error_ = r.error;
      header_line_ = r.line;
    }
  }
}

bool Reader::read_record(Record& rec) {
  rec.fields.clear();
  rec.error.clear();
  // Blank lines are not records.
  for (;;) {
    if (buf_.pending() == 0 && !buf_.fill()) return false;
    const char c = buf_.data()[buf_.begin()];
    size_t blank = 0;
    if (c == '\n') {
      blank = 1;
    } else if (c == '\r') {
      if (buf_.pending() < 2) buf_.fill();
      if (buf_.pending() >= 2 && buf_.data()[buf_.begin() + 1] == '\n') blank = 2;
    }
    if (!blank) break;
    buf_.consume(blank);
    ++line_;
    ++blank_lines_;
  }

  rec.line = line_;
  rec.offset = buf_.offset();
  Scan s;
  size_t scanned = 0;    // bytes after begin() already scanned
  uint64_t skipped = 0;  // bytes of an overlong record dropped so far
  for (;;) {
    const size_t begin = buf_.begin(), end = buf_.end();
    const size_t nl = scan(buf_.data(), begin + scanned, end, opt_.delimiter, s);
    if (nl != kNotFound) {
      const uint64_t length = skipped + (nl - begin);
      rec.end_line = rec.line + s.newlines;
      if (skipped > 0 || nl - begin > opt_.max_record) {
        rec.error = "record longer than " + std::to_string(opt_.max_record) + " bytes (" +
                    std::to_string(length) + "): skipped";
      } else {
        size_t e = nl;
        if (e > begin && buf_.data()[e - 1] == '\r') --e;
        split(buf_.data(), begin, e, opt_.delimiter, rec.fields, rec.error);
      }
      line_ = rec.end_line + 1;
      buf_.consume(nl + 1 - begin);
      return true;
    }
    scanned = end - begin;
    if (scanned > opt_.max_record) {
      // Too long to keep: drop what is buffered and scan on for the record's end.
      skipped += scanned;
      buf_.consume(scanned);
      scanned = 0;
    }
    if (!buf_.fill()) {
      // End of data (or a read error) before the record's line break.
      const size_t b = buf_.begin(), e0 = buf_.end();
      rec.end_line = rec.line + s.newlines;
      const uint64_t length = skipped + (e0 - b);
      if (skipped > 0) {
        rec.error = "record longer than " + std::to_string(opt_.max_record) + " bytes (" +
                    std::to_string(length) + "): skipped";
      } else {
        size_t e = e0;
        if (e > b && buf_.data()[e - 1] == '\r' && s.state != kQuoted) --e;
        split(buf_.data(), b, e, opt_.delimiter, rec.fields, rec.error);
        if (s.state == kQuoted)
          rec.error = "unterminated quoted field " + std::to_string(rec.fields.size()) +
                      ": the data ends inside it";
      }
      line_ = rec.end_line + 1;
      buf_.consume(e0 - b);
      return true;
    }
  }
}

bool Reader::next(Record& rec) {
  if (!read_record(rec)) return false;
  if (opt_.header && rec.error.empty() && !header_.empty() && !rec.fields.empty() &&
      rec.fields.size() != header_.size())
    rec.error = std::to_string(rec.fields.size()) + (rec.fields.size() == 1 ? " field" : " fields") +
                ", the header has " + std::to_string(header_.size());
  return true;
}

}  // namespace sqlhunt::csv
