// One customer across identities and channels (issue 15), hand-counted: a chain of three linked
// ids across two stores is one person of the network while each store counts with its own links;
// omnichannel customers and retention; a link arriving after the sales it joins gives the answer
// it gives before them; an edge's day counts give way to persons.
#include <gtest/gtest.h>

#include <chrono>
#include <cstdio>
#include <nlohmann/json.hpp>

#include "common/kpi/customer_persons.h"
#include "tests/common/customer_fixture.h"

namespace storepulse::common {
namespace {

class CustomerIdentityTest : public CustomerFixture {
 protected:
  // The sales of the fixture: one person known as card-1 (in store A), mail-1 (web, at A and B)
  // and app-1 (mobile, at B); c9 buys at B only.
  void Sales() {
    BuyOn(0, "card-1", Channel::kStore, "2026-11-01T10:00:00Z");
    BuyOn(0, "mail-1", Channel::kWeb, "2026-11-02T10:00:00Z");
    BuyOn(1, "app-1", Channel::kMobile, "2026-11-01T12:00:00Z");
    BuyOn(1, "mail-1", Channel::kWeb, "2026-11-02T12:00:00Z");
    BuyOn(1, "c9", Channel::kStore, "2026-11-02T13:00:00Z");
  }
  // A links card-1 to mail-1, B mail-1 to app-1: a chain across the two stores.
  void Links() {
    Link(0, "card-1", "mail-1");
    Link(1, "app-1", "mail-1");
  }

  // The customer figures of each row of an answer.
  nlohmann::json Figures(const std::string& scope, GroupBy by, const std::string& region = "") {
    nlohmann::json figures = nlohmann::json::array();
    for (const auto& row : Query(scope, by, region)) {
      nlohmann::json f = {{"key", row["key"]}};
      for (const char* name : {"customers", "new_customers", "omnichannel_customers",
                               "omnichannel_share", "retention_rate"}) {
        f[name] = row[name];
      }
      figures.push_back(f);
    }
    return figures;
  }

