// The soak's fault injector: every few seconds (uniform in 0.5–1.5 × the interval) one random
// fault, and its repair scheduled a few seconds later — kill -9 of an edge or of central (then
// restarted), a graceful restart (SIGTERM, start), a partition between the edges and central
// (both directions, or only central → edges: the acks are lost while central commits), an edge
// frozen (SIGSTOP, SIGCONT). Partitions are nftables rules on 127.0.0.1 in the soak's own network
// namespace ("nft"), or central frozen ("stop"). Sampled edges are never killed or frozen (their
// RSS and fds are watched). Main thread only.
#pragma once

#include <chrono>
#include <map>
#include <random>
#include <string>
#include <vector>

#include "common/status.h"
#include "tests/soak/soak_fleet.h"

namespace storepulse::soak {

class FaultInjector {
 public:
  using Clock = std::chrono::steady_clock;
  FaultInjector(SoakFleet* fleet, uint64_t seed, double interval_s, bool nft, int protected_edges);

  // nft: makes the soak's table (inet storepulse_soak) with an empty output chain. Refuses to
  // run in the machine's own network namespace.
  common::Status Setup();
  // Injects the next fault when it is due, and repairs what is due for repair.
  void Step(Clock::time_point now);
  // Repairs everything now: heals partitions, thaws, restarts what is down (waiting for each to
  // answer /healthz). False when a daemon would not come back.
  bool RepairAll();
  // nft: deletes the table.
  void Teardown();

  const std::map<std::string, int>& injected() const { return injected_; }
  int total() const;

 private:
  struct Repair {
    Clock::time_point due;
    std::string kind;  // "restart", "thaw", "heal"
    int daemon;        // -1 central
  };
  void Inject(Clock::time_point now);
  void Do(const Repair& repair);
  bool Nft(const std::string& command);
  double Uniform(double lo, double hi) { return std::uniform_real_distribution<>(lo, hi)(rng_); }

  SoakFleet* fleet_;
  std::mt19937_64 rng_;
  double interval_s_;
  bool nft_;
  int protected_edges_;
  Clock::time_point next_;
  bool partitioned_ = false;
  bool nft_ready_ = false;
  std::vector<Repair> repairs_;
  std::map<std::string, int> injected_;
};

}  // namespace storepulse::soak
