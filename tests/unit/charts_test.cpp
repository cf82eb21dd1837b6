// functions/charts without SQLite: the SVG writer's escaping and numbers, the tree's
// order (cycles, duplicate keys, unknown parents), the timeline's ticks and labels, the
// bars' notes, and the TopoJSON reader against hand-made topologies.
#include <gtest/gtest.h>

#include <clocale>
#include <string>
#include <vector>

#include "core/json_text.h"
#include "functions/charts/bars.h"
#include "functions/charts/svg.h"
#include "functions/charts/timeline.h"
#include "functions/charts/tree.h"
#include "functions/charts/world.h"

namespace c = sqlhunt::charts;

namespace {

size_t count(const std::string& s, const std::string& what) {
  size_t n = 0;
  for (size_t i = s.find(what); i != std::string::npos; i = s.find(what, i + 1)) ++n;
  return n;
}

}  // namespace

TEST(Svg, EscapesTextAndDropsWhatXmlCannotHold) {
  std::string out;
  c::append_xml(out, "a<b>&\"'\x01\x7f\t\xff" "\xc2\x85" "é");
  EXPECT_EQ(out, "a&lt;b&gt;&amp;&quot;&#39; \xEF\xBF\xBD" "é");
  EXPECT_TRUE(sqlhunt::json::is_valid_utf8(out));
}

TEST(Svg, NumbersAreLocaleFreeWithOneDecimal) {
  const char* old = std::setlocale(LC_NUMERIC, nullptr);
  std::string saved = old ? old : "C";
  std::setlocale(LC_NUMERIC, "de_DE.UTF-8");  // where installed: a comma would break coordinates
  std::string out;
  for (double v : {12.5, 3.0, -0.04, 0.0, 1234.56, 1e20}) {
    c::append_num(out, v);
    out += ' ';
  }
  std::setlocale(LC_NUMERIC, saved.c_str());
  EXPECT_EQ(out, "12.5 3 0 0 1234.6 1e+20 ");
}

TEST(Svg, ShortenCountsCharactersNotBytes) {
  EXPECT_EQ(c::shorten("ééééé", 5), "ééééé");
  EXPECT_EQ(c::shorten("éééééé", 5), "éééé\xE2\x80\xA6");
  EXPECT_EQ(c::char_count("aé"), 2u);
}

TEST(Tree, DepthFirstInGivenOrder) {
  std::vector<c::TreeNode> n = {{"c", "a", "C"}, {"a", "", "A"}, {"b", "a", "B"}, {"d", "c", "D"}, {"x", "nope", "X"}};
  auto order = c::tree_order(n);
  std::vector<std::pair<size_t, size_t>> want = {{1, 0}, {0, 1}, {3, 2}, {2, 1}, {4, 0}};
  EXPECT_EQ(order, want);  // unknown parent: a root
}

TEST(Tree, CyclesAreCutAtTheNodeGivenFirstAndNothingIsLost) {
  std::vector<c::TreeNode> n = {{"a", "c", "A"}, {"b", "a", "B"}, {"c", "b", "C"}, {"s", "s", "self"}};
  auto order = c::tree_order(n);
  ASSERT_EQ(order.size(), 4u);
  EXPECT_EQ(order[0], std::make_pair(size_t{0}, size_t{0}));  // a is the root
  EXPECT_EQ(order[1], std::make_pair(size_t{1}, size_t{1}));
  EXPECT_EQ(order[2], std::make_pair(size_t{2}, size_t{2}));
  EXPECT_EQ(order[3], std::make_pair(size_t{3}, size_t{0}));  // its own parent: a root
}

TEST(Tree, DuplicateKeysTakeChildrenOnTheFirst) {
  std::vector<c::TreeNode> n = {{"a", "", "A1"}, {"a", "", "A2"}, {"k", "a", "K"}};
  auto order = c::tree_order(n);
  std::vector<std::pair<size_t, size_t>> want = {{0, 0}, {2, 1}, {1, 0}};
  EXPECT_EQ(order, want);
}

TEST(Tree, RendersEveryNodeAndMarksInRed) {
  std::vector<c::TreeNode> n = {{"1", "", "sshd", false}, {"2", "1", "bash", false}, {"3", "2", "wget <x>", true}};
  const std::string svg = c::render_tree(n);
  EXPECT_EQ(count(svg, "<g class=\"node"), 3u);
  EXPECT_EQ(count(svg, "class=\"node marked\""), 1u);
  EXPECT_NE(svg.find("wget &lt;x&gt;"), std::string::npos);
  EXPECT_EQ(count(svg, "<path d="), 2u);  // an elbow per child
}

