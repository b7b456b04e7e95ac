#include "edge/edge_schema.h"

#include <SQLiteCpp/SQLiteCpp.h>

#include "common/log.h"
#include "common/store/customer_backfill.h"
#include "common/store/customer_identity.h"
#include "common/store/customer_table.h"
#include "common/store/event_log.h"
#include "common/store/measure_table.h"
#include "common/store/order_table.h"
#include "common/store/shared_credit_upgrade.h"
#include "common/time_zone.h"
#include "edge/reference_store.h"

namespace storepulse::edge {

namespace {

// 1 → 2. 0.1.0 wrote every event into the derived tables in the event's own transaction: all
// the stored events are folded already, and the view pass starts after the last one.
common::Status StartViewsAfterTheLastEvent(SQLite::Database& db) {
  const int64_t last = db.execAndGet("SELECT COALESCE(MAX(seq), 0) FROM events").getInt64();
  common::WriteWatermark(db, common::EventLogKind::kEdge, last);
  common::LogInfo(std::string(common::WatermarkKey(common::EventLogKind::kEdge)) + " = " + std::to_string(last) +
                  ": the view pass starts after the last stored event");

  // The customer views schema 2 adds (day sketches, new customers per day) are filled from the
  // exact customer tables, which hold every folded event. One pass over them: seconds for a year
  // of a busy store.
  RETURN_IF_ERROR(common::CreateCustomerTables(db, /*with_scopes=*/false));
  SQLite::Statement meta(db, "SELECT key, value FROM meta WHERE key IN ('store', 'timezone')");
  std::string store, timezone = "UTC";
  while (meta.executeStep()) {
    (meta.getColumn(0).getString() == "store" ? store : timezone) = meta.getColumn(1).getString();
  }
  ASSIGN_OR_RETURN(const common::TimeZone zone, common::TimeZone::Load(timezone));
  RETURN_IF_ERROR(common::BackfillCustomerSketches(db, {{store, "", &zone}}, false));
  return common::OkStatus();
}

// 2 → 3. Issue 15: the defective units column, and employee counts in millionths.
common::Status AddSharedCreditAndDefects(SQLite::Database& db) {
  return common::UpgradeMeasuresForSharedCredit(db);
}

// 3 → 4. The labour measure (issue 15) gets its column, 0 everywhere: no labour event could be
// stored before this version, so nothing folded lacks it.
common::Status AddLabourMeasures(SQLite::Database& db) {
  return common::AddMeasureColumns(db, {common::Measure::kLabourStaffS});
}

// 4 → 5. The order table, seeded from the raw order events still held (order_table.h), and the
// columns of the order measures. Figures folded before keep the per-event promise rule
// (docs/KPIS.md, "Orders").
common::Status AddOrderLifecycle(SQLite::Database& db) {
  RETURN_IF_ERROR(common::AddMeasureColumns(
      db, {common::Measure::kReadyOrders, common::Measure::kReadyMsSum,
           common::Measure::kDeliveredOrders, common::Measure::kDeliveryMsSum}));
  RETURN_IF_ERROR(common::CreateOrderTable(db));
  const std::string store =
      db.execAndGet("SELECT COALESCE((SELECT value FROM meta WHERE key = 'store'), '')")
          .getString();
  return common::SeedOrdersFromLog(db, common::EventLogKind::kEdge, store);
}

// 5 → 6 (issue 15). The link and channel tables; the channels of the identified sales already
// folded are refolded from the events still held (pruned ones are gone: docs/KPIS.md).
common::Status AddCustomerIdentity(SQLite::Database& db) {
  RETURN_IF_ERROR(common::CreateCustomerIdentityTables(db));
  std::string store;
  SQLite::Statement meta(db, "SELECT value FROM meta WHERE key = 'store'");
  if (meta.executeStep()) store = meta.getColumn(0).getString();
  return common::BackfillCustomerChannels(db, common::EventLogKind::kEdge, store);
}

// 6 → 7 (issue 11). The reference documents central sends down: none held yet.
common::Status AddReferenceDocuments(SQLite::Database& db) {
  CreateReferenceTables(db);
  return common::OkStatus();
}

}  // namespace

const common::Schema& EdgeSchema() {
  static const common::Schema schema{
      "edge",
      kEdgeSchemaVersion,
      {{2, "the derived tables become views of the events, folded after a watermark",
        StartViewsAfterTheLastEvent},
       {3, "shared credit and defect returns: defective_units, employee counts in millionths",
        AddSharedCreditAndDefects},
       {4, "the labour measure (staff-seconds) joins the measure tables", AddLabourMeasures},
       {5, "orders as lifecycles: the order table, seeded from the order events still held",
        AddOrderLifecycle},
       {6, "customer links and the channels customers buy on (one customer across identities)",
        AddCustomerIdentity},
       {7, "the reference documents central sends down (catalogue, targets, context, reports)",
        AddReferenceDocuments}}};
  return schema;
}

}  // namespace storepulse::edge
