#include "central/central_schema.h"

#include <SQLiteCpp/SQLiteCpp.h>

#include "common/log.h"
#include "common/store/customer_identity.h"
#include "common/store/event_log.h"
#include "common/store/scope_measures.h"

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

// 3 → 4 (issue 15). The link and channel tables; the channels of the identified sales already
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
       {4, "customer links and the channels customers buy on (one customer across identities)",
        AddCustomerIdentity}}};
  return schema;
}

}  // namespace storepulse::central
