// What a network month of distinct customers costs with the day sketches: 1,000 stores × 30 days
// of ~300 customers each (a sparse sketch of ~630 bytes per store-day). Measurements, not checks
// (the bounds are loose): disabled, run by hand for docs/BENCHMARKS.md with
//   build/tests/common_tests --gtest_also_run_disabled_tests --gtest_filter='CustomerUnionBench*'
// Figures go to stdout and to the test's properties.
#include <SQLiteCpp/SQLiteCpp.h>
#include <gtest/gtest.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <map>

#include "common/kpi/customer_figures.h"
#include "common/kpi/kpi_query.h"
#include "common/store/customer_table.h"
#include "common/store/derived_tables.h"
#include "common/store/measure_table.h"

namespace storepulse::common {
namespace {

constexpr int kStores = 1000;
constexpr int kDays = 30;
constexpr int kIdsPerDay = 300;
constexpr int64_t kFirstDay = 20'393;  // 2025-11-01

uint64_t SplitMix(uint64_t* state) {
  uint64_t z = (*state += 0x9e3779b97f4a7c15ULL);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

// A store-day of kIdsPerDay customers, a third of them regulars seen every day.
HyperLogLog StoreDay(int store, int day) {
  HyperLogLog sketch;
  uint64_t regulars = static_cast<uint64_t>(store) << 32;
  uint64_t visitors = regulars | (static_cast<uint64_t>(day + 1) << 20);
  for (int i = 0; i < kIdsPerDay; ++i) {
    sketch.AddHash(SplitMix(i < kIdsPerDay / 3 ? &regulars : &visitors));
  }
  return sketch;
}

std::string RegionOf(int store) { return RegionScope("r" + std::to_string(store % 10)); }

double MsSince(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start)
      .count();
}

TEST(CustomerUnionBench, DISABLED_AThousandStoresTimesThirtyDaysInMemory) {
  std::vector<std::string> blobs;
  size_t bytes = 0;
  for (int store = 0; store < kStores; ++store) {
    for (int day = 0; day < kDays; ++day) {
      blobs.push_back(StoreDay(store, day).Serialize());
      bytes += blobs.back().size();
    }
  }
  const auto start = std::chrono::steady_clock::now();
  HyperLogLog month;
  for (const std::string& blob : blobs) month.Merge(*HyperLogLog::Deserialize(blob));
  const double ms = MsSince(start);
  const double exact = kStores * (kIdsPerDay / 3 + kDays * (kIdsPerDay - kIdsPerDay / 3));
  std::printf(
      "%d sketches, %.0f bytes each on average (%.1f MB): deserialize + union %.1f ms; "
      "estimate %.0f of %.0f (%+.2f%%)\n",
      kStores * kDays, static_cast<double>(bytes) / blobs.size(), bytes / 1e6, ms, month.Estimate(),
      exact, 100 * (month.Estimate() - exact) / exact);
  RecordProperty("union_ms", std::to_string(ms));
  EXPECT_LT(ms, 5000);
}

// The same month in a central database, through the KPI engine: by=total from the network's own
// day sketches, the same with those unusable (every store's day sketches), and by=store.
TEST(CustomerUnionBench, DISABLED_ANetworkMonthThroughTheKpiEngine) {
  const std::string path = ::testing::TempDir() + "/customer_union_bench.db";
  std::filesystem::remove(path);
  SQLite::Database db(path, SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
  ASSERT_TRUE(DerivedTables::Create(db, /*central=*/true).ok());
  const TimeZone zone = *TimeZone::Load("Europe/Paris");
  {
    SQLite::Transaction transaction(db);
    CustomerViewWriter views(db, /*with_scopes=*/true);
    // As the writer leaves them: each store's days, each region's and the network's, members.
    std::map<std::string, std::vector<HyperLogLog>> scopes;
    for (int store = 0; store < kStores; ++store) {
      const std::string id = "S" + std::to_string(store);
      for (const std::string& scope : {std::string(kNetworkScope), RegionOf(store)}) {
        scopes[scope].resize(kDays);
        views.ExtendMember(scope, id, kFirstDay, kFirstDay + kDays - 1);
      }
      for (int day = 0; day < kDays; ++day) {
        HyperLogLog sketch = StoreDay(store, day);
        views.PutSketch(StoreScope(id), kFirstDay + day, sketch);
        scopes[std::string(kNetworkScope)][day].Merge(sketch);
        scopes[RegionOf(store)][day].Merge(sketch);
      }
    }
    for (const auto& [scope, days] : scopes) {
      for (int day = 0; day < kDays; ++day) views.PutSketch(scope, kFirstDay + day, days[day]);
    }
    transaction.commit();
  }
  std::vector<std::unique_ptr<SqliteMeasureReader>> measures;
  std::vector<std::unique_ptr<SqliteCustomerReader>> customers;
  StatementCache statements(db);
  SqliteScopeFirstsReader scope(statements);
  std::vector<StoreSource> sources;
  for (int store = 0; store < kStores; ++store) {
    const std::string id = "S" + std::to_string(store);
    measures.push_back(std::make_unique<SqliteMeasureReader>(statements, id));
    customers.push_back(std::make_unique<SqliteCustomerReader>(statements, id));
    sources.push_back({id, RegionOf(store).substr(7), &zone, measures.back().get(), 0, nullptr,
                       customers.back().get(), &scope});
  }
  // The customer figures alone (AddCustomerFigures over the rows the engine made without them),
  // and the whole query for reference; best of 7 (the machine is shared).
  auto run = [&](GroupBy by, const char* what) {
    const KpiRequest request{"2025-11-01", "2025-12-01", by, "network"};
    std::vector<StoreSource> bare = sources;
    for (StoreSource& s : bare) s.customers = nullptr;
    auto answer = RunKpiQuery(request, bare, 0);
    ASSERT_TRUE(answer.ok()) << answer.status().message();
    double figures = 1e9, whole = 1e9;
    std::vector<KpiRow> rows;
    for (int i = 0; i < 7; ++i) {
      rows = answer->rows;
      auto start = std::chrono::steady_clock::now();
      ASSERT_TRUE(AddCustomerFigures(request, sources, 0, &rows).ok());
      figures = std::min(figures, MsSince(start));
      start = std::chrono::steady_clock::now();
      ASSERT_TRUE(RunKpiQuery(request, sources, 0).ok());
      whole = std::min(whole, MsSince(start));
    }
    const std::string first =
        rows.empty() ? "no" : std::to_string(rows.front()[Kpi::kCustomers].integer());
    std::printf(
        "%s: customer figures %.1f ms, whole query %.1f ms (%zu rows; first: %s customers)\n", what,
        figures, whole, rows.size(), first.c_str());
    RecordProperty(std::string(what) + "_customer_figures_ms", std::to_string(figures));
    RecordProperty(std::string(what) + "_query_ms", std::to_string(whole));
  };
  run(GroupBy::kTotal, "network month by=total (the network's days)");
  run(GroupBy::kDay, "network month by=day (the network's days)");
  run(GroupBy::kStore, "network month by=store (each store's days)");
  run(GroupBy::kRegion, "network month by=region, 10 regions (the regions' days)");
  db.exec("INSERT INTO customer_sketch_member VALUES('network', 'gone', 20400, 20400)");
  run(GroupBy::kTotal, "network month by=total (each store's days: a store gone)");
  std::filesystem::remove(path);
}

}  // namespace
}  // namespace storepulse::common
