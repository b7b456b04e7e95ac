// The customer views (common/store/customer_views.h) and the figures read from them: new
// customers counted per day and moved by late events, hand-counted; the "approximate" marker on
// exactly the rows that union sketches; a region's or the network's own day sketches standing
// for their stores only while they hold exactly those stores; a database from before the views;
// unreadable sketches.
#include "common/store/customer_views.h"

#include <SQLiteCpp/SQLiteCpp.h>
#include <gtest/gtest.h>

#include <cmath>
#include <set>

#include "common/store/customer_backfill.h"
#include "tests/common/customer_fixture.h"

namespace storepulse::common {
namespace {

const nlohmann::json kApproximate = {"customers", "recruitment_rate", "purchase_frequency", "clv"};

class CustomerViewsTest : public CustomerFixture {
 protected:
  // customer_new_day of (scope, local date); -1 without a row.
  int64_t NewOn(const std::string& scope, const char* date) {
    SQLite::Statement q(db_, "SELECT customers FROM customer_new_day WHERE scope = ? AND day = ?");
    q.bind(1, scope);
    q.bind(2, *TimeZone::ParseLocalDate(date));
    return q.executeStep() ? q.getColumn(0).getInt64() : -1;
  }

  // The answer computed from the exact tables alone, as before the views (they are marked pending
  // for the query).
  nlohmann::json ExactAnswer(const std::string& scope, GroupBy by, const std::string& from,
                             const std::string& to) {
    db_.exec("INSERT INTO customer_view_state(key, value) VALUES('backfill', 'pending')");
    nlohmann::json answer = Answer(scope, by, from, to);
    MarkCustomerViewsReady(db_);
    return answer;
  }

  // Every view row, as text, to compare two ways of building them.
  std::set<std::string> ViewRows() {
    std::set<std::string> rows;
    for (const char* query :
         {"SELECT scope || ' ' || day || ' ' || hex(sketch) FROM customer_sketch",
          "SELECT scope || ' ' || day || ' ' || customers FROM customer_new_day WHERE customers != "
          "0",
          "SELECT scope || ' ' || store || ' ' || first_day || ' ' || last_day FROM "
          "customer_sketch_member"}) {
      SQLite::Statement q(db_, query);
      while (q.executeStep()) rows.insert(q.getColumn(0).getString());
    }
    return rows;
  }

