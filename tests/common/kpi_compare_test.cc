// Like-for-like comparison (common/kpi/kpi_compare.h) over an in-memory MeasureReader: parsing of
// `compare`, how periods shift (dates by local days, instants by 24 h days, "today" across DST),
// how rows match (total, day, hour across DST, channel) and the change figures, computed by hand.
#include "common/kpi/kpi_compare.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <limits>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "common/kpi/kpi_json.h"
#include "common/time_util.h"

namespace storepulse::common {
namespace {

using nlohmann::json;

int64_t At(std::string_view rfc3339) {
  StatusOr<int64_t> ms = ParseRfc3339(rfc3339);
  EXPECT_TRUE(ms.ok()) << rfc3339;
  return ms.ok() ? *ms : 0;
}

// Buckets of one store; day rows summed in its zone, as MeasureReader asks.
class MemoryReader final : public MeasureReader {
 public:
  explicit MemoryReader(const TimeZone* zone) : zone_(zone) {}

  void Sale(std::string_view ts, int64_t value, Channel channel = Channel::kStore) {
    Event e;
    e.type = EventType::kSale;
    e.ts_ms = At(ts);
    e.channel = channel;
    e.lines = {Line{"SKU", 1, value, 0}};
    ASSERT_TRUE(FoldEvent(e, &buckets_).ok());
  }

  Status ReadBuckets(int64_t from, int64_t to, const Sink& sink) override {
    for (const auto& [key, m] : buckets_) {
      if (key.bucket >= from && key.bucket < to) sink(key.bucket, key.channel, m);
    }
    return OkStatus();
  }

  Status ReadDays(int64_t from, int64_t to, const Sink& sink) override {
    std::map<std::pair<int64_t, Channel>, Measures> days;
    for (const auto& [key, m] : buckets_) {
      const int64_t day = zone_->LocalDayOf(key.bucket * kBucketMs);
      if (day >= from && day < to) {
        if (Status added = days[{day, key.channel}].Add(m); !added.ok()) return added;
      }
    }
    for (const auto& [key, m] : days) sink(key.first, key.second, m);
    return OkStatus();
  }

 private:
  const TimeZone* zone_;
  MeasureDeltas buckets_;
};

class KpiCompareTest : public ::testing::Test {
 protected:
  KpiCompareTest() : paris_(*TimeZone::Load("Europe/Paris")), reader_(&paris_) {}

  json Run(std::string from, std::string to, GroupBy by, CompareWith with,
           int64_t now = At("2026-11-22T12:00:00Z")) {
    std::vector<StoreSource> sources = {{"PAR1", "north", &paris_, &reader_}};
    StatusOr<KpiAnswer> answer =
        RunKpiQueryCompared(KpiRequest{std::move(from), std::move(to), by, "store:PAR1"}, with,
                            sources, now);
    EXPECT_TRUE(answer.ok()) << answer.status().ToString();
    return answer.ok() ? KpiAnswerJson(*answer) : json();
  }

  static json RowOf(const json& answer, std::string_view key) {
    for (const json& row : answer["rows"]) {
      if (row["key"] == key) return row;
    }
    ADD_FAILURE() << "no row " << key << " in " << answer.dump();
    return json::object();
  }

