// An edge database with history, built directly through the edge's own EventStore (the daemon's
// schema, sequence numbers and KPI measures) in big transactions with durability normal — much
// faster than ingesting it, and what the KPI and replication benches start a daemon on.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

#include "common/status.h"

namespace storepulse::bench {

struct HistorySpec {
  std::string data_dir;
  std::string store = "S1";
  std::string timezone = "Europe/Paris";
  size_t events = 0;
  int64_t from_ms = 0;  // events spread evenly over [from_ms, to_ms)
  int64_t to_ms = 0;
  int tills = 8;  // event n comes from till 1 + n % tills
};

// Builds it; the seconds it took.
common::StatusOr<double> BuildHistory(const HistorySpec& spec);

}  // namespace storepulse::bench
