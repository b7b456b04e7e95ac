// Central's PostgreSQL lost or rolled back (issue 10): the database dropped and created again
// while the daemons run, and restored from an older dump. Central's position is then below what
// it acknowledged; the edges re-send from it what they keep, every central rebuilds its read
// model from the record, and the totals are exact again.
#include <gtest/gtest.h>

#include "common/event_codec.h"
#include "tests/integration/chain.h"
#include "tests/integration/chain_calls.h"
#include "tests/integration/test_events.h"
#include "tests/support/http_probe.h"
#include "tests/support/process.h"

namespace storepulse::test_support {
namespace {

std::vector<StoreSpec> TwoStores() {
  return {{"PAR1", "north", "Europe/Paris"}, {"BOM1", "asia", "Asia/Kolkata"}};
}

// Central's network total equals the edges' own, once it has caught up (bounded wait).
bool NetworkEquals(Chain& chain, int64_t transactions) {
  return WaitUntil(
      [&] {
        auto rows = chain.CentralKpis("network");
        return rows.is_array() && !rows.empty() && rows[0]["transactions"] == transactions;
      },
      std::chrono::seconds(60));
}

TEST(PgRecoveryTest, DatabaseDroppedAndCreatedAgainWhileRunningEdgesResendAndTotalsAreExact) {
  Chain chain(TwoStores(), {}, Backend::kPostgres);
  ASSERT_TRUE(chain.StartAll());
  Ingest(chain.edge(0), Sales("a", 300));
  Ingest(chain.edge(1), Sales("b", 200));
  ASSERT_EQ(chain.WaitCaughtUp(0), 300);
  ASSERT_EQ(chain.WaitCaughtUp(1), 200);
  ASSERT_TRUE(NetworkEquals(chain, 500));

  ASSERT_TRUE(chain.database()->Recreate().ok());  // every session on it ends
  Ingest(chain.edge(0), Sales("after", 50));
  ASSERT_EQ(chain.WaitCaughtUp(0), 350);
  ASSERT_EQ(chain.WaitCaughtUp(1), 200);
  EXPECT_TRUE(NetworkEquals(chain, 550)) << chain.CentralKpis("network").dump() << "\n"
                                         << chain.central().Log();
  EXPECT_EQ(WithoutArea(chain.CentralKpis("store:PAR1")), WithoutArea(chain.EdgeKpis(0)));
  const std::string log = chain.central().Log();
  EXPECT_NE(log.find("rebuilt"), std::string::npos) << log;
  auto fleet = GetJson(chain.central().http_port(), "/api/v1/fleet");
  ASSERT_TRUE(fleet);
  EXPECT_EQ((*fleet)["central"]["database"], "postgresql");
  EXPECT_GE((*fleet)["central"]["read_model"]["rebuilds"].get<int64_t>(), 1) << fleet->dump();
  auto metrics = HttpGet("127.0.0.1", chain.central().http_port(), "/metrics");
  ASSERT_TRUE(metrics);
  EXPECT_NE(metrics->body.find("storepulse_central_read_model_rebuilds_total 1"), std::string::npos)
      << metrics->body;
}

TEST(PgRecoveryTest, RestoredFromAnOlderDumpTheEdgesResendTheDifference) {
  Chain chain(TwoStores(), {}, Backend::kPostgres);
  ASSERT_TRUE(chain.StartAll());
  Ingest(chain.edge(0), Sales("a", 300));
  Ingest(chain.edge(1), Sales("b", 200));
  ASSERT_EQ(chain.WaitCaughtUp(0), 300);
  ASSERT_EQ(chain.WaitCaughtUp(1), 200);
  const std::string dump = chain.dir().File("central.dump");
  auto dumped = RunProcess({"/usr/lib/postgresql/15/bin/pg_dump", "-Fc", "-f", dump,
                            chain.database()->url()});
  ASSERT_TRUE(dumped.ok() && dumped->exit_status == 0) << (dumped.ok() ? dumped->err : "");

  Ingest(chain.edge(0), Sales("later", 120));
  Ingest(chain.edge(1), Sales("later-b", 80));
  ASSERT_EQ(chain.WaitCaughtUp(0), 420);
  ASSERT_EQ(chain.WaitCaughtUp(1), 280);
  ASSERT_TRUE(NetworkEquals(chain, 700));

  // The database fails; the operator restores last night's dump, central stopped meanwhile.
  ASSERT_EQ(chain.central().Stop(), 0);
  ASSERT_TRUE(chain.database()->Recreate().ok());
  auto restored = RunProcess({"/usr/lib/postgresql/15/bin/pg_restore", "--no-owner", "-d",
                              chain.database()->url(), dump});
  ASSERT_TRUE(restored.ok() && restored->exit_status == 0) << (restored.ok() ? restored->err : "");
  ASSERT_TRUE(chain.central().Start());
  // Its copy holds more than the restored record: it is rebuilt first (until then it answers the
  // old copy's figures, which already read 700: waiting on those alone would prove nothing).
  EXPECT_TRUE(WaitUntil(
      [&] {
        auto fleet = GetJson(chain.central().http_port(), "/api/v1/fleet");
        return fleet && (*fleet)["central"]["read_model"].value("rebuilds", int64_t{0}) >= 1;
      },
      std::chrono::seconds(60)));
  EXPECT_TRUE(NetworkEquals(chain, 700)) << chain.CentralKpis("network").dump();
  EXPECT_TRUE(WaitUntil(
      [&] {
        auto rows = chain.CentralKpis("store:BOM1");
        return rows.is_array() && !rows.empty() && rows[0]["transactions"] == 280;
      },
      std::chrono::seconds(60)))
      << chain.CentralKpis("store:BOM1").dump();
}

}  // namespace
}  // namespace storepulse::test_support
