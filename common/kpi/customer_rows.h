// The rows of a KPI answer as the distinct-customer figures see them (customer_figures.cc): which
// stores and local days each row covers — so whether it is counted exactly or from sketches — and
// what it gathers while the customer tables are read. Internal to common/kpi; not thread-safe.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "common/kpi/kpi_query.h"
#include "common/sketch/hyperloglog.h"

namespace storepulse::common {

// One store's period in its local calendar: the whole local days, and the parts of days left at
// either end (the buckets starting in them).
struct StorePeriod {
  struct Piece {
    int64_t day, from_ms, to_ms;  // [from_ms, to_ms) lies inside local day `day`
  };
  const StoreSource* source = nullptr;
  int64_t from_ms = 0, to_ms = 0;
  int64_t first_day = 0, end_day = 0;  // whole local days [first_day, end_day); may be empty
  std::vector<Piece> pieces;           // at most two

  static StorePeriod Split(const StoreSource& s, int64_t from_ms, int64_t to_ms);
  // Whole days only.
  bool Aligned() const { return pieces.empty() && first_day < end_day; }
};

// What one row gathers. A row of one store and one local day is exact (its ids, or the day's
// count); any other row unions sketches — unless `sketches` is off (views not ready), when every
// row is counted from the ids.
struct CustomerRow {
  // The stores and days the row covers, as planned.
  const StoreSource* store = nullptr;
  int64_t day = 0;
  bool many_stores = false, many_days = false;
  bool sketches = true;

  std::unordered_set<std::string> seen;  // exact rows: the ids
  int64_t counted = 0;                   // exact rows: a whole day's count
  HyperLogLog sketch;                    // other rows
  int64_t fresh = 0;                     // new customers at the row's scope (always exact)

  void Touch(const StoreSource* s, int64_t from_day, int64_t to_day);
  // One store's one day: a day count stands for it.
  bool OneStoreDay() const { return !many_stores && !many_days; }
  bool exact() const { return !sketches || OneStoreDay(); }
  void AddId(const std::string& id) {
    if (exact()) {
      seen.insert(id);
    } else {
      sketch.Add(id);
    }
  }
  int64_t Customers() const;
};

// The rows by key, as the KPI engine keys them (by=hour is not planned by days: see
// customer_figures.cc).
class CustomerRows {
 public:
  CustomerRows(GroupBy by, bool sketches) : by_(by), sketches_(sketches) {}
  // The row of store `s` on local day `day`.
  CustomerRow& At(const StoreSource& s, int64_t day);
  // The row of an instant, for any grouping.
  CustomerRow& AtInstant(const StoreSource& s, int64_t utc_ms);
  // Registers the days of `p` with their rows.
  void Plan(const StorePeriod& p);
  const CustomerRow* Find(const std::string& key) const;

 private:
  CustomerRow& Keyed(std::string key);
  GroupBy by_;
  bool sketches_;
  std::map<std::string, CustomerRow> rows_;             // std::map: rows never move
  std::unordered_map<int64_t, CustomerRow*> day_rows_;  // by=day: day -> row
  std::unordered_map<const StoreSource*, CustomerRow*> store_rows_;  // others but hour
};

// The key of the row an instant of store `s` counts in, as the KPI engine keys its rows.
std::string RowKey(GroupBy by, const StoreSource& s, int64_t utc_ms);

}  // namespace storepulse::common
