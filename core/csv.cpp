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

Reader::Reader(const std::string& path, Options options)
    : opt_(options), bytes_(std::make_unique<files::ByteReader>(path)) {
  init();
}

Reader::Reader(std::string_view text, Options options) : opt_(options), memory_(text) { init(); }

std::unique_ptr<Reader> Reader::from_string(std::string_view text, Options options) {
  return std::unique_ptr<Reader>(new Reader(text, options));
}

Reader::~Reader() = default;

int Reader::index_of(std::string_view name) const {
  for (size_t i = 0; i < header_.size(); ++i)
    if (header_[i] == name) return static_cast<int>(i);
  return -1;
}

const std::string& Reader::error() const { return bytes_ && error_.empty() ? bytes_->error() : error_; }

void Reader::init() {
  if (opt_.max_record < 16) opt_.max_record = 16;
  buf_.resize(std::max<size_t>(std::min(opt_.buffer_size, opt_.max_record + 2), 4096));
  // A UTF-8 byte-order mark is not data.
  while (end_ < 3 && fill()) {
  }
  if (end_ >= 3 && std::memcmp(buf_.data(), "\xEF\xBB\xBF", 3) == 0) {
    begin_ = 3;
    offset_ = 3;
  }
  if (opt_.header) {
    Record r;
    if (read_record(r)) {
      header_.assign(r.fields.begin(), r.fields.end());
      header_error_ = r.error;
      header_line_ = r.line;
    }
  }
}

// Moves the unread tail to the front and reads more; grows the buffer (up to the record
// limit) when one record fills it. False when nothing more can be read or it is full.
bool Reader::fill() {
  if (eof_) return false;
  if (begin_ > 0) {
    std::memmove(buf_.data(), buf_.data() + begin_, end_ - begin_);
    end_ -= begin_;
    begin_ = 0;
  }
  if (end_ == buf_.size()) {
    const size_t limit = opt_.max_record + 2;
    if (buf_.size() >= limit) return false;
    buf_.resize(std::min(buf_.size() * 2, limit));
  }
  size_t got = 0;
  if (bytes_) {
    got = bytes_->read(buf_.data() + end_, buf_.size() - end_);
  } else {
    got = std::min(memory_.size(), buf_.size() - end_);
    std::memcpy(buf_.data() + end_, memory_.data(), got);
    memory_.remove_prefix(got);
  }
  if (got == 0) {
    eof_ = true;
    return false;
  }
  end_ += got;
  return true;
}

bool Reader::read_record(Record& rec) {
  rec.fields.clear();
  rec.error.clear();
  // Blank lines are not records.
  for (;;) {
    if (begin_ == end_ && !fill()) return false;
    const char c = buf_[begin_];
    size_t blank = 0;
    if (c == '\n') {
      blank = 1;
    } else if (c == '\r') {
      if (end_ - begin_ < 2) fill();
      if (end_ - begin_ >= 2 && buf_[begin_ + 1] == '\n') blank = 2;
    }
    if (!blank) break;
    begin_ += blank;
    offset_ += blank;
    ++line_;
    ++blank_lines_;
  }

  rec.line = line_;
  rec.offset = offset_;
  Scan s;
  size_t scanned = 0;  // bytes after begin_ already scanned
  uint64_t skipped = 0;  // bytes of an overlong record dropped so far
  for (;;) {
    const size_t nl = scan(buf_.data(), begin_ + scanned, end_, opt_.delimiter, s);
    if (nl != kNotFound) {
      const uint64_t length = skipped + (nl - begin_);
      rec.end_line = rec.line + s.newlines;
      if (skipped > 0 || nl - begin_ > opt_.max_record) {
        rec.error = "record longer than " + std::to_string(opt_.max_record) + " bytes (" +
                    std::to_string(length) + "): skipped";
      } else {
        size_t e = nl;
        if (e > begin_ && buf_[e - 1] == '\r') --e;
        split(buf_.data(), begin_, e, opt_.delimiter, rec.fields, rec.error);
      }
      offset_ += length + 1;
      line_ = rec.end_line + 1;
      begin_ = nl + 1;
      return true;
    }
    scanned = end_ - begin_;
    if (scanned > opt_.max_record) {
      // Too long to keep: drop what is buffered and scan on for the record's end.
      skipped += scanned;
      begin_ = end_;
      scanned = 0;
    }
    if (!fill()) {
      // End of data (or a read error) before the record's line break.
      rec.end_line = rec.line + s.newlines;
      const uint64_t length = skipped + (end_ - begin_);
      if (skipped > 0) {
        rec.error = "record longer than " + std::to_string(opt_.max_record) + " bytes (" +
                    std::to_string(length) + "): skipped";
      } else {
        size_t e = end_;
        if (e > begin_ && buf_[e - 1] == '\r' && s.state != kQuoted) --e;
        split(buf_.data(), begin_, e, opt_.delimiter, rec.fields, rec.error);
        if (s.state == kQuoted)
          rec.error = "unterminated quoted field " + std::to_string(rec.fields.size()) +
                      ": the data ends inside it";
      }
      offset_ += end_ - begin_;
      line_ = rec.end_line + 1;
      begin_ = end_;
      eof_ = true;
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
