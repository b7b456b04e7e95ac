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
//                                                             (links, channels:
//                                                             customer_identity.h)
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
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "central/batch_plan.h"
#include "central/log_store.h"
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

// One stream's rows of the log of record past a read model's position (central/log_follower.h).
struct LogRow {
  int64_t seq = 0;
  std::string id;
  int64_t ts_ms = 0;
  std::string body;  // the stored encoding (common/event_codec.h, AppendStored)
};
struct MirroredStream {
  StreamKey stream;
  std::vector<LogRow> rows;  // in seq order
  int64_t acked_seq = 0;     // the record's position, once these rows are stored
  int64_t first_seen = 0;
  int64_t last_applied = 0;
};

class CentralStore final : public LogStore {
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

  // LogStore: one group (BeginGroup … Commit).
  common::Status ApplyGroup(const std::vector<const StreamBatch*>& batches, int64_t now_ms,
                            std::vector<ApplyOutcome>* outcomes) override;
  // Committed position of a stream (0 for a new one). Thread-safe.
  int64_t AckedSeq(const StreamKey& stream) const override;
  // Every committed stream position. Thread-safe.
  std::map<StreamKey, int64_t> Streams() const;
  const std::string& path() const { return path_; }
  // A value of the meta table ("" when absent), and setting one (its own transaction). From the
  // thread that writes the groups.
  common::StatusOr<std::string> ReadMeta(const std::string& key);
  common::Status WriteMeta(const std::string& key, const std::string& value);

 private:
  CentralStore(std::unique_ptr<SQLite::Database> db, std::string path);
  common::Status Init();
  common::StatusOr<ApplyOutcome> Apply(const StreamBatch& batch, int64_t now_ms);
  // True when stored, false when the store's id was stored already. Throws SQLite::Exception.
  bool InsertEvent(const StreamKey& stream, int64_t seq, const std::string& id, int64_t ts_ms,
                   const std::string& body);
  void SetPosition(const StreamKey& stream, int64_t acked, int64_t first_seen,
                   int64_t last_applied);
  common::StatusOr<std::optional<StoredAt>> FindStored(const std::string& store,
                                                       const std::string& id);

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
  // Stores what the log of record (PostgreSQL) holds for a stream past this file's position, as
  // it is there, and sets the position to the record's (central/log_follower.h). REQUIRES: open.
  common::Status Mirror(const MirroredStream& mirrored);
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
