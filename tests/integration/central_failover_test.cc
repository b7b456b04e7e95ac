// Edges configured with several central endpoints (issue 10): the replicator uses one central at a
// time and moves to the next when the current one is down, and every event still counts exactly
// once, by central's positions. Two SQLite centrals cannot share state, so the second central here
// is started over the first one's data directory once the first is dead — what two centrals over
// one PostgreSQL look like to an edge.
#include <gtest/gtest.h>

#include "tests/integration/chain.h"
#include "tests/integration/chain_calls.h"
#include "tests/integration/test_events.h"
#include "tests/support/free_port.h"

namespace storepulse::test_support {
namespace {

const std::string kAllTime = "from=2000-01-01&to=2100-01-01";

std::vector<StoreSpec> TwoStores() {
  return {{"PAR1", "north", "Europe/Paris"}, {"BOM1", "asia", "Asia/Kolkata"}};
}

// Edge i's replication flags with `endpoints` (comma-separated) in place of the chain's central.
std::vector<std::string> ArgsWithEndpoints(Chain& chain, size_t i, const std::string& endpoints) {
  std::vector<std::string> args = chain.ReplicationArgs(i);
  args[1] = endpoints;  // the value of --central-endpoint
  return args;
}

nlohmann::json Replication(EdgeNode& edge) {
  auto status = GetJson(edge.http_port(), "/api/v1/status");
  return status ? (*status)["replication"] : nlohmann::json::object();
}

// KPI rows of `scope` at the central whose HTTP API is on `port`, over all time.
nlohmann::json KpisAt(int port, const std::string& scope, const std::string& by = "total") {
  auto kpi = GetJson(port, "/api/v1/kpi?scope=" + scope + "&by=" + by + "&" + kAllTime);
  return kpi ? (*kpi)["rows"] : nlohmann::json::array();
}

int64_t TransactionsAt(int port, const std::string& scope) {
  nlohmann::json rows = KpisAt(port, scope);
  return rows.empty() ? 0 : rows[0].value("transactions", int64_t{0});
}

// Central's rows less sales_per_m2: the sales area is known from central's stores file only.
nlohmann::json WithoutArea(nlohmann::json rows) {
  for (auto& row : rows) row.erase("sales_per_m2");
  return rows;
}

TEST(CentralFailoverTest, ADeadFirstEndpointFailsOverToTheLiveCentral) {
  Chain chain(TwoStores());
  const std::string dead = "tcp://127.0.0.1:" + std::to_string(FreeTcpPort());  // nobody listens
  for (size_t i = 0; i < 2; ++i) {
    chain.ResetEdge(i, ArgsWithEndpoints(chain, i, dead + "," + chain.central().endpoint()));
  }
  ASSERT_TRUE(chain.StartAll());
  Ingest(chain.edge(0), Sales("a", 700));
  Ingest(chain.edge(1), Sales("b", 300));
  ASSERT_EQ(chain.WaitCaughtUp(0), 700);
  ASSERT_EQ(chain.WaitCaughtUp(1), 300);
  EXPECT_EQ(CentralTransactions(chain, "PAR1"), 700);
  EXPECT_EQ(CentralTransactions(chain, "BOM1"), 300);
  EXPECT_EQ(chain.CentralKpis("network")[0]["transactions"], 1000);
  for (size_t i = 0; i < 2; ++i) {
    nlohmann::json replication = Replication(chain.edge(i));
    EXPECT_EQ(replication["central"], chain.central().endpoint()) << replication.dump();
    EXPECT_EQ(replication["centrals"], nlohmann::json::array({dead, chain.central().endpoint()}))
        << replication.dump();
    EXPECT_GE(replication.value("failovers", int64_t{0}), 1) << replication.dump();
  }
}

// A central that refuses this edge (its stores file lacks the store: the CURVE handshake is
// refused) is left for the next. Each central has its own key here, given in the same order as
// the endpoints: the refusal comes from central A's ZAP handler, which only a handshake made with
// A's key reaches.
TEST(CentralFailoverTest, ACentralThatRefusesThisEdgeIsLeftForTheNext) {
  Chain chain({{"PAR1", "north", "Europe/Paris"}});
  MakeKeys(chain.dir().path(), "refusing");
  chain.dir().Write("refusing-stores.csv", "store,public_key,name,region,timezone,area_m2\n");
  CentralNode refusing({chain.dir().File("refusing"),
                        chain.dir().File("refusing.key"),
                        chain.dir().File("refusing-stores.csv"),
                        {}});
  ASSERT_TRUE(refusing.Start());
  std::vector<std::string> args =
      ArgsWithEndpoints(chain, 0, refusing.endpoint() + "," + chain.central().endpoint());
  args[3] = chain.dir().File("refusing.pub") + "," + chain.central_pub_file();
  chain.ResetEdge(0, args);
  ASSERT_TRUE(chain.StartAll());
  Ingest(chain.edge(0), Sales("a", 500));
  ASSERT_EQ(chain.WaitCaughtUp(0), 500);
  EXPECT_EQ(CentralTransactions(chain), 500);
  nlohmann::json replication = Replication(chain.edge(0));
  EXPECT_EQ(replication["central"], chain.central().endpoint()) << replication.dump();
  EXPECT_GE(replication.value("failovers", int64_t{0}), 1) << replication.dump();
  const std::string log = chain.edge(0).Log();
  EXPECT_NE(log.find("leaving central at " + refusing.endpoint() + " (it refused this edge's key)"),
            std::string::npos)
      << log;
  EXPECT_EQ(TransactionsAt(refusing.http_port(), "network"), 0);
}

// Central A is killed while batches stream; central B, listed second, then starts over A's data
// (after A is dead: one writer). The edges fail over to B; nothing is lost or counted twice.
TEST(CentralFailoverTest, ACentralKilledMidStreamFailsOverToTheNextOverTheSameData) {
  Chain chain(TwoStores());
  CentralNode second({chain.dir().File("central"),
                      chain.dir().File("central.key"),
                      chain.dir().File("stores.csv"),
                      {"--online-window-s", "8"}});
  const std::string endpoints = chain.central().endpoint() + "," + second.endpoint();
  for (size_t i = 0; i < 2; ++i) chain.ResetEdge(i, ArgsWithEndpoints(chain, i, endpoints));
  ASSERT_TRUE(chain.StartAll());
  for (int round = 0; round < 6; ++round) {
    for (size_t i = 0; i < 2; ++i) {
      Ingest(chain.edge(i), Sales(chain.spec(i).store + "-r" + std::to_string(round), 2000));
    }
    if (round == 2) {
      chain.central().Kill();  // while batches are in flight and being applied
      ASSERT_TRUE(second.Start());
    }
  }
  for (size_t i = 0; i < 2; ++i) {
    ASSERT_TRUE(WaitUntil(
        [&] {
          nlohmann::json replication = Replication(chain.edge(i));
          return replication["central"] == second.endpoint() &&
                 replication.value("acked_seq", int64_t{-1}) == 12'000;
        },
        std::chrono::seconds(60)))
        << Replication(chain.edge(i)).dump();
    EXPECT_GE(Replication(chain.edge(i)).value("failovers", int64_t{0}), 1);
  }
  EXPECT_EQ(TransactionsAt(second.http_port(), "network"), 24'000);
  for (size_t i = 0; i < 2; ++i) {
    const std::string scope = "store:" + chain.spec(i).store;
    EXPECT_EQ(TransactionsAt(second.http_port(), scope), 12'000) << scope;
    for (const char* by : {"total", "day", "sku"}) {
      EXPECT_EQ(WithoutArea(chain.EdgeKpis(i, by)),
                WithoutArea(KpisAt(second.http_port(), scope, by)))
          << scope << " by " << by;
    }
  }
}

}  // namespace
}  // namespace storepulse::test_support
