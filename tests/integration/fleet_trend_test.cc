// The ops page's trends with real daemons: two edges replicate to a real central, which records
// each store's events applied and lag minute by minute (GET /api/v1/fleet/trend, per store and
// for the network) and answers today's and last week's sales by hour (GET /api/v1/kpi/hours).
// The history is in memory: a restarted central starts it again.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "common/event_codec.h"
#include "common/time_util.h"
#include "common/time_zone.h"
#include "tests/integration/chain.h"
#include "tests/integration/chain_calls.h"
#include "tests/integration/test_events.h"
#include "tests/support/http_probe.h"

namespace storepulse::test_support {
namespace {

using nlohmann::json;

int64_t Sum(const json& list) {
  int64_t sum = 0;
  for (const json& v : list) sum += v.is_number_integer() ? v.get<int64_t>() : 0;
  return sum;
}

int64_t NonNull(const json& list) {
  int64_t n = 0;
  for (const json& v : list) n += v.is_null() ? 0 : 1;
  return n;
}

int64_t SumOf(const json& rows, const char* kpi) {
  int64_t sum = 0;
  for (const json& row : rows) sum += row.value(kpi, int64_t{0});
  return sum;
}

TEST(FleetTrendTest, CentralRecordsEachStoresEventsAndLagPerMinuteAndTheNetworkSum) {
  Chain chain({{"PAR1", "europe", "Europe/Paris"}, {"NYC1", "americas", "America/New_York"}});
  ASSERT_TRUE(chain.StartAll());
  Ingest(chain.edge(0), Sales("p", 30));
  Ingest(chain.edge(1), Sales("n", 12));
  ASSERT_EQ(chain.WaitCaughtUp(0), 30);
  ASSERT_EQ(chain.WaitCaughtUp(1), 12);
  const int port = chain.central().http_port();

  // The store's last hour: 60 minutes, its 30 events, and a lag from each minute with a
  // heartbeat (the edges beat every 5 s; wait for the first).
  json par;
  ASSERT_TRUE(WaitUntil([&] {
    auto got = GetJson(port, "/api/v1/fleet/trend?store=PAR1&hours=1");
    if (!got) return false;
    par = *got;
    return NonNull(par["lag_s"]) > 0;
  })) << par.dump();
  EXPECT_EQ(par["store"], "PAR1");
  EXPECT_EQ(par["minute_s"], 60);
  ASSERT_EQ(par["events_per_min"].size(), 60u);
  ASSERT_EQ(par["lag_s"].size(), 60u);
  EXPECT_EQ(Sum(par["events_per_min"]), 30) << par.dump();
  EXPECT_EQ(Sum(par["lag_s"]), 0) << "caught up: no lag";
  // Minutes of 60 s, the last one now's.
  EXPECT_EQ(*common::ParseRfc3339(par["to"].get<std::string>()) -
                *common::ParseRfc3339(par["from"].get<std::string>()),
            60 * 60'000);
  EXPECT_LE(*common::ParseRfc3339(par["from"].get<std::string>()) + 59 * 60'000,
            *common::ParseRfc3339(par["clock"].get<std::string>()));

  // The network: 24 h by default, both stores summed; once both have beaten, both report.
  json network;
  ASSERT_TRUE(WaitUntil([&] {
    auto got = GetJson(port, "/api/v1/fleet/trend");
    if (!got) return false;
    network = *got;
    for (const json& n : network["stores_reporting"]) {
      if (n == 2) return true;
    }
    return false;
  })) << network.dump();
  EXPECT_EQ(network["scope"], "network");
  ASSERT_EQ(network["events_per_min"].size(), 1440u);
  EXPECT_EQ(Sum(network["events_per_min"]), 42);
  EXPECT_EQ(network["worst_lag_s"].size(), 1440u);

  // Refusals: a store not in the stores file, hours out of 1–24, an unknown parameter.
  auto unknown = HttpGet("127.0.0.1", port, "/api/v1/fleet/trend?store=NOPE");
  ASSERT_TRUE(unknown);
  EXPECT_EQ(unknown->status, 404) << unknown->body;
  for (const char* bad : {"?hours=0", "?hours=25", "?hours=two", "?minutes=5"}) {
    auto reply = HttpGet("127.0.0.1", port, std::string("/api/v1/fleet/trend") + bad);
    ASSERT_TRUE(reply);
    EXPECT_EQ(reply->status, 400) << bad << ": " << reply->body;
  }

  // In memory only (docs/DASHBOARDS.md): a restarted central starts the history again.
  EXPECT_EQ(chain.central().Stop(), 0);
  ASSERT_TRUE(chain.StartCentral());
  auto again = GetJson(chain.central().http_port(), "/api/v1/fleet/trend?store=PAR1&hours=1");
  ASSERT_TRUE(again);
  EXPECT_EQ(Sum((*again)["events_per_min"]), 0) << again->dump();
}

// Sales by hour today and on the same local day last week, every hour of each (not only the
// hours today has, as compare=previous_week would): the network chart of the ops page.
TEST(FleetTrendTest, HoursAnswerTodayAndTheWholeSameDayLastWeek) {
  Chain chain({{"PAR1", "europe", "Europe/Paris"}});
  ASSERT_TRUE(chain.StartAll());
  // Today: one sale of 2 × 10.00 halfway through the local day so far; the same local day last
  // week: 3 × 5.00 at that wall-clock time and 5 × 1.00 at another hour (today has no sale then).
  const common::TimeZone paris = *common::TimeZone::Load("Europe/Paris");
  const int64_t now = NowMs();
  const int64_t day = paris.LocalDayOf(now);
  const int64_t into_day = (now - paris.LocalDayStartMs(day)) / 2;
  const int64_t week_ago_start = paris.LocalDayStartMs(day - 7);
  const int64_t other_hour = into_day < 12 * 3'600'000 ? 13 * 3'600'000 : 3'600'000;
  std::vector<common::Event> events = {
      Sale("t1", 2, 1000, common::Channel::kStore, paris.LocalDayStartMs(day) + into_day),
      Sale("w1", 3, 500, common::Channel::kStore, week_ago_start + into_day),
      Sale("w2", 5, 100, common::Channel::kStore, week_ago_start + other_hour)};
  Ingest(chain.edge(0), events);
  ASSERT_EQ(chain.WaitCaughtUp(0), static_cast<int64_t>(events.size()));

  auto hours = GetJson(chain.central().http_port(), "/api/v1/kpi/hours?scope=network");
  ASSERT_TRUE(hours);
  const json& today = (*hours)["today"];
  const json& last_week = (*hours)["last_week"];
  EXPECT_EQ((*hours)["scope"], "network");
  EXPECT_EQ(today["by"], "hour");
  EXPECT_EQ(SumOf(today["rows"], "net_sales"), 2000) << hours->dump();
  EXPECT_EQ(SumOf(last_week["rows"], "net_sales"), 2000) << hours->dump();
  EXPECT_EQ(today["rows"].size(), 1u) << today.dump();
  EXPECT_EQ(last_week["rows"].size(), 2u) << last_week.dump();
  // The same local day: last week's date is today's minus 7.
  EXPECT_EQ(today["from"], common::TimeZone::FormatLocalDate(day));
  EXPECT_EQ(last_week["from"], common::TimeZone::FormatLocalDate(day - 7));

  auto bad = HttpGet("127.0.0.1", chain.central().http_port(), "/api/v1/kpi/hours?scope=store:NOPE");
  ASSERT_TRUE(bad);
  EXPECT_EQ(bad->status, 404) << bad->body;
}

}  // namespace
}  // namespace storepulse::test_support
