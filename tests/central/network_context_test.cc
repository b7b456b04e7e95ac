// Every store's network context (central/network_context.h) over a real central database of
// three stores in two regions, against figures and ranks computed by hand: the store's own
// figures, its region's and the network's for its local today so far and yesterday, the change
// of net sales against the same weekday a week earlier, ranks with a tie and with stores that
// have no data, and the document's round trip (common/reference/network_context.h).
#include "central/network_context.h"

#include <SQLiteCpp/SQLiteCpp.h>
#include <gtest/gtest.h>

#include <map>

#include "central/central_store.h"
#include "common/transport/curve_keys.h"
#include "tests/integration/test_events.h"
#include "tests/support/temp_dir.h"

namespace storepulse::central {
namespace {

using common::ContextFigureIndex;
using common::ContextFigures;
using common::ContextRank;

constexpr int64_t kDayMs = 24 * 3'600'000;

// A, B in region North, C in South; all on UTC so that a day is easy to compute by hand.
std::shared_ptr<const StoreDirectory> ThreeStores() {
  std::string text = "store,public_key,name,region,timezone,area_m2\n";
  for (const char* row : {"A,Store A,North", "B,Store B,North", "C,Store C,South"}) {
    const std::string fields = row;
    const std::string store = fields.substr(0, fields.find(','));
    const std::string rest = fields.substr(fields.find(',') + 1);
    text += store + "," + common::GenerateCurveKeyPair()->public_key + "," + rest + ",UTC,\n";
  }
  auto directory = StoreDirectory::Parse(text);
  EXPECT_TRUE(directory.ok()) << directory.status().message();
  return *directory;
}

common::Event SaleAt(const std::string& id, int64_t qty, int64_t price, int64_t ts_ms) {
  return test_support::Sale(id, qty, price, common::Channel::kStore, ts_ms);
}

double Figure(const ContextFigures& figures, const char* name) {
  const common::KpiValue& value = figures[*ContextFigureIndex(name)];
  return value.is_null() ? -12345 : value.AsDouble();
}

bool IsNull(const ContextFigures& figures, const char* name) {
  return figures[*ContextFigureIndex(name)].is_null();
}

ContextRank Rank(const common::ContextDay& day, const char* name) {
  return day.rank[*ContextFigureIndex(name)];
}

class NetworkContextTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto opened = CentralStore::Open(dir_.path(), false);
    ASSERT_TRUE(opened.ok()) << opened.status().message();
    store_ = std::move(opened).value();
  }
  void Commit(const std::string& store, const std::vector<common::Event>& events) {
    auto group = store_->BeginGroup();
    ASSERT_TRUE(group.ok());
    auto outcome = group->Apply(StreamBatch{{store, "i1"}, acked_[store] + 1, events}, now_);
    ASSERT_TRUE(outcome.ok()) << outcome.status().message();
    ASSERT_EQ(outcome->applied, static_cast<int64_t>(events.size()));
    acked_[store] = outcome->acked_seq;
    ASSERT_TRUE(group->Commit().ok());
  }
  std::vector<common::NetworkContext> Contexts() {
    SQLite::Database db(CentralDatabasePath(dir_.path()), SQLite::OPEN_READONLY);
    auto contexts = ReadNetworkContexts(db, *directory_, now_);
    EXPECT_TRUE(contexts.ok()) << contexts.status().message();
    return contexts.ok() ? *contexts : std::vector<common::NetworkContext>();
  }

  test_support::TempDir dir_;
  std::unique_ptr<CentralStore> store_;
  std::map<std::string, int64_t> acked_;
  const int64_t now_ = test_support::NowMs();
  const int64_t midnight_ = now_ / kDayMs * kDayMs;  // UTC
  // Today, before now (half-way through today so far); yesterday at noon.
  const int64_t today_ = midnight_ + (now_ - midnight_) / 2;
  const int64_t yesterday_ = midnight_ - kDayMs / 2;
  const std::shared_ptr<const StoreDirectory> directory_ = ThreeStores();
};

