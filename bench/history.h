// An edge database with history, built directly through the edge's own EventStore (the daemon's
// schema and sequence numbers) in big transactions with durability normal, folded into the views
// by the edge's own view pass as it is written — much faster than ingesting it, and what the KPI
// and replication benches start a daemon on. The same
// events make central's network history (bench/network_history.h).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

#include "common/event.h"
#include "common/status.h"
#include "common/store/view_pass.h"

namespace storepulse::bench {

struct HistorySpec {
  std::string data_dir;
  std::string store = "S1";
  std::string timezone = "Europe/Paris";
  size_t events = 0;
  int64_t from_ms = 0;  // events spread evenly over [from_ms, to_ms)
  int64_t to_ms = 0;
  int tills = 8;  // event n comes from till 1 + n % tills
  // 0: identified customers come from MakeEvent's one pool of 200,000 ids (one store's history);
  // else from this many ids of the store's own ("S0001-C123"), as in a network where customers
  // shop at their store.
  size_t customer_pool = 0;
};

// Event n (0-based) of the history: the same on every call.
common::Event HistoryEvent(const HistorySpec& spec, size_t n);

// Views as a history is built: the writer waits for the pass (both cores busy, a bounded tail).
common::ViewPassOptions HistoryViewOptions();
// Folds the log up to `log_end` (waiting up to an hour), stops the pass; Internal when an event
// was left out of the views.
common::Status FoldEverything(common::ViewPass& views, int64_t log_end);

// Builds it, the views folded up to its last event (a daemon started on it has nothing pending);
// the seconds it took.
common::StatusOr<double> BuildHistory(const HistorySpec& spec);

}  // namespace storepulse::bench
