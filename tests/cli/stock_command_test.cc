// `storepulse stock` (cli/stock_command.h): the tables from the API's answers, the command run
// in-process on an edge data directory (--data-dir, read-only), and its usage errors.
#include "cli/stock_command.h"

#include <gtest/gtest.h>

#include <sstream>

#include "edge/event_store.h"
#include "tests/support/temp_dir.h"

namespace storepulse::cli {
namespace {

using nlohmann::json;

struct Outcome {
  int code = -1;
  std::string out, err;
};

Outcome Stock(const std::vector<std::string>& args) {
  std::ostringstream out, err;
  CommandIo io{out, err, false};
  Outcome run;
  run.code = RunStock(args, io);
  run.out = out.str();
  run.err = err.str();
  return run;
}

TEST(StockCommandTest, ShowsOneSkuAtTheStore) {
  json answer = {{"store", "S1"},
                 {"timezone", "Europe/Paris"},
                 {"sku", "SKU-00042"},
                 {"on_hand", 1234},
                 {"ranged", true},
                 {"last_movement", "2026-11-22T10:15:00.000Z"},
                 {"updated", "2026-11-22T10:15:01.000Z"}};
  auto text = RenderEdgeStock(answer);
  ASSERT_TRUE(text.ok()) << text.status().ToString();
  EXPECT_EQ(*text,
            "SKU-00042 at store S1\n"
            "  On hand        1,234\n"
            "  Ranged         yes\n"
            "  Last movement  2026-11-22 10:15:00 UTC\n");
  answer["ranged"] = false;
  answer["on_hand"] = 0;
  answer["last_movement"] = nullptr;
  EXPECT_EQ(*RenderEdgeStock(answer),
            "SKU-00042 at store S1\n"
            "  On hand        0\n"
            "  Ranged         no (no stock event for it at this store)\n"
            "  Last movement  never\n");
}

TEST(StockCommandTest, ShowsTheStoresAvailabilityAndItsOutOfStockSkus) {
  json answer = json::parse(R"({"store":"S1","timezone":"Europe/Paris","ranged":500,
    "in_stock":497,"out_of_stock":3,"out_of_stock_skus":["SKU-1","SKU-2"],
    "on_hand_total":12345,"availability":0.994})");
  EXPECT_EQ(*RenderEdgeStock(answer),
            "Stock at store S1: 497 of 500 ranged SKUs in stock (availability 99.4%), 12,345 "
            "units on hand\n"
            "Out of stock: 3 (the first 2 listed)\n"
            "  SKU-1\n"
            "  SKU-2\n");
  EXPECT_FALSE(RenderEdgeStock(json{{"store", 1}}).ok());
}

TEST(StockCommandTest, ShowsTheNetworkViewAsATable) {
  json answer = json::parse(R"({"sku":"SKU-1","total_on_hand":15,"stores_in_stock":1,"stores":[
    {"store":"PAR1","name":"Paris Opéra","region":"north","on_hand":15,"ranged":true,
     "last_movement":"2026-11-22T10:15:00.000Z","freshness_s":4,"online":true},
    {"store":"BOM1","name":"Mumbai","region":"asia","on_hand":-2,"ranged":true,
     "last_movement":"2026-11-22T09:00:00.000Z","freshness_s":7300,"online":false},
    {"store":"NYC1","name":"New York","region":"america","on_hand":0,"ranged":false,
     "last_movement":null,"freshness_s":null,"online":false}]})");
  auto text = RenderNetworkStock(answer);
  ASSERT_TRUE(text.ok()) << text.status().ToString();
  EXPECT_EQ(
      *text,
      "SKU-1 across the network: 15 on hand in 1 of 3 stores\n"
      "Store  Name         Region   On hand  Ranged  Last movement            Freshness  "
      "Online\n"
      "─────  ───────────  ───────  ───────  ──────  ───────────────────────  ─────────  "
      "──────\n"
      "PAR1   Paris Opéra  north         15  yes     2026-11-22 10:15:00 UTC  4 s        yes\n"
      "BOM1   Mumbai       asia          -2  yes     2026-11-22 09:00:00 UTC  2 h        NO\n"
      "NYC1   New York     america        0  no      never                    never      "
      "NO\n");
}

