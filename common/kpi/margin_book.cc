#include "common/kpi/margin_book.h"

#include "common/checked_math.h"

namespace storepulse::common {
namespace {

Status Accumulate(std::string_view what, int64_t* sum, std::optional<int64_t> term) {
  if (!term) return OutOfRange(std::string(what) + " would exceed the 64-bit integer range");
  const std::optional<int64_t> total = CheckedAdd(*sum, *term);
  if (!total) return SumOverflow(what, *sum, *term);
  *sum = *total;
  return OkStatus();
}

}  // namespace

Status MarginBook::Add(const std::string& key, const std::string& sku, int64_t day,
                       const Measures& m) {
  const int64_t sold = m[Measure::kUnitsSold], returned = m[Measure::kUnitsReturned];
  if (sold == 0 && returned == 0) return OkStatus();
  Sums& sums = sums_[key];
  const std::optional<int64_t> cost =
      catalogue_ == nullptr ? std::nullopt : catalogue_->CostOn(sku, day);
  if (!cost) {
    return Accumulate("units_without_cost", &sums.units_without_cost, CheckedAdd(sold, returned));
  }
  const std::optional<int64_t> net_units = CheckedSub(sold, returned);
  return Accumulate("cogs", &sums.cogs,
                    net_units ? CheckedMul(*net_units, *cost) : std::optional<int64_t>());
}

void MarginBook::Fill(std::vector<KpiRow>* rows) const {
  for (KpiRow& row : *rows) {
    if (incomplete_) {
      ClearMargin(&row);
      continue;
    }
    const auto it = sums_.find(row.key);
    const Sums sums = it == sums_.end() ? Sums{} : it->second;
    row[Kpi::kUnitsWithoutCost] = KpiValue::Integer(sums.units_without_cost);
    const KpiValue& net = row[Kpi::kNetSales];
    const std::optional<int64_t> margin =
        net.is_integer() ? CheckedSub(net.integer(), sums.cogs) : std::nullopt;
    if (sums.units_without_cost != 0 || !margin) {
      row[Kpi::kCogs] = row[Kpi::kGrossMargin] = row[Kpi::kMarginRate] = KpiValue();
      continue;
    }
    row[Kpi::kCogs] = KpiValue::Integer(sums.cogs);
    row[Kpi::kGrossMargin] = KpiValue::Integer(*margin);
    row[Kpi::kMarginRate] =
        net.integer() == 0
            ? KpiValue()
            : KpiValue::Real(static_cast<double>(*margin) / static_cast<double>(net.integer()));
  }
}

void ClearMargin(KpiRow* row) {
  for (Kpi kpi : {Kpi::kCogs, Kpi::kGrossMargin, Kpi::kMarginRate, Kpi::kUnitsWithoutCost}) {
    (*row)[kpi] = KpiValue();
  }
}

void MarginWithoutCosts(KpiRow* row) {
  ClearMargin(row);
  const KpiValue& sold = (*row)[Kpi::kUnitsSold];
  const KpiValue& returned = (*row)[Kpi::kUnitsReturned];
  if (!sold.is_integer() || !returned.is_integer()) return;
  if (std::optional<int64_t> units = CheckedAdd(sold.integer(), returned.integer())) {
    (*row)[Kpi::kUnitsWithoutCost] = KpiValue::Integer(*units);
  }
}

}  // namespace storepulse::common
