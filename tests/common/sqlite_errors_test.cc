// The SQLite error mapper (common/store/sqlite_errors.h) on real failures of real files: a full
// database, a damaged one, a file that is not a database, a busy one, a read-only one; then the
// codes that cannot be made on demand (I/O errors) and exceptions that are not SQLite's.
#include "common/store/sqlite_errors.h"

#include <SQLiteCpp/SQLiteCpp.h>
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <filesystem>
#include <fstream>
#include <functional>
#include <optional>
#include <stdexcept>

#include "tests/support/temp_dir.h"

namespace storepulse::common {
namespace {

// Whether `text` holds `part`, printing `text` when not.
::testing::AssertionResult Holds(const std::string& text, const std::string& part) {
  if (text.find(part) != std::string::npos) return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure() << "\"" << part << "\" is not in: " << text;
}

// Runs `body`, which must throw; the mapper's Status for what it threw.
Status MapThrown(const std::function<void()>& body, std::string_view doing, std::string_view path) {
  try {
    body();
  } catch (const std::exception& e) {
    return SqliteErrorStatus(e, doing, path);
  }
  ADD_FAILURE() << "nothing was thrown";
  return OkStatus();
}

// A database of `rows` rows of 200 bytes each, closed (rollback journal: one file, no WAL).
void MakeDatabase(const std::string& path, int rows) {
  SQLite::Database db(path, SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
  db.exec("CREATE TABLE t(id INTEGER PRIMARY KEY, payload TEXT NOT NULL)");
  SQLite::Transaction transaction(db);
  SQLite::Statement insert(db, "INSERT INTO t(payload) VALUES(printf('%.200c', 'x'))");
  for (int i = 0; i < rows; ++i) {
    insert.exec();
    insert.reset();
  }
  transaction.commit();
}

// Overwrites `length` bytes of `path` from `offset` with a pattern no page or header can hold.
void WriteGarbage(const std::string& path, std::streamoff offset, size_t length) {
  std::fstream file(path, std::ios::in | std::ios::out | std::ios::binary);
  file.seekp(offset);
  const std::string garbage(length, '\xEE');
  file.write(garbage.data(), static_cast<std::streamsize>(garbage.size()));
  ASSERT_TRUE(file.good());
}

class SqliteErrorsTest : public ::testing::Test {
 protected:
  test_support::TempDir dir_;
  const std::string path_ = dir_.File("test.db");
};

TEST_F(SqliteErrorsTest, AFullDatabaseIsTheDiskFullAnswer) {
  SQLite::Database db(path_, SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
  db.exec("CREATE TABLE t(payload BLOB NOT NULL)");
  db.exec("PRAGMA max_page_count = 8");  // the file may not grow past 8 pages: SQLITE_FULL
  Status status = MapThrown(
      [&] {
        for (int i = 0; i < 100; ++i) db.exec("INSERT INTO t VALUES(zeroblob(4096))");
      },
      "store events", path_);
  EXPECT_EQ(status.code(), StatusCode::kResourceExhausted) << status.message();
  EXPECT_TRUE(Holds(status.message(), "disk full: cannot store events"));
  EXPECT_TRUE(Holds(status.message(), path_));
  EXPECT_TRUE(Holds(status.message(), "free space on that disk"));
}

TEST_F(SqliteErrorsTest, ADamagedFileIsInternalNamingTheFileAndWhatToDo) {
  MakeDatabase(path_, 2000);
  WriteGarbage(path_, 4096, 64 * 1024);  // every page after the first (the schema)
  SQLite::Database db(path_, SQLite::OPEN_READWRITE);
  Status status = MapThrown([&] { db.execAndGet("SELECT SUM(length(payload)) FROM t"); },
                            "read the events", path_);
  EXPECT_EQ(status.code(), StatusCode::kInternal) << status.message();
  EXPECT_TRUE(Holds(status.message(), path_ + " is damaged: cannot read the events"));
  EXPECT_TRUE(Holds(status.message(), "move the file aside"));
  EXPECT_TRUE(Holds(status.message(), "restore it from a backup"));
}

TEST_F(SqliteErrorsTest, AFileThatIsNotADatabaseIsInternalNamingTheFile) {
  MakeDatabase(path_, 10);
  WriteGarbage(path_, 0, 100);  // the header
  SQLite::Database db(path_, SQLite::OPEN_READWRITE);
  Status status =
      MapThrown([&] { db.execAndGet("SELECT COUNT(*) FROM t"); }, "open the store", path_);
  EXPECT_EQ(status.code(), StatusCode::kInternal) << status.message();
  EXPECT_TRUE(Holds(status.message(), path_ + " is not a SQLite database"));
  EXPECT_TRUE(Holds(status.message(), "restore it from a backup"));
}

TEST_F(SqliteErrorsTest, ABusyDatabaseIsUnavailable) {
  MakeDatabase(path_, 1);
  SQLite::Database holder(path_, SQLite::OPEN_READWRITE);
  holder.exec("BEGIN IMMEDIATE");  // holds the write lock
  SQLite::Database waiter(path_, SQLite::OPEN_READWRITE, /*busy timeout ms=*/0);
  Status status =
      MapThrown([&] { waiter.exec("BEGIN IMMEDIATE"); }, "begin a write transaction", path_);
  EXPECT_EQ(status.code(), StatusCode::kUnavailable) << status.message();
  EXPECT_TRUE(Holds(status.message(), path_ + " is busy: cannot begin a write transaction"));
  EXPECT_TRUE(Holds(status.message(), "Try again"));
  holder.exec("ROLLBACK");
}

TEST_F(SqliteErrorsTest, AReadOnlyDatabaseSaysWhatToFix) {
  MakeDatabase(path_, 1);
  SQLite::Database db(path_, SQLite::OPEN_READONLY);
  Status status =
      MapThrown([&] { db.exec("INSERT INTO t(payload) VALUES('x')"); }, "store events", path_);
  EXPECT_EQ(status.code(), StatusCode::kUnavailable) << status.message();
  EXPECT_TRUE(Holds(status.message(), path_ + " is read-only to this process"));
  EXPECT_TRUE(Holds(status.message(), "writable by the daemon's user"));
}

TEST_F(SqliteErrorsTest, TheDatabaseOverloadNamesItsFile) {
  SQLite::Database db(path_, SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
  try {
    db.exec("SELECT * FROM no_such_table");
    FAIL() << "nothing was thrown";
  } catch (const std::exception& e) {
    Status status = SqliteErrorStatus(db, e, "read the stock");
    EXPECT_EQ(status.code(), StatusCode::kInternal);  // SQLITE_ERROR: our SQL is wrong
    EXPECT_TRUE(Holds(status.message(), "cannot read the stock (SQLite: no such table"));
    EXPECT_TRUE(Holds(status.message(), path_));
  }
}

TEST(SqliteCodeStatusTest, IoErrorsAreUnavailableNamingTheFileUnlessTheDiskIsFull) {
  Status io = SqliteCodeStatus(SQLITE_IOERR_WRITE, "disk I/O error", "commit", "/d/edge.db");
  EXPECT_EQ(io.code(), StatusCode::kUnavailable);
  EXPECT_TRUE(Holds(io.message(), "I/O error on /d/edge.db: cannot commit"));
  EXPECT_TRUE(Holds(io.message(), "Check the disk"));
  Status full =
      SqliteCodeStatus(SQLITE_IOERR_SHMSIZE, "disk I/O error", "commit", "/d/edge.db", ENOSPC);
  EXPECT_EQ(full.code(), StatusCode::kResourceExhausted);
  EXPECT_TRUE(Holds(full.message(), "disk full: cannot commit"));
  EXPECT_TRUE(Holds(full.message(), "No space left on device"));
}

TEST(SqliteCodeStatusTest, EachCodeHasItsStatus) {
  auto code_of = [](int sqlite_code) {
    return SqliteCodeStatus(sqlite_code, "…", "store events", "/d/edge.db").code();
  };
  EXPECT_EQ(code_of(SQLITE_FULL), StatusCode::kResourceExhausted);
  EXPECT_EQ(code_of(SQLITE_BUSY), StatusCode::kUnavailable);
  EXPECT_EQ(code_of(SQLITE_BUSY_SNAPSHOT), StatusCode::kUnavailable);
  EXPECT_EQ(code_of(SQLITE_LOCKED), StatusCode::kUnavailable);
  EXPECT_EQ(code_of(SQLITE_CORRUPT), StatusCode::kInternal);
  EXPECT_EQ(code_of(SQLITE_CORRUPT_SEQUENCE), StatusCode::kInternal);
  EXPECT_EQ(code_of(SQLITE_NOTADB), StatusCode::kInternal);
  EXPECT_EQ(code_of(SQLITE_READONLY), StatusCode::kUnavailable);
  EXPECT_EQ(code_of(SQLITE_CANTOPEN), StatusCode::kUnavailable);
  EXPECT_EQ(code_of(SQLITE_NOMEM), StatusCode::kUnavailable);
  EXPECT_EQ(code_of(SQLITE_CONSTRAINT_UNIQUE), StatusCode::kInternal);
  EXPECT_EQ(code_of(SQLITE_MISUSE), StatusCode::kInternal);
  EXPECT_TRUE(
      Holds(SqliteCodeStatus(SQLITE_READONLY_DBMOVED, "…", "commit", "/d/edge.db").message(),
            "/d/edge.db was moved or deleted while open"));
  EXPECT_TRUE(
      Holds(SqliteCodeStatus(SQLITE_FULL, "…", "commit", "").message(), "the in-memory database"));
}

TEST(SqliteErrorStatusTest, ExceptionsThatAreNotSqlitesAreMappedToo) {
  const std::filesystem::filesystem_error no_room(
      "cannot create directory", std::make_error_code(std::errc::no_space_on_device));
  EXPECT_EQ(SqliteErrorStatus(no_room, "open", "/d/edge.db").code(),
            StatusCode::kResourceExhausted);
  const std::filesystem::filesystem_error denied(
      "cannot create directory", std::make_error_code(std::errc::permission_denied));
  EXPECT_EQ(SqliteErrorStatus(denied, "open", "/d/edge.db").code(), StatusCode::kUnavailable);
  EXPECT_EQ(SqliteErrorStatus(std::bad_alloc(), "open", "/d/edge.db").code(),
            StatusCode::kUnavailable);
  Status bug = SqliteErrorStatus(std::invalid_argument("stoll"), "read the meta table", "/d/e.db");
  EXPECT_EQ(bug.code(), StatusCode::kInternal);
  EXPECT_TRUE(Holds(bug.message(), "cannot read the meta table (stoll) on /d/e.db"));
  // SQLiteCpp's own checks carry no SQLite code: a fault of ours.
  EXPECT_EQ(
      SqliteErrorStatus(SQLite::Exception("column index out of range"), "read", "/d/e.db").code(),
      StatusCode::kInternal);
}

}  // namespace
}  // namespace storepulse::common
