// functions/charts/world.h — points on a world outline.
//
// The outline is a TopoJSON topology (the format of npm's `world-atlas`, Natural
// Earth's public-domain country boundaries; scripts/fetch-world puts
// countries-110m.json in data/world/). What is read of it, per the TopoJSON
// specification (topojson/topojson-specification 1.0):
//   * `transform` (scale, translate): when present, arcs are quantized and
//     delta-encoded, each position added to the one before and then scaled;
//   * `arcs`: arrays of positions [x, y, ...] (longitude, latitude in degrees);
//   * `objects`: "countries" if there is one, else "land", else the first object; its
//     Polygon and MultiPolygon geometries (GeometryCollections inside are walked, 16
//     levels at most), each a list of rings made of arc indexes, a negative index ~i
//     being arc i reversed; `properties.name` names a country.
// Other geometry types (points, lines) are not part of an outline and are passed over.
// Input that is not such a topology is an error saying what is wrong; it never reads
// out of bounds (arc indexes are checked), and the points it expands to are bounded
// (kMaxWorldPoints), so a small hostile file cannot make a huge outline.
//
// The projection is Equal Earth (Šavrič, Patterson, Jenny 2018): equal-area, with
// straight parallels, the look of the Natural Earth maps; it is cut at 60°S, below
// which no address is.
#pragma once

#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace sqlhunt::charts {

struct WorldShape {
  std::string name;                                        // properties.name, may be empty
  std::vector<std::vector<std::pair<double, double>>> rings;  // (longitude, latitude) degrees
};

struct World {
  std::vector<WorldShape> shapes;
  size_t points = 0;
};

inline constexpr size_t kMaxWorldPoints = 4'000'000;
// Places labelled on a map besides the marked ones (the others are dots with a tooltip).
inline constexpr size_t kMaxMapLabels = 150;

// Parses a TopoJSON topology; nullopt with `why` set when it is not one.
std::optional<World> parse_topojson(std::string_view json, std::string* why);

// Equal Earth, in units where the map is 2 * 2.7207 wide; y grows to the north.
std::pair<double, double> equal_earth(double lon_deg, double lat_deg);

struct MapPoint {
  double lat = 0, lon = 0;
  std::string label;
  bool mark = false;
};

struct MapInput {
  std::vector<MapPoint> points;
  size_t unlocated = 0;  // rows whose latitude or longitude was NULL or out of range
};

// The map: the outline (when `world` is not null), then the points. `note` is written
// under the map (why there is no outline, for one).
std::string render_map(const World* world, const MapInput& in, std::string_view note);

// The outline named by the setting map.world (default ${DATA}/world/countries-110m.json),
// parsed once per file version (path, size, modification time) and kept; nullptr with
// `why` set when it is absent or not a topology.
std::shared_ptr<const World> world_from_setting(std::string* why);

}  // namespace sqlhunt::charts
