// functions/charts/timeline.h — events on a time axis, one lane per source.
//
// What it draws (docs/charts.md#svg_timeline has a picture's worth of words):
//   * one horizontal lane per distinct `lane`, in the order lanes first appear;
//   * events without a label as a density strip: the lane's events counted per 4-pixel
//     slot, a bar's height the square root of its count against the busiest slot's (so
//     one event in a quiet minute still shows beside thousands in a busy one);
//   * events with a label as dots, their labels in rows under the lane, each placed in
//     the first row where it does not overlap the one before (no label hides another;
//     a lane grows as tall as its labels need; labels longer than 48 characters are
//     cut, the whole text is the dot's tooltip);
//   * marked events (mark = 1, the alert) as a red diamond and a dashed red line across
//     every lane, labelled at the top;
//   * a UTC axis with ticks at a round step (1 s ... 1 week) chosen for 5-10 ticks.
// Rows with no time are not drawn; their count is written under the axis, never lost
// silently.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace sqlhunt::charts {

struct TimelineEvent {
  double epoch = 0;        // seconds since 1970
  uint32_t lane = 0;       // index into the lane names
  std::string label;       // empty: part of the density strip
  bool mark = false;
};

struct TimelineInput {
  std::vector<std::string> lanes;  // names, in first-seen order
  std::vector<TimelineEvent> events;
  size_t untimed = 0;              // rows whose time was NULL or no time
};

std::string render_timeline(const TimelineInput& in);

// A round tick step (seconds) for a span: 5 to 10 ticks.
double tick_step(double span_seconds);

}  // namespace sqlhunt::charts
