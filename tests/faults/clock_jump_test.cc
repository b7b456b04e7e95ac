// The edge's wall clock steps an hour ahead and back (−1 h) while it ingests and replicates, as a
// misconfigured NTP or a hand-set clock does. libfaketime (Debian `faketime`) moves the running
// edge's wall clock from a file the test rewrites (FAKETIME_NO_CACHE=1); its monotonic clock is
// left alone (FAKETIME_DONT_FAKE_MONOTONIC=1), as with a real step. Checked: the fleet shows the
// skew and raises the clock_skew alert, and clears both within seconds of the clock coming back;
// nothing is lost or counted twice; each event counts on its own local day (its ts), at the edge
// and at central alike. Skipped, saying why, without libfaketime.
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <fstream>

#include "common/time_util.h"
#include "tests/integration/chain.h"
#include "tests/integration/chain_calls.h"
#include "tests/integration/test_events.h"

namespace storepulse::test_support {
namespace {

namespace fs = std::filesystem;

constexpr const char* kFaketime = "/usr/lib/x86_64-linux-gnu/faketime/libfaketimeMT.so.1";
constexpr int64_t kHourMs = 3'600'000;

// Sets the edge's clock offset, e.g. "+1h", "+0"; read by libfaketime at the edge's next call.
void SetClock(const std::string& file, const std::string& offset) {
  {
    std::ofstream out(file + ".new");
    out << offset << "\n";
  }
  fs::rename(file + ".new", file);
}

nlohmann::json FleetRow(Chain& chain) {
  auto fleet = GetJson(chain.central().http_port(), "/api/v1/fleet");
  return fleet ? (*fleet)["stores"][0] : nlohmann::json::object();
}

double SkewS(Chain& chain) {
  nlohmann::json row = FleetRow(chain);
  return row.contains("clock_skew_s") && row["clock_skew_s"].is_number()
             ? row["clock_skew_s"].get<double>()
             : 0;
}

bool SkewAlertRaised(Chain& chain) {
  auto alerts = GetJson(chain.central().http_port(), "/api/v1/alerts");
  if (!alerts) return false;
  for (const auto& alert : (*alerts)["alerts"]) {
    if (alert["id"] == "clock_skew/PAR1") return true;
  }
  return false;
}

// The edge's own clock, from its status.
int64_t EdgeClockMs(Chain& chain) {
  auto status = GetJson(chain.edge(0).http_port(), "/api/v1/status");
  if (!status || !(*status)["clock"].is_string()) return 0;
  auto clock = common::ParseRfc3339((*status)["clock"].get<std::string>());
  return clock.ok() ? *clock : 0;
}

TEST(ClockJumpTest, EdgeClockStepsAnHourAheadAndBackDuringIngestAndReplication) {
  if (!fs::exists(kFaketime)) GTEST_SKIP() << kFaketime << " missing: apt-get install faketime";
  Chain chain({{"PAR1", "north", "Europe/Paris"}}, {"--alert-interval-s", "1"});
  const std::string clock_file = chain.dir().File("edge-clock");
  SetClock(clock_file, "+0");
  chain.edge(0).set_launcher({"env", std::string("LD_PRELOAD=") + kFaketime,
                              "FAKETIME_TIMESTAMP_FILE=" + clock_file, "FAKETIME_NO_CACHE=1",
                              "FAKETIME_DONT_FAKE_MONOTONIC=1"});
  ASSERT_TRUE(chain.StartAll());
  const int64_t two_days_ago = NowMs() - 48 * kHourMs;  // two local days, whatever the hour
  const int64_t one_day_ago = NowMs() - 24 * kHourMs;
  Ingest(chain.edge(0), Sales("a", 300, two_days_ago));
  ASSERT_EQ(chain.WaitCaughtUp(0), 300);

  SetClock(clock_file, "+1h");
  ASSERT_NEAR(double(EdgeClockMs(chain) - NowMs()), double(kHourMs), 60'000)
      << "libfaketime does not move the edge's clock";
  Ingest(chain.edge(0), Sales("b", 300, one_day_ago));  // while replicating
  EXPECT_TRUE(
      WaitUntil([&] { return std::fabs(SkewS(chain) - 3600) < 60; }, std::chrono::seconds(15)))
      << FleetRow(chain).dump();
  EXPECT_TRUE(WaitUntil([&] { return SkewAlertRaised(chain); }, std::chrono::seconds(10)));
  EXPECT_EQ(chain.WaitCaughtUp(0), 600);

  SetClock(clock_file, "+0");  // the clock steps back an hour
  ASSERT_NEAR(double(EdgeClockMs(chain) - NowMs()), 0, 60'000);
  Ingest(chain.edge(0), Sales("c", 300, two_days_ago));
  EXPECT_EQ(chain.WaitCaughtUp(0), 900);
  EXPECT_TRUE(WaitUntil([&] { return std::fabs(SkewS(chain)) < 60; }, std::chrono::seconds(15)))
      << "the fleet still shows the edge an hour ahead: " << FleetRow(chain).dump();
  EXPECT_TRUE(WaitUntil([&] { return !SkewAlertRaised(chain); }, std::chrono::seconds(10)))
      << "the clock_skew alert is still raised";
  EXPECT_TRUE(FleetRow(chain).value("online", false)) << FleetRow(chain).dump();

  // Nothing lost or doubled, and each event on its own local day at both ends.
  EXPECT_EQ(CentralTransactions(chain), 900);
  nlohmann::json days = chain.EdgeKpis(0, "day");
  ASSERT_EQ(days.size(), 2u) << days.dump();
  EXPECT_EQ(days[0]["transactions"], 600);
  EXPECT_EQ(days[1]["transactions"], 300);
  EXPECT_EQ(WithoutArea(chain.CentralKpis("store:PAR1", "day")), WithoutArea(days));
}

}  // namespace
}  // namespace storepulse::test_support
