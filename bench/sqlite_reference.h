// The reference every storage figure is compared with, measured in the same run: plain batched
// INSERTs (10,000 rows a transaction) of the same stored rows into a table that has only an
// INTEGER PRIMARY KEY — no UNIQUE index, no KPI measures — in WAL mode with the same synchronous
// setting. It is the rate SQLite itself allows on this disk for these bytes: the limit.
#pragma once

#include <string>

#include "bench/synthetic_events.h"
#include "common/status.h"

namespace storepulse::bench {

struct ReferenceOptions {
  bool synchronous_full = true;     // PRAGMA synchronous=FULL, else NORMAL
  size_t rows_per_transaction = 10'000;
  int runs = 3;                     // the best run is the reference (the limit)
};

// Rows per second of the best run, each run into a fresh database in `dir`.
common::StatusOr<double> MeasureSqliteInsert(const std::string& dir, const StoredRows& rows,
                                             const ReferenceOptions& options);

}  // namespace storepulse::bench
