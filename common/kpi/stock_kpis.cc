#include "common/kpi/stock_kpis.h"

#include <algorithm>
#include <limits>

namespace storepulse::common {

StockFigures& StockFigures::operator+=(const StockFigures& other) {
  if (!other.known) return *this;
  known = true;
  ranged += other.ranged;
  in_stock += other.in_stock;
  average_on_hand += other.average_on_hand;
  return *this;
}

void AddStockKpis(const StockFigures& f, int64_t units_sold, KpiRow* row) {
  auto& r = *row;
  r[Kpi::kAvailability] = KpiValue();
  r[Kpi::kOutOfStockSkus] = KpiValue();
  r[Kpi::kStockTurnover] = KpiValue();
  if (!f.known) return;
  if (f.ranged > 0) {
    r[Kpi::kAvailability] =
        KpiValue::Real(static_cast<double>(f.in_stock) / static_cast<double>(f.ranged));
  }
  r[Kpi::kOutOfStockSkus] = KpiValue::Integer(f.ranged - f.in_stock);
  if (f.average_on_hand > 0) {
    r[Kpi::kStockTurnover] = KpiValue::Real(static_cast<double>(units_sold) / f.average_on_hand);
  }
}

Status StockView::AddStore(const std::string& key, StockReader& reader, const TimeZone& zone,
                           int64_t from_ms, int64_t to_ms, int64_t now_ms, bool per_day) {
  StoreDays store;
  store.today = zone.LocalDayOf(now_ms);
  store.first_day = zone.LocalDayOf(from_ms);
  store.last_day = std::min(zone.LocalDayOf(to_ms - 1), store.today);
  if (store.last_day < store.first_day) return OkStatus();  // the period has not begun: unknown
  // Up to today the read runs to the end, so the latest row (current totals) comes too.
  const int64_t read_to =
      store.last_day == store.today ? std::numeric_limits<int64_t>::max() : store.last_day + 1;
  RETURN_IF_ERROR(reader.ReadStockDays(store.first_day, read_to, &store.rows));
  if (per_day) {
    for (const StockSnapshot& row : store.rows) {
      if (row.day >= store.first_day && row.day <= store.last_day) moved_days_.insert(row.day);
    }
    stores_.push_back(std::move(store));
  } else {
    by_key_[key] += PeriodFigures(store);
  }
  return OkStatus();
}

// The snapshot that holds on `day`: today the latest one (current totals), otherwise the last one
// booked at or before it. Null before the store's first snapshot.
const StockSnapshot* StockView::ValueOn(const StoreDays& store, int64_t day) {
  if (store.rows.empty()) return nullptr;
  if (day == store.today) return &store.rows.back();
  auto after = std::upper_bound(store.rows.begin(), store.rows.end(), day,
                                [](int64_t d, const StockSnapshot& row) { return d < row.day; });
  return after == store.rows.begin() ? nullptr : &*(after - 1);
}

// End-of-period counts and the average on-hand over the days with a value, walking the runs of
// days each snapshot covers (an all-time period is a handful of runs, not thousands of days).
StockFigures StockView::PeriodFigures(const StoreDays& store) {
  StockFigures f;
  f.known = true;
  if (const StockSnapshot* end = ValueOn(store, store.last_day)) {
    f.ranged = end->totals.ranged;
    f.in_stock = end->totals.in_stock;
  }
  // Days before today take the snapshot in force; today (if in the period) its current value.
  const int64_t last_past = store.last_day == store.today ? store.last_day - 1 : store.last_day;
  double on_hand_days = 0;
  int64_t days = 0;
  for (size_t i = 0; i < store.rows.size(); ++i) {
    const int64_t begin = std::max(store.rows[i].day, store.first_day);
    const int64_t end =
        i + 1 < store.rows.size() ? std::min(store.rows[i + 1].day - 1, last_past) : last_past;
    if (end < begin) continue;
    days += end - begin + 1;
    on_hand_days += static_cast<double>(store.rows[i].totals.on_hand_total) *
                    static_cast<double>(end - begin + 1);
  }
  if (last_past != store.last_day && !store.rows.empty()) {
    ++days;
    on_hand_days += static_cast<double>(store.rows.back().totals.on_hand_total);
  }
  if (days > 0) f.average_on_hand = on_hand_days / static_cast<double>(days);
  return f;
}

StockFigures StockView::ForKey(const std::string& key) const {
  auto it = by_key_.find(key);
  return it == by_key_.end() ? StockFigures{} : it->second;
}

StockFigures StockView::ForDay(int64_t day) const {
  StockFigures sum;
  for (const StoreDays& store : stores_) {
    if (day < store.first_day || day > store.last_day) continue;
    StockFigures f;
    f.known = true;
    if (const StockSnapshot* value = ValueOn(store, day)) {
      f.ranged = value->totals.ranged;
      f.in_stock = value->totals.in_stock;
      f.average_on_hand = static_cast<double>(value->totals.on_hand_total);
    }
    sum += f;
  }
  return sum;
}

void StockView::AddColumns(bool per_day, std::vector<KpiRow>* rows) const {
  for (KpiRow& row : *rows) {
    StockFigures figures;
    if (per_day) {
      if (StatusOr<int64_t> day = TimeZone::ParseLocalDate(row.key); day.ok()) {
        figures = ForDay(*day);
      }
    } else {
      figures = ForKey(row.key);
    }
    const KpiValue& units = row[Kpi::kUnitsSold];
    AddStockKpis(figures, units.is_integer() ? units.integer() : 0, &row);
  }
}

}  // namespace storepulse::common
