// vtabs/ti_lookup/local_feed.cpp — indicator files and the local provider (see local_feed.h).
#include "vtabs/ti_lookup/local_feed.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <functional>

#include "core/config.h"
#include "core/csv.h"
#include "core/error.h"
#include "core/file_source.h"
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

uint64_t hash_of(const std::string& normalised) { return std::hash<std::string>()(normalised); }

std::string at(const std::string& file, uint64_t line) { return "ti_lookup: " + file + " line " + std::to_string(line); }

// Every record of one feed, in order, as an Indicator (`fields` built only when
// `with_fields`: indexing needs the value alone). Throws for a malformed record.
template <class Source, class Each>
void scan(const Source& src, bool with_fields, Each each) {
  if (src.json_lines) {
    auto in = src.in_memory ? std::make_unique<files::LineReader>(src.text, src.file)
                            : std::make_unique<files::LineReader>(src.file);
    files::Line l;
    while (in->next(l)) {
      const std::string_view t = text::trim(l.text);
      if (t.empty()) continue;
      if (l.overlong) throw Error(at(src.file, l.number) + ": longer than 64 MB");
      json j = json::parse(t, nullptr, false);
      if (j.is_discarded() || !j.is_object()) throw Error(at(src.file, l.number) + ": not a JSON object");
      Indicator ind;
      const char* field = nullptr;
      for (const char* k : {"indicator", "Indicator", "ioc", "IoC", "IOC", "observable", "Observable", "value", "Value"})
        if (auto it = j.find(k); it != j.end() && it->is_string()) {
          ind.value = std::string(text::trim(it->get<std::string>()));
          field = k;
          break;
        }
      if (!field) throw Error(at(src.file, l.number) + ": no indicator field (indicator, ioc, observable or value)");
      if (ind.value.empty()) throw Error(at(src.file, l.number) + ": the indicator (\"" + field + "\") is empty");
      for (const char* k : {"type", "Type", "indicatortype", "IndicatorType", "ioctype", "IoCType"})
        if (auto it = j.find(k); it != j.end() && it->is_string()) {
          ind.type = std::string(text::trim(it->get<std::string>()));
          break;
        }
      for (const char* k : {"severity", "Severity"})
        if (auto it = j.find(k); it != j.end() && it->is_string()) ind.severity = it->get<std::string>();
      if (with_fields) ind.fields = j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
      ind.file = src.file;
      ind.line = static_cast<size_t>(l.number);
      each(std::move(ind));
    }
    if (!in->error().empty()) throw Error("ti_lookup: " + src.file + ": " + in->error());
    return;
  }
  // CSV (core/csv.h): RFC 4180 quoting, CRLF, a BOM; any malformed record is an error.
  auto in = src.in_memory ? csv::Reader::from_string(src.text) : std::make_unique<csv::Reader>(src.file);
  const std::vector<std::string>& header = in->header();
  if (header.empty()) throw Error("ti_lookup: " + src.file + ": no CSV header");
  if (!in->header_error().empty()) throw Error(at(src.file, in->header_line()) + ": " + in->header_error());
  const int value_col = find_column(header, {"indicator", "ioc", "observable", "value"});
  if (value_col < 0)
    throw Error("ti_lookup: " + src.file + ": no indicator column (indicator, ioc, observable or value) in the header");
  const int type_col = find_column(header, {"type", "indicatortype", "ioctype"});
  const int sev_col = find_column(header, {"severity"});
  csv::Record rec;
  while (in->next(rec)) {
    // A line of spaces, or of as many empty cells as the header has (",,,"), is as blank
    // as an empty line (which the reader skips itself): no record.
    bool blank = rec.fields.size() == 1 || rec.error.empty();
    for (const auto& f : rec.fields) blank = blank && text::trim(f).empty();
    if (blank) continue;
    if (!rec.error.empty() || rec.fields.size() != header.size())
      throw Error(at(src.file, rec.line) + ": " + (rec.error.empty() ? "malformed record" : rec.error));
    Indicator ind;
    ind.value = std::string(text::trim(rec.fields[static_cast<size_t>(value_col)]));
    // A record with other cells but no indicator is not passed over: a feed that lost
    // its values would otherwise look like a feed that lists nothing.
    if (ind.value.empty())
      throw Error(at(src.file, rec.line) + ": the indicator (column '" +
                  std::string(text::trim(header[static_cast<size_t>(value_col)])) + "') is empty");
    if (type_col >= 0) ind.type = std::string(text::trim(rec.fields[static_cast<size_t>(type_col)]));
    if (sev_col >= 0) ind.severity = std::string(text::trim(rec.fields[static_cast<size_t>(sev_col)]));
    if (with_fields) {
      json f = json::object();
      for (size_t i = 0; i < header.size(); ++i) {
        std::string key(text::trim(header[i]));
        if (key.empty()) key = "_index";
        f[key] = std::string(rec.fields[i]);
      }
      ind.fields = f.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    }
    ind.file = src.file;
    ind.line = static_cast<size_t>(rec.line);
    each(std::move(ind));
  }
  if (!in->error().empty()) throw Error("ti_lookup: " + src.file + ": " + in->error());
}

