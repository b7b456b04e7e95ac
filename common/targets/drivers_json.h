// GET /api/v1/drivers — why net sales are behind (or ahead), in money (docs/KPIS.md, "Drivers"):
// the same answer at the edge (its store) and at central (a store, a region, the network):
//
//   {"scope", "period", "against", "from", "to", "base_from", "base_to",
//    "actual": <figures>, "base": <figures>, "target": null | {"target", "expected"},
//    "gap", "status": "behind"|"ahead"|"level"|"no_data", "method",
//    "drivers": [{"driver", "amount", "change"}…][, "error"]}
//   <figures> = {"net_sales", "gross_sales", "returns_value", "footfall", "transactions",
//                "conversion", "basket", "availability", "out_of_stock_skus"}
//
// The period is the current local day, ISO week or month **so far** (its start to now), against:
//   - previous_week / previous_year: the same span 7 / 364 days earlier (common/kpi/kpi_compare.h);
//   - target: the scope's net_sales target of that period, as much of it as is expected by now —
//     by the store's pace (its own same-weekday history, common/targets/pace.h) at the edge, and at
//     central for a store's day it has history for (central/central_pace.h); otherwise pro rata to
//     the time elapsed (the `expected` of GET /api/v1/targets). `target.expected_by` says which:
//     "pace" or "pro_rata" — against=target is the one comparison where edge and central may
//     differ. A target has no footfall or basket, so the base is the same
//     span last year (364 days) scaled to the expected net sales (common/targets/drivers.h,
//     ScaleToNetSales): the drivers then say how this year's footfall, conversion and basket
//     differ from last year's mix at the target's level. No net_sales target for the scope and
//     period: status "no_data"; no sales last year to scale: the gap alone, no drivers.
// Availability and out-of-stock SKUs stand beside the drivers (in <figures>), not as a money part.
// Pure functions; thread-safe.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>

#include "common/kpi/kpi_answer.h"
#include "common/kpi/kpi_query.h"
#include "common/status.h"
#include "common/targets/target_period.h"
#include "common/targets/targets_file.h"

namespace storepulse::common {

enum class DriversAgainst { kPreviousWeek, kPreviousYear, kTarget };

// "" → previous_year; "previous_week", "previous_year", "target"; InvalidArgument otherwise
// ("against: unknown value …", as the HTTP errors name the parameter first).
StatusOr<DriversAgainst> ParseDriversAgainst(std::string_view text);
std::string_view DriversAgainstName(DriversAgainst against);
// The comparison the KPI query runs with (target: previous_year, to scale).
CompareWith DriversCompare(DriversAgainst against);
// "" → day; otherwise ParseTargetPeriod ("period: unknown value …" when it fails).
StatusOr<TargetPeriod> ParseDriversPeriod(std::string_view text);

// The query of the period so far: from its first local date to now (an instant).
KpiRequest DriversRequest(const LocalPeriod& period, const std::string& scope, int64_t now_ms);

// The net_sales target of `scope` per `period` in `targets`, if any.
std::optional<Target> FindNetSalesTarget(const TargetList& targets, const std::string& scope,
                                         TargetPeriod period);

// `answer`: the query of DriversRequest run with DriversCompare(against). `target` (against=target
// only): the target found, none when there is none; `pace_share`: the part of the target expected
// by now by the store's pace, none for pro rata to the time elapsed.
nlohmann::json DriversJson(TargetPeriod period, DriversAgainst against, const KpiAnswer& answer,
                           const LocalPeriod& local, int64_t now_ms,
                           const std::optional<Target>& target,
                           std::optional<double> pace_share = std::nullopt);

}  // namespace storepulse::common