// --network --edge: the store's stock, then the network's from central — or plainly why not.
TEST(StockCommandTest, ShowsTheEdgesNetworkAnswerOrWhyCentralDidNotAnswer) {
  const json here = json::parse(R"({"store":"BOM1","timezone":"Asia/Kolkata","sku":"SKU-1",
    "on_hand":-2,"ranged":true,"last_movement":"2026-11-22T09:00:00.000Z","updated":null})");
  const json network = json::parse(R"({"sku":"SKU-1","total_on_hand":15,"stores_in_stock":1,
    "stores":[{"store":"PAR1","name":"Paris","region":"north","on_hand":15,"ranged":true,
     "last_movement":"2026-11-22T10:15:00.000Z","freshness_s":4,"online":true}]})");
  auto both = RenderEdgeNetworkStock(
      {{"sku", "SKU-1"}, {"here", here}, {"network", network}, {"reason", nullptr}});
  ASSERT_TRUE(both.ok()) << both.status().ToString();
  EXPECT_EQ(*both, *RenderEdgeStock(here) + "\n" + *RenderNetworkStock(network));
  auto away = RenderEdgeNetworkStock({{"sku", "SKU-1"},
                                      {"here", here},
                                      {"network", "unavailable"},
                                      {"reason", "not connected to central"}});
  ASSERT_TRUE(away.ok()) << away.status().ToString();
  EXPECT_EQ(*away,
            *RenderEdgeStock(here) + "\nThe network: unavailable — not connected to central\n");
  EXPECT_FALSE(RenderEdgeNetworkStock({{"here", here}}).ok());
}

TEST(StockCommandTest, FormatsAges) {
  EXPECT_EQ(FormatAge(nullptr), "never");
  EXPECT_EQ(FormatAge(0), "0 s");
  EXPECT_EQ(FormatAge(119), "119 s");
  EXPECT_EQ(FormatAge(600), "10 min");
  EXPECT_EQ(FormatAge(3 * 3600), "3 h");
  EXPECT_EQ(FormatAge(3 * 86400), "3 d");
}

TEST(StockCommandTest, ReadsAStoppedEdgesDataDirectory) {
  test_support::TempDir dir;
  {
    auto zone = common::TimeZone::Load("Europe/Paris");
    ASSERT_TRUE(zone.ok());
    auto store = edge::EventStore::Open(dir.path(), "S1", *zone, edge::Durability::kNormal);
    ASSERT_TRUE(store.ok()) << store.status().ToString();
    common::Event receipt;
    receipt.id = "r1";
    receipt.type = common::EventType::kStock;
    receipt.ts_ms = 1'795'000'000'000;
    receipt.sku = "SKU-9";
    receipt.qty = 12;
    std::vector<edge::AppendOutcome> outcomes;
    auto group = (*store)->BeginGroup();
    ASSERT_TRUE(group.ok());
    ASSERT_TRUE(group->Append({receipt}, receipt.ts_ms, &outcomes).ok());
    ASSERT_TRUE(group->Commit().ok());
  }
  Outcome sku = Stock({"SKU-9", "--data-dir", dir.path()});
  EXPECT_EQ(sku.code, kExitOk) << sku.err;
  EXPECT_NE(sku.out.find("  On hand        12\n"), std::string::npos) << sku.out;
  Outcome json_run = Stock({"SKU-9", "--data-dir", dir.path(), "--json"});
  ASSERT_EQ(json_run.code, kExitOk) << json_run.err;
  EXPECT_EQ(json::parse(json_run.out)["on_hand"], 12);
  Outcome summary = Stock({"--data-dir", dir.path()});
  EXPECT_EQ(summary.code, kExitOk) << summary.err;
  EXPECT_NE(summary.out.find("1 of 1 ranged SKUs in stock (availability 100.0%)"),
            std::string::npos)
      << summary.out;
}

TEST(StockCommandTest, RejectsFlagsThatDoNotGoTogether) {
  EXPECT_EQ(Stock({"--network"}).code, kExitUsage);  // no SKU
  EXPECT_EQ(Stock({"SKU-1", "--network", "--data-dir", "/tmp"}).code, kExitUsage);
  EXPECT_EQ(Stock({"SKU-1", "--network", "--edge", "http://127.0.0.1:8601", "--central",
                   "http://127.0.0.1:8600"})
                .code,
            kExitUsage);
  EXPECT_EQ(Stock({"SKU-1", "--central", "http://127.0.0.1:8600"}).code, kExitUsage);
  EXPECT_EQ(Stock({"SKU-1", "--edge", "http://x", "--data-dir", "/tmp"}).code, kExitUsage);
  Outcome help = Stock({"--help"});
  EXPECT_EQ(help.code, kExitOk);
  EXPECT_NE(help.out.find("Usage: storepulse stock [SKU]"), std::string::npos);
}

TEST(StockCommandTest, AnUnreachableEdgeOrCentralIsExitThree) {
  EXPECT_EQ(Stock({"SKU-1", "--edge", "http://127.0.0.1:1"}).code, kExitUnreachable);
  EXPECT_EQ(Stock({"SKU-1", "--network", "--central", "http://127.0.0.1:1"}).code,
            kExitUnreachable);
}

TEST(StockCommandTest, AMissingDataDirectoryFails) {
  Outcome run = Stock({"SKU-1", "--data-dir", "/nonexistent/storepulse"});
  EXPECT_EQ(run.code, kExitFailed);
  EXPECT_NE(run.err.find("no edge database"), std::string::npos) << run.err;
}

}  // namespace
}  // namespace storepulse::cli