TEST(Tree, TooManyNodesSaysHowManyAreNotDrawn) {
  std::vector<c::TreeNode> n;
  for (size_t i = 0; i < c::kMaxTreeRows + 5; ++i) n.push_back({std::to_string(i), "", "p"});
  const std::string svg = c::render_tree(n);
  EXPECT_EQ(count(svg, "<g class=\"node"), c::kMaxTreeRows);
  EXPECT_NE(svg.find("5 more nodes not drawn"), std::string::npos);
}

TEST(Timeline, TickStepsGiveFiveToTenTicks) {
  EXPECT_EQ(c::tick_step(60), 10);
  EXPECT_EQ(c::tick_step(3600), 600);
  EXPECT_EQ(c::tick_step(6 * 3600), 3600);
  EXPECT_EQ(c::tick_step(30 * 86400), 604800);
  EXPECT_GT(c::tick_step(1e12), 0);
}

TEST(Timeline, StripsDotsMarksAndNotes) {
  c::TimelineInput in;
  in.lanes = {"Linux", "Alerts"};
  for (int i = 0; i < 1000; ++i) in.events.push_back({1550500000.0 + i * 7, 0, "", false});
  in.events.push_back({1550503000.0, 0, "wget http://x/y", false});
  in.events.push_back({1550503100.0, 1, "SSH Anomalous Login ML", true});
  in.untimed = 2;
  const std::string svg = c::render_timeline(in);
  EXPECT_EQ(count(svg, "class=\"density\""), 1u);
  EXPECT_EQ(count(svg, "<circle class=\"event\""), 1u);
  EXPECT_EQ(count(svg, "<path class=\"mark\""), 1u);
  EXPECT_EQ(count(svg, "class=\"mark-line\""), 1u);
  EXPECT_NE(svg.find("2 rows without a time are not drawn"), std::string::npos);
  EXPECT_NE(svg.find(">SSH Anomalous Login ML</text>"), std::string::npos);
}

TEST(Timeline, LabelsThatDoNotFitAreCountedNotLost) {
  c::TimelineInput in;
  in.lanes = {"busy"};
  for (int i = 0; i < 40; ++i) in.events.push_back({1550500000.0 + i * 0.001, 0, "a long label " + std::to_string(i), false});
  const std::string svg = c::render_timeline(in);
  EXPECT_EQ(count(svg, "<circle class=\"event\""), 40u);  // every dot, with its tooltip
  EXPECT_EQ(count(svg, "class=\"event-label\""), 12u);     // kMaxRows rows of labels
  EXPECT_NE(svg.find("28 labels did not fit"), std::string::npos);
}

TEST(Timeline, NothingToDrawIsAChartThatSaysSo) {
  c::TimelineInput in;
  in.untimed = 3;
  const std::string svg = c::render_timeline(in);
  EXPECT_NE(svg.find("3 rows, none with a time"), std::string::npos);
  EXPECT_EQ(svg.rfind("</svg>"), svg.size() - 6);
}

TEST(Bars, StackedWithLegendAndTotals) {
  c::BarsInput in;
  in.categories = {"inbound 22/tcp", "outbound 80/tcp"};
  in.series = {"lx", "win"};
  in.values = {{435, 0}, {40, 2}};
  in.unusable = 1;
  const std::string svg = c::render_bars(in);
  EXPECT_EQ(count(svg, "<g class=\"bar\""), 2u);
  EXPECT_EQ(count(svg, "<g class=\"legend\""), 1u);
  EXPECT_NE(svg.find(">435</text>"), std::string::npos);
  EXPECT_NE(svg.find(">42</text>"), std::string::npos);
  EXPECT_NE(svg.find("1 rows without a usable value"), std::string::npos);
}

// A quantized topology: one square (arcs 0 and 1 meeting), one triangle using arc 1
// reversed, a point (ignored), in a GeometryCollection named "countries".
const char* kTopo = R"({"type":"Topology",
  "transform":{"scale":[0.5,0.5],"translate":[-10,-10]},
  "arcs":[[[0,0],[0,40],[40,0]], [[40,40],[0,-40],[-40,0]], [[0,0],[10,10],[5,-5]]],
  "objects":{"countries":{"type":"GeometryCollection","geometries":[
     {"type":"Polygon","arcs":[[0,1]],"properties":{"name":"Square"}},
     {"type":"MultiPolygon","arcs":[[[-2,2]]],"id":"004"},
     {"type":"Point","coordinates":[1,2]}]}}})";

