// One row of a KPI answer as the engine fills it: its key and a value per KPI of the catalogue
// (common/kpi/kpi_catalogue.h), indexed by Kpi, each null until a source fills it. A value is an
// exact integer (sums, counts) or a double (quotients), as the catalogue's `number` says; which
// KPIs of the row are estimates is a set beside the values. JSON is made from it only at the
// HTTP border (common/kpi/kpi_json.h). Plain values; thread-compatible.
#pragma once

#include <array>
#include <bitset>
#include <cstdint>
#include <string>
#include <variant>

#include "common/kpi/kpi_catalogue.h"

namespace storepulse::common {

// null (nothing to divide by, or no source for it), an integer, or a double.
class KpiValue {
 public:
  KpiValue() = default;  // null
  static KpiValue Integer(int64_t value) { return KpiValue(value); }
  static KpiValue Real(double value) { return KpiValue(value); }

  bool is_null() const { return std::holds_alternative<std::monostate>(value_); }
  bool is_integer() const { return std::holds_alternative<int64_t>(value_); }
  bool is_real() const { return std::holds_alternative<double>(value_); }
  // REQUIRES: is_integer().
  int64_t integer() const { return std::get<int64_t>(value_); }
  // REQUIRES: !is_null(). An integer converted to double.
  double AsDouble() const {
    return is_integer() ? static_cast<double>(integer()) : std::get<double>(value_);
  }

  bool operator==(const KpiValue&) const = default;

 private:
  explicit KpiValue(int64_t value) : value_(value) {}
  explicit KpiValue(double value) : value_(value) {}
  std::variant<std::monostate, int64_t, double> value_;
};

// A set of KPIs, e.g. the ones of a row that are estimates.
using KpiSet = std::bitset<kKpiCount>;

struct KpiRow {
  std::string key;  // "total", a local date or hour, a channel, store, region, employee or SKU
  std::array<KpiValue, kKpiCount> values;  // by Kpi; null until filled
  KpiSet approximate;                      // estimated figures (docs/KPIS.md); empty: all exact

  KpiValue& operator[](Kpi kpi) { return values[static_cast<size_t>(kpi)]; }
  const KpiValue& operator[](Kpi kpi) const { return values[static_cast<size_t>(kpi)]; }
  bool operator==(const KpiRow&) const = default;
};

}  // namespace storepulse::common
