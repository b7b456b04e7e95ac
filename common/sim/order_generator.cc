#include "common/sim/order_generator.h"

#include <algorithm>
#include <string>
#include <vector>

#include "common/sim/basket.h"
#include "common/sim/sim_random.h"
#include "common/sim/traffic_curves.h"

namespace storepulse::common::sim {
namespace {

// Steps of an order: the offset of each event's number from the order's first number.
enum Step : uint64_t { kCreated = 0, kFulfilling = 1, kFulfilled = 2, kSale = 3 };

// One order being played out: emits its events in the window, until one would fall past the
// horizon (and then none of the later ones either).
class OrderLife {
 public:
  OrderLife(const SimModel& model, PlanCache& plans, EventSink& sink, int64_t slot, uint64_t index)
      : model_(model),
        plans_(plans),
        sink_(sink),
        rng_(StreamKey(model.key, Stream::kOrder, slot, static_cast<int64_t>(index))),
        first_number_(EventNumber(slot, kOrderSeq + index * kSeqPerOrder)),
        horizon_ms_(SlotStart(slot) + kOrderHorizonMs),
        created_ms_(SlotStart(slot) + static_cast<int64_t>(rng_.Below(kSlotMs / 1000)) * 1000) {
    order_id_.append(model.id_prefix).append("O");
    AppendNumber(first_number_, &order_id_);
    DrawCustomer(model, rng_, true, first_number_, &customer_);
    DrawLines(model, rng_, &lines_);
  }

  void PlayClickCollect();
  void PlayShipFromStore();

 private:
  // False (and the order's story stops) when `ts` is unknown or past the horizon.
  bool Status(Step step, int64_t ts, OrderStatus status, std::string_view reason = {});
  void Sale(int64_t ts, Channel channel);

