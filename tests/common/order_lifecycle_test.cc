// Orders as lifecycles (common/kpi/order_lifecycle.h, order_fold.h): each order judged once, at
// its first fulfilment by event time, with the promise of its first event that carries one,
// whatever order its events arrive in and however they are grouped. Hand-computed figures.
#include "common/kpi/order_lifecycle.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <initializer_list>
#include <map>
#include <string>
#include <vector>

#include "common/kpi/kpi_values.h"
#include "common/kpi/order_fold.h"

namespace storepulse::common {
namespace {

using M = Measure;

constexpr int64_t kMinute = 60'000;
constexpr int64_t kHour = 60 * kMinute;
// 2026-11-22T10:00:00Z, the start of a 15-minute bucket.
constexpr int64_t kT0 = 1795341600000;

Event Order(std::string id, OrderStatus status, int64_t ts_ms,
            std::optional<int64_t> promised = std::nullopt,
            OrderKind kind = OrderKind::kClickCollect) {
  Event e;
  e.id = std::move(id);
  e.type = EventType::kOrder;
  e.ts_ms = ts_ms;
  e.order = "o1";
  e.order_kind = kind;
  e.status = status;
  e.promised_ms = promised;
  return e;
}

Measures Of(std::initializer_list<std::pair<Measure, int64_t>> values) {
  Measures m;
  for (const auto& [measure, value] : values) m[measure] = value;
  return m;
}

// The store's orders in memory, folded batch by batch as the view pass folds groups.
class Orders {
 public:
  void Fold(const std::vector<Event>& batch) {
    std::vector<const Event*> events;
    for (const Event& e : batch) events.push_back(&e);
    std::map<std::string, OrderState> changed;
    MeasureDeltas deltas;
    const OrderLoader load = [&](const std::string& order) -> StatusOr<std::optional<OrderState>> {
      auto it = states_.find(order);
      return it == states_.end() ? std::nullopt : std::optional<OrderState>(it->second);
    };
    ASSERT_TRUE(FoldOrders(events, load, &deltas, &changed).ok());
    for (auto& [order, state] : changed) states_[order] = state;
    for (const auto& [key, m] : deltas) ASSERT_TRUE(totals_[key].Add(m).ok());
    for (auto it = totals_.begin(); it != totals_.end();) {
      it = it->second.IsZero() ? totals_.erase(it) : std::next(it);
    }
  }
  const MeasureDeltas& totals() const { return totals_; }
  const OrderState& state(const std::string& order) { return states_.at(order); }