// JSON lines by the name (.jsonl, .ndjson, .json) or a first byte '{' (after a BOM
// and blanks), which is all that is read of the file here.
bool looks_like_json_lines(const std::string& path) {
  const std::string name = text::ascii_lower(path);
  if (text::ends_with(name, ".jsonl") || text::ends_with(name, ".ndjson") || text::ends_with(name, ".json"))
    return true;
  files::ByteReader in(path);
  char buf[4096];
  const size_t n = in.read(buf, sizeof buf);
  std::string_view head(buf, n);
  if (text::starts_with(head, "\xEF\xBB\xBF")) head.remove_prefix(3);
  return text::starts_with(text::trim(head), "{");
}

}  // namespace

// A source that fails to read adds nothing (the error says where it failed).
void LocalIndicators::index(uint32_t source) {
  const size_t before = entries_.size();
  try {
    scan(sources_[source], false, [&](Indicator&& ind) {
      if (!ind.value.empty()) entries_.push_back({hash_of(normalise_indicator(ind.value)), source});
    });
  } catch (...) {
    entries_.resize(before);
    sources_.pop_back();
    throw;
  }
  std::sort(entries_.begin(), entries_.end());
  entries_.shrink_to_fit();
}

void LocalIndicators::add_text(std::string_view data, const std::string& file, bool json_lines) {
  sources_.push_back({file, json_lines, true, std::string(data)});
  index(static_cast<uint32_t>(sources_.size() - 1));
}

std::unique_ptr<LocalIndicators> LocalIndicators::load(const std::vector<std::string>& files) {
  auto db = std::make_unique<LocalIndicators>();
  for (const auto& f : files) {
    Source s;
    s.file = f;
    try {
      s.json_lines = looks_like_json_lines(f);
    } catch (const std::exception& e) {
      throw Error("ti_lookup: cannot read indicator file '" + f + "': " + e.what());
    }
    db->sources_.push_back(std::move(s));
    db->index(static_cast<uint32_t>(db->sources_.size() - 1));
  }
  return db;
}

std::map<std::string, std::vector<Indicator>> LocalIndicators::find(const std::vector<std::string>& observables) const {
  std::map<std::string, std::vector<Indicator>> out;
  std::map<std::string, bool> wanted;  // normalised -> (unused)
  std::vector<bool> reread(sources_.size());
  for (const auto& o : observables) {
    std::string n = normalise_indicator(o);
    const uint64_t h = hash_of(n);
    auto it = std::lower_bound(entries_.begin(), entries_.end(), Entry{h, 0});
    bool any = false;
    for (; it != entries_.end() && it->hash == h; ++it) reread[it->source] = any = true;
    if (any) wanted.emplace(std::move(n), true);
  }
  for (uint32_t s = 0; s < sources_.size(); ++s) {
    if (!reread[s]) continue;
    scan(sources_[s], true, [&](Indicator&& ind) {
      std::string n = normalise_indicator(ind.value);
      if (wanted.count(n)) out[n].push_back(std::move(ind));
    });
  }
  return out;
}

std::vector<Indicator> LocalIndicators::match(std::string_view observable) const {
  auto found = find({std::string(observable)});
  return found.empty() ? std::vector<Indicator>() : std::move(found.begin()->second);
}

Result local_result(const LocalIndicators* db, std::string_view observable, const std::string& why_none) {
  return local_result(db, observable, db ? db->find({std::string(observable)}) : std::map<std::string, std::vector<Indicator>>(),
                      why_none);
}

Result local_result(const LocalIndicators* db, std::string_view observable,
                    const std::map<std::string, std::vector<Indicator>>& found, const std::string& why_none) {
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
  static const std::vector<Indicator> none;
  const auto f = found.find(normalise_indicator(observable));
  const std::vector<Indicator>& hits = f == found.end() ? none : f->second;
  if (hits.empty()) {
    r.status = "not_found";
    r.severity = Severity::kInformation;
    r.result = "not in " + std::to_string(db->size()) + " local indicators";
    return r;
  }
  r.status = "ok";
  Severity sev = Severity::kUnknown;
  json matches = json::array();
  for (const Indicator& i : hits) {
    Severity s = i.severity.empty() ? Severity::kHigh : severity_from_name(i.severity);
    if (s == Severity::kUnknown) s = Severity::kHigh;
    sev = std::max(sev, s);
    matches.push_back({{"file", i.file}, {"line", i.line}, {"type", i.type}, {"fields", json::parse(i.fields)}});
  }
  r.severity = sev;
  r.result = "in " + std::to_string(hits.size()) + (hits.size() == 1 ? " local indicator" : " local indicators");
  if (!hits[0].type.empty()) r.result += " (" + hits[0].type + ")";
  r.reference = hits[0].file + ":" + std::to_string(hits[0].line);
  r.details = json{{"matches", matches}}.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  return r;
}

}  // namespace sqlhunt::ti
