// Two centrals over one PostgreSQL, three edges listing both (issue 10): kill -9 of one central
// mid-stream, the edges fail over, every acknowledged event counts once; both centrals answer
// the same KPIs, fleet and alerts.
#include <gtest/gtest.h>

#include <pqxx/pqxx>

#include "common/event_codec.h"
#include "tests/integration/chain.h"
#include "tests/integration/chain_calls.h"
#include "tests/integration/test_events.h"

namespace storepulse::test_support {
namespace {

std::vector<StoreSpec> ThreeStores() {
  return {{"PAR1", "north", "Europe/Paris"},
          {"BOM1", "asia", "Asia/Kolkata"},
          {"NYC1", "america", "America/New_York"}};
}

// In PostgreSQL, each store's stream holds seqs 1..last once each, every id once.
void ExpectLogHoldsEachEventOnce(const TestDatabase& db, const std::string& store, int64_t last) {
  pqxx::connection c(db.url());
  pqxx::nontransaction tx(c);
  auto row = tx.exec1("SELECT count(*), count(DISTINCT id), min(seq), max(seq), "
                      "count(DISTINCT incarnation) FROM storepulse.events WHERE store = " +
                      tx.quote(store));
  EXPECT_EQ(row[0].as<int64_t>(), last) << store;
  EXPECT_EQ(row[1].as<int64_t>(), last) << store;
  EXPECT_EQ(row[2].as<int64_t>(), 1) << store;
  EXPECT_EQ(row[3].as<int64_t>(), last) << store;
  EXPECT_EQ(row[4].as<int64_t>(), 1) << store;
}

// Edge i lists the centrals starting with `first`, so that the edges spread over both.
std::vector<std::string> ArgsStartingWith(Chain& chain, size_t i, size_t first) {
  std::vector<std::string> args = chain.ReplicationArgs(i);
  const std::string a = chain.central(first).endpoint(), b = chain.central(1 - first).endpoint();
  args[1] = a + "," + b;
  return args;
}

TEST(TwoCentralsTest, OneKilledMidStreamTheEdgesFailOverAndEveryEventCountsOnce) {
  Chain chain(ThreeStores(), {"--alert-interval-s", "1"}, Backend::kPostgres);
  ASSERT_EQ(chain.AddCentral(), 1u);
  ASSERT_TRUE(chain.central(0).Start());
  ASSERT_TRUE(chain.central(1).Start());
  for (size_t i = 0; i < 3; ++i) {
    chain.ResetEdge(i, ArgsStartingWith(chain, i, i == 1 ? 1 : 0));  // two on 0, one on 1
    ASSERT_TRUE(chain.StartEdge(i));
  }
  for (int round = 0; round < 6; ++round) {
    for (size_t i = 0; i < 3; ++i) {
      Ingest(chain.edge(i), Sales(chain.spec(i).store + "-r" + std::to_string(round), 2000));
    }
    if (round == 2) chain.central(0).Kill();  // while its two edges' batches are in flight
  }
  for (size_t i = 0; i < 3; ++i) ASSERT_EQ(chain.WaitCaughtUp(i), 12'000) << chain.spec(i).store;
  for (size_t i = 0; i < 3; ++i) {
    ExpectLogHoldsEachEventOnce(*chain.database(), chain.spec(i).store, 12'000);
    auto status = GetJson(chain.edge(i).http_port(), "/api/v1/status");
    EXPECT_EQ((*status)["replication"]["central"], chain.central(1).endpoint());
  }
  for (size_t i = 0; i < 3; ++i) {
    const std::string scope = "store:" + chain.spec(i).store;
    for (const char* by : {"total", "day", "sku"}) {
      EXPECT_EQ(WithoutArea(chain.EdgeKpis(i, by)), WithoutArea(chain.CentralKpisAt(1, scope, by)))
          << scope << " by " << by;
    }
  }
  EXPECT_EQ(chain.CentralKpisAt(1, "network")[0]["transactions"], 36'000);

  // The killed central comes back: its read model catches up, and both answer alike.
  ASSERT_TRUE(chain.central(0).Start());
  EXPECT_EQ(chain.CentralKpisAt(0, "network"), chain.CentralKpisAt(1, "network"));
  EXPECT_EQ(chain.CentralKpisAt(0, "network", "region"),
            chain.CentralKpisAt(1, "network", "region"));
  // The fleet: every store online with its position, at both (central 0 hears none of them now).
  auto fleet_row = [&](size_t k, size_t i) {
    auto fleet = GetJson(chain.central(k).http_port(), "/api/v1/fleet");
    return fleet ? (*fleet)["stores"][i] : nlohmann::json();
  };
  ASSERT_TRUE(WaitUntil([&] {
    for (size_t i = 0; i < 3; ++i) {
      for (size_t k = 0; k < 2; ++k) {
        auto row = fleet_row(k, i);
        if (row.value("online", false) != true || row.value("acked_seq", 0) != 12'000) {
          return false;
        }
      }
    }
    return true;
  })) << fleet_row(0, 0).dump() << "\n" << fleet_row(1, 0).dump();
  // A refusal at central 1 (an unknown key) shows at central 0 too.
  MakeKeys(chain.dir().path(), "stranger");
  EdgeNode stranger(EdgeNode::Options{
      "XYZ9",
      "Europe/Paris",
      chain.dir().File("edge-stranger"),
      {"--central-endpoint", chain.central(1).endpoint(), "--central-public-key",
       chain.central_pub_file(), "--secret-key-file", chain.dir().File("stranger.key")}});
  ASSERT_TRUE(stranger.Start());
  ASSERT_TRUE(WaitUntil([&] {
    auto fleet = GetJson(chain.central(0).http_port(), "/api/v1/fleet");
    return fleet && (*fleet)["summary"]["refusals"].get<int64_t>() >= 1 &&
           (*fleet)["refusals"][0]["reason"] == "unknown_key";
  }));
  // The alerts: one central evaluates, both answer the same evaluation.
  ASSERT_TRUE(WaitUntil([&] {
    auto a = GetJson(chain.central(0).http_port(), "/api/v1/alerts");
    auto b = GetJson(chain.central(1).http_port(), "/api/v1/alerts");
    if (!a || !b || (*a)["evaluated_at"].is_null()) return false;
    (*a).erase("evaluated_by");
    (*b).erase("evaluated_by");
    return *a == *b;
  }));
}

}  // namespace
}  // namespace storepulse::test_support