TEST_F(NetworkContextTest, StoreRegionNetworkAndRanksOfTodayAndYesterday) {
  const int64_t week = 7 * kDayMs;
  // Today: A 2 sales (1 × 10.00, 3 × 10.00), B 1 sale (2 × 15.00), C 1 sale (1 × 50.00).
  // A week earlier, before the same instant: A 20.00, B 30.00, C nothing.
  // Yesterday: A 1 × 10.00 only; nothing a week before it.
  Commit("A", {SaleAt("a1", 1, 1000, today_), SaleAt("a2", 3, 1000, today_),
               SaleAt("a3", 1, 2000, today_ - week), SaleAt("a4", 1, 1000, yesterday_)});
  Commit("B", {SaleAt("b1", 2, 1500, today_), SaleAt("b2", 1, 3000, today_ - week)});
  Commit("C", {SaleAt("c1", 1, 5000, today_)});

  const std::vector<common::NetworkContext> contexts = Contexts();
  ASSERT_EQ(contexts.size(), 3u);
  const common::NetworkContext& a = contexts[0];
  const common::NetworkContext& b = contexts[1];
  const common::NetworkContext& c = contexts[2];
  EXPECT_EQ(a.store, "A");
  EXPECT_EQ(a.name, "Store A");
  EXPECT_EQ(a.region, "North");
  EXPECT_EQ(a.region_stores, 2);
  EXPECT_EQ(c.region_stores, 1);
  EXPECT_EQ(a.network_stores, 3);
  EXPECT_EQ(a.as_of_ms, now_);
  EXPECT_EQ(a.today.date, common::TimeZone::FormatLocalDate(midnight_ / kDayMs));
  EXPECT_EQ(a.yesterday.date, common::TimeZone::FormatLocalDate(midnight_ / kDayMs - 1));

  // The stores' own figures.
  EXPECT_EQ(Figure(a.today.store, "net_sales"), 4000);
  EXPECT_EQ(Figure(a.today.store, "aov"), 2000);
  EXPECT_EQ(Figure(a.today.store, "upt"), 2);
  EXPECT_EQ(Figure(a.today.store, "net_sales_change"), 1.0);  // 4000 against 2000
  EXPECT_EQ(Figure(b.today.store, "net_sales"), 3000);
  EXPECT_EQ(Figure(b.today.store, "aov"), 3000);
  EXPECT_EQ(Figure(b.today.store, "upt"), 2);
  EXPECT_EQ(Figure(b.today.store, "net_sales_change"), 0.0);  // 3000 against 3000
  EXPECT_EQ(Figure(c.today.store, "net_sales"), 5000);
  EXPECT_TRUE(IsNull(c.today.store, "net_sales_change"));  // nothing a week ago
  EXPECT_TRUE(IsNull(a.today.store, "conversion_rate"));   // no visitor counted

  // North: 7000 over 3 sales of 6 units, against 5000; the network: 12000, 4 sales, 7 units.
  EXPECT_EQ(Figure(a.today.region, "net_sales"), 7000);
  EXPECT_DOUBLE_EQ(Figure(a.today.region, "aov"), 7000.0 / 3);
  EXPECT_EQ(Figure(a.today.region, "upt"), 2);
  EXPECT_DOUBLE_EQ(Figure(a.today.region, "net_sales_change"), 0.4);
  EXPECT_EQ(b.today.region, a.today.region);
  EXPECT_EQ(Figure(c.today.region, "net_sales"), 5000);
  EXPECT_EQ(Figure(a.today.network, "net_sales"), 12000);
  EXPECT_EQ(Figure(a.today.network, "aov"), 3000);
  EXPECT_EQ(Figure(a.today.network, "upt"), 1.75);
  EXPECT_DOUBLE_EQ(Figure(a.today.network, "net_sales_change"), 1.4);  // 12000 against 5000
  EXPECT_EQ(c.today.network, a.today.network);

  // Ranks in North: A first on net sales and its change, B first on basket, a tie on UPT.
  EXPECT_EQ(Rank(a.today, "net_sales"), (ContextRank{1, 2}));
  EXPECT_EQ(Rank(b.today, "net_sales"), (ContextRank{2, 2}));
  EXPECT_EQ(Rank(a.today, "net_sales_change"), (ContextRank{1, 2}));
  EXPECT_EQ(Rank(b.today, "net_sales_change"), (ContextRank{2, 2}));
  EXPECT_EQ(Rank(a.today, "aov"), (ContextRank{2, 2}));
  EXPECT_EQ(Rank(b.today, "aov"), (ContextRank{1, 2}));
  EXPECT_EQ(Rank(a.today, "upt"), (ContextRank{1, 2}));
  EXPECT_EQ(Rank(b.today, "upt"), (ContextRank{1, 2}));
  EXPECT_EQ(Rank(a.today, "conversion_rate"), (ContextRank{std::nullopt, 0}));
  // South has C alone; C has no change to rank.
  EXPECT_EQ(Rank(c.today, "net_sales"), (ContextRank{1, 1}));
  EXPECT_EQ(Rank(c.today, "net_sales_change"), (ContextRank{std::nullopt, 0}));
  EXPECT_EQ(Rank(a.today, "conversion_rate"), (ContextRank{std::nullopt, 0}));

  // Yesterday: A sold 10.00, B and C nothing — they take no rank and are not counted.
  EXPECT_EQ(Figure(a.yesterday.store, "net_sales"), 1000);
  EXPECT_EQ(Figure(b.yesterday.store, "net_sales"), 0);
  EXPECT_EQ(Figure(a.yesterday.region, "net_sales"), 1000);
  EXPECT_EQ(Figure(a.yesterday.network, "net_sales"), 1000);
  EXPECT_TRUE(IsNull(a.yesterday.store, "net_sales_change"));  // nothing a week before
  EXPECT_EQ(Rank(a.yesterday, "net_sales"), (ContextRank{1, 1}));
  EXPECT_EQ(Rank(b.yesterday, "net_sales"), (ContextRank{std::nullopt, 1}));
  EXPECT_EQ(Rank(c.yesterday, "net_sales"), (ContextRank{std::nullopt, 0}));
}

