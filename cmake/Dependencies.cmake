# Every dependency comes from a Debian package. A missing one stops the configure step
# with the name of the package to install (scripts/setup installs them all).

find_package(PkgConfig REQUIRED)

# sqlhunt_require(<found-var> <what> <debian-package>)
function(sqlhunt_require found what package)
  if(NOT ${found})
    message(FATAL_ERROR "sqlhunt needs ${what}: install the Debian package '${package}' "
                        "(apt-get install ${package}, or run scripts/setup)")
  endif()
endfunction()

find_package(SQLite3 QUIET)
sqlhunt_require(SQLite3_FOUND "SQLite 3 headers" libsqlite3-dev)

find_package(ZLIB QUIET)
sqlhunt_require(ZLIB_FOUND "zlib" zlib1g-dev)

find_package(Boost 1.71 QUIET COMPONENTS regex)
sqlhunt_require(Boost_FOUND "Boost.Regex" libboost-regex-dev)

find_package(nlohmann_json 3.9 QUIET)
sqlhunt_require(nlohmann_json_FOUND "nlohmann/json" nlohmann-json3-dev)

find_package(date QUIET)
sqlhunt_require(date_FOUND "Howard Hinnant's date" libhowardhinnant-date-dev)

find_package(Threads REQUIRED)

pkg_check_modules(MAXMINDDB QUIET IMPORTED_TARGET libmaxminddb)
sqlhunt_require(MAXMINDDB_FOUND "libmaxminddb" libmaxminddb-dev)

pkg_check_modules(PSL QUIET IMPORTED_TARGET libpsl)
sqlhunt_require(PSL_FOUND "libpsl" libpsl-dev)

find_package(simdjson QUIET)
sqlhunt_require(simdjson_FOUND "simdjson" libsimdjson-dev)

if(SQLHUNT_NETWORK)
  find_package(CURL QUIET)
  sqlhunt_require(CURL_FOUND "libcurl" libcurl4-openssl-dev)
  pkg_check_modules(CARES QUIET IMPORTED_TARGET libcares)
  sqlhunt_require(CARES_FOUND "c-ares" libc-ares-dev)
endif()

if(SQLHUNT_TESTS)
  find_package(GTest QUIET)
  sqlhunt_require(GTest_FOUND "GoogleTest" libgtest-dev)
endif()
if(SQLHUNT_BENCH)
  find_package(benchmark QUIET)
  sqlhunt_require(benchmark_FOUND "Google Benchmark" libbenchmark-dev)
endif()