  std::vector<CustomerStore> Directory() {
    std::vector<CustomerStore> stores;
    for (const TestStore& s : stores_) stores.push_back({s.id, s.region, &s.zone});
    return stores;
  }
};

TEST_F(CustomerViewsTest, ALateEventMovesAFirstPurchaseToItsEarlierDay) {
  Buy(0, "c1", "2026-11-02T10:00:00Z");  // A (north, Paris): first everywhere on 11-02
  Buy(1, "c1", "2026-11-03T10:00:00Z");  // B (north, Paris): new at B on 11-03, not in north
  EXPECT_EQ(NewOn("store:A", "2026-11-02"), 1);
  EXPECT_EQ(NewOn("store:B", "2026-11-03"), 1);
  EXPECT_EQ(NewOn("region:north", "2026-11-02"), 1);
  EXPECT_EQ(NewOn("network", "2026-11-02"), 1);
  EXPECT_EQ(NewOn("region:north", "2026-11-03"), -1);

  // Late: c1 bought at B at 21:00 Paris on 11-01 (01:30 on 11-02 in Kolkata).
  Buy(1, "c1", "2026-11-01T20:00:00Z");
  EXPECT_EQ(NewOn("store:B", "2026-11-03"), 0);
  EXPECT_EQ(NewOn("store:B", "2026-11-01"), 1);
  EXPECT_EQ(NewOn("region:north", "2026-11-02"), 0);
  EXPECT_EQ(NewOn("region:north", "2026-11-01"), 1);
  EXPECT_EQ(NewOn("network", "2026-11-02"), 0);
  EXPECT_EQ(NewOn("network", "2026-11-01"), 1);
  EXPECT_EQ(NewOn("store:A", "2026-11-02"), 1);  // still A's own first purchase

  // Later still: C (asia, Kolkata) on 10-31, 17:30 local. The network's first moves from B's
  // 11-01 (Paris) — taken off that day, not off 11-02, the day the instant is in Kolkata.
  Buy(2, "c1", "2026-10-31T12:00:00Z");
  EXPECT_EQ(NewOn("network", "2026-11-01"), 0);
  EXPECT_EQ(NewOn("network", "2026-11-02"), 0);
  EXPECT_EQ(NewOn("network", "2026-10-31"), 1);
  EXPECT_EQ(NewOn("region:asia", "2026-10-31"), 1);
  EXPECT_EQ(NewOn("region:north", "2026-11-01"), 1);  // north's first is still B's

  // The figures read from the counts are those read from the first purchases themselves.
  for (const std::string scope : {"network", "region:north", "store:B"}) {
    for (GroupBy by : {GroupBy::kTotal, GroupBy::kDay, GroupBy::kStore, GroupBy::kRegion}) {
      nlohmann::json views = Answer(scope, by, "2026-10-30", "2026-11-05");
      nlohmann::json exact = ExactAnswer(scope, by, "2026-10-30", "2026-11-05");
      ASSERT_EQ(views["rows"].size(), exact["rows"].size()) << scope;
      for (size_t i = 0; i < exact["rows"].size(); ++i) {
        EXPECT_EQ(views["rows"][i]["new_customers"], exact["rows"][i]["new_customers"])
            << scope << " by " << GroupByName(by) << " " << exact["rows"][i]["key"];
        EXPECT_EQ(views["rows"][i]["customers"], exact["rows"][i]["customers"]);
      }
    }
  }
  nlohmann::json days = Query("network", GroupBy::kDay, "", "2026-10-30", "2026-11-05");
  ASSERT_EQ(days.size(), 4u);  // 10-31 (C), 11-01 (B), 11-02 (A), 11-03 (B)
  EXPECT_EQ(days[0]["key"], "2026-10-31");
  EXPECT_EQ(days[0]["new_customers"], 1);
  EXPECT_EQ(days[1]["key"], "2026-11-01");
  EXPECT_EQ(days[1]["new_customers"], 0);
}

TEST_F(CustomerViewsTest, RowsOverSeveralDaysOrStoresSayTheirFiguresAreApproximate) {
  for (size_t store : {0, 1}) {
    Buy(store, "c1", "2026-11-01T10:00:00Z");
    Buy(store, "c2", "2026-11-02T10:00:00Z");
  }
  auto marker = [&](const std::string& scope, GroupBy by, const std::string& from,
                    const std::string& to) {
    nlohmann::json markers = nlohmann::json::array();
    nlohmann::json answer = Answer(scope, by, from, to);
    EXPECT_FALSE(answer.contains("error")) << answer.dump();
    for (const auto& row : answer["rows"]) {
      markers.push_back(row.contains("approximate") ? row["approximate"] : nlohmann::json("exact"));
    }
    return markers;
  };
  const nlohmann::json exact = nlohmann::json::array({"exact"});
  const nlohmann::json approximate = nlohmann::json::array({kApproximate});
  const std::string d1 = "2026-11-01", d2 = "2026-11-02", d3 = "2026-11-03";
  EXPECT_EQ(marker("store:A", GroupBy::kTotal, d1, d2), exact);        // one store, one day
  EXPECT_EQ(marker("store:A", GroupBy::kTotal, d1, d3), approximate);  // two days
  EXPECT_EQ(marker("store:A", GroupBy::kDay, d1, d3), nlohmann::json({"exact", "exact"}));
  EXPECT_EQ(marker("network", GroupBy::kTotal, d1, d2), approximate);  // three stores
  EXPECT_EQ(marker("network", GroupBy::kDay, d1, d3), nlohmann::json({kApproximate, kApproximate}));
  EXPECT_EQ(marker("network", GroupBy::kStore, d1, d2),
            nlohmann::json({"exact", "exact", "exact"}));
  EXPECT_EQ(marker("network", GroupBy::kStore, d1, d3),
            nlohmann::json({kApproximate, kApproximate, kApproximate}));
  EXPECT_EQ(marker("region:north", GroupBy::kRegion, d1, d2), approximate);  // A and B
  EXPECT_EQ(marker("network", GroupBy::kHour, d1, d3), nlohmann::json({"exact", "exact"}));
  EXPECT_EQ(marker("network", GroupBy::kChannel, d1, d3), exact);  // nulls: nothing to mark
  // Parts of days: one part of one day is exact, parts of two days are not.
  EXPECT_EQ(marker("store:A", GroupBy::kTotal, "2026-11-01T09:00:00Z", "2026-11-01T18:00:00Z"),
            exact);
  EXPECT_EQ(marker("store:A", GroupBy::kTotal, "2026-11-01T09:00:00Z", "2026-11-02T18:00:00Z"),
            approximate);
  nlohmann::json parts =
      Answer("store:A", GroupBy::kTotal, "2026-11-01T09:00:00Z", "2026-11-02T18:00:00Z");
  EXPECT_EQ(parts["rows"][0]["customers"], 2);  // the parts' ids, folded into a sketch
  // The edge alike.
  central_ = false;
  EXPECT_EQ(marker("store:A", GroupBy::kDay, d1, d3), nlohmann::json({"exact", "exact"}));
  EXPECT_EQ(marker("store:A", GroupBy::kTotal, d1, d3), approximate);
}

// Ids c<first>..c<last-1>.
std::vector<std::string> Ids(int first, int last) {
  std::vector<std::string> ids;
  for (int i = first; i < last; ++i) ids.push_back("c" + std::to_string(i));
  return ids;
}

TEST_F(CustomerViewsTest, ANetworkPeriodIsTheUnionOfTheNetworkDaySketches) {
  stores_.push_back({"D", "north", *TimeZone::Load("Europe/Paris")});
  const int64_t day_ms = 24 * 3600 * 1000;
  const int64_t start = *ParseRfc3339("2026-11-01T10:00:00Z");
  HyperLogLog all, north;  // what the network's and north's figures must be
  for (int day = 0; day < 5; ++day) {
    for (size_t store = 0; store < stores_.size(); ++store) {
      // 1,500 ids a store-day, half of them seen again the next day, some at the next store.
      const int first = static_cast<int>(store) * 3000 + day * 750;
      Sell(store, Ids(first, first + 1500), start + day * day_ms);
      for (const std::string& id : Ids(first, first + 1500)) {
        all.Add(id);
        if (stores_[store].region == "north") north.Add(id);
      }
    }
  }
  ASSERT_FALSE(all.sparse());
  const int64_t expected = std::llround(all.Estimate());
  nlohmann::json total = Query("network", GroupBy::kTotal, "", "2026-11-01", "2026-11-06")[0];
  EXPECT_EQ(total["customers"], expected);  // the union of the network's days, register-equal
  EXPECT_EQ(total["approximate"], kApproximate);
  const double exact = 3 * 3000 + 4 * 750 + 1500;  // ids c0 .. c13499
  EXPECT_LE(std::fabs(total["customers"].get<double>() - exact),
            3 * HyperLogLog::kStandardError * exact);

  // The network's own day sketches answered: without them the total is empty…
  db_.exec("CREATE TABLE saved AS SELECT * FROM customer_sketch WHERE scope = 'network'");
  db_.exec("DELETE FROM customer_sketch WHERE scope = 'network'");
  EXPECT_EQ(Query("network", GroupBy::kTotal, "", "2026-11-01", "2026-11-06")[0]["customers"], 0);
  db_.exec("INSERT INTO customer_sketch SELECT * FROM saved");
  // …unless they hold a store the query does not have (gone from the stores file): then each
  // store's day sketches are unioned instead, with the same result.
  const std::string day = std::to_string(*TimeZone::ParseLocalDate("2026-11-02"));
  db_.exec("INSERT INTO customer_sketch_member VALUES('network', 'gone', " + day + ", " + day +
           ")");
  db_.exec("DELETE FROM customer_sketch WHERE scope = 'network'");
  EXPECT_EQ(Query("network", GroupBy::kTotal, "", "2026-11-01", "2026-11-06")[0]["customers"],
            expected);
  db_.exec("INSERT INTO customer_sketch SELECT * FROM saved");
  db_.exec("DELETE FROM customer_sketch_member WHERE store = 'gone'");

  // B moves to the south: north's old day sketches hold B's customers, so north is now read from
  // A's and D's own sketches (and its new customers from the first purchases).
  stores_[1].region = "south";
  Sell(1, {"late-1"}, start + 5 * day_ms);
  HyperLogLog north_now;
  for (size_t store : {0, 3}) {
    for (int day = 0; day < 5; ++day) {
      const int first = static_cast<int>(store) * 3000 + day * 750;
      for (const std::string& id : Ids(first, first + 1500)) north_now.Add(id);
    }
  }
  nlohmann::json region =
      Query("region:north", GroupBy::kTotal, "north", "2026-11-01", "2026-11-07")[0];
  EXPECT_EQ(region["customers"], std::llround(north_now.Estimate()));
  EXPECT_NE(region["customers"], std::llround(north.Estimate()));
  nlohmann::json exact_region =
      ExactAnswer("region:north", GroupBy::kTotal, "2026-11-01", "2026-11-07")["rows"][0];
  EXPECT_EQ(region["new_customers"], exact_region["new_customers"]);
}

TEST_F(CustomerViewsTest, ADatabaseFromBeforeTheViewsIsExactUntilBackfilledThenTheSame) {
  Buy(0, "c1", "2026-11-01T10:00:00Z");
  Buy(1, "c1", "2026-11-02T10:00:00Z");
  Buy(1, "c2", "2026-11-02T11:00:00Z");
  Buy(2, "c3", "2026-11-01T20:00:00Z");
  Buy(0, "c3", "2026-10-30T10:00:00Z");  // late: moves c3's network first to A
  const std::set<std::string> written = ViewRows();
  ASSERT_FALSE(written.empty());
  // Back to the schema before the views (version 1 as shipped in 0.1.0).
  for (const char* table :
       {"customer_sketch", "customer_new_day", "customer_view_state", "customer_sketch_member"}) {
    db_.exec(std::string("DROP TABLE ") + table);
  }
  db_.exec("ALTER TABLE customer_first_region DROP COLUMN first_day");
  db_.exec("ALTER TABLE customer_first_network DROP COLUMN first_day");

  ASSERT_TRUE(DerivedTables::Create(db_, /*central=*/true).ok());
  StatementCache statements(db_);
  SqliteCustomerReader reader(statements, "A");
  ASSERT_FALSE(*reader.ViewsReady());
  nlohmann::json before = Query("network", GroupBy::kTotal, "", "2026-10-30", "2026-11-03")[0];
  EXPECT_EQ(before["customers"], 3);
  EXPECT_EQ(before["new_customers"], 3);
  EXPECT_FALSE(before.contains("approximate"));  // from the sets: exact

  ASSERT_TRUE(BackfillCustomerSketches(db_, Directory(), /*with_scopes=*/true).ok());
  EXPECT_TRUE(*reader.ViewsReady());
  EXPECT_EQ(ViewRows(), written);  // the views the writer would have made
  nlohmann::json after = Query("network", GroupBy::kTotal, "", "2026-10-30", "2026-11-03")[0];
  EXPECT_EQ(after["customers"], 3);
  EXPECT_EQ(after["new_customers"], 3);
  EXPECT_EQ(after["approximate"], kApproximate);
  ASSERT_TRUE(BackfillCustomerSketches(db_, Directory(), true).ok());  // idempotent
  EXPECT_EQ(ViewRows(), written);
}

TEST_F(CustomerViewsTest, AnUnreadableSketchIsAnErrorToReadersAndRebuiltByTheWriter) {
  Buy(0, "c1", "2026-11-01T10:00:00Z");
  Buy(0, "c2", "2026-11-02T10:00:00Z");
  Buy(1, "c3", "2026-11-02T10:00:00Z");
  db_.exec("UPDATE customer_sketch SET sketch = x'01' WHERE scope = 'store:A'");
  nlohmann::json answer = Answer("store:A", GroupBy::kTotal, "2026-11-01", "2026-11-03");
  ASSERT_TRUE(answer.contains("error"));
  EXPECT_NE(answer["error"].get<std::string>().find("customer_sketch store:A day"),
            std::string::npos)
      << answer["error"];
  // The next sale of a day rebuilds its sketch: the store's from its ids, the network's from its
  // stores' sketches.
  Buy(0, "c4", "2026-11-01T11:00:00Z");
  Buy(0, "c4", "2026-11-02T11:00:00Z");
  db_.exec("UPDATE customer_sketch SET sketch = x'010e0105' WHERE scope = 'network'");
  Buy(1, "c5", "2026-11-01T11:00:00Z");
  Buy(1, "c5", "2026-11-02T11:00:00Z");
  EXPECT_EQ(Query("store:A", GroupBy::kTotal, "", "2026-11-01", "2026-11-03")[0]["customers"], 3);
  EXPECT_EQ(Query("network", GroupBy::kTotal, "", "2026-11-01", "2026-11-03")[0]["customers"], 5);
}

TEST_F(CustomerViewsTest, AnEdgesNewTimeZoneRebuildsItsDayViews) {
  central_ = false;
  Buy(0, "c1", "2026-11-01T23:30:00Z");  // 00:30 on 11-02 in Paris
  EXPECT_EQ(NewOn("store:A", "2026-11-02"), 1);
  stores_[0].zone = *TimeZone::Load("UTC");
  ASSERT_TRUE(DerivedTables(db_, false).RebuildDays("A", stores_[0].zone).ok());
  EXPECT_EQ(NewOn("store:A", "2026-11-02"), -1);
  EXPECT_EQ(NewOn("store:A", "2026-11-01"), 1);
  nlohmann::json days = Query("store:A", GroupBy::kDay, "", "2026-11-01", "2026-11-03");
  ASSERT_EQ(days.size(), 1u);
  EXPECT_EQ(days[0]["key"], "2026-11-01");
  EXPECT_EQ(days[0]["customers"], 1);
  EXPECT_EQ(days[0]["new_customers"], 1);
  nlohmann::json two = Query("store:A", GroupBy::kTotal, "", "2026-10-31", "2026-11-03")[0];
  EXPECT_EQ(two["customers"], 1);  // from the rebuilt day sketch
  EXPECT_EQ(two["approximate"], kApproximate);
}

}  // namespace
}  // namespace storepulse::common
