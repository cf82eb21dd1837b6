#include "functions/iocs/iocs.h"

#include <charconv>
#include <memory>
#include <string>
#include <vector>

#include "core/error.h"
#include "core/ip.h"
#include "core/sql_function.h"
#include "core/vtab.h"
#include "core/ioc/ioc.h"
#include "core/ioc/refang.h"

namespace sqlhunt {
namespace {

// JSON string body: escapes quotes, backslashes and control bytes; invalid UTF-8 bytes
// become U+FFFD, so the output is always valid JSON whatever the input bytes.
void json_string(std::string& out, std::string_view s) {
  static const char* hex = "0123456789abcdef";
  out += '"';
  const auto* p = reinterpret_cast<const unsigned char*>(s.data());
  const size_t n = s.size();
  size_t i = 0;
  while (i < n) {
    const unsigned char c = p[i];
    if (c >= 0x20 && c < 0x80 && c != '"' && c != '\\') {
      size_t j = i + 1;
      while (j < n && p[j] >= 0x20 && p[j] < 0x80 && p[j] != '"' && p[j] != '\\') ++j;
      out.append(s.data() + i, j - i);
      i = j;
      continue;
    }
    if (c == '"' || c == '\\') {
      out += '\\';
      out += static_cast<char>(c);
      ++i;
      continue;
    }
    if (c < 0x20) {
      switch (c) {
        case '\n': out += "\\n"; break;
        case '\r': out += "\\r"; break;
        case '\t': out += "\\t"; break;
        default:
          out += "\\u00";
          out += hex[c >> 4];
          out += hex[c & 15];
      }
      ++i;
      continue;
    }
    // UTF-8 sequence: copy when valid, else U+FFFD for the one bad byte.
    size_t len = 0;
    uint32_t cp = 0;
    if (c >= 0xC2 && c <= 0xDF) len = 2, cp = c & 0x1F;
    else if (c >= 0xE0 && c <= 0xEF) len = 3, cp = c & 0x0F;
    else if (c >= 0xF0 && c <= 0xF4) len = 4, cp = c & 0x07;
    bool ok = len && i + len <= n;
    for (size_t k = 1; ok && k < len; ++k) {
      ok = (p[i + k] & 0xC0) == 0x80;
      cp = (cp << 6) | (p[i + k] & 0x3F);
    }
    if (ok) ok = !((len == 3 && cp < 0x800) || (len == 4 && (cp < 0x10000 || cp > 0x10FFFF)) ||
                   (cp >= 0xD800 && cp <= 0xDFFF));
    if (ok) {
      out.append(s.data() + i, len);
      i += len;
    } else {
      out += "\xEF\xBF\xBD";
      ++i;
    }
  }
  out += '"';
}

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

void extract_iocs_fn(sqlite3_context* ctx, int argc, sqlite3_value** argv) {
  if (sqlite3_value_type(argv[0]) == SQLITE_NULL) return sqlite3_result_null(ctx);
  sqlfn::guard(ctx, [&] {
    const ioc::TypeMask mask = types_arg(ctx, argc, argv, 1, "extract_iocs");
    const std::string_view text = sqlfn::text_arg(argv[0]);
    // Reused from row to row: no allocation per call once they have grown.
    thread_local std::vector<ioc::Match> found;
    thread_local std::string json;
    found.clear();
    json.clear();
    ioc::extract(text, found, mask);
    json.reserve(2 + found.size() * 96);
    auto number = [](std::string& out, size_t v) {
      char buf[24];
      const auto r = std::to_chars(buf, buf + sizeof buf, v);
      out.append(buf, static_cast<size_t>(r.ptr - buf));
    };
    json += '[';
    for (size_t k = 0; k < found.size(); ++k) {
      const auto& m = found[k];
      if (k) json += ',';
      json += "{\"type\":\"";
      json += ioc::type_name(m.type);
      json += "\",\"value\":";
      json_string(json, m.value);
      json += ",\"raw\":";
      json_string(json, text.substr(m.start, m.end - m.start));
      json += ",\"start\":";
      number(json, m.start);
      json += ",\"end\":";
      number(json, m.end);
      json += m.defanged ? ",\"defanged\":true}" : ",\"defanged\":false}";
    }
    json += ']';
    sqlite3_result_text64(ctx, json.data(), json.size(), SQLITE_TRANSIENT, SQLITE_UTF8);
    // A 50 MB text's buffers are not kept for the rest of the session.
    if (json.capacity() > (1u << 20)) std::string().swap(json);
    if (found.capacity() > 4096) std::vector<ioc::Match>().swap(found);
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
    false,   // reads nothing but its argument: no file, no network
};

class IocsCursor : public vtab::Cursor {
 public:
  void filter(const vtab::FilterArgs& args) override {
    found_.clear();
    text_.clear();
    pos_ = 0;
    auto text = args.text(kText);
    if (!text) return;  // NULL text: no rows
    ioc::TypeMask mask = ioc::kAllTypes;
    if (auto types = args.text(kTypes)) {
      try {
        mask = ioc::parse_types(*types);
      } catch (const std::invalid_argument& e) {
        throw Error(std::string("iocs: ") + e.what());
      }
    }
    text_ = std::move(*text);
    ioc::extract(text_, found_, mask);
  }
  void next() override { ++pos_; }
  bool eof() const override { return pos_ >= found_.size(); }
  void column(sqlite3_context* ctx, int col) override {
    const auto& m = found_[pos_];
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
  sqlite3_int64 rowid() const override { return static_cast<sqlite3_int64>(pos_); }

 private:
  std::string text_;
  std::vector<ioc::Match> found_;
  size_t pos_ = 0;
};

class IocsTable : public vtab::Table {
 public:
  IocsTable(sqlite3* db, const vtab::TableSpec& spec, Params params)
      : Table(db, spec, std::move(params)) {
    // Called from xConnect: safe from views and triggers of any schema (see iocs.h).
    sqlite3_vtab_config(db, SQLITE_VTAB_INNOCUOUS);
  }
  std::unique_ptr<vtab::Cursor> open() override { return std::make_unique<IocsCursor>(); }
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
  return vtab::register_table(db, kSpec, vtab::make_table<IocsTable>);
}

}  // namespace sqlhunt
