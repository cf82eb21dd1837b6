// vtabs/kql/kql_types.h — Kusto's column types, and a result value as SQLite stores it
// (pure; no SQLite).
//
// A column's type comes from the answer: Log Analytics writes Kusto's names
// ("datetime", "long", ...), ADX v2 `ColumnType` too, ADX v1 both `ColumnType` and a
// .NET `DataType` ("DateTime", "Int64", "SByte" for bool...). Each maps to the type
// the typed table declares and how a value is stored:
//
//   datetime                 TEXT    sqlhunt's time text (2019-02-18T15:29:22.301Z),
//                                    cut to the millisecond (kql_text.h)
//   long, int                INTEGER
//   real                     REAL    NaN is NULL (SQLite has none), ±inf kept
//   bool                     INTEGER 1/0
//   dynamic                  TEXT    valid JSON: an object, array or value as JSON; the
//                                    JSON text Log Analytics sends as a string (its
//                                    dynamic values arrive JSON-encoded) is decoded once
//   string, guid, timespan,  TEXT    as sent (a decimal or timespan sent as a number
//   decimal                          becomes its text)
//
// A value of the wrong JSON kind for its column (a string in a long column that is no
// number) is kept as TEXT rather than lost: SQLite's columns hold any type.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include <simdjson.h>

namespace sqlhunt::kql {

enum class Type { kString, kDatetime, kLong, kInt, kReal, kBool, kDynamic, kGuid, kTimespan, kDecimal, kUnknown };

// From any of the names above (case-insensitive); kUnknown for a name not known.
Type parse_type(std::string_view name);
const char* type_name(Type t);  // Kusto's name ("datetime"); "unknown"
// The declared SQLite type: "TEXT", "INTEGER" or "REAL" ("" for kUnknown: any).
const char* sqlite_type(Type t);

struct Value {
  enum Kind { kNull, kInteger, kReal, kText } kind = kNull;
  int64_t i = 0;
  double d = 0;
  std::string text;       // kText: valid UTF-8
  bool json_text = false; // kText holding JSON (a dynamic value)
  std::optional<int64_t> ticks;  // a datetime that was read
};

// `v` as its column's type stores it (see above).
void convert(simdjson::dom::element v, Type t, Value& out);

// Appends `v` as JSON the way the `row` object of kql() shows it: the same conversion
// (datetimes in sqlhunt's form, dynamic JSON decoded, NaN as null), JSON kinds kept.
void append_json(std::string& out, simdjson::dom::element v, Type t);

}  // namespace sqlhunt::kql
