// The store of record of the replicated log — what central acknowledges to the edges: central.db
// (central/central_store.h, the embedded default) or PostgreSQL (central/pg_log.h, several
// centrals at once). Both keep the same promise: a stream's events are applied in seq order and
// its position moves in the same transaction, so a replayed or overlapping batch skips what is at
// or below the position, and an event id already stored for the store is kept once.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "common/event.h"
#include "common/status.h"
#include "common/time_zone.h"

namespace storepulse::central {

struct StreamKey {
  std::string store;
  std::string incarnation;
  auto operator<=>(const StreamKey&) const = default;
};

// Events of one stream from first_seq on, contiguous, already decoded.
struct StreamBatch {
  StreamKey stream;
  int64_t first_seq = 0;
  std::vector<common::Event> events;
  int64_t pruned_to = 0;  // the edge no longer holds seqs up to this (retention): move past them
  // The store's zone, which books its events to local days (PostgreSQL's day tables): not owned,
  // kept alive by the submitter until the batch is applied. Required by PgLog.
  const common::TimeZone* zone = nullptr;
};

struct ApplyOutcome {
  int64_t acked_seq = 0;  // the stream's position after the batch
  int64_t applied = 0;    // events newly counted
  int64_t skipped = 0;    // replays and ids already stored
  bool gap = false;       // first_seq was beyond acked_seq + 1: nothing applied
  int64_t passed_pruned = 0;  // seqs the position moved past, never received: the edge pruned them
  std::string diverged;   // why the batch contradicts what is stored: nothing applied
  bool busy = false;      // another central is applying this store's stream: nothing applied
};

class LogStore {
 public:
  virtual ~LogStore() = default;
  // Applies `batches` in one transaction (a group commit): on success `outcomes` holds one
  // outcome per batch, in order, each durable. On an error nothing of the group is applied.
  // ResourceExhausted when the disk is full. The applier's thread only.
  virtual common::Status ApplyGroup(const std::vector<const StreamBatch*>& batches,
                                    int64_t now_ms, std::vector<ApplyOutcome>* outcomes) = 0;
  // Committed position of a stream (0 for a new one). Thread-safe.
  virtual int64_t AckedSeq(const StreamKey& stream) const = 0;
  // The same, read from the database now; nothing when it cannot be read (AckedSeq then answers
  // the last position seen). Thread-safe.
  virtual std::optional<int64_t> FreshAckedSeq(const StreamKey& stream) const {
    return AckedSeq(stream);
  }
};

}  // namespace storepulse::central
