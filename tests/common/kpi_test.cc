// What each event adds to the base measures (common/kpi/measures.h), and the KPI formulas over
// summed measures (common/kpi/kpi_values.h), with hand-computed numbers.
#include <gtest/gtest.h>

#include <initializer_list>
#include <limits>
#include <set>
#include <string>
#include <utility>

#include "common/kpi/kpi_catalogue.h"
#include "common/kpi/kpi_json.h"
#include "common/kpi/kpi_values.h"
#include "common/kpi/measures.h"

namespace storepulse::common {
namespace {

using M = Measure;

// 2026-11-22T10:20:00Z, inside the bucket that starts at 10:15Z.
constexpr int64_t kTs = 1795342800000;
constexpr int64_t kBucket = 1795342500000 / kBucketMs;

Measures Of(std::initializer_list<std::pair<Measure, int64_t>> values) {
  Measures m;
  for (const auto& [measure, value] : values) m[measure] = value;
  return m;
}

Line L(int64_t qty, int64_t unit_price, int64_t discount = 0) {
  return Line{"SKU-" + std::to_string(unit_price), qty, unit_price, discount};
}

Event Sale(std::vector<Line> lines, Channel channel = Channel::kStore, std::string customer = "") {
  Event e;
  e.id = "s1";
  e.type = EventType::kSale;
  e.ts_ms = kTs;
  e.channel = channel;
  e.customer = std::move(customer);
  e.lines = std::move(lines);
  return e;
}

Event Return(std::vector<Line> lines, Channel original, std::string customer = "") {
  Event e = Sale(std::move(lines), Channel::kStore, std::move(customer));
  e.type = EventType::kReturn;
  e.original_channel = original;
  return e;
}

Event Feedback(FeedbackScale scale, int64_t score, Channel channel = Channel::kStore) {
  Event e;
  e.type = EventType::kFeedback;
  e.ts_ms = kTs;
  e.scale = scale;
  e.score = score;
  e.channel = channel;
  return e;
}

Event Order(OrderKind kind, OrderStatus status, OrderSource source = OrderSource::kStore) {
  Event e;
  e.type = EventType::kOrder;
  e.ts_ms = kTs;
  e.order = "o1";
  e.order_kind = kind;
  e.status = status;
  e.source = source;
  return e;
}

MeasureDeltas Fold(std::initializer_list<Event> events) {
  MeasureDeltas deltas;
  for (const Event& e : events) EXPECT_TRUE(FoldEvent(e, &deltas).ok());
  return deltas;
}

MeasureDeltas One(Channel channel, Measures m, int64_t bucket = kBucket) {
  return MeasureDeltas{{BucketKey{bucket, channel}, m}};
}

TEST(KpiFoldTest, SaleAddsValueUnitsAndOneTransaction) {
  // (2 × 500 − 100) + 1 × 250 = 1150, 3 units.
  EXPECT_EQ(Fold({Sale({L(2, 500, 100), L(1, 250)}, Channel::kStore, "c1")}),
            One(Channel::kStore, Of({{M::kGrossSales, 1150},
                                     {M::kTransactions, 1},
                                     {M::kStoreTransactions, 1},
                                     {M::kUnitsSold, 3},
                                     {M::kIdentifiedTransactions, 1},
                                     {M::kIdentifiedSales, 1150}})));
}

TEST(KpiFoldTest, WebSaleWithoutCustomerCountsInWebOnly) {
  EXPECT_EQ(
      Fold({Sale({L(4, 1000)}, Channel::kWeb)}),
      One(Channel::kWeb, Of({{M::kGrossSales, 4000}, {M::kTransactions, 1}, {M::kUnitsSold, 4}})));
}

TEST(KpiFoldTest, ReturnCountsInTheOriginalChannel) {
  EXPECT_EQ(Fold({Return({L(1, 2000)}, Channel::kWeb, "c1")}),
            One(Channel::kWeb, Of({{M::kReturnsValue, 2000},
                                   {M::kReturns, 1},
                                   {M::kUnitsReturned, 1},
                                   {M::kWebReturns, 1},
                                   {M::kWebReturnsValue, 2000},
                                   {M::kIdentifiedReturnsValue, 2000}})));
  EXPECT_EQ(Fold({Return({L(2, 300, 50)}, Channel::kStore)}),
            One(Channel::kStore,
                Of({{M::kReturnsValue, 550}, {M::kReturns, 1}, {M::kUnitsReturned, 2}})));
}

TEST(KpiFoldTest, FootfallCountsInStoreAndZeroAddsNoRow) {
  Event footfall;
  footfall.type = EventType::kFootfall;
  footfall.ts_ms = kTs;
  footfall.in = 12;
  footfall.out = 9;
  EXPECT_EQ(Fold({footfall}),
            One(Channel::kStore, Of({{M::kFootfallIn, 12}, {M::kFootfallOut, 9}})));
  footfall.in = footfall.out = 0;
  EXPECT_TRUE(Fold({footfall}).empty());
}

TEST(KpiFoldTest, NpsSortsPromotersPassivesAndDetractors) {
  MeasureDeltas deltas;
  for (int64_t score : {0, 6, 7, 8, 9, 10}) {
    ASSERT_TRUE(FoldEvent(Feedback(FeedbackScale::kNps, score), &deltas).ok());
  }
  EXPECT_EQ(deltas,
            One(Channel::kStore,
                Of({{M::kNpsResponses, 6}, {M::kNpsPromoters, 2}, {M::kNpsDetractors, 2}})));
}

TEST(KpiFoldTest, CsatCountsScoresFourAndFiveAsSatisfied) {
  MeasureDeltas deltas;
  for (int64_t score : {1, 2, 3, 4, 5}) {
    ASSERT_TRUE(FoldEvent(Feedback(FeedbackScale::kCsat, score), &deltas).ok());
  }
  EXPECT_EQ(deltas, One(Channel::kStore, Of({{M::kCsatResponses, 5}, {M::kCsatSatisfied, 2}})));
}

TEST(KpiFoldTest, FeedbackCountsInItsOwnChannel) {
  EXPECT_EQ(Fold({Feedback(FeedbackScale::kNps, 10, Channel::kWeb)}),
            One(Channel::kWeb, Of({{M::kNpsResponses, 1}, {M::kNpsPromoters, 1}})));
}

TEST(KpiFoldTest, OnlyShrinkStockEventsAddAMeasure) {
  Event stock;
  stock.type = EventType::kStock;
  stock.ts_ms = kTs;
  stock.qty = 3;
  for (StockKind kind : {StockKind::kReceipt, StockKind::kAdjustment, StockKind::kTransferIn,
                         StockKind::kTransferOut, StockKind::kCount}) {
    stock.stock_kind = kind;
    EXPECT_TRUE(Fold({stock}).empty()) << static_cast<int>(kind);
  }
  stock.stock_kind = StockKind::kShrink;
  EXPECT_EQ(Fold({stock}), One(Channel::kStore, Of({{M::kShrinkUnits, 3}})));
}

TEST(KpiFoldTest, ClickAndCollectCreatedCountsAndItsWarehouseSource) {
  EXPECT_EQ(Fold({Order(OrderKind::kClickCollect, OrderStatus::kCreated, OrderSource::kWarehouse),
                  Order(OrderKind::kClickCollect, OrderStatus::kCreated, OrderSource::kStore)}),
            One(Channel::kClickCollect, Of({{M::kCcOrders, 2}, {M::kCcFromWarehouse, 1}})));
  EXPECT_TRUE(Fold({Order(OrderKind::kClickCollect, OrderStatus::kCollected)}).empty());
}

TEST(KpiFoldTest, ShipFromStoreCountsCreatedAndStockErrorCancels) {
  Event stock_error = Order(OrderKind::kShipFromStore, OrderStatus::kCancelled);
  stock_error.reason = "stock_error";
  Event by_customer = stock_error;
  by_customer.reason = "customer";
  Event cc_stock_error = stock_error;
  cc_stock_error.order_kind = OrderKind::kClickCollect;
  EXPECT_EQ(Fold({Order(OrderKind::kShipFromStore, OrderStatus::kCreated), stock_error}),
            One(Channel::kShipFromStore, Of({{M::kSfsOrders, 1}, {M::kSfsStockCancels, 1}})));
  EXPECT_TRUE(Fold({by_customer, cc_stock_error}).empty());
}

TEST(KpiFoldTest, PromisesAreTheOrdersNotTheEvents) {
  // An order's promise and fulfilment times are folded per order (order_lifecycle_test.cc): a
  // `ready` or `delivered` event with a promise adds nothing on its own.
  Event ready = Order(OrderKind::kClickCollect, OrderStatus::kReady);
  ready.promised_ms = kTs;
  Event delivered = Order(OrderKind::kShipFromStore, OrderStatus::kDelivered);
  delivered.promised_ms = kTs - 1;
  Event reserve = Order(OrderKind::kReserve, OrderStatus::kReady);
  reserve.promised_ms = kTs + 1;
  EXPECT_TRUE(Fold({ready, delivered, reserve}).empty());
}

TEST(KpiFoldTest, EventsFoldIntoTheirFifteenMinuteUtcBucket) {
  Event a = Sale({L(1, 100)});
  a.ts_ms = kBucket * kBucketMs;  // 10:15:00.000Z, first instant of the bucket
  Event b = Sale({L(1, 200)});
  b.ts_ms = (kBucket + 1) * kBucketMs - 1;  // 10:29:59.999Z, last instant
  Event c = Sale({L(1, 400)});
  c.ts_ms = (kBucket + 1) * kBucketMs;  // 10:30:00.000Z, next bucket
  const MeasureDeltas deltas = Fold({a, b, c});
  ASSERT_EQ(deltas.size(), 2u);
  EXPECT_EQ((deltas.at(BucketKey{kBucket, Channel::kStore})[M::kGrossSales]), 300);
  EXPECT_EQ((deltas.at(BucketKey{kBucket + 1, Channel::kStore})[M::kGrossSales]), 400);
}

TEST(KpiFoldTest, BucketOfFloorsBeforeTheEpoch) {
  EXPECT_EQ(BucketOf(0), 0);
  EXPECT_EQ(BucketOf(kBucketMs - 1), 0);
  EXPECT_EQ(BucketOf(-1), -1);
  EXPECT_EQ(BucketOf(-kBucketMs), -1);
  EXPECT_EQ(BucketOf(-kBucketMs - 1), -2);
}

TEST(KpiFoldTest, MeasuresIsZeroAndAdds) {
  Measures m;
  EXPECT_TRUE(m.IsZero());
  ASSERT_TRUE(m.Add(Of({{M::kLateMsSum, 5}})).ok());
  EXPECT_FALSE(m.IsZero());
  ASSERT_TRUE(m.Add(Of({{M::kLateMsSum, 2}, {M::kGrossSales, 1}})).ok());
  EXPECT_EQ(m, Of({{M::kLateMsSum, 7}, {M::kGrossSales, 1}}));
}

TEST(KpiFoldTest, MeasuresAddRefusesRatherThanWraps) {
  constexpr int64_t kMax = std::numeric_limits<int64_t>::max();
  Measures m = Of({{M::kGrossSales, kMax - 1}, {M::kTransactions, 7}});
  const Measures before = m;
  ASSERT_TRUE(m.Add(Of({{M::kGrossSales, 1}})).ok());  // exactly the top still fits
  EXPECT_EQ(m[M::kGrossSales], kMax);
  m = before;
  Status overflow = m.Add(Of({{M::kTransactions, 1}, {M::kGrossSales, 2}}));
  EXPECT_EQ(overflow.code(), StatusCode::kOutOfRange);
  EXPECT_EQ(overflow.message(),
            "gross_sales: 9223372036854775806 + 2 would exceed the 64-bit integer range "
            "(±9223372036854775807)");
  EXPECT_EQ(m, before);  // all or nothing: transactions did not move either
}

TEST(KpiFoldTest, FoldingIntoATotalNearTheTopIsRefusedAndLeavesItAlone) {
  constexpr int64_t kMax = std::numeric_limits<int64_t>::max();
  MeasureDeltas deltas = One(Channel::kStore, Of({{M::kGrossSales, kMax - 999}}));
  const MeasureDeltas before = deltas;
  Status folded = FoldEvent(Sale({L(1, 1000)}), &deltas);
  EXPECT_EQ(folded.code(), StatusCode::kOutOfRange);
  EXPECT_EQ(deltas, before);
  ASSERT_TRUE(FoldEvent(Sale({L(1, 999)}), &deltas).ok());
  EXPECT_EQ(deltas.begin()->second[M::kGrossSales], kMax);
}

// A row of the sums as the KPI JSON has it.
nlohmann::json Row(std::string key, const Measures& m) {
  return KpiRowJson(MeasureKpis(std::move(key), m));
}

TEST(KpiRowTest, TheSumsFillEveryKpiButThoseOfOtherSources) {
  Measures ones;
  for (size_t i = 0; i < kMeasureCount; ++i) ones[static_cast<Measure>(i)] = 1;
  ones[M::kPromisesKept] = 0;  // one late order: avg_late_minutes has a denominator
  const KpiRow row = MeasureKpis("total", ones);
  // Added by the query engine from other sources: customer sets, stock, store areas.
  const std::set<Kpi> from_elsewhere = {Kpi::kCustomers,
                                        Kpi::kNewCustomers,
                                        Kpi::kRecruitmentRate,
                                        Kpi::kPurchaseFrequency,
                                        Kpi::kClv,
                                        Kpi::kSalesPerM2,
                                        Kpi::kAvailability,
                                        Kpi::kOutOfStockSkus,
                                        Kpi::kStockTurnover,
                                        Kpi::kOmnichannelCustomers,
                                        Kpi::kOmnichannelShare,
                                        Kpi::kRetentionRate,
                                        Kpi::kCogs,
                                        Kpi::kGrossMargin,
                                        Kpi::kMarginRate,
                                        Kpi::kUnitsWithoutCost};
  for (Kpi kpi : AllKpis()) {
    EXPECT_EQ(row[kpi].is_null(), from_elsewhere.count(kpi) == 1) << KpiName(kpi);
  }
  EXPECT_EQ(row.key, "total");
  EXPECT_TRUE(row.approximate.none());
}

TEST(KpiRowTest, ComputesEveryFormulaFromTheSums) {
  const Measures m =
      Of({{M::kGrossSales, 10000}, {M::kTransactions, 4},    {M::kStoreTransactions, 3},
          {M::kUnitsSold, 10},     {M::kReturnsValue, 1500}, {M::kReturns, 2},
          {M::kUnitsReturned, 2},  {M::kWebReturns, 1},      {M::kWebReturnsValue, 500},
          {M::kFootfallIn, 60},    {M::kNpsResponses, 8},    {M::kNpsPromoters, 5},
          {M::kNpsDetractors, 1},  {M::kCsatResponses, 4},   {M::kCsatSatisfied, 3},
          {M::kShrinkUnits, 2},    {M::kCcOrders, 4},        {M::kCcFromWarehouse, 1},
          {M::kSfsOrders, 20},     {M::kSfsStockCancels, 1}, {M::kPromisesJudged, 5},
          {M::kPromisesKept, 3},   {M::kLateMsSum, 900'000}});
  const nlohmann::json r = Row("2026-11-22", m);
  EXPECT_EQ(r["gross_sales"], 10000);
  EXPECT_EQ(r["returns_value"], 1500);
  EXPECT_EQ(r["net_sales"], 8500);
  EXPECT_EQ(r["transactions"], 4);
  EXPECT_EQ(r["units_sold"], 10);
  EXPECT_EQ(r["units_returned"], 2);
  EXPECT_DOUBLE_EQ(r["aov"].get<double>(), 2500.0);
  EXPECT_DOUBLE_EQ(r["upt"].get<double>(), 2.5);
  EXPECT_EQ(r["footfall"], 60);
  EXPECT_DOUBLE_EQ(r["conversion_rate"].get<double>(), 0.05);  // 3 store sales / 60 visitors
  EXPECT_DOUBLE_EQ(r["return_rate"].get<double>(), 0.15);
  EXPECT_DOUBLE_EQ(r["return_rate_units"].get<double>(), 0.2);
  EXPECT_EQ(r["web_returns_in_store"], 1);
  EXPECT_EQ(r["web_returns_in_store_value"], 500);
  EXPECT_DOUBLE_EQ(r["nps"].get<double>(), 50.0);  // (5 − 1) / 8 × 100
  EXPECT_EQ(r["nps_responses"], 8);
  EXPECT_DOUBLE_EQ(r["csat"].get<double>(), 75.0);
  EXPECT_EQ(r["csat_responses"], 4);
  EXPECT_EQ(r["shrink_units"], 2);
  EXPECT_EQ(r["cc_orders"], 4);
  EXPECT_DOUBLE_EQ(r["cc_warehouse_share"].get<double>(), 0.25);
  EXPECT_EQ(r["sfs_orders"], 20);
  EXPECT_DOUBLE_EQ(r["sfs_stock_cancel_rate"].get<double>(), 0.05);
  EXPECT_DOUBLE_EQ(r["promise_kept_rate"].get<double>(), 0.6);
  EXPECT_DOUBLE_EQ(r["avg_late_minutes"].get<double>(), 7.5);  // 15 min over 2 late orders
}

TEST(KpiRowTest, MoneyAndCountsAreIntegersAndRatesAreNumbers) {
  const nlohmann::json r =
      Row("k", Of({{M::kGrossSales, 1000}, {M::kTransactions, 3}, {M::kUnitsSold, 3}}));
  EXPECT_TRUE(r["gross_sales"].is_number_integer());
  EXPECT_TRUE(r["net_sales"].is_number_integer());
  EXPECT_TRUE(r["transactions"].is_number_integer());
  EXPECT_TRUE(r["aov"].is_number_float());
  EXPECT_DOUBLE_EQ(r["aov"].get<double>(), 1000.0 / 3.0);  // unrounded minor units
  EXPECT_TRUE(r["upt"].is_number_float());
  EXPECT_DOUBLE_EQ(r["upt"].get<double>(), 1.0);
}

TEST(KpiRowTest, ZeroDenominatorsGiveNull) {
  const nlohmann::json r = Row("total", Measures{});
  for (const char* name :
       {"aov", "upt", "conversion_rate", "return_rate", "return_rate_units", "nps", "csat",
        "cc_warehouse_share", "sfs_stock_cancel_rate", "promise_kept_rate", "avg_late_minutes"}) {
    EXPECT_TRUE(r[name].is_null()) << name;
  }
  for (const char* name : {"gross_sales", "net_sales", "transactions", "footfall", "cc_orders"}) {
    EXPECT_EQ(r[name], 0) << name;
  }
}

TEST(KpiRowTest, AllKeptPromisesHaveNoAverageLateness) {
  const nlohmann::json r = Row("k", Of({{M::kPromisesJudged, 3}, {M::kPromisesKept, 3}}));
  EXPECT_DOUBLE_EQ(r["promise_kept_rate"].get<double>(), 1.0);
  EXPECT_TRUE(r["avg_late_minutes"].is_null());
}

TEST(KpiRowTest, NpsCanBeNegativeAndReturnsCanExceedSales) {
  const nlohmann::json r = Row("k", Of({{M::kNpsResponses, 4},
                                           {M::kNpsDetractors, 4},
                                           {M::kGrossSales, 100},
                                           {M::kReturnsValue, 300}}));
  EXPECT_DOUBLE_EQ(r["nps"].get<double>(), -100.0);
  EXPECT_EQ(r["net_sales"], -200);
  EXPECT_DOUBLE_EQ(r["return_rate"].get<double>(), 3.0);
}

TEST(KpiRowTest, RatiosComeFromSumsNotMeansOfRatios) {
  // Two stores (or two buckets): 10 sales for 100 visitors (0.1), 5 sales for 10 visitors (0.5).
  const Measures a = Of({{M::kStoreTransactions, 10},
                         {M::kTransactions, 10},
                         {M::kGrossSales, 1000},
                         {M::kFootfallIn, 100}});
  const Measures b = Of({{M::kStoreTransactions, 5},
                         {M::kTransactions, 5},
                         {M::kGrossSales, 2000},
                         {M::kFootfallIn, 10}});
  Measures sum = a;
  ASSERT_TRUE(sum.Add(b).ok());
  const nlohmann::json r = Row("total", sum);
  EXPECT_DOUBLE_EQ(r["conversion_rate"].get<double>(), 15.0 / 110.0);
  EXPECT_NE(r["conversion_rate"].get<double>(), (0.1 + 0.5) / 2);
  EXPECT_DOUBLE_EQ(r["aov"].get<double>(), 200.0);  // 3000 / 15, not (100 + 400) / 2
}

}  // namespace
}  // namespace storepulse::common
