#include "extension/build_info.h"

#include <boost/version.hpp>
#include <maxminddb.h>
#include <libpsl.h>
#include <nlohmann/json.hpp>
#include <simdjson.h>
#include <zlib.h>

#include <stdexcept>
#ifdef SQLHUNT_NETWORK
#include <ares_version.h>
#include <curl/curlver.h>
#endif

#include "core/io_stats.h"
#include "core/sql_function.h"
#include "extension/build_stamp.h"  // generated: SQLHUNT_GIT_COMMIT

namespace sqlhunt {
namespace {

#define SQLHUNT_STRINGIFY2(x) #x
#define SQLHUNT_STRINGIFY(x) SQLHUNT_STRINGIFY2(x)

std::string compiler() {
#if defined(__clang__)
  return std::string("clang ") + __clang_version__;
#elif defined(__GNUC__)
  return "gcc " + std::to_string(__GNUC__) + "." + std::to_string(__GNUC_MINOR__) + "." +
         std::to_string(__GNUC_PATCHLEVEL__);
#else
  return "unknown";
#endif
}

std::string debug_json() {
  using nlohmann::json;
  json libs = {
      {"sqlite_compiled", SQLITE_VERSION},
      {"sqlite_runtime", sqlite3_libversion()},
      {"boost", BOOST_LIB_VERSION},
      {"nlohmann_json", std::to_string(NLOHMANN_JSON_VERSION_MAJOR) + "." +
                            std::to_string(NLOHMANN_JSON_VERSION_MINOR) + "." +
                            std::to_string(NLOHMANN_JSON_VERSION_PATCH)},
      {"simdjson", SQLHUNT_STRINGIFY(SIMDJSON_VERSION)},
      {"zlib", zlibVersion()},
      {"libmaxminddb", MMDB_lib_version()},
      {"libpsl", psl_get_version()},
  };
#ifdef SQLHUNT_NETWORK
  libs["libcurl"] = LIBCURL_VERSION;
  libs["c-ares"] = ARES_VERSION_STR;
#endif
  json options = {
#ifdef SQLHUNT_NETWORK
      {"network", true},
#else
      {"network", false},
#endif
#if defined(__SANITIZE_ADDRESS__)
      {"sanitizers", true},
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
      {"sanitizers", true},
#else
      {"sanitizers", false},
#endif
#else
      {"sanitizers", false},
#endif
  };
  json info = {
      {"version", SQLHUNT_VERSION},
      {"commit", SQLHUNT_GIT_COMMIT},
      {"build_type", SQLHUNT_BUILD_TYPE},
      {"compiler", compiler()},
      {"libraries", libs},
      {"options", options},
  };
  return info.dump();
}

// What the file readers read (core/io_stats.h), as JSON:
//   {"bytes_read": N, "reads": N, "seeks": N, "opens": N,
//    "files": [{"path", "size", "bytes_read", "reads", "seeks", "opens"}, ...]}
std::string io_json() {
  using nlohmann::json;
  json files = json::array();
  uint64_t bytes = 0, reads = 0, seeks = 0, opens = 0;
  for (const auto& f : files::io::snapshot()) {
    files.push_back({{"path", f.path}, {"size", f.size}, {"bytes_read", f.bytes_read},
                     {"reads", f.reads}, {"seeks", f.seeks}, {"opens", f.opens}});
    bytes += f.bytes_read;
    reads += f.reads;
    seeks += f.seeks;
    opens += f.opens;
  }
  json out = {{"bytes_read", bytes}, {"reads", reads}, {"seeks", seeks}, {"opens", opens}, {"files", files}};
  // A path that is not UTF-8 is shown with U+FFFD rather than failing the call.
  return out.dump(-1, ' ', false, json::error_handler_t::replace);
}

void debug_what_fn(sqlite3_context* ctx, int, sqlite3_value** argv) {
  sqlfn::guard(ctx, [&] {
    const std::string_view what = sqlfn::text_arg(argv[0]);
    if (what == "io" || what == "io_reset") {
      sqlfn::result_text(ctx, io_json());
      if (what == "io_reset") files::io::reset();
    } else if (sqlite3_value_type(argv[0]) == SQLITE_NULL) {
      return sqlite3_result_null(ctx);
    } else {
      throw std::runtime_error("sqlhunt_debug: unknown topic (use 'io' or 'io_reset', or no argument)");
    }
    sqlite3_result_subtype(ctx, 'J');
  });
}

void version_fn(sqlite3_context* ctx, int, sqlite3_value**) { sqlfn::result_text(ctx, SQLHUNT_VERSION); }

void debug_fn(sqlite3_context* ctx, int, sqlite3_value**) {
  sqlfn::guard(ctx, [&] {
    sqlfn::result_text(ctx, debug_json());
    sqlite3_result_subtype(ctx, 'J');  // JSON, for json_* functions that look at subtypes
  });
}

}  // namespace

int register_build_info(sqlite3* db) {
  int rc = sqlite3_create_function(db, "sqlhunt_version", 0, sqlfn::kPure, nullptr, version_fn, nullptr, nullptr);
  if (rc == SQLITE_OK)
    rc = sqlite3_create_function(db, "sqlhunt_debug", 0, sqlfn::kPure,
                                 nullptr, debug_fn, nullptr, nullptr);
  // With a topic it reports state that changes as queries run (not deterministic), and
  // names files this process read: top-level SQL only.
  if (rc == SQLITE_OK)
    rc = sqlite3_create_function(db, "sqlhunt_debug", 1, sqlfn::kDirectOnly,
                                 nullptr, debug_what_fn, nullptr, nullptr);
  return rc;
}

}  // namespace sqlhunt
