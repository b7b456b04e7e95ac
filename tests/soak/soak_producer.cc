#include "tests/soak/soak_producer.h"

#include <httplib.h>

#include <algorithm>
#include <nlohmann/json.hpp>
#include <thread>

#include "common/event_codec.h"

namespace storepulse::soak {
namespace {

// A window never spans more than this much simulated time, so that a store that was unreachable
// for long catches up in POSTs of a bounded size (well under the edge's 16 MiB batch limit).
constexpr int64_t kMaxWindowMs = 30 * 60 * 1000;

}  // namespace

SoakProducers::SoakProducers(std::vector<common::StoreSimulator> simulators,
                             std::vector<int> http_ports, int64_t sim_start_ms, int threads)
    : simulators_(std::move(simulators)),
      http_ports_(std::move(http_ports)),
      acked_until_(simulators_.size(), sim_start_ms),
      ledgers_(simulators_.size()),
      threads_(threads) {}

void SoakProducers::Round(int64_t target_ms) {
  std::atomic<size_t> next{0};
  auto work = [&] {
    for (size_t i = next++; i < simulators_.size(); i = next++) SendStore(i, target_ms);
  };
  std::vector<std::thread> pool;
  const int n = std::min<int>(threads_, static_cast<int>(simulators_.size()));
  for (int t = 1; t < n; ++t) pool.emplace_back(work);
  work();
  for (std::thread& thread : pool) thread.join();
}

void SoakProducers::SendStore(size_t i, int64_t target_ms) {
  const int64_t from = acked_until_[i];
  const int64_t to = std::min(target_ms, from + kMaxWindowMs);
  if (to <= from) return;
  const std::vector<common::Event> events = simulators_[i].Generate(from, to);
  StoreLedger& ledger = ledgers_[i];
  if (!events.empty()) {
    ++ledger.posts;
    httplib::Client client("127.0.0.1", http_ports_[i]);
    // Short timeouts: a frozen edge must not hold a producer thread for long; the window is
    // simply sent again next round.
    client.set_connection_timeout(2, 0);
    client.set_read_timeout(5, 0);
    client.set_write_timeout(5, 0);
    auto res = client.Post("/api/v1/events", common::EncodeJsonLines(events),
                           "application/x-ndjson");
    if (!res || res->status != 200) {
      ++ledger.retries;
      return;
    }
    auto reply = nlohmann::json::parse(res->body, nullptr, false);
    if (reply.is_discarded() || !reply.contains("accepted")) {
      ++ledger.retries;
      return;
    }
    const int64_t accepted = reply.value("accepted", int64_t{0});
    const int64_t duplicates = reply.value("duplicates", int64_t{0});
    const bool rejected = reply.contains("rejected") && !reply["rejected"].empty();
    if (rejected || accepted + duplicates != static_cast<int64_t>(events.size())) {
      ++ledger.retries;
      return;
    }
    ledger.duplicates_answered += duplicates;
    for (const common::Event& event : events) {
      common::Channel channel;
      // Sums of a soak stay far below the int64 range; Add only fails past it.
      (void)ledger.measures.Add(common::MeasuresOf(event, &channel));
    }
    ledger.events += static_cast<int64_t>(events.size());
    acked_events_ += static_cast<int64_t>(events.size());
  }
  acked_until_[i] = to;
}

bool SoakProducers::AllAcked(int64_t target_ms) const {
  return std::all_of(acked_until_.begin(), acked_until_.end(),
                     [&](int64_t t) { return t >= target_ms; });
}

int64_t SoakProducers::TotalEvents() const {
  int64_t n = 0;
  for (const StoreLedger& l : ledgers_) n += l.events;
  return n;
}
int64_t SoakProducers::TotalRetries() const {
  int64_t n = 0;
  for (const StoreLedger& l : ledgers_) n += l.retries;
  return n;
}
int64_t SoakProducers::TotalDuplicates() const {
  int64_t n = 0;
  for (const StoreLedger& l : ledgers_) n += l.duplicates_answered;
  return n;
}

}  // namespace storepulse::soak
