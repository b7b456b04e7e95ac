#include "common/sim/slot_generator.h"

#include <array>

#include "common/sim/basket.h"
#include "common/sim/sale_generator.h"
#include "common/sim/slot_traffic.h"
#include "common/sim/stock_generator.h"

namespace storepulse::common::sim {
namespace {

// NPS answers 0–10 and CSAT answers 1–5, mostly positive (NPS about +40, CSAT about 80%).
constexpr std::array<double, 11> kNpsCdf = {0.01, 0.02, 0.03, 0.05, 0.07, 0.10,
                                            0.15, 0.25, 0.42, 0.66, 1.00};
constexpr std::array<double, 5> kCsatCdf = {0.04, 0.08, 0.18, 0.52, 1.00};
constexpr double kNpsShare = 0.6;

// One footfall event per door and open slot: `in` as counted, `out` the people leaving: half of
// the previous slot's visitors and half of this one's, and everyone still inside at closing.
void AddFootfall(const SimModel& model, PlanCache& plans, const DayPlan& plan,
                 const SlotTraffic& traffic, EventSink& sink) {
  const int64_t start = SlotStart(traffic.slot);
  if (!traffic.open || !sink.Wants(start)) return;
  const std::array<int64_t, kMaxDoors> before =
      DoorsIn(model, plans.ForInstant(start - kSlotMs), traffic.slot - 1);
  const bool closing = start + kSlotMs == plan.close_ms;
  for (size_t door = 0; door < model.doors.size(); ++door) {
    const int64_t in = traffic.door_in[door];
    Event& footfall =
        sink.Add(EventType::kFootfall, EventNumber(traffic.slot, kFootfallSeq + door), start);
    footfall.sensor = model.doors[door];
    footfall.period_s = kSlotMs / 1000;
    footfall.in = in;
    footfall.out = before[door] / 2 + (in + 1) / 2 + (closing ? in / 2 : 0);
  }
}

// The staff on the floor through an open slot: two, plus one for every 12 visitors of the quarter
// hour (as a roster that follows the day's curve would), so the STAR (visitors per staff hour)
// stays around 20–40 and is highest when a rush outruns the floor (docs/SIMULATOR.md).
void AddLabour(const SlotTraffic& traffic, EventSink& sink) {
  const int64_t start = SlotStart(traffic.slot);
  if (!traffic.open || !sink.Wants(start)) return;
  Event& labour = sink.Add(EventType::kLabour, EventNumber(traffic.slot, kLabourSeq), start);
  labour.period_s = kSlotMs / 1000;
  labour.staff = 2 + traffic.visitors / 12;
}

void AddFeedback(const SimModel& model, const SlotTraffic& traffic, bool online, uint64_t number,
                 uint64_t key, EventSink& sink) {
  SimRandom rng(key);
  const int64_t ts =
      SlotStart(traffic.slot) + static_cast<int64_t>(rng.Below(kSlotMs / 1000)) * 1000;
  if (!sink.Wants(ts)) return;
  Event& feedback = sink.Add(EventType::kFeedback, number, ts);
  feedback.channel = online ? Channel::kWeb : Channel::kStore;
  if (rng.Chance(kNpsShare)) {
    feedback.scale = FeedbackScale::kNps;
    feedback.score = static_cast<int64_t>(rng.Pick(kNpsCdf));
  } else {
    feedback.scale = FeedbackScale::kCsat;
    feedback.score = 1 + static_cast<int64_t>(rng.Pick(kCsatCdf));
  }
  if (online || rng.Chance(0.5)) DrawCustomer(model, rng, true, number, &feedback.customer);
}

// Returns and feedback, numbered from *seq on, each from its own stream keyed from `rng`.
void AddAfterSales(const SimModel& model, PlanCache& plans, const DayPlan& plan,
                   const SlotTraffic& traffic, SimRandom& rng, uint64_t* seq, EventSink& sink) {
  const int64_t start = SlotStart(traffic.slot);
  if (traffic.open) {
    // Returns of every channel come back through the tills, in proportion to the day's traffic.
    const double bought_elsewhere =
        (model.online_sales_per_day + model.cc_orders_per_day + model.sfs_orders_per_day) *
        plan.FootfallShare(start);
    const double expected =
        model.options.return_rate * (static_cast<double>(traffic.store_sales) + bought_elsewhere);
    for (int64_t n = rng.Poisson(expected); n > 0; --n) {
      AddReturn(model, plans, traffic.slot, EventNumber(traffic.slot, (*seq)++), rng.Next(), sink);
    }
  }
  const double share = model.options.feedback_share;
  for (int64_t n = rng.Poisson(share * static_cast<double>(traffic.store_sales)); n > 0; --n) {
    AddFeedback(model, traffic, false, EventNumber(traffic.slot, (*seq)++), rng.Next(), sink);
  }
  for (int64_t n = rng.Poisson(share * static_cast<double>(traffic.online_sales)); n > 0; --n) {
    AddFeedback(model, traffic, true, EventNumber(traffic.slot, (*seq)++), rng.Next(), sink);
  }
}

// The web shop joins a buyer's account to their loyalty card (customer_link) on about
// kLinkShare of its sales; links repeat, and count once. From their own stream, so the other
// events do not change.
constexpr double kLinkShare = 0.3;
void AddCustomerLinks(const SimModel& model, const SlotTraffic& traffic, uint64_t* seq,
                      EventSink& sink) {
  SimRandom rng(StreamKey(model.key, Stream::kLinks, traffic.slot));
  for (int64_t n = rng.Poisson(kLinkShare * static_cast<double>(traffic.online_sales)); n > 0;
       --n) {
    const int64_t ts =
        SlotStart(traffic.slot) + static_cast<int64_t>(rng.Below(kSlotMs / 1000)) * 1000;
    std::string card, account;
    DrawLinkedIds(model, rng, &card, &account);
    const uint64_t number = EventNumber(traffic.slot, (*seq)++);
    if (!sink.Wants(ts)) continue;
    Event& link = sink.Add(EventType::kCustomerLink, number, ts);
    link.customer = std::move(card);
    link.alias = std::move(account);
  }
}

}  // namespace

SlotSales GenerateSlot(const SimModel& model, PlanCache& plans, int64_t slot, EventSink& sink) {
  const DayPlan& plan = plans.ForInstant(SlotStart(slot));
  const SlotTraffic traffic = TrafficOf(model, plan, slot);
  AddFootfall(model, plans, plan, traffic, sink);
  AddLabour(traffic, sink);
  DeferSales(model, traffic, sink);
  SimRandom rng(StreamKey(model.key, Stream::kSlot, slot));
  uint64_t seq = kSaleSeq + static_cast<uint64_t>(traffic.sales());
  AddAfterSales(model, plans, plan, traffic, rng, &seq, sink);
  AddStockMovements(model, plan, slot, rng, &seq, sink);
  AddCustomerLinks(model, traffic, &seq, sink);
  return SlotSales{&plan, traffic};
}

}  // namespace storepulse::common::sim
