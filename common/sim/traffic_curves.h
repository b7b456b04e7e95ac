// The shapes of simulated traffic over a week and a day: weekday factors, the in-store diurnal
// curve (lunch and late-afternoon peaks) and the online curve (evening peak, quiet nights).
// Pure functions and constants; thread-safe.
#pragma once

#include <array>

namespace storepulse::common::sim {

inline constexpr int kQuartersPerDay = 96;

// Footfall of each weekday (Monday first) relative to an average day; they average 1.
inline constexpr std::array<double, 7> kWeekdayFootfall = {0.85, 0.90, 0.95, 1.00,
                                                           1.15, 1.45, 0.70};
// Online sales and orders of each weekday relative to an average day (Sunday evenings are busy).
inline constexpr std::array<double, 7> kWeekdayOnline = {1.05, 1.00, 0.95, 0.95, 0.90, 0.95, 1.20};

// Relative in-store traffic at a local wall-clock time (minutes after midnight): a base level, a
// lunch peak around 12:45 and a late-afternoon peak around 17:30.
double FootfallCurve(double wall_min);

// Share of a day's online activity in each local quarter-hour; sums to 1.
const std::array<double, kQuartersPerDay>& OnlineCurve();

}  // namespace storepulse::common::sim
