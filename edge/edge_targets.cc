#include "edge/edge_targets.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "common/kpi/kpi_catalogue.h"
#include "common/reference/reference_document.h"
#include "common/targets/pace.h"
#include "common/targets/target_entry.h"
#include "common/targets/target_period.h"
#include "common/targets/targets_document.h"
#include "common/time_util.h"
#include "edge/edge_kpis.h"
#include "edge/event_store.h"
#include "edge/reference_store.h"

namespace storepulse::edge {
namespace {

using nlohmann::json;

constexpr int64_t kHourMs = 3'600'000;
constexpr int64_t kMinuteMs = 60'000;

// The store's net sales per local hour of each of the last kPaceWeeks × 7 days before today.
common::StatusOr<std::map<int64_t, common::HourAmounts>> HourlyHistory(SQLite::Database& db,
                                                                       int64_t today,
                                                                       int64_t now_ms) {
  ASSIGN_OR_RETURN(common::KpiAnswer answer,
                   QueryEdgeKpis(db, common::PaceHistoryRequest(today), now_ms));
  return common::HourlyNetSales(answer);
}

// The profile of each weekday: its history, else flat over its opening hours.
common::WeekProfiles Profiles(const std::map<int64_t, common::HourAmounts>& history,
                              const OpeningHours& hours, const common::TimeZone& zone,
                              int64_t today) {
  return common::BuildWeekProfiles(history, today, [&](int64_t day) {
    common::HourAmounts open{};
    const int64_t start = zone.LocalDayStartMs(day);
    for (int64_t h = 0; h < 24; ++h) {
      open[static_cast<size_t>(h)] =
          hours.OpenMsBetween(start + h * kHourMs, start + (h + 1) * kHourMs, zone);
    }
    return open;
  });
}

// The share of a normal `period` done at `minute` of local day `today`.
StorePace ShareOf(common::TargetPeriod target_period, const common::LocalPeriod& period,
                  const common::WeekProfiles& week, int64_t today, double minute) {
  const common::DayProfile& profile = week.profiles[static_cast<size_t>(common::WeekdayOf(today))];
  const bool day = target_period == common::TargetPeriod::kDay;
  return {common::ShareOfPeriod(week, day ? today : period.first_day,
                                day ? today + 1 : period.end_day, today, minute),
          profile.basis, profile.days};
}

double MinuteOfDay(const common::TimeZone& zone, int64_t today, int64_t now_ms) {
  return static_cast<double>(now_ms - zone.LocalDayStartMs(today)) / static_cast<double>(kMinuteMs);
}

}  // namespace

common::StatusOr<json> EvaluateEdgeTargets(SQLite::Database& db, const OpeningHours& hours,
                                           int64_t now_ms) {
  ASSIGN_OR_RETURN(StoreInfo info, ReadStoreInfo(db));
  ASSIGN_OR_RETURN(common::TimeZone zone, common::TimeZone::Load(info.timezone));
  ASSIGN_OR_RETURN(std::optional<HeldDocument> held,
                   ReadHeldDocument(db, common::kTargetsDocument));
  json answer = {{"store", info.store}, {"evaluated_at", common::FormatRfc3339Utc(now_ms)},
                 {"version", nullptr},  {"received_at", nullptr},
                 {"age_s", nullptr},    {"targets", json::array()}};
  if (!held) return answer;
  answer["version"] = held->version;
  answer["received_at"] = common::FormatRfc3339Utc(held->received_ms);
  answer["age_s"] = std::max<int64_t>(0, (now_ms - held->received_ms) / 1000);
  common::StatusOr<common::TargetList> parsed = common::TargetsFromRows(held->rows);
  if (!parsed.ok()) {  // what central sent cannot be read: say so, the rest of the edge is fine
    answer["error"] = "the targets held cannot be read: " + parsed.status().message();
    return answer;
  }
  const common::TargetList& targets = *parsed;

  const std::string own = "store:" + info.store;
  const int64_t today = zone.LocalDayOf(now_ms);
  const double minute = MinuteOfDay(zone, today, now_ms);
  std::optional<common::WeekProfiles> week;  // read once, when a net_sales target needs it
  std::map<common::TargetPeriod, common::TargetActuals> actuals;  // one query per period
  for (const common::Target& target : targets) {
    const common::LocalPeriod period = common::CurrentLocalPeriod(target.period, zone, now_ms);
    auto it = actuals.find(target.period);
    if (it == actuals.end()) {
      common::TargetActuals a;
      a.from = common::TimeZone::FormatLocalDate(period.first_day);
      a.to = common::TimeZone::FormatLocalDate(period.end_day);
      a.elapsed = period.Elapsed(now_ms);
      common::KpiRequest request;
      request.from = a.from, request.to = a.to;
      common::StatusOr<common::KpiAnswer> kpis = QueryEdgeKpis(db, request, now_ms);
      if (kpis.ok()) {
        a.row = std::move(kpis->rows[0]);  // by=total: always one row
      } else {
        a.error = kpis.status().message();
      }
      it = actuals.emplace(target.period, std::move(a)).first;
    }
    if (target.scope != own) {
      common::TargetActuals elsewhere;
      elsewhere.from = it->second.from, elsewhere.to = it->second.to;
      elsewhere.elapsed = it->second.elapsed;
      elsewhere.error = "the figures of " + target.scope + " are central's (storepulse targets)";
      answer["targets"].push_back(common::TargetEntryJson(target, elsewhere));
      continue;
    }
    json entry = common::TargetEntryJson(target, it->second);
    const common::KpiValue& net = it->second.row[common::Kpi::kNetSales];
    if (target.kpi == "net_sales" && it->second.error.empty() && !net.is_null()) {
      if (!week) {
        ASSIGN_OR_RETURN(auto history, HourlyHistory(db, today, now_ms));
        week = Profiles(history, hours, zone, today);
      }
      const StorePace pace = ShareOf(target.period, period, *week, today, minute);
      entry["pace"] = common::PaceEntryJson(target.target, net.AsDouble(), pace.share, pace.basis,
                                            pace.history_days);
    }
    answer["targets"].push_back(std::move(entry));
  }
  return answer;
}

common::StatusOr<StorePace> StorePaceShare(SQLite::Database& db, const OpeningHours& hours,
                                           const common::TimeZone& zone,
                                           common::TargetPeriod period, int64_t now_ms) {
  const int64_t today = zone.LocalDayOf(now_ms);
  ASSIGN_OR_RETURN(auto history, HourlyHistory(db, today, now_ms));
  const common::WeekProfiles week = Profiles(history, hours, zone, today);
  return ShareOf(period, common::CurrentLocalPeriod(period, zone, now_ms), week, today,
                 MinuteOfDay(zone, today, now_ms));
}

}  // namespace storepulse::edge
