// The stock KPIs (common/kpi/stock_kpis.h) through the KPI engine, on stock and measure tables
// written by the derived-tables writer: availability, out_of_stock_skus and stock_turnover over
// three local days with a carried-forward day, today's current totals, two stores summed as
// components, and null where a grouping or a period has no stock meaning. Expectations are
// computed by hand in the comments.
#include <SQLiteCpp/SQLiteCpp.h>
#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "common/kpi/kpi_json.h"
#include "common/kpi/kpi_query.h"
#include "common/store/derived_tables.h"
#include "common/time_util.h"

namespace storepulse::common {
namespace {

using nlohmann::json;

int64_t At(std::string_view rfc3339) { return *ParseRfc3339(rfc3339); }

Event Stock(StockKind kind, const std::string& sku, int64_t qty, std::string_view ts) {
  Event e;
  e.id = "st-" + sku + std::string(ts);
  e.type = EventType::kStock;
  e.ts_ms = At(ts);
  e.sku = sku;
  e.stock_kind = kind;
  e.qty = qty;
  return e;
}

Event Sale(const std::string& sku, int64_t qty, std::string_view ts) {
  Event e;
  e.id = "sa-" + sku + std::string(ts);
  e.type = EventType::kSale;
  e.ts_ms = At(ts);
  e.txn = e.id;
  e.lines = {Line{sku, qty, 100, 0}};
  return e;
}

Event Footfall(int64_t in, std::string_view ts) {
  Event e;
  e.type = EventType::kFootfall;
  e.ts_ms = At(ts);
  e.sensor = "door";
  e.period_s = 900;
  e.in = in;
  return e;
}

class StockKpisTest : public ::testing::Test {
 protected:
  struct Store {
    std::string id, region;
    TimeZone zone;
    std::unique_ptr<SqliteMeasureReader> measures;
    std::unique_ptr<SqliteStockReader> stock;
  };

  StockKpisTest()
      : db_(":memory:", SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE),
        paris_(AddStore("P", "eu", "Europe/Paris")) {
    // Store P, Europe/Paris. Today is 2026-11-23. End of each day (ranged, in stock, units):
    // 11-20: receipts A 10, B 5, C 2; sale A 4  → A 6, B 5, C 2: 3, 3, 13
    // 11-21: sales C 2, B 1                     → A 6, B 4, C 0: 3, 2, 10
    // 11-22: footfall only (carried forward)    →                3, 2, 10
    // 11-23: sale A 6 (today)                   → A 0, B 4, C 0: 3, 1, 4
    Apply(paris_, {Stock(StockKind::kReceipt, "A", 10, "2026-11-20T09:00:00Z"),
                   Stock(StockKind::kReceipt, "B", 5, "2026-11-20T09:00:00Z"),
                   Stock(StockKind::kReceipt, "C", 2, "2026-11-20T09:00:00Z"),
                   Sale("A", 4, "2026-11-20T10:00:00Z")});
    Apply(paris_, {Sale("C", 2, "2026-11-21T10:00:00Z"), Sale("B", 1, "2026-11-21T11:00:00Z")});
    Apply(paris_, {Footfall(100, "2026-11-22T10:00:00Z")});
    Apply(paris_, {Sale("A", 6, "2026-11-23T10:00:00Z")});
  }

  Store& AddStore(const std::string& id, const std::string& region, std::string_view zone) {
    if (stores_.empty()) {
      EXPECT_TRUE(DerivedTables::Create(db_, true).ok());
    }
    stores_.push_back(std::make_unique<Store>(Store{
        id, region, *TimeZone::Load(zone), std::make_unique<SqliteMeasureReader>(statements_, id),
        std::make_unique<SqliteStockReader>(statements_, id)}));
    return *stores_.back();
  }

  void Apply(const Store& store, const std::vector<Event>& events) {
    DerivedTables tables(db_, true);
    std::vector<const Event*> pointers;
    for (const Event& e : events) pointers.push_back(&e);
    SQLite::Transaction transaction(db_);
    ASSERT_TRUE(tables.Apply(store.id, store.region, store.zone, pointers, 0).ok());
    transaction.commit();
  }

  json Rows(std::string from, std::string to, GroupBy by = GroupBy::kTotal) {
    std::vector<StoreSource> sources;
    for (const auto& s : stores_) {
      sources.push_back({s->id, s->region, &s->zone, s->measures.get(), 0, s->stock.get()});
    }
    auto answer = RunKpiQuery(KpiRequest{std::move(from), std::move(to), by, "network"}, sources,
                              At("2026-11-23T12:00:00Z"));
    EXPECT_TRUE(answer.ok()) << answer.status().ToString();
    return answer.ok() ? KpiAnswerJson(*answer)["rows"] : json::array();
  }

  static void ExpectStock(const json& row, json availability, json out_of_stock, json turnover) {
    EXPECT_EQ(row["availability"], availability) << row.dump();
    EXPECT_EQ(row["out_of_stock_skus"], out_of_stock) << row.dump();
    EXPECT_EQ(row["stock_turnover"], turnover) << row.dump();
  }

