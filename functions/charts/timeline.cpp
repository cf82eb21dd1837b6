#include "functions/charts/timeline.h"

#include <algorithm>
#include <cmath>
#include <string_view>

#include "core/time.h"
#include "functions/charts/svg.h"

namespace sqlhunt::charts {
namespace {

constexpr double kWidth = 1000;
constexpr double kRight = 24;
constexpr double kLaneHead = 26;    // strip and dots
constexpr double kRowHeight = 14;   // one row of labels
constexpr size_t kMaxRows = 12;     // label rows per lane (and for marks)
constexpr size_t kMaxLabel = 48;    // characters of a label drawn (the tooltip has all)
constexpr double kBin = 4;          // pixels per density slot
// A white outline behind label text, so a leader line passing under it does not cut it.
constexpr const char* kHalo = "paint-order=\"stroke\" stroke=\"#fff\" stroke-width=\"3\" stroke-linejoin=\"round\"";

std::string iso(double epoch) {
  char buf[timefmt::kIsoLength];
  timefmt::format_iso_ms(timefmt::epoch_ms_from_seconds(epoch), buf);
  return std::string(buf, timefmt::kIsoLength);
}

// Greedy rows: the first row whose last label ends left of `from`.
struct Rows {
  std::vector<double> end;
  size_t dropped = 0;
  // The row for a label spanning [from, to], or -1 when every allowed row is taken.
  int place(double from, double to) {
    for (size_t r = 0; r < end.size(); ++r)
      if (end[r] + 6 <= from) {
        end[r] = to;
        return static_cast<int>(r);
      }
    if (end.size() < kMaxRows) {
      end.push_back(to);
      return static_cast<int>(end.size() - 1);
    }
    ++dropped;
    return -1;
  }
};

struct Placed {
  const TimelineEvent* ev;
  double x;
  int row;            // -1: no room, the label is the tooltip only
  bool anchor_end;    // label ends at x (near the right edge)
  std::string text;   // the label as drawn
};

// Labels of `events` (sorted by time) placed in rows between x = lo and x = hi.
std::vector<Placed> place_labels(const std::vector<const TimelineEvent*>& events, double lo, double hi,
                                 double (*px)(double, const void*), const void* scale, Rows& rows) {
  std::vector<Placed> out;
  for (const TimelineEvent* e : events) {
    Placed p{e, px(e->epoch, scale), -1, false, shorten(e->label, kMaxLabel)};
    const double w = sans_width(p.text) + 4;
    double from = p.x - 3, to = p.x + w;
    if (to > hi) {
      p.anchor_end = true;
      from = p.x - w;
      to = p.x + 3;
    }
    if (from < lo) from = lo;
    p.row = p.text.empty() ? -1 : rows.place(from, to);
    out.push_back(std::move(p));
  }
  return out;
}

struct Scale {
  double t0, t1, x0, x1;
  double x(double t) const { return x0 + (t - t0) / (t1 - t0) * (x1 - x0); }
};
double scale_x(double t, const void* s) { return static_cast<const Scale*>(s)->x(t); }

}  // namespace

double tick_step(double span) {
  static const double kSteps[] = {1,    2,    5,     10,    15,    30,    60,     120,    300,   600,
                                  900,  1800, 3600,  7200,  10800, 21600, 43200,  86400,  172800, 604800,
                                  1209600, 2592000, 7776000, 31536000};
  for (double s : kSteps)
    if (span / s <= 10) return s;
  return std::ceil(span / 10 / 31536000) * 31536000;
}

std::string render_timeline(const TimelineInput& in) {
  if (in.events.empty())
    return empty_chart("timeline", in.untimed ? std::to_string(in.untimed) + " rows, none with a time: nothing to draw"
                                              : "no events");

  double t0 = in.events.front().epoch, t1 = t0;
  for (const auto& e : in.events) {
    t0 = std::min(t0, e.epoch);
    t1 = std::max(t1, e.epoch);
  }
  if (t1 - t0 < 60) {  // one instant, or nearly: a minute around it
    const double mid = (t0 + t1) / 2;
    t0 = mid - 30;
    t1 = mid + 30;
  }
  const double pad = (t1 - t0) * 0.02;
  t0 -= pad;
  t1 += pad;

  double name_w = 60;
  // Lane names are bold: wider than sans_width's measure (7.4 px a character covers
  // DejaVu Sans Bold, the widest of the usual fallbacks).
  for (const auto& n : in.lanes) name_w = std::max(name_w, 7.4 * static_cast<double>(char_count(shorten(n, 30))));
  const double left = std::min(250.0, name_w + 18);
  const Scale sc{t0, t1, left, kWidth - kRight};

  // Events per lane, by time; marks apart.
  std::vector<std::vector<const TimelineEvent*>> labelled(in.lanes.size()), plain(in.lanes.size());
  std::vector<const TimelineEvent*> marks;
  for (const auto& e : in.events) {
    if (e.mark) marks.push_back(&e);
    else if (!e.label.empty()) labelled[e.lane].push_back(&e);
    else plain[e.lane].push_back(&e);
  }
  auto by_time = [](const TimelineEvent* a, const TimelineEvent* b) { return a->epoch < b->epoch; };
  for (auto& v : labelled) std::stable_sort(v.begin(), v.end(), by_time);
  std::stable_sort(marks.begin(), marks.end(), by_time);

  Rows mark_rows;
  const auto mark_labels = place_labels(marks, left, kWidth - 4, scale_x, &sc, mark_rows);
  const double top = 10 + kRowHeight * static_cast<double>(mark_rows.end.size()) + (marks.empty() ? 0 : 6);

  std::vector<Rows> lane_rows(in.lanes.size());
  std::vector<std::vector<Placed>> lane_labels(in.lanes.size());
  std::vector<double> lane_top(in.lanes.size() + 1);
  double y = top;
  size_t dropped = mark_rows.dropped;
  for (size_t l = 0; l < in.lanes.size(); ++l) {
    lane_labels[l] = place_labels(labelled[l], left, kWidth - 4, scale_x, &sc, lane_rows[l]);
    dropped += lane_rows[l].dropped;
    lane_top[l] = y;
    y += kLaneHead + kRowHeight * static_cast<double>(lane_rows[l].end.size()) + 6;
  }
  lane_top[in.lanes.size()] = y;
  const double axis_y = y;
  const double height = axis_y + 36 + ((in.untimed || dropped) ? 14 : 0);

  Svg svg("timeline", kWidth, height,
          "Timeline: " + std::to_string(in.events.size()) + " events in " + std::to_string(in.lanes.size()) +
              " lanes, " + iso(t0 + pad).substr(0, 16) + " to " + iso(t1 - pad).substr(0, 16) + " UTC");

  // Lane bands and names.
  for (size_t l = 0; l < in.lanes.size(); ++l) {
    const double h = lane_top[l + 1] - lane_top[l];
    svg.raw("<rect x=\"0\" y=\"").num(lane_top[l]).raw("\" width=\"").num(kWidth).raw("\" height=\"").num(h)
        .raw(l % 2 ? "\" fill=\"#fff\"/>" : "\" fill=\"#f6f7f9\"/>");
    svg.raw("<text x=\"").num(left - 10).raw("\" y=\"").num(lane_top[l] + 17)
        .raw("\" text-anchor=\"end\" font-weight=\"600\" class=\"lane\">").text(shorten(in.lanes[l], 30));
    svg.title(in.lanes[l]);
    svg.raw("</text>");
  }

  // Axis: grid lines and tick labels.
  const double step = tick_step(t1 - t0);
  const bool days = step >= 86400;
  const bool span_days = iso(t0).substr(0, 10) != iso(t1).substr(0, 10);
  svg.raw("<g class=\"axis\" stroke=\"").raw(kRule).raw("\">");
  // Ticks by count, not by adding up a step: no float sum can run away.
  const double first_tick = std::ceil(t0 / step) * step;
  const int ticks = static_cast<int>(std::min(40.0, std::floor((t1 - first_tick) / step) + 1));
  for (int k = 0; k < ticks; ++k) {
    const double x = sc.x(first_tick + k * step);
    svg.raw("<line x1=\"").num(x).raw("\" x2=\"").num(x).raw("\" y1=\"").num(top).raw("\" y2=\"").num(axis_y + 4)
        .raw("\"/>");
  }
  svg.raw("</g><g class=\"ticks\" fill=\"").raw(kMuted).raw("\" text-anchor=\"middle\">");
  for (int k = 0; k < ticks; ++k) {
    const double t = first_tick + k * step;
    const std::string s = iso(t);
    const std::string text = days ? s.substr(0, 10)
                             : span_days ? s.substr(5, 5) + " " + s.substr(11, 5)
                             : step < 60 ? s.substr(11, 8)
                                         : s.substr(11, 5);
    svg.label(sc.x(t), axis_y + 16, text);
  }
  svg.raw("</g>");
  svg.label(left, axis_y + 30, (days ? std::string() : iso(t0 + pad).substr(0, 10) + ", ") + "UTC",
            "fill=\"#777\"");
  if (in.untimed || dropped) {
    std::string note;
    if (in.untimed) note += std::to_string(in.untimed) + " rows without a time are not drawn. ";
    if (dropped) note += std::to_string(dropped) + " labels did not fit: hover their dots.";
    svg.label(left, axis_y + 44, note, "fill=\"#777\" class=\"note\"");
  }

  // Density strips of the unlabelled events.
  for (size_t l = 0; l < in.lanes.size(); ++l) {
    if (plain[l].empty()) continue;
    const size_t bins = static_cast<size_t>((sc.x1 - sc.x0) / kBin) + 1;
    std::vector<uint32_t> count(bins, 0);
    for (const TimelineEvent* e : plain[l]) {
      const double b = (sc.x(e->epoch) - sc.x0) / kBin;
      count[std::min(bins - 1, static_cast<size_t>(std::max(0.0, b)))]++;
    }
    const double peak = std::sqrt(static_cast<double>(*std::max_element(count.begin(), count.end())));
    const double base = lane_top[l] + 21;
    svg.raw("<path class=\"density\" fill=\"").raw(palette(l)).raw("\" fill-opacity=\"0.55\" d=\"");
    for (size_t b = 0; b < bins; ++b) {
      if (!count[b]) continue;
      const double h = std::max(1.5, 14 * std::sqrt(static_cast<double>(count[b])) / peak);
      svg.raw("M").num(sc.x0 + kBin * static_cast<double>(b)).raw(" ").num(base - h).raw("h").num(kBin - 0.6)
          .raw("v").num(h).raw("h").num(-(kBin - 0.6)).raw("z");
    }
    svg.raw("\"><title>").text(in.lanes[l]).raw(": ").raw(std::to_string(plain[l].size()))
        .raw(" events</title></path>");
  }

  // Labelled events: leader, dot, label.
  for (size_t l = 0; l < in.lanes.size(); ++l) {
    const double dot_y = lane_top[l] + 13;
    for (const Placed& p : lane_labels[l]) {
      const double label_y = lane_top[l] + kLaneHead + kRowHeight * p.row + 7;
      if (p.row >= 0)
        svg.raw("<line x1=\"").num(p.x).raw("\" x2=\"").num(p.x).raw("\" y1=\"").num(dot_y).raw("\" y2=\"")
            .num(label_y - 3).raw("\" stroke=\"#bbb\" stroke-width=\"0.7\"/>");
      svg.raw("<circle class=\"event\" cx=\"").num(p.x).raw("\" cy=\"").num(dot_y).raw("\" r=\"4\" fill=\"")
          .raw(palette(l)).raw("\" stroke=\"#fff\" stroke-width=\"1\">");
      svg.title(iso(p.ev->epoch) + "  " + p.ev->label);
      svg.raw("</circle>");
      if (p.row >= 0)
        svg.label(p.x + (p.anchor_end ? -2 : 2), label_y, p.text,
                  std::string(p.anchor_end ? "text-anchor=\"end\" " : "") + kHalo + " class=\"event-label\"");
    }
  }

  // Marks: a dashed line across every lane, a diamond in the lane, the label on top.
  for (const Placed& p : mark_labels) {
    const double dot_y = lane_top[p.ev->lane] + 13;
    const double label_y = 10 + kRowHeight * (p.row < 0 ? 0 : p.row) + 8;
    svg.raw("<line class=\"mark-line\" x1=\"").num(p.x).raw("\" x2=\"").num(p.x).raw("\" y1=\"")
        .num(p.row >= 0 ? label_y + 3 : top).raw("\" y2=\"").num(axis_y).raw("\" stroke=\"").raw(kMarkColour)
        .raw("\" stroke-width=\"1\" stroke-dasharray=\"4 3\"/>");
    svg.raw("<path class=\"mark\" d=\"M").num(p.x).raw(" ").num(dot_y - 6).raw("l6 6l-6 6l-6 -6z\" fill=\"")
        .raw(kMarkColour).raw("\" stroke=\"#fff\">");
    svg.title(iso(p.ev->epoch) + "  " + (p.ev->label.empty() ? in.lanes[p.ev->lane] : p.ev->label));
    svg.raw("</path>");
    if (p.row >= 0)
      svg.label(p.x + (p.anchor_end ? -3 : 3), label_y, p.text,
                std::string(p.anchor_end ? "text-anchor=\"end\" " : "") + kHalo + " font-weight=\"600\" fill=\"" +
                    kMarkColour + "\" class=\"mark-label\"");
  }
  return svg.finish();
}

}  // namespace sqlhunt::charts
