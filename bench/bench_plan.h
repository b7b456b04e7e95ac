// How big each benchmark is: quick by default (a few minutes on a 2-core machine), --full for the
// sizes the goals of SPEC §8 are stated at. Plain values.
#pragma once

#include <cstddef>
#include <string>

namespace storepulse::bench {

struct Plan {
  bool full = false;
  std::string work_dir;  // scratch space for databases and logs; emptied before and after
  std::string cache_dir;  // what is kept between runs (the network history)
  std::string code_tag;   // the storage code's version, part of the cache's key

  // Edge ingest: producers × batches of `batch` events, `window` batches in flight each.
  size_t ingest_events = 512'000;  // per durability mode; also the reference's rows
  size_t http_events = 192'000;
  size_t producers = 4;
  size_t batch = 1000;
  size_t window = 4;

  // KPI queries on a year of history built with the edge's own EventStore.
  size_t kpi_events = 1'000'000;
  int kpi_queries = 400;  // per figure (day, month), after a warm-up

  // Network KPI queries at central on a history of `network_stores` stores × `network_days` local
  // days (bench/network_history.h), cached between runs.
  size_t network_stores = 100;
  int network_days = 33;
  size_t network_events_per_store_day = 620;
  int network_kpi_queries = 100;  // per grouping (total, region, store), after a warm-up…
  double network_kpi_budget_s = 20;  // …or fewer: a series stops after this once it has 10

  // Replication edge → central (CURVE, durability full on both sides).
  size_t replication_events = 200'000;
  size_t catchup_events = 200'000;

  // Central: many stores streaming a backlog at once, then a fleet of 1,000 small edges.
  size_t merge_stores = 20;
  size_t merge_events_per_store = 25'000;
  size_t fleet_edges = 1000;
  int fleet_seconds = 20;
  // 10 events/s per store: a busy hour of a store doing 200,000 events a day (SPEC §8), in
  // every store of the network at once — 10,000 events/s offered to central.
  size_t fleet_batch = 10;     // events per batch…
  int fleet_period_ms = 1000;  // …every this long, per edge

  // Connectors: each 4 MiB export, and its reference, posted to this many fresh edges (best run).
  int connector_runs = 3;
};

inline Plan MakePlan(bool full, std::string work_dir, std::string cache_dir,
                     std::string code_tag) {
  Plan plan;
  plan.full = full;
  plan.work_dir = std::move(work_dir);
  plan.cache_dir = std::move(cache_dir);
  plan.code_tag = std::move(code_tag);
  if (full) {
    plan.ingest_events = 2'048'000;
    plan.http_events = 512'000;
    plan.kpi_events = 10'000'000;
    plan.kpi_queries = 1000;
    plan.network_stores = 1000;  // 20.5 M events
    plan.network_kpi_queries = 200;
    plan.network_kpi_budget_s = 60;
    plan.replication_events = 1'000'000;
    plan.merge_events_per_store = 100'000;
    plan.fleet_seconds = 60;
    plan.connector_runs = 5;
  }
  return plan;
}

// The references measured in this run, shared by every figure compared with them.
struct References {
  double sqlite_full = 0;    // rows/s, synchronous=FULL
  double sqlite_normal = 0;  // rows/s, synchronous=NORMAL
};

}  // namespace storepulse::bench
