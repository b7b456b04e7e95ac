// central::PgLog (central/pg_log.h) on the suite's real PostgreSQL (the `postgres` fixture).
#include "central/pg_log.h"

#include <gtest/gtest.h>

#include "central/pg_connection.h"
#include "tests/integration/test_events.h"
#include "tests/support/test_postgres.h"

namespace storepulse::central {
namespace {

using test_support::TestDatabase;

// The bytes of the writer session's staging table (its temporary table `incoming`), as another
// session sees its files.
int64_t StagingTableBytes(const std::string& url) {
  auto db = PgConnection::Connect(url);
  EXPECT_TRUE(db.ok()) << db.status().message();
  if (!db.ok()) return -1;
  auto size = (*db)->Exec("SELECT coalesce(sum(pg_relation_size(oid)), 0) FROM pg_class "
                          "WHERE relname = 'incoming' AND relpersistence = 't'",
                          "read the staging table's size");
  EXPECT_TRUE(size.ok()) << size.status().message();
  return size.ok() ? size->integer(0, 0) : -1;
}

// A batch is staged in a temporary table and moved into the log; temporary tables are never
// vacuumed, so rows deleted from it kept their space: the table grew by every event the central
// ever applied, and each batch's move scanned all of it (the writer slowed as it ran).
TEST(PgLogTest, StagingTableIsEmptyAfterEachCommit) {
  auto database = TestDatabase::Create();
  ASSERT_TRUE(database.ok()) << database.status().message();
  auto log = PgLog::Open(database->url());
  ASSERT_TRUE(log.ok()) << log.status().message();
  const StreamKey stream{"S1", "inc-1"};
  constexpr int kGroups = 20, kBatch = 500;
  for (int g = 0; g < kGroups; ++g) {
    StreamBatch batch{stream, g * kBatch + 1,
                      test_support::Sales("S1-g" + std::to_string(g), kBatch), 0};
    std::vector<ApplyOutcome> outcomes;
    ASSERT_TRUE((*log)->ApplyGroup({&batch}, test_support::NowMs(), &outcomes).ok());
    ASSERT_EQ(outcomes.size(), 1u);
    ASSERT_EQ(outcomes[0].applied, kBatch);
  }
  EXPECT_EQ((*log)->AckedSeq(stream), kGroups * kBatch);
  EXPECT_EQ(StagingTableBytes(database->url()), 0)
      << "the staging table keeps the space of every event staged since the connection began";
}

}  // namespace
}  // namespace storepulse::central
