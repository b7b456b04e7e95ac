// The overdue orders (GET /api/v1/orders?status=overdue at the edge and at central, `storepulse
// orders --status overdue`): the orders still open past their promise at an instant — neither
// fulfilled, collected nor cancelled by any event received so far, whatever its time, and `now`
// after their promise (common/kpi/order_lifecycle.h, IsOverdue) —, read from the order table
// (common/store/order_table.h) plus the pending events, so an order event just acknowledged
// counts. Earliest promise first. The JSON is built here for the HTTP handlers of both daemons
// and the CLI's --data-dir. Stateless; one thread per connection.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "common/status.h"
#include "common/store/order_table.h"
#include "common/store/pending_tail.h"

namespace SQLite {
class Database;
}

namespace storepulse::common {

inline constexpr int64_t kDefaultOrdersLimit = 100;
inline constexpr int64_t kMaxOrdersLimit = 1000;

struct OverdueOrders {
  int64_t count = 0;             // every overdue order of the stores
  std::vector<OrderRow> orders;  // the first `limit` of them, earliest promise first
};

// REQUIRES: inside the ReadSnapshot `pending` was read in. `limit` in 1 … kMaxOrdersLimit.
StatusOr<OverdueOrders> ReadOverdueOrders(SQLite::Database& db,
                                          const std::vector<std::string>& stores,
                                          const PendingTail& pending, int64_t now_ms,
                                          int64_t limit);

// The query's `status` and `limit`: the limit, or InvalidArgument for a status other than
// "overdue" (the default) or a limit that is not an integer in 1 … kMaxOrdersLimit (default 100).
StatusOr<int64_t> ReadOrdersQuery(const std::string& status, const std::string& limit);

// {"status": "overdue", "at": now (RFC 3339 UTC), "count": N, "limit": L,
//  "orders": [{"store", "order", "kind", "source", "created": RFC 3339 or null, "promised",
//              "overdue_minutes": (now − promised) / 60000}]}
nlohmann::json OverdueOrdersJson(const OverdueOrders& overdue, int64_t now_ms, int64_t limit);

}  // namespace storepulse::common
