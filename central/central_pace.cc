#include "central/central_pace.h"

#include "central/central_kpis.h"

namespace storepulse::central {

common::StatusOr<std::optional<CentralPace>> StoreDayPace(SQLite::Database& db,
                                                          const StoreDirectory& directory,
                                                          const StoreEntry& store, int64_t now_ms) {
  const int64_t today = store.zone.LocalDayOf(now_ms);
  ASSIGN_OR_RETURN(common::KpiAnswer answer,
                   QueryCentralKpis(db, directory, "store:" + store.store,
                                    common::PaceHistoryRequest(today), now_ms));
  // No opening hours at central: a weekday without history gets no profile (never used below).
  const common::WeekProfiles week = common::BuildWeekProfiles(
      common::HourlyNetSales(answer), today, [](int64_t) { return common::HourAmounts{}; });
  const common::DayProfile& profile = week.profiles[static_cast<size_t>(common::WeekdayOf(today))];
  if (profile.basis != "history") return std::optional<CentralPace>();
  const double minute = static_cast<double>(now_ms - store.zone.LocalDayStartMs(today)) / 60'000.0;
  return std::optional<CentralPace>(
      CentralPace{common::ShareOfPeriod(week, today, today + 1, today, minute), profile.days});
}

}  // namespace storepulse::central
