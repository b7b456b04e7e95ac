#include "common/store/schema_version.h"

#include <SQLiteCpp/SQLiteCpp.h>

#include <charconv>
#include <mutex>
#include <set>

#include "common/log.h"

namespace storepulse::common {

namespace {

constexpr char kVersionKey[] = "schema_version";

bool HasMeta(SQLite::Database& db) {
  return db.execAndGet("SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = 'meta'")
             .getInt() != 0;
}

void WriteVersion(SQLite::Database& db, int version, const char* verb = "INSERT OR REPLACE") {
  SQLite::Statement q(db, std::string(verb) + " INTO meta(key, value) VALUES(?, ?)");
  q.bind(1, kVersionKey);
  q.bind(2, std::to_string(version));
  q.exec();
}

// The files found at the current version in this process: the version of a file only changes
// when a storepulse opens it read-write, which the daemon of a data directory does once, at start.
class CurrentFiles {
 public:
  static bool Known(const std::string& path) {
    std::lock_guard lock(mu());
    return paths().count(path) != 0;
  }
  static void Remember(const std::string& path) {
    if (path.empty() || path == ":memory:") return;  // each in-memory database is another
    std::lock_guard lock(mu());
    paths().insert(path);
  }

 private:
  static std::mutex& mu() {
    static std::mutex mu;
    return mu;
  }
  static std::set<std::string>& paths() {  // never destroyed: HTTP threads may read at exit
    static auto* paths = new std::set<std::string>();
    return *paths;
  }
};

Status RefuseNewer(const std::string& path, const Schema& schema, int found) {
  return FailedPrecondition(
      "the " + schema.database + " database " + path + " has schema version " +
      std::to_string(found) +
      ", but this storepulse (" STOREPULSE_VERSION ") reads schema versions up to " +
      std::to_string(schema.current_version) +
      ": a newer storepulse wrote it. It was left as it is: upgrade storepulse or restore the "
      "file you had before the newer version ran");
}

// A new database: meta and its version, in one transaction, before the caller's tables.
Status CreateAtCurrent(SQLite::Database& db, const Schema& schema) {
  SQLite::Transaction transaction(db, SQLite::TransactionBehavior::IMMEDIATE);
  db.exec("CREATE TABLE IF NOT EXISTS meta(key TEXT PRIMARY KEY, value TEXT NOT NULL)");
  WriteVersion(db, schema.current_version, "INSERT OR IGNORE");
  transaction.commit();
  return OkStatus();
}

// One step in its own write transaction, the version read again inside it: another process may
// have upgraded the file since (a step is then not run twice).
Status RunStep(SQLite::Database& db, const std::string& path, const Schema& schema,
               const SchemaStep& step) {
  const std::string from_to = "the " + schema.database + " database " + path +
                              " from schema version " + std::to_string(step.to_version - 1) +
                              " to " + std::to_string(step.to_version);
  try {
    SQLite::Transaction transaction(db, SQLite::TransactionBehavior::IMMEDIATE);
    ASSIGN_OR_RETURN(int version, ReadSchemaVersion(db, path));
    if (version >= step.to_version) return OkStatus();
    LogInfo("upgrading " + from_to + ": " + step.what);
    Status applied = step.apply(db);
    if (!applied.ok()) {
      return Status(applied.code(), "cannot upgrade " + from_to + " (" + step.what +
                                        "): " + applied.message() + "; it is still at version " +
                                        std::to_string(step.to_version - 1));
    }
    WriteVersion(db, step.to_version);
    transaction.commit();
    LogInfo("upgraded " + from_to);
    return OkStatus();
  } catch (const std::exception& e) {
    return Unavailable("cannot upgrade " + from_to + " (" + step.what + "): " + e.what() +
                       "; it is still at version " + std::to_string(step.to_version - 1));
  }
}

}  // namespace

StatusOr<int> ReadSchemaVersion(SQLite::Database& db, const std::string& path) {
  try {
    if (!HasMeta(db)) return 0;
    SQLite::Statement q(db, "SELECT value FROM meta WHERE key = ?");
    q.bind(1, kVersionKey);
    const std::string text = q.executeStep() ? q.getColumn(0).getString() : std::string();
    int version = 0;
    auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), version);
    if (text.empty() || error != std::errc() || end != text.data() + text.size() || version < 1) {
      return FailedPrecondition(path + " has no readable schema_version in its meta table (\"" +
                                text + "\"): it is not a database storepulse wrote");
    }
    return version;
  } catch (const std::exception& e) {
    return Unavailable("cannot read the schema version of " + path + ": " + e.what());
  }
}

Status UpgradeSchema(SQLite::Database& db, const std::string& path, const Schema& schema) {
  ASSIGN_OR_RETURN(int found, ReadSchemaVersion(db, path));
  if (found > schema.current_version) return RefuseNewer(path, schema, found);
  try {
    if (found == 0) {
      RETURN_IF_ERROR(CreateAtCurrent(db, schema));
      CurrentFiles::Remember(path);
      return OkStatus();
    }
  } catch (const std::exception& e) {
    return Unavailable("cannot create the " + schema.database + " database " + path + ": " +
                       e.what());
  }
  for (int version = found + 1; version <= schema.current_version; ++version) {
    const SchemaStep* step = nullptr;
    for (const SchemaStep& s : schema.steps) step = s.to_version == version ? &s : step;
    if (step == nullptr) {
      return Internal("no step brings the " + schema.database + " database to schema version " +
                      std::to_string(version) + " (a bug of this build)");
    }
    RETURN_IF_ERROR(RunStep(db, path, schema, *step));
  }
  CurrentFiles::Remember(path);
  return OkStatus();
}

Status CheckSchemaReadable(SQLite::Database& db, const std::string& path, const Schema& schema) {
  if (CurrentFiles::Known(path)) return OkStatus();
  ASSIGN_OR_RETURN(int found, ReadSchemaVersion(db, path));
  const std::string daemon = "storepulse-" + schema.database;
  if (found == 0) {
    return FailedPrecondition(path + " has no schema version: " + daemon +
                              " has not finished creating it, or it is not a storepulse database");
  }
  if (found > schema.current_version) return RefuseNewer(path, schema, found);
  if (found < schema.current_version) {
    return FailedPrecondition(
        "the " + schema.database + " database " + path + " has schema version " +
        std::to_string(found) + ", but this storepulse (" STOREPULSE_VERSION ") reads version " +
        std::to_string(schema.current_version) + ": an older storepulse wrote it. Start " + daemon +
        " once (it upgrades the file in place), then read it again");
  }
  CurrentFiles::Remember(path);
  return OkStatus();
}

}  // namespace storepulse::common
