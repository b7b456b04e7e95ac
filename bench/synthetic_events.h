// Synthetic till traffic for the benchmarks: deterministic, realistic events (mostly sales of 1–4
// lines, some returns, footfall counts) with distinct ids ordered per till, as a POS writes them:
// "S1-till3-000123456". Event n of a till is the same on every call, so the reference, the edge
// ingest and the replication benches can store exactly the same rows. Stateless; thread-safe.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "common/event.h"

namespace storepulse::bench {

// Which events: `count` events n = first_n, first_n + 1, … of `till` at `store`, event n at
// first_ts_ms + (n - first_n) * step_ms.
struct EventRange {
  std::string store = "S1";
  int till = 1;
  int64_t first_n = 0;
  size_t count = 0;
  int64_t first_ts_ms = 0;
  int64_t step_ms = 1000;
};

// Event n of a till: ~88% sales, ~7% returns, ~5% footfall intervals.
common::Event MakeEvent(const std::string& store, int till, int64_t n, int64_t ts_ms);
std::vector<common::Event> MakeEvents(const EventRange& range);

// Rows as the edge stores them (EncodeStored bytes with the indexed columns), in one buffer so
// that millions of them fit in memory without a string each.
struct StoredRows {
  struct Row {
    int64_t ts_ms;
    int64_t value;  // gross sales value (sales), else 0
    size_t id_offset, id_size, body_offset, body_size;
  };
  std::string bytes;
  std::vector<Row> rows;

  void Add(const common::Event& event);
  std::string_view Id(const Row& row) const { return {bytes.data() + row.id_offset, row.id_size}; }
  std::string_view Body(const Row& row) const {
    return {bytes.data() + row.body_offset, row.body_size};
  }
};

}  // namespace storepulse::bench