  const SimModel& model_;
  PlanCache& plans_;
  EventSink& sink_;
  SimRandom rng_;
  uint64_t first_number_;
  int64_t horizon_ms_;
  int64_t created_ms_;
  std::string order_id_;
  std::string customer_;
  std::vector<Line> lines_;
  OrderKind kind_ = OrderKind::kClickCollect;
  OrderSource source_ = OrderSource::kStore;
  int64_t promised_ms_ = 0;
};

bool OrderLife::Status(Step step, int64_t ts, OrderStatus status, std::string_view reason) {
  if (ts < 0 || ts >= horizon_ms_) return false;
  if (!sink_.Wants(ts)) return true;
  Event& event = sink_.Add(EventType::kOrder, first_number_ + step, ts);
  event.order = order_id_;
  event.order_kind = kind_;
  event.status = status;
  event.source = source_;
  event.reason = reason;
  // As an OMS does: the promise is given when the order is created, not repeated after.
  if (status == OrderStatus::kCreated) event.promised_ms = promised_ms_;
  event.customer = customer_;
  return true;
}

void OrderLife::Sale(int64_t ts, Channel channel) {
  if (ts < 0 || ts >= horizon_ms_ || !sink_.Wants(ts)) return;
  Event& sale = sink_.Add(EventType::kSale, first_number_ + kSale, ts);
  sale.txn = sale.id;
  sale.channel = channel;
  if (channel == Channel::kClickCollect) sale.till = DrawTill(model_, rng_);
  sale.employee = DrawEmployee(model_, plans_.ForInstant(ts), ts, rng_);
  sale.customer = customer_;
  sale.lines = lines_;
}

constexpr std::array<std::string_view, 3> kCcCancelReasons = {"customer", "stock_error", "other"};
constexpr std::array<double, 3> kCcCancelCdf = {0.55, 0.85, 1.00};

void OrderLife::PlayClickCollect() {
  kind_ = OrderKind::kClickCollect;
  const bool from_store = rng_.Chance(0.7);
  source_ = from_store ? OrderSource::kStore : OrderSource::kWarehouse;
  // Warehouse goods come with the next morning's delivery.
  const int64_t goods_ms = from_store ? created_ms_ : NextOpen(plans_, created_ms_ + 18 * kHourMs);
  promised_ms_ = AddOpenMinutes(plans_, goods_ms, from_store ? 120 : 240);
  const bool late = rng_.Chance(from_store ? 0.06 : 0.12);
  const int64_t ready_ms = late ? AddOpenMinutes(plans_, promised_ms_, rng_.Between(10, 150))
                                : AddOpenMinutes(plans_, goods_ms, rng_.Between(20, 110));
  const bool cancelled = rng_.Chance(0.07);
  const std::string_view reason = kCcCancelReasons[rng_.Pick(kCcCancelCdf)];
  const int64_t collected_ms = AddOpenMinutes(
      plans_, ready_ms, 15 + static_cast<int64_t>(1500 * std::pow(rng_.Uniform(), 2)));
  if (promised_ms_ < 0 || !Status(kCreated, created_ms_, OrderStatus::kCreated)) return;
  if (cancelled) {
    // Some time between the order and the moment it would have been ready.
    const int64_t window_s = std::max<int64_t>((ready_ms - created_ms_) / 1000, 60);
    const int64_t cancel_ms = created_ms_ + rng_.Between(60, window_s) * 1000;
    Status(kFulfilling, std::min(cancel_ms, ready_ms), OrderStatus::kCancelled, reason);
    return;
  }
  if (!Status(kFulfilling, ready_ms, OrderStatus::kReady)) return;
  if (!Status(kFulfilled, collected_ms, OrderStatus::kCollected)) return;
  Sale(collected_ms, Channel::kClickCollect);
}

// Days between shipping and delivery: P = .70 .25 .05 for 1, 2, 3.
constexpr std::array<double, 3> kTransitDaysCdf = {0.70, 0.95, 1.00};

void OrderLife::PlayShipFromStore() {
  kind_ = OrderKind::kShipFromStore;
  source_ = OrderSource::kStore;
  const int64_t created_day = plans_.ForInstant(created_ms_).day;
  promised_ms_ = plans_.ForDay(created_day + 3).start_ms + 20 * kHourMs;  // by 20:00, day 3
  const double fate = rng_.Uniform();
  const int64_t shipped_ms = AddOpenMinutes(plans_, created_ms_, rng_.Between(60, 600));
  const int64_t transit_days = 1 + static_cast<int64_t>(rng_.Pick(kTransitDaysCdf));
  const int64_t delivery_day =
      shipped_ms < 0 ? created_day : plans_.ForInstant(shipped_ms).day + transit_days;
  // Carriers deliver between 08:00 and 20:00 local time.
  const int64_t delivered_ms = plans_.ForDay(delivery_day).start_ms + 8 * kHourMs +
                               static_cast<int64_t>(rng_.Below(12 * 3600)) * 1000;
  if (!Status(kCreated, created_ms_, OrderStatus::kCreated)) return;
  if (fate < 0.03) {  // the stock record said yes, the shelf says no
    Status(kFulfilling, AddOpenMinutes(plans_, created_ms_, rng_.Between(30, 240)),
           OrderStatus::kCancelled, "stock_error");
    return;
  }
  if (fate < 0.04) {
    Status(kFulfilling, created_ms_ + rng_.Between(10, 360) * kMinuteMs, OrderStatus::kCancelled,
           "customer");
    return;
  }
  if (!Status(kFulfilling, shipped_ms, OrderStatus::kShipped)) return;
  Sale(shipped_ms, Channel::kShipFromStore);
  Status(kFulfilled, delivered_ms, OrderStatus::kDelivered);
}

}  // namespace

void AddOrders(const SimModel& model, PlanCache& plans, int64_t first_slot, int64_t last_slot,
               EventSink& sink) {
  const std::array<double, kQuartersPerDay>& curve = OnlineCurve();
  for (int64_t slot = first_slot; slot <= last_slot; ++slot) {
    const DayPlan& plan = plans.ForInstant(SlotStart(slot));
    const double share =
        plan.online_factor * curve[static_cast<size_t>(plan.Quarter(SlotStart(slot)))];
    SimRandom rng(StreamKey(model.key, Stream::kOrders, slot));
    const uint64_t click_collect =
        static_cast<uint64_t>(rng.Poisson(model.cc_orders_per_day * share));
    const uint64_t ship = static_cast<uint64_t>(rng.Poisson(model.sfs_orders_per_day * share));
    const uint64_t total = std::min(click_collect + ship, kMaxOrdersPerSlot);
    for (uint64_t index = 0; index < total; ++index) {
      OrderLife order(model, plans, sink, slot, index);
      if (index < click_collect) {
        order.PlayClickCollect();
      } else {
        order.PlayShipFromStore();
      }
    }
  }
}

}  // namespace storepulse::common::sim
