// The product catalogue with a real edge and central (docs/KPIS.md, "Cost and margin"): central
// reads it from --catalogue-file (re-read on SIGHUP, kept when the new file is bad); the edge holds
// the same version in edge.db (put there as central's downlink would: edge::StoreSnapshot). For a
// caught-up store the margins, categories and names are equal at both ends and equal to the hand
// computation, with a cost that changes in the middle of the period — on either log of central.
#include <SQLiteCpp/SQLiteCpp.h>
#include <gtest/gtest.h>

#include <csignal>
#include <string>
#include <vector>

#include "common/event_codec.h"
#include "common/reference/catalogue_file.h"
#include "common/reference/catalogue_rows.h"
#include "common/time_zone.h"
#include "edge/event_store.h"
#include "edge/reference_store.h"
#include "tests/integration/chain.h"
#include "tests/integration/test_events.h"
#include "tests/support/http_probe.h"
#include "tests/support/temp_dir.h"

namespace storepulse::test_support {
namespace {

using common::EventType;
using nlohmann::json;

class CatalogueTest : public testing::TestWithParam<Backend> {};
INSTANTIATE_TEST_SUITE_P(Backends, CatalogueTest, kBothBackends, BackendName);

common::Event Ticket(const std::string& id, EventType type, int64_t ts_ms,
                     std::vector<common::Line> lines) {
  common::Event e;
  e.id = id;
  e.type = type;
  e.ts_ms = ts_ms;
  e.txn = "t-" + id;
  e.lines = std::move(lines);
  return e;
}

// MUG costs 3.00 until the day before yesterday and `new_cost` from yesterday on (Paris days).
std::string CatalogueText(const std::string& yesterday, int new_cost) {
  return "sku,name,category,brand,unit_cost,valid_from\n"
         "MUG,Blue mug,Kitchen,Acme,300,\n"
         "MUG,Blue mug,Kitchen,Acme," +
         std::to_string(new_cost) + "," + yesterday +
         "\n"
         "TEA,Green tea,Grocery,Leaf,150,\n";
}

// What central's downlink does: the catalogue's rows and version into the running edge's edge.db.
void GiveEdgeCatalogue(EdgeNode& edge, const std::string& text) {
  const common::Catalogue catalogue = *common::ParseCatalogueCsv(text, 0);
  SQLite::Database db(edge::EdgeDatabasePath(edge.options().data_dir), SQLite::OPEN_READWRITE);
  db.setBusyTimeout(10000);
  ASSERT_TRUE(edge::StoreSnapshot(db, common::kCatalogueDocument, catalogue.version(),
                                  common::CatalogueRows(catalogue), NowMs())
                  .ok());
}

json Rows(int port, const std::string& path) {
  auto answer = GetJson(port, path);
  EXPECT_TRUE(answer) << path;
  return answer ? (*answer)["rows"] : json::array();
}

// The KPIs a catalogue adds, and net sales, of each row: what both ends must agree on.
json MarginOf(const json& rows) {
  json out = json::array();
  for (const json& row : rows) {
    json kept = {{"key", row["key"]}};
    for (const char* name : {"net_sales", "units_sold", "cogs", "gross_margin", "margin_rate",
                             "units_without_cost", "name", "category", "brand"}) {
      if (row.contains(name)) kept[name] = row[name];
    }
    out.push_back(std::move(kept));
  }
  return out;
}

TEST_P(CatalogueTest, MarginsCategoriesAndNamesAreTheHandComputedOnesAtTheEdgeAndAtCentral) {
  const common::TimeZone paris = *common::TimeZone::Load("Europe/Paris");
  const int64_t today = paris.LocalDayOf(NowMs());
  const std::string yesterday = common::TimeZone::FormatLocalDate(today - 1);
  const std::string before = common::TimeZone::FormatLocalDate(today - 2);
  TempDir files;
  const std::string file = files.Write("catalogue.csv", CatalogueText(yesterday, 400));
  Chain chain({{"PAR1", "north", "Europe/Paris"}}, {"--catalogue-file", file}, GetParam());
  ASSERT_TRUE(chain.StartAll());
  const auto noon = [&](int64_t day) { return paris.LocalDayStartMs(day) + 12 * 3600 * 1000; };
  // The day before yesterday: 2 mugs at 10.00 and 4 teas at 2.50 (cost 2×3.00 + 4×1.50 = 12.00).
  // Yesterday: 3 mugs at 10.00 less 3.00 of discount (3×4.00), one mug returned (−4.00).
  const std::vector<common::Event> events = {
      Ticket("s1", EventType::kSale, noon(today - 2), {{"MUG", 2, 1000, 0}, {"TEA", 4, 250, 0}}),
      Ticket("s2", EventType::kSale, noon(today - 1), {{"MUG", 3, 1000, 300}}),
      Ticket("r1", EventType::kReturn, noon(today - 1) + 3600 * 1000, {{"MUG", 1, 1000, 0}})};
  auto posted =
      PostBody(chain.edge(0).http_port(), "/api/v1/events", common::EncodeJsonLines(events));
  ASSERT_TRUE(posted && posted->status == 200);
  ASSERT_EQ(chain.WaitCaughtUp(0), 3);
  GiveEdgeCatalogue(chain.edge(0), CatalogueText(yesterday, 400));

  const std::string period = "from=" + before + "&to=" + common::TimeZone::FormatLocalDate(today);
  const int edge = chain.edge(0).http_port(), central = chain.central().http_port();
  const std::string at_central = "/api/v1/kpi?scope=store:PAR1&" + period;
  const json total = Rows(edge, "/api/v1/kpi?" + period)[0];
  EXPECT_EQ(total["net_sales"], 2000 + 1000 + 2700 - 1000);
  EXPECT_EQ(total["cogs"], 1200 + 1200 - 400);
  EXPECT_EQ(total["gross_margin"], 4700 - 2000);
  EXPECT_DOUBLE_EQ(total["margin_rate"].get<double>(), 2700.0 / 4700.0);
  EXPECT_EQ(total["units_without_cost"], 0);
  // margins=0 (pages that show none): no costing of the day rows; a bad value is refused.
  EXPECT_TRUE(Rows(central, at_central + "&margins=0")[0]["cogs"].is_null());
  EXPECT_TRUE(Rows(edge, "/api/v1/kpi?margins=0&" + period)[0]["gross_margin"].is_null());
  auto refused = HttpGet("127.0.0.1", edge, "/api/v1/kpi?margins=yes");
  ASSERT_TRUE(refused);
  EXPECT_EQ(refused->status, 400);
  for (const char* by : {"total", "day", "category", "sku"}) {
    SCOPED_TRACE(by);
    const json at_edge = MarginOf(Rows(edge, "/api/v1/kpi?by=" + std::string(by) + "&" + period));
    EXPECT_EQ(at_edge, MarginOf(Rows(central, at_central + "&by=" + by)));
    EXPECT_FALSE(at_edge.empty());
  }
  const json categories = Rows(edge, "/api/v1/kpi?by=category&" + period);
  ASSERT_EQ(categories.size(), 2u);
  EXPECT_EQ(categories[1]["key"], "Kitchen");
  EXPECT_EQ(categories[1]["gross_margin"], 3700 - (600 + 1200 - 400));
  const json skus = Rows(central, at_central + "&by=sku");
  ASSERT_EQ(skus.size(), 2u);
  EXPECT_EQ(skus[0]["name"], "Blue mug");
  const auto edge_answer = GetJson(edge, "/api/v1/kpi?" + period);
  const auto central_answer = GetJson(central, at_central);
  ASSERT_TRUE(edge_answer && central_answer);
  EXPECT_EQ((*edge_answer)["catalogue"]["version"], (*central_answer)["catalogue"]["version"]);

  // A new cost from yesterday, 5.00: central takes it on SIGHUP (3×5.00 − 5.00 yesterday).
  files.Write("catalogue.csv", CatalogueText(yesterday, 500));
  chain.central().Signal(SIGHUP);
  ASSERT_TRUE(WaitUntil([&] { return Rows(central, at_central)[0]["cogs"] == 1200 + 1000; }))
      << chain.central().Log();
  // A broken file is not taken: central keeps the catalogue it has and says why.
  files.Write("catalogue.csv", "sku,name,category,brand,unit_cost,valid_from\nMUG,,,,-1,\n");
  chain.central().Signal(SIGHUP);
  ASSERT_TRUE(WaitUntil([&] {
    return chain.central().Log().find("catalogue file not reloaded, keeping the previous one") !=
           std::string::npos;
  })) << chain.central().Log();
  EXPECT_NE(chain.central().Log().find("line 2: unit_cost \"-1\""), std::string::npos);
  EXPECT_EQ(Rows(central, at_central)[0]["cogs"], 2200);
  // The edge holds the new version once it arrives, and agrees again.
  GiveEdgeCatalogue(chain.edge(0), CatalogueText(yesterday, 500));
  EXPECT_EQ(Rows(edge, "/api/v1/kpi?" + period)[0]["cogs"], 2200);
}

// Two stores in two zones: a cost from a date applies from each store's own local midnight, and
// the network, region and store rows are the sums of what each edge computes for itself.
TEST_P(CatalogueTest, ACostFromADateAppliesFromEachStoresOwnMidnightAcrossTheNetwork) {
  const common::TimeZone paris = *common::TimeZone::Load("Europe/Paris");
  const common::TimeZone york = *common::TimeZone::Load("America/New_York");
  // A day that is over in both zones: two days before New York's today.
  const int64_t day = york.LocalDayOf(NowMs()) - 2;
  const std::string date = common::TimeZone::FormatLocalDate(day);
  TempDir files;
  const std::string text = CatalogueText(date, 400);  // MUG: 300, then 400 from `date`
  Chain chain({{"PAR1", "europe", "Europe/Paris"}, {"NYC1", "americas", "America/New_York"}},
              {"--catalogue-file", files.Write("catalogue.csv", text)}, GetParam());
  ASSERT_TRUE(chain.StartAll());
  // Each store sells 2 mugs at 23:30 local the evening before `date` (cost 300) and 1 mug at
  // 00:30 local on `date` (cost 400): 0:30 in Paris is still the day before in New York.
  const auto at = [](const common::TimeZone& zone, int64_t d, int64_t minutes) {
    return zone.LocalDayStartMs(d) + minutes * 60'000;
  };
  for (size_t i = 0; i < 2; ++i) {
    const common::TimeZone& zone = i == 0 ? paris : york;
    const std::vector<common::Event> events = {
        Ticket("late", EventType::kSale, at(zone, day - 1, 23 * 60 + 30), {{"MUG", 2, 1000, 0}}),
        Ticket("early", EventType::kSale, at(zone, day, 30), {{"MUG", 1, 1000, 0}})};
    auto posted =
        PostBody(chain.edge(i).http_port(), "/api/v1/events", common::EncodeJsonLines(events));
    ASSERT_TRUE(posted && posted->status == 200);
    ASSERT_EQ(chain.WaitCaughtUp(i), 2);
    GiveEdgeCatalogue(chain.edge(i), text);
  }
  const std::string period = "from=" + common::TimeZone::FormatLocalDate(day - 1) +
                             "&to=" + common::TimeZone::FormatLocalDate(day + 1);
  const int central = chain.central().http_port();
  // Per store: 2 × 300 + 1 × 400 = 1000 of cost on 3000 of sales.
  const json stores = Rows(central, "/api/v1/kpi?scope=network&by=store&" + period);
  ASSERT_EQ(stores.size(), 2u);
  for (size_t i = 0; i < 2; ++i) {
    SCOPED_TRACE(chain.spec(i).store);
    const json& row = stores[stores[0]["key"] == chain.spec(i).store ? 0 : 1];
    EXPECT_EQ(row["cogs"], 1000);
    EXPECT_EQ(row["gross_margin"], 2000);
    EXPECT_EQ(MarginOf(Rows(chain.edge(i).http_port(), "/api/v1/kpi?" + period))[0]["cogs"],
              row["cogs"]);
    const json days = Rows(chain.edge(i).http_port(), "/api/v1/kpi?by=day&" + period);
    ASSERT_EQ(days.size(), 2u);
    EXPECT_EQ(days[0]["cogs"], 600);
    EXPECT_EQ(days[1]["cogs"], 400);
  }
  const json network = Rows(central, "/api/v1/kpi?scope=network&" + period)[0];
  EXPECT_EQ(network["cogs"], 2000);
  EXPECT_EQ(network["gross_margin"], 4000);
  EXPECT_DOUBLE_EQ(network["margin_rate"].get<double>(), 4000.0 / 6000.0);
  const json regions = Rows(central, "/api/v1/kpi?scope=network&by=region&" + period);
  ASSERT_EQ(regions.size(), 2u);
  EXPECT_EQ(regions[0]["cogs"], 1000);
  EXPECT_EQ(regions[1]["cogs"], 1000);
  // The network's days: each store's own local day (the day before: 2 × 600; `date`: 2 × 400).
  const json days = Rows(central, "/api/v1/kpi?scope=network&by=day&" + period);
  ASSERT_EQ(days.size(), 2u);
  EXPECT_EQ(days[0]["cogs"], 1200);
  EXPECT_EQ(days[1]["cogs"], 800);
}

}  // namespace
}  // namespace storepulse::test_support