 private:
  std::map<std::string, OrderState> states_;
  MeasureDeltas totals_;
};

MeasureDeltas One(int64_t ts_ms, Channel channel, Measures m) {
  return {{BucketKey{BucketOf(ts_ms), channel}, m}};
}

TEST(OrderLifecycleTest, PromiseOnCreatedOnlyJudgesTheReadyThatLacksIt) {
  // Created 10:00 promising 12:00; ready at 11:30 says nothing of the promise: kept, ready in 90
  // min.
  Orders orders;
  orders.Fold({Order("c", OrderStatus::kCreated, kT0, kT0 + 2 * kHour),
               Order("r", OrderStatus::kReady, kT0 + 90 * kMinute)});
  EXPECT_EQ(orders.totals(), One(kT0 + 90 * kMinute, Channel::kClickCollect,
                                 Of({{M::kPromisesJudged, 1},
                                     {M::kPromisesKept, 1},
                                     {M::kReadyOrders, 1},
                                     {M::kReadyMsSum, 90 * kMinute}})));
  const KpiRow row = MeasureKpis("k", orders.totals().begin()->second);
  EXPECT_DOUBLE_EQ(row[Kpi::kPromiseKeptRate].AsDouble(), 1.0);
  EXPECT_DOUBLE_EQ(row[Kpi::kAvgReadyMinutes].AsDouble(), 90.0);
  EXPECT_TRUE(row[Kpi::kAvgLateMinutes].is_null());    // no late order
  EXPECT_TRUE(row[Kpi::kAvgDeliveryHours].is_null());  // no delivery
}

TEST(OrderLifecycleTest, TwoReadyEventsJudgeTheOrderOnceAtTheFirst) {
  // Created 10:00 promising 11:00; ready at 11:20 and again at 11:40 (the OMS repeated itself):
  // judged once, at 11:20, late by 20 minutes, ready in 80.
  Orders orders;
  orders.Fold({Order("c", OrderStatus::kCreated, kT0, kT0 + kHour),
               Order("r2", OrderStatus::kReady, kT0 + 100 * kMinute),
               Order("r1", OrderStatus::kReady, kT0 + 80 * kMinute)});
  EXPECT_EQ(orders.totals(), One(kT0 + 80 * kMinute, Channel::kClickCollect,
                                 Of({{M::kPromisesJudged, 1},
                                     {M::kLateMsSum, 20 * kMinute},
                                     {M::kReadyOrders, 1},
                                     {M::kReadyMsSum, 80 * kMinute}})));
  const KpiRow row = MeasureKpis("k", orders.totals().begin()->second);
  EXPECT_DOUBLE_EQ(row[Kpi::kPromiseKeptRate].AsDouble(), 0.0);
  EXPECT_DOUBLE_EQ(row[Kpi::kAvgLateMinutes].AsDouble(), 20.0);
}

TEST(OrderLifecycleTest, ReadyBeforeCreatedByArrivalIsRejudgedWhenCreatedArrives) {
  // The ready (11:30, restating a promise of 12:00) arrives first: judged kept, no ready time.
  // Then the created (10:00, promising 11:00) arrives: the first promise by event time is 11:00,
  // so the order is retracted and judged again: late by 30 minutes, ready in 90.
  const Event created = Order("c", OrderStatus::kCreated, kT0, kT0 + kHour);
  const Event ready = Order("r", OrderStatus::kReady, kT0 + 90 * kMinute, kT0 + 2 * kHour);
  Orders late_arrival;
  late_arrival.Fold({ready});
  EXPECT_EQ(late_arrival.totals(), One(kT0 + 90 * kMinute, Channel::kClickCollect,
                                       Of({{M::kPromisesJudged, 1}, {M::kPromisesKept, 1}})));
  late_arrival.Fold({created});
  const MeasureDeltas expected = One(kT0 + 90 * kMinute, Channel::kClickCollect,
                                     Of({{M::kPromisesJudged, 1},
                                         {M::kLateMsSum, 30 * kMinute},
                                         {M::kReadyOrders, 1},
                                         {M::kReadyMsSum, 90 * kMinute}}));
  EXPECT_EQ(late_arrival.totals(), expected);
  Orders in_order;
  in_order.Fold({created});
  EXPECT_TRUE(in_order.totals().empty());  // open: nothing settled yet
  in_order.Fold({ready});
  EXPECT_EQ(in_order.totals(), expected);
  EXPECT_EQ(in_order.state("o1"), late_arrival.state("o1"));
}

TEST(OrderLifecycleTest, AnEarlierReadyArrivingLateMovesTheFiguresToItsDay) {
  // Ready at 23:50 on day 1 arrives after a ready at 00:10 on day 2: the order's figures leave the
  // day-2 bucket for the day-1 bucket (each settles on the local day of its event).
  Orders orders;
  const int64_t day2 = kT0 + 14 * kHour + 10 * kMinute;  // 2026-11-23T00:10Z
  const int64_t day1 = kT0 + 13 * kHour + 50 * kMinute;  // 2026-11-22T23:50Z
  orders.Fold({Order("c", OrderStatus::kCreated, kT0, kT0 + 14 * kHour),
               Order("r2", OrderStatus::kReady, day2)});
  EXPECT_EQ(orders.totals(), One(day2, Channel::kClickCollect,
                                 Of({{M::kPromisesJudged, 1},
                                     {M::kLateMsSum, 10 * kMinute},
                                     {M::kReadyOrders, 1},
                                     {M::kReadyMsSum, day2 - kT0}})));
  orders.Fold({Order("r1", OrderStatus::kReady, day1)});
  EXPECT_EQ(orders.totals(), One(day1, Channel::kClickCollect,
                                 Of({{M::kPromisesJudged, 1},
                                     {M::kPromisesKept, 1},
                                     {M::kReadyOrders, 1},
                                     {M::kReadyMsSum, day1 - kT0}})));
}

TEST(OrderLifecycleTest, ShipFromStoreIsJudgedAtDeliveredAndTimedInHours) {
  // Created 10:00 promising 30 h later; shipped at 14:00 (not a fulfilment); delivered 27 h after
  // creation: kept, 27 hours to delivery. Reserve counts in `store`, judged at ready.
  const int64_t delivered = kT0 + 27 * kHour;
  Orders orders;
  orders.Fold({Order("c", OrderStatus::kCreated, kT0, kT0 + 30 * kHour, OrderKind::kShipFromStore),
               Order("s", OrderStatus::kShipped, kT0 + 4 * kHour, std::nullopt,
                     OrderKind::kShipFromStore)});
  EXPECT_TRUE(orders.totals().empty());
  orders.Fold(
      {Order("d", OrderStatus::kDelivered, delivered, std::nullopt, OrderKind::kShipFromStore)});
  const MeasureDeltas expected = One(delivered, Channel::kShipFromStore,
                                     Of({{M::kPromisesJudged, 1},
                                         {M::kPromisesKept, 1},
                                         {M::kDeliveredOrders, 1},
                                         {M::kDeliveryMsSum, 27 * kHour}}));
  EXPECT_EQ(orders.totals(), expected);
  EXPECT_DOUBLE_EQ(MeasureKpis("k", expected.begin()->second)[Kpi::kAvgDeliveryHours].AsDouble(),
                   27.0);

  Orders reserve;
  reserve.Fold(
      {Order("c", OrderStatus::kCreated, kT0, std::nullopt, OrderKind::kReserve),
       Order("r", OrderStatus::kReady, kT0 + 15 * kMinute, std::nullopt, OrderKind::kReserve)});
  EXPECT_EQ(reserve.totals(), One(kT0 + 15 * kMinute, Channel::kStore,
                                  Of({{M::kReadyOrders, 1}, {M::kReadyMsSum, 15 * kMinute}})));
}

TEST(OrderLifecycleTest, TiesGoToTheSmallestEventIdAndAReadyBeforeCreatedIsNotTimed) {
  // Two events at the same instant carry different promises: the one of id "a" counts, whichever
  // comes first. A ready stamped before the created (two systems' clocks) is judged, not timed.
  const Event a = Order("a", OrderStatus::kCreated, kT0 + kHour, kT0 + kHour);
  const Event b = Order("b", OrderStatus::kReady, kT0 + kHour, kT0 - kHour);
  const Event early = Order("e", OrderStatus::kReady, kT0 + 30 * kMinute);
  for (const std::vector<Event>& batch :
       {std::vector<Event>{a, b, early}, std::vector<Event>{early, b, a}}) {
    Orders orders;
    orders.Fold(batch);
    EXPECT_EQ(orders.totals(), One(kT0 + 30 * kMinute, Channel::kClickCollect,
                                   Of({{M::kPromisesJudged, 1}, {M::kPromisesKept, 1}})));
    EXPECT_EQ(orders.state("o1").promised_ms, kT0 + kHour);
  }
}

TEST(OrderLifecycleTest, EveryArrivalOrderAndGroupingGivesTheSameFigures) {
  // Five events of one order, in all 120 orders of arrival, each folded as two groups split at
  // every point (720 folds): always the figures of the events folded in event-time order.
  const std::vector<Event> events = {
      Order("c", OrderStatus::kCreated, kT0, kT0 + kHour),
      Order("r1", OrderStatus::kReady, kT0 + 70 * kMinute),
      Order("r2", OrderStatus::kReady, kT0 + 50 * kMinute, kT0 + 40 * kMinute),
      Order("x", OrderStatus::kCollected, kT0 + 3 * kHour),
      Order("c2", OrderStatus::kCreated, kT0 + 10 * kMinute, kT0 + 20 * kMinute)};
  const MeasureDeltas expected = One(kT0 + 50 * kMinute, Channel::kClickCollect,
                                     Of({{M::kPromisesJudged, 1},
                                         {M::kPromisesKept, 1},
                                         {M::kReadyOrders, 1},
                                         {M::kReadyMsSum, 50 * kMinute}}));
  std::vector<int> order = {0, 1, 2, 3, 4};
  int folds = 0;
  do {
    for (size_t split = 0; split <= order.size(); ++split) {
      std::vector<Event> first, second;
      for (size_t i = 0; i < order.size(); ++i) {
        (i < split ? first : second).push_back(events[order[i]]);
      }
      Orders orders;
      orders.Fold(first);
      orders.Fold(second);
      orders.Fold({events[order[0]]});  // a duplicate changes nothing
      ASSERT_EQ(orders.totals(), expected) << "split " << split;
      ++folds;
    }
  } while (std::next_permutation(order.begin(), order.end()));
  EXPECT_EQ(folds, 720);
}

TEST(OrderLifecycleTest, OverdueIsOpenPastThePromise) {
  OrderState s;
  ApplyOrderEvent(Order("c", OrderStatus::kCreated, kT0, kT0 + kHour), &s);
  EXPECT_FALSE(IsOverdue(s, kT0 + kHour));  // at the promise: not past it
  EXPECT_TRUE(IsOverdue(s, kT0 + kHour + 1));
  OrderState shipped = s;
  ApplyOrderEvent(Order("s", OrderStatus::kShipped, kT0 + 10 * kMinute), &shipped);
  EXPECT_TRUE(IsOverdue(shipped, kT0 + 2 * kHour));  // shipped is not a fulfilment of C&C
  OrderState ready = s;
  ApplyOrderEvent(Order("r", OrderStatus::kReady, kT0 + 2 * kHour), &ready);
  EXPECT_FALSE(IsOverdue(ready, kT0 + 3 * kHour));
  OrderState collected = s;
  ApplyOrderEvent(Order("x", OrderStatus::kCollected, kT0 + 2 * kHour), &collected);
  EXPECT_FALSE(IsOverdue(collected, kT0 + 3 * kHour));
  OrderState cancelled = s;
  Event cancel = Order("k", OrderStatus::kCancelled, kT0 + 5 * kMinute);
  cancel.reason = "customer";
  ApplyOrderEvent(cancel, &cancelled);
  EXPECT_FALSE(IsOverdue(cancelled, kT0 + 3 * kHour));
  EXPECT_EQ(cancelled.reason, "customer");
  OrderState no_promise;
  ApplyOrderEvent(Order("c", OrderStatus::kCreated, kT0), &no_promise);
  EXPECT_FALSE(IsOverdue(no_promise, kT0 + 100 * kHour));
}

}  // namespace
}  // namespace storepulse::common
