// WriteTransaction (common/store/write_transaction.h) on real files: it keeps its writes only when
// committed, rolls back on every other way out, and reports a failed BEGIN or COMMIT as a Status.
#include "common/store/write_transaction.h"

#include <SQLiteCpp/SQLiteCpp.h>
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <stdexcept>

#include "tests/support/temp_dir.h"

namespace storepulse::common {
namespace {

class WriteTransactionTest : public ::testing::Test {
 protected:
  void SetUp() override { db_.exec("CREATE TABLE t(v INTEGER NOT NULL)"); }

  int64_t Rows() { return db_.execAndGet("SELECT COUNT(*) FROM t").getInt64(); }
  // Whether the connection is outside any transaction (a new one may begin).
  bool Idle() {
    if (db_.tryExec("BEGIN") != SQLITE_OK) return false;
    db_.exec("ROLLBACK");
    return true;
  }

  test_support::TempDir dir_;
  SQLite::Database db_{dir_.File("test.db"), SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE};
};

TEST_F(WriteTransactionTest, CommitKeepsTheWrites) {
  auto transaction = WriteTransaction::Begin(db_);
  ASSERT_TRUE(transaction.ok()) << transaction.status().message();
  db_.exec("INSERT INTO t VALUES(1)");
  ASSERT_TRUE(transaction->Commit().ok());
  EXPECT_FALSE(transaction->active());
  EXPECT_EQ(Rows(), 1);
  EXPECT_EQ(transaction->Commit().code(), StatusCode::kFailedPrecondition);  // ended already
  EXPECT_TRUE(Idle());
}

TEST_F(WriteTransactionTest, RollsBackWhenItEndsWithoutCommit) {
  {
    auto transaction = WriteTransaction::Begin(db_);
    ASSERT_TRUE(transaction.ok());
    db_.exec("INSERT INTO t VALUES(1)");
  }
  EXPECT_EQ(Rows(), 0);
  EXPECT_TRUE(Idle());
}

TEST_F(WriteTransactionTest, RollsBackWhenAnExceptionLeavesItsScope) {
  try {
    auto transaction = WriteTransaction::Begin(db_);
    ASSERT_TRUE(transaction.ok());
    db_.exec("INSERT INTO t VALUES(1)");
    db_.exec("INSERT INTO t VALUES(NULL)");  // NOT NULL: throws
    FAIL() << "nothing was thrown";
  } catch (const SQLite::Exception&) {
  }
  EXPECT_EQ(Rows(), 0);
  EXPECT_TRUE(Idle());
}

TEST_F(WriteTransactionTest, ExplicitRollbackAndMovesEndItOnce) {
  auto first = WriteTransaction::Begin(db_);
  ASSERT_TRUE(first.ok());
  db_.exec("INSERT INTO t VALUES(1)");
  WriteTransaction moved = std::move(first).value();
  EXPECT_TRUE(moved.active());
  moved.Rollback();
  EXPECT_FALSE(moved.active());
  EXPECT_EQ(Rows(), 0);
  EXPECT_TRUE(Idle());
  // The moved-from and the rolled-back objects end without touching the next transaction.
  auto second = WriteTransaction::Begin(db_);
  ASSERT_TRUE(second.ok());
  db_.exec("INSERT INTO t VALUES(2)");
  moved = std::move(second).value();
  ASSERT_TRUE(moved.Commit().ok());
  EXPECT_EQ(Rows(), 1);
}

TEST_F(WriteTransactionTest, BeginOnABusyDatabaseIsUnavailable) {
  SQLite::Database holder(dir_.File("test.db"), SQLite::OPEN_READWRITE);
  holder.exec("BEGIN IMMEDIATE");
  SQLite::Database waiter(dir_.File("test.db"), SQLite::OPEN_READWRITE, /*busy timeout ms=*/0);
  auto transaction = WriteTransaction::Begin(waiter);
  ASSERT_FALSE(transaction.ok());
  EXPECT_EQ(transaction.status().code(), StatusCode::kUnavailable);
  EXPECT_NE(transaction.status().message().find(dir_.File("test.db") + " is busy"),
            std::string::npos)
      << transaction.status().message();
  holder.exec("ROLLBACK");
  EXPECT_TRUE(WriteTransaction::Begin(waiter).ok());
}

TEST_F(WriteTransactionTest, BeginInsideATransactionIsInternal) {
  auto outer = WriteTransaction::Begin(db_);
  ASSERT_TRUE(outer.ok());
  auto inner = WriteTransaction::Begin(db_);
  ASSERT_FALSE(inner.ok());
  EXPECT_EQ(inner.status().code(), StatusCode::kInternal) << inner.status().message();
  EXPECT_TRUE(outer->active());  // the failed inner Begin did not end the outer one
  db_.exec("INSERT INTO t VALUES(1)");
  EXPECT_TRUE(outer->Commit().ok());
  EXPECT_EQ(Rows(), 1);
}

TEST_F(WriteTransactionTest, AFailedCommitRollsBackAtOnceAndSaysWhy) {
  // A deferred foreign key is checked at COMMIT, which then fails and leaves the transaction open.
  db_.exec("PRAGMA foreign_keys = ON");
  db_.exec("CREATE TABLE parent(id INTEGER PRIMARY KEY)");
  db_.exec(
      "CREATE TABLE child(parent INTEGER REFERENCES parent(id) DEFERRABLE INITIALLY DEFERRED)");
  auto transaction = WriteTransaction::Begin(db_);
  ASSERT_TRUE(transaction.ok());
  db_.exec("INSERT INTO t VALUES(1)");
  db_.exec("INSERT INTO child VALUES(42)");
  Status committed = transaction->Commit();
  EXPECT_EQ(committed.code(), StatusCode::kInternal) << committed.message();
  EXPECT_NE(committed.message().find("cannot commit (SQLite: FOREIGN KEY constraint failed"),
            std::string::npos)
      << committed.message();
  EXPECT_FALSE(transaction->active());
  EXPECT_TRUE(Idle());  // rolled back now, not at destruction
  EXPECT_EQ(Rows(), 0);
}

TEST_F(WriteTransactionTest, ADiskFullWriteRollsBackAndTheNextTransactionWorks) {
  db_.exec("CREATE TABLE blobs(b BLOB NOT NULL)");
  db_.exec("PRAGMA max_page_count = 16");
  {
    auto transaction = WriteTransaction::Begin(db_);
    ASSERT_TRUE(transaction.ok());
    db_.exec("INSERT INTO t VALUES(1)");
    EXPECT_THROW(for (int i = 0; i < 100; ++i) db_.exec("INSERT INTO blobs VALUES(zeroblob(4096))"),
                 SQLite::Exception);
  }  // SQLite may have rolled back already: the destructor's ROLLBACK must be harmless
  EXPECT_TRUE(Idle());
  EXPECT_EQ(Rows(), 0);
  auto next = WriteTransaction::Begin(db_);
  ASSERT_TRUE(next.ok());
  db_.exec("INSERT INTO t VALUES(2)");
  EXPECT_TRUE(next->Commit().ok());
  EXPECT_EQ(Rows(), 1);
}

}  // namespace
}  // namespace storepulse::common
