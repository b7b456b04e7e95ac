#include "edge/event_store.h"

#include <SQLiteCpp/SQLiteCpp.h>
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <stdexcept>

#include "common/store/measure_table.h"
#include "common/time_util.h"
#include "tests/integration/test_events.h"
#include "tests/support/temp_dir.h"

namespace storepulse::edge {
namespace {

using test_support::Sales;

common::TimeZone Zone(const char* name) { return *common::TimeZone::Load(name); }

TEST(EventStoreTest, NumbersNewEventsWithoutGapsAndSkipsKnownIds) {
  test_support::TempDir dir;
  auto store = EventStore::Open(dir.path(), "S1", Zone("UTC"), Durability::kNormal);
  ASSERT_TRUE(store.ok()) << store.status().message();
  auto events = Sales("e", 3);
  events.push_back(events[0]);  // the same id again, in the same batch
  std::vector<AppendOutcome> outcomes;
  {
    auto group = (*store)->BeginGroup();
    ASSERT_TRUE(group.ok());
    ASSERT_TRUE(group->Append(events, 1, &outcomes).ok());
    ASSERT_TRUE(group->Commit().ok());
  }
  EXPECT_EQ(outcomes[0].seq, 1);
  EXPECT_EQ(outcomes[2].seq, 3);
  EXPECT_TRUE(outcomes[3].duplicate);
  auto group = (*store)->BeginGroup();
  ASSERT_TRUE(group.ok());
  ASSERT_TRUE(group->Append(Sales("e", 4), 1, &outcomes).ok());  // e-0..e-2 known, e-3 new
  ASSERT_TRUE(group->Commit().ok());
  EXPECT_TRUE(outcomes[0].duplicate);
  EXPECT_EQ(outcomes[3].seq, 4);
  EXPECT_EQ((*store)->info().last_seq, 4);
}

TEST(EventStoreTest, ANewIncarnationIsDurableAndRemembersTheStreamItLeft) {
  test_support::TempDir dir;
  std::string first;
  {
    auto store = EventStore::Open(dir.path(), "S1", Zone("UTC"), Durability::kFull);
    ASSERT_TRUE(store.ok());
    first = (*store)->info().incarnation;
    EXPECT_TRUE((*store)->info().previous_incarnation.empty());
    ASSERT_TRUE((*store)->StartNewIncarnation("lost commits", 1'700'000'000'000).ok());
    EXPECT_NE((*store)->info().incarnation, first);
  }
  auto reopened = EventStore::Open(dir.path(), "S1", Zone("UTC"), Durability::kFull);
  ASSERT_TRUE(reopened.ok());
  const StoreInfo& info = (*reopened)->info();
  EXPECT_NE(info.incarnation, first);
  EXPECT_EQ(info.incarnation.size(), first.size());
  EXPECT_EQ(info.previous_incarnation, first);
  EXPECT_EQ(info.incarnation_started_ms, 1'700'000'000'000);
  EXPECT_EQ(info.incarnation_reason, "lost commits");
  auto db = OpenReadOnly(dir.path());
  ASSERT_TRUE(db.ok());
  auto read = ReadStoreInfo(**db);
  ASSERT_TRUE(read.ok());
  EXPECT_EQ(read->incarnation, info.incarnation);
  EXPECT_EQ(read->previous_incarnation, first);
}

TEST(EventStoreTest, RollbackForgetsTheEventsAndTheirSequenceNumbers) {
  test_support::TempDir dir;
  auto store = EventStore::Open(dir.path(), "S1", Zone("UTC"), Durability::kNormal);
  ASSERT_TRUE(store.ok());
  std::vector<AppendOutcome> outcomes;
  {
    auto lost = (*store)->BeginGroup();
    ASSERT_TRUE(lost.ok());
    ASSERT_TRUE(lost->Append(Sales("lost", 5), 1, &outcomes).ok());
    EXPECT_EQ((*store)->info().last_seq, 5);
  }  // ends without Commit: rolled back
  EXPECT_EQ((*store)->info().last_seq, 0);
  auto kept = (*store)->BeginGroup();
  ASSERT_TRUE(kept.ok());
  ASSERT_TRUE(kept->Append(Sales("kept", 2), 1, &outcomes).ok());
  ASSERT_TRUE(kept->Commit().ok());
  EXPECT_EQ(outcomes[0].seq, 1);  // the rolled-back numbers are given again: no gap
  auto db = OpenReadOnly(dir.path());
  ASSERT_TRUE(db.ok());
  std::vector<std::string> ids;
  ASSERT_TRUE(ForEachEvent(**db, 0, [&](int64_t, const common::Event& e) {
                ids.push_back(e.id);
              }).ok());
  EXPECT_EQ(ids, (std::vector<std::string>{"kept-0", "kept-1"}));
}

// A group that ends without Commit — the writer's early return on an error, an exception —
// writes nothing, gives its seqs again and releases the write gate: the view pass (which takes the
// gate) folds right away, and another connection may write. With the Begin/Commit pairs this was
// replaced by, the same early return left the transaction open and the gate held.
TEST(EventStoreTest, AGroupEndedWithoutCommitWritesNothingAndReleasesTheGate) {
  test_support::TempDir dir;
  auto store = EventStore::Open(dir.path(), "S1", Zone("UTC"), Durability::kNormal);
  ASSERT_TRUE(store.ok());
  common::SystemClock clock;
  auto views = (*store)->OpenViewPass(clock, {});
  ASSERT_TRUE(views.ok());
  (*views)->Start();
  std::vector<AppendOutcome> outcomes;
  auto commit = [&](const std::string& prefix, int count) {
    auto group = (*store)->BeginGroup();
    ASSERT_TRUE(group.ok());
    ASSERT_TRUE(group->Append(Sales(prefix, count), 1, &outcomes).ok());
    ASSERT_TRUE(group->Commit().ok());
  };
  commit("first", 2);
  auto append_then_fail = [&]() -> common::Status {
    ASSIGN_OR_RETURN(EventStore::Group group, (*store)->BeginGroup());
    RETURN_IF_ERROR(group.Append(Sales("early", 3), 1, &outcomes));
    return common::Unavailable("a failure after the appends");
  };
  EXPECT_EQ(append_then_fail().code(), common::StatusCode::kUnavailable);
  EXPECT_EQ((*store)->info().last_seq, 2);
  EXPECT_THROW(
      {
        auto group = (*store)->BeginGroup();
        ASSERT_TRUE(group.ok());
        ASSERT_TRUE(group->Append(Sales("thrown", 3), 1, &outcomes).ok());
        throw std::runtime_error("thrown after the appends");
      },
      std::runtime_error);
  EXPECT_EQ((*store)->info().last_seq, 2);
  SQLite::Database other(EdgeDatabasePath(dir.path()), SQLite::OPEN_READWRITE);
  EXPECT_EQ(other.tryExec("BEGIN IMMEDIATE"), SQLITE_OK) << "the write transaction is still open";
  other.tryExec("ROLLBACK");
  (*views)->Committed(2);
  common::Status caught_up = (*views)->CatchUp(2, 5'000);
  EXPECT_TRUE(caught_up.ok()) << "the view pass could not take the write gate: "
                              << caught_up.message();
  commit("kept", 1);
  EXPECT_EQ(outcomes[0].seq, 3);  // the numbers of the groups that ended are given again
  auto db = OpenReadOnly(dir.path());
  ASSERT_TRUE(db.ok());
  std::vector<std::string> ids;
  ASSERT_TRUE(
      ForEachEvent(**db, 0, [&](int64_t, const common::Event& e) { ids.push_back(e.id); }).ok());
  EXPECT_EQ(ids, (std::vector<std::string>{"first-0", "first-1", "kept-0"}));
}

// The read-only connection of the CLI and of HTTP reads refuses a file of another schema version
// (made here by hand: this process must not have opened it read-write, which checks it).
TEST(EventStoreTest, ReadOnlyOpensRefuseADatabaseOfAnotherSchemaVersion) {
  for (const int version : {99, 1}) {
    test_support::TempDir dir;
    {
      SQLite::Database db(EdgeDatabasePath(dir.path()),
                          SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
      db.exec("CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL)");
      db.exec("INSERT INTO meta VALUES('schema_version', '" + std::to_string(version) + "')");
    }
    auto refused = OpenReadOnly(dir.path());
    ASSERT_EQ(refused.status().code(), common::StatusCode::kFailedPrecondition) << version;
    EXPECT_NE(refused.status().message().find(EdgeDatabasePath(dir.path()) +
                                              " has schema version " + std::to_string(version)),
              std::string::npos)
        << refused.status().message();
  }
}

TEST(EventStoreTest, RefusesADatabaseOfAnotherStore) {
  test_support::TempDir dir;
  ASSERT_TRUE(EventStore::Open(dir.path(), "S1", Zone("UTC"), Durability::kNormal).ok());
  auto other = EventStore::Open(dir.path(), "S2", Zone("UTC"), Durability::kNormal);
  ASSERT_FALSE(other.ok());
  EXPECT_NE(other.status().message().find("belongs to store \"S1\""), std::string::npos);
}

TEST(EventStoreTest, KeepsTheIncarnationAcrossReopensAndRebuildsDaysForANewZone) {
  test_support::TempDir dir;
  std::string incarnation;
  int64_t ts = *common::ParseRfc3339("2026-11-18T22:00:00Z");
  {
    auto store = EventStore::Open(dir.path(), "S1", Zone("UTC"), Durability::kNormal);
    ASSERT_TRUE(store.ok());
    incarnation = (*store)->info().incarnation;
    EXPECT_EQ(incarnation.size(), 32u);
    std::vector<AppendOutcome> outcomes;
    auto group = (*store)->BeginGroup();
    ASSERT_TRUE(group.ok());
    ASSERT_TRUE(group->Append(Sales("z", 1, ts), 1, &outcomes).ok());
    ASSERT_TRUE(group->Commit().ok());
    common::SystemClock clock;
    auto views = (*store)->OpenViewPass(clock, {});
    ASSERT_TRUE(views.ok());
    (*views)->Start();
    ASSERT_TRUE((*views)->CatchUp(1, 10'000).ok());  // the days to rebuild are folded ones
  }
  auto kolkata = Zone("Asia/Kolkata");
  auto store = EventStore::Open(dir.path(), "S1", kolkata, Durability::kNormal);
  ASSERT_TRUE(store.ok());
  EXPECT_EQ((*store)->info().incarnation, incarnation);
  EXPECT_EQ((*store)->info().last_seq, 1);
  auto db = OpenReadOnly(dir.path());
  ASSERT_TRUE(db.ok());
  common::StatementCache statements(**db);
  common::SqliteMeasureReader reader(statements, "S1");
  std::vector<int64_t> days;
  ASSERT_TRUE(reader.ReadDays(INT64_MIN, INT64_MAX, [&](int64_t day, common::Channel,
                                                        const common::Measures&) {
                days.push_back(day);
              }).ok());
  ASSERT_EQ(days.size(), 1u);
  EXPECT_EQ(days[0], kolkata.LocalDayOf(ts));  // 22:00 UTC is the next local day in Kolkata
  EXPECT_NE(days[0], Zone("UTC").LocalDayOf(ts));
  // Employees move with the channel rows; SKUs (kept per day only) keep the day they were booked to.
  auto dimension_days = [&](common::Dimension dimension) {
    std::vector<int64_t> found;
    EXPECT_TRUE(reader.ReadDimension(dimension, common::Grain::kDay, INT64_MIN, INT64_MAX,
                                     [&](int64_t day, const std::string&, const common::Measures&) {
                                       found.push_back(day);
                                     }).ok());
    return found;
  };
  EXPECT_EQ(dimension_days(common::Dimension::kEmployee), std::vector<int64_t>{days[0]});
  EXPECT_EQ(dimension_days(common::Dimension::kSku),
            std::vector<int64_t>{Zone("UTC").LocalDayOf(ts)});
}

}  // namespace
}  // namespace storepulse::edge
