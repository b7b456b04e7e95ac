// The edge's end of the reference documents' downlink (docs/PROTOCOL.md, "Reference documents") as
// decisions without a socket or a database: central sends each version of a document in parts
// (wire::Document, numbered from 0, the last one flagged); the receiver stages them in memory and
// hands the whole document to its sink — a snapshot or a delta, stored by the sink in one
// transaction (edge/reference_store.h) — when the last part arrives, then answers the DocumentAck
// to send. A part of another version, or out of order, drops what was staged (central resends the
// whole document after its timeout): a document is stored whole or not at all.
//
// What an edge accepts is bounded (DocumentLimits: bytes, rows and parts staged for one
// document); a document beyond a bound, a row that is not JSON, a delta the sink refuses (not onto
// the version held, or not giving the version named) is refused: logged, shown in the status, and
// acknowledged with the version still held and the reason, so that central sends a snapshot (or
// waits). Never a crash.
//
// Not thread-safe: the replicator's thread calls everything; it publishes status() to others.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>

#include "common/protocol/messages.h"
#include "common/reference/reference_document.h"
#include "common/status.h"

namespace storepulse::edge {

struct DocumentLimits {
  int64_t max_bytes = 64 << 20;  // keys and row texts staged for one document (~10 MB: 100k SKUs)
  int64_t max_rows = 1'000'000;  // rows and removals staged for one document
  int64_t max_parts = 10'000;    // parts of one document
};

// Where whole documents go: edge/reference_store.h on the edge's writer (one transaction each).
class DocumentSink {
 public:
  virtual ~DocumentSink() = default;
  virtual common::Status StoreSnapshot(const std::string& kind, const std::string& version,
                                       const common::DocumentRows& rows) = 0;
  virtual common::Status StoreDelta(const std::string& kind, const std::string& base_version,
                                    const std::string& version,
                                    const common::DocumentDelta& delta) = 0;
};

// What the receiver did since the daemon started; shown in /api/v1/status and /metrics.
struct DocumentReceiverStatus {
  int64_t stored = 0;        // versions stored (snapshots and deltas; a resend of one held counts)
  int64_t refused = 0;       // documents refused
  int64_t restarts = 0;      // stagings dropped: a part of another version or out of order
  std::string last_refusal;  // "" when none
  int64_t last_refusal_ms = 0;
};

class DocumentReceiver {
 public:
  // `held`: kind → version of what the edge's database holds (ReadHeldVersions).
  DocumentReceiver(DocumentLimits limits, std::map<std::string, std::string> held);

  // One part from central. The ack to send when it was the last part of a document (stored or
  // refused), or when the part itself is refused; nothing while the document is incomplete.
  std::optional<common::wire::DocumentAck> OnDocument(const common::wire::Document& part,
                                                      DocumentSink& sink, int64_t now_ms);
  // The connection is gone: what was staged is dropped (central starts again from part 0).
  void Reset() { staging_.clear(); }

  // kind → version held, for the heartbeat.
  const std::map<std::string, std::string>& held() const { return held_; }
  const DocumentReceiverStatus& status() const { return status_; }
  // Bytes staged now (all kinds), for tests and the status.
  int64_t staged_bytes() const;

 private:
  struct Staging {
    std::string version;
    std::string base_version;
    int64_t next_part = 0;
    int64_t bytes = 0;
    common::DocumentRows rows;
    std::vector<std::string> removals;
  };
  common::wire::DocumentAck Refuse(const std::string& kind, const std::string& version,
                                   const std::string& why, int64_t now_ms);

  const DocumentLimits limits_;
  std::map<std::string, std::string> held_;
  std::map<std::string, Staging> staging_;  // by kind: at most one version each
  DocumentReceiverStatus status_;
};

}  // namespace storepulse::edge
