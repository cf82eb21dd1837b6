#include "functions/charts/world.h"

#include <sys/stat.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <mutex>
#include <unordered_map>
#include <simdjson.h>

#include "core/config.h"
#include "core/error.h"
#include "core/file_source.h"
#include "functions/charts/svg.h"

namespace sqlhunt::charts {
namespace {

const config::Registration kSettings({
    {"map.world", "SQLHUNT_MAP_WORLD", "${DATA}/world/countries-110m.json", config::Kind::kPath, true, 0, 0,
     "World outline svg_map() draws: a TopoJSON topology (world-atlas' countries-110m.json, fetched by "
     "scripts/fetch-world)."},
});

using simdjson::dom::element;
constexpr size_t kMaxDepth = 16;
constexpr size_t kMaxWorldFile = 64 << 20;

using Ring = std::vector<std::pair<double, double>>;

struct Decoder {
  std::vector<Ring> arcs;
  size_t points = 0;
  std::string error;

  bool fail(std::string why) {
    if (error.empty()) error = std::move(why);
    return false;
  }

  bool number(element e, double* out) {
    if (e.get_double().get(*out) == simdjson::SUCCESS && std::isfinite(*out)) return true;
    int64_t i;
    if (e.get_int64().get(i) == simdjson::SUCCESS) return *out = static_cast<double>(i), true;
    uint64_t u;
    if (e.get_uint64().get(u) == simdjson::SUCCESS) return *out = static_cast<double>(u), true;
    return false;
  }

  bool decode_arcs(element arcs_el, const double* scale, const double* translate) {
    simdjson::dom::array arcs_arr;
    if (arcs_el.get_array().get(arcs_arr)) return fail("'arcs' is not an array");
    for (element arc : arcs_arr) {
      simdjson::dom::array positions;
      if (arc.get_array().get(positions)) return fail("an arc is not an array of positions");
      Ring ring;
      double x = 0, y = 0;
      for (element pos : positions) {
        simdjson::dom::array xy;
        double px, py;
        if (pos.get_array().get(xy) || xy.size() < 2 || !number(xy.at(0).value_unsafe(), &px) ||
            !number(xy.at(1).value_unsafe(), &py))
          return fail("a position is not [x, y]");
        if (scale) {  // quantized: delta-encoded integers
          x += px;
          y += py;
          ring.push_back({x * scale[0] + translate[0], y * scale[1] + translate[1]});
        } else {
          ring.push_back({px, py});
        }
      }
      arcs.push_back(std::move(ring));
    }
    return true;
  }

  // A ring: arcs joined, each after the first without its first position (it is the
  // previous arc's last).
  bool join_ring(element indexes, Ring* out) {
    simdjson::dom::array arr;
    if (indexes.get_array().get(arr)) return fail("a ring is not an array of arc indexes");
    for (element ix : arr) {
      int64_t i;
      if (ix.get_int64().get(i)) return fail("an arc index is not an integer");
      const bool reversed = i < 0;
      const int64_t a = reversed ? ~i : i;
      if (a < 0 || static_cast<uint64_t>(a) >= arcs.size())
        return fail("arc index " + std::to_string(i) + " names no arc (there are " + std::to_string(arcs.size()) + ")");
      const Ring& arc = arcs[static_cast<size_t>(a)];
      if (points + arc.size() > kMaxWorldPoints)
        return fail("the outline expands to more than " + std::to_string(kMaxWorldPoints) + " points");
      points += arc.size();
      const size_t skip = out->empty() ? 0 : 1;
      if (reversed) {
        for (size_t k = arc.size() - std::min(skip, arc.size()); k > 0; --k) out->push_back(arc[k - 1]);
      } else {
        for (size_t k = skip; k < arc.size(); ++k) out->push_back(arc[k]);
      }
    }
    return true;
  }

  bool polygon(element rings_el, WorldShape* shape) {
    simdjson::dom::array rings;
    if (rings_el.get_array().get(rings)) return fail("a polygon's arcs are not an array of rings");
    for (element r : rings) {
      Ring ring;
      if (!join_ring(r, &ring)) return false;
      if (ring.size() >= 3) shape->rings.push_back(std::move(ring));
    }
    return true;
  }

