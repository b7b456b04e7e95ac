#include "common/sim/sale_generator.h"

#include <array>
#include <string_view>

#include "common/sim/basket.h"

namespace storepulse::common::sim {
namespace {

constexpr double kWebShareOfOnline = 0.6;  // the rest is the mobile app
// In-store sales prepared by one adviser and closed by another (docs/SIMULATOR.md): their credit
// is shared, half and half or a third to the one who prepared it and two thirds to the closer.
constexpr double kSharedSaleShare = 0.1;

// The sale's own stream and its timestamp (the stream's first draw): whole seconds in the slot.
SimRandom SaleStream(const SimModel& model, int64_t slot, int64_t index, int64_t* ts) {
  SimRandom rng(StreamKey(model.key, Stream::kSale, slot, index));
  *ts = SlotStart(slot) + static_cast<int64_t>(rng.Below(kSlotMs / 1000)) * 1000;
  return rng;
}

void FillSale(const SimModel& model, const DayPlan& plan, const SlotTraffic& traffic, int64_t index,
              SimRandom& rng, Event* sale) {
  sale->txn = sale->id;
  const bool in_store = index < traffic.store_sales;
  if (in_store) {
    sale->channel = Channel::kStore;
    sale->till = DrawTill(model, rng);
    sale->employee = DrawEmployee(model, plan, sale->ts_ms, rng);
  } else {
    sale->channel = rng.Chance(kWebShareOfOnline) ? Channel::kWeb : Channel::kMobile;
  }
  const uint64_t number = EventNumber(traffic.slot, kSaleSeq + static_cast<uint64_t>(index));
  DrawCustomer(model, rng, !in_store, number, &sale->customer, /*account=*/!in_store);
  DrawLines(model, rng, &sale->lines);
  // Drawn last, so that every sale's other draws are those of the simulator before credits.
  if (in_store && rng.Chance(kSharedSaleShare)) {
    const std::string& prepared_by = DrawEmployee(model, plan, sale->ts_ms, rng);
    if (prepared_by == sale->employee) return;  // one adviser did both: not shared
    const bool halves = rng.Chance(0.5);
    sale->credits = {{prepared_by, halves ? 500'000 : 333'333},
                     {sale->employee, halves ? 500'000 : 666'667}};
  }
}

// Finds a past sale to return and rebuilds it; false when none is found.
bool FindOriginal(const SimModel& model, PlanCache& plans, int64_t slot, bool online,
                  SimRandom& rng, Event* original) {
  constexpr int64_t kSlotsPerDay = kDayMs / kSlotMs;
  for (int attempt = 0; attempt < 6; ++attempt) {
    const int64_t past =
        online ? slot - 2 * kSlotsPerDay - static_cast<int64_t>(rng.Below(26 * kSlotsPerDay))
               : slot - rng.Between(1, 4) * 7 * kSlotsPerDay + rng.Between(-4, 4);
    const DayPlan& plan = plans.ForInstant(SlotStart(past));
    const SlotTraffic traffic = TrafficOf(model, plan, past);
    const int64_t choices = online ? traffic.online_sales : traffic.store_sales;
    if (choices == 0) continue;
    const int64_t index = (online ? traffic.store_sales : 0) +
                          static_cast<int64_t>(rng.Below(static_cast<uint64_t>(choices)));
    RebuildSale(model, plan, traffic, index, original);
    return true;
  }
  return false;
}

// Some or all lines of the original, some quantities partly; the discount follows the quantity.
void ReturnedLines(const std::vector<Line>& bought, SimRandom& rng, std::vector<Line>* lines) {
  const bool all = rng.Chance(0.25);
  const size_t only = static_cast<size_t>(rng.Below(bought.size()));
  for (size_t i = 0; i < bought.size(); ++i) {
    if (!all && i != only) continue;
    Line line = bought[i];
    if (line.qty > 1 && rng.Chance(0.2)) {
      line.discount = line.discount / line.qty;
      line.qty = 1;
    }
    lines->push_back(std::move(line));
  }
}

struct Reason {
  std::string_view name;
  bool restock;
};
constexpr std::array<Reason, 6> kReasons = {{{"size", true},
                                             {"changed_mind", true},
                                             {"not_as_described", true},
                                             {"wrong_item", true},
                                             {"defective", false},
                                             {"damaged", false}}};
constexpr std::array<double, 6> kStoreReasonCdf = {0.30, 0.62, 0.67, 0.80, 0.92, 1.00};
constexpr std::array<double, 6> kOnlineReasonCdf = {0.35, 0.57, 0.77, 0.85, 0.93, 1.00};

}  // namespace

void DeferSales(const SimModel& model, const SlotTraffic& traffic, EventSink& sink) {
  for (int64_t i = 0; i < traffic.sales(); ++i) {
    int64_t ts = 0;
    SaleStream(model, traffic.slot, i, &ts);
    if (!sink.Wants(ts)) continue;
    sink.DeferSale(EventNumber(traffic.slot, kSaleSeq + static_cast<uint64_t>(i)), ts,
                   static_cast<uint64_t>(i));
  }
}

void BuildSale(const SimModel& model, const DayPlan& plan, const SlotTraffic& traffic,
               int64_t index, Event* sale) {
  int64_t ts = 0;
  SimRandom rng = SaleStream(model, traffic.slot, index, &ts);
  FillSale(model, plan, traffic, index, rng, sale);
}

void RebuildSale(const SimModel& model, const DayPlan& plan, const SlotTraffic& traffic,
                 int64_t index, Event* sale) {
  SimRandom rng = SaleStream(model, traffic.slot, index, &sale->ts_ms);
  sale->type = EventType::kSale;
  FormatId(model.id_prefix, EventNumber(traffic.slot, kSaleSeq + static_cast<uint64_t>(index)),
           &sale->id);
  FillSale(model, plan, traffic, index, rng, sale);
}

void AddReturn(const SimModel& model, PlanCache& plans, int64_t slot, uint64_t number, uint64_t key,
               EventSink& sink) {
  SimRandom rng(key);
  const int64_t ts = SlotStart(slot) + static_cast<int64_t>(rng.Below(kSlotMs / 1000)) * 1000;
  if (!sink.Wants(ts)) return;
  const bool online = rng.Chance(model.options.web_return_share);
  Event original;
  const bool found = FindOriginal(model, plans, slot, online, rng, &original) ||
                     FindOriginal(model, plans, slot, !online, rng, &original);
  if (!found) {  // a receipt from before the simulated history: one line, no reference
    DrawLines(model, rng, &original.lines);
    original.lines.resize(1);
    original.channel = online ? Channel::kWeb : Channel::kStore;
  }
  const DayPlan& plan = plans.ForInstant(ts);
  const bool bought_online = original.channel != Channel::kStore;
  const Reason& reason = kReasons[rng.Pick(bought_online ? kOnlineReasonCdf : kStoreReasonCdf)];
  Event& ret = sink.Add(EventType::kReturn, number, ts);
  ret.txn = ret.id;
  ret.channel = Channel::kStore;
  ret.till = DrawTill(model, rng);
  ret.employee = DrawEmployee(model, plan, ts, rng);
  ret.customer = std::move(original.customer);
  ret.original_txn = std::move(original.txn);
  ret.original_channel = original.channel;
  ret.reason = reason.name;
  ret.restock = reason.restock;
  ReturnedLines(original.lines, rng, &ret.lines);
}

}  // namespace storepulse::common::sim
