// The schema version of a database (common/store/schema_version.h): a new file gets the current
// version, an older one runs the later steps in order, each in its own transaction, and a newer
// one is refused without a write.
#include "common/store/schema_version.h"

#include <SQLiteCpp/SQLiteCpp.h>
#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace storepulse::common {
namespace {

class SchemaVersionTest : public ::testing::Test {
 protected:
  // A database as version `version` left it: meta, and a table the steps write to.
  void MakeAt(int version) {
    db_.exec("CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL)");
    db_.exec("INSERT INTO meta VALUES('schema_version', '" + std::to_string(version) + "')");
    db_.exec("CREATE TABLE done(step INTEGER)");
  }
  // Version 3 with a step to 2 and one to 3, each noting itself in `done` and in ran_.
  Schema Three(Status second = OkStatus()) {
    auto step = [this](int to, Status result) {
      return SchemaStep{to, "step " + std::to_string(to), [this, to, result](SQLite::Database& db) {
                          db.exec("INSERT INTO done VALUES(" + std::to_string(to) + ")");
                          ran_.push_back(to);
                          return result;
                        }};
    };
    return Schema{"test", 3, {step(2, OkStatus()), step(3, second)}};
  }
  int Version() { return *ReadSchemaVersion(db_, "test.db"); }
  std::vector<int> Done() {
    std::vector<int> steps;
    SQLite::Statement q(db_, "SELECT step FROM done ORDER BY rowid");
    while (q.executeStep()) steps.push_back(q.getColumn(0).getInt());
    return steps;
  }

