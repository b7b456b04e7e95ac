// Varied valid events for the view pass's tests: every type, so that every view moves — the
// channel measures, the employee and SKU breakdowns, stock (stock events range SKUs, sales and
// returns move them), the customer tables (sales by a small pool of customers over several days,
// so first purchases and day counts matter). Timestamps fall anywhere in the `days` days before
// `now_ms`, so most events arrive late for their day. Deterministic for a seed.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "common/event.h"

namespace storepulse::test_support {

// `count` events with ids prefix-0 … prefix-(count-1). Customers are "c1" … "c40" whatever the
// prefix, so that stores share customers (the network's first purchases).
std::vector<common::Event> MixedEvents(const std::string& prefix, int count, uint32_t seed,
                                       int64_t now_ms, int days = 4);

}  // namespace storepulse::test_support
