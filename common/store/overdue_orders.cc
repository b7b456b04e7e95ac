#include "common/store/overdue_orders.h"

#include <SQLiteCpp/SQLiteCpp.h>

#include <algorithm>
#include <charconv>

#include "common/store/sqlite_errors.h"
#include "common/time_util.h"

namespace storepulse::common {
namespace {

bool EarlierDue(const OrderRow& a, const OrderRow& b) {
  return std::tie(*a.state.promised_ms, a.store, a.order) <
         std::tie(*b.state.promised_ms, b.store, b.order);
}

// One store's overdue orders: the stored ones the pending events leave overdue, and those the
// pending events make overdue; its count into `*count`.
void AddStore(SQLite::Database& db, const std::string& store, const StoreTail* tail, int64_t now_ms,
              int64_t limit, std::vector<OrderRow>* rows, int64_t* count) {
  SQLite::Statement counted(db, "SELECT COUNT(*) FROM orders WHERE store = ? AND due_ms < ?");
  counted.bind(1, store);
  counted.bind(2, now_ms);
  counted.executeStep();
  *count += counted.getColumn(0).getInt64();
  const size_t changed = tail ? tail->orders.size() : 0;
  for (OrderRow& row : ReadDueOrders(db, store, now_ms, limit + static_cast<int64_t>(changed))) {
    if (tail && tail->orders.count(row.order)) continue;  // its new state, below
    rows->push_back(std::move(row));
  }
  if (!tail) return;
  OrderStateReader states(db);
  for (const auto& [order, state] : tail->orders) {
    std::optional<OrderState> stored = states.Read(store, order);
    if (stored && IsOverdue(*stored, now_ms)) --*count;
    if (!IsOverdue(state, now_ms)) continue;
    ++*count;
    rows->push_back(OrderRow{store, order, state});
  }
}

nlohmann::json TimeOrNull(const std::optional<int64_t>& ms) {
  return ms ? nlohmann::json(FormatRfc3339Utc(*ms)) : nlohmann::json(nullptr);
}

}  // namespace

StatusOr<OverdueOrders> ReadOverdueOrders(SQLite::Database& db,
                                          const std::vector<std::string>& stores,
                                          const PendingTail& pending, int64_t now_ms,
                                          int64_t limit) {
  OverdueOrders overdue;
  try {
    for (const std::string& store : stores) {
      AddStore(db, store, pending.ForStore(store), now_ms, limit, &overdue.orders, &overdue.count);
    }
  } catch (const std::exception& e) {
    return SqliteErrorStatus(db, e, "read the overdue orders");
  }
  std::sort(overdue.orders.begin(), overdue.orders.end(), EarlierDue);
  if (overdue.orders.size() > static_cast<size_t>(limit)) overdue.orders.resize(limit);
  return overdue;
}

StatusOr<int64_t> ReadOrdersQuery(const std::string& status, const std::string& limit) {
  if (!status.empty() && status != "overdue") {
    return InvalidArgument("status: must be overdue (the orders open past their promise), got '" +
                           status + "'");
  }
  if (limit.empty()) return kDefaultOrdersLimit;
  int64_t value = 0;
  auto [end, error] = std::from_chars(limit.data(), limit.data() + limit.size(), value);
  if (error != std::errc() || end != limit.data() + limit.size() || value < 1 ||
      value > kMaxOrdersLimit) {
    return InvalidArgument("limit: must be an integer from 1 to " +
                           std::to_string(kMaxOrdersLimit) + ", got '" + limit + "'");
  }
  return value;
}

nlohmann::json OverdueOrdersJson(const OverdueOrders& overdue, int64_t now_ms, int64_t limit) {
  nlohmann::json orders = nlohmann::json::array();
  for (const OrderRow& row : overdue.orders) {
    const OrderState& s = row.state;
    orders.push_back({{"store", row.store},
                      {"order", row.order},
                      {"kind", kOrderKindNames[static_cast<size_t>(s.kind)]},
                      {"source", kOrderSourceNames[static_cast<size_t>(s.source)]},
                      {"created", TimeOrNull(s.created_ms)},
                      {"promised", TimeOrNull(s.promised_ms)},
                      {"overdue_minutes", static_cast<double>(now_ms - *s.promised_ms) / 60000.0}});
  }
  return {{"status", "overdue"},
          {"at", FormatRfc3339Utc(now_ms)},
          {"count", overdue.count},
          {"limit", limit},
          {"orders", std::move(orders)}};
}

}  // namespace storepulse::common
