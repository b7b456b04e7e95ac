#include "central/central_store.h"

#include <SQLiteCpp/SQLiteCpp.h>

#include <algorithm>
#include <filesystem>
#include <utility>

#include "central/batch_plan.h"
#include "central/central_schema.h"
#include "common/event_codec.h"
#include "common/kpi/measures.h"
#include "common/log.h"
#include "common/store/customer_views.h"
#include "common/store/derived_tables.h"
#include "common/store/event_log.h"
#include "common/store/schema_version.h"
#include "common/store/scope_measures.h"
#include "common/store/sqlite_errors.h"
#include "common/store/statement_use.h"
#include "common/store/wal.h"
#include "common/store/write_transaction.h"

namespace storepulse::central {

using common::Status;
using common::StatusOr;

struct CentralStore::Statements {
  explicit Statements(SQLite::Database& db)
      : insert(db,
               "INSERT INTO events(store, incarnation, seq, id, ts, body) VALUES(?, ?, ?, ?, ?, ?) "
               "ON CONFLICT(store, id) DO NOTHING"),
        position(db,
                 "INSERT INTO streams(store, incarnation, acked_seq, first_seen, last_applied) "
                 "VALUES(?, ?, ?, ?, ?) ON CONFLICT DO UPDATE SET acked_seq = excluded.acked_seq, "
                 "last_applied = excluded.last_applied"),
        stored_at(db, "SELECT incarnation, seq FROM events WHERE store = ? AND id = ?") {}
  SQLite::Statement insert;
  SQLite::Statement position;
  SQLite::Statement stored_at;
};

std::string CentralDatabasePath(const std::string& data_dir) {
  return (std::filesystem::path(data_dir) / "central.db").string();
}

StatusOr<std::unique_ptr<CentralStore>> CentralStore::Open(const std::string& data_dir,
                                                           bool durable_full) {
  std::string path = CentralDatabasePath(data_dir);
  try {
    std::filesystem::create_directories(data_dir);
    // NOMUTEX: Debian's SQLite is built serialized, so every bind, step and column call would take
    // the connection's mutex. This connection needs none of it: it is used one thread at a time,
    // by Open, by FillCustomerViews (at start, before the pass and the applier run) and from
    // Begin to Commit/Rollback (the applier's thread, holding write_gate_).
    auto db = std::make_unique<SQLite::Database>(
        path, SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE | SQLite::OPEN_NOMUTEX, 5000);
    db->exec(durable_full ? "PRAGMA synchronous=FULL" : "PRAGMA synchronous=NORMAL");
    db->exec("PRAGMA cache_size=-32768");  // 32 MiB
    RETURN_IF_ERROR(common::OpenWal(*db, path));
    std::unique_ptr<CentralStore> store(new CentralStore(std::move(db), path));
    RETURN_IF_ERROR(store->Init());
    return store;
  } catch (const std::exception& e) {
    return common::SqliteErrorStatus(e, "open the central database", path);
  }
}

CentralStore::CentralStore(std::unique_ptr<SQLite::Database> db, std::string path)
    : db_(std::move(db)), path_(std::move(path)) {}

CentralStore::~CentralStore() = default;

Status CentralStore::Init() {
  RETURN_IF_ERROR(common::UpgradeSchema(*db_, path_, CentralSchema()));  // before anything writes
  ASSIGN_OR_RETURN(common::WriteTransaction transaction, common::WriteTransaction::Begin(*db_));
  db_->exec("CREATE TABLE IF NOT EXISTS meta(key TEXT PRIMARY KEY, value TEXT NOT NULL)");
  db_->exec(
      "CREATE TABLE IF NOT EXISTS streams(store TEXT NOT NULL, incarnation TEXT NOT NULL, "
      "acked_seq INTEGER NOT NULL, first_seen INTEGER NOT NULL, last_applied INTEGER NOT NULL, "
      "PRIMARY KEY(store, incarnation))");
  db_->exec(
      "CREATE TABLE IF NOT EXISTS events(store TEXT NOT NULL, incarnation TEXT NOT NULL, "
      "seq INTEGER NOT NULL, id TEXT NOT NULL, ts INTEGER NOT NULL, body BLOB NOT NULL, "
      "UNIQUE(store, id))");
  // The day sign-off reads a store's local day (central/central_day_figures.h). An index only:
  // older centrals read the file as before. Built once on a file from before it (logged).
  if (db_->execAndGet("SELECT COUNT(*) FROM sqlite_master WHERE name = 'events_store_ts'")
          .getInt64() == 0) {
    common::LogInfo("indexing " + path_ + "'s events by store and time (the day sign-off)");
    db_->exec("CREATE INDEX events_store_ts ON events(store, ts)");
  }
  RETURN_IF_ERROR(common::DerivedTables::Create(*db_, /*central=*/true));
  ASSIGN_OR_RETURN(log_end_, common::ReadLogEnd(*db_, common::EventLogKind::kCentral));
  if (db_->execAndGet("SELECT COUNT(*) FROM meta WHERE key = '" +
                      std::string(common::WatermarkKey(common::EventLogKind::kCentral)) + "'")
          .getInt64() == 0) {
    // A new file: the views start with the log (a schema-1 file got its watermark at upgrade).
    common::WriteWatermark(*db_, common::EventLogKind::kCentral, log_end_);
  }
  SQLite::Statement q(*db_, "SELECT store, incarnation, acked_seq FROM streams");
  while (q.executeStep()) {
    committed_[{q.getColumn(0).getString(), q.getColumn(1).getString()}] =
        q.getColumn(2).getInt64();
  }
  RETURN_IF_ERROR(transaction.Commit());
  statements_ = std::make_unique<Statements>(*db_);
  return common::OkStatus();
}

StatusOr<std::unique_ptr<common::ViewPass>> CentralStore::OpenViewPass(
    common::StoreResolver resolve, const common::Clock& clock, common::ViewPassOptions options) {
  try {
    // NOMUTEX: the pass owns this connection and uses it on its thread only (common/store/
    // view_pass.h), so SQLite's per-call connection mutex is pure cost.
    auto db = std::make_unique<SQLite::Database>(
        path_, SQLite::OPEN_READWRITE | SQLite::OPEN_NOMUTEX, 5000);
    // The views are rebuilt from the log after a crash: their commits need no fsync of their own.
    db->exec("PRAGMA synchronous=NORMAL");
    db->exec("PRAGMA cache_size=-32768");  // 32 MiB: the network's hot view rows
    return common::ViewPass::Open(std::move(db), common::EventLogKind::kCentral, "",
                                  std::move(resolve), write_gate_, clock, options);
  } catch (const std::exception& e) {
    return common::Unavailable("cannot open the central database " + path_ +
                               " for the view pass: " + e.what());
  }
}

Status CentralStore::FillViews(const std::vector<common::CustomerStore>& stores) {
  common::StatementCache statements(*db_);
  ASSIGN_OR_RETURN(const bool customers_ready, common::CustomerViewsReady(statements));
  const bool scopes_ready = db_->execAndGet("SELECT COUNT(*) FROM meta WHERE key = '" +
                                            std::string(common::kScopeMeasuresFillKey) + "'")
                                .getInt64() == 0;
  if (customers_ready && scopes_ready) return common::OkStatus();
  std::lock_guard gate(write_gate_);
  ASSIGN_OR_RETURN(common::WriteTransaction transaction, common::WriteTransaction::Begin(*db_));
  if (!customers_ready) {
    common::LogInfo("filling the customer views (day sketches) of " + path_ + " for " +
                    std::to_string(stores.size()) + " stores");
    // It rewrites every scope's members: the region and network measures are filled again after.
    RETURN_IF_ERROR(common::BackfillCustomerSketches(*db_, stores, /*with_scopes=*/true));
  }
  common::LogInfo("filling the region and network day measures of " + path_ + " for " +
                  std::to_string(stores.size()) + " stores");
  try {
    db_->exec("DELETE FROM scope_measures_day");
    common::FillScopeMeasures(*db_, stores);
    db_->exec("DELETE FROM meta WHERE key = '" + std::string(common::kScopeMeasuresFillKey) + "'");
  } catch (const std::exception& e) {
    return common::SqliteErrorStatus(*db_, e, "fill the region and network day measures");
  }
  return transaction.Commit();
}

StatusOr<CentralStore::Group> CentralStore::BeginGroup() {
  std::unique_lock gate(write_gate_);
  ASSIGN_OR_RETURN(common::WriteTransaction transaction, common::WriteTransaction::Begin(*db_));
  pending_log_end_ = log_end_;
  {
    std::lock_guard lock(mu_);
    pending_ = committed_;
  }
  return Group(*this, std::move(gate), std::move(transaction));
}

CentralStore::Group::Group(CentralStore& store, std::unique_lock<std::mutex> gate,
                           common::WriteTransaction transaction)
    : store_(&store), gate_(std::move(gate)), transaction_(std::move(transaction)) {}

CentralStore::Group::Group(Group&& other) noexcept
    : store_(std::exchange(other.store_, nullptr)),
      gate_(std::move(other.gate_)),
      transaction_(std::move(other.transaction_)) {}

CentralStore::Group::~Group() { End(); }

StatusOr<ApplyOutcome> CentralStore::Group::Apply(const StreamBatch& batch, int64_t now_ms) {
  if (store_ == nullptr) return common::FailedPrecondition("the group of batches has ended");
  return store_->Apply(batch, now_ms);
}

Status CentralStore::Group::Commit() {
  if (store_ == nullptr) return common::FailedPrecondition("the group of batches has ended");
  if (Status committed = transaction_.Commit("commit replicated events"); !committed.ok()) {
    End();  // the transaction rolled back already: its positions are forgotten, the gate released
    return committed;
  }
  CentralStore& store = *std::exchange(store_, nullptr);
  store.log_end_ = store.pending_log_end_;
  gate_.unlock();
  std::lock_guard lock(store.mu_);
  store.committed_.swap(store.pending_);
  store.pending_.clear();
  return common::OkStatus();
}

void CentralStore::Group::End() noexcept {
  if (store_ == nullptr) return;
  transaction_.Rollback();
  store_->pending_.clear();
  store_->pending_log_end_ = store_->log_end_;
  store_ = nullptr;
  gate_.unlock();
}

StatusOr<std::string> CentralStore::ReadMeta(const std::string& key) {
  try {
    SQLite::Statement q(*db_, "SELECT value FROM meta WHERE key = ?");
    q.bind(1, key);
    return q.executeStep() ? q.getColumn(0).getString() : std::string();
  } catch (const std::exception& e) {
    return common::SqliteErrorStatus(*db_, e, "read the meta table");
  }
}

Status CentralStore::WriteMeta(const std::string& key, const std::string& value) {
  std::lock_guard gate(write_gate_);
  try {
    SQLite::Statement q(*db_, "INSERT OR REPLACE INTO meta(key, value) VALUES(?, ?)");
    q.bind(1, key);
    q.bind(2, value);
    q.exec();
    return common::OkStatus();
  } catch (const std::exception& e) {
    return common::SqliteErrorStatus(*db_, e, "write the meta table");
  }
}

std::map<StreamKey, int64_t> CentralStore::Streams() const {
  std::lock_guard lock(mu_);
  return committed_;
}

int64_t CentralStore::AckedSeq(const StreamKey& stream) const {
  std::lock_guard lock(mu_);
  auto it = committed_.find(stream);
  return it == committed_.end() ? 0 : it->second;
}

Status CentralStore::ApplyGroup(const std::vector<const StreamBatch*>& batches, int64_t now_ms,
                                std::vector<ApplyOutcome>* outcomes) {
  ASSIGN_OR_RETURN(Group group, BeginGroup());
  for (const StreamBatch* batch : batches) {
    ASSIGN_OR_RETURN(ApplyOutcome outcome, group.Apply(*batch, now_ms));
    outcomes->push_back(outcome);
  }
  return group.Commit();
}

StatusOr<ApplyOutcome> CentralStore::Apply(const StreamBatch& batch, int64_t now_ms) {
  int64_t& acked = pending_[batch.stream];
  ApplyOutcome outcome;
  outcome.acked_seq = acked;
  const BatchPlan plan = PlanBatch(batch, acked);
  if (plan.gap) {
    outcome.gap = true;
    return outcome;
  }
  ASSIGN_OR_RETURN(outcome.diverged, CheckReplayed(batch, acked, [&](const std::string& id) {
                     return FindStored(batch.stream.store, id);
                   }));
  if (!outcome.diverged.empty()) return outcome;
  outcome.passed_pruned = plan.passed_pruned;
  outcome.skipped = static_cast<int64_t>(plan.first_new);  // replay or overlap
  acked = plan.acked;
  try {
    for (size_t i = plan.first_new; i < batch.events.size(); ++i) {
      const common::Event& event = batch.events[i];
      body_.clear();
      common::AppendStored(event, &body_);
      if (InsertEvent(batch.stream, batch.first_seq + static_cast<int64_t>(i), event.id,
                      event.ts_ms, body_)) {
        ++outcome.applied;
      } else {
        ++outcome.skipped;  // the store already sent this id on another stream
      }
    }
    if (!batch.events.empty()) {
      acked = std::max(acked, batch.first_seq + std::ssize(batch.events) - 1);
    }
    SetPosition(batch.stream, acked, now_ms, now_ms);
  } catch (const std::exception& e) {
    return common::SqliteErrorStatus(*db_, e, "apply a batch");
  }
  outcome.acked_seq = acked;
  return outcome;
}

Status CentralStore::Group::Mirror(const MirroredStream& mirrored) {
  if (store_ == nullptr) return common::FailedPrecondition("the group of batches has ended");
  try {
    for (const LogRow& row : mirrored.rows) {
      store_->InsertEvent(mirrored.stream, row.seq, row.id, row.ts_ms, row.body);
    }
    store_->pending_[mirrored.stream] = mirrored.acked_seq;
    store_->SetPosition(mirrored.stream, mirrored.acked_seq, mirrored.first_seen,
                        mirrored.last_applied);
  } catch (const std::exception& e) {
    return common::SqliteErrorStatus(*store_->db_, e, "store the events read from PostgreSQL");
  }
  return common::OkStatus();
}

bool CentralStore::InsertEvent(const StreamKey& stream, int64_t seq, const std::string& id,
                               int64_t ts_ms, const std::string& body) {
  common::StatementUse insert(statements_->insert);
  insert->bindNoCopy(1, stream.store);
  insert->bindNoCopy(2, stream.incarnation);
  insert->bind(3, static_cast<int64_t>(seq));
  insert->bindNoCopy(4, id);
  insert->bind(5, static_cast<int64_t>(ts_ms));
  insert->bindNoCopy(6, body.data(), static_cast<int>(body.size()));
  if (insert->exec() != 1) return false;
  pending_log_end_ = db_->getLastInsertRowid();
  return true;
}

void CentralStore::SetPosition(const StreamKey& stream, int64_t acked, int64_t first_seen,
                               int64_t last_applied) {
  common::StatementUse position(statements_->position);
  position->bindNoCopy(1, stream.store);
  position->bindNoCopy(2, stream.incarnation);
  position->bind(3, static_cast<int64_t>(acked));
  position->bind(4, static_cast<int64_t>(first_seen));
  position->bind(5, static_cast<int64_t>(last_applied));
  position->exec();
}

StatusOr<std::optional<StoredAt>> CentralStore::FindStored(const std::string& store,
                                                           const std::string& id) {
  try {
    common::StatementUse stored_at(statements_->stored_at);
    stored_at->bindNoCopy(1, store);
    stored_at->bindNoCopy(2, id);
    if (!stored_at->executeStep()) return std::optional<StoredAt>();
    return std::optional<StoredAt>(
        StoredAt{stored_at->getColumn(0).getString(), stored_at->getColumn(1).getInt64()});
  } catch (const std::exception& e) {
    return common::SqliteErrorStatus(*db_, e, "check a replayed batch");
  }
}

Status CheckReadable(SQLite::Database& db) {
  return common::CheckSchemaReadable(db, db.getFilename(), CentralSchema());
}

StatusOr<std::map<std::string, int64_t>> ReadLastApplied(SQLite::Database& db) {
  try {
    std::map<std::string, int64_t> last;
    SQLite::Statement q(db, "SELECT store, MAX(last_applied) FROM streams GROUP BY store");
    while (q.executeStep()) last[q.getColumn(0).getString()] = q.getColumn(1).getInt64();
    return last;
  } catch (const std::exception& e) {
    return common::SqliteErrorStatus(db, e, "read the streams");
  }
}

}  // namespace storepulse::central
