#include "edge/connectors/connector_state.h"

#include <SQLiteCpp/SQLiteCpp.h>

#include "common/store/sqlite_errors.h"

namespace storepulse::edge {

ConnectorState::ConnectorState(std::unique_ptr<SQLite::Database> db) : db_(std::move(db)) {}
ConnectorState::~ConnectorState() = default;

common::StatusOr<std::unique_ptr<ConnectorState>> ConnectorState::Open(const std::string& data_dir) {
  const std::string path = data_dir + "/connectors.db";
  try {
    auto db = std::make_unique<SQLite::Database>(path, SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
    db->exec("PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA busy_timeout=5000;");
    db->exec(
        "CREATE TABLE IF NOT EXISTS connector_state ("
        " connector TEXT NOT NULL, key TEXT NOT NULL, value TEXT NOT NULL,"
        " updated_ms INTEGER NOT NULL, PRIMARY KEY (connector, key)) WITHOUT ROWID");
    return std::unique_ptr<ConnectorState>(new ConnectorState(std::move(db)));
  } catch (const std::exception& e) {
    return common::SqliteErrorStatus(e, "open the connectors' state", path);
  }
}

common::StatusOr<std::optional<std::string>> ConnectorState::Get(const std::string& connector,
                                                                 const std::string& key) {
  std::lock_guard lock(mu_);
  try {
    SQLite::Statement query(*db_,
                            "SELECT value FROM connector_state WHERE connector = ? AND key = ?");
    query.bind(1, connector);
    query.bind(2, key);
    if (!query.executeStep()) return std::optional<std::string>();
    return std::optional<std::string>(query.getColumn(0).getString());
  } catch (const std::exception& e) {
    return common::SqliteErrorStatus(*db_, e, "read a connector's state");
  }
}

common::Status ConnectorState::Put(const std::string& connector,
                                   const std::map<std::string, std::string>& values,
                                   int64_t now_ms) {
  if (values.empty()) return common::OkStatus();
  std::lock_guard lock(mu_);
  try {
    SQLite::Transaction transaction(*db_);
    SQLite::Statement upsert(
        *db_,
        "INSERT INTO connector_state (connector, key, value, updated_ms) VALUES (?, ?, ?, ?) "
        "ON CONFLICT (connector, key) DO UPDATE SET value = excluded.value, "
        "updated_ms = excluded.updated_ms");
    for (const auto& [key, value] : values) {
      upsert.bind(1, connector);
      upsert.bind(2, key);
      upsert.bind(3, value);
      upsert.bind(4, static_cast<int64_t>(now_ms));
      upsert.exec();
      upsert.reset();
    }
    if (now_ms - last_forget_ms_ >= 86'400'000) {
      SQLite::Statement forget(*db_, "DELETE FROM connector_state WHERE updated_ms < ?");
      forget.bind(1, static_cast<int64_t>(now_ms - kForgetAfterMs));
      forget.exec();
    }
    transaction.commit();
    if (now_ms - last_forget_ms_ >= 86'400'000) last_forget_ms_ = now_ms;
    return common::OkStatus();
  } catch (const std::exception& e) {
    return common::SqliteErrorStatus(*db_, e, "keep a connector's state");
  }
}

}  // namespace storepulse::edge
