// The upgrade to the order table (edge schema 3, common/store/order_table.h, SeedOrdersFromLog):
// the states of the orders whose raw events are held are built from their events the per-event
// rule did not judge, so an order created before the upgrade and fulfilled after it is judged
// once, with the promise of its `created`, and timed; the measures of before stay as they were.
#include <SQLiteCpp/SQLiteCpp.h>
#include <gtest/gtest.h>

#include "common/kpi/order_lifecycle.h"
#include "common/store/derived_tables.h"
#include "common/store/event_log.h"
#include "common/store/order_table.h"
#include "edge/event_store.h"
#include "tests/support/temp_dir.h"

namespace storepulse::edge {
namespace {

using common::Event;
using common::OrderStatus;

constexpr int64_t kT0 = 1795341600000;  // 2026-11-22T10:00:00Z
constexpr int64_t kMinute = 60'000;

Event Order(const std::string& id, const std::string& order, OrderStatus status, int64_t ts,
            std::optional<int64_t> promised = std::nullopt) {
  Event e;
  e.id = id;
  e.type = common::EventType::kOrder;
  e.order = order;
  e.status = status;
  e.ts_ms = ts;
  e.promised_ms = promised;
  return e;
}

TEST(OrderSeedTest, HeldEventsTheOldRuleDidNotJudgeSeedUnsettledStates) {
  test_support::TempDir dir;
  const common::TimeZone zone = *common::TimeZone::Load("Europe/Paris");
  {
    auto store = EventStore::Open(dir.path(), "S1", zone, Durability::kNormal);
    ASSERT_TRUE(store.ok()) << store.status().message();
    // A: created with a promise, not ready yet. B: created and ready before the upgrade (the old
    // rule judged B's ready, which carried the promise).
    std::vector<AppendOutcome> outcomes;
    auto group = (*store)->BeginGroup();
    ASSERT_TRUE(group.ok());
    ASSERT_TRUE(group
                    ->Append({Order("a1", "A", OrderStatus::kCreated, kT0, kT0 + 60 * kMinute),
                              Order("b1", "B", OrderStatus::kCreated, kT0, kT0 + 60 * kMinute),
                              Order("b2", "B", OrderStatus::kReady, kT0 + 30 * kMinute,
                                    kT0 + 60 * kMinute)},
                             kT0, &outcomes)
                    .ok());
    ASSERT_TRUE(group->Commit().ok());
  }
  // As the upgrade finds a database of before: every held event folded (the watermark past them),
  // no order state.
  SQLite::Database db(EdgeDatabasePath(dir.path()), SQLite::OPEN_READWRITE);
  {
    SQLite::Transaction transaction(db);
    common::WriteWatermark(db, common::EventLogKind::kEdge, 3);
    db.exec("DELETE FROM orders");
    ASSERT_TRUE(common::SeedOrdersFromLog(db, common::EventLogKind::kEdge, "S1").ok());
    transaction.commit();
  }
  const std::optional<common::OrderState> a = common::ReadOrderState(db, "S1", "A");
  ASSERT_TRUE(a.has_value());
  EXPECT_EQ(a->created_ms, kT0);
  EXPECT_EQ(a->promised_ms, kT0 + 60 * kMinute);
  EXPECT_FALSE(common::SettledFigures(*a).has_value());
  const std::optional<common::OrderState> b = common::ReadOrderState(db, "S1", "B");
  ASSERT_TRUE(b.has_value());
  EXPECT_FALSE(b->ready_ms.has_value());  // judged by the old rule: not in the state
  // A is ready after the upgrade, 80 minutes after its creation: judged once with the promise
  // of its created (20 minutes late) and timed.
  const Event ready = Order("a2", "A", OrderStatus::kReady, kT0 + 80 * kMinute);
  common::DerivedTables tables(db, false);
  {
    SQLite::Transaction transaction(db);
    ASSERT_TRUE(tables.Apply("S1", "", zone, {&ready}, 0).ok());
    transaction.commit();
  }
  SQLite::Statement sums(
      db,
      "SELECT SUM(promises_judged), SUM(promises_kept), SUM(late_ms_sum), "
      "SUM(ready_orders), SUM(ready_ms_sum) FROM measures_15m WHERE store = 'S1'");
  ASSERT_TRUE(sums.executeStep());
  EXPECT_EQ(sums.getColumn(0).getInt64(), 1);
  EXPECT_EQ(sums.getColumn(1).getInt64(), 0);
  EXPECT_EQ(sums.getColumn(2).getInt64(), 20 * kMinute);
  EXPECT_EQ(sums.getColumn(3).getInt64(), 1);
  EXPECT_EQ(sums.getColumn(4).getInt64(), 80 * kMinute);
}

}  // namespace
}  // namespace storepulse::edge
