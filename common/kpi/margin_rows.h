// How the query engine (common/kpi/kpi_query.cc) costs a query's rows (docs/KPIS.md, "Cost and
// margin"): which rows get the cost and margin KPIs, which SKU-day rows are read for them, and
// under which row key each is costed (common/kpi/margin_book.h). Stateless; thread-safe if the
// readers are.
#pragma once

#include <cstdint>
#include <vector>

#include "common/kpi/kpi_query.h"
#include "common/kpi/margin_book.h"
#include "common/status.h"

namespace storepulse::common {

// by=sku and by=category: rows made of SKU rows, costed as they are read.
bool KeyedBySku(GroupBy by);

// The SKU rows of the whole local days [from_ms, to_ms) touches (they are kept per local day
// only), each with its local day. A reader without breakdowns: FailedPrecondition.
Status ReadSkuDays(const StoreSource& s, int64_t from_ms, int64_t to_ms,
                   const MeasureReader::KeyedSink& sink);

// The SKU rows of a store's whole local days [from_ms, to_ms), costed into `margin` under the
// row key of a total, day, store or region grouping.
Status CostStoreDays(const StoreSource& s, int64_t from_ms, int64_t to_ms, GroupBy by,
                     MarginBook* margin);

// The four cost and margin KPIs of every row: from `book` for by=sku/category, and for
// total/day/store/region over whole local days (`whole_days`: also false when the request asked
// for no margins); without a catalogue every unit is without a cost; null for hours, channels and
// employees (the SKU rows have none) and for periods that cut a local day.
void FillMarginKpis(GroupBy by, bool has_catalogue, bool whole_days, const MarginBook& book,
                    std::vector<KpiRow>* rows);

}  // namespace storepulse::common
