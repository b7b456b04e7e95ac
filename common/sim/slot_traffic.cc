#include "common/sim/slot_traffic.h"

#include <algorithm>

#include "common/event_limits.h"
#include "common/sim/sim_random.h"
#include "common/sim/traffic_curves.h"

namespace storepulse::common::sim {
namespace {

// Keeps a slot's own event numbers clear of its orders' (sim_ids.h) at any size.
constexpr int64_t kMaxSales = 200'000;

}  // namespace

std::array<int64_t, kMaxDoors> DoorsIn(const SimModel& model, const DayPlan& plan, int64_t slot) {
  std::array<int64_t, kMaxDoors> in{};
  const int64_t start = SlotStart(slot);
  if (!plan.IsOpenSlot(start)) return in;
  SimRandom rng(StreamKey(model.key, Stream::kFootfall, slot));
  // Slots are over-dispersed compared with a pure Poisson: a bus arrives, rain starts.
  const double expected = plan.visitors * plan.FootfallShare(start) * rng.LogNormalFactor(0.12);
  for (size_t door = 0; door < model.door_shares.size(); ++door) {
    in[door] = std::min(rng.Poisson(expected * model.door_shares[door]), kMaxFootfall / 2);
  }
  return in;
}

SlotTraffic TrafficOf(const SimModel& model, const DayPlan& plan, int64_t slot) {
  SlotTraffic traffic;
  traffic.slot = slot;
  const int64_t start = SlotStart(slot);
  traffic.open = plan.IsOpenSlot(start);
  traffic.door_in = DoorsIn(model, plan, slot);
  for (const int64_t in : traffic.door_in) traffic.visitors += in;

  SimRandom rng(StreamKey(model.key, Stream::kTraffic, slot));
  const double conversion = std::clamp(plan.conversion * rng.LogNormalFactor(0.08), 0.02, 0.9);
  traffic.store_sales = std::min<int64_t>(rng.Binomial(traffic.visitors, conversion), kMaxSales);
  const double online = model.online_sales_per_day * plan.online_factor *
                        OnlineCurve()[static_cast<size_t>(plan.Quarter(start))];
  traffic.online_sales = std::min<int64_t>(rng.Poisson(online), kMaxSales);
  return traffic;
}

}  // namespace storepulse::common::sim
