#include "central/alert_store.h"

#include <SQLiteCpp/SQLiteCpp.h>

#include <filesystem>

#include "common/store/sqlite_errors.h"
#include "common/store/write_transaction.h"

namespace storepulse::central {
namespace {

constexpr int kSchemaVersion = 1;

constexpr const char* kSchema = R"sql(
CREATE TABLE IF NOT EXISTS meta(key TEXT PRIMARY KEY, value TEXT);
CREATE TABLE IF NOT EXISTS state(id INTEGER PRIMARY KEY CHECK (id = 1), json TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS outbox(seq INTEGER PRIMARY KEY AUTOINCREMENT,
                                  receiver TEXT NOT NULL, payload TEXT NOT NULL,
                                  attempts INTEGER NOT NULL, next_attempt_ms INTEGER NOT NULL,
                                  last_error TEXT NOT NULL);
)sql";

}  // namespace

AlertStore::AlertStore(std::unique_ptr<SQLite::Database> db, std::string path,
                       int64_t max_pending)
    : db_(std::move(db)), path_(std::move(path)), max_pending_(max_pending) {}

AlertStore::~AlertStore() = default;

common::StatusOr<std::unique_ptr<AlertStore>> AlertStore::Open(const std::string& path,
                                                               int64_t max_pending) {
  try {
    std::filesystem::create_directories(std::filesystem::path(path).parent_path());
    auto db = std::make_unique<SQLite::Database>(path, SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE,
                                                 5000);
    db->exec("PRAGMA journal_mode=WAL");
    db->exec("PRAGMA synchronous=FULL");  // an acknowledged silence or a delivery is not lost
    db->exec(kSchema);
    SQLite::Statement version(*db, "SELECT value FROM meta WHERE key = 'schema_version'");
    if (version.executeStep()) {
      if (version.getColumn(0).getString() != std::to_string(kSchemaVersion)) {
        return common::FailedPrecondition(path + " has alerts schema version " +
                                          version.getColumn(0).getString() + ", this central " +
                                          std::to_string(kSchemaVersion) + ": upgrade central");
      }
    } else {
      db->exec("INSERT INTO meta(key, value) VALUES ('schema_version', '" +
               std::to_string(kSchemaVersion) + "')");
    }
    return std::unique_ptr<AlertStore>(new AlertStore(std::move(db), path, max_pending));
  } catch (const std::exception& e) {
    return common::SqliteErrorStatus(e, "open the alerts database", path);
  }
}

common::StatusOr<nlohmann::json> AlertStore::LoadState() {
  std::lock_guard lock(mu_);
  try {
    SQLite::Statement query(*db_, "SELECT json FROM state WHERE id = 1");
    if (!query.executeStep()) return nlohmann::json();
    nlohmann::json state = nlohmann::json::parse(query.getColumn(0).getString(), nullptr, false);
    if (state.is_discarded()) return common::Internal(path_ + ": the alerts state is not JSON");
    return state;
  } catch (const std::exception& e) {
    return common::SqliteErrorStatus(*db_, e, "read the alerts state");
  }
}

common::StatusOr<int64_t> AlertStore::Save(const nlohmann::json& state,
                                           const std::vector<PendingDelivery>& deliveries,
                                           int64_t now_ms) {
  std::lock_guard lock(mu_);
  try {
    ASSIGN_OR_RETURN(common::WriteTransaction transaction, common::WriteTransaction::Begin(*db_));
    if (!state.is_null()) {
      SQLite::Statement put(*db_, "INSERT OR REPLACE INTO state(id, json) VALUES (1, ?)");
      put.bind(1, state.dump());
      put.exec();
    }
    SQLite::Statement add(*db_,
                          "INSERT INTO outbox(receiver, payload, attempts, next_attempt_ms, "
                          "last_error) VALUES (?, ?, 0, ?, '')");
    for (const PendingDelivery& d : deliveries) {
      add.bind(1, d.receiver);
      add.bind(2, d.payload);
      add.bind(3, static_cast<int64_t>(now_ms));
      add.exec();
      add.reset();
    }
    int64_t dropped = 0;
    if (max_pending_ > 0 && !deliveries.empty()) {
      dropped = db_->exec(
          "DELETE FROM outbox WHERE seq IN (SELECT seq FROM outbox ORDER BY seq DESC LIMIT -1 "
          "OFFSET " + std::to_string(max_pending_) + ")");
    }
    RETURN_IF_ERROR(transaction.Commit("save the alerts"));
    return dropped;
  } catch (const std::exception& e) {
    return common::SqliteErrorStatus(*db_, e, "save the alerts");
  }
}

common::StatusOr<std::vector<PendingDelivery>> AlertStore::Heads() {
  std::lock_guard lock(mu_);
  try {
    SQLite::Statement query(*db_,
                            "SELECT seq, receiver, payload, attempts, next_attempt_ms FROM outbox "
                            "WHERE seq IN (SELECT min(seq) FROM outbox GROUP BY receiver)");
    std::vector<PendingDelivery> heads;
    while (query.executeStep()) {
      heads.push_back({query.getColumn(0).getInt64(), query.getColumn(1).getString(),
                       query.getColumn(2).getString(), query.getColumn(3).getInt64(),
                       query.getColumn(4).getInt64()});
    }
    return heads;
  } catch (const std::exception& e) {
    return common::SqliteErrorStatus(*db_, e, "read the webhook outbox");
  }
}

common::Status AlertStore::Delivered(int64_t seq) {
  std::lock_guard lock(mu_);
  try {
    SQLite::Statement done(*db_, "DELETE FROM outbox WHERE seq = ?");
    done.bind(1, static_cast<int64_t>(seq));
    done.exec();
    return common::OkStatus();
  } catch (const std::exception& e) {
    return common::SqliteErrorStatus(*db_, e, "remove a delivered alert from the outbox");
  }
}

common::Status AlertStore::Retry(int64_t seq, int64_t attempts, int64_t next_attempt_ms,
                                 const std::string& error) {
  std::lock_guard lock(mu_);
  try {
    SQLite::Statement retry(
        *db_, "UPDATE outbox SET attempts = ?, next_attempt_ms = ?, last_error = ? WHERE seq = ?");
    retry.bind(1, static_cast<int64_t>(attempts));
    retry.bind(2, static_cast<int64_t>(next_attempt_ms));
    retry.bind(3, error);
    retry.bind(4, static_cast<int64_t>(seq));
    retry.exec();
    return common::OkStatus();
  } catch (const std::exception& e) {
    return common::SqliteErrorStatus(*db_, e, "reschedule an alert delivery");
  }
}

common::StatusOr<int64_t> AlertStore::Pending() {
  std::lock_guard lock(mu_);
  try {
    return static_cast<int64_t>(db_->execAndGet("SELECT count(*) FROM outbox").getInt64());
  } catch (const std::exception& e) {
    return common::SqliteErrorStatus(*db_, e, "count the webhook outbox");
  }
}

}  // namespace storepulse::central
