// Targets, pace and drivers at the store, with a real edge and central: the `targets` document
// central makes for the store (common/targets/targets_document.h) reaches the edge over the
// downlink; the edge's GET /api/v1/targets then equals central's for the store's own targets and
// keeps answering with central stopped; GET /api/v1/drivers gives the
// hand-computed split of a gap, the same at the edge and at central.
#include <SQLiteCpp/SQLiteCpp.h>
#include <gtest/gtest.h>

#include <chrono>
#include <string>
#include <thread>
#include <vector>

#include "common/event_codec.h"
#include "common/targets/targets_document.h"
#include "common/time_zone.h"
#include "edge/event_store.h"
#include "edge/reference_store.h"
#include "tests/integration/chain.h"
#include "tests/integration/test_events.h"
#include "tests/support/http_probe.h"
#include "tests/support/process.h"
#include "tests/support/temp_dir.h"

namespace storepulse::test_support {
namespace {

using nlohmann::json;

constexpr int64_t kMinute = 60'000;
constexpr int64_t kWeek = 7 * 24 * 3600 * 1000LL;

const std::string kTargets =
    "scope,kpi,period,target\n"
    "store:PAR1,net_sales,day,10000\n"
    "store:LYO1,net_sales,day,777\n"
    "store:PAR1,transactions,day,2\n"
    "region:north,net_sales,week,50000\n"
    "network,aov,week,1500\n";

void Ingest(EdgeNode& edge, const std::vector<common::Event>& events) {
  auto reply = PostBody(edge.http_port(), "/api/v1/events", common::EncodeJsonLines(events));
  ASSERT_TRUE(reply);
  ASSERT_EQ(reply->status, 200) << reply->body.dump();
  ASSERT_EQ(reply->body["accepted"], events.size()) << reply->body.dump();
}

common::Event Footfall(const std::string& id, int64_t in, int64_t ts_ms) {
  common::Event e;
  e.id = id;
  e.type = common::EventType::kFootfall;
  e.ts_ms = ts_ms;
  e.sensor = "door1";
  e.period_s = 900;
  e.in = in;
  e.out = in;
  return e;
}

// Waits until the edge holds what central publishes for PAR1 (central/target_documents.h),
// sent down over the replication connection; its version, or "" after 30 s.
std::string AwaitTargetsDocument(const EdgeNode& edge, const std::string& targets_csv) {
  const common::DocumentRows rows =
      common::TargetsRows(*common::ParseTargets(targets_csv), "PAR1", "north");
  const std::string version = common::DocumentVersion(rows);
  for (const int64_t deadline = NowMs() + 30'000; NowMs() < deadline;
       std::this_thread::sleep_for(std::chrono::milliseconds(50))) {
    auto held = GetJson(edge.http_port(), "/api/v1/targets");
    if (held && (*held)["version"] == version) return version;
  }
  ADD_FAILURE() << "the edge did not receive the targets document " << version;
  return "";
}

json Entry(const json& answer, const std::string& scope, const std::string& kpi) {
  for (const json& t : answer["targets"]) {
    if (t["scope"] == scope && t["kpi"] == kpi) return t;
  }
  ADD_FAILURE() << "no target " << scope << " " << kpi << " in " << answer.dump(2);
  return json::object();
}

// The entry without what moves with the instant of the call.
json Steady(json entry) {
  entry.erase("elapsed");
  entry.erase("expected");
  entry.erase("pace");
  return entry;
}

TEST(EdgeTargetsTest, TheEdgeJudgesItsTargetsAsCentralDoesAndKeepsThemWithCentralDown) {
  const common::TimeZone paris = *common::TimeZone::Load("Europe/Paris");
  const int64_t now = NowMs();
  const int64_t at = now - 30 * kMinute;  // in a 15-minute bucket wholly before now
  if (paris.LocalDayOf(at) != paris.LocalDayOf(now)) GTEST_SKIP() << "just after midnight";
  TempDir files;
  Chain chain({{"PAR1", "north", "Europe/Paris"}},
              {"--targets-file", files.Write("targets.csv", kTargets)});
  ASSERT_TRUE(chain.StartAll());
  Ingest(chain.edge(0), {Sale("t1", 1, 1000, common::Channel::kStore, at),
                         Sale("t2", 2, 1000, common::Channel::kStore, at),
                         Sale("t3", 3, 1000, common::Channel::kStore, at), Footfall("f1", 30, at)});
  ASSERT_EQ(chain.WaitCaughtUp(0), 4);

  const std::string version = AwaitTargetsDocument(chain.edge(0), kTargets);
  ASSERT_FALSE(version.empty());
  auto edge = GetJson(chain.edge(0).http_port(), "/api/v1/targets");
  auto central = GetJson(chain.central().http_port(), "/api/v1/targets");
  ASSERT_TRUE(edge && central) << chain.central().Log();
  EXPECT_EQ((*edge)["version"], version);
  EXPECT_GE((*edge)["age_s"].get<int64_t>(), 0);
  // PAR1's own (2), its region's and the network's; not LYO1's.
  ASSERT_EQ((*edge)["targets"].size(), 4u) << edge->dump(2);
  EXPECT_EQ((*edge)["targets"][0]["kpi"], "net_sales");  // in the file's order
  EXPECT_EQ((*edge)["targets"][1]["kpi"], "transactions");
  for (const std::string kpi : {"net_sales", "transactions"}) {
    const json at_edge = Entry(*edge, "store:PAR1", kpi);
    const json at_central = Entry(*central, "store:PAR1", kpi);
    EXPECT_EQ(Steady(at_edge), Steady(at_central)) << kpi;
    EXPECT_NEAR(at_edge["elapsed"].get<double>(), at_central["elapsed"].get<double>(), 0.001);
  }
  const json sales = Entry(*edge, "store:PAR1", "net_sales");
  EXPECT_EQ(sales["actual"], 6000);  // 1000 + 2000 + 3000
  EXPECT_EQ(sales["gap"], -4000);
  // No history and no --opening-hours (always open): the flat profile, 1/24 an hour, so the share
  // done is the part of the day gone by.
  const json& pace = sales["pace"];
  EXPECT_EQ(pace["basis"], "opening_hours");
  EXPECT_EQ(pace["history_days"], 0);
  const double share = pace["share"].get<double>();
  EXPECT_NEAR(share, sales["elapsed"].get<double>(), 0.001);
  EXPECT_EQ(pace["expected_by_now"], std::llround(10000 * share));
  EXPECT_EQ(pace["projected_close"], std::llround(6000 / share));
  EXPECT_EQ(pace["on_track"], 6000 >= 10000 * share * 0.95);
  EXPECT_FALSE(Entry(*edge, "store:PAR1", "transactions").contains("pace"));
  // Central knows no opening hours: without history it does not pace.
  EXPECT_FALSE(Entry(*central, "store:PAR1", "net_sales").contains("pace"));
  // The region's target: its figures are central's.
  const json region = Entry(*edge, "region:north", "net_sales");
  EXPECT_EQ(region["target"], 50000);
  EXPECT_EQ(region["status"], "no_data");
  EXPECT_TRUE(region["actual"].is_null());

  auto cli = RunProcess({STOREPULSE_CLI_BIN, "targets", "--edge",
                         "http://127.0.0.1:" + std::to_string(chain.edge(0).http_port())});
  ASSERT_TRUE(cli.ok()) << cli.status().message();
  EXPECT_NE(cli->out.find("Targets of store PAR1"), std::string::npos) << cli->out << cli->err;
  EXPECT_NE(cli->out.find("of a normal day done (flat over the opening hours"), std::string::npos)
      << cli->out;

  // Central stopped: the same targets, the same version, an age.
  EXPECT_EQ(chain.central().Stop(), 0);
  auto offline = GetJson(chain.edge(0).http_port(), "/api/v1/targets");
  ASSERT_TRUE(offline);
  EXPECT_EQ((*offline)["version"], version);
  EXPECT_EQ((*offline)["targets"].size(), 4u);
  EXPECT_EQ(Entry(*offline, "store:PAR1", "net_sales")["actual"], 6000);

  // A document the edge cannot read (a period it does not know): said, not a failed request.
  common::DocumentRows bad = {{"store:PAR1|net_sales|year",
                               {{"scope", "store:PAR1"},
                                {"kpi", "net_sales"},
                                {"period", "year"},
                                {"target", 1},
                                {"order", 0}}}};
  {
    SQLite::Database db(edge::EdgeDatabasePath(chain.edge(0).options().data_dir),
                        SQLite::OPEN_READWRITE);
    db.exec("PRAGMA busy_timeout = 10000");
    ASSERT_TRUE(edge::StoreSnapshot(db, common::kTargetsDocument, common::DocumentVersion(bad), bad,
                                    NowMs())
                    .ok());
  }
  auto unreadable = GetJson(chain.edge(0).http_port(), "/api/v1/targets");
  ASSERT_TRUE(unreadable);
  EXPECT_TRUE((*unreadable)["targets"].empty());
  EXPECT_NE((*unreadable)["error"].get<std::string>().find("bad period \"year\""),
            std::string::npos)
      << unreadable->dump();
}

TEST(EdgeTargetsTest, PaceFollowsTheStoresOwnSameWeekdayHistory) {
  // Last week, the same weekday: 1000 in its first hour, 3000 in its last. Now (an hour between)
  // a quarter of a normal day is done: 10000 × 1000 / 4000 = 2500 expected by now.
  const common::TimeZone paris = *common::TimeZone::Load("Europe/Paris");
  const int64_t now = NowMs();
  const int64_t today = paris.LocalDayOf(now);
  const int64_t hour = (now - paris.LocalDayStartMs(today)) / (60 * kMinute);
  const int64_t at = now - 30 * kMinute;
  if (hour < 1 || hour > 22 || paris.LocalDayOf(at) != today) GTEST_SKIP() << "hour " << hour;
  const int64_t last_week = paris.LocalDayStartMs(today - 7);
  TempDir files;
  Chain chain({{"PAR1", "north", "Europe/Paris"}},
              {"--targets-file", files.Write("targets.csv", kTargets)});
  ASSERT_TRUE(chain.StartAll());
  Ingest(chain.edge(0), {Sale("early", 1, 1000, common::Channel::kStore, last_week + 10 * kMinute),
                         Sale("late", 1, 3000, common::Channel::kStore,
                              last_week + 23 * 60 * kMinute + 10 * kMinute),
                         Sale("today", 1, 2000, common::Channel::kStore, at)});
  ASSERT_FALSE(AwaitTargetsDocument(chain.edge(0), kTargets).empty());
  auto answer = GetJson(chain.edge(0).http_port(), "/api/v1/targets");
  ASSERT_TRUE(answer);
  const json sales = Entry(*answer, "store:PAR1", "net_sales");
  EXPECT_EQ(sales["actual"], 2000);
  const json& pace = sales["pace"];
  EXPECT_EQ(pace["basis"], "history") << pace.dump();
  EXPECT_EQ(pace["history_days"], 1);
  EXPECT_DOUBLE_EQ(pace["share"].get<double>(), 0.25);
  EXPECT_EQ(pace["expected_by_now"], 2500);
  EXPECT_EQ(pace["projected_close"], 8000);  // 2000 / 0.25
  EXPECT_EQ(pace["on_track"], false);        // 2000 < 2500 × 0.95
  // Central, caught up, paces the store's day from the same history.
  ASSERT_EQ(chain.WaitCaughtUp(0), 3);
  auto central = GetJson(chain.central().http_port(), "/api/v1/targets");
  ASSERT_TRUE(central);
  EXPECT_EQ(Entry(*central, "store:PAR1", "net_sales")["pace"], pace);
}

TEST(EdgeDriversTest, AGapSplitsIntoItsHandComputedDriversAtEdgeAndCentral) {
  const common::TimeZone paris = *common::TimeZone::Load("Europe/Paris");
  const int64_t now = NowMs();
  const int64_t at = now - 30 * kMinute;
  if (paris.LocalDayOf(at) != paris.LocalDayOf(now)) GTEST_SKIP() << "just after midnight";
  TempDir files;
  Chain chain({{"PAR1", "north", "Europe/Paris"}},
              {"--targets-file", files.Write("targets.csv", kTargets)});
  ASSERT_TRUE(chain.StartAll());
  // Today: 30 visitors, 3 sales, 6000. The same span last week: 20 visitors, 2 sales of 1000.
  Ingest(chain.edge(0), {Sale("t1", 1, 1000, common::Channel::kStore, at),
                         Sale("t2", 2, 1000, common::Channel::kStore, at),
                         Sale("t3", 3, 1000, common::Channel::kStore, at), Footfall("f1", 30, at),
                         Sale("w1", 1, 1000, common::Channel::kStore, at - kWeek),
                         Sale("w2", 1, 1000, common::Channel::kStore, at - kWeek),
                         Footfall("f0", 20, at - kWeek)});
  ASSERT_EQ(chain.WaitCaughtUp(0), 7);
  auto edge = GetJson(chain.edge(0).http_port(), "/api/v1/drivers?against=previous_week");
  auto central = GetJson(chain.central().http_port(),
                         "/api/v1/drivers?scope=store:PAR1&against=previous_week");
  ASSERT_TRUE(edge && central) << chain.central().Log();
  // Gap 6000 − 2000 = 4000. Conversion 0.1 both; basket 2000 against 1000. L = 4000 / ln 3 =
  // 3640.957: footfall L ln 1.5 = 1476.281, basket L ln 2 = 2523.719; floors 1476 + 2523 = 3999,
  // the missing unit to basket (.719 > .281).
  for (const json* answer : {&*edge, &*central}) {
    EXPECT_EQ((*answer)["scope"], "store:PAR1");
    EXPECT_EQ((*answer)["against"], "previous_week");
    EXPECT_EQ((*answer)["gap"], 4000) << answer->dump(2);
    EXPECT_EQ((*answer)["status"], "ahead");
    EXPECT_EQ((*answer)["method"], "lmdi");
    const json& d = (*answer)["drivers"];
    ASSERT_EQ(d.size(), 4u);
    EXPECT_EQ(d[0]["driver"], "footfall");
    EXPECT_EQ(d[0]["amount"], 1476);
    EXPECT_DOUBLE_EQ(d[0]["change"].get<double>(), 0.5);
    EXPECT_EQ(d[1]["driver"], "conversion");
    EXPECT_EQ(d[1]["amount"], 0);
    EXPECT_EQ(d[2]["driver"], "basket");
    EXPECT_EQ(d[2]["amount"], 2524);
    EXPECT_DOUBLE_EQ(d[2]["change"].get<double>(), 1.0);
    EXPECT_EQ(d[3]["driver"], "returns");
    EXPECT_EQ(d[3]["amount"], 0);
    EXPECT_EQ((*answer)["actual"]["footfall"], 30);
    EXPECT_EQ((*answer)["base"]["transactions"], 2);
  }
  EXPECT_EQ((*edge)["actual"], (*central)["actual"]);
  EXPECT_EQ((*edge)["base"], (*central)["base"]);
  EXPECT_EQ((*edge)["drivers"], (*central)["drivers"]);
  // The CLI's sentence, against the edge.
  const std::string url = "http://127.0.0.1:" + std::to_string(chain.edge(0).http_port());
  auto cli =
      RunProcess({STOREPULSE_CLI_BIN, "drivers", "--edge", url, "--against", "previous_week"});
  ASSERT_TRUE(cli.ok()) << cli.status().message();
  EXPECT_NE(cli->out.find("ahead of last week by 40.00: footfall +50.0% (+14.76), conversion "
                          "0.0 pt (0.00), basket +100.0% (+25.24)"),
            std::string::npos)
      << cli->out << cli->err;

  // Against the target: nothing last year to scale, so the gap alone (actual − expected), the
  // expected part by the store's pace at the edge, pro rata at central.
  ASSERT_FALSE(AwaitTargetsDocument(chain.edge(0), kTargets).empty());
  auto target = GetJson(chain.edge(0).http_port(), "/api/v1/drivers?against=target");
  ASSERT_TRUE(target);
  EXPECT_EQ((*target)["target"]["target"], 10000);
  EXPECT_EQ((*target)["target"]["expected_by"], "pace");
  // Central paces the store's day from the same history (last week's same weekday), so it expects
  // the same; a week target it expects pro rata.
  auto central_target =
      GetJson(chain.central().http_port(), "/api/v1/drivers?scope=store:PAR1&against=target");
  ASSERT_TRUE(central_target);
  EXPECT_EQ((*central_target)["target"]["expected_by"], "pace");
  EXPECT_NEAR((*central_target)["target"]["expected"].get<double>(),
              (*target)["target"]["expected"].get<double>(), 1);
  EXPECT_EQ((*central_target)["gap"],
            6000 - (*central_target)["target"]["expected"].get<int64_t>());
  auto region_week = GetJson(chain.central().http_port(),
                             "/api/v1/drivers?scope=region:north&period=week&against=target");
  ASSERT_TRUE(region_week);
  EXPECT_EQ((*region_week)["target"]["expected_by"], "pro_rata");
  EXPECT_EQ((*region_week)["target"]["target"], 50000);
  EXPECT_EQ((*target)["gap"], 6000 - (*target)["target"]["expected"].get<int64_t>());
  EXPECT_TRUE((*target)["drivers"].empty());
  EXPECT_TRUE((*target)["error"].is_string());
  auto week = GetJson(chain.edge(0).http_port(), "/api/v1/drivers?against=target&period=week");
  ASSERT_TRUE(week);
  EXPECT_EQ((*week)["status"], "no_data");  // PAR1 has no weekly net_sales target
  auto bad = HttpGet("127.0.0.1", chain.edge(0).http_port(), "/api/v1/drivers?against=yesterday");
  ASSERT_TRUE(bad);
  EXPECT_EQ(bad->status, 400);
}

}  // namespace
}  // namespace storepulse::test_support
