#include "common/sim/store_simulator.h"

#include <string>

#include "common/event_limits.h"
#include "common/sim/day_plan.h"
#include "common/sim/event_sink.h"
#include "common/sim/order_generator.h"
#include "common/sim/sale_generator.h"
#include "common/sim/sim_model.h"
#include "common/sim/slot_generator.h"

namespace storepulse::common {
namespace {

Status CheckShare(const char* name, double value, double max = 1.0) {
  if (value >= 0 && value <= max) return OkStatus();
  return InvalidArgument(std::string("simulator option ") + name + " must be between 0 and " +
                         std::to_string(max) + ", got " + std::to_string(value));
}

Status CheckHours(const OpeningHours& hours) {
  bool any_open = false;
  for (size_t day = 0; day < 7; ++day) {
    const int open = hours.open_min[day];
    const int close = hours.close_min[day];
    if (open < 0 || close > 24 * 60 || open > close) {
      return InvalidArgument("simulator opening hours: weekday " + std::to_string(day) +
                             " must satisfy 0 <= open <= close <= 1440 minutes");
    }
    any_open = any_open || close - open >= 15;
  }
  if (!any_open) return InvalidArgument("simulator opening hours: the store never opens");
  return OkStatus();
}

Status CheckOptions(const SimOptions& o) {
  if (o.catalogue_size < 1 || o.catalogue_size > 100'000) {
    return InvalidArgument("simulator option catalogue_size must be between 1 and 100000");
  }
  if (o.min_price < 1 || o.max_price < o.min_price || o.max_price > kMaxUnitPrice) {
    return InvalidArgument("simulator prices must satisfy 1 <= min_price <= max_price <= " +
                           std::to_string(kMaxUnitPrice));
  }
  if (o.employees < 1 || o.employees > 999 || o.customers < 0 || o.daily_visitors < 0) {
    return InvalidArgument("simulator options: 1–999 employees, customers and visitors >= 0");
  }
  RETURN_IF_ERROR(CheckShare("sku_zipf_exponent", o.sku_zipf_exponent, 4.0));
  RETURN_IF_ERROR(CheckShare("conversion", o.conversion, 0.9));
  RETURN_IF_ERROR(CheckShare("identified_share", o.identified_share));
  RETURN_IF_ERROR(CheckShare("new_customer_share", o.new_customer_share));
  RETURN_IF_ERROR(CheckShare("return_rate", o.return_rate));
  RETURN_IF_ERROR(CheckShare("web_return_share", o.web_return_share));
  RETURN_IF_ERROR(CheckShare("online_share", o.online_share, 10.0));
  RETURN_IF_ERROR(CheckShare("click_collect_share", o.click_collect_share, 1.0));
  RETURN_IF_ERROR(CheckShare("ship_from_store_share", o.ship_from_store_share, 1.0));
  RETURN_IF_ERROR(CheckShare("feedback_share", o.feedback_share));
  return CheckHours(o.hours);
}

}  // namespace

StatusOr<StoreSimulator> StoreSimulator::Create(const SimStore& store, const SimOptions& options) {
  if (store.store.empty() || store.store.size() > 40) {
    return InvalidArgument("simulated store id must be 1 to 40 bytes, got \"" + store.store + "\"");
  }
  if (!(store.size > 0 && store.size <= 1000)) {
    return InvalidArgument("simulated store size must be in (0, 1000], got " +
                           std::to_string(store.size));
  }
  RETURN_IF_ERROR(CheckOptions(options));
  return StoreSimulator(std::make_shared<const sim::SimModel>(store, options));
}

std::vector<Event> StoreSimulator::Generate(int64_t from_ms, int64_t to_ms) const {
  std::vector<Event> out;
  if (to_ms <= from_ms) return out;
  const sim::SimModel& model = *model_;
  const int64_t first = sim::SlotOf(from_ms);
  const int64_t last = sim::SlotOf(to_ms - 1);
  const double days = static_cast<double>(to_ms - from_ms) / sim::kDayMs;
  out.reserve(static_cast<size_t>(EventsPerDay() * days * 1.1) + 16);

  sim::PlanCache plans(model);
  sim::EventSink orders(model, from_ms, to_ms);
  sim::AddOrders(model, plans, first - sim::kOrderHorizonMs / sim::kSlotMs, last, orders);
  orders.Sort();
  sim::EventSink slot_events(model, from_ms, to_ms);
  for (int64_t slot = first; slot <= last; ++slot) {
    const sim::SlotSales sales = sim::GenerateSlot(model, plans, slot, slot_events);
    orders.MoveBefore(sim::SlotStart(slot + 1), &slot_events);
    slot_events.DrainSortedTo(&out, [&](uint64_t index, Event* sale) {
      sim::BuildSale(model, *sales.plan, sales.traffic, static_cast<int64_t>(index), sale);
    });
  }
  return out;
}

std::vector<Event> StoreSimulator::GenerateDay(int64_t local_day) const {
  return Generate(model_->zone.LocalDayStartMs(local_day),
                  model_->zone.LocalDayStartMs(local_day + 1));
}

const std::string& StoreSimulator::store() const { return model_->store; }

const TimeZone& StoreSimulator::zone() const { return model_->zone; }

double StoreSimulator::EventsPerDay() const {
  const sim::SimModel& m = *model_;
  const double sales = m.store_sales_per_day + m.online_sales_per_day;
  const double orders = m.cc_orders_per_day + m.sfs_orders_per_day;
  const double after_sales = (sales + orders) * (m.options.return_rate + m.options.feedback_share);
  const double footfall = 44.0 * static_cast<double>(m.doors.size());
  const double stock = static_cast<double>(m.catalogue.size()) * 0.45 + 5 * m.size;
  return sales + orders * 4 + after_sales + footfall + stock;
}

}  // namespace storepulse::common
