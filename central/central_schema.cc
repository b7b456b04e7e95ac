#include "central/central_schema.h"

#include <SQLiteCpp/SQLiteCpp.h>

#include "common/log.h"
#include "common/store/customer_identity.h"
#include "common/store/event_log.h"
#include "common/store/measure_table.h"
#include "common/store/order_table.h"
#include "common/store/scope_measures.h"
#include "common/store/shared_credit_upgrade.h"

namespace storepulse::central {

namespace {

// 1 → 2. 0.1.0 derived every event in the transaction that stored it: all the stored events are
// folded already, and the view pass starts after the last one in append order.
common::Status StartViewsAfterTheLastEvent(SQLite::Database& db) {
  const int64_t last = db.execAndGet("SELECT COALESCE(MAX(rowid), 0) FROM events").getInt64();
  common::WriteWatermark(db, common::EventLogKind::kCentral, last);
  common::LogInfo(std::string(common::WatermarkKey(common::EventLogKind::kCentral)) + " = " + std::to_string(last) +
                  ": the view pass starts after the last stored event");

  // The customer views schema 2 adds are filled when central starts (CentralDaemon: they need
  // the stores file's zones and regions); until then the customer figures come from the exact
  // sets, as in 0.1.0.
  return common::OkStatus();
}

// 2 → 3. The table, empty; CentralStore::FillViews fills it from the stores' day rows at start.
common::Status AddScopeMeasures(SQLite::Database& db) {
  RETURN_IF_ERROR(common::CreateScopeMeasureTable(db));
  SQLite::Statement pending(db, "INSERT OR REPLACE INTO meta(key, value) VALUES(?, 'pending')");
  pending.bind(1, common::kScopeMeasuresFillKey);
  pending.exec();
  return common::OkStatus();
}

// 3 → 4. Issue 15: the defective units column, and employee counts in millionths.
common::Status AddSharedCreditAndDefects(SQLite::Database& db) {
  return common::UpgradeMeasuresForSharedCredit(db);
}

// 4 → 5. The labour measure (issue 15) gets its column, 0 everywhere: no labour event could be
// stored before this version, so nothing folded lacks it.
common::Status AddLabourMeasures(SQLite::Database& db) {
  return common::AddMeasureColumns(db, {common::Measure::kLabourStaffS});
}

// 5 → 6. The order table, seeded from the raw order events held (order_table.h), and the columns
// of the order measures. Figures folded before keep the per-event promise rule (docs/KPIS.md).
common::Status AddOrderLifecycle(SQLite::Database& db) {
  RETURN_IF_ERROR(common::AddMeasureColumns(
      db, {common::Measure::kReadyOrders, common::Measure::kReadyMsSum,
           common::Measure::kDeliveredOrders, common::Measure::kDeliveryMsSum}));
  RETURN_IF_ERROR(common::CreateOrderTable(db));
  return common::SeedOrdersFromLog(db, common::EventLogKind::kCentral, "");
}

// 6 → 7 (issue 15). The link and channel tables; the channels of the identified sales already
// folded are refolded from the log.
common::Status AddCustomerIdentity(SQLite::Database& db) {
  RETURN_IF_ERROR(common::CreateCustomerIdentityTables(db));
  return common::BackfillCustomerChannels(db, common::EventLogKind::kCentral, "");
}

}  // namespace

const common::Schema& CentralSchema() {
  static const common::Schema schema{
      "central",
      kCentralSchemaVersion,
      {{2, "the derived tables become views of the events, folded after a watermark",
        StartViewsAfterTheLastEvent},
       {3, "the region and network day measures, filled from the stores' when central starts",
        AddScopeMeasures},
       {4, "shared credit and defect returns: defective_units, employee counts in millionths",
        AddSharedCreditAndDefects},
       {5, "the labour measure (staff-seconds) joins the measure tables", AddLabourMeasures},
       {6, "orders as lifecycles: the order table, seeded from the order events held",
        AddOrderLifecycle},
       {7, "customer links and the channels customers buy on (one customer across identities)",
        AddCustomerIdentity}}};
  return schema;
}

}  // namespace storepulse::central
