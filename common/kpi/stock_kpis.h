// The stock KPIs of a KPI row (SPEC §3): `availability`, `out_of_stock_skus` and `stock_turnover`,
// from each store's end-of-day snapshots (common/kpi/stock_fold.h, stored in stock_day), summed
// across stores as components, never as a mean of the stores' ratios. The rules, as written up in
// docs/KPIS.md ("Stock"):
//
// - The days of a period are the store's local days that overlap it, up to its local today.
// - A day's value is the snapshot booked to it, or carried forward from the last earlier one; today
//   is the store's current totals. Days before the store's first snapshot have no value.
// - End of period: the value of the period's last day (today's current totals if it includes
//   today); availability = in_stock / ranged, out_of_stock_skus = ranged − in_stock.
// - stock_turnover = units_sold over the period / Σ over stores of the store's average end-of-day
//   on_hand_total over the period's days that have a value.
//
// StockReader implementations live with the tables (common/store/stock_table.h). StockView is a
// plain value used by one query on one thread.
#pragma once

#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "common/kpi/kpi_row.h"
#include "common/kpi/stock_fold.h"
#include "common/status.h"
#include "common/time_zone.h"

namespace storepulse::common {

// A store's end-of-day snapshots (stock_day).
class StockReader {
 public:
  virtual ~StockReader() = default;
  // Into `rows`, ascending by day: the snapshot carried into `from_day` (the last row before it),
  // if any, then the rows with day in [from_day, to_day).
  virtual Status ReadStockDays(int64_t from_day, int64_t to_day,
                               std::vector<StockSnapshot>* rows) = 0;
};

// The stock components of one KPI row, summed over its stores.
struct StockFigures {
  bool known = false;    // false: no stock meaning (by=hour, channel, …; no day yet) → null
  int64_t ranged = 0;    // at the end of the period
  int64_t in_stock = 0;  // at the end of the period
  double average_on_hand = 0;  // Σ over stores of each one's average end-of-day on-hand
  StockFigures& operator+=(const StockFigures& other);
};

// Sets availability, out_of_stock_skus and stock_turnover in `row` (null when unknown or a
// denominator is zero); `units_sold` is the row's units sold over the same period.
void AddStockKpis(const StockFigures& figures, int64_t units_sold, KpiRow* row);

// The stock side of one KPI query: reads each store's snapshots for the period and answers the
// figures of a row key (by=total|store|region) or of a local day (by=day).
class StockView {
 public:
  // Reads the store's days overlapping [from_ms, to_ms), up to its local today (of `now_ms`), and
  // adds them under `key` (the row key: "total", the store or its region). With `per_day`, keeps
  // the store's snapshots to answer ForDay instead.
  Status AddStore(const std::string& key, StockReader& reader, const TimeZone& zone,
                  int64_t from_ms, int64_t to_ms, int64_t now_ms, bool per_day);

  StockFigures ForKey(const std::string& key) const;
  // Σ over stores whose period includes local day `day` of their value on that day.
  StockFigures ForDay(int64_t day) const;
  // With `per_day`: the local days (of any store) to which a movement was booked within that
  // store's period; by=day lists them even without measures.
  const std::set<int64_t>& moved_days() const { return moved_days_; }

  // Adds the stock KPIs to every row of a KPI answer: by key (ForKey), or with `per_day` by the
  // row's local date (ForDay). Rows without stock figures get nulls.
  void AddColumns(bool per_day, std::vector<KpiRow>* rows) const;

 private:
  struct StoreDays {
    std::vector<StockSnapshot> rows;  // ascending, with the carried-in row first if any
    int64_t first_day = 0;            // the period's days: [first_day, last_day]
    int64_t last_day = 0;
    int64_t today = 0;
  };
  static const StockSnapshot* ValueOn(const StoreDays& store, int64_t day);
  static StockFigures PeriodFigures(const StoreDays& store);

  std::map<std::string, StockFigures> by_key_;
  std::vector<StoreDays> stores_;  // per_day only
  std::set<int64_t> moved_days_;
};

}  // namespace storepulse::common
