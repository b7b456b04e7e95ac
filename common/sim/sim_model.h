// Everything the simulator's generators share about one simulated store: its identity and zone,
// the catalogue, staff, tills and doors, and the expected traffic of an average day. Built once by
// StoreSimulator::Create; immutable afterwards and thread-safe to share.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "common/sim/catalogue.h"
#include "common/sim/sim_options.h"
#include "common/time_zone.h"

namespace storepulse::common::sim {

inline constexpr size_t kMaxDoors = 4;

struct SimModel {
  // REQUIRES: the values StoreSimulator::Create checks (store id length, size, options ranges).
  SimModel(const SimStore& store, const SimOptions& options);

  std::string store;      // "S1"
  std::string id_prefix;  // "S1-": every event, transaction and order id starts with it
  TimeZone zone;
  double size;
  uint64_t key;  // base key of every stream of this (store, seed)
  SimOptions options;
  Catalogue catalogue;

  std::vector<std::string> employees;  // "S1-E01"…
  std::vector<std::string> tills;      // "S1-T1"…
  std::vector<std::string> doors;      // people counters "S1-door-1"…
  std::vector<double> door_shares;     // share of the visitors counted by each door; sums to 1
  int64_t customer_base;               // known customers of the store

  // Expected on an average day (the weekday and day factors move actual days around these).
  double visitors_per_day;
  double store_sales_per_day;
  double online_sales_per_day;  // web + mobile
  double cc_orders_per_day;
  double sfs_orders_per_day;
  double units_per_day;  // units sold over all channels
};

}  // namespace storepulse::common::sim
