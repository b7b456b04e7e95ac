// `storepulse context` and `storepulse report` (cli/context_command.h, cli/report_command.h): the
// texts from the edge's answers, and both commands run in-process on a stopped edge's data
// directory holding what central last sent (--data-dir, read-only), and their usage errors.
#include <SQLiteCpp/SQLiteCpp.h>
#include <gtest/gtest.h>

#include <sstream>

#include "cli/context_command.h"
#include "cli/report_command.h"
#include "common/reference/network_context.h"
#include "common/reference/report_definitions.h"
#include "edge/event_store.h"
#include "edge/reference_store.h"
#include "tests/integration/test_events.h"
#include "tests/support/temp_dir.h"

namespace storepulse::cli {
namespace {

using nlohmann::json;

struct Outcome {
  int code = -1;
  std::string out, err;
};

Outcome Invoke(int (*command)(const std::vector<std::string>&, CommandIo&),
               const std::vector<std::string>& args) {
  std::ostringstream out, err;
  CommandIo io{out, err, false};
  Outcome run;
  run.code = command(args, io);
  run.out = out.str();
  run.err = err.str();
  return run;
}

common::NetworkContext Context() {
  common::NetworkContext context;
  context.store = "S1";
  context.name = "Rivoli";
  context.region = "north";
  context.as_of_ms = 1'796'000'000'000;
  context.region_stores = 3;
  context.network_stores = 12;
  auto figures = [](int64_t net, double change) {
    common::ContextFigures f;
    f[0] = common::KpiValue::Integer(net);
    f[1] = common::KpiValue::Real(change);
    f[3] = common::KpiValue::Real(2500.0);
    return f;
  };
  context.today = {
      "2026-12-06", figures(400000, 0.25), figures(1200000, -0.1), figures(5000000, 0.05), {}};
  context.today.rank[0] = {2, 3};
  context.today.rank[1] = {1, 3};
  context.yesterday = {"2026-12-05", figures(0, 0), figures(0, 0), figures(0, 0), {}};
  return context;
}

TEST(ContextCommandTest, ShowsTheStoreBesideItsRegionAndTheNetwork) {
  json answer = common::ContextJson(Context());
  answer["version"] = "0123456789abcdef";
  answer["received_at"] = "2026-12-06T10:00:00Z";
  answer["age_s"] = 840;
  auto text = RenderContext(answer);
  ASSERT_TRUE(text.ok()) << text.status().message();
  EXPECT_EQ(text->substr(0, text->find("\n\n")),
            "Store S1 · Rivoli — region north (3 stores), network of 12 stores\n"
            "Network figures from 14 min ago (computed 2026-11-30T00:53:20.000Z, version "
            "0123456789abcdef)");
  EXPECT_NE(text->find("Net sales         4,000.00  12,000.00  50,000.00          2 of 3\n"),
            std::string::npos)
      << *text;
  EXPECT_NE(text->find("vs last week        +25.0%     -10.0%      +5.0%          1 of 3\n"),
            std::string::npos)
      << *text;
  EXPECT_NE(text->find("Yesterday 2026-12-05"), std::string::npos) << *text;
  EXPECT_FALSE(RenderContext(json{{"store", "S1"}}).ok());
}

TEST(ReportCommandTest, ListsAndRunsReportsFromAStoppedEdgesDataDirectory) {
  test_support::TempDir dir;
  const int64_t now = test_support::NowMs() - 1000;
  {
    auto zone = common::TimeZone::Load("UTC");
    ASSERT_TRUE(zone.ok());
    auto store = edge::EventStore::Open(dir.path(), "S1", *zone, edge::Durability::kNormal);
    ASSERT_TRUE(store.ok()) << store.status().ToString();
    std::vector<edge::AppendOutcome> outcomes;
    auto group = (*store)->BeginGroup();
    ASSERT_TRUE(group.ok());
    ASSERT_TRUE(group
                    ->Append({test_support::Sale("s1", 2, 1250, common::Channel::kStore, now),
                              test_support::Sale("s2", 1, 1500, common::Channel::kStore, now)},
                             now, &outcomes)
                    .ok());
    ASSERT_TRUE(group->Commit().ok());
  }
  Outcome none = Invoke(RunReport, {"--data-dir", dir.path()});
  EXPECT_EQ(none.code, kExitOk) << none.err;
  EXPECT_EQ(none.out, "No reports received from central yet.\n");
  Outcome no_context = Invoke(RunContext, {"--data-dir", dir.path()});
  EXPECT_EQ(no_context.code, kExitFailed);
  EXPECT_EQ(no_context.err, "storepulse context: no network context from central yet\n");
  {
    SQLite::Database db(edge::EdgeDatabasePath(dir.path()), SQLite::OPEN_READWRITE);
    const common::DocumentRows reports = common::ReportsRows({{"daily",
                                                               {common::ReportAudience::kManager},
                                                               "Today at a glance",
                                                               {"net_sales", "transactions"},
                                                               common::GroupBy::kTotal,
                                                               common::ReportPeriod::kToday,
                                                               "store"}});
    ASSERT_TRUE(edge::StoreSnapshot(db, common::kReportsDocument, common::DocumentVersion(reports),
                                    reports, now)
                    .ok());
    const common::DocumentRows context = common::ContextRows(Context());
    ASSERT_TRUE(edge::StoreSnapshot(db, common::kContextDocument, common::DocumentVersion(context),
                                    context, now)
                    .ok());
  }
  Outcome list = Invoke(RunReport, {"--data-dir", dir.path()});
  EXPECT_EQ(list.code, kExitOk) << list.err;
  EXPECT_NE(
      list.out.find("daily  Today at a glance  manager  net_sales, transactions  total  today"),
      std::string::npos)
      << list.out;
  Outcome daily = Invoke(RunReport, {"daily", "--data-dir", dir.path(), "--json"});
  ASSERT_EQ(daily.code, kExitOk) << daily.err;
  const json answer = json::parse(daily.out);
  EXPECT_EQ(answer["rows"][0]["net_sales"], 4000);  // 2 × 12.50 + 15.00
  EXPECT_EQ(answer["rows"][0]["transactions"], 2);
  EXPECT_FALSE(answer["rows"][0].contains("aov"));
  Outcome table = Invoke(RunReport, {"daily", "--data-dir", dir.path()});
  ASSERT_EQ(table.code, kExitOk) << table.err;
  EXPECT_EQ(table.out.rfind("Today at a glance (daily, today)\n", 0), 0u) << table.out;
  EXPECT_NE(table.out.find("40.00"), std::string::npos) << table.out;
  Outcome missing = Invoke(RunReport, {"weekly", "--data-dir", dir.path()});
  EXPECT_EQ(missing.code, kExitFailed);
  EXPECT_EQ(missing.err, "storepulse report: no report named weekly from central\n");
  Outcome context = Invoke(RunContext, {"--data-dir", dir.path()});
  EXPECT_EQ(context.code, kExitOk) << context.err;
  EXPECT_EQ(context.out.rfind("Store S1 · Rivoli — region north", 0), 0u) << context.out;
  EXPECT_EQ(Invoke(RunReport, {"--edge", "http://x", "--data-dir", dir.path()}).code, kExitUsage);
}

}  // namespace
}  // namespace storepulse::cli