TEST(World, ReadsQuantizedDeltaArcsAndReversedIndexes) {
  std::string why;
  auto w = c::parse_topojson(kTopo, &why);
  ASSERT_TRUE(w) << why;
  ASSERT_EQ(w->shapes.size(), 2u);
  EXPECT_EQ(w->shapes[0].name, "Square");
  const auto& sq = w->shapes[0].rings.at(0);
  // arc 0: (0,0) (0,40) (40,40) -> degrees (-10,-10) (-10,10) (10,10); arc 1 continues
  // from its first point (skipped): (40,0) (0,0) -> (10,-10) (-10,-10).
  std::vector<std::pair<double, double>> want = {{-10, -10}, {-10, 10}, {10, 10}, {10, -10}, {-10, -10}};
  EXPECT_EQ(sq, want);
  const auto& tri = w->shapes[1].rings.at(0);
  EXPECT_EQ(tri.front(), std::make_pair(-10.0, -10.0));  // arc 1 reversed starts at its end
  EXPECT_EQ(tri.size(), 3u + 2u);
}

TEST(World, SaysWhatIsWrong) {
  std::string why;
  EXPECT_FALSE(c::parse_topojson("[1,2]", &why));
  EXPECT_NE(why.find("not \"Topology\""), std::string::npos);
  EXPECT_FALSE(c::parse_topojson(R"({"type":"Topology","arcs":[],"objects":{"a":{"type":"Polygon","arcs":[[5]]}}})", &why));
  EXPECT_NE(why.find("arc index 5 names no arc"), std::string::npos);
  EXPECT_FALSE(c::parse_topojson(R"({"type":"Topology","arcs":[[[0,0]]],"objects":{}})", &why));
  EXPECT_NE(why.find("no objects"), std::string::npos);
  EXPECT_FALSE(c::parse_topojson("{\"type\":\"Topology\"", &why));
}

TEST(World, AnOutlineCannotExpandBeyondItsBound) {
  // One arc of 1,000 points named 5,000 times by one ring: 5 million points.
  std::string arc = "[";
  for (int i = 0; i < 1000; ++i) arc += std::string(i ? "," : "") + "[1,1]";
  arc += "]";
  std::string ring = "[";
  for (int i = 0; i < 5000; ++i) ring += std::string(i ? "," : "") + "0";
  ring += "]";
  const std::string topo = R"({"type":"Topology","arcs":[)" + arc + R"(],"objects":{"a":{"type":"Polygon","arcs":[)" +
                           ring + "]}}}";
  std::string why;
  EXPECT_FALSE(c::parse_topojson(topo, &why));
  EXPECT_NE(why.find("more than"), std::string::npos);
}

TEST(World, EqualEarthIsSymmetricAndBounded) {
  auto [x0, y0] = c::equal_earth(0, 0);
  EXPECT_DOUBLE_EQ(x0, 0);
  EXPECT_DOUBLE_EQ(y0, 0);
  auto [x1, y1] = c::equal_earth(180, 0);
  EXPECT_NEAR(x1, 2.7066, 1e-3);  // pi / (sqrt(3)/2 * A1), A1 = 1.340264 (d3-geo's geoEqualEarthRaw)
  auto [x2, y2] = c::equal_earth(-180, 90);
  EXPECT_NEAR(y2, 1.3173, 1e-3);
  EXPECT_LT(x2, 0);
}

TEST(World, MapDrawsShapesPointsAndNotes) {
  std::string why;
  auto w = c::parse_topojson(kTopo, &why);
  ASSERT_TRUE(w);
  c::MapInput in;
  in.points = {{1.29, 103.85, "23.97.60.214 Singapore", true}, {47.6, -122.3, "13.67.35.176", false},
               {1.3, 103.86, "another in Singapore", false}};
  in.unlocated = 1;
  const std::string svg = c::render_map(&*w, in, "");
  EXPECT_EQ(count(svg, "<g class=\"place"), 2u);  // two spots: the Singapore pair share one
  EXPECT_EQ(count(svg, "class=\"place marked\""), 1u);
  EXPECT_NE(svg.find("<title>Square</title>"), std::string::npos);
  EXPECT_NE(svg.find("1 rows without a location"), std::string::npos);
  const std::string bare = c::render_map(nullptr, in, "no world outline at x");
  EXPECT_EQ(count(bare, "class=\"land\""), 0u);
  EXPECT_NE(bare.find("no world outline at x"), std::string::npos);
}
