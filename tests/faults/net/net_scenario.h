// One network fault scenario (issue 13; docs/RELIABILITY.md): a central in one network namespace
// and a store's edge in another (NetnsLink), the edge replicating over the veth — directly, or
// through a FaultProxy in central's namespace — while a producer thread posts the store
// simulator's events to the edge. The test breaks the link meanwhile; then ExpectConverged checks
// that within a deadline central holds exactly what the edge holds: every event the producer had
// acknowledged, once, at both, and the same KPI rows for the store (total and by day).
//
// Owned by the test's thread (the daemons die with it: tests/support/process.h). Everything is
// undone by the destructor: producer joined, daemons killed, proxy stopped, namespaces deleted.
#pragma once

#include <atomic>
#include <chrono>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "common/status.h"
#include "tests/faults/net/netns_link.h"
#include "tests/support/fault_proxy.h"
#include "tests/support/nodes.h"
#include "tests/support/temp_dir.h"

namespace storepulse::test_support {

// A duration of the scenarios: the value of environment variable `name` in seconds when set (a
// shorter local run), else `issue_value` (the issue's, used by scripts/test).
std::chrono::seconds ScenarioSeconds(const char* name, std::chrono::seconds issue_value);

class NetScenario {
 public:
  // Unavailable (the reason, for GTEST_SKIP) when network namespaces cannot be made here.
  static common::StatusOr<std::unique_ptr<NetScenario>> Create(const std::string& name,
                                                               bool through_proxy);
  ~NetScenario();

  // Starts central, the proxy (if any) and the edge, and waits (bounded) until the edge streams.
  bool Start();

  NetnsLink& link() { return *link_; }
  FaultProxy& proxy() { return *proxy_; }  // through_proxy only
  CentralNode& central() { return *central_; }
  EdgeNode& edge() { return *edge_; }

  // Posts the next `events` simulator events (the store's last ten days, in time order) to the
  // edge in a background thread, in batches spread evenly over `over`; a batch the edge did not
  // answer is posted again, at most 5 times (a producer's at-least-once), and counts as
  // acknowledged once the edge answered it 200 with every event accepted (or a duplicate).
  void StartTraffic(size_t events, std::chrono::milliseconds over);
  // Waits for the producer to finish (its schedule, and each post's 30 s timeout at worst).
  void WaitTraffic();
  size_t acked_events();
  // How many of the store's events central's log holds now.
  size_t CentralLogSize();

  // The edge's GET /api/v1/status ({} when it does not answer).
  nlohmann::json EdgeStatus();
  // Whether the edge has stored events central has not acknowledged yet.
  bool Behind();

  // Notes that the fault is over now (ExpectConverged's time to converge counts from here).
  void FaultEnded();
  // Waits (at most `deadline`) until central has acknowledged every event the edge stored; then
  // checks exactly-once and the KPI rows (gtest failures naming what differs), and prints one
  // line of figures for docs/RELIABILITY.md. The seconds it took since FaultEnded (or since this
  // call, when not called); -1 at the deadline.
  double ExpectConverged(std::chrono::seconds deadline);

 private:
  NetScenario() = default;
  void Feed(std::vector<std::string> bodies, std::vector<std::vector<std::string>> ids,
            std::chrono::milliseconds interval);
  nlohmann::json KpiRows(bool at_central, const std::string& by);

  std::string name_;
  std::string store_ = "PAR1";
  std::string timezone_ = "Europe/Paris";
  TempDir dir_;
  std::unique_ptr<NetnsLink> link_;
  std::unique_ptr<FaultProxy> proxy_;
  std::unique_ptr<CentralNode> central_;
  std::unique_ptr<EdgeNode> edge_;
  std::chrono::steady_clock::time_point started_;
  std::chrono::steady_clock::time_point fault_ended_;
  size_t sent_ = 0;              // simulator events handed to the producer so far
  int64_t traffic_from_ms_ = 0;  // where the simulator's events start

  std::mutex mu_;
  std::set<std::string> acked_;  // ids of the events the edge acknowledged to the producer
  int64_t resent_batches_ = 0;
  std::atomic<bool> stop_producer_{false};
  std::thread producer_;
};

}  // namespace storepulse::test_support
