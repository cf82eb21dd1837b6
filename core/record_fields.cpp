#include "core/record_fields.h"

#include <cmath>
#include <cstdlib>

#include "core/error.h"
#include "core/text.h"
#include "core/time.h"

namespace sqlhunt::records {

using simdjson::dom::element;

std::string FieldPicker::key_of(std::string_view name, unsigned options) {
  // "TimeGenerated [UTC]" -> "TimeGenerated"
  if (!name.empty() && name.back() == ']') {
    const size_t open = name.rfind(" [");
    if (open != std::string_view::npos) name = name.substr(0, open);
  }
  if ((options & kCustomLogSuffix) && name.size() > 2 && name[name.size() - 2] == '_') {
    switch (text::ascii_lower(name.back())) {
      case 's': case 'd': case 't': case 'b': case 'g': name.remove_suffix(2); break;
      default: break;
    }
  }
  return text::ascii_lower(name);
}

FieldPicker::FieldPicker(std::initializer_list<std::initializer_list<const char*>> slots, unsigned options)
    : options_(options), values_(slots.size()), ranks_(slots.size()) {
  int slot = 0;
  for (const auto& names : slots) {
    int rank = 0;
    for (const char* n : names) names_.emplace(key_of(n, options), std::make_pair(slot, rank++));
    ++slot;
  }
}

void FieldPicker::pick(element record) {
  for (auto& v : values_) v.reset();
  matched_ = 0;
  if (!record.is_object()) return;
  size_t i = 0;
  for (auto field : simdjson::dom::object(record)) {
    if (i == last_.size()) last_.emplace_back();
    Known& k = last_[i++];
    if (k.name != field.key) {
      k.name.assign(field.key.data(), field.key.size());
      auto it = names_.find(key_of(field.key, options_));
      k.slot = it == names_.end() ? -1 : it->second.first;
      k.rank = it == names_.end() ? 0 : it->second.second;
    }
    if (k.slot < 0) continue;
    const element v = field.value;
    if (v.is_null() || (v.is_string() && v.get_string().value_unsafe().empty())) continue;
    const auto s = static_cast<size_t>(k.slot);
    if (!values_[s] || k.rank < ranks_[s]) {
      if (!values_[s]) ++matched_;
      values_[s] = v;
      ranks_[s] = k.rank;
    }
  }
}

Value member(const Value& v, std::string_view key) {
  if (!v || !v->is_object()) return std::nullopt;
  const simdjson::dom::object o(*v);
  element found;
  if (o.at_key(key).get(found) == simdjson::SUCCESS) return found;
  for (auto f : o)
    if (text::iequals(f.key, key)) return f.value;
  return std::nullopt;
}

std::optional<std::string_view> string_view_of(const Value& v) {
  if (!v || !v->is_string()) return std::nullopt;
  const std::string_view s = v->get_string().value_unsafe();
  if (s.empty()) return std::nullopt;
  return s;
}

std::optional<std::string> text(const Value& v) {
  if (!v || v->is_null()) return std::nullopt;
  if (v->is_string()) {
    const std::string_view s = v->get_string().value_unsafe();
    if (s.empty()) return std::nullopt;
    return std::string(s);
  }
  return simdjson::minify(*v);
}

std::optional<double> parse_decimal(std::string_view s) {
  s = text::trim(s);
  size_t i = !s.empty() && (s[0] == '-' || s[0] == '+') ? 1 : 0;
  const size_t digits_from = i;
  while (i < s.size() && s[i] >= '0' && s[i] <= '9') ++i;
  if (i == digits_from || i - digits_from > 20) return std::nullopt;
  if (i < s.size() && s[i] == '.') {
    const size_t f = ++i;
    while (i < s.size() && s[i] >= '0' && s[i] <= '9') ++i;
    if (i == f) return std::nullopt;
  }
  if (i != s.size()) return std::nullopt;
  return std::strtod(std::string(s).c_str(), nullptr);
}

std::optional<double> number(const Value& v) {
  if (!v) return std::nullopt;
  double d;
  if (v->get_double().get(d) == simdjson::SUCCESS) return d;  // int64, uint64 and double
  if (auto s = string_view_of(v)) return parse_decimal(*s);
  return std::nullopt;
}

std::optional<int64_t> integer(const Value& v) {
  if (!v) return std::nullopt;
  int64_t i;
  if (v->get_int64().get(i) == simdjson::SUCCESS) return i;
  const auto d = number(v);
  // Whole numbers in int64's range only ("443.0" is 443; 1e300 and 4.5 are not integers).
  if (!d || !std::isfinite(*d) || *d != std::floor(*d) || std::fabs(*d) >= 9.2e18) return std::nullopt;
  return static_cast<int64_t>(*d);
}

double epoch_seconds(double v) { return std::fabs(v) >= 1e11 ? v / 1000 : v; }

TimeRead read_time(const Value& v, double& seconds) {
  if (!v || v->is_null()) return TimeRead::kAbsent;
  std::optional<double> e;
  if (v->is_number()) {
    e = epoch_seconds(v->get_double().value_unsafe());
  } else if (v->is_string()) {
    const std::string_view s = v->get_string().value_unsafe();
    if (text::trim(s).empty()) return TimeRead::kAbsent;
    if (auto d = parse_decimal(s)) e = epoch_seconds(*d);
    else e = timefmt::parse(s);
  }
  // Years 1 to 9999 only: no source writes others, and milliseconds would overflow.
  if (!e || !(*e >= -62135596800.0 && *e < 253402300800.0)) return TimeRead::kBad;
  seconds = *e;
  return TimeRead::kOk;
}

std::string shown(const Value& v) {
  if (!v) return std::string();
  return excerpt(v->is_string() ? std::string(v->get_string().value_unsafe()) : simdjson::minify(*v), 40);
}

}  // namespace sqlhunt::records
