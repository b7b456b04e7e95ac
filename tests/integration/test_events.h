// Events for integration tests, with timestamps near now (the edge refuses events more than 24 h
// ahead) and ids unique per prefix.
#pragma once

#include <string>
#include <vector>

#include "common/event.h"

namespace storepulse::test_support {

int64_t NowMs();
// A store sale of `qty` units at `unit_price`, an hour ago, on channel `channel`.
common::Event Sale(const std::string& id, int64_t qty, int64_t unit_price,
                   common::Channel channel = common::Channel::kStore, int64_t ts_ms = 0);
// `count` sales with ids prefix-0 … prefix-(count-1) of 1 unit at 100 + i % 50 each.
std::vector<common::Event> Sales(const std::string& prefix, int count, int64_t ts_ms = 0);
// The stored encoding of each event, as an edge puts them in a replication batch.
std::vector<std::string> StoredBodies(const std::vector<common::Event>& events);
// Σ line values of `events`.
int64_t GrossValue(const std::vector<common::Event>& events);

}  // namespace storepulse::test_support
