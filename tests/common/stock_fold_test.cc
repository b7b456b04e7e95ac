// On-hand stock from events (common/kpi/stock_fold.h) and its tables (common/store/stock_table.h):
// every kind of movement with hand-computed on-hand, what ranges a SKU, the totals, the booking of
// late events, and that batch boundaries do not change what is stored.
#include "common/kpi/stock_fold.h"

#include <SQLiteCpp/SQLiteCpp.h>
#include <gtest/gtest.h>

#include <limits>
#include <string>
#include <vector>

#include "common/store/stock_table.h"
#include "common/time_util.h"

namespace storepulse::common {
namespace {

constexpr int64_t kT0 = 1'795'000'000'000;  // 2026-11-18T…Z; any instant will do

Event Stock(StockKind kind, const std::string& sku, int64_t qty, int64_t ts = kT0) {
  Event e;
  e.type = EventType::kStock;
  e.ts_ms = ts;
  e.sku = sku;
  e.stock_kind = kind;
  e.qty = qty;
  return e;
}

Event Sale(const std::string& sku, int64_t qty, int64_t ts = kT0) {
  Event e;
  e.type = EventType::kSale;
  e.ts_ms = ts;
  e.lines = {Line{sku, qty, 100, 0}};
  return e;
}

Event Return(const std::string& sku, int64_t qty, bool restock, int64_t ts = kT0) {
  Event e = Sale(sku, qty, ts);
  e.type = EventType::kReturn;
  e.restock = restock;
  return e;
}

// A fold over a store with nothing stored yet.
StockFold EmptyFold() {
  return StockFold(std::nullopt, [](const std::string&) { return SkuStock{}; });
}

TEST(StockFoldTest, OnHandFollowsEveryKindOfMovement) {
  StockFold fold = EmptyFold();
  // Hand-computed on-hand after each event.
  const std::vector<std::pair<Event, int64_t>> steps = {
      {Stock(StockKind::kReceipt, "A", 10), 10},     // +10
      {Sale("A", 3), 7},                             // −3
      {Return("A", 1, /*restock=*/true), 8},         // +1
      {Return("A", 1, /*restock=*/false), 8},        // not back in stock
      {Stock(StockKind::kShrink, "A", 2), 6},        // −2
      {Stock(StockKind::kCount, "A", 20), 20},       // = 20
      {Stock(StockKind::kTransferOut, "A", 5), 15},  // −5
      {Stock(StockKind::kTransferIn, "A", 4), 19},   // +4
      {Stock(StockKind::kAdjustment, "A", -7), 12},  // signed
      {Stock(StockKind::kAdjustment, "A", 3), 15},
  };
  for (const auto& [event, on_hand] : steps) {
    fold.Apply(event, 0);
    EXPECT_EQ(fold.skus().at("A").on_hand, on_hand) << TypeName(event.type);
  }
  EXPECT_TRUE(fold.skus().at("A").ranged);
  EXPECT_EQ(fold.totals(), (StockTotals{1, 1, 15}));
}

TEST(StockFoldTest, ASaleMovesAnUnrangedSkuWithoutRangingIt) {
  StockFold fold = EmptyFold();
  fold.Apply(Sale("B", 2), 0);
  fold.Apply(Return("B", 5, true), 0);
  EXPECT_EQ(fold.skus().at("B").on_hand, 3);
  EXPECT_FALSE(fold.skus().at("B").ranged);
  EXPECT_EQ(fold.totals(), StockTotals{});  // the totals count ranged SKUs only
  // Its first stock event ranges it.
  fold.Apply(Stock(StockKind::kReceipt, "B", 1), 0);
  EXPECT_TRUE(fold.skus().at("B").ranged);
  EXPECT_EQ(fold.totals(), (StockTotals{1, 1, 4}));
}

TEST(StockFoldTest, ANegativeOnHandIsOutOfStockAndCountsAsNone) {
  StockFold fold = EmptyFold();
  fold.Apply(Stock(StockKind::kReceipt, "A", 2), 0);
  fold.Apply(Stock(StockKind::kReceipt, "B", 5), 0);
  fold.Apply(Sale("A", 3), 0);  // more sold than recorded: −1
  EXPECT_EQ(fold.skus().at("A").on_hand, -1);
  EXPECT_EQ(fold.totals(), (StockTotals{2, 1, 5}));
}

TEST(StockFoldTest, EventsThatMoveNoStockChangeNothing) {
  StockFold fold = EmptyFold();
  Event footfall;
  footfall.type = EventType::kFootfall;
  footfall.in = 10;
  EXPECT_FALSE(fold.Apply(footfall, 0));
  EXPECT_FALSE(fold.Apply(Return("A", 1, false), 0));
  EXPECT_TRUE(fold.skus().empty());
  EXPECT_TRUE(fold.days().empty());
}

TEST(StockFoldTest, LastMovementIsTheLatestTimestamp) {
  StockFold fold = EmptyFold();
  fold.Apply(Stock(StockKind::kReceipt, "A", 1, kT0 + 5000), 0);
  fold.Apply(Sale("A", 1, kT0), 0);  // arrives later, happened earlier
  EXPECT_EQ(fold.skus().at("A").last_ts, kT0 + 5000);
}

TEST(StockFoldTest, StartsFromTheStoredStateAndTotals) {
  // Stored: A ranged with 4, totals {1, 1, 4} booked to day 10.
  StockFold fold(StockSnapshot{10, {1, 1, 4}}, [](const std::string& sku) {
    return sku == "A" ? SkuStock{4, true, kT0} : SkuStock{};
  });
  fold.Apply(Sale("A", 4), 11);
  EXPECT_EQ(fold.totals(), (StockTotals{1, 0, 0}));
  EXPECT_EQ(fold.days().at(11), (StockTotals{1, 0, 0}));
}

TEST(StockFoldTest, DaysCloseInArrivalOrder) {
  StockFold fold(StockSnapshot{10, {}}, [](const std::string&) { return SkuStock{}; });
  fold.Apply(Stock(StockKind::kReceipt, "A", 5), 11);
  fold.Apply(Stock(StockKind::kReceipt, "B", 1), 12);
  // A late event of day 11 arrives once day 12 has begun: it is booked to day 12, day 11 stays
  // as it stood when it closed.
  fold.Apply(Stock(StockKind::kReceipt, "C", 2), 11);
  EXPECT_EQ(fold.days().at(11), (StockTotals{1, 1, 5}));
  EXPECT_EQ(fold.days().at(12), (StockTotals{3, 3, 8}));
  // So is a late event before the stored latest day.
  StockFold later(StockSnapshot{20, {1, 1, 1}}, [](const std::string&) { return SkuStock{}; });
  later.Apply(Stock(StockKind::kReceipt, "D", 1), 15);
  EXPECT_EQ(later.days().size(), 1u);
  EXPECT_EQ(later.days().at(20), (StockTotals{2, 2, 2}));
}

TEST(StockFoldTest, AnOnHandBeyondInt64StopsTheFoldRatherThanWrapping) {
  constexpr int64_t kMax = std::numeric_limits<int64_t>::max();
  // A SKU one receipt from the top: exactly the top still fits, one unit more does not.
  StockFold fold(std::nullopt, [&](const std::string&) { return SkuStock{kMax - 10, true, 0}; });
  EXPECT_TRUE(fold.Apply(Stock(StockKind::kReceipt, "A", 10), 0));
  EXPECT_EQ(fold.skus().at("A").on_hand, kMax);
  EXPECT_TRUE(fold.status().ok());
  EXPECT_FALSE(fold.Apply(Stock(StockKind::kReceipt, "A", 1), 0));
  EXPECT_EQ(fold.status().code(), StatusCode::kOutOfRange);
  EXPECT_EQ(fold.status().message(),
            "on-hand of SKU A: 9223372036854775807 + 1 would exceed the 64-bit integer range "
            "(±9223372036854775807)");
  EXPECT_EQ(fold.skus().at("A").on_hand, kMax);
  // Stopped: later events change nothing.
  EXPECT_FALSE(fold.Apply(Stock(StockKind::kShrink, "A", 5), 0));
  EXPECT_EQ(fold.skus().at("A").on_hand, kMax);
}

TEST(StockFoldTest, AStoreTotalBeyondInt64StopsTheFold) {
  constexpr int64_t kMax = std::numeric_limits<int64_t>::max();
  // Two SKUs, each fine alone; together more than int64 holds.
  StockFold fold(std::nullopt, [](const std::string&) { return SkuStock{}; });
  EXPECT_TRUE(fold.Apply(Stock(StockKind::kCount, "A", kMax / 2 + 1), 0));
  EXPECT_FALSE(fold.Apply(Stock(StockKind::kCount, "B", kMax / 2 + 1), 0));
  EXPECT_EQ(fold.status().code(), StatusCode::kOutOfRange);
  EXPECT_NE(fold.status().message().find("the store's on-hand total"), std::string::npos);
  EXPECT_EQ(fold.totals(), (StockTotals{1, 1, kMax / 2 + 1}));
}

// The tables, through the writer, in one batch or one event per batch: the same rows.
class StockTableTest : public ::testing::Test {
 protected:
  StockTableTest() : zone_(*TimeZone::Load("Europe/Paris")) {}

