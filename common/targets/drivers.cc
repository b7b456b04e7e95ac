#include "common/targets/drivers.h"

#include <algorithm>
#include <cmath>
#include <numeric>

namespace storepulse::common {
namespace {

double LogMean(double a, double b) {
  if (a == b) return a;
  return (a - b) / (std::log(a) - std::log(b));
}

std::optional<double> Ratio(double now, double before) {
  if (before == 0) return std::nullopt;
  return now / before - 1;
}

}  // namespace

std::vector<int64_t> RoundParts(const std::vector<double>& parts, int64_t total) {
  std::vector<int64_t> rounded(parts.size());
  std::vector<double> rest(parts.size());
  int64_t sum = 0;
  for (size_t i = 0; i < parts.size(); ++i) {
    // A part a hair from a whole number (a ratio of 1 computed as 0.999…) is that number.
    const double nearest = std::round(parts[i]);
    const double down = std::fabs(parts[i] - nearest) < 1e-6 ? nearest : std::floor(parts[i]);
    rounded[i] = static_cast<int64_t>(down);
    rest[i] = parts[i] - down;
    sum += rounded[i];
  }
  std::vector<size_t> order(parts.size());
  std::iota(order.begin(), order.end(), 0);
  // Largest remainders first; ties to the larger part, then the earlier.
  std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) {
    if (rest[a] != rest[b]) return rest[a] > rest[b];
    return std::fabs(parts[a]) > std::fabs(parts[b]);
  });
  int64_t missing = total - sum;
  for (size_t k = 0; missing > 0 && !order.empty(); ++k, --missing) {
    ++rounded[order[k % order.size()]];
  }
  for (size_t k = 0; missing < 0 && !order.empty(); ++k, ++missing) {  // rounding drift only
    --rounded[order[order.size() - 1 - k % order.size()]];
  }
  return rounded;
}

DriverFigures ScaleToNetSales(const DriverFigures& base, double net) {
  const double current = base.net_sales();
  if (current <= 0) return base;
  const double k = net / current;
  return {base.footfall * k, base.transactions * k, base.gross_sales * k, base.returns_value * k};
}

GapDrivers DecomposeGap(const DriverFigures& actual, const DriverFigures& base) {
  GapDrivers drivers;
  drivers.gap = std::llround(actual.net_sales() - base.net_sales());
  const double g1 = actual.gross_sales, g0 = base.gross_sales;
  std::vector<DriverPart> parts;
  std::vector<double> amounts;
  const bool sales = g1 > 0 && g0 > 0 && actual.transactions > 0 && base.transactions > 0;
  if (sales && actual.footfall > 0 && base.footfall > 0) {
    const double l = LogMean(g1, g0);
    const double c1 = actual.transactions / actual.footfall, c0 = base.transactions / base.footfall;
    const double b1 = g1 / actual.transactions, b0 = g0 / base.transactions;
    parts = {{"footfall", 0, Ratio(actual.footfall, base.footfall)},
             {"conversion", 0, c1 - c0},
             {"basket", 0, Ratio(b1, b0)}};
    amounts = {l * std::log(actual.footfall / base.footfall), l * std::log(c1 / c0),
               l * std::log(b1 / b0)};
    drivers.method = "lmdi";
  } else if (sales) {
    const double l = LogMean(g1, g0);
    const double b1 = g1 / actual.transactions, b0 = g0 / base.transactions;
    parts = {{"transactions", 0, Ratio(actual.transactions, base.transactions)},
             {"basket", 0, Ratio(b1, b0)}};
    amounts = {l * std::log(actual.transactions / base.transactions), l * std::log(b1 / b0)};
    drivers.method = "transactions_basket";
  } else {
    parts = {{"sales", 0, std::nullopt}};
    amounts = {g1 - g0};
    drivers.method = "sales";
  }
  parts.push_back({"returns", 0, Ratio(actual.returns_value, base.returns_value)});
  amounts.push_back(-(actual.returns_value - base.returns_value));
  const std::vector<int64_t> rounded = RoundParts(amounts, drivers.gap);
  for (size_t i = 0; i < parts.size(); ++i) parts[i].amount = rounded[i];
  drivers.parts = std::move(parts);
  return drivers;
}

}  // namespace storepulse::common
