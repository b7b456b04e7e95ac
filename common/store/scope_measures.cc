#include "common/store/scope_measures.h"

#include <SQLiteCpp/SQLiteCpp.h>

#include <algorithm>
#include <map>

#include "common/kpi/customers.h"
#include "common/store/customer_views.h"
#include "common/store/measure_table.h"
#include "common/store/statement_use.h"
#include "common/time_util.h"

namespace storepulse::common {

namespace {

constexpr char kTable[] = "scope_measures_day";

// Day deltas keyed (day, channel), as BucketKey{day, channel}.
using DayDeltas = std::map<BucketKey, Measures>;

void Upsert(SQLite::Statement& statement, const std::string& scope, const BucketKey& key,
            const Measures& m) {
  StatementUse upsert(statement);
  upsert->bind(1, scope);
  upsert->bind(2, static_cast<int64_t>(key.bucket));
  upsert->bind(3, static_cast<int>(key.channel));
  for (size_t i = 0; i < kMeasureCount; ++i) upsert->bind(4 + static_cast<int>(i), m.v[i]);
  upsert->exec();
}

// The scopes a store's rows are added to: its region's ("" when the stores file lacks it, as the
// view pass does) and the network's.
std::vector<std::string> ScopesOf(const std::map<std::string, std::string>& region_of,
                                  const std::string& store) {
  auto region = region_of.find(store);
  return {RegionScope(region == region_of.end() ? "" : region->second), std::string(kNetworkScope)};
}

}  // namespace

struct ScopeMeasureWriter::Statements {
  explicit Statements(SQLite::Database& db)
      : upsert(db, MeasureUpsertSql(kTable, "scope, day, channel", 3, kAllMeasures)),
        members(db, true) {}
  SQLite::Statement upsert;
  CustomerViewWriter members;  // its member rows: which stores a scope's views hold, and when
};

Status CreateScopeMeasureTable(SQLite::Database& db) {
  try {
    db.exec(CreateMeasureTableSql(
        kTable, "scope TEXT NOT NULL, day INTEGER NOT NULL, channel INTEGER NOT NULL",
        "scope, day, channel", /*nullable=*/true));
    return OkStatus();
  } catch (const std::exception& e) {
    return Internal(std::string("cannot create ") + kTable + ": " + e.what());
  }
}

ScopeMeasureWriter::ScopeMeasureWriter(SQLite::Database& db)
    : statements_(std::make_unique<Statements>(db)) {}

ScopeMeasureWriter::~ScopeMeasureWriter() = default;

void ScopeMeasureWriter::Add(const std::string& store, const std::string& region,
                             const TimeZone& zone, const MeasureDeltas& deltas) {
  if (deltas.empty()) return;
  DayDeltas days;
  for (const auto& [key, m] : deltas) {
    // Fits: the store's own day rows summed the same deltas before this.
    (void)days[BucketKey{zone.LocalDayOf(key.bucket * kBucketMs), key.channel}].Add(m);
  }
  const int64_t first = days.begin()->first.bucket;
  const int64_t last = days.rbegin()->first.bucket;
  for (const std::string& scope : {RegionScope(region), std::string(kNetworkScope)}) {
    for (const auto& [key, m] : days) Upsert(statements_->upsert, scope, key, m);
    statements_->members.ExtendMember(scope, store, first, last);
  }
}

StatusOr<bool> ScopeMeasuresReady(StatementCache& statements) {
  try {
    if (!statements.db().tableExists("meta")) return true;  // not a daemon's: nothing to fill
    StatementUse q(statements.Get("SELECT 1 FROM meta WHERE key = ?"));
    q->bind(1, kScopeMeasuresFillKey);
    return !q->executeStep();
  } catch (const std::exception& e) {
    return Internal(std::string("cannot read meta: ") + e.what());
  }
}

Status ReadScopeMeasureDays(StatementCache& statements, const std::string& scope, int64_t from_day,
                            int64_t to_day, const MeasureReader::Sink& sink) {
  try {
    StatementUse q(statements.Get(std::string("SELECT day, channel") + MeasureColumns() + " FROM " +
                                  kTable + " WHERE scope = ? AND day >= ? AND day < ?"));
    q->bind(1, scope);
    q->bind(2, from_day);
    q->bind(3, to_day);
    while (q->executeStep()) {
      const int64_t day = q->getColumn(0).getInt64();
      Measures m;
      for (size_t i = 0; i < kMeasureCount; ++i) {
        const SQLite::Column column = q->getColumn(2 + static_cast<int>(i));
        if (!column.isInteger()) {
          return OutOfRange("the " + scope + "'s " + std::string(kMeasureNames[i]) + " of " +
                            TimeZone::FormatLocalDate(day) +
                            " would exceed the 64-bit integer range: the KPIs cannot be summed "
                            "exactly; ask for a narrower scope (by=store sums each store alone)");
        }
        m.v[i] = column.getInt64();
      }
      sink(day, static_cast<Channel>(q->getColumn(1).getInt()), m);
    }
    return OkStatus();
  } catch (const std::exception& e) {
    return Internal(std::string("cannot read ") + kTable + ": " + e.what());
  }
}

void FillScopeMeasures(SQLite::Database& db, const std::vector<CustomerStore>& stores) {
  std::map<std::string, std::string> region_of;
  for (const CustomerStore& s : stores) region_of[s.store] = s.region;
  SQLite::Statement upsert(db, MeasureUpsertSql(kTable, "scope, day, channel", 3, kAllMeasures));
  std::map<std::string, std::pair<int64_t, int64_t>> store_days;  // first and last day
  SQLite::Statement q(db, "SELECT store, day, channel" + MeasureColumns() + " FROM measures_day");
  while (q.executeStep()) {
    const std::string store = q.getColumn(0).getString();
    const BucketKey key{q.getColumn(1).getInt64(), static_cast<Channel>(q.getColumn(2).getInt())};
    Measures m;
    for (size_t i = 0; i < kMeasureCount; ++i) {
      m.v[i] = q.getColumn(3 + static_cast<int>(i)).getInt64();
    }
    for (const std::string& scope : ScopesOf(region_of, store)) Upsert(upsert, scope, key, m);
    auto [days, fresh] = store_days.try_emplace(store, key.bucket, key.bucket);
    days->second.first = std::min(days->second.first, key.bucket);
    days->second.second = std::max(days->second.second, key.bucket);
  }
  CustomerViewWriter members(db, /*with_scopes=*/true);
  for (const auto& [store, days] : store_days) {
    for (const std::string& scope : ScopesOf(region_of, store)) {
      members.ExtendMember(scope, store, days.first, days.second);
    }
  }
}

}  // namespace storepulse::common
