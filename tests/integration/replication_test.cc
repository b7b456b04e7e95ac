// Three real edges replicating to a real central over CURVE on loopback: exactly once through
// central and edge crashes, outages, a reinstalled edge; edge KPIs == central KPIs per store.
#include <gtest/gtest.h>

#include <filesystem>
#include <set>
#include <thread>

#include "common/event_codec.h"
#include "common/kpi/kpi_catalogue.h"
#include "common/kpi/kpi_json.h"
#include "tests/integration/chain.h"
#include "tests/integration/test_events.h"

namespace storepulse::test_support {
namespace {

std::vector<StoreSpec> ThreeStores() {
  return {{"PAR1", "north", "Europe/Paris"},
          {"BOM1", "asia", "Asia/Kolkata"},
          {"NYC1", "america", "America/New_York"}};
}

void Ingest(EdgeNode& edge, const std::vector<common::Event>& events) {
  auto reply = PostBody(edge.http_port(), "/api/v1/events", common::EncodeJsonLines(events));
  ASSERT_TRUE(reply);
  ASSERT_EQ(reply->status, 200) << reply->body.dump();
}

// Central's rows less sales_per_m2: the sales area is known from central's stores file only.
nlohmann::json WithoutArea(nlohmann::json rows) {
  for (auto& row : rows) row.erase("sales_per_m2");
  return rows;
}

// Every store's KPIs are identical at its edge and at central, by every grouping of a store.
void ExpectEdgeEqualsCentral(Chain& chain, size_t stores) {
  for (size_t i = 0; i < stores; ++i) {
    std::string scope = "store:" + chain.spec(i).store;
    for (const char* by : {"total", "day", "hour", "channel", "employee", "sku"}) {
      EXPECT_EQ(WithoutArea(chain.EdgeKpis(i, by)), WithoutArea(chain.CentralKpis(scope, by)))
          << scope << " by " << by;
    }
  }
}

// The tests below run twice: central's log in central.db, and in PostgreSQL (the read model).
class ReplicationOnEitherLog : public testing::TestWithParam<Backend> {};
INSTANTIATE_TEST_SUITE_P(Backends, ReplicationOnEitherLog, kBothBackends, BackendName);

TEST_P(ReplicationOnEitherLog, ThreeStoresInThreeZonesMergeIntoTheNetwork) {
  Chain chain(ThreeStores(), {}, GetParam());
  ASSERT_TRUE(chain.StartAll());
  int64_t expected_value = 0;
  for (size_t i = 0; i < 3; ++i) {
    auto events = Sales(chain.spec(i).store, 100 * static_cast<int>(i + 1));
    expected_value += GrossValue(events);
    Ingest(chain.edge(i), events);
  }
  for (size_t i = 0; i < 3; ++i) ASSERT_EQ(chain.WaitCaughtUp(i), 100 * (i + 1));
  ExpectEdgeEqualsCentral(chain, 3);
  nlohmann::json network = chain.CentralKpis("network");
  EXPECT_EQ(network[0]["transactions"], 600);
  EXPECT_EQ(network[0]["gross_sales"], expected_value);
  nlohmann::json by_region = chain.CentralKpis("network", "region");
  ASSERT_EQ(by_region.size(), 3u);
  EXPECT_EQ(by_region[0]["key"], "america");
  EXPECT_EQ(by_region[0]["transactions"], 300);
  nlohmann::json fleet = *GetJson(chain.central().http_port(), "/api/v1/fleet");
  EXPECT_EQ(fleet["summary"]["online"], 3);
  EXPECT_EQ(fleet["summary"]["refusals"], 0);
}

// The names of a row's KPIs: every member but the key and the list of estimated figures.
std::set<std::string> KpiNamesOf(const nlohmann::json& row) {
  std::set<std::string> names;
  for (const auto& [name, value] : row.items()) {
    if (name != "key" && name != "approximate") names.insert(name);
  }
  return names;
}

TEST(ReplicationTest, EveryKpiOfTheCatalogueAndNoOtherAtTheEdgeAndAtCentral) {
  Chain chain({{"PAR1", "north", "Europe/Paris"}});
  ASSERT_TRUE(chain.StartAll());
  Ingest(chain.edge(0), Sales("k", 3));
  ASSERT_EQ(chain.WaitCaughtUp(0), 3);
  // Both daemons serve the one catalogue, and their rows carry exactly its KPIs.
  std::set<std::string> catalogued;
  for (const common::KpiInfo& info : common::kKpiCatalogue) catalogued.emplace(info.name);
  EXPECT_EQ(GetJson(chain.edge(0).http_port(), "/api/v1/kpis"), common::KpiCatalogueJson());
  EXPECT_EQ(GetJson(chain.central().http_port(), "/api/v1/kpis"), common::KpiCatalogueJson());
  nlohmann::json edge = chain.EdgeKpis(0)[0], central = chain.CentralKpis("store:PAR1")[0];
  EXPECT_EQ(KpiNamesOf(edge), catalogued) << edge.dump();
  EXPECT_EQ(KpiNamesOf(central), catalogued) << central.dump();
  EXPECT_EQ(central["sales_per_m2"], central["net_sales"].get<double>() / 1000);  // area 1000 m²
  auto skus = GetJson(chain.central().http_port(),
                      "/api/v1/kpi?scope=network&by=sku&from=2000-01-01&to=2100-01-01");
  ASSERT_TRUE(skus);
  EXPECT_EQ((*skus)["top_skus"]["by_units"][0]["sku"], "SKU-1");
}

TEST_P(ReplicationOnEitherLog, CentralKilledMidStreamLosesAndDoublesNothing) {
  Chain chain(ThreeStores(), {}, GetParam());
  ASSERT_TRUE(chain.StartAll());
  for (int round = 0; round < 6; ++round) {
    for (size_t i = 0; i < 3; ++i) {
      Ingest(chain.edge(i), Sales(chain.spec(i).store + "-r" + std::to_string(round), 2000));
    }
    if (round == 2) {
      chain.central().Kill();  // while batches are in flight and being applied
      ASSERT_TRUE(chain.central().Start());
    }
  }
  for (size_t i = 0; i < 3; ++i) ASSERT_EQ(chain.WaitCaughtUp(i), 12'000);
  ExpectEdgeEqualsCentral(chain, 3);
  EXPECT_EQ(chain.CentralKpis("network")[0]["transactions"], 36'000);
}

TEST(ReplicationTest, EdgeKilledMidBatchResumesWithoutDoubles) {
  Chain chain({{"PAR1", "north", "Europe/Paris"}});
  ASSERT_TRUE(chain.StartCentral());
  ASSERT_TRUE(chain.StartEdge(0));
  for (int b = 0; b < 10; ++b) Ingest(chain.edge(0), Sales("k" + std::to_string(b), 5000));
  chain.edge(0).Kill();  // a 50,000-event backlog was streaming
  ASSERT_TRUE(chain.StartEdge(0));
  Ingest(chain.edge(0), Sales("after", 1000));
  ASSERT_EQ(chain.WaitCaughtUp(0), 51'000);
  ExpectEdgeEqualsCentral(chain, 1);
}

TEST_P(ReplicationOnEitherLog, EdgesKeepIngestingWhileCentralIsDownThenCatchUp) {
  Chain chain({{"PAR1", "north", "Europe/Paris"}, {"BOM1", "asia", "Asia/Kolkata"}}, {}, GetParam());
  ASSERT_TRUE(chain.StartAll());
  Ingest(chain.edge(0), Sales("before", 10));
  ASSERT_EQ(chain.WaitCaughtUp(0), 10);
  ASSERT_EQ(chain.central().Stop(), 0);
  for (int b = 0; b < 3; ++b) {
    Ingest(chain.edge(0), Sales("down" + std::to_string(b), 100));
    Ingest(chain.edge(1), Sales("down-bom" + std::to_string(b), 50));
  }
  // The edge still answers KPIs, and its status shows the backlog and the outage.
  EXPECT_EQ(chain.EdgeKpis(0)[0]["transactions"], 310);
  ASSERT_TRUE(WaitUntil([&] {
    auto status = GetJson(chain.edge(0).http_port(), "/api/v1/status");
    return status && (*status)["replication"]["backlog_events"] == 300 &&
           (*status)["replication"]["connected"] == false;
  }));
  ASSERT_TRUE(chain.central().Start());
  ASSERT_EQ(chain.WaitCaughtUp(0), 310);
  ASSERT_EQ(chain.WaitCaughtUp(1), 150);
  ExpectEdgeEqualsCentral(chain, 2);
  ASSERT_TRUE(WaitUntil([&] {
    auto fleet = GetJson(chain.central().http_port(), "/api/v1/fleet");
    return fleet && (*fleet)["summary"]["online"] == 2 &&
           (*fleet)["stores"][0]["acked_seq"] == 310;
  }));
}

TEST(ReplicationTest, FleetShowsAnEdgeGoingOfflineAndComingBack) {
  Chain chain({{"PAR1", "north", "Europe/Paris"}});
  ASSERT_TRUE(chain.StartAll());
  auto store_row = [&] {
    auto fleet = GetJson(chain.central().http_port(), "/api/v1/fleet");
    return fleet ? (*fleet)["stores"][0] : nlohmann::json();
  };
  ASSERT_TRUE(WaitUntil([&] { return store_row().value("online", false); }));
  chain.edge(0).Kill();
  ASSERT_TRUE(WaitUntil([&] { return store_row().value("online", true) == false; }));
  EXPECT_GE(store_row()["silent_s"].get<int64_t>(), 2);
  ASSERT_TRUE(chain.StartEdge(0));
  ASSERT_TRUE(WaitUntil([&] { return store_row().value("online", false); }));
}

TEST_P(ReplicationOnEitherLog, ReinstalledEdgeStartsANewStreamAndOldIdsCountOnce) {
  Chain chain({{"PAR1", "north", "Europe/Paris"}}, {}, GetParam());
  ASSERT_TRUE(chain.StartAll());
  auto first = Sales("old", 20);
  Ingest(chain.edge(0), first);
  ASSERT_EQ(chain.WaitCaughtUp(0), 20);
  std::string incarnation = (*GetJson(chain.edge(0).http_port(), "/api/v1/status"))["incarnation"];
  ASSERT_EQ(chain.edge(0).Stop(), 0);
  std::filesystem::remove_all(chain.dir().File("edge-PAR1"));  // the store server is rebuilt
  chain.ResetEdge(0);
  ASSERT_TRUE(chain.StartEdge(0));
  auto status = *GetJson(chain.edge(0).http_port(), "/api/v1/status");
  EXPECT_NE(status["incarnation"], incarnation);
  // The tills resend five old events along with five new ones.
  std::vector<common::Event> resent(first.begin(), first.begin() + 5);
  auto fresh = Sales("new", 5);
  resent.insert(resent.end(), fresh.begin(), fresh.end());
  Ingest(chain.edge(0), resent);
  ASSERT_EQ(chain.WaitCaughtUp(0), 10);
  EXPECT_EQ(chain.CentralKpis("store:PAR1")[0]["transactions"], 25);
}

}  // namespace
}  // namespace storepulse::test_support