  nlohmann::json Every() {
    return {Figures("network", GroupBy::kTotal),   Figures("network", GroupBy::kDay),
            Figures("network", GroupBy::kStore),   Figures("network", GroupBy::kRegion),
            Figures("", GroupBy::kTotal, "north"), Figures("store:A", GroupBy::kTotal),
            Figures("store:A", GroupBy::kDay),     Figures("store:B", GroupBy::kTotal)};
  }
};

using Row = nlohmann::json;
Row Expect(const char* key, int customers, int fresh, int omni, Row share, Row retention) {
  return {{"key", key},
          {"customers", customers},
          {"new_customers", fresh},
          {"omnichannel_customers", omni},
          {"omnichannel_share", share},
          {"retention_rate", retention}};
}

TEST_F(CustomerIdentityTest, AChainOfThreeLinkedIdsAcrossTwoStoresIsOnePersonOfTheNetwork) {
  Sales();
  // Before the links: four customers, none on two channels.
  EXPECT_EQ(Figures("network", GroupBy::kTotal), Row({Expect("total", 4, 4, 0, 0.0, nullptr)}));
  Links();

  // The network: the person (card-1 = mail-1 = app-1) and c9. The person first bought on 11-01
  // at 10:00Z (card-1 in A), on three channels; 11-01 → 11-02 keeps the person (1/1).
  EXPECT_EQ(Figures("network", GroupBy::kTotal), Row({Expect("total", 2, 2, 1, 0.5, nullptr)}));
  EXPECT_EQ(Figures("network", GroupBy::kDay),
            Row({Expect("2026-11-01", 1, 1, 1, 1.0, nullptr),  // store (A) and mobile (B)
                 Expect("2026-11-02", 2, 1, 0, 0.0, 1.0)}));   // web only; c9 new
  // Hours (Paris): each hour's previous hour; only 14:00 on 11-02 follows an hour with a buyer.
  EXPECT_EQ(Figures("network", GroupBy::kHour),
            Row({Expect("2026-11-01T11:00:00+01:00", 1, 1, 0, 0.0, nullptr),  // card-1
                 Expect("2026-11-01T13:00:00+01:00", 1, 0, 0, 0.0, nullptr),  // app-1
                 Expect("2026-11-02T11:00:00+01:00", 1, 0, 0, 0.0, nullptr),  // mail-1 in A
                 Expect("2026-11-02T13:00:00+01:00", 1, 0, 0, 0.0, nullptr),  // mail-1 in B
                 Expect("2026-11-02T14:00:00+01:00", 1, 1, 0, 0.0, 0.0)}));   // c9
  EXPECT_EQ(Figures("network", GroupBy::kRegion), Row({Expect("asia", 0, 0, 0, nullptr, nullptr),
                                                       Expect("north", 2, 2, 1, 0.5, nullptr)}));
  EXPECT_EQ(Figures("", GroupBy::kTotal, "north"), Row({Expect("total", 2, 2, 1, 0.5, nullptr)}));

  // Each store with its own links: A knows card-1 = mail-1 (store and web); B knows
  // app-1 = mail-1 (mobile and web) and c9. Their by=store rows are the same.
  const Row a = Expect("total", 1, 1, 1, 1.0, nullptr);
  const Row b = Expect("total", 2, 2, 1, 0.5, nullptr);
  EXPECT_EQ(Figures("store:A", GroupBy::kTotal), Row({a}));
  EXPECT_EQ(Figures("store:B", GroupBy::kTotal), Row({b}));
  Row by_store = {a, b, Expect("C", 0, 0, 0, nullptr, nullptr)};
  by_store[0]["key"] = "A", by_store[1]["key"] = "B";
  EXPECT_EQ(Figures("network", GroupBy::kStore), by_store);
  EXPECT_EQ(Figures("store:A", GroupBy::kDay),
            Row({Expect("2026-11-01", 1, 1, 0, 0.0, nullptr),
                 Expect("2026-11-02", 1, 0, 0, 0.0, 1.0)}));  // mail-1 is card-1: not new
}

TEST_F(CustomerIdentityTest, ALinkArrivingAfterTheSalesItJoinsGivesTheAnswerOfOneBefore) {
  Links();
  Sales();
  const nlohmann::json links_first = Every();
  db_.exec("DELETE FROM customer_link");
  // The same person, the links now last, sent the other way round and twice.
  Link(1, "mail-1", "app-1");
  Link(0, "mail-1", "card-1");
  Link(0, "card-1", "mail-1");
  EXPECT_EQ(db_.execAndGet("SELECT COUNT(*) FROM customer_link").getInt64(), 2);
  EXPECT_EQ(Every(), links_first);
}

TEST_F(CustomerIdentityTest, RetentionComparesWithThePreviousPeriodOfTheSameLength) {
  Sales();
  Links();
  // 11-02 alone: its previous period is 11-01, whose one person (card-1/app-1) came back.
  nlohmann::json day = Query("network", GroupBy::kTotal, "", "2026-11-02", "2026-11-03")[0];
  EXPECT_EQ(day["retention_rate"], 1.0);
  // Without the links, 11-01's card-1 and app-1 are two customers, neither back under that id.
  db_.exec("DELETE FROM customer_link");
  day = Query("network", GroupBy::kTotal, "", "2026-11-02", "2026-11-03")[0];
  EXPECT_EQ(day["retention_rate"], 0.0);
  EXPECT_EQ(day["customers"], 2);  // mail-1, c9
  // A channel row has no customers: null.
  EXPECT_TRUE(Query("network", GroupBy::kChannel)[0]["retention_rate"].is_null());
}

TEST_F(CustomerIdentityTest, AnEdgesDayCountsGiveWayToPersons) {
  central_ = false;
  BuyOn(0, "card-1", Channel::kStore, "2026-11-01T10:00:00Z");
  BuyOn(0, "mail-1", Channel::kWeb, "2026-11-01T11:00:00Z");  // the same day, another id
  const auto total = [&] {
    return Query("store:A", GroupBy::kTotal, "", "2026-11-01", "2026-11-02")[0];
  };
  EXPECT_EQ(total()["customers"], 2);  // the day's count
  Link(0, "mail-1", "card-1");
  EXPECT_EQ(total()["customers"], 1);
  EXPECT_EQ(total()["new_customers"], 1);
  EXPECT_EQ(total()["omnichannel_customers"], 1);
  EXPECT_FALSE(total().contains("approximate"));
}

// What a link costs a query (docs/KPIS.md, "One customer across identities"): 3 stores × 30
// days × 300 identified sales (about 2,700 customers a store), a month by=total at the network
// and at a store, without any link (sketches for customers; the channel rows for omnichannel and
// retention) and with links (every figure from the exact sets). Disabled: a measurement, run by
// hand with --gtest_also_run_disabled_tests.
TEST_F(CustomerIdentityTest, DISABLED_MeasureTheCostOfLinks) {
  const int64_t start = *ParseRfc3339("2026-10-01T09:00:00Z");
  uint64_t state = 15;
  for (size_t store = 0; store < 3; ++store) {
    for (int day = 0; day < 31; ++day) {
      for (const Channel channel : {Channel::kStore, Channel::kWeb}) {
        std::vector<std::string> customers;
        for (int n = 0; n < 150; ++n) {
          state = state * 6364136223846793005ULL + 1442695040888963407ULL;
          customers.push_back("k" + std::to_string(store * 1000 + (state >> 33) % 3000));
        }
        Sell(store, customers, start + day * 86'400'000LL, 1000, channel);
      }
    }
  }
  auto time = [&](const char* what, const std::string& scope) {
    const auto begin = std::chrono::steady_clock::now();
    nlohmann::json row;
    for (int i = 0; i < 5; ++i)
      row = Query(scope, GroupBy::kTotal, "", "2026-10-01", "2026-11-01")[0];
    const double ms =
        std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - begin)
            .count() /
        5;
    std::printf("%-34s %-8s %7.1f ms  customers %s omnichannel %s retention %s%s\n", what,
                scope.c_str(), ms, row["customers"].dump().c_str(),
                row["omnichannel_customers"].dump().c_str(), row["retention_rate"].dump().c_str(),
                row.contains("approximate") ? " (approximate)" : "");
  };
  time("no link", "network");
  time("no link", "store:A");
  for (int k = 0; k < 1000; ++k)
    Link(k % 3, "k" + std::to_string(k), "k" + std::to_string(k + 1000));
  time("1,000 links", "network");
  time("1,000 links", "store:A");
}

// What the channel rows cost the view pass: 100,000 identified sales (3,000 customers, five
// channels) folded in groups of 1,000, all the derived tables, then the customer_channel writes
// alone on the same sales. Disabled: a measurement, run by hand.
TEST(CustomerIdentityCostTest, DISABLED_MeasureWhatTheChannelRowsCostTheFold) {
  std::vector<Event> sales(100'000);
  uint64_t state = 15;
  const int64_t start = *ParseRfc3339("2026-10-01T09:00:00Z");
  for (size_t i = 0; i < sales.size(); ++i) {
    state = state * 6364136223846793005ULL + 1442695040888963407ULL;
    Event& e = sales[i];
    e.id = "e" + std::to_string(i);
    e.ts_ms = start + static_cast<int64_t>(i) * 30'000;
    e.customer = "k" + std::to_string((state >> 33) % 3000);
    e.channel = static_cast<Channel>((state >> 20) % 5);
    e.lines = {{"X", 1, 1000, 0}};
  }
  const TimeZone zone = *TimeZone::Load("Europe/Paris");
  auto seconds = [](auto begin) {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - begin).count();
  };
  SQLite::Database all(":memory:", SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
  ASSERT_TRUE(DerivedTables::Create(all, false).ok());
  DerivedTables tables(all, false);
  auto begin = std::chrono::steady_clock::now();
  for (size_t at = 0; at < sales.size(); at += 1000) {
    std::vector<const Event*> group;
    for (size_t i = at; i < at + 1000; ++i) group.push_back(&sales[i]);
    SQLite::Transaction txn(all);
    ASSERT_TRUE(tables.Apply("A", "", zone, group, 0).ok());
    txn.commit();
  }
  const double fold = seconds(begin);
  SQLite::Database alone(":memory:", SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
  ASSERT_TRUE(CreateCustomerIdentityTables(alone).ok());
  CustomerIdentityWriter writer(alone);
  begin = std::chrono::steady_clock::now();
  for (size_t at = 0; at < sales.size(); at += 1000) {
    SQLite::Transaction txn(alone);
    CustomerIdentityWriter::Batch batch;
    for (size_t i = at; i < at + 1000; ++i) CustomerIdentityWriter::Add(sales[i], &batch);
    writer.Flush("A", batch);
    txn.commit();
  }
  const double channels = seconds(begin);
  std::printf(
      "fold of 100,000 identified sales: %.2f s (%.1f us a sale); channel rows alone: "
      "%.2f s (%.1f us, %.0f %% of the fold)\n",
      fold, fold * 10, channels, channels * 10, 100 * channels / fold);
}

TEST(PersonsTest, LinksAreTransitiveAndTheSmallestIdNamesThePerson) {
  Persons persons;
  persons.Link("d", "c");
  persons.Link("b", "a");
  persons.Link("c", "b");  // joins {a, b} and {c, d}
  persons.Link("x", "y");
  persons.Finish();
  EXPECT_EQ(persons.Resolve("d"), "a");
  EXPECT_EQ(persons.Resolve("b"), "a");
  EXPECT_EQ(persons.Resolve("y"), "x");
  EXPECT_EQ(persons.Resolve("z"), "z");
  EXPECT_FALSE(persons.Linked("z"));
  EXPECT_EQ(persons.Members("c"), (std::vector<std::string>{"a", "b", "c", "d"}));
  EXPECT_EQ(persons.Members("z"), (std::vector<std::string>{"z"}));
}

}  // namespace
}  // namespace storepulse::common
