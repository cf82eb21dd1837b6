#include "extension/build_info.h"

#include <boost/version.hpp>
#include <maxminddb.h>
#include <libpsl.h>
#include <nlohmann/json.hpp>
#include <simdjson.h>
#include <zlib.h>
#ifdef SQLHUNT_NETWORK
#include <ares_version.h>
#include <curl/curlver.h>
#endif

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
  return rc;
}

}  // namespace sqlhunt
