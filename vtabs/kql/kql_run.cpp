#include "vtabs/kql/kql_run.h"

#include <algorithm>

#include "core/error.h"
#include "core/text.h"
#include "vtabs/kql/kql_text.h"

namespace sqlhunt::kql {

struct Run::Part {
  size_t source = 0;
  uint64_t serial = 0;  // OutRow::part, given when its reading starts
  PartBounds bounds;
  std::string kql;  // as sent
  bool fetched = false;
  FetchReply reply;
  std::unique_ptr<ResponseReader> reader;
  bool reading = false;
  std::string warning;  // shown in a row before the part's rows
  bool warned = false;
};

Run::Run(QuerySpec spec, size_t sources, Fetcher& fetcher, RunOptions options)
    : spec_(std::move(spec)), fetcher_(fetcher), options_(options), time_column_(spec_.time_column) {
  options_.parallel = std::max(1, options_.parallel);
  parts_made_.assign(sources, 1);
  row_counts_.resize(sources);
  for (size_t s = 0; s < sources; ++s) {
    auto p = std::make_unique<Part>();
    p->source = s;
    p->bounds.window = spec_.window;
    parts_.push_back(std::move(p));
  }
  status_.parts = sources;
}

Run::~Run() = default;

std::string Run::first_query() const { return part_kql(spec_, time_column_, PartBounds{spec_.window, false}); }

void Run::warn(Part& part, const std::string& status, const std::string& text) {
  part.warning = text;
  status_.warnings.push_back(text);
  // The worst status wins: truncated (rows known missing, not recoverable) over
  // partial over offline over ok.
  auto rank = [](const std::string& s) {
    return s == "truncated" ? 3 : s == "partial" ? 2 : s == "offline" ? 1 : 0;
  };
  if (rank(status) > rank(status_.status)) status_.status = status;
}

void Run::fetch_round() {
  // Answers already here and not read yet count against `parallel` (a split puts its
  // halves before parts fetched earlier): at most `parallel` answers are held, and the
  // front part is always asked for.
  int held = 0;
  for (auto& p : parts_) held += p->fetched ? 1 : 0;
  const int budget = std::max(1, options_.parallel - held);
  std::vector<Part*> round;
  for (auto& p : parts_) {
    if (static_cast<int>(round.size()) >= budget) break;
    if (!p->fetched) round.push_back(p.get());
  }
  std::vector<FetchRequest> requests;
  for (Part* p : round) {
    p->kql = part_kql(spec_, time_column_, p->bounds);
    requests.push_back({p->source, p->kql});
    status_.queries.push_back(p->kql);
  }
  auto replies = fetcher_.fetch(requests);
  if (replies.size() != round.size()) throw Error("internal error: the fetcher answered a different number of requests");
  for (size_t i = 0; i < round.size(); ++i) {
    round[i]->fetched = true;
    round[i]->reply = std::move(replies[i]);
    status_.count(round[i]->reply);
  }
}

std::optional<std::string> Run::time_column_of(const Summary& s) const {
  if (s.primary.empty()) return std::nullopt;
  const auto& cols = s.tables[s.primary[0]].columns;
  for (const auto& c : cols)
    if (c.type == Type::kDatetime && c.name == "TimeGenerated") return c.name;
  for (const auto& c : cols)
    if (c.type == Type::kDatetime) return c.name;
  return std::nullopt;
}

// Replaces `part` (the front part) by its halves; false when it cannot be split.
bool Run::split(Part& part) {
  const size_t source = part.source;
  if (!time_column_ && part.reader) time_column_ = time_column_of(part.reader->summary());
  if (!time_column_) {
    // A cut reply has no columns to look at: ask for them (no rows).
    QuerySpec schema = spec_;
    schema.take = 0;
    const std::string kql = part_kql(schema, std::nullopt, PartBounds{});
    status_.queries.push_back(kql);
    auto replies = fetcher_.fetch({FetchRequest{source, kql}});
    status_.count(replies.at(0));
    if (replies.at(0).kind == FetchReply::kBody) {
      ResponseReader r(replies[0].body, fetcher_.dialect());
      time_column_ = time_column_of(r.summary());
    }
    if (!time_column_) {
      warn(part, "truncated", "the answer was cut at the server's size or row limit and has no datetime column to "
                              "split it by: rows are missing (add a time filter, or project TimeGenerated)");
      return false;
    }
  }
  if (part.bounds.nulls) {
    warn(part, "truncated", "the rows whose " + *time_column_ +
                                " is null passed the server's size or row limit: rows are missing");
    return false;
  }
  Window w = part.bounds.window;
  bool nulls = false;
  if (!w.lo || !w.hi) {
    const std::string probe = append_clauses(
        part_kql(spec_, time_column_, part.bounds, /*with_take=*/false),
        {"summarize kql_min = min(" + identifier(*time_column_) + "), kql_max = max(" + identifier(*time_column_) +
         "), kql_nulls = countif(isnull(" + identifier(*time_column_) + "))"});
    status_.queries.push_back(probe);
    auto replies = fetcher_.fetch({FetchRequest{source, probe}});
    status_.count(replies.at(0));
    if (replies.at(0).kind != FetchReply::kBody)
      throw Error("the time range of a cut answer cannot be learned: " + replies[0].detail);
    ResponseReader r(replies[0].body, fetcher_.dialect());
    if (!r.summary().malformed.empty()) throw Error("the answer to a time-range probe cannot be read: " + r.summary().malformed);
    ResponseReader::Row row;
    std::optional<int64_t> mn, mx;
    int64_t null_count = 0;
    if (r.next(row) && row.error.empty() && row.values.size() >= 3) {
      std::string_view s;
      if (row.values.at(0).get_string().get(s) == simdjson::SUCCESS) mn = parse_ticks(s);
      if (row.values.at(1).get_string().get(s) == simdjson::SUCCESS) mx = parse_ticks(s);
      if (row.values.at(2).get_int64().get(null_count) != simdjson::SUCCESS) null_count = 0;
    }
    nulls = !part.bounds.window.bounded() && null_count > 0;
    if (!mn || !mx) {
      if (nulls && !part.bounds.window.bounded()) {
        // Every row has a null time: one part for them (cut again, it warns).
        part.bounds.nulls = true;
        part.fetched = false;
        part.reader.reset();
        part.reply = FetchReply();
        return true;
      }
      warn(part, "truncated", "the answer was cut at the server's limit but its time range could not be learned");
      return false;
    }
    if (!w.lo || *w.lo < *mn) w.lo = *mn;
    if (!w.hi || *w.hi > *mx + 1) w.hi = *mx + 1;
  }
  const int64_t lo = *w.lo, hi = *w.hi;
  const int extra = 1 + (nulls ? 1 : 0);
  if (hi - lo < 2 || parts_made_[source] + extra > options_.max_parts) {
    warn(part, "truncated",
         hi - lo < 2 ? "more rows share one instant (" + iso_ticks(lo) + ") than the server returns at once: rows are missing"
                     : "the answer would need more than " + std::to_string(options_.max_parts) +
                           " parts (kql.max_parts): rows are missing");
    return false;
  }
  const int64_t mid = lo + (hi - lo) / 2;
  auto make = [&](Window win, bool only_nulls) {
    auto p = std::make_unique<Part>();
    p->source = source;
    p->bounds.window = win;
    p->bounds.nulls = only_nulls;
    return p;
  };
  std::vector<std::unique_ptr<Part>> halves;
  halves.push_back(make(Window{lo, mid}, false));
  halves.push_back(make(Window{mid, hi}, false));
  if (nulls) halves.push_back(make(Window{}, true));
  parts_made_[source] += extra;
  status_.parts += extra;
  ++status_.splits;
  parts_.pop_front();  // `part` is the front
  for (size_t i = halves.size(); i-- > 0;) parts_.push_front(std::move(halves[i]));
  return true;
}

bool Run::next(OutRow& out) {
  for (;;) {
    if (parts_.empty()) return false;
    Part& f = *parts_.front();
    if (f.reading) {
      if (!f.warning.empty() && !f.warned) {
        f.warned = true;
        out = OutRow();
        out.source = f.source;
        out.part = f.serial;
        out.warning = f.warning;
        return true;
      }
      ResponseReader::Row r;
      if (f.reader && f.reader->next(r)) {
        const Summary& s = f.reader->summary();
        const size_t ordinal =
            static_cast<size_t>(std::find(s.primary.begin(), s.primary.end(), r.table) - s.primary.begin());
        auto& counts = row_counts_[f.source];
        if (counts.size() <= ordinal) counts.resize(ordinal + 1, 0);
        out.source = f.source;
        out.part = f.serial;
        out.table = &s.tables[r.table];
        out.ordinal = ordinal;
        out.index = counts[ordinal]++;
        out.values = r.values;
        out.row_error = std::move(r.error);
        out.warning.clear();
        ++status_.rows;
        return true;
      }
      if (f.reader && !f.reader->summary().malformed.empty())
        throw Error("the answer cannot be read: " + f.reader->summary().malformed);
      parts_.pop_front();
      continue;
    }
    if (!f.fetched) {
      fetch_round();
      continue;
    }
    f.reading = true;
    f.serial = ++parts_read_;
    if (f.reply.kind == FetchReply::kOffline) {
      warn(f, "offline", f.reply.detail);
      continue;
    }
    if (f.reply.kind == FetchReply::kTooLarge) {
      f.reading = false;
      if (split(f)) continue;
      f.reading = true;  // a warning row, no rows
      continue;
    }
    f.reader = std::make_unique<ResponseReader>(f.reply.body, fetcher_.dialect());
    const Summary& s = f.reader->summary();
    if (!s.malformed.empty()) throw Error("the answer cannot be read: " + s.malformed);
    if (s.truncated) {
      f.reading = false;
      if (split(f)) continue;
      f.reading = true;
      if (f.warning.empty()) warn(f, "truncated", "the answer was cut at the server's limit: " + s.message);
      continue;
    }
    if (s.partial) warn(f, "partial", "the answer is incomplete (the server reported errors): " + s.message);
    else if (!f.reply.cached) fetcher_.answered(FetchRequest{f.source, f.kql}, f.reply);
  }
}

}  // namespace sqlhunt::kql
