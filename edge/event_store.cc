#include "edge/event_store.h"

#include <SQLiteCpp/SQLiteCpp.h>

#include <filesystem>
#include <random>
#include <utility>

#include "common/event_codec.h"
#include "common/kpi/measures.h"
#include "common/store/derived_tables.h"
#include "common/store/event_log.h"
#include "common/store/read_connection.h"
#include "common/store/schema_version.h"
#include "common/store/sqlite_errors.h"
#include "common/store/statement_use.h"
#include "common/store/wal.h"
#include "common/store/write_transaction.h"
#include "edge/edge_schema.h"
#include "edge/reference_store.h"

namespace storepulse::edge {

using common::Status;
using common::StatusOr;

namespace {

std::string RandomIncarnation() {
  std::random_device device;
  std::string out;
  static const char kHex[] = "0123456789abcdef";
  for (int i = 0; i < 8; ++i) {
    uint32_t r = device();
    for (int j = 0; j < 4; ++j) out += kHex[(r >> (j * 4)) & 0xf];
  }
  return out;
}

void ApplyPragmas(SQLite::Database& db, Durability durability) {
  db.exec(durability == Durability::kFull ? "PRAGMA synchronous=FULL" : "PRAGMA synchronous=NORMAL");
  db.exec("PRAGMA cache_size=-4096");  // 4 MiB: appends touch few pages; keeps the RSS small
}

}  // namespace

struct EventStore::Statements {
  explicit Statements(SQLite::Database& db)
      : insert(db,
               "INSERT INTO events(seq, id, ts, received, value, body) VALUES(?, ?, ?, ?, ?, ?) "
               "ON CONFLICT(id) DO NOTHING") {}
  SQLite::Statement insert;
};

std::string EdgeDatabasePath(const std::string& data_dir) {
  return (std::filesystem::path(data_dir) / "edge.db").string();
}

StatusOr<std::unique_ptr<EventStore>> EventStore::Open(const std::string& data_dir,
                                                       const std::string& store,
                                                       const common::TimeZone& zone,
                                                       Durability durability) {
  std::string path = EdgeDatabasePath(data_dir);
  try {
    std::filesystem::create_directories(data_dir);
    // NOMUTEX: Debian's SQLite is built serialized, so every bind, step and column call would take
    // the connection's mutex. This connection needs none of it: after Open, every use of it (Begin
    // to Commit/Rollback, StartNewIncarnation, Prune) holds write_gate_, one thread at a time.
    auto db = std::make_unique<SQLite::Database>(
        path, SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE | SQLite::OPEN_NOMUTEX, 5000);
    ApplyPragmas(*db, durability);
    RETURN_IF_ERROR(common::OpenWal(*db, path));
    std::unique_ptr<EventStore> es(new EventStore(std::move(db), path, durability, zone));
    RETURN_IF_ERROR(es->LoadOrInitMeta(store));
    return es;
  } catch (const std::exception& e) {
    return common::SqliteErrorStatus(e, "open the edge database", path);
  }
}

EventStore::EventStore(std::unique_ptr<SQLite::Database> db, std::string path,
                       Durability durability, const common::TimeZone& zone)
    : db_(std::move(db)), path_(std::move(path)), durability_(durability), zone_(zone) {}

EventStore::~EventStore() = default;

Status EventStore::LoadOrInitMeta(const std::string& store) {
  RETURN_IF_ERROR(common::UpgradeSchema(*db_, path_, EdgeSchema()));  // before anything writes
  ASSIGN_OR_RETURN(common::WriteTransaction transaction, common::WriteTransaction::Begin(*db_));
  db_->exec("CREATE TABLE IF NOT EXISTS meta(key TEXT PRIMARY KEY, value TEXT NOT NULL)");
  db_->exec(
      "CREATE TABLE IF NOT EXISTS events(seq INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, "
      "ts INTEGER NOT NULL, received INTEGER NOT NULL, value INTEGER NOT NULL, body BLOB NOT NULL)");
  RETURN_IF_ERROR(common::DerivedTables::Create(*db_, /*central=*/false));
  CreateReferenceTables(*db_);
  info_.incarnation = GetMeta("incarnation");
  if (info_.incarnation.empty()) {
    info_.incarnation = RandomIncarnation();
    SetMeta("incarnation", info_.incarnation);
    SetMeta("store", store);
    SetMeta("timezone", zone_.name());
  }
  if (GetMeta(common::WatermarkKey(common::EventLogKind::kEdge)).empty()) {
    // A new file: the views start with the log (a schema-1 file got its watermark at upgrade).
    common::WriteWatermark(*db_, common::EventLogKind::kEdge,
                           db_->execAndGet("SELECT COALESCE(MAX(seq), 0) FROM events").getInt64());
  }
  info_.previous_incarnation = GetMeta("previous_incarnation");
  info_.incarnation_reason = GetMeta("incarnation_reason");
  std::string started = GetMeta("incarnation_started");
  info_.incarnation_started_ms = started.empty() ? 0 : std::stoll(started);
  info_.store = GetMeta("store");
  if (info_.store != store) {
    return common::FailedPrecondition("the database " + path_ + " belongs to store \"" +
                                      info_.store + "\", not \"" + store +
                                      "\": use another --data-dir or the right --store");
  }
  info_.timezone = GetMeta("timezone");
  if (info_.timezone != zone_.name()) {  // days are local days: recompute them for the new zone
    // The folded days; the events past the watermark are folded later, in the new zone.
    RETURN_IF_ERROR(common::DerivedTables(*db_, /*central=*/false).RebuildDays(store, zone_));
    SetMeta("timezone", zone_.name());
    info_.timezone = zone_.name();
  }
  info_.last_seq = db_->execAndGet("SELECT COALESCE(MAX(seq), 0) FROM events").getInt64();
  committed_seq_ = info_.last_seq;
  RETURN_IF_ERROR(transaction.Commit());
  statements_ = std::make_unique<Statements>(*db_);
  return common::OkStatus();
}

std::string EventStore::GetMeta(const char* key) {
  SQLite::Statement q(*db_, "SELECT value FROM meta WHERE key = ?");
  q.bind(1, key);
  return q.executeStep() ? q.getColumn(0).getString() : std::string();
}

void EventStore::SetMeta(const char* key, const std::string& value) {
  SQLite::Statement q(*db_, "INSERT OR REPLACE INTO meta(key, value) VALUES(?, ?)");
  q.bind(1, key);
  q.bind(2, value);
  q.exec();
}

StatusOr<std::unique_ptr<common::ViewPass>> EventStore::OpenViewPass(
    const common::Clock& clock, common::ViewPassOptions options) {
  try {
    // NOMUTEX: the pass owns this connection and uses it on its thread only (common/store/
    // view_pass.h), so SQLite's per-call connection mutex is pure cost.
    auto db = std::make_unique<SQLite::Database>(
        path_, SQLite::OPEN_READWRITE | SQLite::OPEN_NOMUTEX, 5000);
    // The views are rebuilt from the log after a crash: their commits need no fsync of their own
    // (the next event commit syncs the log they are in).
    db->exec("PRAGMA synchronous=NORMAL");
    db->exec("PRAGMA cache_size=-4096");
    const common::StoreContext context{"", zone_};
    return common::ViewPass::Open(
        std::move(db), common::EventLogKind::kEdge, info_.store,
        [context](const std::string&) { return context; }, write_gate_, clock, options);
  } catch (const std::exception& e) {
    return common::Unavailable("cannot open the edge database " + path_ + " for the view pass: " +
                               e.what());
  }
}

Status EventStore::StartNewIncarnation(const std::string& reason, int64_t now_ms) {
  try {
    std::lock_guard gate(write_gate_);
    ASSIGN_OR_RETURN(common::WriteTransaction transaction, common::WriteTransaction::Begin(*db_));
    StoreInfo next = info_;
    next.previous_incarnation = info_.incarnation;
    next.incarnation = RandomIncarnation();
    next.incarnation_started_ms = now_ms;
    next.incarnation_reason = reason;
    SetMeta("incarnation", next.incarnation);
    SetMeta("previous_incarnation", next.previous_incarnation);
    SetMeta("incarnation_started", std::to_string(now_ms));
    SetMeta("incarnation_reason", reason);
    RETURN_IF_ERROR(transaction.Commit());
    info_ = std::move(next);
    return common::OkStatus();
  } catch (const std::exception& e) {
    return common::SqliteErrorStatus(*db_, e, "start a new incarnation");
  }
}

Status EventStore::WriteReference(const std::function<Status(SQLite::Database&)>& write) {
  try {
    std::lock_guard gate(write_gate_);
    return write(*db_);
  } catch (const std::exception& e) {
    return common::SqliteErrorStatus(e, "store a reference document", path_);
  }
}

StatusOr<PruneStep> EventStore::Prune(int64_t max_seq, int64_t older_than_ms, size_t max_rows) {
  std::lock_guard gate(write_gate_);  // the view pass writes too
  return PruneEvents(*db_, max_seq, older_than_ms, max_rows);
}

StatusOr<EventStore::Group> EventStore::BeginGroup() {
  std::unique_lock gate(write_gate_);
  ASSIGN_OR_RETURN(common::WriteTransaction transaction, common::WriteTransaction::Begin(*db_));
  return Group(*this, std::move(gate), std::move(transaction));
}

EventStore::Group::Group(EventStore& store, std::unique_lock<std::mutex> gate,
                         common::WriteTransaction transaction)
    : store_(&store), gate_(std::move(gate)), transaction_(std::move(transaction)) {}

EventStore::Group::Group(Group&& other) noexcept
    : store_(std::exchange(other.store_, nullptr)),
      gate_(std::move(other.gate_)),
      transaction_(std::move(other.transaction_)) {}

EventStore::Group::~Group() { End(); }

Status EventStore::Group::Append(const std::vector<common::Event>& events, int64_t received_ms,
                                 std::vector<AppendOutcome>* outcomes) {
  if (store_ == nullptr) return common::FailedPrecondition("the group of events has ended");
  return store_->Append(events, received_ms, outcomes);
}

Status EventStore::Group::Commit() {
  if (store_ == nullptr) return common::FailedPrecondition("the group of events has ended");
  if (Status committed = transaction_.Commit("commit events"); !committed.ok()) {
    End();  // the transaction rolled back already: its seqs are forgotten, the gate released
    return committed;
  }
  store_->committed_seq_ = store_->info_.last_seq;
  store_ = nullptr;
  gate_.unlock();
  return common::OkStatus();
}

void EventStore::Group::End() noexcept {
  if (store_ == nullptr) return;
  transaction_.Rollback();
  store_->info_.last_seq = store_->committed_seq_;
  store_ = nullptr;
  gate_.unlock();
}

Status EventStore::Append(const std::vector<common::Event>& events, int64_t received_ms,
                          std::vector<AppendOutcome>* outcomes) {
  outcomes->assign(events.size(), AppendOutcome{});
  try {
    for (size_t i = 0; i < events.size(); ++i) {
      const common::Event& event = events[i];
      body_.clear();
      common::AppendStored(event, &body_);
      common::StatementUse insert(statements_->insert);
      insert->bind(1, static_cast<int64_t>(info_.last_seq + 1));
      insert->bindNoCopy(2, event.id);
      insert->bind(3, static_cast<int64_t>(event.ts_ms));
      insert->bind(4, static_cast<int64_t>(received_ms));
      insert->bind(5, static_cast<int64_t>(
                          event.type == common::EventType::kSale ? event.LinesValue() : 0));
      insert->bindNoCopy(6, body_.data(), static_cast<int>(body_.size()));
      if (insert->exec() == 0) {
        (*outcomes)[i].duplicate = true;
        continue;
      }
      (*outcomes)[i].seq = ++info_.last_seq;
    }
    return common::OkStatus();
  } catch (const std::exception& e) {
    return common::SqliteErrorStatus(*db_, e, "store events");
  }
}

StatusOr<std::unique_ptr<SQLite::Database>> OpenReadOnly(const std::string& data_dir) {
  std::string path = EdgeDatabasePath(data_dir);
  if (!std::filesystem::exists(path)) {
    return common::NotFound("no edge database at " + path + " (check --data-dir)");
  }
  try {
    auto db = std::make_unique<SQLite::Database>(common::OpenReadConnection(path));
    RETURN_IF_ERROR(common::CheckSchemaReadable(*db, path, EdgeSchema()));
    return db;
  } catch (const std::exception& e) {
    return common::SqliteErrorStatus(e, "open the edge database read-only", path);
  }
}

StatusOr<StoreInfo> ReadStoreInfo(SQLite::Database& db) {
  try {
    StoreInfo info;
    SQLite::Statement q(db, "SELECT key, value FROM meta");
    while (q.executeStep()) {
      std::string key = q.getColumn(0).getString();
      if (key == "incarnation") info.incarnation = q.getColumn(1).getString();
      if (key == "store") info.store = q.getColumn(1).getString();
      if (key == "timezone") info.timezone = q.getColumn(1).getString();
      if (key == "previous_incarnation") info.previous_incarnation = q.getColumn(1).getString();
      if (key == "incarnation_reason") info.incarnation_reason = q.getColumn(1).getString();
      if (key == "incarnation_started") info.incarnation_started_ms = q.getColumn(1).getInt64();
    }
    info.last_seq = db.execAndGet("SELECT COALESCE(MAX(seq), 0) FROM events").getInt64();
    return info;
  } catch (const std::exception& e) {
    return common::SqliteErrorStatus(db, e, "read the edge database's identity");
  }
}

Status ForEachEvent(SQLite::Database& db, int64_t after_seq,
                    const std::function<void(int64_t seq, const common::Event&)>& visit) {
  try {
    SQLite::Statement q(db, "SELECT seq, body FROM events WHERE seq > ? ORDER BY seq");
    q.bind(1, static_cast<int64_t>(after_seq));
    while (q.executeStep()) {
      auto blob = q.getColumn(1);
      auto event = common::DecodeStored(
          std::string_view(static_cast<const char*>(blob.getBlob()), blob.getBytes()));
      if (!event.ok()) return event.status();
      visit(q.getColumn(0).getInt64(), *event);
    }
    return common::OkStatus();
  } catch (const std::exception& e) {
    return common::SqliteErrorStatus(db, e, "read events");
  }
}

StatusOr<int64_t> ReadBodies(SQLite::Database& db, int64_t first_seq, size_t max_events,
                             size_t max_bytes, std::vector<std::string>* bodies) {
  try {
    SQLite::Statement q(db, "SELECT seq, body FROM events WHERE seq >= ? ORDER BY seq LIMIT ?");
    q.bind(1, static_cast<int64_t>(first_seq));
    q.bind(2, static_cast<int64_t>(max_events));
    int64_t first_read = first_seq;
    int64_t read = 0;
    size_t bytes = 0;
    while (bytes < max_bytes && q.executeStep()) {
      const int64_t seq = q.getColumn(0).getInt64();
      if (read == 0) {
        first_read = seq;  // above first_seq only when the seqs before were pruned
      } else if (seq != first_read + read) {
        break;  // never a hole inside a batch: its events are numbered from its first seq
      }
      auto blob = q.getColumn(1);
      bodies->emplace_back(static_cast<const char*>(blob.getBlob()), blob.getBytes());
      bytes += bodies->back().size();
      ++read;
    }
    return first_read;
  } catch (const std::exception& e) {
    return common::SqliteErrorStatus(db, e, "read events to replicate");
  }
}

StatusOr<Backlog> ReadBacklog(SQLite::Database& db, int64_t acked_seq) {
  try {
    // SUM() raises "integer overflow" rather than wrapping: an error, never a wrong value.
    SQLite::Statement q(db,
                        "SELECT COUNT(*), COALESCE(SUM(value), 0), COALESCE(MIN(received), 0) "
                        "FROM events WHERE seq > ?");
    q.bind(1, static_cast<int64_t>(acked_seq));
    q.executeStep();
    return Backlog{q.getColumn(0).getInt64(), q.getColumn(1).getInt64(),
                   q.getColumn(2).getInt64()};
  } catch (const std::exception& e) {
    return common::SqliteErrorStatus(db, e, "read the backlog");
  }
}

}  // namespace storepulse::edge
