#include "common/store/derived_tables.h"

#include "common/kpi/dimensions.h"
#include "common/kpi/measures.h"

namespace storepulse::common {

Status DerivedTables::Create(SQLite::Database& db, bool central) {
  RETURN_IF_ERROR(CreateMeasureTables(db));
  RETURN_IF_ERROR(CreateStockTables(db));
  RETURN_IF_ERROR(CreateOrderTable(db));
  if (central) RETURN_IF_ERROR(CreateScopeMeasureTable(db));
  RETURN_IF_ERROR(CreateCustomerIdentityTables(db));
  return CreateCustomerTables(db, central);
}

DerivedTables::DerivedTables(SQLite::Database& db, bool central)
    : db_(db),
      measures_(db),
      orders_(db),
      stock_(db),
      customers_(db, central),
      identities_(db),
      scopes_(central ? std::make_unique<ScopeMeasureWriter>(db) : nullptr) {}

Status DerivedTables::Apply(const std::string& store, const std::string& region,
                            const TimeZone& zone, const std::vector<const Event*>& events,
                            int64_t now_ms) {
  MeasureDeltas deltas;  // folded per batch: one upsert per bucket and channel, not per event
  DimensionDeltas dimensions;
  CustomerWriter::DayTally tally;
  CustomerIdentityWriter::Batch identities;
  for (const Event* event : events) {
    Status folded = FoldEvent(*event, &deltas);
    if (folded.ok()) folded = FoldEventDimensions(*event, &dimensions);
    if (!folded.ok()) {
      return Status(folded.code(), "store " + store + ", the batch's own sum: " + folded.message());
    }
    customers_.Add(store, region, zone, *event, &tally);
    CustomerIdentityWriter::Add(*event, &identities);
  }
  customers_.Flush(store, region, tally);
  // Promises and fulfilment times: per order, from its stored state and these events.
  if (Status folded = orders_.Fold(store, events, &deltas); !folded.ok()) {
    return Status(folded.code(), "store " + store + ", its orders: " + folded.message());
  }
  identities_.Flush(store, identities);
  RETURN_IF_ERROR(measures_.Add(store, zone, deltas));
  if (scopes_) scopes_->Add(store, region, zone, deltas);
  RETURN_IF_ERROR(measures_.Add(store, zone, dimensions));
  return stock_.Apply(store, zone, events, now_ms);
}

Status DerivedTables::RebuildDays(const std::string& store, const TimeZone& zone) {
  RETURN_IF_ERROR(measures_.RebuildDays(store, zone));
  CustomerWriter::ForgetDays(db_, store, zone);
  return OkStatus();
}

}  // namespace storepulse::common
