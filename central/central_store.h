// The central database: every replicated event once, the merged KPI measures of every store, and
// each stream's position. Owns the schema of the central database (version 2; older files are
// upgraded on open, newer ones refused: central/central_schema.h):
//
//   meta(key TEXT PRIMARY KEY, value TEXT)                 -- schema_version, views_folded_rowid
//   streams(store TEXT, incarnation TEXT, acked_seq INTEGER, first_seen INTEGER,
//           last_applied INTEGER, PRIMARY KEY(store, incarnation))
//   events(store TEXT, incarnation TEXT, seq INTEGER, id TEXT, ts INTEGER, body BLOB,
//          UNIQUE(store, id))                             -- rowid table, append order
//   measures_15m, measures_day, dims_*                     -- common/store/measure_table.h
//   stock, stock_day                                       -- common/store/stock_table.h
//   customer_*                                             -- common/store/customer_table.h
// The events table is the log; every other table is a view of it, kept by the view pass
// (common/store/view_pass.h, OpenViewPass) up to the watermark meta.views_folded_rowid.
//
// Exactly once: a stream's events are applied in seq order and its acked_seq moves in the same
// transaction, so a replayed or overlapping batch skips what is at or below acked_seq; an id
// already stored for the store (say, resent to a reinstalled edge) is kept out of the measures.
// Never backwards silently: every skipped event's id must be stored already, and not at another
// seq of the same stream; otherwise the edge's stream diverged (it lost commits and reused their
// seqs) and the whole batch is refused, since skipping would lose those events.
// Retention: a batch whose edge pruned the seqs before it (pruned_to) is no gap; the position
// moves past them (a new incarnation holds them from its earlier stream).
// One writer thread owns a CentralStore; only AckedSeq and Streams may be called from others.
#pragma once

#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

#include "common/event.h"
#include "common/status.h"
#include "common/store/customer_backfill.h"
#include "common/store/view_pass.h"
#include "common/store/write_transaction.h"
#include "common/time_util.h"
#include "common/time_zone.h"

namespace SQLite {
class Database;
}

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
};

struct ApplyOutcome {
  int64_t acked_seq = 0;  // the stream's position after the batch
  int64_t applied = 0;    // events newly counted
  int64_t skipped = 0;    // replays and ids already stored
  bool gap = false;       // first_seq was beyond acked_seq + 1: nothing applied
  int64_t passed_pruned = 0;  // seqs the position moved past, never received: the edge pruned them
  std::string diverged;   // why the batch contradicts what is stored: nothing applied
};

class CentralStore {
 public:
  static common::StatusOr<std::unique_ptr<CentralStore>> Open(const std::string& data_dir,
                                                              bool durable_full);
  ~CentralStore();
  CentralStore(const CentralStore&) = delete;
  CentralStore& operator=(const CentralStore&) = delete;

  class Group;
  // One write transaction around several Apply calls (group commit): takes the write gate (the
  // view pass waits until the group ends) and begins the transaction. See Group below.
  // REQUIRES: no group open on this store.
  common::StatusOr<Group> BeginGroup();
  // The last position of the log (events rowid) as of the last commit.
  int64_t log_end() const { return log_end_; }

  // Fills the views a database of an older version lacks, from the tables it has: the customer
  // views from the exact customer tables (0.1.0; common/store/customer_backfill.h), the region
  // and network day measures from the stores' (schema 2; common/store/scope_measures.h); nothing
  // when they are there. Before the view pass starts.
  common::Status FillViews(const std::vector<common::CustomerStore>& stores);

  // The view pass of this database, on a connection of its own, sharing the write gate with
  // the groups; `resolve` gives each store's zone and region (the stores file).
  common::StatusOr<std::unique_ptr<common::ViewPass>> OpenViewPass(
      common::StoreResolver resolve, const common::Clock& clock, common::ViewPassOptions options);

  // Committed position of a stream (0 for a new one). Thread-safe.
  int64_t AckedSeq(const StreamKey& stream) const;
  // Every committed stream position. Thread-safe.
  std::map<StreamKey, int64_t> Streams() const;
  const std::string& path() const { return path_; }

 private:
  CentralStore(std::unique_ptr<SQLite::Database> db, std::string path);
  common::Status Init();
  common::StatusOr<ApplyOutcome> Apply(const StreamBatch& batch, int64_t now_ms);
  // Empty when every event of `batch` at or below `acked` is one central stored; else why not.
  common::StatusOr<std::string> CheckSkipped(const StreamBatch& batch, int64_t acked);

  std::unique_ptr<SQLite::Database> db_;
  struct Statements;
  std::unique_ptr<Statements> statements_;
  std::string path_;
  mutable std::mutex mu_;
  std::map<StreamKey, int64_t> committed_;  // positions as of the last commit; guarded by mu_
  std::map<StreamKey, int64_t> pending_;    // positions inside the open transaction
  std::string body_;
  int64_t log_end_ = 0;          // the events' last rowid as of the last commit
  int64_t pending_log_end_ = 0;  // … inside the open transaction
  std::mutex write_gate_;        // held by a Group while it lives, and by the view pass
};

// The write transaction of one group commit (CentralStore::BeginGroup). It holds the write gate
// and the transaction; Commit() makes every Apply durable — events and stream positions — and
// releases both. Ending any other way — an error, an early return, an exception, a failed
// Commit — rolls the group back (the positions stay as last committed) and releases the gate.
// Move-only; on the store's writer thread; the store must outlive it.
class CentralStore::Group {
 public:
  Group(Group&& other) noexcept;
  Group& operator=(Group&&) = delete;
  Group(const Group&) = delete;
  Group& operator=(const Group&) = delete;
  ~Group();  // rolls back unless committed; never throws

  // Stores the batch's new events and moves the stream's position. The views follow after the
  // commit (the view pass). REQUIRES: open (neither committed nor failed to commit).
  common::StatusOr<ApplyOutcome> Apply(const StreamBatch& batch, int64_t now_ms);
  // ResourceExhausted when the disk is full (common/store/sqlite_errors.h), then rolled back.
  [[nodiscard]] common::Status Commit();

 private:
  friend class CentralStore;
  Group(CentralStore& store, std::unique_lock<std::mutex> gate,
        common::WriteTransaction transaction);
  void End() noexcept;  // forgets the uncommitted positions, rolls back, releases the gate

  CentralStore* store_;  // null once ended or moved from
  // Members end in reverse order: the transaction first, then the gate it was taken under.
  std::unique_lock<std::mutex> gate_;
  common::WriteTransaction transaction_;
};

std::string CentralDatabasePath(const std::string& data_dir);

// Before reading central.db on a read connection of its own (`db`, opened on its path): refuses a
// file of another schema version (common/store/schema_version.h, CheckSchemaReadable) rather
// than misread it. Central's own start checked its file already: its per-request reads pay only a
// set lookup. Thread-safe.
common::Status CheckReadable(SQLite::Database& db);

// Per store, when central last applied a batch of it (the latest over its streams), in central's
// clock, UTC ms: how fresh central's view of the store is. Any connection to central.db.
common::StatusOr<std::map<std::string, int64_t>> ReadLastApplied(SQLite::Database& db);

}  // namespace storepulse::central
