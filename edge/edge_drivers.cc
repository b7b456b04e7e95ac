#include "edge/edge_drivers.h"

#include <optional>
#include <string>

#include "common/kpi/kpi_compare.h"
#include "common/reference/reference_document.h"
#include "common/targets/targets_document.h"
#include "edge/edge_kpis.h"
#include "edge/edge_targets.h"
#include "edge/event_store.h"
#include "edge/reference_store.h"

namespace storepulse::edge {

common::StatusOr<nlohmann::json> EdgeDrivers(SQLite::Database& db, const OpeningHours& hours,
                                             common::TargetPeriod period,
                                             common::DriversAgainst against, int64_t now_ms) {
  ASSIGN_OR_RETURN(StoreInfo info, ReadStoreInfo(db));
  ASSIGN_OR_RETURN(common::TimeZone zone, common::TimeZone::Load(info.timezone));
  const std::string scope = "store:" + info.store;
  std::optional<common::Target> target;
  std::optional<double> pace_share;
  if (against == common::DriversAgainst::kTarget) {
    ASSIGN_OR_RETURN(std::optional<HeldDocument> held,
                     ReadHeldDocument(db, common::kTargetsDocument));
    if (held) {
      ASSIGN_OR_RETURN(common::TargetList targets, common::TargetsFromRows(held->rows));
      target = common::FindNetSalesTarget(targets, scope, period);
    }
    if (target) {
      ASSIGN_OR_RETURN(StorePace pace, StorePaceShare(db, hours, zone, period, now_ms));
      pace_share = pace.share;
    }
  }
  const common::LocalPeriod local = common::CurrentLocalPeriod(period, zone, now_ms);
  ASSIGN_OR_RETURN(common::KpiAnswer answer,
                   QueryEdgeKpis(db, common::DriversRequest(local, scope, now_ms), now_ms,
                                 common::DriversCompare(against)));
  return common::DriversJson(period, against, answer, local, now_ms, target, pace_share);
}

}  // namespace storepulse::edge