  static std::unique_ptr<SQLite::Database> NewDatabase() {
    auto db = std::make_unique<SQLite::Database>(":memory:",
                                                 SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
    EXPECT_TRUE(CreateStockTables(*db).ok());
    return db;
  }

  void Write(SQLite::Database& db, const std::vector<Event>& events, size_t batch) {
    StockWriter writer(db);
    for (size_t i = 0; i < events.size(); i += batch) {
      std::vector<const Event*> pointers;
      for (size_t j = i; j < std::min(events.size(), i + batch); ++j) {
        pointers.push_back(&events[j]);
      }
      SQLite::Transaction transaction(db);
      ASSERT_TRUE(writer.Apply("S1", zone_, pointers, 42).ok());
      transaction.commit();
    }
  }

  static std::string Dump(SQLite::Database& db, const char* sql) {
    std::string out;
    SQLite::Statement q(db, sql);
    while (q.executeStep()) {
      for (int c = 0; c < q.getColumnCount(); ++c) out += q.getColumn(c).getString() + ",";
      out += "\n";
    }
    return out;
  }

  TimeZone zone_;
};

TEST_F(StockTableTest, BatchBoundariesDoNotChangeTheRows) {
  const int64_t day = 86'400'000;
  std::vector<Event> events = {Stock(StockKind::kReceipt, "A", 10, kT0),
                               Stock(StockKind::kReceipt, "B", 3, kT0),
                               Sale("A", 4, kT0 + 1000),
                               Sale("C", 1, kT0 + 2000),
                               Stock(StockKind::kCount, "B", 0, kT0 + day),
                               Return("A", 2, true, kT0 + day),
                               Sale("A", 1, kT0 + 10),  // late: booked to the second day
                               Stock(StockKind::kShrink, "A", 1, kT0 + 3 * day)};
  auto whole = NewDatabase();
  auto single = NewDatabase();
  Write(*whole, events, events.size());
  Write(*single, events, 1);
  const char* kStock = "SELECT * FROM stock ORDER BY store, sku";
  const char* kDays = "SELECT * FROM stock_day ORDER BY store, day";
  EXPECT_EQ(Dump(*whole, kStock), Dump(*single, kStock));
  EXPECT_EQ(Dump(*whole, kDays), Dump(*single, kDays));
  auto a = ReadSkuStock(*whole, "S1", "A");
  ASSERT_TRUE(a.ok() && a->has_value());
  EXPECT_EQ((*a)->stock, (SkuStock{6, true, kT0 + 3 * day}));  // 10 − 4 + 2 − 1 − 1
  EXPECT_EQ((*a)->updated_ms, 42);
  auto c = ReadSkuStock(*whole, "S1", "C");
  ASSERT_TRUE(c.ok() && c->has_value());
  EXPECT_EQ((*c)->stock, (SkuStock{-1, false, kT0 + 2000}));
  auto none = ReadSkuStock(*whole, "S1", "Z");
  ASSERT_TRUE(none.ok());
  EXPECT_FALSE(none->has_value());
  // Three days booked: A 6, B 3 / A 7, B 0 / A 6, B 0.
  EXPECT_EQ(Dump(*whole, "SELECT ranged, in_stock, on_hand_total FROM stock_day ORDER BY day"),
            "2,2,9,\n2,1,7,\n2,1,6,\n");
  auto summary = ReadStockSummary(*whole, "S1", 100);
  ASSERT_TRUE(summary.ok());
  EXPECT_EQ(summary->totals, (StockTotals{2, 1, 6}));
  EXPECT_EQ(summary->out_of_stock, std::vector<std::string>{"B"});
}

TEST_F(StockTableTest, TheReaderCarriesTheLastEarlierRowIn) {
  auto db = NewDatabase();
  db->exec(
      "INSERT INTO stock_day VALUES('S1', 10, 1, 1, 5), ('S1', 12, 2, 1, 7), "
      "('S1', 15, 2, 2, 9), ('S2', 11, 9, 9, 9)");
  StatementCache statements(*db);
  SqliteStockReader reader(statements, "S1");
  std::vector<StockSnapshot> rows;
  ASSERT_TRUE(reader.ReadStockDays(13, 16, &rows).ok());
  EXPECT_EQ(rows, (std::vector<StockSnapshot>{{12, {2, 1, 7}}, {15, {2, 2, 9}}}));
  rows.clear();
  ASSERT_TRUE(reader.ReadStockDays(12, 13, &rows).ok());  // a row on from_day is its own value
  EXPECT_EQ(rows, (std::vector<StockSnapshot>{{12, {2, 1, 7}}}));
  rows.clear();
  ASSERT_TRUE(reader.ReadStockDays(5, 10, &rows).ok());  // before the first row: nothing
  EXPECT_TRUE(rows.empty());
}

}  // namespace
}  // namespace storepulse::common
