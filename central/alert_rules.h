// The alert rules (SPEC §3, docs/OPERATIONS.md "Alerts"): what is wrong right now, from two
// snapshots — each store's KPIs over its local today, and the fleet as central sees it. A rule
// yields a Finding per store it fires for; AlertMonitor turns findings into alerts with a
// since-when. Pure functions over JSON answers (GET /api/v1/kpi?by=store, GET /api/v1/fleet), so
// tests feed canned inputs; thread-safe.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

namespace storepulse::central {

// Thresholds, with their defaults (also those of CentralConfig's --alert-* options).
struct AlertThresholds {
  double cc_warehouse_share = 0.5;      // above: click & collect not served from store stock
  double sfs_stock_cancel_rate = 0.05;  // above: the store's stock records are wrong
  double availability = 0.9;            // below: shelves running empty
  // A store the fleet view shows offline (silent longer than central's --online-window-s, given
  // here as offline_warning_s) is offline, warning; silent longer than offline_s, critical.
  int64_t offline_warning_s = 15;
  int64_t offline_s = 900;
  int64_t lag_s = 300;           // oldest event not yet at central older than this: warning…
  int64_t lag_critical_s = 3600;  // …and than this: critical (0: never critical)
  int64_t clock_skew_s = 120;           // edge clock further off central's
  int64_t disk_free_bytes = int64_t{2} << 30;  // edge disk free below this; 0: no rule
};

// One rule firing for one store.
struct Finding {
  std::string id;        // "<kind>/<store>" ("source_silent/<store>/<source kind>:<source id>"):
                         // the same while the condition lasts, whatever its severity
  std::string kind;      // cc_warehouse_share, sfs_stock_cancel_rate, availability,
                         // store_offline, replication_lag, clock_skew, disk_not_accepting,
                         // disk_low, stream_rollback, source_silent, day_differs,
                         // central_not_storing
  std::string store;
  std::string region;    // of the store (the fleet view's), for receivers' routing
  std::string severity;  // "critical" or "warning": decided here, nowhere else
  double value = 0;      // the figure that raised it
  double threshold = 0;
  std::string unit;      // "fraction", "seconds", "bytes" or "days"
  std::string message;   // what it means and what to do
  std::string source_kind;  // source_silent only: the till or counter ("till", "counter")…
  std::string source_id;    // …and its id
};

// True for the kinds KpiFindings yields (the others come from FleetFindings).
bool IsKpiAlertKind(std::string_view kind);

// `today` is a KPI answer by=store over each store's local today. A rule whose KPI is absent or
// null (nothing to divide by, or a KPI this version does not compute) does not fire.
std::vector<Finding> KpiFindings(const nlohmann::json& today, const AlertThresholds& thresholds);

// `fleet` is the fleet answer (central/fleet.h). `uptime_s`: how long central has been watching;
// a store never heard from counts as silent for that long. Lag, clock, disk and silent
// source rules read the last heartbeat and only fire while the store is online (else
// store_offline says it all). source_silent fires per till or counter the edge reports silent
// (its threshold and opening hours are the edge's: docs/CONNECTORS.md, "Source health").
// central_not_storing, of no store, reads `central.storage` (central/storage_state.h).
std::vector<Finding> FleetFindings(const nlohmann::json& fleet, const AlertThresholds& thresholds,
                                   int64_t uptime_s);

// 0 → "0s", 303 → "5m 3s", 7320 → "2h 2m", 90000 → "1d 1h".
std::string DescribeDuration(int64_t seconds);

}  // namespace storepulse::central
