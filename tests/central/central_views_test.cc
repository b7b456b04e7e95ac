// Central's view pass and its readers (common/store/view_pass.h, pending_tail.h, view_readers.h)
// over a real central database of three stores in two regions and three time zones: whatever
// the watermark, every KPI answer at every scope (network, each region, each store) and
// grouping, and every store's stock, are those of a fresh database that folded the same log at
// once; a new pass resumes from the row watermark; and a late sale at another store moves the
// network's first purchase of a customer, before and after the fold.
#include <SQLiteCpp/SQLiteCpp.h>
#include <gtest/gtest.h>

#include "central/central_kpis.h"
#include "common/kpi/kpi_json.h"
#include "central/central_store.h"
#include "common/store/event_log.h"
#include "common/store/view_pass.h"
#include "common/transport/curve_keys.h"
#include "tests/integration/mixed_events.h"
#include "tests/integration/test_events.h"
#include "tests/integration/view_check.h"
#include "tests/support/temp_dir.h"

namespace storepulse::central {
namespace {

using test_support::FigureDifferences;
using test_support::ViewRead;

constexpr int64_t kDayMs = 24 * 3'600'000;

std::shared_ptr<const StoreDirectory> ThreeStores() {
  std::string text = "store,public_key,name,region,timezone,area_m2\n";
  for (const char* row : {"A,R1,Europe/Paris", "B,R1,Asia/Kolkata", "C,R2,America/New_York"}) {
    std::string fields = row;
    const std::string store = fields.substr(0, fields.find(','));
    const std::string rest = fields.substr(fields.find(',') + 1);
    text += store + "," + common::GenerateCurveKeyPair()->public_key + ",Store " + store + "," +
            rest + ",500\n";
  }
  auto directory = StoreDirectory::Parse(text);
  EXPECT_TRUE(directory.ok()) << directory.status().message();
  return *directory;
}

class CentralViewsTest : public ::testing::Test {
 protected:
  void Open(size_t max_group_events = 20'000) {
    pass_.reset();
    store_.reset();
    auto opened = CentralStore::Open(dir_.path(), false);
    ASSERT_TRUE(opened.ok()) << opened.status().message();
    store_ = std::move(opened).value();
    common::ViewPassOptions options;
    options.group_ms = 3'600'000;  // folds only when asked
    options.max_group_events = max_group_events;
    auto pass = store_->OpenViewPass(ResolveFrom(*directory_), clock_, options);
    ASSERT_TRUE(pass.ok()) << pass.status().message();
    pass_ = std::move(pass).value();
    pass_->Start();
  }
  // One commit of one batch per store, each the next events of the store's stream.
  void Commit(const std::vector<std::pair<std::string, std::vector<common::Event>>>& batches) {
    auto group = store_->BeginGroup();
    ASSERT_TRUE(group.ok());
    for (const auto& [store, events] : batches) {
      auto outcome = group->Apply(StreamBatch{{store, "i1"}, acked_[store] + 1, events}, now_);
      ASSERT_TRUE(outcome.ok()) << outcome.status().message();
      ASSERT_EQ(outcome->applied, static_cast<int64_t>(events.size()));
      acked_[store] = outcome->acked_seq;
    }
    ASSERT_TRUE(group->Commit().ok());
    pass_->Committed(store_->log_end());
  }
  void Fold(int64_t to) { ASSERT_TRUE(pass_->CatchUp(to, 10'000).ok()); }
  SQLite::Database Read() {
    return SQLite::Database(CentralDatabasePath(dir_.path()), SQLite::OPEN_READONLY);
  }
  nlohmann::json Figures(ViewRead read) {
    SQLite::Database db = Read();
    auto figures = test_support::CentralFigures(db, *directory_, read, spec_, now_);
    EXPECT_TRUE(figures.ok()) << figures.status().message();
    return figures.ok() ? *figures : nlohmann::json();
  }
  // A fresh database folding the first `count` entries of this one's log at once.
  nlohmann::json Recomputed(size_t count) {
    SQLite::Database db = Read();
    auto log = test_support::ReadWholeLog(db, common::EventLogKind::kCentral);
    EXPECT_TRUE(log.ok());
    if (!log.ok()) return nlohmann::json();
    EXPECT_GE(log->size(), count);
    test_support::TempDir scratch;
    auto figures = test_support::RecomputeCentral(
        scratch.path(), *directory_, {log->begin(), log->begin() + count}, spec_, now_);
    EXPECT_TRUE(figures.ok()) << figures.status().message();
    return figures.ok() ? *figures : nlohmann::json();
  }
  nlohmann::json Kpis(const std::string& scope, const std::string& from, const std::string& to,
                      common::GroupBy by) {
    SQLite::Database db = Read();
    common::KpiRequest request;
    request.from = from, request.to = to, request.by = by;
    auto answer = QueryCentralKpis(db, *directory_, scope, request, now_);
    EXPECT_TRUE(answer.ok()) << answer.status().message();
    return answer.ok() ? common::KpiAnswerJson(*answer)["rows"] : nlohmann::json::array();
  }

  test_support::TempDir dir_;
  common::SystemClock clock_;
  const int64_t now_ = test_support::NowMs();
  const std::shared_ptr<const StoreDirectory> directory_ = ThreeStores();
  const test_support::FigureSpec spec_{
      test_support::EveryKpiRequest(now_, true),
      {"network", "region:R1", "region:R2", "store:A", "store:B", "store:C"},
      {"SKU1", "SKU9", "SKU20"}};
  std::unique_ptr<CentralStore> store_;
  std::unique_ptr<common::ViewPass> pass_;
  std::map<std::string, int64_t> acked_;
};

TEST_F(CentralViewsTest, TailAloneHalfFoldedAndFoldedAnswerAsARecomputationAtEveryScope) {
  // Groups of 400: a CatchUp folds the first 400 of 720, and the 320 left are not a whole group.
  Open(/*max_group_events=*/400);
  for (int commit = 0; commit < 4; ++commit) {
    std::vector<std::pair<std::string, std::vector<common::Event>>> batches;
    for (const char* store : {"C", "A", "B"}) {  // not in the order of the names
      batches.emplace_back(
          store, test_support::MixedEvents(std::string(store) + std::to_string(commit), 60,
                                           commit * 10 + store[0], now_));
    }
    Commit(batches);
  }
  ASSERT_EQ(store_->log_end(), 720);
  const nlohmann::json all = Recomputed(720);
  const nlohmann::json half = Recomputed(400);
  EXPECT_NE(FigureDifferences(half, all), "");

  EXPECT_EQ(FigureDifferences(Figures(ViewRead::kViewsAndTail), all), "") << "the tail alone";
  Fold(400);
  EXPECT_EQ(FigureDifferences(Figures(ViewRead::kViewsAlone), half), "") << "views, half folded";
  EXPECT_EQ(FigureDifferences(Figures(ViewRead::kViewsAndTail), all), "") << "views and tail";
  Fold(720);
  EXPECT_EQ(FigureDifferences(Figures(ViewRead::kViewsAlone), all), "") << "views, all folded";
}

TEST_F(CentralViewsTest, ANewPassResumesFromTheRowWatermark) {
  Open(/*max_group_events=*/100);
  Commit({{"A", test_support::MixedEvents("a", 150, 1, now_)},
          {"C", test_support::MixedEvents("c", 100, 2, now_)}});
  Fold(200);                       // two groups of 100; 50 left, short of a group
  Open(/*max_group_events=*/100);  // a restart
  EXPECT_EQ(pass_->stats().folded, 200);
  EXPECT_EQ(pass_->stats().committed, 250);
  {
    SQLite::Database db = Read();
    EXPECT_EQ(*common::ReadWatermark(db, common::EventLogKind::kCentral), 200);
  }
  EXPECT_EQ(FigureDifferences(Figures(ViewRead::kViewsAlone), Recomputed(200)), "");
  Fold(250);
  EXPECT_EQ(pass_->stats().events, 50);
  EXPECT_EQ(FigureDifferences(Figures(ViewRead::kViewsAlone), Recomputed(250)), "");
}

TEST_F(CentralViewsTest, ALateSaleAtAnotherStoreMovesTheNetworksFirstPurchase) {
  Open();
  // Noon UTC is the same local day in Paris and Kolkata, and in New York.
  const common::TimeZone utc = *common::TimeZone::Load("UTC");
  const int64_t today = utc.LocalDayOf(now_);
  auto noon = [&](int64_t day) { return utc.LocalDayStartMs(day) + kDayMs / 2; };
  auto date = [](int64_t day) { return common::TimeZone::FormatLocalDate(day); };
  auto sale = [&](const std::string& id, int64_t day) {
    common::Event e = test_support::Sale(id, 1, 1000, common::Channel::kStore, noon(day));
    e.customer = "X";
    return e;
  };
  Commit({{"A", {sale("a1", today - 2)}}});
  Fold(1);  // X first bought at A (region R1) two days ago
  Commit({{"C", {sale("c1", today - 4)}}, {"B", {sale("b1", today - 3)}}});  // late, pending

  for (const char* when : {"tail", "folded"}) {
    SCOPED_TRACE(when);
    const std::string from = date(today - 6), to = date(today + 1);
    const nlohmann::json network = Kpis("network", from, to, common::GroupBy::kTotal);
    ASSERT_EQ(network.size(), 1u);
    EXPECT_EQ(network[0]["customers"], 1);
    EXPECT_EQ(network[0]["new_customers"], 1);
    const nlohmann::json days = Kpis("network", from, to, common::GroupBy::kDay);
    ASSERT_EQ(days.size(), 3u) << days.dump();
    EXPECT_EQ(days[0]["key"], date(today - 4));
    EXPECT_EQ(days[0]["new_customers"], 1);  // at C, in New York
    EXPECT_EQ(days[1]["new_customers"], 0);
    EXPECT_EQ(days[2]["new_customers"], 0);  // A's sale is no longer the first in the network
    // New at each region's scope: R1's first is now B's sale, R2's is C's.
    const nlohmann::json regions = Kpis("network", from, to, common::GroupBy::kRegion);
    ASSERT_EQ(regions.size(), 2u);
    EXPECT_EQ(regions[0]["new_customers"], 1);
    EXPECT_EQ(regions[1]["new_customers"], 1);
    const nlohmann::json r1 = Kpis("region:R1", from, to, common::GroupBy::kDay);
    ASSERT_EQ(r1.size(), 2u) << r1.dump();
    EXPECT_EQ(r1[0]["key"], date(today - 3));
    EXPECT_EQ(r1[0]["new_customers"], 1);
    EXPECT_EQ(r1[1]["new_customers"], 0);
    // At each store's own scope X is new at each of them.
    const nlohmann::json stores = Kpis("network", from, to, common::GroupBy::kStore);
    ASSERT_EQ(stores.size(), 3u);
    for (const auto& row : stores) EXPECT_EQ(row["new_customers"], 1) << row["key"];
    Fold(3);
  }
}

// The same customer's first purchase at two stores at the same instant: the network's first is
// one of them whatever the order the events arrive and are folded in — alone in the tail, folded
// one group each, folded in one group — so the answer does not change when the pass folds.
TEST_F(CentralViewsTest, AFirstPurchaseTiedBetweenTwoStoresCountsAtTheSameStoreFoldedOrNot) {
  // 03:00 UTC: the same instant is a day earlier in New York (C, R2) than in Paris (A, R1).
  const common::TimeZone utc = *common::TimeZone::Load("UTC");
  const int64_t day = utc.LocalDayOf(now_) - 2;
  const int64_t instant = utc.LocalDayStartMs(day) + 3 * 3'600'000;
  auto sale = [&](const std::string& id) {
    common::Event e = test_support::Sale(id, 1, 1000, common::Channel::kStore, instant);
    e.customer = "X";
    return e;
  };
  auto new_by_day = [&] {
    nlohmann::json out = nlohmann::json::object();
    for (const auto& row :
         Kpis("network", common::TimeZone::FormatLocalDate(day - 3),
              common::TimeZone::FormatLocalDate(day + 3), common::GroupBy::kDay)) {
      out[row["key"].get<std::string>()] = row["new_customers"];
    }
    return out;
  };
  Open();
  Commit({{"C", {sale("c1")}}, {"A", {sale("a1")}}});  // C's arrives first
  const nlohmann::json pending = new_by_day();         // both in the tail
  Open(/*max_group_events=*/1);  // a restart that folds them one group each: C's first
  Fold(2);
  EXPECT_EQ(pass_->stats().groups, 2);
  EXPECT_EQ(new_by_day(), pending);
  EXPECT_EQ(FigureDifferences(Figures(ViewRead::kViewsAlone), Recomputed(2)), "")
      << "folded in one group";
}

}  // namespace
}  // namespace storepulse::central
