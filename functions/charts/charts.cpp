#include "functions/charts/charts.h"

#include <cmath>
#include <string>
#include <unordered_map>

#include "core/sql_function.h"
#include "core/time.h"
#include "functions/charts/bars.h"
#include "functions/charts/svg.h"
#include "functions/charts/timeline.h"
#include "functions/charts/tree.h"
#include "functions/charts/world.h"

namespace sqlhunt {
namespace {

// Times sqlhunt can write (core/time.h): years 0000..9999.
constexpr double kMinEpoch = -62167219200.0, kMaxEpoch = 253402300799.0;

std::string text_or(sqlite3_value* v, std::string_view fallback) {
  if (sqlite3_value_type(v) == SQLITE_NULL) return std::string(fallback);
  return std::string(sqlfn::text_arg(v));
}

bool truthy(sqlite3_value* v) { return sqlite3_value_type(v) != SQLITE_NULL && sqlite3_value_int64(v) != 0; }

// A finite number, from an INTEGER, a REAL, or text that is one.
std::optional<double> number(sqlite3_value* v) {
  const int t = sqlite3_value_numeric_type(v);
  if (t != SQLITE_INTEGER && t != SQLITE_FLOAT) return std::nullopt;
  const double d = sqlite3_value_double(v);
  return std::isfinite(d) ? std::optional<double>(d) : std::nullopt;
}

std::optional<double> epoch_of(sqlite3_value* v) {
  std::optional<double> e;
  switch (sqlite3_value_type(v)) {
    case SQLITE_INTEGER:
    case SQLITE_FLOAT: e = sqlite3_value_double(v); break;
    case SQLITE_TEXT: e = timefmt::parse(sqlfn::text_arg(v)); break;
    default: break;
  }
  if (!e || !std::isfinite(*e) || *e < kMinEpoch || *e > kMaxEpoch) return std::nullopt;
  return e;
}

// The aggregate's state: a C++ object behind the pointer SQLite keeps for the group,
// made at the first row and destroyed by xFinal (which SQLite always calls for a
// group it started, also when a statement is reset part way).
template <class State>
State* state(sqlite3_context* ctx, bool create) {
  auto** slot = static_cast<State**>(sqlite3_aggregate_context(ctx, create ? sizeof(State*) : 0));
  if (!slot) {
    if (create) sqlite3_result_error_nomem(ctx);
    return nullptr;
  }
  if (!*slot && create) *slot = new State();
  return *slot;
}

template <class State, class Render>
void finish(sqlite3_context* ctx, Render render) {
  State* s = state<State>(ctx, false);
  sqlfn::guard(ctx, [&] {
    static const State kEmpty{};
    sqlfn::result_text_valid(ctx, render(s ? *s : kEmpty));  // the SVG is valid UTF-8 by construction
  });
  delete s;
}

// ---------------------------------------------------------------------------------
struct TimelineState {
  charts::TimelineInput in;
  std::unordered_map<std::string, uint32_t> lanes;
};

void timeline_step(sqlite3_context* ctx, int argc, sqlite3_value** argv) {
  sqlfn::guard(ctx, [&] {
    auto* s = state<TimelineState>(ctx, true);
    if (!s) return;
    const auto epoch = epoch_of(argv[0]);
    if (!epoch) {
      ++s->in.untimed;
      return;
    }
    std::string lane = text_or(argv[1], "(no lane)");
    auto [it, added] = s->lanes.emplace(lane, static_cast<uint32_t>(s->in.lanes.size()));
    if (added) s->in.lanes.push_back(std::move(lane));
    charts::TimelineEvent e;
    e.epoch = *epoch;
    e.lane = it->second;
    if (argc > 2) e.label = text_or(argv[2], "");
    if (argc > 3) e.mark = truthy(argv[3]);
    s->in.events.push_back(std::move(e));
  });
}

void timeline_final(sqlite3_context* ctx) {
  finish<TimelineState>(ctx, [](const TimelineState& s) { return charts::render_timeline(s.in); });
}

// ---------------------------------------------------------------------------------
struct TreeState {
  std::vector<charts::TreeNode> nodes;
};

void tree_step(sqlite3_context* ctx, int argc, sqlite3_value** argv) {
  sqlfn::guard(ctx, [&] {
    auto* s = state<TreeState>(ctx, true);
    if (!s) return;
    charts::TreeNode n;
    n.key = text_or(argv[0], "");
    n.parent = text_or(argv[1], "");
    n.label = text_or(argv[2], "");
    if (argc > 3) n.mark = truthy(argv[3]);
    s->nodes.push_back(std::move(n));
  });
}

void tree_final(sqlite3_context* ctx) {
  finish<TreeState>(ctx, [](const TreeState& s) { return charts::render_tree(s.nodes); });
}

// ---------------------------------------------------------------------------------
struct BarsState {
  charts::BarsInput in;
  std::unordered_map<std::string, size_t> categories, series;
};

void bars_step(sqlite3_context* ctx, int argc, sqlite3_value** argv) {
  sqlfn::guard(ctx, [&] {
    auto* s = state<BarsState>(ctx, true);
    if (!s) return;
    const auto value = number(argv[1]);
    if (!value || *value < 0) {
      ++s->in.unusable;
      return;
    }
    std::string cat = text_or(argv[0], "(none)");
    auto [c, new_cat] = s->categories.emplace(cat, s->in.categories.size());
    if (new_cat) {
      s->in.categories.push_back(std::move(cat));
      s->in.values.emplace_back(s->in.series.size(), 0.0);
    }
    std::string ser = argc > 2 ? text_or(argv[2], "(none)") : std::string();
    auto [k, new_ser] = s->series.emplace(ser, s->in.series.size());
    if (new_ser) {
      s->in.series.push_back(std::move(ser));
      for (auto& row : s->in.values) row.push_back(0.0);
    }
    s->in.values[c->second][k->second] += *value;
  });
}

void bars_final(sqlite3_context* ctx) {
  finish<BarsState>(ctx, [](const BarsState& s) { return charts::render_bars(s.in); });
}

// ---------------------------------------------------------------------------------
struct MapState {
  charts::MapInput in;
};

void map_step(sqlite3_context* ctx, int argc, sqlite3_value** argv) {
  sqlfn::guard(ctx, [&] {
    auto* s = state<MapState>(ctx, true);
    if (!s) return;
    const auto lat = number(argv[0]), lon = number(argv[1]);
    if (!lat || !lon || std::fabs(*lat) > 90 || std::fabs(*lon) > 180) {
      ++s->in.unlocated;
      return;
    }
    charts::MapPoint p;
    p.lat = *lat;
    p.lon = *lon;
    if (argc > 2) p.label = text_or(argv[2], "");
    if (argc > 3) p.mark = truthy(argv[3]);
    s->in.points.push_back(std::move(p));
  });
}

void map_final(sqlite3_context* ctx) {
  finish<MapState>(ctx, [](const MapState& s) {
    std::string why;
    const auto world = charts::world_from_setting(&why);
    return charts::render_map(world.get(), s.in, world ? std::string() : why);
  });
}

struct Aggregate {
  const char* name;
  int min_args, max_args, flags;
  void (*step)(sqlite3_context*, int, sqlite3_value**);
  void (*final)(sqlite3_context*);
};

const Aggregate kAggregates[] = {
    {"svg_timeline", 2, 4, sqlfn::kPure, timeline_step, timeline_final},
    {"svg_tree", 3, 4, sqlfn::kPure, tree_step, tree_final},
    {"svg_bars", 2, 3, sqlfn::kPure, bars_step, bars_final},
    {"svg_map", 2, 4, sqlfn::kDirectOnly, map_step, map_final},
};

}  // namespace

int register_charts(sqlite3* db) {
  for (const auto& a : kAggregates)
    for (int n = a.min_args; n <= a.max_args; ++n) {
      const int rc = sqlite3_create_function(db, a.name, n, a.flags, nullptr, nullptr, a.step, a.final);
      if (rc != SQLITE_OK) return rc;
    }
  return SQLITE_OK;
}

}  // namespace sqlhunt
