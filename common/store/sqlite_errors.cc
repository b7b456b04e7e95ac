#include "common/store/sqlite_errors.h"

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Exception.h>
#include <sqlite3.h>

#include <cerrno>
#include <cstring>
#include <new>
#include <string>
#include <system_error>

namespace storepulse::common {

namespace {

std::string FileName(std::string_view db_path) {
  if (db_path.empty() || db_path == ":memory:") return "the in-memory database";
  return std::string(db_path);
}

// "cannot commit events (SQLite: disk I/O error, code 778; the system said: …)"
std::string Cannot(std::string_view doing, std::string_view sqlite_message, int code,
                   int system_errno) {
  std::string out = "cannot " + std::string(doing) + " (SQLite: " + std::string(sqlite_message);
  // Where the message alone does not tell them apart (I/O errors, faults): the extended code.
  const int primary = code & 0xff;
  if (primary != SQLITE_FULL && primary != SQLITE_BUSY && primary != SQLITE_CORRUPT &&
      primary != SQLITE_NOTADB && primary != SQLITE_READONLY) {
    out += ", code " + std::to_string(code);
  }
  if (system_errno != 0) out += "; the system said: " + std::string(std::strerror(system_errno));
  return out + ")";
}

Status DiskFull(const std::string& cannot, const std::string& file) {
  return ResourceExhausted("disk full: " + cannot + ": the disk holding " + file +
                           " has no room left. This write stored nothing and what was stored "
                           "before is kept; free space on that disk and writes succeed again");
}

Status Damaged(int primary, const std::string& cannot, const std::string& file) {
  const std::string what = primary == SQLITE_NOTADB
                               ? file + " is not a SQLite database, or its header is damaged: "
                               : file + " is damaged: ";
  return Internal(what + cannot +
                  ". Stop the daemon, move the file aside with its -wal and -shm files, then "
                  "restore it from a backup or let the daemon start a new one "
                  "(docs/OPERATIONS.md, \"A damaged database\")");
}

Status NotWritable(int code, const std::string& cannot, const std::string& file) {
  if (code == SQLITE_READONLY_DBMOVED) {
    return Unavailable(file + " was moved or deleted while open: " + cannot +
                       ". Put it back or restart the daemon");
  }
  if ((code & 0xff) == SQLITE_CANTOPEN) {
    return Unavailable(cannot + ": " + file +
                       " cannot be opened. Check that its directory exists and is writable by "
                       "the daemon's user (storepulse), and that the disk has room and inodes");
  }
  return Unavailable(file + " is read-only to this process: " + cannot +
                     ". Make the file, its -wal and -shm files and its directory writable by the "
                     "daemon's user (storepulse), and check that the file system is not mounted "
                     "read-only");
}

}  // namespace

Status SqliteCodeStatus(int code, std::string_view sqlite_message, std::string_view doing,
                        std::string_view db_path, int system_errno) {
  const std::string file = FileName(db_path);
  const std::string cannot = Cannot(doing, sqlite_message, code, system_errno);
  switch (const int primary = code & 0xff) {
    case SQLITE_FULL:
      return DiskFull(cannot, file);
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
      return Unavailable(file + " is busy: " + cannot +
                         ": another connection holds its lock. Try again; if it lasts, look for "
                         "another process using it: fuser -v " +
                         file);
    case SQLITE_CORRUPT:
    case SQLITE_NOTADB:
      return Damaged(primary, cannot, file);
    case SQLITE_IOERR:
      if (system_errno == ENOSPC) return DiskFull(cannot, file);
      return Unavailable("I/O error on " + file + ": " + cannot +
                         ". Check the disk and its file system (journalctl -k); the daemon keeps "
                         "running and the next request tries again");
    case SQLITE_READONLY:
    case SQLITE_PERM:
    case SQLITE_CANTOPEN:
    case SQLITE_AUTH:
      return NotWritable(code, cannot, file);
    case SQLITE_NOMEM:
    case SQLITE_INTERRUPT:
    case SQLITE_ABORT:
    case SQLITE_SCHEMA:
    case SQLITE_PROTOCOL:
      return Unavailable(cannot + " on " + file + ". Try again");
    default:
      return Internal(cannot + " on " + file +
                      ": a fault of storepulse, or a database changed by another program. "
                      "Report it with the daemon's journal");
  }
}

Status SqliteErrorStatus(const std::exception& error, std::string_view doing,
                         std::string_view db_path) {
  if (const auto* sqlite = dynamic_cast<const SQLite::Exception*>(&error)) {
    // SQLiteCpp's own checks (a column out of range) carry no code: -1, a fault of ours.
    const int code = sqlite->getExtendedErrorCode() >= 0 ? sqlite->getExtendedErrorCode()
                                                         : sqlite->getErrorCode();
    return SqliteCodeStatus(code < 0 ? SQLITE_MISUSE : code, sqlite->what(), doing, db_path);
  }
  const std::string cannot = "cannot " + std::string(doing) + " (" + error.what() + ")";
  const std::string file = FileName(db_path);
  if (dynamic_cast<const std::bad_alloc*>(&error)) {
    return Unavailable("out of memory: " + cannot + " on " + file + ". Try again");
  }
  if (const auto* system = dynamic_cast<const std::system_error*>(&error)) {
    if (system->code() == std::errc::no_space_on_device) return DiskFull(cannot, file);
    return Unavailable(cannot + " for " + file +
                       ". Check that the data directory exists and is writable by the daemon's "
                       "user (storepulse)");
  }
  return Internal(cannot + " on " + file +
                  ": a fault of storepulse, or a database changed by another program. Report it "
                  "with the daemon's journal");
}

Status SqliteErrorStatus(const SQLite::Database& db, const std::exception& error,
                         std::string_view doing) {
  const auto* sqlite = dynamic_cast<const SQLite::Exception*>(&error);
  if (sqlite == nullptr || (sqlite->getErrorCode() & 0xff) != SQLITE_IOERR) {
    return SqliteErrorStatus(error, doing, db.getFilename());
  }
  return SqliteCodeStatus(
      sqlite->getExtendedErrorCode() >= 0 ? sqlite->getExtendedErrorCode() : sqlite->getErrorCode(),
      sqlite->what(), doing, db.getFilename(), sqlite3_system_errno(db.getHandle()));
}

}  // namespace storepulse::common
