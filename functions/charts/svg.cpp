#include "functions/charts/svg.h"

#include <charconv>
#include <cmath>

#include "core/json_text.h"

namespace sqlhunt::charts {

const char* palette(size_t i) {
  static const char* const kColours[] = {"#4e79a7", "#f28e2b", "#59a14f", "#b07aa1", "#76b7b2",
                                         "#edc948", "#9c755f", "#ff9da7", "#bab0ac", "#e15759"};
  return kColours[i % (sizeof kColours / sizeof kColours[0])];
}

size_t char_count(std::string_view s) {
  size_t n = 0;
  for (unsigned char c : s) n += (c & 0xC0) != 0x80;
  return n;
}

double sans_width(std::string_view s) { return 6.2 * static_cast<double>(char_count(s)); }
double mono_width(std::string_view s) { return 6.7 * static_cast<double>(char_count(s)); }

std::string shorten(std::string_view s, size_t max) {
  if (char_count(s) <= max) return std::string(s);
  size_t chars = 0, i = 0;
  for (; i < s.size(); ++i) {
    if ((static_cast<unsigned char>(s[i]) & 0xC0) != 0x80 && chars++ == max - 1) break;
  }
  return std::string(s.substr(0, i)) + "\xE2\x80\xA6";  // U+2026
}

void append_xml(std::string& out, std::string_view s) {
  for (size_t i = 0; i < s.size();) {
    const unsigned char c = static_cast<unsigned char>(s[i]);
    if (c < 0x80) {
      switch (c) {
        case '&': out += "&amp;"; break;
        case '<': out += "&lt;"; break;
        case '>': out += "&gt;"; break;
        case '"': out += "&quot;"; break;
        case '\'': out += "&#39;"; break;
        case '\t': case '\n': case '\r': out += ' '; break;
        default:
          if (c >= 0x20 && c != 0x7F) out += static_cast<char>(c);  // XML 1.0 forbids C0 controls
      }
      ++i;
      continue;
    }
    const size_t n = json::utf8_sequence_length(s, i);
    if (n == 0) {
      out += "\xEF\xBF\xBD";
      ++i;
      continue;
    }
    // C1 controls (U+0080..U+009F) are discouraged in XML; they carry nothing readable.
    if (!(n == 2 && c == 0xC2 && static_cast<unsigned char>(s[i + 1]) < 0xA0)) out.append(s.substr(i, n));
    i += n;
  }
}

void append_num(std::string& out, double v) {
  if (!std::isfinite(v)) v = 0;
  if (std::fabs(v) < 1e15) v = std::round(v * 10) / 10;
  if (v == 0) v = 0;  // no "-0"
  char buf[64];
  // Coordinates stay far below 1e15; a value beside a bar may not (a sum of huge
  // numbers): that is written in exponent form rather than as 300 digits.
  auto r = std::fabs(v) < 1e15 ? std::to_chars(buf, buf + sizeof buf, v, std::chars_format::fixed, 1)
                               : std::to_chars(buf, buf + sizeof buf, v, std::chars_format::general, 6);
  std::string_view t(buf, static_cast<size_t>(r.ptr - buf));
  if (t.size() > 2 && t.substr(t.size() - 2) == ".0") t.remove_suffix(2);
  out.append(t);
}

Svg::Svg(std::string_view kind, double width, double height, std::string_view title) {
  out_ += "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"sqlhunt-chart sqlhunt-";
  append_xml(out_, kind);
  out_ += "\" width=\"";
  append_num(out_, width);
  out_ += "\" height=\"";
  append_num(out_, height);
  out_ += "\" viewBox=\"0 0 ";
  append_num(out_, width);
  out_ += ' ';
  append_num(out_, height);
  out_ += "\" role=\"img\" aria-label=\"";
  append_xml(out_, title);
  out_ += "\" font-family=\"";
  append_xml(out_, kSansFont);
  out_ += "\" font-size=\"11\" fill=\"";
  out_ += kInk;
  out_ += "\"><title>";
  append_xml(out_, title);
  out_ += "</title>";
}

Svg& Svg::text(std::string_view s) {
  append_xml(out_, s);
  return *this;
}

Svg& Svg::num(double v) {
  append_num(out_, v);
  return *this;
}

Svg& Svg::raw(std::string_view s) {
  out_.append(s);
  return *this;
}

void Svg::label(double x, double y, std::string_view s, std::string_view attrs) {
  raw("<text x=\"").num(x).raw("\" y=\"").num(y).raw("\"");
  if (!attrs.empty()) raw(" ").raw(attrs);
  raw(">").text(s).raw("</text>");
}

void Svg::title(std::string_view s) { raw("<title>").text(s).raw("</title>"); }

std::string Svg::finish() {
  out_ += "</svg>";
  return std::move(out_);
}

std::string empty_chart(std::string_view kind, std::string_view what) {
  Svg svg(kind, 320, 40, what);
  svg.label(10, 24, what, "fill=\"#777\"");
  return svg.finish();
}

}  // namespace sqlhunt::charts