  SQLite::Database db_{":memory:", SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE};
  std::vector<int> ran_;
};

TEST_F(SchemaVersionTest, ANewDatabaseGetsTheCurrentVersionAndRunsNoStep) {
  EXPECT_EQ(Version(), 0);
  ASSERT_TRUE(UpgradeSchema(db_, "test.db", Three()).ok());
  EXPECT_EQ(Version(), 3);
  EXPECT_TRUE(ran_.empty());
}

TEST_F(SchemaVersionTest, AnOlderDatabaseRunsTheLaterStepsInOrder) {
  MakeAt(1);
  ASSERT_TRUE(UpgradeSchema(db_, "test.db", Three()).ok());
  EXPECT_EQ(Version(), 3);
  EXPECT_EQ(Done(), (std::vector<int>{2, 3}));
  ran_.clear();
  ASSERT_TRUE(UpgradeSchema(db_, "test.db", Three()).ok());  // now current: nothing runs
  EXPECT_TRUE(ran_.empty());
}

TEST_F(SchemaVersionTest, OnlyTheStepsAboveTheFoundVersionRun) {
  MakeAt(2);
  ASSERT_TRUE(UpgradeSchema(db_, "test.db", Three()).ok());
  EXPECT_EQ(Done(), (std::vector<int>{3}));
}

TEST_F(SchemaVersionTest, AFailingStepIsRolledBackAndTheEarlierStepsStay) {
  MakeAt(1);
  Status upgraded = UpgradeSchema(db_, "test.db", Three(OutOfRange("no room")));
  ASSERT_EQ(upgraded.code(), StatusCode::kOutOfRange);
  EXPECT_NE(upgraded.message().find("from schema version 2 to 3 (step 3): no room; it is still "
                                    "at version 2"),
            std::string::npos)
      << upgraded.message();
  EXPECT_EQ(Version(), 2);
  EXPECT_EQ(Done(), (std::vector<int>{2}));  // step 3's row went with its transaction
  ran_.clear();
  ASSERT_TRUE(UpgradeSchema(db_, "test.db", Three()).ok());  // the next start resumes at 3
  EXPECT_EQ(ran_, (std::vector<int>{3}));
  EXPECT_EQ(Version(), 3);
}

TEST_F(SchemaVersionTest, ANewerDatabaseIsRefusedWithoutAWrite) {
  MakeAt(7);
  const int changes = db_.getTotalChanges();
  Status refused = UpgradeSchema(db_, "/var/lib/storepulse/test.db", Three());
  ASSERT_EQ(refused.code(), StatusCode::kFailedPrecondition);
  EXPECT_EQ(refused.message(),
            "the test database /var/lib/storepulse/test.db has schema version 7, but this "
            "storepulse (" STOREPULSE_VERSION
            ") reads schema versions up to 3: a newer storepulse wrote it. It was left as it is: "
            "upgrade storepulse or restore the file you had before the newer version ran");
  EXPECT_EQ(db_.getTotalChanges(), changes);
  EXPECT_EQ(Version(), 7);
  EXPECT_TRUE(ran_.empty());
}

// A reader (read-only connection) reads only the current version, never misreads another: each
// path is a file of its own for the check (it remembers the files it found current).
TEST_F(SchemaVersionTest, AReaderRefusesANewerOrOlderDatabaseAndSaysWhatToDo) {
  MakeAt(7);
  Status newer = CheckSchemaReadable(db_, "/var/lib/storepulse/newer.db", Three());
  ASSERT_EQ(newer.code(), StatusCode::kFailedPrecondition);
  EXPECT_EQ(newer.message(),
            "the test database /var/lib/storepulse/newer.db has schema version 7, but this "
            "storepulse (" STOREPULSE_VERSION
            ") reads schema versions up to 3: a newer storepulse wrote it. It was left as it is: "
            "upgrade storepulse or restore the file you had before the newer version ran");
  db_.exec("UPDATE meta SET value = '2'");
  Status older = CheckSchemaReadable(db_, "/var/lib/storepulse/older.db", Three());
  ASSERT_EQ(older.code(), StatusCode::kFailedPrecondition);
  EXPECT_EQ(older.message(),
            "the test database /var/lib/storepulse/older.db has schema version 2, but this "
            "storepulse (" STOREPULSE_VERSION
            ") reads version 3: an older storepulse wrote it. Start storepulse-test once (it "
            "upgrades the file in place), then read it again");
  db_.exec("UPDATE meta SET value = '3'");
  EXPECT_TRUE(CheckSchemaReadable(db_, "/var/lib/storepulse/current.db", Three()).ok());
  EXPECT_TRUE(ran_.empty());  // a reader never upgrades
}

TEST_F(SchemaVersionTest, AReaderRefusesAFileWithoutAVersion) {
  Status none = CheckSchemaReadable(db_, "/var/lib/storepulse/empty.db", Three());
  ASSERT_EQ(none.code(), StatusCode::kFailedPrecondition);
  EXPECT_NE(none.message().find("has no schema version"), std::string::npos) << none.message();
}

TEST_F(SchemaVersionTest, AMetaTableWithoutAVersionIsNotOurs) {
  db_.exec("CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL)");
  db_.exec("INSERT INTO meta VALUES('owner', 'someone else')");
  Status refused = UpgradeSchema(db_, "x.db", Three());
  EXPECT_EQ(refused.code(), StatusCode::kFailedPrecondition);
  EXPECT_NE(refused.message().find("x.db has no readable schema_version"), std::string::npos)
      << refused.message();
  db_.exec("INSERT INTO meta VALUES('schema_version', '2x')");
  EXPECT_EQ(UpgradeSchema(db_, "x.db", Three()).code(), StatusCode::kFailedPrecondition);
}

TEST_F(SchemaVersionTest, AMissingStepIsABugNotASilentVersion) {
  MakeAt(1);
  Schema gap = Three();
  gap.steps.erase(gap.steps.begin());  // nothing brings it to 2
  Status upgraded = UpgradeSchema(db_, "test.db", gap);
  EXPECT_EQ(upgraded.code(), StatusCode::kInternal);
  EXPECT_EQ(Version(), 1);
  EXPECT_TRUE(ran_.empty());
}

}  // namespace
}  // namespace storepulse::common
