// A store's events folded into the measure and dimension tables of a SQLite database in memory,
// and KPI queries over them: the fixture of the tests of the query engine's breakdowns.
#pragma once

#include <gtest/gtest.h>

#include <SQLiteCpp/SQLiteCpp.h>

#include <vector>

#include "common/event.h"
#include "common/kpi/dimensions.h"
#include "common/kpi/kpi_json.h"
#include "common/kpi/kpi_query.h"
#include "common/store/measure_table.h"
#include "common/time_zone.h"

namespace storepulse::common {

// Store S1 in Europe/Paris.
class FoldedStoreTest : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_TRUE(CreateMeasureTables(db_).ok()); }
  void Store(const std::vector<Event>& events) {
    MeasureDeltas channels;
    DimensionDeltas dims;
    for (const Event& e : events) {
      ASSERT_TRUE(FoldEvent(e, &channels).ok());
      ASSERT_TRUE(FoldEventDimensions(e, &dims).ok());
    }
    MeasureWriter writer(db_);
    ASSERT_TRUE(writer.Add("S1", zone_, channels).ok());
    ASSERT_TRUE(writer.Add("S1", zone_, dims).ok());
  }
  nlohmann::json Query(GroupBy by, const char* from, const char* to) {
    StatementCache statements(db_);
    SqliteMeasureReader reader(statements, "S1");
    auto answer = RunKpiQuery({from, to, by, "store:S1"}, {{"S1", "r", &zone_, &reader}}, 0);
    EXPECT_TRUE(answer.ok()) << answer.status().message();
    return answer.ok() ? KpiAnswerJson(*answer) : nlohmann::json();
  }

  SQLite::Database db_{":memory:", SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE};
  TimeZone zone_ = *TimeZone::Load("Europe/Paris");
};

}  // namespace storepulse::common
