#include "common/kpi/margin_rows.h"

#include <string>

namespace storepulse::common {

bool KeyedBySku(GroupBy by) { return by == GroupBy::kSku || by == GroupBy::kCategory; }

Status ReadSkuDays(const StoreSource& s, int64_t from_ms, int64_t to_ms,
                   const MeasureReader::KeyedSink& sink) {
  if (to_ms <= from_ms) return OkStatus();
  return s.reader->ReadDimension(Dimension::kSku, Grain::kDay, s.zone->LocalDayOf(from_ms),
                                 s.zone->LocalDayOf(to_ms - 1) + 1, sink);
}

Status CostStoreDays(const StoreSource& s, int64_t from_ms, int64_t to_ms, GroupBy by,
                     MarginBook* margin) {
  Status costed;
  RETURN_IF_ERROR(
      ReadSkuDays(s, from_ms, to_ms, [&](int64_t day, const std::string& sku, const Measures& m) {
        const std::string key = by == GroupBy::kDay      ? TimeZone::FormatLocalDate(day)
                                : by == GroupBy::kStore  ? s.store
                                : by == GroupBy::kRegion ? s.region
                                                         : "total";
        if (costed.ok()) costed = margin->Add(key, sku, day, m);
      }));
  return costed;
}

void FillMarginKpis(GroupBy by, bool has_catalogue, bool whole_days, const MarginBook& book,
                    std::vector<KpiRow>* rows) {
  const bool day_rows = by == GroupBy::kTotal || by == GroupBy::kDay || by == GroupBy::kStore ||
                        by == GroupBy::kRegion;
  for (KpiRow& row : *rows) {
    if (!KeyedBySku(by) && !whole_days) {
      ClearMargin(&row);
    } else if (day_rows && !has_catalogue) {
      MarginWithoutCosts(&row);
    }
  }
  if (KeyedBySku(by) || (whole_days && has_catalogue)) book.Fill(rows);
}

}  // namespace storepulse::common
