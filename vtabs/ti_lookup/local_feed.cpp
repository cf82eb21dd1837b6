// vtabs/ti_lookup/local_feed.cpp — indicator files and the local provider (see local_feed.h).
#include "vtabs/ti_lookup/local_feed.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <fstream>
#include <sstream>

#include "core/config.h"
#include "core/csv.h"
#include "core/error.h"
#include "core/ip.h"
#include "core/text.h"

namespace sqlhunt::ti {

using nlohmann::json;

const config::Registration kLocalSettings({
    {"ti.local", "SQLHUNT_TI_LOCAL", "", config::Kind::kPath, true, 0, 0,
     "Indicator files for the `local` provider: paths or globs separated by ':' (CSV or JSON lines)."},
});

std::string normalise_indicator(std::string_view value) {
  value = text::trim(value);
  if (auto a = ip::parse(value)) return ip::to_string(a->mapped_v4().value_or(*a));
  Classified c = classify(value);
  if (!c.type.empty()) return std::move(c.value);
  // Host and file names the classifier does not take (host.local, notepad.EXE) and hex
  // runs it does not call hashes: compared without regard to case all the same.
  const bool name_shaped = std::all_of(value.begin(), value.end(), [](char ch) {
    return (ch >= '0' && ch <= '9') || ((ch | 0x20) >= 'a' && (ch | 0x20) <= 'z') || ch == '.' || ch == '-' ||
           ch == '_';
  });
  return name_shaped ? text::ascii_lower(value) : std::string(value);
}

namespace {

int find_column(const std::vector<std::string>& header, std::initializer_list<const char*> names) {
  for (const char* n : names)
    for (size_t i = 0; i < header.size(); ++i)
      if (text::ascii_lower(text::trim(header[i])) == n) return static_cast<int>(i);
  return -1;
}

}  // namespace

void LocalIndicators::add_text(std::string_view data, const std::string& file, bool json_lines) {
  auto add = [&](Indicator ind) {
    if (ind.value.empty()) return;
    index_.emplace(normalise_indicator(ind.value), all_.size());
    all_.push_back(std::move(ind));
  };
  if (json_lines) {
    size_t line = 0;
    while (!data.empty()) {
      ++line;
      const size_t nl = data.find('\n');
      std::string_view l = text::trim(data.substr(0, nl));
      data.remove_prefix(nl == std::string_view::npos ? data.size() : nl + 1);
      if (l.empty()) continue;
      json j = json::parse(l, nullptr, false);
      if (j.is_discarded() || !j.is_object())
        throw Error("ti_lookup: " + file + " line " + std::to_string(line) + ": not a JSON object");
      Indicator ind;
      for (const char* k : {"indicator", "Indicator", "ioc", "IoC", "IOC", "observable", "Observable", "value", "Value"})
        if (auto it = j.find(k); it != j.end() && it->is_string()) {
          ind.value = std::string(text::trim(it->get<std::string>()));
          break;
        }
      if (ind.value.empty())
        throw Error("ti_lookup: " + file + " line " + std::to_string(line) +
                    ": no indicator field (indicator, ioc, observable or value)");
      for (const char* k : {"type", "Type", "indicatortype", "IndicatorType", "ioctype", "IoCType"})
        if (auto it = j.find(k); it != j.end() && it->is_string()) {
          ind.type = std::string(text::trim(it->get<std::string>()));
          break;
        }
      for (const char* k : {"severity", "Severity"})
        if (auto it = j.find(k); it != j.end() && it->is_string()) ind.severity = it->get<std::string>();
      ind.fields = j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
      ind.file = file;
      ind.line = line;
      add(std::move(ind));
    }
    return;
  }
  // CSV (core/csv.h): RFC 4180 quoting, CRLF, a BOM; any malformed record is an error.
  auto in = csv::Reader::from_string(data);
  const std::vector<std::string>& header = in->header();
  if (header.empty()) throw Error("ti_lookup: " + file + ": no CSV header");
  if (!in->header_error().empty())
    throw Error("ti_lookup: " + file + " line " + std::to_string(in->header_line()) + ": " + in->header_error());
  const int value_col = find_column(header, {"indicator", "ioc", "observable", "value"});
  if (value_col < 0)
    throw Error("ti_lookup: " + file + ": no indicator column (indicator, ioc, observable or value) in the header");
  const int type_col = find_column(header, {"type", "indicatortype", "ioctype"});
  const int sev_col = find_column(header, {"severity"});
  csv::Record rec;
  while (in->next(rec)) {
    // A line of spaces is as blank as an empty one (which the reader skips itself).
    if (rec.fields.size() == 1 && text::trim(rec.fields[0]).empty()) continue;
    if (!rec.error.empty() || rec.fields.size() != header.size())
      throw Error("ti_lookup: " + file + " line " + std::to_string(rec.line) + ": " +
                  (rec.error.empty() ? "malformed record" : rec.error));
    Indicator ind;
    ind.value = std::string(text::trim(rec.fields[static_cast<size_t>(value_col)]));
    if (type_col >= 0) ind.type = std::string(text::trim(rec.fields[static_cast<size_t>(type_col)]));
    if (sev_col >= 0) ind.severity = std::string(text::trim(rec.fields[static_cast<size_t>(sev_col)]));
    json f = json::object();
    for (size_t i = 0; i < header.size(); ++i) {
      std::string key(text::trim(header[i]));
      if (key.empty()) key = "_index";
      f[key] = std::string(rec.fields[i]);
    }
    ind.fields = f.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    ind.file = file;
    ind.line = static_cast<size_t>(rec.line);
    add(std::move(ind));
  }
}

std::unique_ptr<LocalIndicators> LocalIndicators::load(const std::vector<std::string>& files) {
  auto db = std::make_unique<LocalIndicators>();
  for (const auto& f : files) {
    std::ifstream in(f, std::ios::binary);
    if (!in) throw Error("ti_lookup: cannot read indicator file '" + f + "'");
    std::ostringstream ss;
    ss << in.rdbuf();
    const std::string content = ss.str();
    const std::string name = text::ascii_lower(f);
    const bool jl = text::ends_with(name, ".jsonl") || text::ends_with(name, ".ndjson") ||
                    text::ends_with(name, ".json") || text::starts_with(text::trim(content), "{");
    db->add_text(content, f, jl);
  }
  return db;
}

std::vector<const Indicator*> LocalIndicators::match(std::string_view observable) const {
  std::vector<const Indicator*> out;
  auto [lo, hi] = index_.equal_range(normalise_indicator(observable));
  for (auto it = lo; it != hi; ++it) out.push_back(&all_[it->second]);
  return out;
}

Result local_result(const LocalIndicators* db, std::string_view observable, const std::string& why_none) {
  Result r;
  r.observable = std::string(observable);
  Classified c = classify(observable);
  r.ioc_type = std::move(c.type);
  r.value = std::move(c.value);
  r.provider = "local";
  if (!db) {
    r.status = "not_configured";
    r.detail = why_none;
    return r;
  }
  const auto hits = db->match(observable);
  if (hits.empty()) {
    r.status = "not_found";
    r.severity = Severity::kInformation;
    r.result = "not in " + std::to_string(db->size()) + " local indicators";
    return r;
  }
  r.status = "ok";
  Severity sev = Severity::kUnknown;
  json matches = json::array();
  for (const Indicator* i : hits) {
    Severity s = i->severity.empty() ? Severity::kHigh : severity_from_name(i->severity);
    if (s == Severity::kUnknown) s = Severity::kHigh;
    sev = std::max(sev, s);
    matches.push_back({{"file", i->file}, {"line", i->line}, {"type", i->type}, {"fields", json::parse(i->fields)}});
  }
  r.severity = sev;
  r.result = "in " + std::to_string(hits.size()) + (hits.size() == 1 ? " local indicator" : " local indicators");
  if (!hits[0]->type.empty()) r.result += " (" + hits[0]->type + ")";
  r.reference = hits[0]->file + ":" + std::to_string(hits[0]->line);
  r.details = json{{"matches", matches}}.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  return r;
}

}  // namespace sqlhunt::ti
