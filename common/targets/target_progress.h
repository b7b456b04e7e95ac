// How an actual stands against its target part-way through the period (docs/OPERATIONS.md,
// "Targets"). A cumulative KPI (net sales, transactions, footfall…) is judged against the target
// pro rata to the time elapsed — 40% into the week, 40% of the week's target is expected; a level
// (a rate, an average, a score) is judged against the target itself. Within ±kOnTrackTolerance of
// what is expected is on track; better is ahead, worse behind — "better" being "below" for a KPI
// where lower is better (return_rate, sfs_stock_cancel_rate, cc_warehouse_share, …). A cumulative
// target already reached is achieved (or, where lower is better, missed: already over budget).
// Pure functions; thread-safe.
#pragma once

#include <optional>
#include <string_view>

namespace storepulse::common {

// Relative band around the expected figure that still counts as on track.
inline constexpr double kOnTrackTolerance = 0.05;

enum class TargetStatus { kAchieved, kAhead, kOnTrack, kBehind, kMissed, kNoData };

// "achieved", "ahead", "on_track", "behind", "missed", "no_data".
std::string_view TargetStatusName(TargetStatus status);

struct TargetProgress {
  double expected = 0;            // what the target asks for by now
  std::optional<double> gap;      // actual − target
  std::optional<double> gap_pct;  // gap / target; none when the target is 0
  TargetStatus status = TargetStatus::kNoData;
};

// `actual` is none when the KPI has nothing to divide by (JSON null); `elapsed` is the part of
// the period gone by, 0–1.
TargetProgress JudgeTarget(std::string_view kpi, std::optional<double> actual, double target,
                           double elapsed);

}  // namespace storepulse::common
