#include "common/kpi/dimensions.h"

#include <set>

#include "common/kpi/credit_split.h"
#include "common/kpi/labour_split.h"
#include "common/source_ref.h"

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
    if (IsDefectReturn(event)) m[Measure::kDefectiveUnits] = line.qty;
  }
  return m;
}

// A source's row: its sales and returns (a till), its visitors (a counter). Even a row of zeros
// (a counter's empty interval) says the source reported.
Measures SourceMeasures(const Event& event) {
  Measures m;
  if (event.type == EventType::kSale) m[Measure::kTransactions] = 1;
  if (event.type == EventType::kReturn) m[Measure::kReturns] = 1;
  if (event.type == EventType::kFootfall) {
    m[Measure::kFootfallIn] = event.in;
    m[Measure::kFootfallOut] = event.out;
  }
  return m;
}

// An employee's own labour, shared among buckets as the store's is (labour_split.h), so their row
// has their sales per labour hour. Labour without an employee is the store's only: it is in no
// employee's row (docs/KPIS.md, "Staffing").
Status FoldLabourDimensions(const Event& event, DimensionDeltas* deltas) {
  if (event.employee.empty()) return OkStatus();
  for (const LabourShare& share :
       SplitLabour(event.ts_ms, event.period_s, event.LabourStaffSeconds())) {
    Measures m;
    m[Measure::kLabourStaffS] = share.staff_seconds;
    const DimensionKey key{share.bucket, Dimension::kEmployee, event.employee};
    RETURN_IF_ERROR((*deltas)[key].Add(m));
  }
  return OkStatus();
}

}  // namespace

Status FoldEventDimensions(const Event& event, DimensionDeltas* deltas) {
  if (event.type == EventType::kLabour) return FoldLabourDimensions(event, deltas);
  const int64_t bucket = BucketOf(event.ts_ms);
  if (std::optional<SourceRef> source = SourceOf(event)) {
    Measures& row = (*deltas)[DimensionKey{bucket, Dimension::kSource, SourceKey(*source)}];
    RETURN_IF_ERROR(row.Add(SourceMeasures(event)));
  }
  if (event.type != EventType::kSale && event.type != EventType::kReturn) return OkStatus();
  Channel channel;
  const Measures whole = MeasuresOf(event, &channel);
  if (event.credits.empty()) {  // most sales and every return: one employee, no split
    Measures& row = (*deltas)[DimensionKey{bucket, Dimension::kEmployee, event.employee}];
    RETURN_IF_ERROR(row.Add(InCreditUnits(whole)));
  } else {
    for (auto& [employee, part] : EmployeeCredits(event, whole)) {
      Measures& row = (*deltas)[DimensionKey{bucket, Dimension::kEmployee, std::move(employee)}];
      RETURN_IF_ERROR(row.Add(part));
    }
  }
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
