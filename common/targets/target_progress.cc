#include "common/targets/target_progress.h"

#include <cmath>

#include "common/targets/kpi_traits.h"

namespace storepulse::common {

std::string_view TargetStatusName(TargetStatus status) {
  switch (status) {
    case TargetStatus::kAchieved:
      return "achieved";
    case TargetStatus::kAhead:
      return "ahead";
    case TargetStatus::kOnTrack:
      return "on_track";
    case TargetStatus::kBehind:
      return "behind";
    case TargetStatus::kMissed:
      return "missed";
    case TargetStatus::kNoData:
      break;
  }
  return "no_data";
}

TargetProgress JudgeTarget(std::string_view kpi, std::optional<double> actual, double target,
                           double elapsed) {
  const KpiTraits traits = TraitsOf(kpi);
  TargetProgress progress;
  progress.expected = traits.cumulative ? target * elapsed : target;
  if (!actual) return progress;
  progress.gap = *actual - target;
  if (target != 0) progress.gap_pct = *progress.gap / target;
  if (traits.cumulative && !traits.lower_is_better && *actual >= target) {
    progress.status = TargetStatus::kAchieved;
    return progress;
  }
  if (traits.cumulative && traits.lower_is_better && *actual > target) {
    progress.status = TargetStatus::kMissed;
    return progress;
  }
  // How much better than expected (positive: better), against the tolerance band.
  const double better =
      traits.lower_is_better ? progress.expected - *actual : *actual - progress.expected;
  const double band = kOnTrackTolerance * std::fabs(progress.expected);
  progress.status = better > band     ? TargetStatus::kAhead
                    : better >= -band ? TargetStatus::kOnTrack
                                      : TargetStatus::kBehind;
  return progress;
}

}  // namespace storepulse::common
