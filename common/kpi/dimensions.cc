#include "common/kpi/dimensions.h"

#include <set>

namespace storepulse::common {

namespace {

// One line's share of a sale or a return.
Measures LineMeasures(const Event& event, const Line& line) {
  Measures m;
  if (event.type == EventType::kSale) {
    m[Measure::kGrossSales] = line.Value();
    m[Measure::kUnitsSold] = line.qty;
  } else {
    m[Measure::kReturnsValue] = line.Value();
    m[Measure::kUnitsReturned] = line.qty;
  }
  return m;
}

}  // namespace

Status FoldEventDimensions(const Event& event, DimensionDeltas* deltas) {
  if (event.type != EventType::kSale && event.type != EventType::kReturn) return OkStatus();
  const int64_t bucket = BucketOf(event.ts_ms);
  Channel channel;
  Measures& employee = (*deltas)[DimensionKey{bucket, Dimension::kEmployee, event.employee}];
  RETURN_IF_ERROR(employee.Add(MeasuresOf(event, &channel)));
  std::set<std::string_view> counted;  // a transaction counts once per SKU it holds
  for (const Line& line : event.lines) {
    Measures m = LineMeasures(event, line);
    if (counted.insert(line.sku).second) {
      m[event.type == EventType::kSale ? Measure::kTransactions : Measure::kReturns] = 1;
    }
    Measures& sku = (*deltas)[DimensionKey{bucket, Dimension::kSku, line.sku}];
    RETURN_IF_ERROR(sku.Add(m));
  }
  return OkStatus();
}

}  // namespace storepulse::common
