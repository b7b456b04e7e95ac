// The KPI catalogue (common/kpi/kpi_catalogue.h) against what the engine answers: every KPI row
// of every grouping carries each catalogued KPI, typed as the catalogue says, and nothing else;
// and GET /api/v1/kpis (common/kpi/kpi_json.h) lists the catalogue as it is.
#include "common/kpi/kpi_catalogue.h"

#include <gtest/gtest.h>

#include <set>
#include <string>
#include <vector>

#include "common/kpi/credit_split.h"
#include "common/kpi/kpi_json.h"
#include "common/kpi/kpi_query.h"
#include "common/time_util.h"

namespace storepulse::common {
namespace {

using nlohmann::json;

// Every measure at 3, whatever is asked: each KPI then has a value (no denominator is 0).
Measures Threes() {
  Measures m;
  for (size_t i = 0; i < kMeasureCount; ++i) m[static_cast<Measure>(i)] = 3;
  return m;
}

// One row of the same sums for each read, at its first index: enough for every grouping to
// have a row and every KPI a value.
class EveryMeasureReader final : public MeasureReader {
 public:
  Status ReadBuckets(int64_t from, int64_t to, const Sink& sink) override {
    if (from < to) sink(from, Channel::kStore, Threes());
    return OkStatus();
  }
  Status ReadDays(int64_t from, int64_t to, const Sink& sink) override {
    if (from < to) sink(from, Channel::kWeb, Threes());
    return OkStatus();
  }
  Status ReadDimension(Dimension, Grain, int64_t from, int64_t to, const KeyedSink& sink) override {
    if (from < to) sink(from, "E1", Threes());
    return OkStatus();
  }
};

class OneSnapshotReader final : public StockReader {
 public:
  Status ReadStockDays(int64_t from_day, int64_t, std::vector<StockSnapshot>* rows) override {
    rows->push_back({from_day, {.ranged = 2, .in_stock = 1, .on_hand_total = 9}});
    return OkStatus();
  }
};

class OneCustomerReader final : public CustomerReader {
 public:
  Status ReadSeen(int64_t from, int64_t to, const SeenSink& sink) override {
    if (from < to) sink(from, "c1");
    return OkStatus();
  }
  Status ReadDayCounts(int64_t, int64_t, const DayCountSink&) override { return OkStatus(); }
  Status ReadFirsts(int64_t from_ms, int64_t, const FirstSink& sink) override {
    sink(from_ms, "c1");
    return OkStatus();
  }
  StatusOr<bool> ViewsReady() override { return false; }  // the sets above, not sketches
  Status ReadDaySketches(int64_t, int64_t, const SketchSink&) override { return OkStatus(); }
  Status ReadNewDayCounts(int64_t, int64_t, const DayCountSink&) override { return OkStatus(); }
};

std::set<std::string> CataloguedNames() {
  std::set<std::string> names;
  for (const KpiInfo& info : kKpiCatalogue) names.emplace(info.name);
  return names;
}

TEST(KpiCatalogueTest, ListsEachKpiOnceUnderItsOwnName) {
  EXPECT_EQ(CataloguedNames().size(), kKpiCount);
  for (Kpi kpi : AllKpis()) {
    const KpiInfo& info = InfoOf(kpi);
    EXPECT_EQ(info.kpi, kpi);
    EXPECT_EQ(FindKpi(info.name), kpi) << info.name;
    EXPECT_FALSE(info.label.empty()) << info.name;
    EXPECT_FALSE(info.short_label.empty()) << info.name;
    EXPECT_LE(info.short_label.size(), info.label.size()) << info.name;
  }
  EXPECT_EQ(FindKpi("key"), std::nullopt);
  EXPECT_EQ(FindKpi("top_skus"), std::nullopt);
  EXPECT_EQ(KpiName(Kpi::kConversionRate), "conversion_rate");
}

// Rates and shares are fractions, money is money, and only the distinct-customer quotients may be
// estimates (customers, purchase_frequency, clv; new_customers stays exact).
TEST(KpiCatalogueTest, UnitsFollowTheKpiDefinitions) {
  for (const KpiInfo& info : kKpiCatalogue) {
    const std::string name(info.name);
    if (name.ends_with("_rate") || name.ends_with("_share")) {
      EXPECT_EQ(info.unit, KpiUnit::kRate) << name;
    }
    if (info.unit == KpiUnit::kRate) {
      EXPECT_EQ(info.number, KpiNumber::kReal) << name;
    }
    // Hours are an exact sum of staff-seconds shown / 3600 (docs/KPIS.md, "Staffing").
    if (info.cumulative && info.unit != KpiUnit::kMoneyPerM2 && info.unit != KpiUnit::kHours) {
      EXPECT_EQ(info.number, KpiNumber::kInteger) << name << ": a sum is exact";
    }
  }
  EXPECT_EQ(InfoOf(Kpi::kIdentifiedNetSales).unit, KpiUnit::kMoney);
  EXPECT_EQ(InfoOf(Kpi::kSalesPerM2).unit, KpiUnit::kMoneyPerM2);
  std::set<std::string> approximate;
  for (const KpiInfo& info : kKpiCatalogue) {
    if (info.may_be_approximate) approximate.emplace(info.name);
  }
  EXPECT_EQ(approximate, (std::set<std::string>{"customers", "purchase_frequency", "clv"}));
}

TEST(KpiCatalogueTest, EveryRowOfEveryGroupingHasEveryKpiTypedAsCataloguedAndNothingElse) {
  const TimeZone zone = *TimeZone::Load("Europe/Paris");
  EveryMeasureReader measures;
  OneSnapshotReader stock;
  OneCustomerReader customers;
  const std::vector<StoreSource> stores = {
      {"S1", "north", &zone, &measures, 1000, &stock, &customers, nullptr}};
  const int64_t now = *ParseRfc3339("2026-11-22T12:00:00Z");
  for (GroupBy by :
       {GroupBy::kTotal, GroupBy::kDay, GroupBy::kHour, GroupBy::kChannel, GroupBy::kStore,
        GroupBy::kRegion, GroupBy::kEmployee, GroupBy::kSku, GroupBy::kCategory}) {
    SCOPED_TRACE(GroupByName(by));
    StatusOr<KpiAnswer> answer =
        RunKpiQuery({"2026-11-20", "2026-11-23", by, "store:S1"}, stores, now);
    ASSERT_TRUE(answer.ok()) << answer.status().ToString();
    ASSERT_FALSE(answer->rows.empty());
    // Kept in a variable: a range-for over a member of the temporary answer ran over a
    // destroyed object (the loop saw no row, so this test could not fail).
    const json answer_json = KpiAnswerJson(*answer);
    ASSERT_EQ(answer_json["rows"].size(), answer->rows.size());
    for (const json& row : answer_json["rows"]) {
      std::set<std::string> names;
      for (const auto& [name, value] : row.items()) {
        // Not KPIs: a row's key, a day's sources, a SKU's labels from the product catalogue.
        if (name == "key" || name == "completeness" ||
            (by == GroupBy::kSku && (name == "name" || name == "category" || name == "brand"))) {
          continue;
        }
        names.insert(name);
        const std::optional<Kpi> kpi = FindKpi(name);
        if (!kpi || value.is_null()) continue;
        // A shared sale splits the counts of by=employee rows (common/kpi/credit_split.h).
        const bool split = by == GroupBy::kEmployee && IsCreditSplitKpi(*kpi);
        const bool integer = InfoOf(*kpi).number == KpiNumber::kInteger && !split;
        EXPECT_EQ(value.is_number_integer(), integer) << name << " = " << value.dump();
        EXPECT_EQ(value.is_number_float(), !integer) << name << " = " << value.dump();
      }
      EXPECT_EQ(names, CataloguedNames()) << row.dump();
    }
  }
}

TEST(KpiCatalogueTest, ServedAsJsonInDisplayOrder) {
  const json& served = KpiCatalogueJson();
  ASSERT_EQ(served["kpis"].size(), kKpiCount);
  for (size_t i = 0; i < kKpiCount; ++i) {
    const KpiInfo& info = kKpiCatalogue[i];
    const json& entry = served["kpis"][i];
    EXPECT_EQ(entry["name"], info.name);
    EXPECT_EQ(entry["label"], info.label);
    EXPECT_EQ(entry["short_label"], info.short_label);
    EXPECT_EQ(entry["unit"], KpiUnitName(info.unit));
    EXPECT_TRUE(served["units"].contains(entry["unit"].get<std::string>())) << entry.dump();
    EXPECT_EQ(entry["number"], info.number == KpiNumber::kInteger ? "integer" : "real");
    EXPECT_EQ(entry["higher_is_better"], info.higher_is_better);
    EXPECT_EQ(entry["cumulative"], info.cumulative);
    EXPECT_EQ(entry["may_be_approximate"], info.may_be_approximate);
  }
  const json aov = served["kpis"][static_cast<size_t>(Kpi::kAov)];
  EXPECT_EQ(aov.dump(),
            R"({"cumulative":false,"higher_is_better":true,"label":"Average basket",)"
            R"("may_be_approximate":false,"name":"aov","number":"real","short_label":"AOV",)"
            R"("unit":"money"})");
}

}  // namespace
}  // namespace storepulse::common
