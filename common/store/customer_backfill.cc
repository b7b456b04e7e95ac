#include "common/store/customer_backfill.h"

#include <SQLiteCpp/SQLiteCpp.h>
#include <sqlite3.h>

#include <limits>
#include <map>

#include "common/kpi/measures.h"
#include "common/store/customer_views.h"

namespace storepulse::common {

namespace {

constexpr const char* kLocalDay = "storepulse_local_day";

// The SQL function storepulse_local_day(store, utc_ms): the local day of the instant in the
// store's zone, NULL for a store it does not know. Registered on the connection while it lives.
class LocalDayFunction {
 public:
  LocalDayFunction(SQLite::Database& db, std::map<std::string, const TimeZone*> zones)
      : db_(db), zones_(std::move(zones)) {
    db_.createFunction(kLocalDay, 2, true, this, &Call);
  }
  ~LocalDayFunction() {
    try {
      db_.createFunction(kLocalDay, 2, true, nullptr, nullptr);  // unregisters it
    } catch (const std::exception&) {  // a destructor does not throw; the pointer dies with us
    }
  }
  LocalDayFunction(const LocalDayFunction&) = delete;
  LocalDayFunction& operator=(const LocalDayFunction&) = delete;

 private:
  static void Call(sqlite3_context* context, int, sqlite3_value** args) {
    const auto* self = static_cast<const LocalDayFunction*>(sqlite3_user_data(context));
    const auto* text = reinterpret_cast<const char*>(sqlite3_value_text(args[0]));
    const auto it = text == nullptr ? self->zones_.end()
                                    : self->zones_.find(std::string(
                                          text, static_cast<size_t>(sqlite3_value_bytes(args[0]))));
    if (it == self->zones_.end()) {
      sqlite3_result_null(context);
      return;
    }
    sqlite3_result_int64(context, it->second->LocalDayOf(sqlite3_value_int64(args[1])));
  }

  SQLite::Database& db_;
  const std::map<std::string, const TimeZone*> zones_;
};

// Each region's and the network's day sketches as unions of their stores' day sketches, and the
// stores each holds, on which days.
void RebuildScopeSketches(SQLite::Database& db, const std::vector<CustomerStore>& stores) {
  CustomerViewWriter views(db, /*with_scopes=*/true);
  StatementCache statements(db);
  std::map<std::string, std::vector<const CustomerStore*>> members;
  for (const CustomerStore& s : stores) {
    members[RegionScope(s.region)].push_back(&s);
    members[std::string(kNetworkScope)].push_back(&s);
  }
  for (const auto& [scope, in_scope] : members) {
    std::map<int64_t, HyperLogLog> days;  // dense sketches of 16 KB: ~6 MB a year of days
    for (const CustomerStore* s : in_scope) {
      int64_t first = std::numeric_limits<int64_t>::max();
      int64_t last = std::numeric_limits<int64_t>::min();
      Status read = ReadViewSketches(
          statements, StoreScope(s->store), std::numeric_limits<int64_t>::min(),
          std::numeric_limits<int64_t>::max(), [&](int64_t day, const HyperLogLog& sketch) {
            days[day].Merge(sketch);
            first = std::min(first, day);
            last = std::max(last, day);
          });
      if (!read.ok()) throw SQLite::Exception(read.message(), SQLITE_CORRUPT);
      if (first <= last) views.ExtendMember(scope, s->store, first, last);
    }
    for (const auto& [day, sketch] : days) views.PutSketch(scope, day, sketch);
  }
}

// first_day of the region and network first purchases, their counts per day, and the stores they
// happened at as members of their scope.
void RebuildScopeFirsts(SQLite::Database& db) {
  for (const auto& [table, scope, group] :
       {std::tuple<const char*, const char*, const char*>{"customer_first_region",
                                                          "'region:' || region", "region, "},
        {"customer_first_network", "'network'", ""}}) {
    const std::string t = table;
    db.exec("UPDATE " + t + " SET first_day = " + kLocalDay + "(store, first_ts)");
    db.exec("INSERT INTO customer_new_day(scope, day, customers) SELECT " + std::string(scope) +
            ", first_day, COUNT(*) FROM " + t + " WHERE first_day IS NOT NULL GROUP BY " + group +
            "first_day");
    db.exec("INSERT INTO customer_sketch_member(scope, store, first_day, last_day) SELECT " +
            std::string(scope) + ", store, MIN(first_day), MAX(first_day) FROM " + t +
            " WHERE first_day IS NOT NULL GROUP BY " + group +
            "store ON CONFLICT DO UPDATE SET first_day = min(first_day, excluded.first_day), "
            "last_day = max(last_day, excluded.last_day)");
  }
}

}  // namespace

void RebuildStoreViews(SQLite::Database& db, const std::string& store, const TimeZone& zone) {
  const std::string scope = StoreScope(store);
  for (const char* table : {"customer_sketch", "customer_new_day"}) {
    SQLite::Statement erase(db, std::string("DELETE FROM ") + table + " WHERE scope = ?");
    erase.bind(1, scope);
    erase.exec();
  }
  CustomerViewWriter views(db, /*with_scopes=*/false);
  SQLite::Statement seen(db,
                         "SELECT bucket, customer FROM customer_seen WHERE store = ? ORDER BY "
                         "bucket");
  seen.bind(1, store);
  HyperLogLog sketch;
  int64_t sketch_day = 0, last_bucket = 0;
  bool any = false;
  while (seen.executeStep()) {
    const int64_t bucket = seen.getColumn(0).getInt64();
    if (!any || bucket != last_bucket) {  // a day holds ~96 buckets: one zone lookup each
      const int64_t day = zone.LocalDayOf(bucket * kBucketMs);
      if (any && day != sketch_day) {
        views.PutSketch(scope, sketch_day, sketch);
        sketch = HyperLogLog();
      }
      sketch_day = day;
      last_bucket = bucket;
      any = true;
    }
    sketch.Add(seen.getColumn(1).getString());
  }
  if (any) views.PutSketch(scope, sketch_day, sketch);
  LocalDayFunction local_day(db, {{store, &zone}});
  SQLite::Statement count(db, std::string("INSERT INTO customer_new_day(scope, day, customers) "
                                          "SELECT ?1, ") +
                                  kLocalDay +
                                  "(store, first_ts) AS d, COUNT(*) FROM customer_first "
                                  "WHERE store = ?2 GROUP BY d");
  count.bind(1, scope);
  count.bind(2, store);
  count.exec();
}

Status BackfillCustomerSketches(SQLite::Database& db, const std::vector<CustomerStore>& stores,
                                bool with_scopes) {
  try {
    std::map<std::string, const TimeZone*> zones;
    for (const CustomerStore& s : stores) {
      RebuildStoreViews(db, s.store, *s.zone);
      zones[s.store] = s.zone;
    }
    if (with_scopes) {
      db.exec("DELETE FROM customer_sketch WHERE substr(scope, 1, 6) != 'store:'");
      db.exec("DELETE FROM customer_new_day WHERE substr(scope, 1, 6) != 'store:'");
      db.exec("DELETE FROM customer_sketch_member");
      RebuildScopeSketches(db, stores);
      LocalDayFunction local_day(db, zones);
      RebuildScopeFirsts(db);
    }
    MarkCustomerViewsReady(db);
    return OkStatus();
  } catch (const std::exception& e) {
    return Internal(std::string("cannot fill the customer views: ") + e.what());
  }
}

}  // namespace storepulse::common
