// Central's end of the reference documents' downlink (docs/PROTOCOL.md, "Reference documents") as
// decisions without a socket: which document each edge lacks and what to send it — a delta when
// the edge holds a version the DocumentBoard still keeps (Find), a snapshot otherwise (nothing
// held, a version central does not know: an edge newer than a central restored from a backup, or
// a delta the edge refused) — cut into parts of bounded size (part_bytes, part_rows) and paced:
// one document in flight per edge and kind, at most max_in_flight documents in flight over every
// edge (sent, or sent and waiting for their ack), a few parts per edge and step, a byte budget per
// step for all edges. A document whose ack has not come ack_timeout_ms after its last part is sent
// again from part 0; a refused snapshot waits ack_timeout_ms before the next attempt.
//
// Only an edge whose heartbeat carries `documents` gets any (an older edge sends none and is
// never sent a document). What an edge holds is what its heartbeat and its acks say, in the order
// they arrive on its connection. One connection per store: the store's latest (a heartbeat from a
// new ROUTER peer id replaces the old connection, which gets nothing more: a dead connection is
// not fed until forgotten); a store silent for forget_after_ms is forgotten.
//
// Not thread-safe: the replication server's thread calls everything; counters() from any thread.
#pragma once

#include <atomic>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "central/document_board.h"
#include "common/protocol/messages.h"

namespace storepulse::central {

struct DocumentSenderOptions {
  size_t part_bytes = 256 << 10;  // about this many bytes of rows in one part…
  size_t part_rows = 2000;        // …and at most this many rows (≤ wire::kMaxDocumentPartRows)
  int parts_per_step = 4;         // per edge and kind in one step
  int64_t step_bytes = 4 << 20;   // for every edge together in one step
  int64_t ack_timeout_ms = 30'000;
  // Documents being sent or waiting for their ack, over every edge: what ZeroMQ may queue for
  // slow links is at most this many documents (16 × a 10 MB catalogue: 160 MB).
  int64_t max_in_flight = 16;
  int64_t forget_after_ms = 30'000;  // 6 heartbeats missed
};

// Since central started; for /metrics.
struct DocumentSenderCounters {
  std::map<std::string, int64_t> documents_sent;  // by kind: documents whose last part went
  std::map<std::string, int64_t> bytes_sent;      // by kind: row bytes in parts
  std::map<std::string, int64_t> snapshots;       // by kind: documents begun whole
  std::map<std::string, int64_t> deltas;          // by kind: documents begun as the changed rows
  int64_t resends = 0;                            // documents sent again after an ack timeout
  int64_t refused = 0;                            // acks that refused a document
};

class DocumentSender {
 public:
  // `board` must outlive the sender.
  DocumentSender(const DocumentBoard& board, DocumentSenderOptions options);

  // A valid heartbeat of `store` on connection `peer`: with `documents`, the edge takes them.
  void OnHeartbeat(const std::string& peer, const std::string& store,
                   const std::optional<std::map<std::string, std::string>>& documents,
                   int64_t now_ms);
  // A valid ack of `store` on `peer`.
  void OnAck(const std::string& peer, const std::string& store,
             const common::wire::DocumentAck& ack, int64_t now_ms);
  // A hello of `store` on `peer`: a new session; what was in flight for the store is forgotten.
  void OnHello(const std::string& peer, const std::string& store);

  // The parts to send now, in order, each with its peer.
  std::vector<std::pair<std::string, common::wire::Document>> Step(int64_t now_ms);
  // Something is being sent (the server then steps often).
  bool busy() const { return busy_; }

  DocumentSenderCounters counters() const;

 private:
  struct Sending {
    std::string version;
    std::string base_version;                          // "" for a snapshot
    std::shared_ptr<const common::DocumentRows> rows;  // the snapshot, or the delta's upserts
    std::shared_ptr<const std::vector<std::string>> removals;
    common::DocumentRows::const_iterator next_row;
    size_t next_removal = 0;
    int64_t part = 0;
    bool all_sent = false;
    int64_t last_sent_ms = 0;
  };
  struct Edge {
    std::string store;
    std::string peer;  // its connection: the ROUTER identity of its latest heartbeat
    int64_t last_seen_ms = 0;
    std::map<std::string, std::string> held;    // kind → version
    std::map<std::string, Sending> sending;     // kind → the document in flight
    std::map<std::string, int64_t> wait_until;  // kind → no new attempt before (a refusal)
    std::map<std::string, bool> snapshot_only;  // kind → a delta was refused: snapshots only
  };
  // Starts sending the current version of `kind` to `edge`.
  void Begin(Edge& edge, const std::string& kind, const PublishedDocument& current);
  // The next part of `sending`; advances it.
  common::wire::Document NextPart(const std::string& kind, Sending& sending, int64_t* bytes);

  const DocumentBoard& board_;
  const DocumentSenderOptions options_;
  std::map<std::string, Edge> edges_;  // by store
  std::string last_served_;            // the store served last: the next step starts after it
  bool busy_ = false;
  mutable std::mutex counters_mu_;
  DocumentSenderCounters counters_;  // guarded by counters_mu_
};

}  // namespace storepulse::central
