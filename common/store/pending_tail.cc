#include "common/store/pending_tail.h"

#include <SQLiteCpp/SQLiteCpp.h>

#include "common/kpi/order_fold.h"
#include "common/log.h"
#include "common/store/customer_identity.h"
#include "common/store/order_table.h"
#include "common/store/sqlite_errors.h"
#include "common/store/statement_use.h"
#include "common/store/stock_table.h"

namespace storepulse::common {

namespace {

// A tail this long means the pass is far behind (stopped daemon, or failing): still answered,
// up to this bound, so memory stays bounded.
constexpr size_t kMaxTailEvents = 2'000'000;

Status AddDays(const TimeZone& zone, StoreTail* tail) {
  for (const auto& [key, m] : tail->buckets) {
    const BucketKey day{zone.LocalDayOf(key.bucket * kBucketMs), key.channel};
    RETURN_IF_ERROR(tail->days[day].Add(m));
  }
  for (const auto& [key, m] : tail->dim_buckets) {
    const DimensionKey day{zone.LocalDayOf(key.bucket * kBucketMs), key.dimension, key.key};
    RETURN_IF_ERROR(tail->dim_days[day].Add(m));
  }
  return OkStatus();
}

// A first purchase at a scope: the earliest identified sale, and between sales at the same instant
// the one of the first store by id — the rule of the customer tables (customer_table.h), so that
// the first does not depend on the order the events arrive or are folded in.
struct First {
  int64_t ts = 0;
  std::string store;
  bool Before(const First& other) const {
    return ts < other.ts || (ts == other.ts && store < other.store);
  }
};

// The stored first purchase of `customer` at a scope (`query` selects first_ts and store, and
// binds the customer last); nothing when there is none. The statement is left reset: central
// binds the next store into it, and SQLite refuses a bind (SQLITE_MISUSE) on a statement stepped
// since its last reset.
std::optional<First> StoredFirst(SQLite::Statement& query, int customer_index,
                                 const std::string& customer) {
  StatementUse use(query);
  use->bind(customer_index, customer);
  if (!use->executeStep()) return std::nullopt;
  return First{use->getColumn(0).getInt64(), use->getColumn(1).getString()};
}

// Keeps, per customer, the tail's first purchase.
void KeepEarlier(std::map<std::string, TailFirst>* firsts, const std::string& customer,
                 int64_t ts, const std::string& store) {
  auto [it, inserted] = firsts->try_emplace(customer, TailFirst{ts, store, false});
  if (!inserted && First{ts, store}.Before(First{it->second.first_ms, it->second.store})) {
    it->second = TailFirst{ts, store, false};
  }
}

// Drops the tail's first purchases that do not come before the stored ones.
void DropStoredEarlier(SQLite::Statement& query, int customer_index,
                       std::map<std::string, TailFirst>* firsts) {
  for (auto it = firsts->begin(); it != firsts->end();) {
    std::optional<First> stored = StoredFirst(query, customer_index, it->first);
    if (stored && !First{it->second.first_ms, it->second.store}.Before(*stored)) {
      it = firsts->erase(it);
      continue;
    }
    it->second.replaces_stored = stored.has_value();
    ++it;
  }
}

Status FoldStock(SQLite::Database& db, const std::string& store, const TimeZone& zone,
                 const std::vector<const Event*>& events, StoreTail* tail) {
  bool moves = false;
  for (const Event* e : events) moves = moves || MovesStock(*e);
  if (!moves) return OkStatus();
  ASSIGN_OR_RETURN(std::optional<StockSnapshot> latest, ReadLatestStockSnapshot(db, store));
  Status load_status;
  StockFold fold(latest, [&](const std::string& sku) {
    auto row = ReadSkuStock(db, store, sku);
    if (!row.ok()) {
      load_status = row.status();
      return SkuStock{};
    }
    return *row ? (*row)->stock : SkuStock{};
  });
  for (const Event* e : events) {
    if (MovesStock(*e)) fold.Apply(*e, zone.LocalDayOf(BucketOf(e->ts_ms) * kBucketMs));
  }
  RETURN_IF_ERROR(load_status);
  RETURN_IF_ERROR(fold.status());
  tail->skus = fold.skus();
  tail->stock_days = fold.days();
  tail->stock_totals = fold.totals();
  return OkStatus();
}

}  // namespace

ReadSnapshot::ReadSnapshot(SQLite::Database& db) : db_(db) { open_ = db_.tryExec("BEGIN") == 0; }

ReadSnapshot::~ReadSnapshot() {
  if (open_) db_.tryExec("COMMIT");
}

StatusOr<PendingTail> PendingTail::Read(SQLite::Database& db, EventLogKind kind,
                                        const std::string& edge_store,
                                        const StoreResolver& resolve) {
  ASSIGN_OR_RETURN(const int64_t watermark, ReadWatermark(db, kind));
  std::vector<LogEntry> entries;
  RETURN_IF_ERROR(ReadLogAfter(db, kind, edge_store, watermark, kMaxTailEvents, &entries));
  PendingTail pending;
  pending.events_ = static_cast<int64_t>(entries.size());
  if (entries.empty()) return pending;
  std::map<std::string, std::vector<const Event*>> by_store;  // each store's in log order
  for (const LogEntry& entry : entries) by_store[entry.store].push_back(&entry.event);
  const bool central = kind == EventLogKind::kCentral;
  try {
    OrderStateReader order_states(db);  // one statement for every order the tail touches
    SQLite::Statement store_first(db,
                                  "SELECT first_ts, store FROM customer_first WHERE store = ? AND "
                                  "customer = ?");
    for (const auto& [store, events] : by_store) {
      std::optional<StoreContext> context = resolve(store);
      if (!context) context = StoreContext{"", *TimeZone::Load("UTC")};
      const TimeZone& zone = context->zone;
      StoreTail& tail = pending.stores_[store];
      for (const Event* e : events) {
        RETURN_IF_ERROR(FoldEvent(*e, &tail.buckets));
        RETURN_IF_ERROR(FoldEventDimensions(*e, &tail.dim_buckets));
        if (e->type == EventType::kCustomerLink) {
          tail.links.push_back(OrderedLink(e->customer, e->alias));
          continue;
        }
        if (e->type != EventType::kSale || e->customer.empty()) continue;
        const int64_t bucket = BucketOf(e->ts_ms);
        pending.has_customers_ = true;
        tail.seen.emplace_back(bucket, e->customer);
        tail.channels.emplace_back(bucket, e->customer, e->channel);
        tail.customer_days.insert(zone.LocalDayOf(bucket * kBucketMs));
        KeepEarlier(&tail.firsts, e->customer, e->ts_ms, store);
        if (!central) continue;
        KeepEarlier(&pending.scopes_["network"], e->customer, e->ts_ms, store);
        KeepEarlier(&pending.scopes_["region:" + context->region], e->customer, e->ts_ms, store);
      }
      // The orders as the view pass will fold them: the stored states plus these events.
      RETURN_IF_ERROR(FoldOrders(
          events,
          [&](const std::string& order) -> StatusOr<std::optional<OrderState>> {
            return order_states.Read(store, order);
          },
          &tail.buckets, &tail.orders));
      RETURN_IF_ERROR(AddDays(zone, &tail));
      store_first.bind(1, store);
      DropStoredEarlier(store_first, 2, &tail.firsts);
      RETURN_IF_ERROR(FoldStock(db, store, zone, events, &tail));
    }
    for (auto& [scope, firsts] : pending.scopes_) {
      if (scope == "network") {
        SQLite::Statement q(
            db, "SELECT first_ts, store FROM customer_first_network WHERE customer = ?");
        DropStoredEarlier(q, 1, &firsts);
      } else {
        SQLite::Statement q(db,
                            "SELECT first_ts, store FROM customer_first_region WHERE region = ? "
                            "AND customer = ?");
        q.bind(1, scope.substr(scope.find(':') + 1));
        DropStoredEarlier(q, 2, &firsts);
      }
    }
  } catch (const std::exception& e) {
    return SqliteErrorStatus(db, e, "read the customers of the pending events");
  }
  return pending;
}

const StoreTail* PendingTail::ForStore(const std::string& store) const {
  auto it = stores_.find(store);
  return it == stores_.end() ? nullptr : &it->second;
}

const std::map<std::string, TailFirst>* PendingTail::ForScope(const std::string& scope) const {
  auto it = scopes_.find(scope);
  return it == scopes_.end() ? nullptr : &it->second;
}

}  // namespace storepulse::common
