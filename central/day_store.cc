#include "central/day_store.h"

#include <SQLiteCpp/SQLiteCpp.h>

#include <filesystem>
#include <nlohmann/json.hpp>

#include "common/store/sqlite_errors.h"

namespace storepulse::central {
namespace {

constexpr int kSchemaVersion = 1;

constexpr const char* kSchema = R"sql(
CREATE TABLE IF NOT EXISTS meta(key TEXT PRIMARY KEY, value TEXT);
CREATE TABLE IF NOT EXISTS days(store TEXT NOT NULL, day TEXT NOT NULL, status TEXT NOT NULL,
                                resend_requested INTEGER NOT NULL, edge TEXT NOT NULL,
                                central TEXT NOT NULL, detail TEXT NOT NULL,
                                received_ms INTEGER NOT NULL, certified_ms INTEGER NOT NULL,
                                reopened INTEGER NOT NULL, reopened_ms INTEGER NOT NULL,
                                PRIMARY KEY(store, day));
)sql";

constexpr const char* kColumns =
    "store, day, status, resend_requested, edge, central, detail, received_ms, certified_ms, "
    "reopened, reopened_ms";

DayRecord RecordOf(SQLite::Statement& q) {
  DayRecord r;
  r.store = q.getColumn(0).getString();
  r.day = q.getColumn(1).getString();
  r.status = q.getColumn(2).getString();
  r.resend_requested = q.getColumn(3).getInt() != 0;
  r.edge = DayFiguresFromJson(q.getColumn(4).getString());
  r.central = DayFiguresFromJson(q.getColumn(5).getString());
  r.detail = q.getColumn(6).getString();
  r.received_ms = q.getColumn(7).getInt64();
  r.certified_ms = q.getColumn(8).getInt64();
  r.reopened = q.getColumn(9).getInt64();
  r.reopened_ms = q.getColumn(10).getInt64();
  return r;
}

}  // namespace

std::string DayFiguresToJson(const common::DayFigures& figures) {
  return nlohmann::json{
      {"events", figures.events}, {"totals", figures.totals}, {"ids_hash", figures.ids_hash}}
      .dump();
}

common::DayFigures DayFiguresFromJson(const std::string& text) {
  common::DayFigures figures;
  const nlohmann::json j = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (!j.is_object()) return figures;
  figures.events = j.value("events", int64_t{0});
  if (j.contains("totals") && j["totals"].is_object()) {
    for (const auto& [name, value] : j["totals"].items()) {
      if (value.is_number_integer()) figures.totals[name] = value.get<int64_t>();
    }
  }
  figures.ids_hash = j.value("ids_hash", "");
  return figures;
}

SqliteDayStore::SqliteDayStore(std::unique_ptr<SQLite::Database> db, std::string path)
    : db_(std::move(db)), path_(std::move(path)) {}

SqliteDayStore::~SqliteDayStore() = default;

common::StatusOr<std::unique_ptr<DayStore>> SqliteDayStore::Open(const std::string& path) {
  try {
    std::filesystem::create_directories(std::filesystem::path(path).parent_path());
    auto db = std::make_unique<SQLite::Database>(path, SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE,
                                                 5000);
    db->exec("PRAGMA journal_mode=WAL");
    db->exec("PRAGMA synchronous=FULL");  // a verdict sent to an edge is not forgotten
    db->exec(kSchema);
    SQLite::Statement version(*db, "SELECT value FROM meta WHERE key = 'schema_version'");
    if (version.executeStep()) {
      if (version.getColumn(0).getString() != std::to_string(kSchemaVersion)) {
        return common::FailedPrecondition(path + " has day sign-off schema version " +
                                          version.getColumn(0).getString() + ", this central " +
                                          std::to_string(kSchemaVersion) + ": upgrade central");
      }
    } else {
      db->exec("INSERT INTO meta(key, value) VALUES ('schema_version', '" +
               std::to_string(kSchemaVersion) + "')");
    }
    return std::unique_ptr<DayStore>(new SqliteDayStore(std::move(db), path));
  } catch (const std::exception& e) {
    return common::SqliteErrorStatus(e, "open the day sign-off database", path);
  }
}

common::StatusOr<std::optional<DayRecord>> SqliteDayStore::Get(const std::string& store,
                                                               const std::string& day) {
  std::lock_guard lock(mu_);
  try {
    SQLite::Statement q(
        *db_, std::string("SELECT ") + kColumns + " FROM days WHERE store = ? AND day = ?");
    q.bind(1, store);
    q.bind(2, day);
    if (!q.executeStep()) return std::optional<DayRecord>();
    return std::optional<DayRecord>(RecordOf(q));
  } catch (const std::exception& e) {
    return common::SqliteErrorStatus(*db_, e, "read the day sign-off");
  }
}

common::Status SqliteDayStore::Put(const DayRecord& r) {
  std::lock_guard lock(mu_);
  try {
    SQLite::Statement q(*db_, std::string("INSERT OR REPLACE INTO days(") + kColumns +
                                  ") VALUES(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
    q.bind(1, r.store);
    q.bind(2, r.day);
    q.bind(3, r.status);
    q.bind(4, r.resend_requested ? 1 : 0);
    q.bind(5, DayFiguresToJson(r.edge));
    q.bind(6, DayFiguresToJson(r.central));
    q.bind(7, r.detail);
    q.bind(8, r.received_ms);
    q.bind(9, r.certified_ms);
    q.bind(10, r.reopened);
    q.bind(11, r.reopened_ms);
    q.exec();
    return common::OkStatus();
  } catch (const std::exception& e) {
    return common::SqliteErrorStatus(*db_, e, "write the day sign-off");
  }
}

common::StatusOr<std::vector<DayRecord>> SqliteDayStore::List(const std::string& store,
                                                              const std::string& from,
                                                              const std::string& to) {
  std::lock_guard lock(mu_);
  try {
    SQLite::Statement q(*db_,
                        std::string("SELECT ") + kColumns +
                            " FROM days WHERE (?1 = '' OR store = ?1) AND (?2 = '' OR day >= ?2)"
                            " AND (?3 = '' OR day <= ?3) ORDER BY store, day");
    q.bind(1, store);
    q.bind(2, from);
    q.bind(3, to);
    std::vector<DayRecord> out;
    while (q.executeStep()) out.push_back(RecordOf(q));
    return out;
  } catch (const std::exception& e) {
    return common::SqliteErrorStatus(*db_, e, "read the day sign-off");
  }
}

}  // namespace storepulse::central