  bool geometry(element g, size_t depth, World* world) {
    if (depth > kMaxDepth) return fail("geometry collections nest deeper than " + std::to_string(kMaxDepth));
    std::string_view type;
    if (g["type"].get_string().get(type)) return fail("a geometry has no type");
    if (type == "GeometryCollection") {
      simdjson::dom::array geometries;
      if (g["geometries"].get_array().get(geometries)) return fail("a GeometryCollection has no geometries");
      for (element child : geometries)
        if (!geometry(child, depth + 1, world)) return false;
      return true;
    }
    if (type != "Polygon" && type != "MultiPolygon") return true;  // points and lines outline nothing
    WorldShape shape;
    std::string_view name;
    if (!g["properties"]["name"].get_string().get(name)) shape.name = std::string(name);
    element arcs_el;
    if (g["arcs"].get(arcs_el)) return fail("a " + std::string(type) + " has no arcs");
    if (type == "Polygon") {
      if (!polygon(arcs_el, &shape)) return false;
    } else {
      simdjson::dom::array polys;
      if (arcs_el.get_array().get(polys)) return fail("a MultiPolygon's arcs are not an array");
      for (element p : polys)
        if (!polygon(p, &shape)) return false;
    }
    if (!shape.rings.empty()) world->shapes.push_back(std::move(shape));
    return true;
  }
};

// The map's frame in Equal Earth units: the whole width, 84°N down to 60°S.
constexpr double kMapWidth = 960;
constexpr double kHalfWidth = 2.7207;  // x at 180° on the equator

struct Frame {
  double scale, y_top, height;
  Frame() {
    scale = kMapWidth / (2 * kHalfWidth);
    y_top = equal_earth(0, 84).second;
    height = (y_top - equal_earth(0, -60).second) * scale;
  }
  std::pair<double, double> px(double lon, double lat) const {
    auto [x, y] = equal_earth(lon, lat);
    return {(x + kHalfWidth) * scale, (y_top - y) * scale};
  }
};

void append_ring(std::string& d, const Ring& ring, const Frame& f) {
  // Antarctica (all of it south of the frame) is left out, not drawn below the map.
  if (std::all_of(ring.begin(), ring.end(), [](const auto& p) { return p.second < -60; })) return;
  double last_x = NAN, last_y = NAN, last_lon = NAN;
  bool first = true;
  for (auto [lon, lat] : ring) {
    auto [x, y] = f.px(lon, lat);
    x = std::round(x * 10) / 10;
    y = std::round(y * 10) / 10;
    if (x == last_x && y == last_y) continue;
    // A ring that crosses the antimeridian (Fiji) jumps from one edge of the map to the
    // other: it is continued as a new subpath there, not drawn across the world.
    const bool jump = std::fabs(lon - last_lon) > 180;
    d += first || jump ? 'M' : 'L';
    last_lon = lon;
    append_num(d, x);
    d += ' ';
    append_num(d, y);
    last_x = x;
    last_y = y;
    first = false;
  }
  if (!first) d += 'Z';
}

}  // namespace

std::optional<World> parse_topojson(std::string_view json, std::string* why) {
  simdjson::dom::parser parser;
  element root;
  auto fail = [&](std::string m) -> std::optional<World> {
    if (why) *why = "not a TopoJSON topology: " + m;
    return std::nullopt;
  };
  if (auto err = parser.parse(json.data(), json.size()).get(root)) return fail(simdjson::error_message(err));
  std::string_view type;
  if (root["type"].get_string().get(type) || type != "Topology") return fail("its type is not \"Topology\"");

  Decoder dec;
  double scale[2], translate[2];
  bool quantized = false;
  element transform;
  if (!root["transform"].get(transform)) {
    simdjson::dom::array s, t;
    if (transform["scale"].get_array().get(s) || transform["translate"].get_array().get(t) || s.size() < 2 ||
        t.size() < 2 || !dec.number(s.at(0).value_unsafe(), &scale[0]) ||
        !dec.number(s.at(1).value_unsafe(), &scale[1]) || !dec.number(t.at(0).value_unsafe(), &translate[0]) ||
        !dec.number(t.at(1).value_unsafe(), &translate[1]))
      return fail("its transform is not {scale: [x, y], translate: [x, y]}");
    quantized = true;
  }
  element arcs;
  if (root["arcs"].get(arcs)) return fail("it has no arcs");
  if (!dec.decode_arcs(arcs, quantized ? scale : nullptr, quantized ? translate : nullptr)) return fail(dec.error);

  simdjson::dom::object objects;
  if (root["objects"].get_object().get(objects) || objects.size() == 0) return fail("it has no objects");
  element chosen;
  if (objects["countries"].get(chosen) && objects["land"].get(chosen)) chosen = (*objects.begin()).value;

  World world;
  if (!dec.geometry(chosen, 0, &world)) return fail(dec.error);
  world.points = dec.points;
  return world;
}

std::pair<double, double> equal_earth(double lon_deg, double lat_deg) {
  constexpr double A1 = 1.340264, A2 = -0.081106, A3 = 0.000893, A4 = 0.003796;
  const double M = std::sqrt(3.0) / 2;
  const double lambda = lon_deg * M_PI / 180, phi = lat_deg * M_PI / 180;
  const double theta = std::asin(M * std::sin(phi));
  const double t2 = theta * theta, t6 = t2 * t2 * t2;
  const double x = lambda * std::cos(theta) / (M * (A1 + 3 * A2 * t2 + t6 * (7 * A3 + 9 * A4 * t2)));
  const double y = theta * (A1 + A2 * t2 + t6 * (A3 + A4 * t2));
  return {x, y};
}

std::string render_map(const World* world, const MapInput& in, std::string_view note) {
  const Frame f;
  const double width = kMapWidth, height = std::round(f.height) + 22;
  Svg svg("map", width, height,
          "Map: " + std::to_string(in.points.size()) + " places" + (world ? "" : " (no world outline)"));

  // The globe's edge (meridians at ±180°) as the sea.
  std::string sea = "M";
  for (int lat = 84; lat >= -60; lat -= 4) {
    auto [x, y] = f.px(-180, lat);
    append_num(sea, x);
    sea += ' ';
    append_num(sea, y);
    sea += 'L';
  }
  for (int lat = -60; lat <= 84; lat += 4) {
    auto [x, y] = f.px(180, lat);
    append_num(sea, x);
    sea += ' ';
    append_num(sea, y);
    sea += lat < 84 ? "L" : "Z";
  }
  svg.raw("<path class=\"sea\" d=\"").raw(sea).raw("\" fill=\"#eef4f8\"/>");

  if (world) {
    svg.raw("<g class=\"land\" fill=\"#dcdcd6\" stroke=\"#fff\" stroke-width=\"0.5\">");
    for (const auto& shape : world->shapes) {
      std::string d;
      for (const auto& ring : shape.rings) append_ring(d, ring, f);
      if (d.empty()) continue;
      svg.raw("<path d=\"").raw(d).raw("\">");
      if (!shape.name.empty()) svg.title(shape.name);
      svg.raw("</path>");
    }
    svg.raw("</g>");
  }

  // Points: those at the same spot (within 4 px) share one dot and one label.
  struct Spot {
    double x, y;
    std::vector<const MapPoint*> pts;
    bool mark = false;
  };
  // Grouped by 4-pixel cell (a hash, not a search: a map of 100,000 rows stays linear).
  std::vector<Spot> spots;
  std::unordered_map<int64_t, size_t> cells;
  for (const auto& p : in.points) {
    auto [x, y] = f.px(p.lon, p.lat);
    if (!std::isfinite(x) || !std::isfinite(y)) continue;  // the adapter lets none through; a caller might
    const int64_t cell = static_cast<int64_t>(std::floor(x / 4)) * 1000000 + static_cast<int64_t>(std::floor(y / 4));
    auto [it, added] = cells.emplace(cell, spots.size());
    if (added) spots.push_back({x, y, {}, false});
    Spot& s = spots[it->second];
    s.pts.push_back(&p);
    s.mark |= p.mark;
  }
  // Labels for the marked spots and the first kMaxMapLabels others; the rest are dots
  // with their tooltip (placing a label is a search among those placed).
  size_t labels_left = kMaxMapLabels;
  // Labels right of the dot (left of it in the east), moved down past labels already
  // placed that they would overlap.
  std::vector<std::array<double, 4>> boxes;  // x0, y0, x1, y1
  for (const auto& s : spots) {
    std::string label;
    for (size_t i = 0; i < s.pts.size(); ++i) {
      if (i == 3) {
        label += " +" + std::to_string(s.pts.size() - 3);
        break;
      }
      if (i) label += ", ";
      label += s.pts[i]->label;
    }
    label = shorten(label, 60);
    const bool labelled = s.mark || labels_left > 0;
    if (!s.mark && labels_left > 0) --labels_left;
    if (!labelled) label.clear();
    const double w = sans_width(label);
    const bool left = s.x + 8 + w > width - 4;
    double y = s.y + 4;
    for (int tries = 0; tries < 40 && !label.empty(); ++tries) {
      const double x0 = left ? s.x - 8 - w : s.x + 8, x1 = x0 + w;
      const bool clash = std::any_of(boxes.begin(), boxes.end(), [&](const auto& b) {
        return x0 < b[2] && b[0] < x1 && y - 10 < b[3] && b[1] < y + 2;
      });
      if (!clash) break;
      y += 12;
    }
    const double x0 = left ? s.x - 8 - w : s.x + 8;
    if (!label.empty()) boxes.push_back({x0, y - 10, x0 + w, y + 2});
    const char* colour = s.mark ? kMarkColour : "#1f5f99";
    std::string tip;
    for (const MapPoint* p : s.pts) {
      if (!tip.empty()) tip += "\n";
      tip += p->label;
    }
    svg.raw("<g class=\"place").raw(s.mark ? " marked" : "").raw("\"><title>").text(tip).raw("</title>");
    svg.raw("<circle cx=\"").num(s.x).raw("\" cy=\"").num(s.y).raw("\" r=\"").raw(s.mark ? "6" : "4.5")
        .raw("\" fill=\"").raw(colour).raw("\" fill-opacity=\"0.85\" stroke=\"#fff\" stroke-width=\"1.5\"/>");
    if (!label.empty() && std::fabs(y - (s.y + 4)) > 1)
      svg.raw("<line x1=\"").num(s.x).raw("\" y1=\"").num(s.y).raw("\" x2=\"").num(left ? x0 + w : x0).raw("\" y2=\"")
          .num(y - 4).raw("\" stroke=\"#999\" stroke-width=\"0.6\"/>");
    svg.raw("<text x=\"").num(x0).raw("\" y=\"").num(y).raw("\" fill=\"").raw(colour).raw("\"")
        .raw(s.mark ? " font-weight=\"600\"" : "").raw(" paint-order=\"stroke\" stroke=\"#fff\" stroke-width=\"3\">")
        .text(label).raw("</text></g>");
  }

  std::string foot(note);
  if (in.unlocated) {
    if (!foot.empty()) foot += " ";
    foot += std::to_string(in.unlocated) + " rows without a location are not drawn.";
  }
  if (!foot.empty()) svg.label(6, height - 6, foot, "fill=\"#777\" class=\"note\"");
  if (world)
    svg.label(width - 6, height - 6, "Outline: Natural Earth (public domain), Equal Earth projection",
              "fill=\"#999\" text-anchor=\"end\" font-size=\"9\"");
  return svg.finish();
}

std::shared_ptr<const World> world_from_setting(std::string* why) {
  static std::mutex mu;
  static std::string cached_key;
  static std::shared_ptr<const World> cached;

  const auto path = config::get("map.world");
  if (!path) {
    if (why) *why = "no world outline: the setting map.world is empty";
    return nullptr;
  }
  struct stat st {};
  if (::stat(path->c_str(), &st) != 0) {
    if (why) *why = "no world outline at " + *path + " (run scripts/fetch-world, or set map.world)";
    return nullptr;
  }
  const std::string key = *path + "\n" + std::to_string(st.st_size) + "\n" + std::to_string(st.st_mtim.tv_sec) + "." +
                          std::to_string(st.st_mtim.tv_nsec);
  std::lock_guard<std::mutex> lock(mu);
  if (key == cached_key && cached) return cached;
  try {
    const std::string json = files::read_small(*path, kMaxWorldFile, "a TopoJSON world outline");
    std::string reason;
    auto world = parse_topojson(json, &reason);
    if (!world) {
      if (why) *why = *path + " is " + reason;
      return nullptr;
    }
    cached = std::make_shared<const World>(std::move(*world));
    cached_key = key;
    return cached;
  } catch (const Error& e) {
    if (why) *why = e.what();
    return nullptr;
  }
}

}  // namespace sqlhunt::charts
