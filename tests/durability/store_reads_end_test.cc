// Each daemon's writer and view pass end every read with the transaction that made it: after a
// commit, nothing on their connections still holds a read transaction, so a checkpoint can copy the whole WAL back
// into the database and empty it. A cached SELECT left on a row after a commit once pinned the
// WAL of both daemons at their first frame, and it grew without bound (issue 8, failure 2).
#include <gtest/gtest.h>

#include <SQLiteCpp/SQLiteCpp.h>

#include <filesystem>

#include "central/central_store.h"
#include "edge/event_store.h"
#include "tests/integration/test_events.h"
#include "tests/support/temp_dir.h"
#include "common/store/view_pass.h"

namespace storepulse::test_support {
namespace {

// Sales of a few SKUs by a few customers: they move stock and customers as well as the measures,
// so every derived table's statements run.
std::vector<common::Event> Batch(const std::string& prefix, int count) {
  std::vector<common::Event> events;
  for (int i = 0; i < count; ++i) {
    common::Event sale = Sale(prefix + "-" + std::to_string(i), 1 + i % 3, 250);
    sale.lines[0].sku = "SKU-" + std::to_string(i % 7);
    sale.customer = "C" + std::to_string(i % 5);
    events.push_back(std::move(sale));
  }
  return events;
}

struct CheckpointResult {
  int busy = -1;  // 1: a reader kept the checkpoint from finishing
  int64_t wal_bytes = -1;
};

// What another connection's TRUNCATE checkpoint achieves right now, without waiting for anyone.
CheckpointResult TruncateFromOutside(const std::string& db_path) {
  SQLite::Database db(db_path, SQLite::OPEN_READWRITE);
  db.exec("PRAGMA busy_timeout=0");
  SQLite::Statement checkpoint(db, "PRAGMA wal_checkpoint(TRUNCATE)");
  CheckpointResult result;
  if (checkpoint.executeStep()) result.busy = checkpoint.getColumn(0).getInt();
  std::error_code ec;
  auto size = std::filesystem::file_size(db_path + "-wal", ec);
  result.wal_bytes = ec ? 0 : static_cast<int64_t>(size);
  return result;
}

TEST(StoreReadsEndTest, AnEdgeCommitLeavesNoReadTransactionBehind) {
  TempDir dir;
  auto zone = *common::TimeZone::Load("Europe/Paris");
  auto opened = edge::EventStore::Open(dir.path(), "S1", zone, edge::Durability::kNormal);
  ASSERT_TRUE(opened.ok()) << opened.status().message();
  edge::EventStore& store = **opened;
  common::SystemClock clock;
  auto views = store.OpenViewPass(clock, {});
  ASSERT_TRUE(views.ok()) << views.status().message();
  (*views)->Start();
  for (int round = 0; round < 3; ++round) {  // the second fold reads what the first wrote
    auto group = store.BeginGroup();
    ASSERT_TRUE(group.ok());
    std::vector<edge::AppendOutcome> outcomes;
    ASSERT_TRUE(group->Append(Batch("e" + std::to_string(round), 50), NowMs(), &outcomes).ok());
    ASSERT_TRUE(group->Commit().ok());
    (*views)->Committed(store.info().last_seq);
    ASSERT_TRUE((*views)->CatchUp(store.info().last_seq, 10'000).ok());
  }
  CheckpointResult result = TruncateFromOutside(store.path());
  EXPECT_EQ(result.busy, 0) << "a statement of the edge's writer still holds a read transaction";
  EXPECT_EQ(result.wal_bytes, 0);
}

TEST(StoreReadsEndTest, ACentralCommitLeavesNoReadTransactionBehind) {
  TempDir dir;
  auto zone = *common::TimeZone::Load("Europe/Paris");
  auto opened = central::CentralStore::Open(dir.path(), false);
  ASSERT_TRUE(opened.ok()) << opened.status().message();
  central::CentralStore& store = **opened;
  common::SystemClock clock;
  auto views = store.OpenViewPass(
      [&](const std::string&) { return common::StoreContext{"north", zone}; }, clock, {});
  ASSERT_TRUE(views.ok()) << views.status().message();
  (*views)->Start();
  for (int round = 0; round < 3; ++round) {
    auto group = store.BeginGroup();
    ASSERT_TRUE(group.ok());
    auto outcome = group->Apply(
        central::StreamBatch{{"S1", "i1"}, 1 + round * 50, Batch("c" + std::to_string(round), 50)},
        NowMs());
    ASSERT_TRUE(outcome.ok()) << outcome.status().message();
    ASSERT_TRUE(group->Commit().ok());
    (*views)->Committed(store.log_end());
    ASSERT_TRUE((*views)->CatchUp(store.log_end(), 10'000).ok());
  }
  CheckpointResult result = TruncateFromOutside(central::CentralDatabasePath(dir.path()));
  EXPECT_EQ(result.busy, 0) << "a statement of central's writer still holds a read transaction";
  EXPECT_EQ(result.wal_bytes, 0);
}

}  // namespace
}  // namespace storepulse::test_support
