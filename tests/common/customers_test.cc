// Distinct customers, hand-counted: "new" at the scope asked, edge and central alike; small sets
// are counted exactly even where sketches are unioned (customer_views_test.cc has the views).
#include "common/kpi/customers.h"

#include <gtest/gtest.h>

#include <SQLiteCpp/SQLiteCpp.h>

#include "tests/common/customer_fixture.h"

namespace storepulse::common {
namespace {

using CustomersTest = CustomerFixture;

TEST_F(CustomersTest, NewIsJudgedAtTheScopeAskedAndDistinctCountsAreExact) {
  Buy(0, "c1", "2026-11-01T10:00:00Z");  // c1 first in A…
  Buy(1, "c1", "2026-11-02T10:00:00Z");  // …then in B
  Buy(1, "c2", "2026-11-02T11:00:00Z");
  Buy(1, "c2", "2026-11-02T12:00:00Z");
  Buy(2, "c3", "2026-11-01T10:00:00Z");
  Buy(0, "", "2026-11-01T12:00:00Z");  // anonymous: no customer

  nlohmann::json network = Query("network", GroupBy::kTotal)[0];
  EXPECT_EQ(network["customers"], 3);
  EXPECT_EQ(network["new_customers"], 3);  // c1 once, in A
  EXPECT_EQ(network["recruitment_rate"], 1.0);
  EXPECT_DOUBLE_EQ(network["purchase_frequency"].get<double>(), 5.0 / 3);
  EXPECT_DOUBLE_EQ(network["clv"].get<double>(), 5000.0 / 3);

  nlohmann::json stores = Query("network", GroupBy::kStore);
  EXPECT_EQ(stores[0]["customers"], 1);
  EXPECT_EQ(stores[1]["key"], "B");
  EXPECT_EQ(stores[1]["customers"], 2);
  EXPECT_EQ(stores[1]["new_customers"], 2);  // c1 is new in B at store scope
  EXPECT_EQ(stores[2]["new_customers"], 1);

  nlohmann::json days = Query("network", GroupBy::kDay);
  ASSERT_EQ(days.size(), 2u);
  EXPECT_EQ(days[0]["customers"], 2);      // c1, c3
  EXPECT_EQ(days[0]["new_customers"], 2);
  EXPECT_EQ(days[1]["customers"], 2);      // c1, c2
  EXPECT_EQ(days[1]["new_customers"], 1);  // c2 only: c1 was seen the day before

  nlohmann::json north = Query("region:north", GroupBy::kTotal, "north")[0];
  EXPECT_EQ(north["customers"], 2);
  EXPECT_EQ(north["new_customers"], 2);
  nlohmann::json b = Query("store:B", GroupBy::kTotal)[0];
  EXPECT_EQ(b["customers"], 2);
  EXPECT_EQ(b["new_customers"], 2);
}

TEST_F(CustomersTest, TheFirstPurchaseIsTheEarliestByEventTimeWhateverTheArrivalOrder) {
  Buy(0, "c9", "2026-11-02T10:00:00Z");
  Buy(0, "c9", "2026-10-20T10:00:00Z");  // arrives late, happened earlier: not new in November
  nlohmann::json row = Query("store:A", GroupBy::kTotal)[0];
  EXPECT_EQ(row["customers"], 1);
  EXPECT_EQ(row["new_customers"], 0);
  EXPECT_EQ(row["recruitment_rate"], 0.0);
}

TEST_F(CustomersTest, AnEdgesWholeDaysAreReadFromTheirCountsAndAgreeWithTheSets) {
  central_ = false;  // day counts are kept at the edge
  Buy(0, "c1", "2026-11-01T10:00:00Z");
  Buy(0, "c1", "2026-11-01T15:00:00Z");  // again, another bucket of the same day
  Buy(0, "c2", "2026-11-01T12:00:00Z");
  Buy(0, "c3", "2026-11-02T09:00:00Z");
  Buy(0, "c1", "2026-11-02T10:00:00Z");
  auto customers = [&](GroupBy by, const char* from, const char* to) {
    nlohmann::json values = nlohmann::json::array();
    for (const auto& row : Query("store:A", by, "", from, to)) values.push_back(row["customers"]);
    return values;
  };
  const nlohmann::json two_days = {2, 2};
  EXPECT_EQ(customers(GroupBy::kDay, "2026-11-01", "2026-11-03"), two_days);
  EXPECT_EQ(customers(GroupBy::kTotal, "2026-11-01", "2026-11-02"), nlohmann::json({2}));
  EXPECT_EQ(customers(GroupBy::kTotal, "2026-11-01", "2026-11-03"), nlohmann::json({3}));
  // Partial days come from the sets: from 12:00Z on 11-01 (13:00 in Paris), c2 and c1 that day.
  EXPECT_EQ(customers(GroupBy::kDay, "2026-11-01T12:00:00Z", "2026-11-03"), two_days);

  // The whole-day answers really are the counts…
  const int64_t day = stores_[0].zone.LocalDayOf(*ParseRfc3339("2026-11-01T10:00:00Z"));
  auto count_row = [&] {
    SQLite::Statement q(db_,
                        "SELECT customers FROM customer_day_count WHERE store = 'A' AND day = ?");
    q.bind(1, static_cast<int64_t>(day));
    return q.executeStep() ? q.getColumn(0).getInt64() : int64_t{-1};
  };
  EXPECT_EQ(count_row(), 2);
  db_.exec("UPDATE customer_day_count SET customers = 99");
  EXPECT_EQ(customers(GroupBy::kTotal, "2026-11-01", "2026-11-02"), nlohmann::json({99}));
  // …and days without one (stored before the count existed) are read from the sets, and counted
  // afresh, from what is already stored, when they are next touched.
  db_.exec("DELETE FROM customer_day_count");
  db_.exec("DELETE FROM customer_day");
  EXPECT_EQ(customers(GroupBy::kDay, "2026-11-01", "2026-11-03"), two_days);
  Buy(0, "c4", "2026-11-01T18:00:00Z");
  EXPECT_EQ(count_row(), 3);
  EXPECT_EQ(customers(GroupBy::kDay, "2026-11-01", "2026-11-03"), nlohmann::json({3, 2}));
  // A change of time zone drops the counts: the sets answer until a day is touched again.
  ASSERT_TRUE(DerivedTables(db_, true).RebuildDays("A", stores_[0].zone).ok());
  EXPECT_EQ(count_row(), -1);
  EXPECT_EQ(customers(GroupBy::kDay, "2026-11-01", "2026-11-03"), nlohmann::json({3, 2}));
  // Central keeps no counts: the same figures come from the sets.
  central_ = true;
  Buy(0, "c5", "2026-11-02T18:00:00Z");
  EXPECT_EQ(customers(GroupBy::kDay, "2026-11-01", "2026-11-03"), nlohmann::json({3, 3}));
  EXPECT_EQ(db_.execAndGet("SELECT COUNT(*) FROM customer_day_count").getInt64(), 0);
}

TEST_F(CustomersTest, ChannelRowsAndStoresWithoutCustomerDataGiveNulls) {
  Buy(0, "c1", "2026-11-01T10:00:00Z");
  nlohmann::json channel = Query("network", GroupBy::kChannel)[0];
  EXPECT_TRUE(channel["customers"].is_null());
  StatementCache statements(db_);
  SqliteMeasureReader reader(statements, "A");
  auto answer = RunKpiQuery({"2026-11-01", "2026-11-03", GroupBy::kTotal, "store:A"},
                            {{"A", "north", &stores_[0].zone, &reader}}, 0);
  ASSERT_TRUE(answer.ok());
  EXPECT_TRUE(answer->rows[0][Kpi::kCustomers].is_null());
  EXPECT_TRUE(answer->rows[0][Kpi::kClv].is_null());
}

}  // namespace
}  // namespace storepulse::common
