#include "common/sim/stock_generator.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <utility>

namespace storepulse::common::sim {
namespace {

// Movements per open day at size 1.0 (they scale with size).
constexpr double kAdjustmentsPerDay = 1.5;
constexpr double kShrinkPerDay = 2.5;
constexpr double kTransfersPerDay = 0.3;  // each way

bool InSlot(int64_t ts, int64_t slot) { return ts >= 0 && SlotOf(ts) == slot; }

// Spreads n events over the first 14 minutes after `start`, on whole seconds.
int64_t Spread(int64_t start, size_t i, size_t n) {
  return start + static_cast<int64_t>(i * 840 / n) * 1000;
}

double DailyDemand(const SimModel& model, size_t sku) {
  return model.units_per_day * model.catalogue.sku(sku).popularity;
}

bool DeliveredOn(const DayPlan& plan, size_t sku, int cycle) {
  if (cycle == 7) return plan.weekday == static_cast<int>(sku % 6);
  return (plan.day + static_cast<int64_t>(sku)) % cycle == 0;
}

void AddCount(const SimModel& model, const DayPlan& plan, SimRandom rng, uint64_t* seq,
              EventSink& sink) {
  const size_t n = model.catalogue.size();
  for (size_t i = 0; i < n; ++i, ++*seq) {
    const Sku& sku = model.catalogue.sku(i);
    const double target = DailyDemand(model, i) * (sku.replenish_days + 2);
    const double found = rng.Chance(0.02) ? 0.0 : target * (0.6 + 0.6 * rng.Uniform());
    const int64_t ts = Spread(plan.count_ms, i, n);
    if (!sink.Wants(ts)) continue;
    Event& count = sink.Add(EventType::kStock, EventNumber(SlotOf(ts), *seq), ts);
    count.sku = sku.id;
    count.stock_kind = StockKind::kCount;
    count.qty = std::llround(found);
  }
}

void AddDelivery(const SimModel& model, const DayPlan& plan, SimRandom rng, uint64_t* seq,
                 EventSink& sink) {
  const size_t n = model.catalogue.size();
  for (size_t i = 0; i < n; ++i) {
    const Sku& sku = model.catalogue.sku(i);
    if (!DeliveredOn(plan, i, sku.replenish_days)) continue;
    const double qty = DailyDemand(model, i) * sku.replenish_days * (0.85 + 0.3 * rng.Uniform());
    const int64_t ts = Spread(plan.delivery_ms, i, n);
    const uint64_t number = EventNumber(SlotOf(ts), (*seq)++);
    if (!sink.Wants(ts)) continue;
    Event& receipt = sink.Add(EventType::kStock, number, ts);
    receipt.sku = sku.id;
    receipt.stock_kind = StockKind::kReceipt;
    receipt.qty = std::max<int64_t>(1, std::llround(qty));
  }
}

int64_t MovementQty(StockKind kind, SimRandom& rng) {
  switch (kind) {
    case StockKind::kAdjustment:
      return rng.Between(1, 3) * (rng.Chance(0.5) ? 1 : -1);
    case StockKind::kShrink:
      return rng.Between(1, 2);
    default:
      return rng.Between(1, 6);
  }
}

void AddMovements(const SimModel& model, const DayPlan& plan, int64_t slot, SimRandom& rng,
                  uint64_t* seq, EventSink& sink) {
  const double per_slot = model.size / static_cast<double>(plan.OpenSlots());
  const std::array<std::pair<StockKind, double>, 4> kinds = {{
      {StockKind::kAdjustment, kAdjustmentsPerDay},
      {StockKind::kShrink, kShrinkPerDay},
      {StockKind::kTransferIn, kTransfersPerDay},
      {StockKind::kTransferOut, kTransfersPerDay},
  }};
  for (const auto& [kind, per_day] : kinds) {
    for (int64_t n = rng.Poisson(per_day * per_slot); n > 0; --n) {
      SimRandom one(rng.Next());
      const int64_t ts = SlotStart(slot) + static_cast<int64_t>(one.Below(kSlotMs / 1000)) * 1000;
      const uint64_t number = EventNumber(slot, (*seq)++);
      if (!sink.Wants(ts)) continue;
      Event& movement = sink.Add(EventType::kStock, number, ts);
      movement.sku = model.catalogue.sku(model.catalogue.Draw(one)).id;
      movement.stock_kind = kind;
      movement.qty = MovementQty(kind, one);
    }
  }
}

}  // namespace

void AddStockMovements(const SimModel& model, const DayPlan& plan, int64_t slot, SimRandom& rng,
                       uint64_t* seq, EventSink& sink) {
  const SimRandom count_stream(rng.Next());
  const SimRandom delivery_stream(rng.Next());
  if (InSlot(plan.count_ms, slot)) AddCount(model, plan, count_stream, seq, sink);
  if (InSlot(plan.delivery_ms, slot)) AddDelivery(model, plan, delivery_stream, seq, sink);
  if (plan.IsOpenSlot(SlotStart(slot))) AddMovements(model, plan, slot, rng, seq, sink);
}

}  // namespace storepulse::common::sim
