// The per-store, per-minute history of the ops page's trends, driven by hand-set instants (the
// clock is an argument): minutes roll over at exact UTC minute boundaries, a gap reads as empty
// minutes, the ring never holds more than 24 hours, and slots saturate instead of wrapping.
#include "central/minute_history.h"

#include <gtest/gtest.h>

#include <fstream>
#include <string>
#include <vector>

#include "central/fleet.h"
#include "common/time_util.h"
#include "common/transport/curve_keys.h"

namespace storepulse::central {
namespace {

// 2026-12-05T10:00:00Z is minute 29,941,080 since the epoch (20,792 days × 1,440 + 600).
const int64_t kTen = *common::ParseRfc3339("2026-12-05T10:00:00Z");
constexpr int64_t kMin = 60'000;

std::vector<int64_t> Events(const std::vector<MinuteHistory::Point>& points) {
  std::vector<int64_t> out;
  for (const auto& p : points) out.push_back(p.events);
  return out;
}

std::vector<int64_t> Lags(const std::vector<MinuteHistory::Point>& points) {  // -1: none
  std::vector<int64_t> out;
  for (const auto& p : points) out.push_back(p.lag_s.value_or(-1));
  return out;
}

TEST(MinuteHistoryTest, MinutesRollOverAtTheMinuteBoundary) {
  MinuteHistory h;
  h.AddEvents(3, kTen);                // 10:00:00.000 opens minute 10:00
  h.AddEvents(4, kTen + kMin - 1);     // 10:00:59.999 is still 10:00
  h.AddEvents(5, kTen + kMin);         // 10:01:00.000 is the next minute
  h.AddLag(7, kTen + 30'000);
  h.AddLag(2, kTen + 45'000);          // the minute keeps its worst lag: 7
  h.AddLag(12, kTen + kMin + 1);
  auto points = h.Last(3, kTen + kMin + 30'000);  // 09:59, 10:00, 10:01
  ASSERT_EQ(points.size(), 3u);
  EXPECT_EQ(points[0].minute, kTen / kMin - 1);
  EXPECT_EQ(points[1].minute, 29'941'080);
  EXPECT_EQ(Events(points), (std::vector<int64_t>{0, 7, 5}));
  EXPECT_EQ(Lags(points), (std::vector<int64_t>{-1, 7, 12}));
}

TEST(MinuteHistoryTest, AGapReadsAsEmptyMinutesAndTheNewestMinuteIsNow) {
  MinuteHistory h;
  h.AddEvents(10, kTen);
  h.AddLag(1, kTen);
  h.AddEvents(20, kTen + 5 * kMin);  // 10:05: 10:01–10:04 had nothing
  auto points = h.Last(8, kTen + 6 * kMin);  // 09:59 … 10:06, read at 10:06
  EXPECT_EQ(Events(points), (std::vector<int64_t>{0, 10, 0, 0, 0, 0, 20, 0}));
  EXPECT_EQ(Lags(points), (std::vector<int64_t>{-1, 1, -1, -1, -1, -1, -1, -1}));
}

TEST(MinuteHistoryTest, HoldsOnlyTheLast24HoursAndForgetsWhatTheRingReused) {
  MinuteHistory h;
  h.AddEvents(1, kTen);                      // minute 10:00 today
  h.AddEvents(2, kTen + 1439 * kMin);        // 09:59 tomorrow: the ring's last free slot
  auto day = h.Last(1440, kTen + 1439 * kMin);
  ASSERT_EQ(day.size(), 1440u);
  EXPECT_EQ(day.front().events, 1);  // 10:00 today still held: exactly 24 h
  EXPECT_EQ(day.back().events, 2);
  h.AddEvents(3, kTen + 1440 * kMin);  // 10:00 tomorrow reuses today's 10:00 slot
  auto next = h.Last(1440, kTen + 1440 * kMin);
  EXPECT_EQ(next.front().minute, kTen / kMin + 1);
  EXPECT_EQ(next.back().events, 3);
  int64_t sum = 0;
  for (const auto& p : next) sum += p.events;
  EXPECT_EQ(sum, 5);  // 2 + 3: the 1 of today's 10:00 is gone, not counted twice
  // Asking for more than a day gives a day; reading a day later than anything recorded, nothing.
  EXPECT_EQ(h.Last(5000, kTen).size(), 1440u);
  EXPECT_EQ(Events(h.Last(2, kTen + 3 * 1440 * kMin)), (std::vector<int64_t>{0, 0}));
  // Its size does not depend on what it recorded: 2 × 1,440 two-byte slots and the head.
  EXPECT_LE(sizeof(MinuteHistory), 2 * 1440 * 2 + 16u);
}

TEST(MinuteHistoryTest, ALateSampleLandsInItsMinuteAndOneOlderThanADayIsDropped) {
  MinuteHistory h;
  h.AddEvents(5, kTen + 10 * kMin);
  h.AddEvents(4, kTen + 2 * kMin);     // a batch stamped by a clock a little behind: 10:02
  h.AddEvents(9, kTen - 1440 * kMin);  // more than a day before the head: dropped
  EXPECT_EQ(Events(h.Last(11, kTen + 10 * kMin)),
            (std::vector<int64_t>{0, 0, 4, 0, 0, 0, 0, 0, 0, 0, 5}));
}

TEST(MinuteHistoryTest, SlotsSaturateInsteadOfWrapping) {
  MinuteHistory h;
  h.AddEvents(60'000, kTen);
  h.AddEvents(60'000, kTen + 1);  // 120,000 in one minute reads as the most a slot holds
  h.AddLag(100'000, kTen);        // 27 h of lag
  h.AddLag(-5, kTen + kMin);      // an edge clock behind: no negative lag
  auto points = h.Last(2, kTen + kMin);
  EXPECT_EQ(Events(points), (std::vector<int64_t>{MinuteHistory::kMaxEvents, 0}));
  EXPECT_EQ(Lags(points), (std::vector<int64_t>{MinuteHistory::kMaxLagS, 0}));
}

// The fleet records each store's batches and heartbeats; the network trend sums the events of
// the stores file's stores, keeps the worst lag and counts the stores that reported one.
TEST(MinuteHistoryTest, TheFleetRecordsEachStoreAndTheNetworkSumsThem) {
  std::string k1 = common::GenerateCurveKeyPair()->public_key;
  std::string k2 = common::GenerateCurveKeyPair()->public_key;
  auto directory = *StoreDirectory::Parse(
      "store,public_key,name,region,timezone,area_m2\n"
      "S1," + k1 + ",Paris,north,Europe/Paris,100\n"
      "S2," + k2 + ",Lyon,south,Europe/Paris,100\n");
  Fleet fleet;
  common::wire::Heartbeat beat;
  beat.oldest_unsent_age_ms = 42'500;  // 42 s
  fleet.Heartbeat("S1", beat, kTen + 1'000);
  fleet.Applied("S1", 30, 30, kTen + 2'000);
  fleet.Applied("S1", 50, 20, kTen + kMin + 2'000);
  beat.oldest_unsent_age_ms = 3'000;
  fleet.Heartbeat("S2", beat, kTen + kMin + 5'000);
  fleet.Applied("S2", 7, 7, kTen + kMin + 6'000);
  fleet.Applied("GONE", 9, 9, kTen + kMin);  // not in the stores file: not in the network

  auto s1 = fleet.Trend("S1", 2, kTen + kMin + 10'000);
  EXPECT_EQ(Events(s1), (std::vector<int64_t>{30, 20}));
  EXPECT_EQ(Lags(s1), (std::vector<int64_t>{42, -1}));
  auto network = fleet.NetworkTrend(*directory, 2, kTen + kMin + 10'000);
  ASSERT_EQ(network.size(), 2u);
  EXPECT_EQ(network[0].events, 30);
  EXPECT_EQ(network[0].worst_lag_s, 42);
  EXPECT_EQ(network[0].stores_reporting, 1);
  EXPECT_EQ(network[1].events, 27);  // 20 + 7
  EXPECT_EQ(network[1].worst_lag_s, 3);
  EXPECT_EQ(network[1].stores_reporting, 1);
  EXPECT_EQ(Events(fleet.Trend("NEVER", 2, kTen)), (std::vector<int64_t>{0, 0}));
}

// This process's resident memory now (VmRSS), in bytes; -1 if unreadable.
int64_t RssBytes() {
  std::ifstream status("/proc/self/status");
  std::string key;
  while (status >> key) {
    if (key == "VmRSS:") {
      int64_t kb = 0;
      status >> kb;
      return kb * 1024;
    }
  }
  return -1;
}

// The memory bound of docs/DASHBOARDS.md: 10,000 stores cost about 58 MB of history (5,760 bytes
// each, plus the fleet's own record of each store), and a second day of samples costs nothing.
TEST(MinuteHistoryTest, TenThousandStoresStayWithinTheirStatedMemoryWhateverTheDays) {
  Fleet fleet;
  common::wire::Heartbeat beat;
  beat.oldest_unsent_age_ms = 1'000;
  const int64_t before = RssBytes();
  ASSERT_GT(before, 0);
  for (int day = 0; day < 2; ++day) {
    for (int i = 0; i < 10'000; ++i) {
      const std::string store = "S" + std::to_string(i);
      const int64_t at = kTen + day * 1440 * kMin + (i % 1440) * kMin;
      fleet.Heartbeat(store, beat, at);
      fleet.Applied(store, i, 3, at);
    }
    const int64_t grown = RssBytes() - before;
    EXPECT_LT(grown, 10'000 * 7'000) << "day " << day << ": " << grown << " bytes";
  }
  // S9999 beat at minute 9,999 mod 1,440 = 1,359 of each day: day 2's is there.
  EXPECT_EQ(Events(fleet.Trend("S9999", 1, kTen + 1440 * kMin + 1359 * kMin)),
            (std::vector<int64_t>{3}));
  RecordProperty("rss_growth_bytes", std::to_string(RssBytes() - before));
}

}  // namespace
}  // namespace storepulse::central
