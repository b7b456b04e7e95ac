// The KPI query engine (common/kpi/kpi_query.h) over an in-memory MeasureReader: periods resolved
// in each store's zone (DST days, +05:30), day/hour/channel/store/region grouping, and which grain
// is read for which part of the period.
#include "common/kpi/kpi_query.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "common/kpi/kpi_json.h"
#include "common/time_util.h"

namespace storepulse::common {
namespace {

using nlohmann::json;
using Range = std::pair<int64_t, int64_t>;

int64_t At(std::string_view rfc3339) {
  StatusOr<int64_t> ms = ParseRfc3339(rfc3339);
  EXPECT_TRUE(ms.ok()) << rfc3339;
  return ms.ok() ? *ms : 0;
}

int64_t Day(std::string_view date) { return *TimeZone::ParseLocalDate(date); }

// Buckets as the edge stores them; day rows derived with the store's zone, as MeasureReader asks.
// Records each read so tests can see which grain served which part of a period.
class FakeReader final : public MeasureReader {
 public:
  explicit FakeReader(const TimeZone* zone) : zone_(zone) {}

  void Add(const Event& e) { ASSERT_TRUE(FoldEvent(e, &buckets_).ok()); }
  // A bucket row as it could stand after years of sales.
  void Put(int64_t bucket, Channel channel, const Measures& m) { buckets_[{bucket, channel}] = m; }

  Status ReadBuckets(int64_t from, int64_t to, const Sink& sink) override {
    bucket_reads.emplace_back(from, to);
    if (fail) return Unavailable("disk gone");
    for (const auto& [key, m] : buckets_) {
      if (key.bucket >= from && key.bucket < to) sink(key.bucket, key.channel, m);
    }
    return OkStatus();
  }

  Status ReadDays(int64_t from, int64_t to, const Sink& sink) override {
    day_reads.emplace_back(from, to);
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

  std::vector<Range> bucket_reads;
  std::vector<Range> day_reads;
  bool fail = false;

 private:
  const TimeZone* zone_;
  MeasureDeltas buckets_;
};

TimeZone LoadOrDie(std::string_view name) {
  StatusOr<TimeZone> zone = TimeZone::Load(name);
  if (!zone.ok()) {
    ADD_FAILURE() << zone.status().ToString();
    std::abort();
  }
  return std::move(zone).value();
}

struct FakeStore {
  FakeStore(std::string id, std::string region, std::string_view zone_name)
      : zone(LoadOrDie(zone_name)),
        reader(&zone),
        source{std::move(id), std::move(region), &zone, &reader} {}
  // A one-line store sale of `value` minor units at `ts`.
  void Sale(std::string_view ts, int64_t value, Channel channel = Channel::kStore) {
    Event e;
    e.type = EventType::kSale;
    e.ts_ms = At(ts);
    e.channel = channel;
    e.lines = {Line{"SKU", 1, value, 0}};
    reader.Add(e);
  }
  TimeZone zone;
  FakeReader reader;
  StoreSource source;
};

class KpiQueryTest : public ::testing::Test {
 protected:
  FakeStore& AddStore(std::string id, std::string region, std::string_view zone) {
    stores_.push_back(std::make_unique<FakeStore>(std::move(id), std::move(region), zone));
    return *stores_.back();
  }

  StatusOr<json> Query(std::string from, std::string to, GroupBy by,
                       int64_t now = At("2026-11-22T12:00:00Z")) {
    std::vector<StoreSource> sources;
    for (const auto& s : stores_) sources.push_back(s->source);
    ASSIGN_OR_RETURN(const KpiAnswer answer,
                     RunKpiQuery(KpiRequest{std::move(from), std::move(to), by, "network"},
                                 sources, now));
    return KpiAnswerJson(answer);
  }

  json Run(std::string from, std::string to, GroupBy by, int64_t now = At("2026-11-22T12:00:00Z")) {
    StatusOr<json> answer = Query(std::move(from), std::move(to), by, now);
    EXPECT_TRUE(answer.ok()) << answer.status().ToString();
    return answer.ok() ? *answer : json();
  }

