// The edge database: every accepted event with its gap-free sequence number, and the store's KPI
// measures, in one SQLite file (WAL). Owns the schema of the edge database (version 2; older
// files are upgraded on open, newer ones refused: edge/edge_schema.h):
//
//   meta(key TEXT PRIMARY KEY, value TEXT)   -- schema_version, incarnation, store, timezone,
//                                            -- views_folded_seq
//   events(seq INTEGER PRIMARY KEY,          -- 1, 2, 3, … without gaps, in commit order;
//                                            --   retention deletes the oldest (a prefix, never
//                                            --   the newest: edge/event_pruning.h)
//          id TEXT NOT NULL UNIQUE,          -- the producer's idempotency key
//          ts INTEGER NOT NULL,              -- event time, UTC ms
//          received INTEGER NOT NULL,        -- when the edge stored it, UTC ms
//          value INTEGER NOT NULL,           -- gross sales value (sales), else 0: backlog in money
//          body BLOB NOT NULL)               -- EncodeStored(event)
//   measures_15m, measures_day, dims_*       -- common/store/measure_table.h
//   stock, stock_day                         -- common/store/stock_table.h
//   customer_*                               -- common/store/customer_table.h, customer_link and
//                                               customer_channel: customer_identity.h
//
// The events table is the log; every other table is a view of it, kept by the view pass
// (common/store/view_pass.h, OpenViewPass) up to the watermark meta.views_folded_seq.
//
// The incarnation is a random 128-bit hex id made when the file is created: a reinstalled edge
// (new file) starts a new replication stream. A database found to have lost commits that central
// had acknowledged (restored backup, torn WAL, power cut with durability=normal) takes a new one
// too (StartNewIncarnation), and meta keeps the stream it left, when and why. Not thread-safe: one
// writer thread owns an EventStore; readers open their own read-only connections (OpenReadOnly).
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "common/event.h"
#include "common/status.h"
#include "common/store/view_pass.h"
#include "common/store/write_transaction.h"
#include "common/time_util.h"
#include "common/time_zone.h"
#include "edge/event_pruning.h"

namespace SQLite {
class Database;
}

namespace storepulse::edge {

enum class Durability { kFull, kNormal };  // PRAGMA synchronous

// What became of one event handed to Append.
struct AppendOutcome {
  bool duplicate = false;
  int64_t seq = 0;  // its sequence number when newly stored
};

struct StoreInfo {
  std::string incarnation;
  std::string store;
  std::string timezone;
  int64_t last_seq = 0;
  // Set once the database started a new stream after losing acknowledged commits.
  std::string previous_incarnation;
  int64_t incarnation_started_ms = 0;  // UTC ms
  std::string incarnation_reason;
};

class EventStore {
 public:
  // Opens or creates `<data_dir>/edge.db`. A database made for another store is refused; a
  // changed time zone is accepted and the day measures are rebuilt for it.
  static common::StatusOr<std::unique_ptr<EventStore>> Open(const std::string& data_dir,
                                                            const std::string& store,
                                                            const common::TimeZone& zone,
                                                            Durability durability);
  ~EventStore();
  EventStore(const EventStore&) = delete;
  EventStore& operator=(const EventStore&) = delete;

  class Group;
  // One write transaction around several Append calls (group commit): takes the write gate (the
  // view pass waits until the group ends) and begins the transaction. See Group below.
  // REQUIRES: no group open on this store.
  common::StatusOr<Group> BeginGroup();

  // Replaces the incarnation (a new replication stream, from seq 1) and records the old one, the
  // time and `reason` in meta, durably. REQUIRES: no group open.
  common::Status StartNewIncarnation(const std::string& reason, int64_t now_ms);
  // Retention: one PruneEvents step (edge/event_pruning.h) on this connection.
  // REQUIRES: no group open.
  common::StatusOr<PruneStep> Prune(int64_t max_seq, int64_t older_than_ms, size_t max_rows);
  // Runs `write` on this connection under the write gate: the reference documents
  // (edge/reference_store.h), each stored in a transaction of its own. REQUIRES: no group open.
  common::Status WriteReference(const std::function<common::Status(SQLite::Database&)>& write);

  // The view pass of this database, on a connection of its own, sharing the write gate with the
  // groups. The caller starts and stops it, and tells it of each commit.
  common::StatusOr<std::unique_ptr<common::ViewPass>> OpenViewPass(
      const common::Clock& clock, common::ViewPassOptions options);

