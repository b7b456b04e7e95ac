#include "common/targets/drivers_json.h"

#include <cmath>

#include "common/kpi/kpi_compare.h"
#include "common/targets/drivers.h"
#include "common/targets/target_entry.h"
#include "common/time_util.h"

namespace storepulse::common {
namespace {

using nlohmann::json;

double Figure(const KpiRow& row, Kpi kpi) {
  const KpiValue& value = row[kpi];
  return value.is_null() ? 0 : value.AsDouble();
}

DriverFigures FiguresOf(const KpiRow& row) {
  return {Figure(row, Kpi::kFootfall), Figure(row, Kpi::kTransactions),
          Figure(row, Kpi::kGrossSales), Figure(row, Kpi::kReturnsValue)};
}

json Rounded(double value) { return TargetNumber(std::round(value)); }

json FiguresJson(const DriverFigures& f, const KpiRow* row) {
  json out = {{"net_sales", Rounded(f.net_sales())},
              {"gross_sales", Rounded(f.gross_sales)},
              {"returns_value", Rounded(f.returns_value)},
              {"footfall", TargetNumber(f.footfall)},
              {"transactions", TargetNumber(f.transactions)},
              {"conversion", f.footfall > 0 ? json(f.transactions / f.footfall) : json()},
              {"basket", f.transactions > 0 ? json(f.gross_sales / f.transactions) : json()},
              {"availability", nullptr},
              {"out_of_stock_skus", nullptr}};
  if (row != nullptr) {
    for (Kpi kpi : {Kpi::kAvailability, Kpi::kOutOfStockSkus}) {
      const KpiValue& value = (*row)[kpi];
      out[std::string(InfoOf(kpi).name)] = value.is_null()      ? json()
                                           : value.is_integer() ? json(value.integer())
                                                                : json(value.AsDouble());
    }
  }
  return out;
}

}  // namespace

StatusOr<DriversAgainst> ParseDriversAgainst(std::string_view text) {
  if (text.empty() || text == "previous_year") return DriversAgainst::kPreviousYear;
  if (text == "previous_week") return DriversAgainst::kPreviousWeek;
  if (text == "target") return DriversAgainst::kTarget;
  return InvalidArgument("against: unknown value \"" + std::string(text) +
                         "\" (previous_year, previous_week or target)");
}

std::string_view DriversAgainstName(DriversAgainst against) {
  switch (against) {
    case DriversAgainst::kPreviousWeek:
      return "previous_week";
    case DriversAgainst::kTarget:
      return "target";
    case DriversAgainst::kPreviousYear:
      break;
  }
  return "previous_year";
}

CompareWith DriversCompare(DriversAgainst against) {
  return against == DriversAgainst::kPreviousWeek ? CompareWith::kPreviousWeek
                                                  : CompareWith::kPreviousYear;
}

StatusOr<TargetPeriod> ParseDriversPeriod(std::string_view text) {
  if (text.empty()) return TargetPeriod::kDay;
  StatusOr<TargetPeriod> period = ParseTargetPeriod(text);
  if (!period.ok()) {
    return InvalidArgument("period: unknown value \"" + std::string(text) +
                           "\" (day, week or month)");
  }
  return period;
}

KpiRequest DriversRequest(const LocalPeriod& period, const std::string& scope, int64_t now_ms) {
  KpiRequest request;
  request.from = TimeZone::FormatLocalDate(period.first_day);
  request.to = FormatRfc3339Utc(std::min(now_ms, period.end_ms));
  request.scope = scope;
  return request;
}

std::optional<Target> FindNetSalesTarget(const TargetList& targets, const std::string& scope,
                                         TargetPeriod period) {
  for (const Target& target : targets) {
    if (target.scope == scope && target.kpi == "net_sales" && target.period == period) {
      return target;
    }
  }
  return std::nullopt;
}

json DriversJson(TargetPeriod period, DriversAgainst against, const KpiAnswer& answer,
                 const LocalPeriod& local, int64_t now_ms, const std::optional<Target>& target,
                 std::optional<double> pace_share) {
  const KpiRow& row = answer.rows.at(0);  // by=total: one row
  const KpiRow* previous =
      answer.compare && !answer.compare->rows.empty() ? &answer.compare->rows[0].previous : nullptr;
  const DriverFigures actual = FiguresOf(row);
  DriverFigures base = previous ? FiguresOf(*previous) : DriverFigures{};
  json out = {
      {"scope", answer.scope},
      {"period", std::string(TargetPeriodName(period))},
      {"against", std::string(DriversAgainstName(against))},
      {"from", answer.from ? json(*answer.from) : json()},
      {"to", answer.to ? json(*answer.to) : json()},
      {"base_from", answer.compare && answer.compare->from ? json(*answer.compare->from) : json()},
      {"base_to", answer.compare && answer.compare->to ? json(*answer.compare->to) : json()},
      {"target", nullptr}};
  bool scalable = true;
  if (against == DriversAgainst::kTarget) {
    if (!target) {
      out["actual"] = FiguresJson(actual, &row);
      out["base"] = nullptr;
      out["gap"] = nullptr;
      out["status"] = "no_data";
      out["method"] = nullptr;
      out["drivers"] = json::array();
      out["error"] = "no net_sales target for " + answer.scope + " per " +
                     std::string(TargetPeriodName(period));
      return out;
    }
    const double expected = target->target * (pace_share ? *pace_share : local.Elapsed(now_ms));
    out["target"] = {{"target", TargetNumber(target->target)},
                     {"expected", Rounded(expected)},
                     {"expected_by", pace_share ? "pace" : "pro_rata"}};
    scalable = base.net_sales() > 0;
    base = scalable ? ScaleToNetSales(base, expected) : DriverFigures{0, 0, expected, 0};
  }
  out["actual"] = FiguresJson(actual, &row);
  out["base"] = FiguresJson(base, against == DriversAgainst::kTarget ? nullptr : previous);
  const GapDrivers drivers = DecomposeGap(actual, base);
  out["gap"] = drivers.gap;
  out["status"] = drivers.gap < 0 ? "behind" : drivers.gap > 0 ? "ahead" : "level";
  out["method"] = drivers.method;
  out["drivers"] = json::array();
  if (!scalable) {
    out["method"] = nullptr;
    out["error"] = "no sales over the same period last year to split the gap by";
    return out;
  }
  for (const DriverPart& part : drivers.parts) {
    out["drivers"].push_back({{"driver", part.driver},
                              {"amount", part.amount},
                              {"change", part.change ? json(*part.change) : json()}});
  }
  return out;
}

}  // namespace storepulse::common
