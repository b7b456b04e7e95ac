// A database of identified sales written as the edge or central writes them (DerivedTables), and
// KPI queries over it as the daemons build them: for the distinct-customer tests.
#pragma once

#include <SQLiteCpp/SQLiteCpp.h>
#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "common/kpi/kpi_json.h"
#include "common/kpi/kpi_query.h"
#include "common/store/customer_table.h"
#include "common/store/derived_tables.h"
#include "common/store/measure_table.h"
#include "common/time_util.h"

namespace storepulse::common {

struct TestStore {
  std::string id, region;
  TimeZone zone;
};

class CustomerFixture : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_TRUE(DerivedTables::Create(db_, /*central=*/true).ok()); }

  // One identified sale (a line of `value` minor units) of `customer` at stores_[store].
  void Buy(size_t store, const std::string& customer, const char* ts, int64_t value = 1000) {
    Sell(store, {customer}, *ParseRfc3339(ts), value);
  }

  // One identified sale of `customer` at stores_[store] on `channel`.
  void BuyOn(size_t store, const std::string& customer, Channel channel, const char* ts) {
    Sell(store, {customer}, *ParseRfc3339(ts), 1000, channel);
  }

  // A customer_link event of stores_[store]: `customer` and `alias` are one person.
  void Link(size_t store, const std::string& customer, const std::string& alias,
            const char* ts = "2026-11-02T18:00:00Z") {
    Event e;
    e.id = "e" + std::to_string(next_++);
    e.type = EventType::kCustomerLink;
    e.ts_ms = *ParseRfc3339(ts);
    e.customer = customer;
    e.alias = alias;
    DerivedTables tables(db_, central_);
    const TestStore& s = stores_[store];
    ASSERT_TRUE(tables.Apply(s.id, s.region, s.zone, {&e}, 0).ok());
  }

  // One sale per customer, in one batch.
  void Sell(size_t store, const std::vector<std::string>& customers, int64_t ts_ms,
            int64_t value = 1000, Channel channel = Channel::kStore) {
    std::vector<Event> events(customers.size());
    std::vector<const Event*> batch;
    for (size_t i = 0; i < customers.size(); ++i) {
      Event& e = events[i];
      e.id = "e" + std::to_string(next_++);
      e.type = EventType::kSale;
      e.ts_ms = ts_ms;
      e.customer = customers[i];
      e.channel = channel;
      e.lines = {{"X", 1, value, 0}};
      batch.push_back(&e);
    }
    DerivedTables tables(db_, central_);
    const TestStore& s = stores_[store];
    ASSERT_TRUE(tables.Apply(s.id, s.region, s.zone, batch, 0).ok());
  }

  // The KPI answer as central (or, with central_ false, as an edge) builds it for `scope`: a
  // store, a region (its stores) or the network.
  nlohmann::json Answer(const std::string& scope, GroupBy by, const std::string& from,
                        const std::string& to) {
    std::vector<std::unique_ptr<SqliteMeasureReader>> readers;
    std::vector<std::unique_ptr<SqliteCustomerReader>> customers;
    StatementCache statements(db_);
    SqliteScopeFirstsReader firsts(statements);
    std::vector<StoreSource> sources;
    for (const TestStore& s : stores_) {
      if (scope == "store:" + s.id || scope == "network" || scope == "region:" + s.region) {
        readers.push_back(std::make_unique<SqliteMeasureReader>(statements, s.id));
        customers.push_back(std::make_unique<SqliteCustomerReader>(statements, s.id));
        sources.push_back({s.id, s.region, &s.zone, readers.back().get(), 0, nullptr,
                           customers.back().get(), central_ ? &firsts : nullptr});
      }
    }
    auto answer = RunKpiQuery({from, to, by, scope}, sources, 0);
    if (!answer.ok()) return {{"error", answer.status().message()}};
    return KpiAnswerJson(*answer);
  }

  nlohmann::json Query(const std::string& scope, GroupBy by, const std::string& region = "",
                       const std::string& from = "2026-11-01",
                       const std::string& to = "2026-11-03") {
    const std::string asked = region.empty() ? scope : "region:" + region;
    nlohmann::json answer = Answer(asked, by, from, to);
    EXPECT_FALSE(answer.contains("error")) << answer.dump();
    return answer["rows"];
  }

  SQLite::Database db_{":memory:", SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE};
  std::vector<TestStore> stores_ = {{"A", "north", *TimeZone::Load("Europe/Paris")},
                                    {"B", "north", *TimeZone::Load("Europe/Paris")},
                                    {"C", "asia", *TimeZone::Load("Asia/Kolkata")}};
  int next_ = 0;
  bool central_ = true;  // as central writes (with the region and network tables), or as an edge
};

}  // namespace storepulse::common
