#include "common/store/order_table.h"

#include <SQLiteCpp/SQLiteCpp.h>

#include <map>

#include "common/kpi/order_fold.h"
#include "common/store/sqlite_errors.h"
#include "common/store/statement_use.h"

namespace storepulse::common {
namespace {

constexpr char kColumns[] =
    "kind, source, first_ts, first_id, created_ts, promise_ts, promise_id, promised_ms, ready_ts, "
    "collected_ts, delivered_ts, cancelled_ts, cancelled_id, reason";

std::optional<int64_t> OptionalInt(const SQLite::Column& c) {
  return c.isNull() ? std::nullopt : std::optional<int64_t>(c.getInt64());
}

std::optional<EventMark> OptionalMark(const SQLite::Column& ts, const SQLite::Column& id) {
  return ts.isNull() ? std::nullopt : std::optional<EventMark>({ts.getInt64(), id.getString()});
}

// The state from the columns of kColumns, starting at column `c`.
OrderState ReadState(SQLite::Statement& q, int c) {
  OrderState s;
  s.kind = static_cast<OrderKind>(q.getColumn(c).getInt());
  s.source = static_cast<OrderSource>(q.getColumn(c + 1).getInt());
  s.first = EventMark{q.getColumn(c + 2).getInt64(), q.getColumn(c + 3).getString()};
  s.created_ms = OptionalInt(q.getColumn(c + 4));
  s.promise = OptionalMark(q.getColumn(c + 5), q.getColumn(c + 6));
  s.promised_ms = OptionalInt(q.getColumn(c + 7));
  s.ready_ms = OptionalInt(q.getColumn(c + 8));
  s.collected_ms = OptionalInt(q.getColumn(c + 9));
  s.delivered_ms = OptionalInt(q.getColumn(c + 10));
  s.cancelled = OptionalMark(q.getColumn(c + 11), q.getColumn(c + 12));
  s.reason = q.getColumn(c + 13).getString();
  return s;
}

void BindOptional(SQLite::Statement& q, int index, const std::optional<int64_t>& v) {
  if (v) {
    q.bind(index, *v);
  } else {
    q.bind(index);
  }
}

void BindMark(SQLite::Statement& q, int index, const std::optional<EventMark>& mark) {
  if (mark) {
    q.bind(index, mark->ts);
    q.bind(index + 1, mark->id);
  } else {
    q.bind(index);
    q.bind(index + 1);
  }
}

// Due while open: the promise, which the overdue listing compares with now.
std::optional<int64_t> DueMs(const OrderState& s) {
  if (FulfilledMs(s) || s.collected_ms || s.cancelled) return std::nullopt;
  return s.promised_ms;
}

}  // namespace

Status CreateOrderTable(SQLite::Database& db) {
  try {
    db.exec(
        "CREATE TABLE IF NOT EXISTS orders(store TEXT NOT NULL, order_id TEXT NOT NULL, "
        "kind INTEGER NOT NULL, source INTEGER NOT NULL, first_ts INTEGER NOT NULL, "
        "first_id TEXT NOT NULL, created_ts INTEGER, promise_ts INTEGER, promise_id TEXT, "
        "promised_ms INTEGER, ready_ts INTEGER, collected_ts INTEGER, delivered_ts INTEGER, "
        "cancelled_ts INTEGER, cancelled_id TEXT, reason TEXT NOT NULL DEFAULT '', "
        "due_ms INTEGER, PRIMARY KEY(store, order_id)) WITHOUT ROWID");
    db.exec("CREATE INDEX IF NOT EXISTS orders_due ON orders(store, due_ms)");
    return OkStatus();
  } catch (const std::exception& e) {
    return SqliteErrorStatus(db, e, "create the order table");
  }
}

struct OrderWriter::Statements {
  explicit Statements(SQLite::Database& db)
      : select(db,
               std::string("SELECT ") + kColumns + " FROM orders WHERE store = ? AND order_id = ?"),
        upsert(db, std::string("INSERT OR REPLACE INTO orders(store, order_id, ") + kColumns +
                       ", due_ms) VALUES(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)") {}
  SQLite::Statement select;
  SQLite::Statement upsert;
};

OrderWriter::OrderWriter(SQLite::Database& db) : statements_(std::make_unique<Statements>(db)) {}

OrderWriter::~OrderWriter() = default;

Status OrderWriter::Fold(const std::string& store, const std::vector<const Event*>& events,
                         MeasureDeltas* deltas) {
  std::map<std::string, OrderState> changed;
  MeasureDeltas orders;
  RETURN_IF_ERROR(FoldOrders(
      events,
      [&](const std::string& order) -> StatusOr<std::optional<OrderState>> {
        StatementUse select(statements_->select);
        select->bind(1, store);
        select->bind(2, order);
        if (!select->executeStep()) return std::optional<OrderState>();
        return std::optional<OrderState>(ReadState(*select, 0));
      },
      &orders, &changed));
  for (const auto& [key, m] : orders) RETURN_IF_ERROR((*deltas)[key].Add(m));
  for (const auto& [order, s] : changed) {
    StatementUse upsert(statements_->upsert);
    upsert->bind(1, store);
    upsert->bind(2, order);
    upsert->bind(3, static_cast<int>(s.kind));
    upsert->bind(4, static_cast<int>(s.source));
    upsert->bind(5, s.first->ts);
    upsert->bind(6, s.first->id);
    BindOptional(*upsert, 7, s.created_ms);
    BindMark(*upsert, 8, s.promise);
    BindOptional(*upsert, 10, s.promised_ms);
    BindOptional(*upsert, 11, s.ready_ms);
    BindOptional(*upsert, 12, s.collected_ms);
    BindOptional(*upsert, 13, s.delivered_ms);
    BindMark(*upsert, 14, s.cancelled);
    upsert->bind(16, s.reason);
    BindOptional(*upsert, 17, DueMs(s));
    upsert->exec();
  }
  return OkStatus();
}

Status SeedOrdersFromLog(SQLite::Database& db, EventLogKind kind, const std::string& edge_store) {
  ASSIGN_OR_RETURN(const int64_t watermark, ReadWatermark(db, kind));
  OrderWriter writer(db);
  constexpr size_t kChunk = 10'000;  // events decoded at a time
  for (int64_t after = 0; after < watermark;) {
    std::vector<LogEntry> entries;
    RETURN_IF_ERROR(ReadLogAfter(db, kind, edge_store, after, kChunk, &entries));
    if (entries.empty()) break;
    std::map<std::string, std::vector<const Event*>> by_store;
    for (const LogEntry& entry : entries) {
      if (entry.position > watermark) break;
      const Event& e = entry.event;
      if (e.type == EventType::kOrder && e.status != OrderStatus::kReady &&
          e.status != OrderStatus::kDelivered) {
        by_store[entry.store].push_back(&e);
      }
    }
    for (const auto& [store, events] : by_store) {
      MeasureDeltas unsettled;  // stays empty: no seeded state is fulfilled
      RETURN_IF_ERROR(writer.Fold(store, events, &unsettled));
    }
    after = entries.back().position;
  }
  return OkStatus();
}

OrderStateReader::OrderStateReader(SQLite::Database& db)
    : select_(std::make_unique<SQLite::Statement>(
          db,
          std::string("SELECT ") + kColumns + " FROM orders WHERE store = ? AND order_id = ?")) {}

OrderStateReader::~OrderStateReader() = default;

std::optional<OrderState> OrderStateReader::Read(const std::string& store,
                                                 const std::string& order) {
  StatementUse select(*select_);
  select->bind(1, store);
  select->bind(2, order);
  if (!select->executeStep()) return std::nullopt;
  return ReadState(*select, 0);
}

std::optional<OrderState> ReadOrderState(SQLite::Database& db, const std::string& store,
                                         const std::string& order) {
  return OrderStateReader(db).Read(store, order);
}

std::vector<OrderRow> ReadDueOrders(SQLite::Database& db, const std::string& store,
                                    int64_t due_before_ms, int64_t limit) {
  SQLite::Statement q(db, std::string("SELECT order_id, ") + kColumns +
                              " FROM orders WHERE store = ? AND due_ms < ? "
                              "ORDER BY due_ms, order_id LIMIT ?");
  q.bind(1, store);
  q.bind(2, due_before_ms);
  q.bind(3, limit);
  std::vector<OrderRow> rows;
  while (q.executeStep()) {
    rows.push_back(OrderRow{store, q.getColumn(0).getString(), ReadState(q, 1)});
  }
  return rows;
}

}  // namespace storepulse::common