  static std::vector<std::string> Keys(const json& answer) {
    std::vector<std::string> keys;
    for (const json& row : answer["rows"]) keys.push_back(row["key"].get<std::string>());
    return keys;
  }

  static json RowOf(const json& answer, std::string_view key) {
    for (const json& row : answer["rows"]) {
      if (row["key"] == key) return row;
    }
    ADD_FAILURE() << "no row " << key << " in " << answer.dump();
    return json::object();
  }

  std::vector<std::unique_ptr<FakeStore>> stores_;
};

TEST(KpiGroupByTest, ParsesEveryNameAndRejectsOthers) {
  for (GroupBy by :
       {GroupBy::kTotal, GroupBy::kDay, GroupBy::kHour, GroupBy::kChannel, GroupBy::kStore,
        GroupBy::kRegion, GroupBy::kEmployee, GroupBy::kSku, GroupBy::kCategory}) {
    StatusOr<GroupBy> parsed = ParseGroupBy(GroupByName(by));
    ASSERT_TRUE(parsed.ok());
    EXPECT_EQ(*parsed, by);
  }
  for (std::string_view bad : {"staff", "", "Day", "week"}) {
    StatusOr<GroupBy> parsed = ParseGroupBy(bad);
    ASSERT_FALSE(parsed.ok()) << bad;
    EXPECT_EQ(parsed.status().code(), StatusCode::kInvalidArgument);
    EXPECT_EQ(parsed.status().message(),
              "by: unknown grouping \"" + std::string(bad) +
                  "\" (one of total, day, hour, channel, store, region, employee, sku, category)");
  }
}

TEST_F(KpiQueryTest, DayInParisSpansTheSpringForwardGap) {
  FakeStore& paris = AddStore("P1", "west", "Europe/Paris");
  paris.Sale("2026-03-28T23:59:00+01:00", 400);
  paris.Sale("2026-03-29T01:30:00+01:00", 100);  // before the gap
  paris.Sale("2026-03-29T03:30:00+02:00", 200);  // after it: the same local day
  paris.Sale("2026-03-30T00:00:00+02:00", 800);
  const json answer = Run("2026-03-28", "2026-03-31", GroupBy::kDay);
  EXPECT_EQ(Keys(answer), (std::vector<std::string>{"2026-03-28", "2026-03-29", "2026-03-30"}));
  EXPECT_EQ(RowOf(answer, "2026-03-29")["transactions"], 2);
  EXPECT_EQ(RowOf(answer, "2026-03-29")["gross_sales"], 300);
  EXPECT_EQ(paris.reader.day_reads, (std::vector<Range>{{Day("2026-03-28"), Day("2026-03-31")}}));
  EXPECT_TRUE(paris.reader.bucket_reads.empty());
}

TEST_F(KpiQueryTest, HourInParisKeepsTheTwoFallBackTwoOClocksApart) {
  FakeStore& paris = AddStore("P1", "west", "Europe/Paris");
  paris.Sale("2026-10-25T01:10:00+02:00", 400);
  paris.Sale("2026-10-25T02:30:00+02:00", 100);
  paris.Sale("2026-10-25T02:30:00+01:00", 200);
  paris.Sale("2026-10-25T03:05:00+01:00", 800);
  const json hours = Run("2026-10-25", "", GroupBy::kHour);
  EXPECT_EQ(Keys(hours),
            (std::vector<std::string>{"2026-10-25T01:00:00+02:00", "2026-10-25T02:00:00+02:00",
                                      "2026-10-25T02:00:00+01:00", "2026-10-25T03:00:00+01:00"}));
  EXPECT_EQ(RowOf(hours, "2026-10-25T02:00:00+02:00")["gross_sales"], 100);
  EXPECT_EQ(RowOf(hours, "2026-10-25T02:00:00+01:00")["gross_sales"], 200);
  // Hours come from buckets only: the 25-hour day is 100 buckets.
  EXPECT_TRUE(paris.reader.day_reads.empty());
  ASSERT_EQ(paris.reader.bucket_reads.size(), 1u);
  EXPECT_EQ(paris.reader.bucket_reads[0].second - paris.reader.bucket_reads[0].first, 100);

  const json day = Run("2026-10-25", "", GroupBy::kDay);
  EXPECT_EQ(Keys(day), std::vector<std::string>{"2026-10-25"});
  EXPECT_EQ(RowOf(day, "2026-10-25")["transactions"], 4);
}

TEST_F(KpiQueryTest, HourInKolkataStartsAtHalfPastUtc) {
  FakeStore& kolkata = AddStore("K1", "south", "Asia/Kolkata");
  kolkata.Sale("2026-11-22T04:45:00Z", 100);  // 10:15 local
  kolkata.Sale("2026-11-22T05:20:00Z", 200);  // 10:50 local
  kolkata.Sale("2026-11-22T05:30:00Z", 400);  // 11:00 local
  const json answer = Run("2026-11-22", "", GroupBy::kHour);
  EXPECT_EQ(Keys(answer),
            (std::vector<std::string>{"2026-11-22T10:00:00+05:30", "2026-11-22T11:00:00+05:30"}));
  EXPECT_EQ(RowOf(answer, "2026-11-22T10:00:00+05:30")["gross_sales"], 300);
}

TEST_F(KpiQueryTest, NetworkHoursMergeTheSameLocalHourAndSortByInstant) {
  AddStore("P1", "west", "Europe/Paris").Sale("2026-11-22T10:00:00Z", 100);
  AddStore("P2", "west", "Europe/Paris").Sale("2026-11-22T10:10:00Z", 200);
  AddStore("L1", "west", "Europe/London").Sale("2026-11-22T11:00:00Z", 400);
  AddStore("K1", "south", "Asia/Kolkata").Sale("2026-11-22T10:00:00Z", 800);  // 15:30 local
  const json answer = Run("2026-11-22T09:00:00Z", "2026-11-22T12:00:00Z", GroupBy::kHour);
  EXPECT_EQ(Keys(answer),
            (std::vector<std::string>{"2026-11-22T15:00:00+05:30", "2026-11-22T11:00:00+01:00",
                                      "2026-11-22T11:00:00+00:00"}));
  EXPECT_EQ(RowOf(answer, "2026-11-22T11:00:00+01:00")["gross_sales"], 300);
}

TEST_F(KpiQueryTest, DefaultPeriodIsTheStoresLocalToday) {
  FakeStore& kolkata = AddStore("K1", "south", "Asia/Kolkata");
  kolkata.Sale("2026-11-22T18:00:00Z", 100);  // 23:30 on the 22nd, local
  kolkata.Sale("2026-11-22T19:00:00Z", 200);  // 00:30 on the 23rd
  kolkata.Sale("2026-11-23T18:29:00Z", 400);  // 23:59 on the 23rd
  kolkata.Sale("2026-11-23T18:30:00Z", 800);  // the 24th
  const json answer = Run("", "", GroupBy::kTotal, At("2026-11-22T20:00:00Z"));
  EXPECT_EQ(answer["from"], "2026-11-23");
  EXPECT_EQ(answer["to"], "2026-11-24");
  EXPECT_EQ(answer["scope"], "network");
  EXPECT_EQ(answer["by"], "total");
  EXPECT_EQ(RowOf(answer, "total")["gross_sales"], 600);
  EXPECT_EQ(kolkata.reader.day_reads, (std::vector<Range>{{Day("2026-11-23"), Day("2026-11-24")}}));
  EXPECT_TRUE(kolkata.reader.bucket_reads.empty());
}

TEST_F(KpiQueryTest, InstantsAreFlooredToFifteenMinutesAndEchoedInUtc) {
  FakeStore& paris = AddStore("P1", "west", "Europe/Paris");
  paris.Sale("2026-11-22T08:59:00Z", 100);
  paris.Sale("2026-11-22T09:00:00Z", 200);
  paris.Sale("2026-11-22T10:59:00Z", 400);
  paris.Sale("2026-11-22T11:00:00Z", 800);
  const json answer =
      Run("2026-11-22T10:07:00+01:00", "2026-11-22T12:14:59+01:00", GroupBy::kTotal);
  EXPECT_EQ(answer["from"], "2026-11-22T09:00:00.000Z");
  EXPECT_EQ(answer["to"], "2026-11-22T11:00:00.000Z");
  EXPECT_EQ(RowOf(answer, "total")["gross_sales"], 600);
  EXPECT_EQ(paris.reader.bucket_reads,
            (std::vector<Range>{
                {BucketOf(At("2026-11-22T09:00:00Z")), BucketOf(At("2026-11-22T11:00:00Z"))}}));
  EXPECT_TRUE(paris.reader.day_reads.empty());
}

TEST_F(KpiQueryTest, FromInstantAloneRunsToTheEndOfLocalToday) {
  FakeStore& paris = AddStore("P1", "west", "Europe/Paris");
  paris.Sale("2026-11-22T08:00:00Z", 100);
  paris.Sale("2026-11-22T22:30:00Z", 200);  // 23:30 local
  paris.Sale("2026-11-22T23:00:00Z", 400);  // the 23rd, local
  const json answer = Run("2026-11-22T08:00:00Z", "", GroupBy::kTotal, At("2026-11-22T15:00:00Z"));
  EXPECT_EQ(answer["to"], "2026-11-23");
  EXPECT_EQ(RowOf(answer, "total")["gross_sales"], 300);
}

TEST_F(KpiQueryTest, PartialDaysComeFromBucketsAndWholeDaysFromDays) {
  FakeStore& paris = AddStore("P1", "west", "Europe/Paris");
  paris.Sale("2026-11-01T09:59:00Z", 100);   // before `from`
  paris.Sale("2026-11-01T10:00:00Z", 200);   // head: part of the 1st
  paris.Sale("2026-11-03T12:00:00Z", 400);   // a whole day
  paris.Sale("2026-11-05T09:59:00Z", 800);   // tail: part of the 5th
  paris.Sale("2026-11-05T10:00:00Z", 1600);  // at `to`: out
  const json total = Run("2026-11-01T10:00:00Z", "2026-11-05T10:00:00Z", GroupBy::kTotal);
  EXPECT_EQ(RowOf(total, "total")["gross_sales"], 1400);
  EXPECT_EQ(paris.reader.day_reads, (std::vector<Range>{{Day("2026-11-02"), Day("2026-11-05")}}));
  EXPECT_EQ(paris.reader.bucket_reads,
            (std::vector<Range>{
                {BucketOf(At("2026-11-01T10:00:00Z")), BucketOf(At("2026-11-01T23:00:00Z"))},
                {BucketOf(At("2026-11-04T23:00:00Z")), BucketOf(At("2026-11-05T10:00:00Z"))}}));
  // Partial first and last days are still keyed by their local date.
  const json days = Run("2026-11-01T10:00:00Z", "2026-11-05T10:00:00Z", GroupBy::kDay);
  EXPECT_EQ(Keys(days), (std::vector<std::string>{"2026-11-01", "2026-11-03", "2026-11-05"}));
}

TEST_F(KpiQueryTest, MonthReadsOneDayRangeAndHoursReadBucketsOnly) {
  FakeStore& paris = AddStore("P1", "west", "Europe/Paris");
  paris.Sale("2026-11-10T10:00:00Z", 100);
  EXPECT_EQ(RowOf(Run("2026-11-01", "2026-12-01", GroupBy::kChannel), "store")["gross_sales"], 100);
  EXPECT_EQ(paris.reader.day_reads, (std::vector<Range>{{Day("2026-11-01"), Day("2026-12-01")}}));
  EXPECT_TRUE(paris.reader.bucket_reads.empty());
  paris.reader.day_reads.clear();
  EXPECT_EQ(Keys(Run("2026-11-01", "2026-12-01", GroupBy::kHour)),
            std::vector<std::string>{"2026-11-10T11:00:00+01:00"});
  EXPECT_TRUE(paris.reader.day_reads.empty());
}

TEST_F(KpiQueryTest, MixedDateAndInstantEndpoints) {
  FakeStore& paris = AddStore("P1", "west", "Europe/Paris");
  paris.Sale("2026-11-19T22:59:00Z", 100);  // the 19th, local
  paris.Sale("2026-11-19T23:00:00Z", 200);  // the 20th
  paris.Sale("2026-11-22T11:45:00Z", 400);
  paris.Sale("2026-11-22T12:00:00Z", 800);
  const json answer = Run("2026-11-20", "2026-11-22T12:00:00Z", GroupBy::kTotal);
  EXPECT_EQ(answer["from"], "2026-11-20");
  EXPECT_EQ(answer["to"], "2026-11-22T12:00:00.000Z");
  EXPECT_EQ(RowOf(answer, "total")["gross_sales"], 600);
  EXPECT_EQ(paris.reader.day_reads, (std::vector<Range>{{Day("2026-11-20"), Day("2026-11-22")}}));
  EXPECT_EQ(paris.reader.bucket_reads.size(), 1u);
}

TEST_F(KpiQueryTest, TotalEqualsTheSumOfDayRowsAndOfHourRows) {
  FakeStore& paris = AddStore("P1", "west", "Europe/Paris");
  for (int64_t t = At("2026-10-23T00:00:00Z"), i = 1; t < At("2026-10-28T00:00:00Z");
       t += 37 * 60 * 1000, ++i) {
    paris.Sale(FormatRfc3339Utc(t), i * 7 % 1000, i % 3 ? Channel::kStore : Channel::kWeb);
  }
  const std::string from = "2026-10-23T05:00:00Z", to = "2026-10-27T17:00:00Z";
  const json total = RowOf(Run(from, to, GroupBy::kTotal), "total");
  for (GroupBy by : {GroupBy::kDay, GroupBy::kHour, GroupBy::kChannel}) {
    int64_t gross = 0, transactions = 0;
    const json answer = Run(from, to, by);
    for (const json& row : answer["rows"]) {
      gross += row["gross_sales"].get<int64_t>();
      transactions += row["transactions"].get<int64_t>();
    }
    EXPECT_EQ(gross, total["gross_sales"].get<int64_t>()) << GroupByName(by);
    EXPECT_EQ(transactions, total["transactions"].get<int64_t>()) << GroupByName(by);
  }
  EXPECT_GT(total["transactions"].get<int64_t>(), 150);
}

TEST_F(KpiQueryTest, NetworkDayIsEachStoresOwnLocalDay) {
  FakeStore& paris = AddStore("P1", "west", "Europe/Paris");
  FakeStore& kolkata = AddStore("K1", "south", "Asia/Kolkata");
  paris.Sale("2026-11-21T19:00:00Z", 100);    // 20:00 on the 21st in Paris
  paris.Sale("2026-11-21T23:30:00Z", 200);    // 00:30 on the 22nd in Paris
  kolkata.Sale("2026-11-21T19:00:00Z", 400);  // 00:30 on the 22nd in Kolkata
  kolkata.Sale("2026-11-22T18:45:00Z", 800);  // 00:15 on the 23rd in Kolkata
  const json one_day = Run("2026-11-22", "", GroupBy::kDay);
  EXPECT_EQ(Keys(one_day), std::vector<std::string>{"2026-11-22"});
  EXPECT_EQ(RowOf(one_day, "2026-11-22")["gross_sales"], 600);
  const json days = Run("2026-11-21", "2026-11-24", GroupBy::kDay);
  EXPECT_EQ(Keys(days), (std::vector<std::string>{"2026-11-21", "2026-11-22", "2026-11-23"}));
  EXPECT_EQ(RowOf(days, "2026-11-21")["gross_sales"], 100);
  EXPECT_EQ(RowOf(days, "2026-11-23")["gross_sales"], 800);
}

TEST_F(KpiQueryTest, NetworkTodayIsEachStoresTodayAndItsLabelNeedsAgreement) {
  FakeStore& paris = AddStore("P1", "west", "Europe/Paris");
  FakeStore& kolkata = AddStore("K1", "south", "Asia/Kolkata");
  paris.Sale("2026-11-22T12:00:00Z", 100);    // Paris's today (the 22nd)
  kolkata.Sale("2026-11-22T12:00:00Z", 200);  // Kolkata's yesterday at 20:00Z
  kolkata.Sale("2026-11-23T02:00:00Z", 400);  // Kolkata's today (the 23rd)
  const json late = Run("", "", GroupBy::kTotal, At("2026-11-22T20:00:00Z"));
  EXPECT_TRUE(late["from"].is_null());
  EXPECT_TRUE(late["to"].is_null());
  EXPECT_EQ(RowOf(late, "total")["gross_sales"], 500);
  const json noon = Run("", "", GroupBy::kTotal, At("2026-11-22T12:00:00Z"));
  EXPECT_EQ(noon["from"], "2026-11-22");
  EXPECT_EQ(noon["to"], "2026-11-23");
  EXPECT_EQ(RowOf(noon, "total")["gross_sales"], 300);
}

TEST_F(KpiQueryTest, ByStoreListsEveryStoreAndByRegionSumsThem) {
  AddStore("P2", "west", "Europe/Paris").Sale("2026-11-22T10:00:00Z", 100);
  AddStore("P1", "west", "Europe/Paris").Sale("2026-11-22T10:00:00Z", 200);
  AddStore("K1", "south", "Asia/Kolkata").Sale("2026-11-22T10:00:00Z", 400);
  AddStore("K2", "south", "Asia/Kolkata");  // silent today
  const json stores = Run("2026-11-22", "", GroupBy::kStore);
  EXPECT_EQ(Keys(stores), (std::vector<std::string>{"K1", "K2", "P1", "P2"}));
  EXPECT_EQ(RowOf(stores, "K2")["gross_sales"], 0);
  EXPECT_TRUE(RowOf(stores, "K2")["aov"].is_null());
  EXPECT_EQ(RowOf(stores, "P1")["gross_sales"], 200);
  const json regions = Run("2026-11-22", "", GroupBy::kRegion);
  EXPECT_EQ(Keys(regions), (std::vector<std::string>{"south", "west"}));
  EXPECT_EQ(RowOf(regions, "west")["gross_sales"], 300);
  EXPECT_EQ(RowOf(regions, "south")["gross_sales"], 400);
}

TEST_F(KpiQueryTest, ByChannelKeysByChannelName) {
  FakeStore& paris = AddStore("P1", "west", "Europe/Paris");
  paris.Sale("2026-11-22T10:00:00Z", 100);
  paris.Sale("2026-11-22T10:00:00Z", 200, Channel::kWeb);
  paris.Sale("2026-11-22T11:00:00Z", 400, Channel::kClickCollect);
  const json answer = Run("", "", GroupBy::kChannel);
  EXPECT_EQ(Keys(answer), (std::vector<std::string>{"click_collect", "store", "web"}));
  EXPECT_EQ(RowOf(answer, "web")["gross_sales"], 200);
}

TEST_F(KpiQueryTest, TotalRowIsThereWithoutData) {
  AddStore("P1", "west", "Europe/Paris");
  const json answer = Run("", "", GroupBy::kTotal);
  ASSERT_EQ(Keys(answer), std::vector<std::string>{"total"});
  EXPECT_EQ(RowOf(answer, "total")["gross_sales"], 0);
  EXPECT_TRUE(RowOf(answer, "total")["conversion_rate"].is_null());
  EXPECT_TRUE(Run("", "", GroupBy::kDay)["rows"].empty());
  stores_.clear();
  const json none = Run("", "", GroupBy::kTotal);
  EXPECT_EQ(Keys(none), std::vector<std::string>{"total"});
  EXPECT_TRUE(none["from"].is_null());
}

TEST_F(KpiQueryTest, BadPeriodsAreInvalidArgumentsThatSayWhy) {
  AddStore("P1", "west", "Europe/Paris");
  const std::map<std::pair<std::string, std::string>, std::string> cases = {
      {{"2026-02-30", ""}, "from: not a calendar date: \"2026-02-30\""},
      {{"yesterday", ""},
       "from: \"yesterday\" is neither an RFC 3339 instant (2026-11-22T10:15:00Z) nor a local "
       "date (2026-11-22)"},
      {{"", "2026-11-22T25:00:00Z"}, "to: \"2026-11-22T25:00:00Z\" is neither"},
      {{"yesterday!", ""}, "from: \"yesterday!\" is neither"},
      {{"2026-1x-01", ""}, "from: not a date YYYY-MM-DD: \"2026-1x-01\""},
      {{"2026-11-22", "2026-11-22"}, "empty period: to (2026-11-22) must be after from"},
      {{"2026-11-22T10:01:00Z", "2026-11-22T10:14:00Z"}, "instants are floored to 15 minutes"},
      {{"2026-11-22T23:30:00Z", "2026-11-22"},
       "empty period for store P1: to (2026-11-22) must be after from (2026-11-22T23:30:00.000Z)"},
  };
  for (const auto& [period, message] : cases) {
    StatusOr<json> answer = Query(period.first, period.second, GroupBy::kDay);
    ASSERT_FALSE(answer.ok()) << period.first << " " << period.second;
    EXPECT_EQ(answer.status().code(), StatusCode::kInvalidArgument);
    EXPECT_NE(answer.status().message().find(message), std::string::npos)
        << answer.status().message();
  }
}

TEST_F(KpiQueryTest, ASumBeyondInt64IsRefusedNeverWrapped) {
  // Two stores whose history holds 6e18 minor units each: each fits, their sum does not.
  Measures huge;
  huge[Measure::kGrossSales] = 6'000'000'000'000'000'000;
  huge[Measure::kTransactions] = 1;
  const int64_t bucket = BucketOf(At("2026-11-22T10:00:00Z"));
  AddStore("P1", "west", "Europe/Paris").reader.Put(bucket, Channel::kStore, huge);
  AddStore("P2", "west", "Europe/Paris").reader.Put(bucket, Channel::kStore, huge);
  StatusOr<json> network = Query("2026-11-22", "", GroupBy::kTotal);
  ASSERT_FALSE(network.ok());
  EXPECT_EQ(network.status().code(), StatusCode::kOutOfRange);
  EXPECT_EQ(network.status().message(),
            "the period's gross_sales: 6000000000000000000 + 6000000000000000000 would exceed the "
            "64-bit integer range (±9223372036854775807): the KPIs cannot be summed exactly; ask "
            "for a shorter period or a narrower scope (by=store sums each store alone)");
  EXPECT_EQ(Query("2026-11-22", "", GroupBy::kRegion).status().code(), StatusCode::kOutOfRange);
  // Each store alone is exact.
  const json stores = Run("2026-11-22", "", GroupBy::kStore);
  EXPECT_EQ(RowOf(stores, "P1")["gross_sales"], 6'000'000'000'000'000'000);
  EXPECT_EQ(RowOf(stores, "P2")["gross_sales"], 6'000'000'000'000'000'000);
}

TEST_F(KpiQueryTest, ReaderErrorsNameTheStore) {
  AddStore("P1", "west", "Europe/Paris").reader.fail = true;
  StatusOr<json> answer = Query("2026-11-22T10:00:00Z", "2026-11-22T11:00:00Z", GroupBy::kTotal);
  ASSERT_FALSE(answer.ok());
  EXPECT_EQ(answer.status().code(), StatusCode::kUnavailable);
  EXPECT_EQ(answer.status().message(), "store P1: disk gone");
}

}  // namespace
}  // namespace storepulse::common
