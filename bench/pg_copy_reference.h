// The reference of the central-on-PostgreSQL figures, measured in the same run on the same
// server: COPY of the rows central stores for the central_merge load — (store, incarnation, seq,
// id, ts, body bytea), the body the same EncodeStored bytes of the same events — into a table that
// has only a primary key (store, incarnation, seq): no UNIQUE(store, id), no staging table, no
// stream positions, no advisory lock. One connection; each COPY of `rows_per_transaction` rows is
// its own transaction (synchronous_commit on, as the server is set). The rows come in the order
// the load sends them (a batch of each store in turn) and their COPY text is made before the
// clock starts: this is the rate at which the server takes these bytes, the limit.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "bench/pg_server.h"
#include "common/status.h"

namespace storepulse::bench {

struct PgCopyOptions {
  size_t stores = 20;  // S0001, S0002, …, as the load's
  size_t events_per_store = 25'000;
  size_t batch = 2000;  // the load's batch: rows of one store in turn
  size_t rows_per_transaction = 10'000;
  int runs = 3;  // the best run is the reference (the limit)
};

struct PgCopyResult {
  double rows_per_s = 0;  // of the best run
  std::vector<double> runs_rows_per_s;
  double wal_bytes_per_row = 0;  // of the best run
  double server_cpu_s = 0;       // of the best run: the server's processes
  double body_bytes_per_row = 0;
};

// Each run into a fresh table in `database` (which must exist) on `server`.
common::StatusOr<PgCopyResult> MeasurePgCopy(PgServer& server, const std::string& database,
                                             const PgCopyOptions& options);

}  // namespace storepulse::bench
