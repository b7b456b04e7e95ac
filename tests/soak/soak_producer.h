// The soak's producers and their ledger. Each store has a simulator (common/sim) and a cursor in
// simulated time; every round, each store's window [acked_until, target) is POSTed to its edge as
// JSON Lines until the edge acknowledges all of it (HTTP 200, accepted + duplicates = the lines
// sent, none rejected). Only then are the window's events added to the store's ledger and the
// cursor moved: an event is in the ledger once, when its producer got the ack, however many
// times it was sent (a retried window the edge had stored before a crash comes back as
// duplicates and is not counted again).
// Thread behaviour: Round() runs the stores on a pool of threads; the rest is for the main
// thread between rounds.
#pragma once

#include <atomic>
#include <cstdint>
#include <string>
#include <vector>

#include "common/kpi/measures.h"
#include "common/sim/store_simulator.h"

namespace storepulse::soak {

struct StoreLedger {
  int64_t events = 0;             // acknowledged events
  common::Measures measures;      // what they add to the base measures (common/kpi/measures.h)
  int64_t posts = 0;              // POSTs made
  int64_t retries = 0;            // POSTs that failed or were not a full ack (sent again)
  int64_t duplicates_answered = 0;  // lines the edge answered as duplicates (retried windows)
};

class SoakProducers {
 public:
  SoakProducers(std::vector<common::StoreSimulator> simulators, std::vector<int> http_ports,
                int64_t sim_start_ms, int threads);

  // Sends every store's pending window up to simulated time `target_ms` once (one POST per
  // store with anything to send). Returns when every store has had its try.
  void Round(int64_t target_ms);
  // Whether every store's cursor has reached `target_ms`.
  bool AllAcked(int64_t target_ms) const;

  const std::vector<StoreLedger>& ledgers() const { return ledgers_; }
  int64_t TotalEvents() const;
  // The same, readable from another thread while a round runs (progress lines).
  int64_t AckedEvents() const { return acked_events_; }
  int64_t TotalRetries() const;
  int64_t TotalDuplicates() const;

 private:
  void SendStore(size_t i, int64_t target_ms);

  std::vector<common::StoreSimulator> simulators_;
  std::vector<int> http_ports_;
  std::vector<int64_t> acked_until_;  // per store: simulated time up to which all is acked
  std::vector<StoreLedger> ledgers_;
  int threads_;
  std::atomic<int64_t> acked_events_{0};
};

}  // namespace storepulse::soak
