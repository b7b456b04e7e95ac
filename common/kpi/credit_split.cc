#include "common/kpi/credit_split.h"

#include <algorithm>
#include <numeric>

#include "common/kpi/kpi_values.h"

namespace storepulse::common {

bool IsCountedInCreditUnits(Measure measure) {
  switch (measure) {
    case Measure::kTransactions:
    case Measure::kStoreTransactions:
    case Measure::kUnitsSold:
    case Measure::kIdentifiedTransactions:
    case Measure::kReturns:
    case Measure::kUnitsReturned:
    case Measure::kWebReturns:
    case Measure::kDefectiveUnits:
      return true;
    default:  // money, and what no sale or return adds (labour's staff-seconds stay whole)
      return false;
  }
}

std::vector<int64_t> SplitByLargestRemainder(int64_t amount, const std::vector<int64_t>& weights) {
  const __int128 total = std::accumulate(weights.begin(), weights.end(), __int128{0});
  std::vector<int64_t> parts(weights.size());
  std::vector<__int128> remainders(weights.size());
  int64_t given = 0;
  for (size_t i = 0; i < weights.size(); ++i) {
    const __int128 exact = static_cast<__int128>(amount) * weights[i];  // no overflow: < 2^127
    parts[i] = static_cast<int64_t>(exact / total);
    remainders[i] = exact % total;
    given += parts[i];
  }
  std::vector<size_t> order(weights.size());
  std::iota(order.begin(), order.end(), size_t{0});
  std::stable_sort(order.begin(), order.end(),
                   [&](size_t a, size_t b) { return remainders[a] > remainders[b]; });
  for (size_t k = 0; given < amount; ++k, ++given) ++parts[order[k]];
  return parts;
}

Measures InCreditUnits(const Measures& whole) {
  Measures scaled = whole;
  for (size_t i = 0; i < kMeasureCount; ++i) {
    if (IsCountedInCreditUnits(static_cast<Measure>(i))) scaled.v[i] *= kCreditUnitsPerCount;
  }
  return scaled;
}

std::vector<std::pair<std::string, Measures>> EmployeeCredits(const Event& event,
                                                              const Measures& whole) {
  const Measures scaled = InCreditUnits(whole);
  std::vector<std::pair<std::string, Measures>> out;
  if (event.type != EventType::kSale || event.credits.empty()) {
    out.emplace_back(event.employee, scaled);
    return out;
  }
  std::vector<int64_t> weights;
  for (const Credit& credit : event.credits) {
    weights.push_back(credit.share_ppm);
    out.emplace_back(credit.employee, Measures{});
  }
  for (size_t i = 0; i < kMeasureCount; ++i) {
    if (scaled.v[i] == 0) continue;
    const std::vector<int64_t> parts = SplitByLargestRemainder(scaled.v[i], weights);
    for (size_t c = 0; c < parts.size(); ++c) out[c].second.v[i] = parts[c];
  }
  return out;
}

namespace {

KpiValue Counted(int64_t credit_units) {
  return KpiValue::Real(static_cast<double>(credit_units) / kCreditUnitsPerCount);
}

}  // namespace

KpiRow CreditedKpis(std::string key, const Measures& credited) {
  KpiRow row = MeasureKpis(std::move(key), credited);
  const auto m = [&](Measure measure) { return credited[measure]; };
  row[Kpi::kTransactions] = Counted(m(Measure::kTransactions));
  row[Kpi::kUnitsSold] = Counted(m(Measure::kUnitsSold));
  row[Kpi::kUnitsReturned] = Counted(m(Measure::kUnitsReturned));
  row[Kpi::kWebReturnsInStore] = Counted(m(Measure::kWebReturns));
  row[Kpi::kIdentifiedTransactions] = Counted(m(Measure::kIdentifiedTransactions));
  // Money over counted things: the count back from millionths (upt and the rates divide two sums
  // of the same unit, which MeasureKpis did right; no footfall ever reaches an employee row).
  const int64_t txns = m(Measure::kTransactions);
  row[Kpi::kAov] = txns == 0 ? KpiValue()
                             : KpiValue::Real(static_cast<double>(m(Measure::kGrossSales)) *
                                              kCreditUnitsPerCount / static_cast<double>(txns));
  return row;
}

bool IsCreditSplitKpi(Kpi kpi) {
  switch (kpi) {
    case Kpi::kTransactions:
    case Kpi::kUnitsSold:
    case Kpi::kUnitsReturned:
    case Kpi::kWebReturnsInStore:
    case Kpi::kIdentifiedTransactions:
      return true;
    default:
      return false;
  }
}

}  // namespace storepulse::common
