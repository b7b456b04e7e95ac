// Counters the edge exports on /metrics and /api/v1/status, by ingest path: every path (HTTP,
// ZeroMQ, the connectors) counts what the one ingest service did with its events. Lock-free;
// thread-safe.
#pragma once

#include <atomic>
#include <cstdint>

#include "edge/ingest_service.h"

namespace storepulse::edge {

// What one ingest path did with the events it received.
struct IngestCounts {
  std::atomic<int64_t> accepted{0};
  std::atomic<int64_t> duplicate{0};
  std::atomic<int64_t> rejected{0};
};

struct EdgeMetrics {
  IngestCounts http;       // POST /api/v1/events
  IngestCounts zmq;        // the ZeroMQ ingest endpoint
  IngestCounts connector;  // POST /api/v1/connectors/<name>
  std::atomic<int64_t> batches_refused{0};  // refused as a whole (malformed, disk full, I/O)
  std::atomic<int64_t> kpi_queries{0};

  // One batch's outcome on `path`: a batch that could not be stored counts as refused, its
  // invalid events as rejected, and nothing as accepted.
  void Count(IngestCounts& path, const IngestResult& result) {
    path.rejected += static_cast<int64_t>(result.rejected.size());
    if (!result.status.ok()) {
      ++batches_refused;
      return;
    }
    path.accepted += result.accepted;
    path.duplicate += result.duplicates;
  }
  // Over every path.
  int64_t accepted() const { return http.accepted + zmq.accepted + connector.accepted; }
  int64_t duplicate() const { return http.duplicate + zmq.duplicate + connector.duplicate; }
  int64_t rejected() const { return http.rejected + zmq.rejected + connector.rejected; }
};

}  // namespace storepulse::edge