  const StoreInfo& info() const { return info_; }
  const std::string& path() const { return path_; }

 private:
  EventStore(std::unique_ptr<SQLite::Database> db, std::string path, Durability durability,
             const common::TimeZone& zone);
  common::Status LoadOrInitMeta(const std::string& store);
  common::Status Append(const std::vector<common::Event>& events, int64_t received_ms,
                        std::vector<AppendOutcome>* outcomes);
  std::string GetMeta(const char* key);
  void SetMeta(const char* key, const std::string& value);

  std::unique_ptr<SQLite::Database> db_;
  struct Statements;
  std::unique_ptr<Statements> statements_;
  std::string path_;
  Durability durability_;
  common::TimeZone zone_;
  std::mutex write_gate_;  // held by a Group while it lives, and by the view pass
  StoreInfo info_;
  int64_t committed_seq_ = 0;  // info_.last_seq rolls back to this
  std::string body_;  // reused encoding buffer
};

// The write transaction of one group commit (EventStore::BeginGroup). It holds the write gate and
// the transaction; Commit() makes every Append durable and releases both. Ending any other way —
// an error, an early return, an exception, a failed Commit — rolls the appends back with their
// sequence numbers (the next group numbers from the last committed seq) and releases the gate.
// Move-only; on the store's writer thread; the store must outlive it.
class EventStore::Group {
 public:
  Group(Group&& other) noexcept;
  Group& operator=(Group&&) = delete;
  Group(const Group&) = delete;
  Group& operator=(const Group&) = delete;
  ~Group();  // rolls back unless committed; never throws

  // Stores each new event (skipping ids already stored, in the database or earlier in this
  // group) with the next sequence number. The views follow after the commit (the view pass).
  // REQUIRES: open (neither committed nor failed to commit).
  [[nodiscard]] common::Status Append(const std::vector<common::Event>& events, int64_t received_ms,
                                      std::vector<AppendOutcome>* outcomes);
  // ResourceExhausted when the disk is full (common/store/sqlite_errors.h), then rolled back.
  [[nodiscard]] common::Status Commit();

 private:
  friend class EventStore;
  Group(EventStore& store, std::unique_lock<std::mutex> gate, common::WriteTransaction transaction);
  void End() noexcept;  // forgets the uncommitted seqs, rolls back, releases the gate

  EventStore* store_;  // null once ended or moved from
  // Members end in reverse order: the transaction first, then the gate it was taken under.
  std::unique_lock<std::mutex> gate_;
  common::WriteTransaction transaction_;
};

// The database file in a data directory.
std::string EdgeDatabasePath(const std::string& data_dir);

// Read-only access to an edge database, for KPI queries and the CLI while the daemon is stopped.
// A file of another schema version is refused (common/store/schema_version.h,
// CheckSchemaReadable): FailedPrecondition saying what to do.
common::StatusOr<std::unique_ptr<SQLite::Database>> OpenReadOnly(const std::string& data_dir);
common::StatusOr<StoreInfo> ReadStoreInfo(SQLite::Database& db);
// Calls `visit` for every stored event in sequence order (recomputation, replication, tests):
// the events retention pruned are not visited (the first seq visited may be above after_seq + 1).
common::Status ForEachEvent(SQLite::Database& db, int64_t after_seq,
                            const std::function<void(int64_t seq, const common::Event&)>& visit);

// Replication reads: up to `max_events` stored bodies (and roughly `max_bytes`) of consecutive
// seqs from `first_seq` on — or, when retention pruned `first_seq`, from the first seq kept after
// it. Returns the seq of the first body read (`first_seq` when nothing was pruned or none is read).
common::StatusOr<int64_t> ReadBodies(SQLite::Database& db, int64_t first_seq, size_t max_events,
                                     size_t max_bytes, std::vector<std::string>* bodies);

// What is stored but not yet acknowledged by central.
struct Backlog {
  int64_t events = 0;
  int64_t value = 0;               // gross sales value, minor units
  int64_t oldest_received_ms = 0;  // when the oldest of them was stored; 0 when none
};
common::StatusOr<Backlog> ReadBacklog(SQLite::Database& db, int64_t acked_seq);

}  // namespace storepulse::edge
