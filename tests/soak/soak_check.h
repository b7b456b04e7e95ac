// What the soak checks: the daemons' memory and open files over time (flat or not), and at the
// end every store's totals at central against its edge's and against the producers' ledger.
// Plain functions and values; called from the main thread.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "tests/soak/soak_producer.h"

namespace storepulse::soak {

struct ResourceSample {
  double t_s = 0;     // seconds since traffic started
  pid_t pid = -1;     // which incarnation
  int64_t rss_kib = 0;
  int64_t fds = 0;
};

// VmRSS and the number of /proc/PID/fd entries; nothing when the process is gone.
std::optional<ResourceSample> SampleProcess(pid_t pid, double t_s);

// "Flat". RSS: after a warm-up (the first 20 % of the run) the samples are cut in three by time;
// the last third's maximum must stay within the first third's maximum × 1.25 + 16 MiB (a restart
// — another pid — starts lower, so restarts never make a series look like a leak). Open fds move
// with every reconnection while faults run, so they are compared at two quiet points instead:
// every edge connected and streaming before the traffic, and after the final catch-up; the end
// may exceed the start by at most 8.
struct Flatness {
  bool flat = true;
  int64_t rss_first_kib = 0, rss_last_kib = 0;  // max of the first and last third
  int64_t fds_first = 0, fds_last = 0;          // at the quiet start and the quiet end
  int samples = 0;
};
Flatness JudgeFlat(const std::vector<ResourceSample>& samples, double run_s,
                   const std::optional<ResourceSample>& quiet_start,
                   const std::optional<ResourceSample>& quiet_end);

// One store's figures at one place: events stored and the KPIs made of the base measures.
struct StoreFigures {
  int64_t events = -1;          // -1: could not be read
  nlohmann::json kpis;          // the KPI row (by=total at the edge, by=store at central)
};

struct Mismatch {
  std::string store;
  std::string what;  // "events" or a KPI name
  std::string where;  // "central" or "edge"
  int64_t expected = 0, actual = 0;
};

// Compares central's and the edge's figures of each store with its ledger: the event count and
// every integer KPI that the base measures give (net_sales, units_sold, transactions, footfall…).
// `lost` and `doubled` count events missing or extra at central.
struct CheckResult {
  std::vector<Mismatch> mismatches;
  int64_t lost = 0, doubled = 0;
  int kpis_compared = 0;  // per store
};
CheckResult CompareTotals(const std::vector<std::string>& stores,
                          const std::vector<StoreLedger>& ledgers,
                          const std::vector<StoreFigures>& edges,
                          const std::vector<StoreFigures>& central);

// Events per store in an edge's database and in central's (read-only, daemons stopped).
int64_t CountEdgeEvents(const std::string& edge_db);
std::vector<int64_t> CountCentralEvents(const std::string& central_db,
                                        const std::vector<std::string>& stores);

}  // namespace storepulse::soak
