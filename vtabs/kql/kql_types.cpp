#include "vtabs/kql/kql_types.h"

#include <charconv>
#include <cmath>
#include <cstdlib>

#include "core/json_text.h"
#include "core/text.h"
#include "core/time.h"
#include "vtabs/kql/kql_text.h"

namespace sqlhunt::kql {
namespace {

struct Name {
  std::string_view name;
  Type type;
};
// Kusto names, their aliases, and ADX v1's .NET DataType names.
constexpr Name kNames[] = {
    {"string", Type::kString},     {"datetime", Type::kDatetime}, {"date", Type::kDatetime},
    {"long", Type::kLong},         {"int64", Type::kLong},        {"int", Type::kInt},
    {"int32", Type::kInt},         {"real", Type::kReal},         {"double", Type::kReal},
    {"bool", Type::kBool},         {"boolean", Type::kBool},      {"sbyte", Type::kBool},
    {"dynamic", Type::kDynamic},   {"object", Type::kDynamic},    {"guid", Type::kGuid},
    {"uniqueid", Type::kGuid},     {"timespan", Type::kTimespan}, {"time", Type::kTimespan},
    {"decimal", Type::kDecimal},   {"sqldecimal", Type::kDecimal},
    {"system.string", Type::kString}, {"system.datetime", Type::kDatetime},
    {"system.int64", Type::kLong}, {"system.int32", Type::kInt},  {"system.double", Type::kReal},
    {"system.boolean", Type::kBool}, {"system.sbyte", Type::kBool}, {"system.object", Type::kDynamic},
    {"system.guid", Type::kGuid},  {"system.timespan", Type::kTimespan},
    {"system.data.sqltypes.sqldecimal", Type::kDecimal},
};

// The string of a STRING element (the caller checked its type).
std::string_view string_of(simdjson::dom::element v) {
  std::string_view s;
  if (v.get_string().get(s) != simdjson::SUCCESS) return std::string_view();
  return s;
}

void number_text(simdjson::dom::element v, std::string& out) {
  out = simdjson::minify(v);
}

// Text of a datetime value: sqlhunt's form when it reads as one, else as sent.
void datetime_value(std::string_view s, Value& out) {
  if (auto t = parse_ticks(s)) {
    char buf[timefmt::kIsoLength];
    timefmt::format_iso_ms(floor_ms(*t), buf);
    out.kind = Value::kText;
    out.text.assign(buf, timefmt::kIsoLength);
    out.ticks = t;
    return;
  }
  out.kind = Value::kText;
  out.text.clear();
  json::append_valid_utf8(out.text, s);
}

// A string that holds JSON text (Log Analytics' dynamic values): the JSON, compact;
// nullopt when it is no JSON object or array (then it is a string value).
std::optional<std::string> embedded_json(std::string_view s) {
  const std::string_view t = text::trim(s);
  if (t.empty() || (t.front() != '{' && t.front() != '[')) return std::nullopt;
  thread_local simdjson::dom::parser parser;
  simdjson::dom::element e;
  if (parser.parse(t.data(), t.size()).get(e)) return std::nullopt;
  return simdjson::minify(e);
}

bool parse_int(std::string_view s, int64_t& v) {
  s = text::trim(s);
  const auto r = std::from_chars(s.data(), s.data() + s.size(), v);
  return r.ec == std::errc() && r.ptr == s.data() + s.size();
}

bool parse_real(std::string_view s, double& d) {
  s = text::trim(s);
  if (s == "NaN") return d = std::nan(""), true;
  if (s == "Infinity" || s == "+Infinity") return d = HUGE_VAL, true;
  if (s == "-Infinity") return d = -HUGE_VAL, true;
  if (s.empty()) return false;
  std::string z(s);
  char* end = nullptr;
  d = std::strtod(z.c_str(), &end);
  return end == z.c_str() + z.size();
}

void set_text(Value& out, std::string_view s) {
  out.kind = Value::kText;
  out.text.clear();
  json::append_valid_utf8(out.text, s);
}

}  // namespace

Type parse_type(std::string_view name) {
  const std::string lower = text::ascii_lower(text::trim(name));
  for (const auto& n : kNames)
    if (lower == n.name) return n.type;
  return Type::kUnknown;
}

const char* type_name(Type t) {
  switch (t) {
    case Type::kString: return "string";
    case Type::kDatetime: return "datetime";
    case Type::kLong: return "long";
    case Type::kInt: return "int";
    case Type::kReal: return "real";
    case Type::kBool: return "bool";
    case Type::kDynamic: return "dynamic";
    case Type::kGuid: return "guid";
    case Type::kTimespan: return "timespan";
    case Type::kDecimal: return "decimal";
    case Type::kUnknown: break;
  }
  return "unknown";
}

const char* sqlite_type(Type t) {
  switch (t) {
    case Type::kLong:
    case Type::kInt:
    case Type::kBool: return "INTEGER";
    case Type::kReal: return "REAL";
    case Type::kUnknown: return "";
    default: return "TEXT";
  }
}

void convert(simdjson::dom::element v, Type t, Value& out) {
  out.kind = Value::kNull;
  out.json_text = false;
  out.ticks.reset();
  using ET = simdjson::dom::element_type;
  const ET et = v.type();
  if (et == ET::NULL_VALUE) return;
  std::string_view s;
  switch (t) {
    case Type::kDatetime:
      if (et == ET::STRING) {
        s = string_of(v);
        return datetime_value(s, out);
      }
      break;
    case Type::kLong:
    case Type::kInt:
    case Type::kBool:
      if (et == ET::INT64) {
        out.kind = Value::kInteger;
        out.i = v.get_int64().value_unsafe();
        return;
      }
      if (et == ET::BOOL) {
        out.kind = Value::kInteger;
        out.i = v.get_bool().value_unsafe() ? 1 : 0;
        return;
      }
      if (et == ET::DOUBLE) {
        const double d = v.get_double().value_unsafe();
        if (d == std::floor(d) && std::fabs(d) < 9.2e18) {
          out.kind = Value::kInteger;
          out.i = static_cast<int64_t>(d);
        } else {
          out.kind = Value::kReal;
          out.d = d;
        }
        return;
      }
      if (et == ET::STRING) {
        s = string_of(v);
        if (t == Type::kBool && (text::iequals(s, "true") || text::iequals(s, "false"))) {
          out.kind = Value::kInteger;
          out.i = text::iequals(s, "true") ? 1 : 0;
          return;
        }
        int64_t i;
        if (parse_int(s, i)) {
          out.kind = Value::kInteger;
          out.i = i;
          return;
        }
        return set_text(out, s);
      }
      break;
    case Type::kReal:
      if (et == ET::INT64 || et == ET::UINT64 || et == ET::DOUBLE) {
        const double d = et == ET::DOUBLE ? v.get_double().value_unsafe()
                         : et == ET::INT64 ? static_cast<double>(v.get_int64().value_unsafe())
                                           : static_cast<double>(v.get_uint64().value_unsafe());
        out.kind = Value::kReal;
        out.d = d;
        return;
      }
      if (et == ET::STRING) {
        s = string_of(v);
        double d;
        if (parse_real(s, d)) {
          if (std::isnan(d)) return;  // NULL: SQLite has no NaN
          out.kind = Value::kReal;
          out.d = d;
          return;
        }
        return set_text(out, s);
      }
      break;
    case Type::kDynamic:
      out.kind = Value::kText;
      out.json_text = true;
      if (et == ET::STRING) {
        s = string_of(v);
        if (auto j = embedded_json(s)) {
          out.text = std::move(*j);
          return;
        }
        out.text.clear();
        json::append_string(out.text, s);
        return;
      }
      out.text = simdjson::minify(v);
      return;
    default:
      break;
  }
  // Text columns, and a value of another JSON kind than its column's.
  if (et == ET::STRING) {
    s = string_of(v);
    return set_text(out, s);
  }
  if (et == ET::INT64 && t != Type::kDecimal && t != Type::kTimespan && t != Type::kString && t != Type::kGuid) {
    out.kind = Value::kInteger;
    out.i = v.get_int64().value_unsafe();
    return;
  }
  if (et == ET::BOOL && t == Type::kUnknown) {
    out.kind = Value::kInteger;
    out.i = v.get_bool().value_unsafe() ? 1 : 0;
    return;
  }
  if (et == ET::DOUBLE && t == Type::kUnknown) {
    out.kind = Value::kReal;
    out.d = v.get_double().value_unsafe();
    return;
  }
  out.kind = Value::kText;
  number_text(v, out.text);
  out.json_text = et == ET::OBJECT || et == ET::ARRAY;
}

void append_json(std::string& out, simdjson::dom::element v, Type t) {
  using ET = simdjson::dom::element_type;
  // The hot path of kql(): one call a value of every row, so scalars are written here
  // without a temporary string each.
  switch (v.type()) {
    case ET::NULL_VALUE: out += "null"; return;
    case ET::BOOL: out += v.get_bool().value_unsafe() ? "true" : "false"; return;
    case ET::INT64: json::append_int(out, v.get_int64().value_unsafe()); return;
    case ET::UINT64:
    case ET::DOUBLE: {
      char buf[32];
      const auto r = v.type() == ET::UINT64
                         ? std::to_chars(buf, buf + sizeof buf, v.get_uint64().value_unsafe())
                         : std::to_chars(buf, buf + sizeof buf, v.get_double().value_unsafe());
      out.append(buf, r.ptr);
      // A double keeps looking like one (1.0, not 1), so json_extract gives a REAL.
      if (v.type() == ET::DOUBLE && std::string_view(buf, static_cast<size_t>(r.ptr - buf)).find_first_of(".e") == std::string_view::npos)
        out += ".0";
      return;
    }
    case ET::STRING: break;
    default: out += simdjson::minify(v); return;  // an object or array (dynamic)
  }
  const std::string_view s = string_of(v);
  if (t == Type::kDatetime) {
    if (auto ticks = parse_ticks(s)) {
      char buf[timefmt::kIsoLength];
      timefmt::format_iso_ms(floor_ms(*ticks), buf);
      out += '"';
      out.append(buf, timefmt::kIsoLength);
      out += '"';
      return;
    }
  } else if (t == Type::kDynamic || t == Type::kReal) {
    Value val;
    convert(v, t, val);
    if (val.kind == Value::kNull) out += "null";
    else if (val.kind == Value::kReal) json::append_string(out, s);  // "Infinity" stays a string
    else if (val.json_text) out += val.text;
    else json::append_string(out, val.text);
    return;
  }
  json::append_string(out, s);  // escapes and repairs UTF-8
}

}  // namespace sqlhunt::kql