  TimeZone paris_;
  MemoryReader reader_;
};

TEST(CompareWithTest, ParsesTheTwoComparisonsAndNothingElse) {
  EXPECT_EQ(*ParseCompareWith(""), CompareWith::kNone);
  EXPECT_EQ(*ParseCompareWith("previous_week"), CompareWith::kPreviousWeek);
  EXPECT_EQ(*ParseCompareWith("previous_year"), CompareWith::kPreviousYear);
  for (std::string_view bad : {"last_week", "previous_month", "Previous_Week", "none"}) {
    StatusOr<CompareWith> parsed = ParseCompareWith(bad);
    ASSERT_FALSE(parsed.ok()) << bad;
    EXPECT_EQ(parsed.status().code(), StatusCode::kInvalidArgument);
    EXPECT_NE(parsed.status().message().find("previous_week or previous_year"), std::string::npos);
  }
  EXPECT_EQ(CompareShiftDays(CompareWith::kPreviousWeek), 7);
  EXPECT_EQ(CompareShiftDays(CompareWith::kPreviousYear), 364);  // 52 weeks: same weekday
}

TEST(CompareWithTest, ShiftsDatesByLocalDaysAndInstantsByWholeDays) {
  KpiRequest shifted = ShiftRequest({"2026-11-22", "2026-11-29", GroupBy::kDay, "x"}, 7);
  EXPECT_EQ(shifted.from, "2026-11-15");
  EXPECT_EQ(shifted.to, "2026-11-22");
  shifted = ShiftRequest({"2026-11-22", "", GroupBy::kTotal, "x"}, 364);
  EXPECT_EQ(shifted.from, "2025-11-23");  // a Sunday, like 2026-11-22
  EXPECT_EQ(shifted.to, "");
  shifted = ShiftRequest({"2026-11-22T10:15:00+01:00", "2026-11-22T12:00:00Z", GroupBy::kTotal,
                          "x"}, 7);
  EXPECT_EQ(shifted.from, "2026-11-15T09:15:00.000Z");
  EXPECT_EQ(shifted.to, "2026-11-15T12:00:00.000Z");
}

// Paris springs forward on 2026-03-29: at 00:30 local on 2 April, 7 × 24 h earlier is 23:30 local
// on 25 March — the wrong day. The shifted "now" must fall on 26 March.
TEST(CompareWithTest, ShiftedNowKeepsTheLocalDayAcrossDst) {
  const TimeZone paris = *TimeZone::Load("Europe/Paris");
  MemoryReader reader(&paris);
  const std::vector<StoreSource> stores = {{"PAR1", "", &paris, &reader}};
  const int64_t now = At("2026-04-02T00:30:00+02:00");
  const int64_t shifted = ShiftedNowMs(stores, now, 7);
  EXPECT_EQ(paris.LocalDayOf(shifted), paris.LocalDayOf(now) - 7);
  EXPECT_EQ(TimeZone::FormatLocalDate(paris.LocalDayOf(shifted)), "2026-03-26");
  // Away from midnight it is exactly 7 × 24 h.
  EXPECT_EQ(ShiftedNowMs(stores, At("2026-04-01T12:00:00Z"), 7), At("2026-03-25T12:00:00Z"));
}

TEST_F(KpiCompareTest, TotalComparesWithTheSameDayLastWeek) {
  reader_.Sale("2026-11-20T10:00:00+01:00", 3000);  // Friday
  reader_.Sale("2026-11-13T18:00:00+01:00", 1500);  // the Friday before
  reader_.Sale("2026-11-13T19:00:00+01:00", 500);
  reader_.Sale("2026-11-12T19:00:00+01:00", 9999);  // Thursday: outside both periods
  json answer = Run("2026-11-20", "", GroupBy::kTotal, CompareWith::kPreviousWeek);
  EXPECT_EQ(answer["compare"],
            json({{"with", "previous_week"}, {"days", 7}, {"from", "2026-11-13"},
                  {"to", "2026-11-14"}}));
  const json& row = answer["rows"][0];
  EXPECT_EQ(row["gross_sales"], 3000);
  EXPECT_EQ(row["previous"]["gross_sales"], 2000);
  EXPECT_EQ(row["previous"]["transactions"], 2);
  EXPECT_EQ(row["delta"]["gross_sales"], 1000);     // 3000 − 2000
  EXPECT_DOUBLE_EQ(row["change"]["gross_sales"].get<double>(), 0.5);  // 1000 / 2000
  EXPECT_EQ(row["delta"]["transactions"], -1);       // 1 − 2
  EXPECT_DOUBLE_EQ(row["change"]["transactions"].get<double>(), -0.5);
  EXPECT_DOUBLE_EQ(row["delta"]["aov"].get<double>(), 2000.0);  // 3000 − 1000
  EXPECT_DOUBLE_EQ(row["change"]["aov"].get<double>(), 2.0);
  EXPECT_TRUE(row["change"]["conversion_rate"].is_null());  // no footfall either week
}

TEST_F(KpiCompareTest, ChangeIsNullWhenTheEarlierFigureIsZero) {
  reader_.Sale("2026-11-20T10:00:00+01:00", 3000);
  json row = Run("2026-11-20", "", GroupBy::kTotal, CompareWith::kPreviousWeek)["rows"][0];
  EXPECT_EQ(row["previous"]["gross_sales"], 0);
  EXPECT_EQ(row["delta"]["gross_sales"], 3000);
  EXPECT_TRUE(row["change"]["gross_sales"].is_null());
  EXPECT_TRUE(row["previous"]["aov"].is_null());
  EXPECT_TRUE(row["delta"]["aov"].is_null());
}

TEST(KpiCompareDeltaTest, ADifferenceBeyondInt64IsNullNotWrapped) {
  // Net sales may be negative: a week of large returns, then a week of large sales.
  KpiAnswer previous, current;
  previous.rows.push_back({"total", {}, {}});
  previous.rows[0][Kpi::kNetSales] = KpiValue::Integer(-5);
  previous.rows[0][Kpi::kGrossSales] = KpiValue::Integer(1);
  current.rows.push_back({"total", {}, {}});
  current.rows[0][Kpi::kNetSales] = KpiValue::Integer(std::numeric_limits<int64_t>::max());
  current.rows[0][Kpi::kGrossSales] = KpiValue::Integer(3);
  MergeComparison(CompareWith::kPreviousWeek, previous, &current);
  const json row = KpiAnswerJson(current)["rows"][0];
  EXPECT_TRUE(row["delta"]["net_sales"].is_null()) << row.dump();
  EXPECT_EQ(row["delta"]["gross_sales"], 2);
}

TEST_F(KpiCompareTest, DayRowsMatchTheDateAWeekEarlier) {
  reader_.Sale("2026-11-19T10:00:00+01:00", 100);
  reader_.Sale("2026-11-20T10:00:00+01:00", 300);
  reader_.Sale("2026-11-13T10:00:00+01:00", 200);  // matches 2026-11-20
  json answer = Run("2026-11-19", "2026-11-21", GroupBy::kDay, CompareWith::kPreviousWeek);
  ASSERT_EQ(answer["rows"].size(), 2u);
  json thursday = RowOf(answer, "2026-11-19");
  EXPECT_EQ(thursday["previous"]["key"], "2026-11-12");  // no data: an empty row
  EXPECT_EQ(thursday["previous"]["gross_sales"], 0);
  json friday = RowOf(answer, "2026-11-20");
  EXPECT_EQ(friday["previous"]["key"], "2026-11-13");
  EXPECT_DOUBLE_EQ(friday["change"]["gross_sales"].get<double>(), 0.5);  // (300 − 200) / 200
}

// Paris falls back on 2026-10-25: 10:00 that day is +01:00, a week earlier +02:00. The hour rows
// still match by local wall-clock hour.
TEST_F(KpiCompareTest, HourRowsMatchTheLocalHourAcrossDst) {
  reader_.Sale("2026-10-25T10:15:00+01:00", 400);
  reader_.Sale("2026-10-18T10:45:00+02:00", 100);
  reader_.Sale("2026-10-18T11:00:00+02:00", 700);  // another hour
  json answer = Run("2026-10-25", "", GroupBy::kHour, CompareWith::kPreviousWeek);
  ASSERT_EQ(answer["rows"].size(), 1u);
  const json& row = answer["rows"][0];
  EXPECT_EQ(row["key"], "2026-10-25T10:00:00+01:00");
  EXPECT_EQ(row["previous"]["key"], "2026-10-18T10:00:00+02:00");
  EXPECT_EQ(row["delta"]["gross_sales"], 300);
  EXPECT_DOUBLE_EQ(row["change"]["gross_sales"].get<double>(), 3.0);
}

TEST_F(KpiCompareTest, ChannelRowsMatchByName) {
  reader_.Sale("2026-11-20T10:00:00+01:00", 300, Channel::kWeb);
  reader_.Sale("2026-11-13T10:00:00+01:00", 600, Channel::kWeb);
  reader_.Sale("2026-11-13T10:00:00+01:00", 50, Channel::kStore);  // only last week: not listed
  json answer = Run("2026-11-20", "", GroupBy::kChannel, CompareWith::kPreviousWeek);
  ASSERT_EQ(answer["rows"].size(), 1u);
  EXPECT_EQ(answer["rows"][0]["previous"]["key"], "web");
  EXPECT_DOUBLE_EQ(answer["rows"][0]["change"]["gross_sales"].get<double>(), -0.5);
}

TEST_F(KpiCompareTest, TodayByDefaultComparesWithTheSameWeekdayAYearEarlier) {
  reader_.Sale("2026-11-22T09:00:00+01:00", 800);  // Sunday, today
  reader_.Sale("2025-11-23T09:00:00+01:00", 400);  // Sunday, 364 days earlier
  reader_.Sale("2025-11-22T09:00:00+01:00", 999);  // same date, other weekday: not it
  json answer = Run("", "", GroupBy::kTotal, CompareWith::kPreviousYear);
  EXPECT_EQ(answer["compare"]["from"], "2025-11-23");
  EXPECT_EQ(answer["compare"]["days"], 364);
  EXPECT_EQ(answer["rows"][0]["previous"]["gross_sales"], 400);
  EXPECT_DOUBLE_EQ(answer["rows"][0]["change"]["gross_sales"].get<double>(), 1.0);
}

TEST_F(KpiCompareTest, WithoutComparisonTheAnswerIsThePlainQuery) {
  reader_.Sale("2026-11-20T10:00:00+01:00", 300);
  json answer = Run("2026-11-20", "", GroupBy::kTotal, CompareWith::kNone);
  EXPECT_FALSE(answer.contains("compare"));
  EXPECT_FALSE(answer["rows"][0].contains("previous"));
}

}  // namespace
}  // namespace storepulse::common
