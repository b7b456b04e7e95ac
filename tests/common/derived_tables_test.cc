// The view pass folds a group of events at once (common/store/derived_tables.h): each customer,
// SKU and breakdown row written once per group, in key order. Whatever the grouping, the stored
// views must be those of the same events folded one at a time, at the edge and at central.
#include "common/store/derived_tables.h"

#include <SQLiteCpp/SQLiteCpp.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <string>
#include <vector>

#include "common/time_util.h"

namespace storepulse::common {
namespace {

// Every row of every derived table, as text, by table.
std::map<std::string, std::vector<std::string>> Dump(SQLite::Database& db) {
  std::map<std::string, std::vector<std::string>> tables;
  SQLite::Statement names(db, "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name");
  std::vector<std::string> all;
  while (names.executeStep()) all.push_back(names.getColumn(0).getString());
  for (const std::string& table : all) {
    SQLite::Statement rows(db, "SELECT * FROM " + table);
    while (rows.executeStep()) {
      std::string row;
      for (int i = 0; i < rows.getColumnCount(); ++i) {
        SQLite::Column column = rows.getColumn(i);
        row += (column.isBlob() ? "blob:" + std::to_string(column.getBytes()) + ":" : "") +
               column.getString() + "|";
      }
      tables[table].push_back(row);
    }
    std::sort(tables[table].begin(), tables[table].end());
  }
  return tables;
}

class DerivedTablesTest : public ::testing::TestWithParam<bool> {
 protected:
  void SetUp() override {
    ASSERT_TRUE(DerivedTables::Create(grouped_db_, central()).ok());
    ASSERT_TRUE(DerivedTables::Create(single_db_, central()).ok());
  }
  bool central() const { return GetParam(); }

  // Folds `events` into one database as one group, into the other one event at a time.
  void Fold(const std::vector<Event>& events) {
    std::vector<const Event*> group;
    for (const Event& e : events) group.push_back(&e);
    DerivedTables grouped(grouped_db_, central());
    ASSERT_TRUE(grouped.Apply("S1", "north", zone_, group, 0).ok());
    DerivedTables single(single_db_, central());
    for (const Event* e : group) ASSERT_TRUE(single.Apply("S1", "north", zone_, {e}, 0).ok());
  }

  void ExpectSameViews() {
    auto grouped = Dump(grouped_db_), single = Dump(single_db_);
    ASSERT_EQ(grouped.size(), single.size());
    for (const auto& [table, rows] : single) {
      EXPECT_EQ(grouped[table], rows) << table;
    }
  }

  Event Sale(const std::string& customer, int64_t ts_ms, std::vector<std::string> skus) {
    Event e;
    e.id = "e" + std::to_string(next_++);
    e.type = EventType::kSale;
    e.ts_ms = ts_ms;
    e.customer = customer;
    e.employee = "E" + std::to_string(next_ % 3);
    for (const std::string& sku : skus) e.lines.push_back({sku, 1 + next_ % 2, 500, 0});
    return e;
  }

  Event Receipt(const std::string& sku, int64_t qty, int64_t ts_ms) {
    Event e;
    e.id = "e" + std::to_string(next_++);
    e.type = EventType::kStock;
    e.ts_ms = ts_ms;
    e.stock_kind = StockKind::kReceipt;
    e.sku = sku;
    e.qty = qty;
    return e;
  }

  static std::string Sku(int i) {
    char text[16];
    std::snprintf(text, sizeof text, "SKU-%05d", i);
    return text;
  }

  const int64_t day1_ = *ParseRfc3339("2026-11-02T09:00:00Z");
  const int64_t day0_ = *ParseRfc3339("2026-11-01T20:30:00Z");
  TimeZone zone_ = *TimeZone::Load("Europe/Paris");
  SQLite::Database grouped_db_{":memory:", SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE};
  SQLite::Database single_db_{":memory:", SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE};
  int next_ = 0;
};

TEST_P(DerivedTablesTest, AGroupWithRepeatCustomersAndLateSalesFoldsAsItsEventsOneByOne) {
  Fold({Sale("c1", day1_, {Sku(1)}), Sale("c2", day1_ + 60'000, {Sku(2), Sku(1)})});
  // c1 twice in one bucket, then earlier the day before (a first purchase moved back within the
  // group); c2 again, later; c3 new, twice, the later sale first; an anonymous sale.
  Fold({Sale("c1", day1_ + 5'000, {Sku(3)}), Sale("c1", day1_ + 6'000, {Sku(3)}),
        Sale("c2", day1_ + 3'600'000, {Sku(1)}), Sale("c3", day1_ + 7'200'000, {Sku(4)}),
        Sale("c1", day0_, {Sku(1), Sku(4)}), Sale("c3", day0_ + 60'000, {Sku(2)}),
        Sale("", day1_, {Sku(5)})});
  ExpectSameViews();
}

TEST_P(DerivedTablesTest, StockOfAFewSkusOfALargeCatalogueFoldsAsItsEventsOneByOne) {
  std::vector<Event> catalogue;
  for (int i = 0; i < 2'000; i += 2) catalogue.push_back(Receipt(Sku(i), 10 + i % 7, day0_));
  Fold(catalogue);
  // A few SKUs far apart (more rows between them than the scan steps over), one never stocked,
  // the first and the last of the catalogue.
  Fold({Sale("", day1_, {Sku(0), Sku(1'998)}), Sale("", day1_ + 1'000, {Sku(1'000), Sku(1'001)}),
        Receipt(Sku(1'500), 5, day1_ + 2'000), Sale("c9", day1_ + 3'000, {Sku(2'500)})});
  // Dense: most of the catalogue in one group.
  std::vector<Event> dense;
  for (int i = 0; i < 2'000; i += 3) dense.push_back(Sale("", day1_ + 4'000 + i, {Sku(i)}));
  Fold(dense);
  ExpectSameViews();
}

INSTANTIATE_TEST_SUITE_P(EdgeAndCentral, DerivedTablesTest, ::testing::Bool(),
                         [](const auto& info) { return info.param ? "Central" : "Edge"; });

}  // namespace
}  // namespace storepulse::common
