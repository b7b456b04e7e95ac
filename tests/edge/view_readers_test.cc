// The KPI readers over the views plus the pending tail (common/store/view_readers.h,
// pending_tail.h) at the edge: whatever the watermark — nothing folded, part, everything — every
// KPI answer (every grouping and period), the stock summary and the SKUs' stock are those of a
// fresh database that folded the same events at once. And a late sale that moves a customer's
// first purchase earlier counts where it belongs, before and after the fold.
#include <SQLiteCpp/SQLiteCpp.h>
#include <gtest/gtest.h>

#include "common/kpi/kpi_json.h"
#include "common/reference/catalogue_rows.h"
#include "common/store/view_pass.h"
#include "edge/edge_kpis.h"
#include "edge/edge_stock.h"
#include "edge/event_store.h"
#include "edge/reference_store.h"
#include "tests/integration/mixed_events.h"
#include "tests/integration/test_events.h"
#include "tests/integration/view_check.h"
#include "tests/support/temp_dir.h"

namespace storepulse::edge {
namespace {

using test_support::FigureDifferences;
using test_support::ViewRead;

constexpr int64_t kDayMs = 24 * 3'600'000;

class ViewReadersTest : public ::testing::Test {
 protected:
  void Open(const std::string& zone, size_t max_group_events) {
    auto opened =
        EventStore::Open(dir_.path(), "S1", *common::TimeZone::Load(zone), Durability::kNormal);
    ASSERT_TRUE(opened.ok()) << opened.status().message();
    store_ = std::move(opened).value();
    common::ViewPassOptions options;
    options.group_ms = 3'600'000;  // folds only when asked
    options.max_group_events = max_group_events;
    auto pass = store_->OpenViewPass(clock_, options);
    ASSERT_TRUE(pass.ok()) << pass.status().message();
    pass_ = std::move(pass).value();
    pass_->Start();
  }
  void Commit(const std::vector<common::Event>& events) {
    auto group = store_->BeginGroup();
    ASSERT_TRUE(group.ok());
    std::vector<AppendOutcome> outcomes;
    ASSERT_TRUE(group->Append(events, now_, &outcomes).ok());
    ASSERT_TRUE(group->Commit().ok());
    pass_->Committed(store_->info().last_seq);
  }
  void Fold(int64_t to) { ASSERT_TRUE(pass_->CatchUp(to, 10'000).ok()); }
  nlohmann::json Figures(ViewRead read, const test_support::FigureSpec& spec) {
    auto db = OpenReadOnly(dir_.path());
    EXPECT_TRUE(db.ok());
    auto figures = test_support::EdgeFigures(**db, read, spec, now_);
    EXPECT_TRUE(figures.ok()) << figures.status().message();
    return figures.ok() ? *figures : nlohmann::json();
  }
  nlohmann::json Kpis(const std::string& from, const std::string& to, common::GroupBy by) {
    auto db = OpenReadOnly(dir_.path());
    EXPECT_TRUE(db.ok());
    common::KpiRequest request;
    request.from = from, request.to = to, request.by = by;
    auto answer = QueryEdgeKpis(**db, request, now_);
    EXPECT_TRUE(answer.ok()) << answer.status().message();
    return answer.ok() ? common::KpiAnswerJson(*answer)["rows"] : nlohmann::json::array();
  }

  test_support::TempDir dir_;
  common::SystemClock clock_;
  const int64_t now_ = test_support::NowMs();
  std::unique_ptr<EventStore> store_;
  std::unique_ptr<common::ViewPass> pass_;
};

TEST_F(ViewReadersTest, TailAloneHalfFoldedAndFoldedAnswerAsARecomputation) {
  // Groups of 350: a CatchUp folds the first 350 of 600, and the 250 left are not a whole group.
  Open("America/New_York", 350);
  const test_support::FigureSpec spec{
      test_support::EveryKpiRequest(now_, false), {}, {"SKU1", "SKU5", "SKU16", "SKU19", "SKU99"}};
  std::vector<common::Event> events;
  for (int commit = 0; commit < 4; ++commit) {
    auto batch = test_support::MixedEvents("b" + std::to_string(commit), 150, 7 + commit, now_);
    Commit(batch);
    events.insert(events.end(), batch.begin(), batch.end());
  }
  test_support::TempDir scratch, half_scratch;
  auto recomputed =
      test_support::RecomputeEdge(scratch.path(), "S1", "America/New_York", events, spec, now_);
  ASSERT_TRUE(recomputed.ok()) << recomputed.status().message();
  auto half = test_support::RecomputeEdge(half_scratch.path(), "S1", "America/New_York",
                                          {events.begin(), events.begin() + 350}, spec, now_);
  ASSERT_TRUE(half.ok()) << half.status().message();
  EXPECT_NE(FigureDifferences(*half, *recomputed), "");  // the halves differ: the test can tell

  EXPECT_EQ(FigureDifferences(Figures(ViewRead::kViewsAndTail, spec), *recomputed), "")
      << "the tail alone";
  Fold(350);  // one group of 350
  EXPECT_EQ(FigureDifferences(Figures(ViewRead::kViewsAlone, spec), *half), "")
      << "the views alone, half folded";
  EXPECT_EQ(FigureDifferences(Figures(ViewRead::kViewsAndTail, spec), *recomputed), "")
      << "the views and the tail, half folded";
  Fold(600);
  EXPECT_EQ(FigureDifferences(Figures(ViewRead::kViewsAlone, spec), *recomputed), "")
      << "the views alone, all folded";
  EXPECT_EQ(FigureDifferences(Figures(ViewRead::kViewsAndTail, spec), *recomputed), "")
      << "the views and an empty tail";
}

TEST_F(ViewReadersTest, ALateSaleMovesAFirstPurchaseEarlierBeforeAndAfterTheFold) {
  Open("UTC", 20'000);
  const common::TimeZone utc = *common::TimeZone::Load("UTC");
  const int64_t today = utc.LocalDayOf(now_);
  auto noon = [&](int64_t day) { return utc.LocalDayStartMs(day) + kDayMs / 2; };
  auto date = [](int64_t day) { return common::TimeZone::FormatLocalDate(day); };
  common::Event first =
      test_support::Sale("first", 1, 500, common::Channel::kStore, noon(today - 1));
  first.customer = "C";
  Commit({first});
  Fold(1);  // C's first purchase, yesterday, is in the views (and its day count)

  common::Event late = test_support::Sale("late", 2, 500, common::Channel::kStore, noon(today - 3));
  late.customer = "C";
  common::Event between =
      test_support::Sale("between", 1, 500, common::Channel::kWeb, noon(today - 2));
  between.customer = "C";
  Commit({late, between});  // pending: C first bought three days ago

  for (const char* when : {"tail", "folded"}) {
    SCOPED_TRACE(when);
    const nlohmann::json days = Kpis(date(today - 4), date(today + 1), common::GroupBy::kDay);
    ASSERT_EQ(days.size(), 3u) << days.dump();
    EXPECT_EQ(days[0]["key"], date(today - 3));
    EXPECT_EQ(days[0]["new_customers"], 1);
    EXPECT_EQ(days[1]["new_customers"], 0);
    EXPECT_EQ(days[2]["key"], date(today - 1));
    EXPECT_EQ(days[2]["new_customers"], 0);  // no longer C's first day
    EXPECT_EQ(days[2]["customers"], 1);
    // One whole day: read from the day's count row once folded, from the sets while pending.
    for (int64_t day = today - 3; day < today; ++day) {
      const nlohmann::json total = Kpis(date(day), "", common::GroupBy::kTotal);
      ASSERT_EQ(total.size(), 1u);
      EXPECT_EQ(total[0]["customers"], 1) << date(day);
      EXPECT_EQ(total[0]["new_customers"], day == today - 3 ? 1 : 0) << date(day);
    }
    const nlohmann::json all = Kpis(date(today - 4), date(today + 1), common::GroupBy::kTotal);
    ASSERT_EQ(all.size(), 1u);
    EXPECT_EQ(all[0]["customers"], 1);
    EXPECT_EQ(all[0]["new_customers"], 1);
    EXPECT_EQ(all[0]["transactions"], 3);
    Fold(3);
  }
}

// Store staff see a product's name beside its SKU wherever the edge lists stock, once central
// sent a catalogue; a SKU the catalogue does not name keeps its code alone.
TEST_F(ViewReadersTest, StockAnswersNameTheProductsTheHeldCatalogueKnows) {
  Open("Europe/Paris", 20'000);
  common::Event receipt;
  receipt.id = "r1";
  receipt.type = common::EventType::kStock;
  receipt.ts_ms = now_ - 3'600'000;
  receipt.sku = "SKU-1";
  receipt.stock_kind = common::StockKind::kReceipt;
  receipt.qty = 1;
  common::Event other = receipt;
  other.id = "r2";
  other.sku = "SKU-2";
  common::Event sale = test_support::Sale("s1", 1, 100);  // sells SKU-1 out
  common::Event sale2 = test_support::Sale("s2", 1, 100);
  sale2.lines[0].sku = "SKU-2";
  Commit({receipt, other, sale, sale2});
  {
    auto db = OpenReadOnly(dir_.path());
    ASSERT_TRUE(db.ok());
    auto summary = QueryEdgeStock(**db, "");
    ASSERT_TRUE(summary.ok()) << summary.status().message();
    EXPECT_EQ((*summary)["out_of_stock_names"], nlohmann::json::object());  // no catalogue yet
    EXPECT_EQ((*QueryEdgeStock(**db, "SKU-1"))["name"], nullptr);
  }
  const common::Catalogue catalogue({{"SKU-1", {"Blue mug", "Kitchen", "Acme", {}}}}, "", 0);
  const common::DocumentRows rows = common::CatalogueRows(catalogue);
  SQLite::Database writer(EdgeDatabasePath(dir_.path()), SQLite::OPEN_READWRITE);
  ASSERT_TRUE(
      StoreSnapshot(writer, common::kCatalogueDocument, common::DocumentVersion(rows), rows, now_)
          .ok());

  auto db = OpenReadOnly(dir_.path());
  ASSERT_TRUE(db.ok());
  auto summary = QueryEdgeStock(**db, "");
  ASSERT_TRUE(summary.ok()) << summary.status().message();
  EXPECT_EQ((*summary)["out_of_stock_skus"], nlohmann::json({"SKU-1", "SKU-2"}));
  EXPECT_EQ((*summary)["out_of_stock_names"], nlohmann::json({{"SKU-1", "Blue mug"}}));
  EXPECT_EQ((*QueryEdgeStock(**db, "SKU-1"))["name"], "Blue mug");
  EXPECT_EQ((*QueryEdgeStock(**db, "SKU-2"))["name"], nullptr);
}

TEST_F(ViewReadersTest, StockAnswersMoveWithThePendingEvents) {
  Open("Europe/Paris", 20'000);
  common::Event receipt;
  receipt.id = "r1";
  receipt.type = common::EventType::kStock;
  receipt.ts_ms = now_ - 3'600'000;
  receipt.sku = "SKU-1";
  receipt.stock_kind = common::StockKind::kReceipt;
  receipt.qty = 5;
  common::Event other = receipt;
  other.id = "r2";
  other.sku = "SKU-2";
  other.qty = 1;
  Commit({receipt, other});
  Fold(2);
  // Pending: SKU-1 sold out, SKU-2 sold beyond what was there, SKU-3 sold but never ranged.
  common::Event sale = test_support::Sale("s1", 5, 100);
  common::Event oversold = test_support::Sale("s2", 3, 100);
  oversold.lines[0].sku = "SKU-2";
  common::Event unranged = test_support::Sale("s3", 1, 100);
  unranged.lines[0].sku = "SKU-3";
  Commit({sale, oversold, unranged});

  for (const char* when : {"tail", "folded"}) {
    SCOPED_TRACE(when);
    auto db = OpenReadOnly(dir_.path());
    ASSERT_TRUE(db.ok());
    auto summary = QueryEdgeStock(**db, "");
    ASSERT_TRUE(summary.ok()) << summary.status().message();
    EXPECT_EQ((*summary)["ranged"], 2);
    EXPECT_EQ((*summary)["in_stock"], 0);
    EXPECT_EQ((*summary)["on_hand_total"], 0);
    EXPECT_EQ((*summary)["out_of_stock_skus"], nlohmann::json({"SKU-1", "SKU-2"}));
    auto sku = QueryEdgeStock(**db, "SKU-2");
    ASSERT_TRUE(sku.ok());
    EXPECT_EQ((*sku)["on_hand"], -2);
    EXPECT_EQ((*sku)["ranged"], true);
    auto never = QueryEdgeStock(**db, "SKU-3");
    ASSERT_TRUE(never.ok());
    EXPECT_EQ((*never)["on_hand"], -1);
    EXPECT_EQ((*never)["ranged"], false);
    const nlohmann::json today = Kpis("", "", common::GroupBy::kTotal);
    ASSERT_EQ(today.size(), 1u);
    EXPECT_EQ(today[0]["out_of_stock_skus"], 2);
    EXPECT_EQ(today[0]["availability"], 0.0);
    Fold(5);
  }
}

}  // namespace
}  // namespace storepulse::edge
