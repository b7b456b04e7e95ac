#include "tests/integration/mixed_events.h"

#include <random>

namespace storepulse::test_support {
namespace {

class Generator {
 public:
  Generator(uint32_t seed, int64_t now_ms, int days)
      : random_(seed), now_ms_(now_ms), span_ms_(int64_t{days} * 24 * 3600 * 1000) {}

  common::Event Next(const std::string& id) {
    common::Event e;
    e.id = id;
    e.ts_ms = now_ms_ - 60'000 - Pick(0, span_ms_);
    e.txn = "t-" + id;
    const int64_t kind = Pick(0, 99);
    if (kind < 50) return Sale(std::move(e));
    if (kind < 60) return Return(std::move(e));
    if (kind < 70) return Footfall(std::move(e));
    if (kind < 82) return Stock(std::move(e));
    if (kind < 92) return Order(std::move(e));
    return Feedback(std::move(e));
  }

 private:
  int64_t Pick(int64_t lo, int64_t hi) {
    return std::uniform_int_distribution<int64_t>(lo, hi)(random_);
  }
  std::vector<common::Line> Lines() {
    std::vector<common::Line> lines(Pick(1, 3));
    for (auto& line : lines) {
      line = {"SKU" + std::to_string(Pick(1, 20)), Pick(1, 3), Pick(100, 5000), 0};
      if (Pick(0, 3) == 0) line.discount = Pick(0, line.Value() / 4);
    }
    return lines;
  }
  common::Event Sale(common::Event e) {
    e.type = common::EventType::kSale;
    e.channel = static_cast<common::Channel>(Pick(0, 4));
    if (Pick(0, 2) != 0) e.customer = "c" + std::to_string(Pick(1, 40));
    e.employee = "emp" + std::to_string(Pick(1, 5));
    e.lines = Lines();
    return e;
  }
  common::Event Return(common::Event e) {
    e.type = common::EventType::kReturn;
    e.original_channel = Pick(0, 1) ? common::Channel::kWeb : common::Channel::kStore;
    e.restock = Pick(0, 1) != 0;
    if (!e.restock) e.reason = "defective";  // no draw of its own: the same events as before
    e.employee = "emp" + std::to_string(Pick(1, 5));
    e.lines = Lines();
    return e;
  }
  common::Event Footfall(common::Event e) {
    e.type = common::EventType::kFootfall;
    e.sensor = "door" + std::to_string(Pick(1, 2));
    e.period_s = 900;
    e.in = Pick(0, 40);
    e.out = Pick(0, 40);
    return e;
  }
  common::Event Stock(common::Event e) {
    e.type = common::EventType::kStock;
    e.sku = "SKU" + std::to_string(Pick(1, 16));  // SKU17-20 are sold but never ranged
    e.stock_kind = static_cast<common::StockKind>(Pick(0, 5));
    e.qty = e.stock_kind == common::StockKind::kAdjustment ? Pick(1, 5) * (Pick(0, 1) ? 1 : -1)
                                                           : Pick(1, 30);
    return e;
  }
  common::Event Order(common::Event e) {
    e.type = common::EventType::kOrder;
    e.order = "o" + std::to_string(Pick(1, 15));  // ~3 events an order: lifecycles
    e.order_kind = static_cast<common::OrderKind>(Pick(0, 2));
    e.status = static_cast<common::OrderStatus>(Pick(0, 5));
    e.source = Pick(0, 1) ? common::OrderSource::kWarehouse : common::OrderSource::kStore;
    if (e.status == common::OrderStatus::kCancelled) {
      e.reason = Pick(0, 1) ? "stock_error" : "customer";
    }
    if (Pick(0, 3) != 0) e.promised_ms = e.ts_ms + Pick(-4, 4) * 3600 * 1000;
    return e;
  }
  common::Event Feedback(common::Event e) {
    e.type = common::EventType::kFeedback;
    e.scale = Pick(0, 1) ? common::FeedbackScale::kNps : common::FeedbackScale::kCsat;
    e.score = e.scale == common::FeedbackScale::kNps ? Pick(0, 10) : Pick(1, 5);
    return e;
  }

  std::mt19937_64 random_;
  int64_t now_ms_;
  int64_t span_ms_;
};

}  // namespace

std::vector<common::Event> MixedEvents(const std::string& prefix, int count, uint32_t seed,
                                       int64_t now_ms, int days) {
  Generator generator(seed, now_ms, days);
  std::vector<common::Event> events;
  events.reserve(count);
  for (int i = 0; i < count; ++i)
    events.push_back(generator.Next(prefix + "-" + std::to_string(i)));
  return events;
}

}  // namespace storepulse::test_support
