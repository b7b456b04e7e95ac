#include "common/sim/traffic_curves.h"

#include <cmath>

namespace storepulse::common::sim {
namespace {

double Bump(double x, double centre, double width) {
  const double z = (x - centre) / width;
  return std::exp(-0.5 * z * z);
}

// Online activity by local hour, before normalisation.
constexpr std::array<double, 24> kOnlineByHour = {0.35, 0.20, 0.12, 0.08, 0.08, 0.12, 0.30, 0.60,
                                                  0.85, 1.00, 1.00, 1.05, 1.20, 1.20, 1.00, 1.00,
                                                  1.00, 1.05, 1.20, 1.50, 1.80, 1.80, 1.30, 0.70};

std::array<double, kQuartersPerDay> BuildOnlineCurve() {
  std::array<double, kQuartersPerDay> curve{};
  double total = 0;
  for (int q = 0; q < kQuartersPerDay; ++q) total += kOnlineByHour[q / 4];
  for (int q = 0; q < kQuartersPerDay; ++q) curve[q] = kOnlineByHour[q / 4] / total;
  return curve;
}

}  // namespace

double FootfallCurve(double wall_min) {
  return 0.55 + 1.00 * Bump(wall_min, 765, 75) + 0.90 * Bump(wall_min, 1050, 90);
}

const std::array<double, kQuartersPerDay>& OnlineCurve() {
  static const std::array<double, kQuartersPerDay> curve = BuildOnlineCurve();
  return curve;
}

}  // namespace storepulse::common::sim
