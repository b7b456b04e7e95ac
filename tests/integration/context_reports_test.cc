// The network context and the reports with a real edge and central: central computes the store's
// context from what the edge replicated and publishes the reports file (re-read on SIGHUP); the
// edge serves both from edge.db — with central stopped too, saying how old its context is — and a
// report run at the edge equals the KPI API's answer over the same dates. Until the downlink
// transport carries documents, the test delivers central's current document into the edge's
// database itself (edge::StoreSnapshot), as the edge would on receiving it.
#include <SQLiteCpp/SQLiteCpp.h>
#include <gtest/gtest-spi.h>
#include <gtest/gtest.h>

#include <csignal>
#include <string>
#include <vector>

#include "common/event_codec.h"
#include "common/reference/reference_document.h"
#include "common/time_zone.h"
#include "edge/event_store.h"
#include "edge/reference_store.h"
#include "tests/integration/chain.h"
#include "tests/integration/test_events.h"
#include "tests/support/temp_dir.h"

namespace storepulse::test_support {
namespace {

using nlohmann::json;

void Ingest(EdgeNode& edge, const std::vector<common::Event>& events) {
  auto reply = PostBody(edge.http_port(), "/api/v1/events", common::EncodeJsonLines(events));
  ASSERT_TRUE(reply);
  ASSERT_EQ(reply->status, 200) << reply->body.dump();
}

// Stores `rows` as the edge's document of `kind`, as the edge does with what central sends.
void Deliver(EdgeNode& edge, std::string_view kind, const common::DocumentRows& rows) {
  SQLite::Database db(edge::EdgeDatabasePath(edge.options().data_dir), SQLite::OPEN_READWRITE);
  db.setBusyTimeout(10'000);
  const common::Status stored =
      edge::StoreSnapshot(db, kind, common::DocumentVersion(rows), rows, NowMs());
  ASSERT_TRUE(stored.ok()) << stored.message();
}

// Central's answer of GET /api/v1/context back into the document's rows.
common::DocumentRows ContextRowsOf(json answer) {
  common::DocumentRows rows;
  rows["today"] = answer["today"];
  rows["yesterday"] = answer["yesterday"];
  for (const char* key : {"today", "yesterday", "version", "published_at"}) answer.erase(key);
  rows["store"] = answer;
  return rows;
}

common::DocumentRows ReportRowsOf(const json& answer) {
  common::DocumentRows rows;
  for (json report : answer["reports"]) {
    const std::string name = report["name"];
    report.erase("name");
    rows[name] = report;
  }
  return rows;
}

// Central's context from its own KPI queries: central.db, or the read model of PostgreSQL.
class ContextTest : public testing::TestWithParam<Backend> {};
INSTANTIATE_TEST_SUITE_P(Backends, ContextTest, kBothBackends, BackendName);

TEST_P(ContextTest, TheEdgeServesTheLastContextWithItsAgeWhileCentralIsDown) {
  Chain chain({{"PAR1", "north", "Europe/Paris"}}, {"--context-interval-s", "1"}, GetParam());
  ASSERT_TRUE(chain.StartAll());
  auto none = GetJson(chain.edge(0).http_port(), "/api/v1/context");
  ASSERT_TRUE(none);
  EXPECT_EQ((*none)["error"].get<std::string>(), "no network context from central yet");

  const int64_t now = NowMs() - 1000;  // in the store's local today
  Ingest(chain.edge(0), {Sale("c1", 2, 1250, common::Channel::kStore, now),
                         Sale("c2", 1, 1500, common::Channel::kStore, now)});
  ASSERT_EQ(chain.WaitCaughtUp(0), 2);
  // Central recomputes every second: 2 × 12.50 + 15.00 = 40.00 over two sales.
  std::optional<json> central;
  ASSERT_TRUE(WaitUntil([&] {
    central = GetJson(chain.central().http_port(), "/api/v1/context?store=PAR1");
    return central && central->contains("today") &&
           (*central)["today"]["store"]["net_sales"] == 4000;
  })) << (central ? central->dump(2) : "no answer")
      << chain.central().Log();
  EXPECT_EQ((*central)["store"], "PAR1");
  EXPECT_EQ((*central)["region"], "north");
  EXPECT_EQ((*central)["region_stores"], 1);
  EXPECT_EQ(
      (*central)["today"]["date"],
      common::TimeZone::FormatLocalDate(common::TimeZone::Load("Europe/Paris")->LocalDayOf(now)));
  EXPECT_EQ((*central)["today"]["region"]["net_sales"], 4000);
  EXPECT_EQ((*central)["today"]["network"]["net_sales"], 4000);
  EXPECT_EQ((*central)["today"]["store"]["aov"], 2000.0);
  EXPECT_EQ((*central)["today"]["rank"]["net_sales"], json::parse(R"({"rank":1,"of":1})"));

  auto unknown = GetJson(chain.central().http_port(), "/api/v1/context?store=NOPE");
  ASSERT_TRUE(unknown);
  EXPECT_EQ((*unknown)["error"],
            "no context published for store NOPE (not in the stores file, or not computed yet)");
  auto no_store = GetJson(chain.central().http_port(), "/api/v1/context");
  ASSERT_TRUE(no_store);
  EXPECT_EQ((*no_store)["error"], "store: required (?store=S)");

  const common::DocumentRows rows = ContextRowsOf(*central);
  EXPECT_EQ(common::DocumentVersion(rows), (*central)["version"]);  // the same content
  Deliver(chain.edge(0), common::kContextDocument, rows);

  ASSERT_EQ(chain.central().Stop(), 0);
  auto held = GetJson(chain.edge(0).http_port(), "/api/v1/context");
  ASSERT_TRUE(held);
  EXPECT_EQ((*held)["version"], (*central)["version"]);
  EXPECT_EQ((*held)["today"], (*central)["today"]);
  EXPECT_EQ((*held)["yesterday"], (*central)["yesterday"]);
  EXPECT_EQ((*held)["name"], (*central)["name"]);
  // Still served, and older, with central gone.
  ASSERT_TRUE(WaitUntil(
      [&] {
        held = GetJson(chain.edge(0).http_port(), "/api/v1/context");
        return held && held->contains("age_s") && (*held)["age_s"].get<int64_t>() >= 2;
      },
      std::chrono::seconds(10)))
      << (held ? held->dump() : "no answer");
  EXPECT_EQ((*held)["today"]["store"]["net_sales"], 4000);
}

const std::string kReports =
    "name,audience,title,kpis,by,period,scope\n"
    "daily,manager|advisor,Today at a glance,net_sales|transactions|aov,,today,\n"
    "week,manager,This week by day,net_sales|units_sold,day,this_week,\n"
    "ops-hours,ops,Hours,footfall,hour,today,network\n";

TEST(ReportsTest, AReportRunAtTheEdgeEqualsTheKpiApiAndAChangeAtCentralReachesTheEdge) {
  TempDir files;
  const std::string reports = files.Write("reports.csv", kReports);
  Chain chain({{"PAR1", "north", "Europe/Paris"}}, {"--reports-file", reports});
  ASSERT_TRUE(chain.StartAll());
  const int64_t now = NowMs() - 1000;
  Ingest(chain.edge(0), {Sale("r1", 3, 1000, common::Channel::kStore, now),
                         Sale("r2", 1, 2500, common::Channel::kWeb, now)});

  auto published = GetJson(chain.central().http_port(), "/api/v1/reports");
  ASSERT_TRUE(published);
  ASSERT_EQ((*published)["reports"].size(), 3u) << published->dump(2);
  Deliver(chain.edge(0), common::kReportsDocument, ReportRowsOf(*published));

  auto managers = GetJson(chain.edge(0).http_port(), "/api/v1/reports?audience=manager");
  ASSERT_TRUE(managers);
  EXPECT_EQ((*managers)["version"], (*published)["version"]);
  ASSERT_EQ((*managers)["reports"].size(), 2u);
  EXPECT_EQ((*managers)["reports"][0]["name"], "daily");
  EXPECT_EQ((*managers)["reports"][1]["name"], "week");
  auto ops = GetJson(chain.edge(0).http_port(), "/api/v1/reports?audience=ops");
  ASSERT_TRUE(ops);
  ASSERT_EQ((*ops)["reports"].size(), 1u);

  auto daily = GetJson(chain.edge(0).http_port(), "/api/v1/reports/daily");
  ASSERT_TRUE(daily);
  const std::string today =
      common::TimeZone::FormatLocalDate(common::TimeZone::Load("Europe/Paris")->LocalDayOf(now));
  auto kpi = GetJson(chain.edge(0).http_port(), "/api/v1/kpi?from=" + today + "&by=total");
  ASSERT_TRUE(kpi);
  ASSERT_EQ((*daily)["rows"].size(), 1u) << daily->dump(2);
  const json& row = (*daily)["rows"][0];
  EXPECT_EQ(row["net_sales"], 5500);  // 3 × 10.00 + 25.00, by hand
  EXPECT_EQ(row["transactions"], 2);
  for (const char* name : {"net_sales", "transactions", "aov"}) {
    EXPECT_EQ(row[name], (*kpi)["rows"][0][name]) << name;
  }
  EXPECT_FALSE(row.contains("footfall"));
  EXPECT_EQ((*daily)["report"]["title"], "Today at a glance");
  EXPECT_EQ((*daily)["from"], today);

  // Central runs the same report over the caught-up store: the same rows (edge == central).
  ASSERT_EQ(chain.WaitCaughtUp(0), 2);
  auto at_central = GetJson(chain.central().http_port(), "/api/v1/reports/daily?scope=store:PAR1");
  ASSERT_TRUE(at_central);
  EXPECT_EQ((*at_central)["rows"], (*daily)["rows"]) << at_central->dump(2);
  auto no_scope = GetJson(chain.central().http_port(), "/api/v1/reports/daily");
  ASSERT_TRUE(no_scope);
  EXPECT_EQ((*no_scope)["error"], "scope: required for a store report (scope=store:…)");
  auto network = GetJson(chain.central().http_port(), "/api/v1/reports/ops-hours");
  ASSERT_TRUE(network);
  EXPECT_EQ((*network)["scope"], "network") << network->dump(2);
  EXPECT_EQ((*network)["by"], "hour");

  auto missing = GetJson(chain.edge(0).http_port(), "/api/v1/reports/nope");
  ASSERT_TRUE(missing);
  EXPECT_EQ((*missing)["error"], "no report named nope from central");

  // Head office renames the daily report: central re-reads the file, the edge gets it.
  files.Write("reports.csv",
              "name,audience,title,kpis,by,period,scope\n"
              "daily,manager,Where we are today,net_sales,,today,\n");
  chain.central().Signal(SIGHUP);
  ASSERT_TRUE(WaitUntil([&] {
    published = GetJson(chain.central().http_port(), "/api/v1/reports");
    return published && (*published)["reports"].size() == 1;
  })) << chain.central().Log();
  Deliver(chain.edge(0), common::kReportsDocument, ReportRowsOf(*published));
  managers = GetJson(chain.edge(0).http_port(), "/api/v1/reports?audience=manager");
  ASSERT_TRUE(managers);
  ASSERT_EQ((*managers)["reports"].size(), 1u);
  EXPECT_EQ((*managers)["reports"][0]["title"], "Where we are today");

  // A broken file is not taken: central keeps (and keeps publishing) the one it has.
  files.Write("reports.csv", "name,audience,title,kpis,by,period,scope\nx,boss,X,aov,,today,\n");
  chain.central().Signal(SIGHUP);
  ASSERT_TRUE(WaitUntil([&] {
    return chain.central().Log().find("reports file not reloaded") != std::string::npos;
  })) << chain.central().Log();
  published = GetJson(chain.central().http_port(), "/api/v1/reports");
  ASSERT_TRUE(published);
  ASSERT_EQ((*published)["reports"].size(), 1u);
  EXPECT_EQ((*published)["reports"][0]["title"], "Where we are today");
}

TEST(ReportsTest, ABrokenReportsFileStopsCentralFromStarting) {
  TempDir files;
  Chain chain({{"PAR1", "north", "Europe/Paris"}},
              {"--reports-file", files.Write("reports.csv",
                                             "name,audience,title,kpis,by,period,scope\n"
                                             "daily,manager,Daily,net_sale,,today,\n")});
  bool started = true;
  EXPECT_NONFATAL_FAILURE(started = chain.StartCentral(), "did not come up");  // with its log
  EXPECT_FALSE(started);
  EXPECT_NE(chain.central().Log().find("line 2: unknown KPI \"net_sale\""), std::string::npos)
      << chain.central().Log();
}

}  // namespace
}  // namespace storepulse::test_support