// A region across time zones adds up each store's own local today: U on UTC, K on
// Pacific/Kiritimati (UTC+14), whose dates differ from U's for ten hours of each UTC day. K's
// sale a minute before its local midnight counts in K's yesterday, never in the region's today.
TEST_F(NetworkContextTest, ARegionAcrossTimeZonesAddsUpEachStoresOwnToday) {
  std::string text = "store,public_key,name,region,timezone,area_m2\n";
  text += "U," + common::GenerateCurveKeyPair()->public_key + ",U,East,UTC,\n";
  text += "K," + common::GenerateCurveKeyPair()->public_key + ",K,East,Pacific/Kiritimati,\n";
  auto directory = StoreDirectory::Parse(text);
  ASSERT_TRUE(directory.ok()) << directory.status().message();
  const common::TimeZone kiritimati = *common::TimeZone::Load("Pacific/Kiritimati");
  const int64_t k_today = kiritimati.LocalDayOf(now_);
  const int64_t k_midnight = kiritimati.LocalDayStartMs(k_today);
  // K: 30.00 in its local today; 70.00 one minute before its local midnight (its yesterday).
  Commit("K", {SaleAt("k1", 1, 3000, k_midnight + (now_ - k_midnight) / 2),
               SaleAt("k2", 1, 7000, k_midnight - 60'000)});
  Commit("U", {SaleAt("u1", 1, 1000, today_)});  // U: 10.00 in its (UTC) today

  SQLite::Database db(CentralDatabasePath(dir_.path()), SQLite::OPEN_READONLY);
  auto contexts = ReadNetworkContexts(db, **directory, now_);
  ASSERT_TRUE(contexts.ok()) << contexts.status().message();
  ASSERT_EQ(contexts->size(), 2u);
  const common::NetworkContext& u = (*contexts)[0];
  const common::NetworkContext& k = (*contexts)[1];
  EXPECT_EQ(k.today.date, common::TimeZone::FormatLocalDate(k_today));
  EXPECT_EQ(u.today.date, common::TimeZone::FormatLocalDate(midnight_ / kDayMs));
  EXPECT_EQ(Figure(k.today.store, "net_sales"), 3000);
  EXPECT_EQ(Figure(k.yesterday.store, "net_sales"), 7000);
  EXPECT_EQ(Figure(u.today.store, "net_sales"), 1000);
  // The region's today: 30.00 + 10.00, each store's own today — never K's 70.00.
  EXPECT_EQ(Figure(u.today.region, "net_sales"), 4000);
  EXPECT_EQ(Figure(k.today.region, "net_sales"), 4000);
  EXPECT_EQ(Figure(k.today.network, "net_sales"), 4000);
  EXPECT_EQ(Rank(k.today, "net_sales"), (ContextRank{1, 2}));
  EXPECT_EQ(Rank(u.today, "net_sales"), (ContextRank{2, 2}));
}

TEST_F(NetworkContextTest, TheDocumentReadsBackAsTheContext) {
  Commit("A", {SaleAt("a1", 2, 1250, today_)});
  const std::vector<common::NetworkContext> contexts = Contexts();
  ASSERT_EQ(contexts.size(), 3u);
  for (const common::NetworkContext& context : contexts) {
    const common::DocumentRows rows = common::ContextRows(context);
    EXPECT_EQ(rows.size(), 3u);
    auto back = common::ContextFromRows(rows);
    ASSERT_TRUE(back.ok()) << back.status().message();
    EXPECT_EQ(*back, context);
  }
  common::DocumentRows broken = common::ContextRows(contexts[0]);
  broken["today"]["rank"]["aov"].erase("of");
  auto refused = common::ContextFromRows(broken);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.status().message(), "context: today.rank.aov.of is missing or not an integer");
}

TEST_F(NetworkContextTest, AnEmptyDirectoryHasNoContext) {
  auto empty = StoreDirectory::Parse("store,public_key,name,region,timezone,area_m2\n");
  ASSERT_TRUE(empty.ok()) << empty.status().message();
  SQLite::Database db(CentralDatabasePath(dir_.path()), SQLite::OPEN_READONLY);
  auto contexts = ReadNetworkContexts(db, **empty, now_);
  ASSERT_TRUE(contexts.ok()) << contexts.status().message();
  EXPECT_TRUE(contexts->empty());
}

}  // namespace
}  // namespace storepulse::central
