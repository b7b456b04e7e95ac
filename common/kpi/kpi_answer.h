// The answer to a KPI query (SPEC §6) as the engine gives it, before any JSON: the period as
// asked, the grouping, the typed rows (common/kpi/kpi_row.h) and, for by=sku, the best sellers;
// with a like-for-like comparison (common/kpi/kpi_compare.h), each row's earlier counterpart and
// the differences. common/kpi/kpi_json.h turns it into the KPI JSON at the HTTP border. Plain
// values; thread-compatible.
#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "common/kpi/kpi_row.h"
#include "common/kpi/source_completeness.h"
#include "common/reference/catalogue.h"

namespace storepulse::common {

// How rows are keyed (`by`); ParseGroupBy and GroupByName are in common/kpi/kpi_query.h.
enum class GroupBy { kTotal, kDay, kHour, kChannel, kStore, kRegion, kEmployee, kSku, kCategory };

// The earlier period of a comparison; ParseCompareWith and friends in common/kpi/kpi_compare.h.
enum class CompareWith { kNone, kPreviousWeek, kPreviousYear };

// A best seller of a by=sku answer and its figure (units sold, or net sales in minor units).
struct TopSku {
  std::string sku;
  int64_t value = 0;
  bool operator==(const TopSku&) const = default;
};

struct TopSkus {
  std::vector<TopSku> by_units;  // at most ten, most units sold first
  std::vector<TopSku> by_value;  // at most ten, highest net sales first
};

// One row's comparison with the earlier period.
struct RowComparison {
  KpiRow previous;                         // the matching earlier row, or an empty one
  std::array<KpiValue, kKpiCount> delta;   // actual − previous; null when either is null
  std::array<KpiValue, kKpiCount> change;  // delta / |previous|; null when previous is 0 or null
};

struct Comparison {
  CompareWith with = CompareWith::kNone;
  int64_t days = 0;                 // how far back: 7 or 364
  std::optional<std::string> from;  // the earlier period, as its own answer labels it
  std::optional<std::string> to;
  std::vector<RowComparison> rows;  // one per row of the answer, in the same order
};

struct KpiAnswer {
  std::optional<std::string> from;  // as asked (a date, an instant in UTC); null when a
  std::optional<std::string> to;    // defaulted "today" differs between the stores' zones
  std::string scope;                // echoed: "store:S1", "network", "region:R"
  GroupBy by = GroupBy::kTotal;
  std::vector<KpiRow> rows;
  std::optional<TopSkus> top_skus;    // by=sku only
  std::optional<Comparison> compare;  // with a comparison only
  // By row key, the rows that are one store's whole local day (by=day, or by=total over one
  // day): whether every known till and counter reported that day (source_completeness.h).
  std::map<std::string, DayCompleteness> completeness;
  // The catalogue the answer was made with (its names label by=sku rows and best sellers, its
  // costs gave the margins); null without one. `catalogue_age_s`: now − its received_ms.
  std::shared_ptr<const Catalogue> catalogue;
  int64_t catalogue_age_s = 0;
};

}  // namespace storepulse::common
