// What the order lifecycle costs the view pass (common/kpi/order_fold.h): groups of 10,000 events
// folded into an edge's derived tables on a file (WAL), order events (5 per order, one order in
// five cancelled) against the same number of footfall events, which touch the measures only.
// Measurements, not checks: disabled, run by hand for docs/KPIS.md with
//   build/tests/common_tests --gtest_also_run_disabled_tests --gtest_filter='OrderFoldBench*'
#include <SQLiteCpp/SQLiteCpp.h>
#include <gtest/gtest.h>

#include <chrono>
#include <cstdio>

#include "common/store/derived_tables.h"
#include "tests/support/temp_dir.h"

namespace storepulse::common {
namespace {

constexpr int kEvents = 200'000;
constexpr int kGroup = 10'000;
constexpr int64_t kT0 = 1795341600000;  // 2026-11-22T10:00:00Z

Event OrderEvent(int i) {
  static constexpr OrderStatus kLife[] = {OrderStatus::kCreated, OrderStatus::kReady,
                                          OrderStatus::kReady, OrderStatus::kCollected,
                                          OrderStatus::kCancelled};
  Event e;
  e.id = "e" + std::to_string(i);
  e.type = EventType::kOrder;
  e.order = "o" + std::to_string(i / 5);
  e.status = kLife[i % 5];
  if (e.status == OrderStatus::kCancelled) e.reason = "customer";
  e.ts_ms = kT0 + static_cast<int64_t>(i) * 60'000;
  if (e.status == OrderStatus::kCreated) e.promised_ms = e.ts_ms + 7'200'000;
  return e;
}

Event FootfallEvent(int i) {
  Event e;
  e.id = "e" + std::to_string(i);
  e.type = EventType::kFootfall;
  e.sensor = "door-1";
  e.period_s = 900;
  e.in = 3;
  e.ts_ms = kT0 + static_cast<int64_t>(i) * 60'000;
  return e;
}

// Milliseconds to fold kEvents made by `make`, in groups of kGroup, each group one transaction.
double FoldMs(Event (*make)(int)) {
  test_support::TempDir dir;
  SQLite::Database db(dir.File("edge.db"), SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
  db.exec("PRAGMA journal_mode = WAL");
  EXPECT_TRUE(DerivedTables::Create(db, false).ok());
  const TimeZone zone = *TimeZone::Load("Europe/Paris");
  DerivedTables tables(db, false);
  std::vector<Event> events;
  for (int i = 0; i < kEvents; ++i) events.push_back(make(i));
  const auto start = std::chrono::steady_clock::now();
  for (int from = 0; from < kEvents; from += kGroup) {
    std::vector<const Event*> group;
    for (int i = from; i < from + kGroup; ++i) group.push_back(&events[i]);
    SQLite::Transaction transaction(db);
    EXPECT_TRUE(tables.Apply("S1", "", zone, group, 0).ok());
    transaction.commit();
  }
  return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start)
      .count();
}

TEST(OrderFoldBench, DISABLED_OrderEventsAgainstFootfall) {
  const double footfall = FoldMs(FootfallEvent);
  const double orders = FoldMs(OrderEvent);
  std::printf(
      "fold of %d events in groups of %d: footfall %.0f ms (%.1f us/event), orders %.0f ms "
      "(%.1f us/event)\n",
      kEvents, kGroup, footfall, 1000 * footfall / kEvents, orders, 1000 * orders / kEvents);
  RecordProperty("footfall_ms", static_cast<int>(footfall));
  RecordProperty("orders_ms", static_cast<int>(orders));
}

}  // namespace
}  // namespace storepulse::common
