// Central's targets and the like-for-like comparison with a real edge and central: a hand-made
// targets file gives the expected gaps (and is re-read on SIGHUP); compare=previous_week over
// events placed last week and this week gives the hand-computed change at the edge and at central.
#include <gtest/gtest-spi.h>
#include <gtest/gtest.h>

#include <chrono>
#include <csignal>
#include <cstdio>
#include <string>
#include <vector>

#include "common/event_codec.h"
#include "common/time_zone.h"
#include "tests/integration/chain.h"
#include "tests/integration/test_events.h"
#include "tests/support/http_probe.h"
#include "tests/support/temp_dir.h"

namespace storepulse::test_support {
namespace {

using nlohmann::json;

void Ingest(EdgeNode& edge, const std::vector<common::Event>& events) {
  auto reply = PostBody(edge.http_port(), "/api/v1/events", common::EncodeJsonLines(events));
  ASSERT_TRUE(reply);
  ASSERT_EQ(reply->status, 200) << reply->body.dump();
  ASSERT_EQ(reply->body["accepted"], events.size()) << reply->body.dump();
}

json TargetFor(const json& answer, const std::string& scope, const std::string& kpi) {
  for (const json& t : answer["targets"]) {
    if (t["scope"] == scope && t["kpi"] == kpi) return t;
  }
  ADD_FAILURE() << "no target " << scope << " " << kpi << " in " << answer.dump(2);
  return json::object();
}

// Monday of the ISO week holding `date`, computed apart from the code under test.
std::string MondayOf(const std::string& date) {
  using namespace std::chrono;
  const int y = std::stoi(date.substr(0, 4));
  const unsigned m = std::stoul(date.substr(5, 2)), d = std::stoul(date.substr(8, 2));
  const sys_days given{year{y} / month{m} / std::chrono::day{d}};
  const sys_days monday = given - (weekday{given} - Monday);
  const year_month_day ymd{monday};
  char text[16];
  std::snprintf(text, sizeof text, "%04d-%02u-%02u", int(ymd.year()), unsigned(ymd.month()),
                unsigned(ymd.day()));
  return text;
}

const std::string kTargets =
    "scope,kpi,period,target\n"
    "store:PAR1,net_sales,day,10000\n"
    "store:PAR1,transactions,day,2\n"
    "network,aov,week,1500\n"
    "region:nowhere,net_sales,day,100\n";

TEST(TargetsTest, AHandMadeTargetsFileGivesTheExpectedGapsAndIsReReadOnSighup) {
  TempDir files;
  const std::string targets = files.Write("targets.csv", kTargets);
  Chain chain({{"PAR1", "north", "Europe/Paris"}}, {"--targets-file", targets});
  ASSERT_TRUE(chain.StartAll());
  const int64_t now = NowMs() - 1000;  // in the store's local today
  Ingest(chain.edge(0), {Sale("t1", 1, 1000, common::Channel::kStore, now),
                         Sale("t2", 2, 1000, common::Channel::kStore, now),
                         Sale("t3", 3, 1000, common::Channel::kStore, now)});
  ASSERT_EQ(chain.WaitCaughtUp(0), 3);
  auto answer = GetJson(chain.central().http_port(), "/api/v1/targets");
  ASSERT_TRUE(answer) << chain.central().Log();
  ASSERT_EQ((*answer)["targets"].size(), 4u) << answer->dump(2);

  // Net sales today 1000 + 2000 + 3000 = 6000 against 10000: gap −4000, −40%.
  const std::string today =
      common::TimeZone::FormatLocalDate(common::TimeZone::Load("Europe/Paris")->LocalDayOf(now));
  json sales = TargetFor(*answer, "store:PAR1", "net_sales");
  EXPECT_EQ(sales["period"], "day");
  EXPECT_EQ(sales["from"], today);
  EXPECT_EQ(sales["actual"], 6000);
  EXPECT_EQ(sales["target"], 10000);
  EXPECT_EQ(sales["gap"], -4000);
  EXPECT_DOUBLE_EQ(sales["gap_pct"].get<double>(), -0.4);
  const double elapsed = sales["elapsed"].get<double>();
  EXPECT_GT(elapsed, 0);
  EXPECT_NEAR(sales["expected"].get<double>(), 10000 * elapsed, 1);  // pro rata
  // Three transactions against a day target of two: already achieved.
  json transactions = TargetFor(*answer, "store:PAR1", "transactions");
  EXPECT_EQ(transactions["gap"], 1);
  EXPECT_EQ(transactions["status"], "achieved");
  // AOV this week 6000 / 3 = 2000 against 1500: +500, +33.3%, ahead (a level, not pro rata).
  json aov = TargetFor(*answer, "network", "aov");
  EXPECT_EQ(aov["from"], MondayOf(today));
  EXPECT_DOUBLE_EQ(aov["actual"].get<double>(), 2000);
  EXPECT_EQ(aov["gap"], 500);
  EXPECT_NEAR(aov["gap_pct"].get<double>(), 1.0 / 3, 1e-12);
  EXPECT_EQ(aov["expected"], 1500);
  EXPECT_EQ(aov["status"], "ahead");
  json nowhere = TargetFor(*answer, "region:nowhere", "net_sales");
  EXPECT_EQ(nowhere["status"], "no_data");
  EXPECT_NE(nowhere["error"].get<std::string>().find("no store in scope region:nowhere"),
            std::string::npos);

  files.Write("targets.csv", "scope,kpi,period,target\nstore:PAR1,net_sales,day,5000\n");
  chain.central().Signal(SIGHUP);
  ASSERT_TRUE(WaitUntil([&] {
    answer = GetJson(chain.central().http_port(), "/api/v1/targets");
    return answer && (*answer)["targets"].size() == 1 &&
           (*answer)["targets"][0]["status"] == "achieved";
  })) << chain.central().Log();
  EXPECT_EQ((*answer)["targets"][0]["gap"], 1000);
}

TEST(TargetsTest, ABrokenTargetsFileStopsCentralFromStarting) {
  TempDir files;
  Chain chain({{"PAR1", "north", "Europe/Paris"}},
              {"--targets-file", files.Write("targets.csv", "scope,kpi,period,target\n"
                                                            "network,net_sale,day,1\n")});
  bool started = true;
  EXPECT_NONFATAL_FAILURE(started = chain.StartCentral(), "did not come up");  // with its log
  EXPECT_FALSE(started);
  EXPECT_NE(chain.central().Log().find("line 2: unknown KPI \"net_sale\""), std::string::npos)
      << chain.central().Log();
}

// Two days ago in Paris, and the same weekday a week before: 3000 against 1000 + 1000.
TEST(CompareTest, PreviousWeekGivesTheHandComputedChangeAtEdgeAndCentral) {
  Chain chain({{"PAR1", "north", "Europe/Paris"}});
  ASSERT_TRUE(chain.StartAll());
  const common::TimeZone paris = *common::TimeZone::Load("Europe/Paris");
  const int64_t day = paris.LocalDayOf(NowMs()) - 2;
  const int64_t noon = paris.LocalDayStartMs(day) + 12 * 3600 * 1000;
  const int64_t noon_before = paris.LocalDayStartMs(day - 7) + 12 * 3600 * 1000;
  Ingest(chain.edge(0), {Sale("now", 1, 3000, common::Channel::kStore, noon),
                         Sale("then-1", 1, 1000, common::Channel::kStore, noon_before),
                         Sale("then-2", 1, 1000, common::Channel::kStore, noon_before)});
  ASSERT_EQ(chain.WaitCaughtUp(0), 3);
  const std::string from = common::TimeZone::FormatLocalDate(day);
  const std::string query = "from=" + from + "&compare=previous_week";
  auto edge = GetJson(chain.edge(0).http_port(), "/api/v1/kpi?" + query);
  auto central = GetJson(chain.central().http_port(), "/api/v1/kpi?scope=store:PAR1&" + query);
  ASSERT_TRUE(edge && central);
  for (const json* answer : {&*edge, &*central}) {
    EXPECT_EQ((*answer)["compare"]["with"], "previous_week");
    EXPECT_EQ((*answer)["compare"]["from"], common::TimeZone::FormatLocalDate(day - 7));
    const json& row = (*answer)["rows"][0];
    EXPECT_EQ(row["gross_sales"], 3000);
    EXPECT_EQ(row["previous"]["gross_sales"], 2000);
    EXPECT_EQ(row["delta"]["gross_sales"], 1000);
    EXPECT_DOUBLE_EQ(row["change"]["gross_sales"].get<double>(), 0.5);  // (3000 − 2000) / 2000
    EXPECT_DOUBLE_EQ(row["change"]["transactions"].get<double>(), -0.5);  // (1 − 2) / 2
  }

  auto by_day = GetJson(chain.central().http_port(),
                        "/api/v1/kpi?scope=network&by=day&from=" + from +
                            "&to=" + common::TimeZone::FormatLocalDate(day + 1) +
                            "&compare=previous_week");
  ASSERT_TRUE(by_day);
  EXPECT_EQ((*by_day)["rows"][0]["previous"]["key"], common::TimeZone::FormatLocalDate(day - 7));
  EXPECT_EQ((*by_day)["rows"][0]["previous"]["gross_sales"], 2000);

  for (int port : {chain.edge(0).http_port(), chain.central().http_port()}) {
    auto bad = HttpGet("127.0.0.1", port, "/api/v1/kpi?compare=last_week");
    ASSERT_TRUE(bad);
    EXPECT_EQ(bad->status, 400);
    EXPECT_NE(bad->body.find("compare: unknown value \\\"last_week\\\" (previous_week or "
                             "previous_year)"),
              std::string::npos)
        << bad->body;
  }
}

}  // namespace
}  // namespace storepulse::test_support
