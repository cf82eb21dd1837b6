// functions/charts/svg.h — what every chart shares: one SVG writer.
//
// Every chart is a complete, standalone <svg> element: its own xmlns, viewBox, sizes,
// fonts and colours as attributes (no stylesheet, no script, no external reference), so
// it renders the same pasted into an HTML page, saved as a .svg file, or shown by any
// client that displays SVG. Text is escaped for XML (& < > " '), bytes that are not
// valid UTF-8 become U+FFFD and the control characters XML 1.0 forbids are dropped, so
// the output is always well-formed XML whatever the data held.
//
// Numbers are written with std::to_chars (locale-independent: a host that called
// setlocale(LC_NUMERIC, "de_DE") must not write "12,5" into a coordinate) to one
// decimal, so the same rows give the same bytes on every machine.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace sqlhunt::charts {

// A qualitative palette (Tableau 10), for lanes and series; the mark colour for what a
// chart marks (the alert).
const char* palette(size_t i);
inline constexpr const char* kMarkColour = "#d62728";
inline constexpr const char* kInk = "#222";
inline constexpr const char* kMuted = "#777";
inline constexpr const char* kRule = "#ddd";
inline constexpr const char* kSansFont = "system-ui,-apple-system,'Segoe UI',Roboto,'DejaVu Sans',sans-serif";
inline constexpr const char* kMonoFont = "ui-monospace,'SFMono-Regular',Menlo,Consolas,'DejaVu Sans Mono',monospace";

// Approximate widths of text at font-size 11, for layout (no font metrics are known
// here: the viewer picks the font). Counted in characters (UTF-8 code points), so a
// label of 40 accented letters is not taken for 80.
size_t char_count(std::string_view s);
double sans_width(std::string_view s);
double mono_width(std::string_view s);

// `s` cut to `max` characters with an ellipsis.
std::string shorten(std::string_view s, size_t max);

class Svg {
 public:
  // Opens <svg> with the chart's kind as class ("sqlhunt-chart sqlhunt-<kind>") and
  // `title` as its accessible name (and first <title> child).
  Svg(std::string_view kind, double width, double height, std::string_view title);

  // Escaped text for element content or attribute values.
  Svg& text(std::string_view s);
  // A number with one decimal ("12.5", "-3", "0").
  Svg& num(double v);
  Svg& raw(std::string_view s);

  // <text x y ...>s</text>; `attrs` are extra attributes written as given.
  void label(double x, double y, std::string_view s, std::string_view attrs = "");
  // <title> for the element just opened (a tooltip in browsers).
  void title(std::string_view s);

  // Closes </svg> and hands the document over.
  std::string finish();

 private:
  std::string out_;
};

// A small chart that says there was nothing to draw (an aggregate over no rows).
std::string empty_chart(std::string_view kind, std::string_view what);

// Appends `s` escaped for XML text and attributes.
void append_xml(std::string& out, std::string_view s);
// Appends `v` with one decimal, without trailing ".0".
void append_num(std::string& out, double v);

}  // namespace sqlhunt::charts
