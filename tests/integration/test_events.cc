#include "tests/integration/test_events.h"

#include <chrono>

#include "common/event_codec.h"

namespace storepulse::test_support {

int64_t NowMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

common::Event Sale(const std::string& id, int64_t qty, int64_t unit_price,
                   common::Channel channel, int64_t ts_ms) {
  common::Event e;
  e.id = id;
  e.type = common::EventType::kSale;
  e.ts_ms = ts_ms ? ts_ms : NowMs() - 3600 * 1000;
  e.txn = "t-" + id;
  e.channel = channel;
  e.lines.push_back(common::Line{"SKU-1", qty, unit_price, 0});
  return e;
}

std::vector<common::Event> Sales(const std::string& prefix, int count, int64_t ts_ms) {
  std::vector<common::Event> events;
  events.reserve(count);
  for (int i = 0; i < count; ++i) {
    events.push_back(Sale(prefix + "-" + std::to_string(i), 1, 100 + i % 50,
                          common::Channel::kStore, ts_ms));
  }
  return events;
}

int64_t GrossValue(const std::vector<common::Event>& events) {
  int64_t total = 0;
  for (const auto& e : events) total += e.LinesValue();
  return total;
}

std::vector<std::string> StoredBodies(const std::vector<common::Event>& events) {
  std::vector<std::string> bodies;
  for (const auto& e : events) bodies.push_back(common::EncodeStored(e));
  return bodies;
}

}  // namespace storepulse::test_support
