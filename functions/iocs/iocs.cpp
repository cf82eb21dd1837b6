#include "functions/iocs/iocs.h"

#include <algorithm>
#include <cstring>
#include <new>
#include <memory>
#include <string>
#include <vector>

#include "core/error.h"
#include "core/ip.h"
#include "core/json_text.h"
#include "core/sql_function.h"
#include "core/vtab.h"
#include "core/ioc/ioc.h"
#include "core/ioc/refang.h"

namespace sqlhunt {
namespace {

// The `types` argument, parsed once per statement when it is a constant.
ioc::TypeMask types_arg(sqlite3_context* ctx, int argc, sqlite3_value** argv, int index, const char* fn) {
  if (argc <= index || sqlite3_value_type(argv[index]) == SQLITE_NULL) return ioc::kAllTypes;
  if (auto* cached = static_cast<ioc::TypeMask*>(sqlite3_get_auxdata(ctx, index))) return *cached;
  ioc::TypeMask mask;
  try {
    mask = ioc::parse_types(sqlfn::text_arg(argv[index]));
  } catch (const std::invalid_argument& e) {
    throw Error(std::string(fn) + ": " + e.what());
  }
  sqlite3_set_auxdata(ctx, index, new ioc::TypeMask(mask),
                      [](void* p) { delete static_cast<ioc::TypeMask*>(p); });
  return mask;
}

// The result of extract_iocs(), written straight into memory that SQLite then takes
// over (no copy of a result that may be a gigabyte), and never past `limit` bytes.
class ResultBuffer {
 public:
  explicit ResultBuffer(size_t limit) : limit_(limit) {}
  ~ResultBuffer() { sqlite3_free(data_); }
  ResultBuffer(const ResultBuffer&) = delete;
  ResultBuffer& operator=(const ResultBuffer&) = delete;

  size_t size() const { return size_; }
  // False, leaving the buffer as it was, when `s` would take it past the limit, or
  // leave less than `keep` bytes under it.
  bool append(std::string_view s, size_t keep = 0) {
    if (s.size() + keep > limit_ - size_) return false;
    if (size_ + s.size() > capacity_) {
      size_t want = std::max(size_ + s.size(), capacity_ + capacity_ / 2 + 4096);
      want = std::min(want, limit_);
      auto* grown = static_cast<char*>(sqlite3_realloc64(data_, want));
      if (!grown) throw std::bad_alloc();
      data_ = grown;
      capacity_ = want;
    }
    std::memcpy(data_ + size_, s.data(), s.size());
    size_ += s.size();
    return true;
  }
  // Hands the text to SQLite as the function's result.
  void result(sqlite3_context* ctx) {
    sqlite3_result_text64(ctx, data_ ? data_ : "", size_, data_ ? sqlite3_free : SQLITE_STATIC, SQLITE_UTF8);
    data_ = nullptr;
    size_ = capacity_ = 0;
  }