  SQLite::Database db_;
  StatementCache statements_{db_};  // every store's readers share them
  std::vector<std::unique_ptr<Store>> stores_;
  Store& paris_;
};

TEST_F(StockKpisTest, ThreePastDaysTakeTheLastDaysSnapshotAndTheAverageOnHand) {
  // End of 11-22 (carried from 11-21): 2 of 3 in stock. Units sold 4 + 3 + 0 = 7 over an average
  // on-hand of (13 + 10 + 10) / 3 = 11.
  const json rows = Rows("2026-11-20", "2026-11-23");
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0]["units_sold"], 7);
  ExpectStock(rows[0], 2.0 / 3.0, 1, 7.0 / 11.0);
}

TEST_F(StockKpisTest, EachDayRowHasItsOwnEndOfDayFigures) {
  const json rows = Rows("2026-11-20", "2026-11-23", GroupBy::kDay);
  ASSERT_EQ(rows.size(), 3u);
  EXPECT_EQ(rows[0]["key"], "2026-11-20");
  ExpectStock(rows[0], 1.0, 0, 4.0 / 13.0);
  EXPECT_EQ(rows[1]["key"], "2026-11-21");
  ExpectStock(rows[1], 2.0 / 3.0, 1, 3.0 / 10.0);
  EXPECT_EQ(rows[2]["key"], "2026-11-22");  // no movement: carried forward from 11-21
  ExpectStock(rows[2], 2.0 / 3.0, 1, 0.0);
}

TEST_F(StockKpisTest, APeriodThatIncludesTodayEndsOnTheCurrentTotals) {
  // 11-22 carried (10 units), today current (4 units): average 7; 6 sold today.
  ExpectStock(Rows("2026-11-22", "2026-11-24")[0], 1.0 / 3.0, 2, 6.0 / 7.0);
  // The default period is today alone: 6 sold over 4 on hand.
  ExpectStock(Rows("", "")[0], 1.0 / 3.0, 2, 6.0 / 4.0);
  const json days = Rows("2026-11-22", "2026-11-24", GroupBy::kDay);
  ASSERT_EQ(days.size(), 2u);
  EXPECT_EQ(days[1]["key"], "2026-11-23");
  ExpectStock(days[1], 1.0 / 3.0, 2, 6.0 / 4.0);
}

TEST_F(StockKpisTest, InstantBoundsTakeEveryDayTheyTouch) {
  // 11-21 12:00Z → 11-22 12:00Z touches the local days 11-21 and 11-22 (10 units each) and ends
  // on 11-22: 2 of 3 in stock. Nothing sold in it (the 11-21 sales are before 12:00Z).
  ExpectStock(Rows("2026-11-21T12:00:00Z", "2026-11-22T12:00:00Z")[0], 2.0 / 3.0, 1, 0.0);
}

TEST_F(StockKpisTest, NullWhereThereIsNoStockMeaning) {
  const json none = nullptr;
  ExpectStock(Rows("2026-11-25", "2026-11-26")[0], none, none, none);  // not begun yet
  for (const json& row : Rows("2026-11-20", "2026-11-23", GroupBy::kHour)) {
    ExpectStock(row, none, none, none);
  }
  for (const json& row : Rows("2026-11-20", "2026-11-23", GroupBy::kChannel)) {
    ExpectStock(row, none, none, none);
  }
  // Before the store's first movement: nothing ranged, nothing on hand.
  ExpectStock(Rows("2026-11-19", "2026-11-20")[0], none, 0, none);
}

TEST_F(StockKpisTest, StoresSumAsComponentsNeverAsMeansOfRatios) {
  // Store K, Asia/Kolkata: ranged A (4) and D (counted 0) from its 11-20, nothing sold.
  Store& kolkata = AddStore("K", "asia", "Asia/Kolkata");
  Apply(kolkata, {Stock(StockKind::kReceipt, "A", 4, "2026-11-20T10:00:00Z"),
                  Stock(StockKind::kCount, "D", 0, "2026-11-20T10:00:00Z")});
  // Ranged 3 + 2, in stock 2 + 1: 3 / 5 (the mean of 2/3 and 1/2 would be 7/12). Units 7 over
  // average on-hands 11 + 4.
  const json total = Rows("2026-11-20", "2026-11-23")[0];
  ExpectStock(total, 3.0 / 5.0, 2, 7.0 / 15.0);
  const json by_store = Rows("2026-11-20", "2026-11-23", GroupBy::kStore);
  ASSERT_EQ(by_store.size(), 2u);
  EXPECT_EQ(by_store[0]["key"], "K");
  ExpectStock(by_store[0], 0.5, 1, 0.0);
  ExpectStock(by_store[1], 2.0 / 3.0, 1, 7.0 / 11.0);
  const json by_region = Rows("2026-11-20", "2026-11-23", GroupBy::kRegion);
  ASSERT_EQ(by_region.size(), 2u);
  EXPECT_EQ(by_region[0]["key"], "asia");
  ExpectStock(by_region[0], 0.5, 1, 0.0);
  const json by_day = Rows("2026-11-21", "2026-11-22", GroupBy::kDay);
  ASSERT_EQ(by_day.size(), 1u);  // 11-21: P 2 of 3 (10 units), K carried 1 of 2 (4 units)
  ExpectStock(by_day[0], 3.0 / 5.0, 2, 3.0 / 14.0);
}

}  // namespace
}  // namespace storepulse::common
