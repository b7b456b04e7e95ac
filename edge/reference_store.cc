#include "edge/reference_store.h"

#include <SQLiteCpp/SQLiteCpp.h>

#include "common/store/write_transaction.h"

namespace storepulse::edge {

namespace {

std::optional<std::string> HeldVersion(SQLite::Database& db, std::string_view kind) {
  SQLite::Statement query(db, "SELECT version FROM reference_versions WHERE kind = ?");
  query.bind(1, std::string(kind));
  if (!query.executeStep()) return std::nullopt;
  return query.getColumn(0).getString();
}

common::StatusOr<common::DocumentRows> ReadRows(SQLite::Database& db, std::string_view kind) {
  common::DocumentRows rows;
  SQLite::Statement query(db, "SELECT key, value FROM reference_rows WHERE kind = ?");
  query.bind(1, std::string(kind));
  while (query.executeStep()) {
    nlohmann::json row = nlohmann::json::parse(query.getColumn(1).getString(), nullptr, false);
    if (row.is_discarded()) {
      return common::Internal("edge.db: reference row " + std::string(kind) + "/" +
                              query.getColumn(0).getString() + " is not JSON");
    }
    rows.emplace(query.getColumn(0).getString(), std::move(row));
  }
  return rows;
}

void WriteRow(SQLite::Database& db, std::string_view kind, const std::string& key,
              const nlohmann::json& row) {
  SQLite::Statement upsert(db,
                           "INSERT INTO reference_rows(kind, key, value) VALUES (?, ?, ?) "
                           "ON CONFLICT(kind, key) DO UPDATE SET value = excluded.value");
  upsert.bind(1, std::string(kind));
  upsert.bind(2, key);
  upsert.bind(3, row.dump());
  upsert.exec();
}

void WriteVersion(SQLite::Database& db, std::string_view kind, const std::string& version,
                  int64_t now_ms) {
  SQLite::Statement upsert(db,
                           "INSERT INTO reference_versions(kind, version, received_ms) "
                           "VALUES (?, ?, ?) ON CONFLICT(kind) DO UPDATE SET "
                           "version = excluded.version, received_ms = excluded.received_ms");
  upsert.bind(1, std::string(kind));
  upsert.bind(2, version);
  upsert.bind(3, now_ms);
  upsert.exec();
}

}  // namespace

void CreateReferenceTables(SQLite::Database& db) {
  db.exec(
      "CREATE TABLE IF NOT EXISTS reference_rows(kind TEXT NOT NULL, key TEXT NOT NULL, "
      "value TEXT NOT NULL, PRIMARY KEY(kind, key)) WITHOUT ROWID");
  db.exec(
      "CREATE TABLE IF NOT EXISTS reference_versions(kind TEXT PRIMARY KEY, "
      "version TEXT NOT NULL, received_ms INTEGER NOT NULL)");
}

std::map<std::string, std::string> ReadHeldVersions(SQLite::Database& db) {
  std::map<std::string, std::string> versions;
  SQLite::Statement query(db, "SELECT kind, version FROM reference_versions");
  while (query.executeStep()) {
    versions.emplace(query.getColumn(0).getString(), query.getColumn(1).getString());
  }
  return versions;
}

std::map<std::string, HeldVersionTime> ReadHeldVersionTimes(SQLite::Database& db) {
  std::map<std::string, HeldVersionTime> versions;
  SQLite::Statement query(db, "SELECT kind, version, received_ms FROM reference_versions");
  while (query.executeStep()) {
    versions.emplace(
        query.getColumn(0).getString(),
        HeldVersionTime{query.getColumn(1).getString(), query.getColumn(2).getInt64()});
  }
  return versions;
}

common::StatusOr<std::optional<HeldDocument>> ReadHeldDocument(SQLite::Database& db,
                                                               std::string_view kind) {
  SQLite::Statement query(db, "SELECT version, received_ms FROM reference_versions WHERE kind = ?");
  query.bind(1, std::string(kind));
  if (!query.executeStep()) return std::optional<HeldDocument>();
  HeldDocument held;
  held.version = query.getColumn(0).getString();
  held.received_ms = query.getColumn(1).getInt64();
  ASSIGN_OR_RETURN(held.rows, ReadRows(db, kind));
  return std::optional<HeldDocument>(std::move(held));
}

common::Status StoreSnapshot(SQLite::Database& db, std::string_view kind,
                             const std::string& version, const common::DocumentRows& rows,
                             int64_t now_ms) {
  if (common::DocumentVersion(rows) != version) {
    return common::InvalidArgument("the " + std::string(kind) + " snapshot is not version " +
                                   version);
  }
  if (HeldVersion(db, kind) == version) return common::OkStatus();
  ASSIGN_OR_RETURN(common::WriteTransaction transaction, common::WriteTransaction::Begin(db));
  SQLite::Statement clear(db, "DELETE FROM reference_rows WHERE kind = ?");
  clear.bind(1, std::string(kind));
  clear.exec();
  for (const auto& [key, row] : rows) WriteRow(db, kind, key, row);
  WriteVersion(db, kind, version, now_ms);
  return transaction.Commit();
}

common::Status StoreDelta(SQLite::Database& db, std::string_view kind,
                          const std::string& base_version, const std::string& version,
                          const common::DocumentDelta& delta, int64_t now_ms) {
  const std::optional<std::string> held = HeldVersion(db, kind);
  if (held == version) return common::OkStatus();
  if (held != base_version) {
    return common::FailedPrecondition("the " + std::string(kind) + " delta applies to " +
                                      base_version + ", the edge holds " + held.value_or("none"));
  }
  ASSIGN_OR_RETURN(common::DocumentRows rows, ReadRows(db, kind));
  common::ApplyDocumentDelta(rows, delta);
  if (common::DocumentVersion(rows) != version) {
    return common::Internal("the " + std::string(kind) + " delta from " + base_version +
                            " does not give version " + version);
  }
  ASSIGN_OR_RETURN(common::WriteTransaction transaction, common::WriteTransaction::Begin(db));
  SQLite::Statement remove(db, "DELETE FROM reference_rows WHERE kind = ? AND key = ?");
  for (const std::string& key : delta.removals) {
    remove.bind(1, std::string(kind));
    remove.bind(2, key);
    remove.exec();
    remove.reset();
  }
  for (const auto& [key, row] : delta.upserts) WriteRow(db, kind, key, row);
  WriteVersion(db, kind, version, now_ms);
  return transaction.Commit();
}

}  // namespace storepulse::edge