 private:
  size_t limit_;
  char* data_ = nullptr;
  size_t size_ = 0, capacity_ = 0;
};

// extract_iocs(): the JSON array, a batch of matches at a time (ioc::Scanner), so the
// matches of a text full of indicators are never all held at once, and it stops as
// soon as its JSON would pass SQLite's length limit: the result could not be returned,
// and building it whole first once took 19 times the text.
void extract_iocs_fn(sqlite3_context* ctx, int argc, sqlite3_value** argv) {
  if (sqlite3_value_type(argv[0]) == SQLITE_NULL) return sqlite3_result_null(ctx);
  sqlfn::guard(ctx, [&] {
    const ioc::TypeMask mask = types_arg(ctx, argc, argv, 1, "extract_iocs");
    const std::string_view text = sqlfn::text_arg(argv[0]);
    const int limit = sqlite3_limit(sqlite3_context_db_handle(ctx), SQLITE_LIMIT_LENGTH, -1);
    ResultBuffer out(static_cast<size_t>(limit));
    auto too_long = [&](size_t at) {
      return Error("extract_iocs: the JSON would be longer than SQLite's length limit (" + std::to_string(limit) +
                   " bytes), reached at byte " + std::to_string(at) + " of " + std::to_string(text.size()) +
                   ": iocs(text) gives the same indicators as rows, without a limit");
    };
    ioc::Scanner scan(text, mask);
    std::vector<ioc::Match> batch;
    std::string chunk;  // one batch's JSON
    bool first = true;
    chunk += '[';
    while (scan.next(batch)) {
      for (const auto& m : batch) {
        if (!first) chunk += ',';
        first = false;
        chunk += "{\"type\":\"";
        chunk += ioc::type_name(m.type);
        chunk += "\",\"value\":";
        json::append_string(chunk, m.value);
        chunk += ",\"raw\":";
        json::append_string(chunk, text.substr(m.start, m.end - m.start));
        chunk += ",\"start\":";
        json::append_int(chunk, static_cast<int64_t>(m.start));
        chunk += ",\"end\":";
        json::append_int(chunk, static_cast<int64_t>(m.end));
        chunk += m.defanged ? ",\"defanged\":true}" : ",\"defanged\":false}";
      }
      if (!out.append(chunk, /*keep=*/1)) throw too_long(batch.back().end);  // 1: the closing ']'
      chunk.clear();
    }
    chunk += ']';
    if (!out.append(chunk)) throw too_long(text.size());
    out.result(ctx);
  });
}

void ioc_refang_fn(sqlite3_context* ctx, int, sqlite3_value** argv) {
  if (sqlite3_value_type(argv[0]) == SQLITE_NULL) return sqlite3_result_null(ctx);
  sqlfn::guard(ctx, [&] { sqlfn::result_text(ctx, ioc::refang(sqlfn::text_arg(argv[0]))); });
}

void ioc_type_fn(sqlite3_context* ctx, int, sqlite3_value** argv) {
  if (sqlite3_value_type(argv[0]) == SQLITE_NULL) return sqlite3_result_null(ctx);
  sqlfn::guard(ctx, [&] {
    if (auto t = ioc::whole_type(sqlfn::text_arg(argv[0])))
      sqlite3_result_text(ctx, ioc::type_name(*t), -1, SQLITE_STATIC);
    else
      sqlite3_result_null(ctx);
  });
}

void ip_class_fn(sqlite3_context* ctx, int, sqlite3_value** argv) {
  if (sqlite3_value_type(argv[0]) == SQLITE_NULL) return sqlite3_result_null(ctx);
  sqlfn::guard(ctx, [&] {
    if (auto a = ip::parse(sqlfn::text_arg(argv[0])))
      sqlite3_result_text(ctx, ip::class_name(ip::classify(*a)), -1, SQLITE_STATIC);
    else
      sqlite3_result_null(ctx);
  });
}

// ------------------------------------------------------------------------- iocs()
enum Col { kType, kValue, kStart, kEnd, kRaw, kDefanged, kText, kTypes };

constexpr vtab::Column kColumns[] = {
    {"type", "TEXT", vtab::kPlain, "ipv4, ipv6, domain, url, email, md5, sha1, sha256, sha512, "
                                   "windows_path, linux_path, cve or registry_key"},
    {"value", "TEXT", vtab::kPlain, "the indicator, refanged and normalised"},
    {"start", "INTEGER", vtab::kPlain, "0-based byte offset of its first byte in text"},
    {"end", "INTEGER", vtab::kPlain, "0-based byte offset past its last byte"},
    {"raw", "TEXT", vtab::kPlain, "the indicator as written in text"},
    {"defanged", "INTEGER", vtab::kPlain, "1 when written defanged (hxxp, [.], [at], ...)"},
    {"text", "TEXT", vtab::kHidden | vtab::kArgument | vtab::kRequired, "the text to scan"},
    {"types", "TEXT", vtab::kHidden | vtab::kArgument,
     "comma list of types to keep (default: every type)"},
};

const vtab::TableSpec kSpec = {
    "iocs",
    "one row per indicator of compromise found in a text",
    kColumns,
    vtab::count(kColumns),
    1000.0,  // one scan of one value: cheap, but never free
    10.0,
    vtab::Trust::kInnocuous,
    "reads nothing but its argument (no file, no network), in time and memory linear in it",
};

// The scan runs as the rows are read, a batch of matches at a time (ioc::Scanner): a
// text of nothing but indicators costs the cursor its copy of the text and one batch,
// not every match at once.
class IocsCursor : public vtab::Cursor {
 public:
  void filter(const vtab::FilterArgs& args) override {
    scan_.reset();  // it reads text_, which changes below
    batch_.clear();
    text_.clear();
    pos_ = 0;
    auto text = args.text(kText);
    if (!text) return;  // NULL text: no rows
    ioc::TypeMask mask = ioc::kAllTypes;
    if (auto types = args.text(kTypes)) {
      try {
        mask = ioc::parse_types(*types);
      } catch (const std::invalid_argument& e) {
        throw Error(e.what());
      }
    }
    text_ = std::move(*text);
    scan_ = std::make_unique<ioc::Scanner>(text_, mask);
    scan_->next(batch_, kBatch);
  }
  void next() override {
    if (++pos_ < batch_.size()) return;
    pos_ = 0;
    scan_->next(batch_, kBatch);  // empty at the end: eof
  }
  bool eof() const override { return pos_ >= batch_.size(); }
  void column(sqlite3_context* ctx, int col) override {
    const auto& m = batch_[pos_];
    switch (col) {
      case kType: sqlite3_result_text(ctx, ioc::type_name(m.type), -1, SQLITE_STATIC); break;
      case kValue: sqlfn::result_text(ctx, m.value); break;
      case kStart: sqlite3_result_int64(ctx, static_cast<sqlite3_int64>(m.start)); break;
      case kEnd: sqlite3_result_int64(ctx, static_cast<sqlite3_int64>(m.end)); break;
      case kRaw: sqlfn::result_text(ctx, std::string_view(text_).substr(m.start, m.end - m.start)); break;
      case kDefanged: sqlite3_result_int(ctx, m.defanged ? 1 : 0); break;
      default: sqlite3_result_null(ctx);
    }
  }

 private:
  static constexpr size_t kBatch = 256;
  std::string text_;
  std::unique_ptr<ioc::Scanner> scan_;
  std::vector<ioc::Match> batch_;
  size_t pos_ = 0;  // in batch_ (the base numbers the rows)
};

}  // namespace

int register_iocs(sqlite3* db) {
  struct Fn {
    const char* name;
    int args;
    void (*fn)(sqlite3_context*, int, sqlite3_value**);
  };
  const Fn fns[] = {
      {"extract_iocs", 1, extract_iocs_fn}, {"extract_iocs", 2, extract_iocs_fn},
      {"ioc_refang", 1, ioc_refang_fn},     {"ioc_type", 1, ioc_type_fn},
      {"ip_class", 1, ip_class_fn},
  };
  for (const auto& f : fns) {
    const int rc = sqlite3_create_function(db, f.name, f.args, sqlfn::kPure, nullptr, f.fn, nullptr, nullptr);
    if (rc != SQLITE_OK) return rc;
  }
  return vtab::register_table(db, kSpec, vtab::cursor_table<IocsCursor>);
}

}  // namespace sqlhunt
