// What the store simulator plays: which store (SimStore) and the shape of its traffic
// (SimOptions), each field with its default. docs/SIMULATOR.md describes the distributions these
// feed. Plain values.
#pragma once

#include <array>
#include <cstdint>
#include <string>

#include "common/time_zone.h"

namespace storepulse::common {

// Local opening hours of each weekday, Monday first, in minutes after local midnight. A day with
// open == close is closed. Only whole quarter-hours of opening count for footfall and store sales.
struct OpeningHours {
  std::array<int, 7> open_min = {540, 540, 540, 540, 540, 540, 600};          // 09:00, Sunday 10:00
  std::array<int, 7> close_min = {1200, 1200, 1200, 1200, 1200, 1200, 1080};  // 20:00, Sun 18:00
};

struct SimStore {
  std::string store;   // store id, 1–40 bytes: event ids are "<store>-<13 digits>" (≤ 64 bytes)
  TimeZone zone;       // the store's IANA zone: opening hours and the diurnal curve are local
  double size = 1.0;   // relative traffic, 1.0 = an average store; (0, 1000]
  uint64_t seed = 42;  // same (store, seed) → same events
};

struct SimOptions {
  // The chain's catalogue: the same SKUs, prices and popularity in every store that uses the same
  // three values (so network stock and top_skus line up across stores).
  int catalogue_size = 500;  // SKUs "SKU-00001"…; 1–100000
  uint64_t catalogue_seed = 1;
  double sku_zipf_exponent = 1.0;  // popularity of the r-th best seller ∝ 1 / r^s
  int64_t min_price = 100;         // unit prices in minor units, in [min, max], mostly cheap
  int64_t max_price = 20'000;

  int employees = 20;                 // "<store>-E01"…; about 40% of them on the floor per shift
  int customers = 3'000;              // the store's own known customers (× size)
  double daily_visitors = 1'500;      // footfall in on an average open day at size 1.0
  double conversion = 0.24;           // mean in-store sales per visitor (varies by day and slot)
  double identified_share = 0.30;     // store sales with a loyalty id (online ones always have one)
  double new_customer_share = 0.10;   // identified sales by a first-time customer
  double return_rate = 0.08;          // returns per sale (all channels), handled at the tills
  double web_return_share = 0.30;     // returns of a web or mobile purchase
  double online_share = 0.12;         // web + mobile sales per store sale
  double click_collect_share = 0.05;  // click & collect orders per store sale
  double ship_from_store_share = 0.03;  // ship-from-store orders per store sale
  double feedback_share = 0.04;         // feedback answers per sale

  OpeningHours hours;
  bool closed_on_holidays = true;  // closed on 1 January, 1 May and 25 December
  bool set_store_field = true;     // events carry "store" (the edge checks it is its own)
};

}  // namespace storepulse::common
