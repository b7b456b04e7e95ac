// The measure tables (common/store/measure_table.h) refuse a stored total that would leave the
// int64 range — naming the measure and the row, writing nothing of it — where SQLite alone would
// turn the sum into a REAL and read it back saturated.
#include "common/store/measure_table.h"

#include <SQLiteCpp/SQLiteCpp.h>
#include <gtest/gtest.h>

#include <limits>
#include <memory>

#include "common/time_util.h"

namespace storepulse::common {
namespace {

constexpr int64_t kMax = std::numeric_limits<int64_t>::max();

class MeasureTableTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(CreateMeasureTables(db_).ok());
    writer_ = std::make_unique<MeasureWriter>(db_);  // prepares its statements on the tables
  }

  // One store-channel row of gross sales at 2026-11-22T10:00Z.
  static MeasureDeltas Gross(int64_t value, int64_t bucket = kBucket) {
    Measures m;
    m[Measure::kGrossSales] = value;
    m[Measure::kTransactions] = 1;
    return MeasureDeltas{{BucketKey{bucket, Channel::kStore}, m}};
  }

  int64_t Stored(const char* table, const char* column = "gross_sales") {
    return db_.execAndGet(std::string("SELECT ") + column + " FROM " + table + " LIMIT 1")
        .getInt64();
  }

  static inline const int64_t kBucket = BucketOf(*ParseRfc3339("2026-11-22T10:00:00Z"));
  SQLite::Database db_{":memory:", SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE};
  TimeZone zone_ = *TimeZone::Load("Europe/Paris");
  std::unique_ptr<MeasureWriter> writer_;
};

TEST_F(MeasureTableTest, ATotalUpToTheTopIsStoredExactly) {
  ASSERT_TRUE(writer_->Add("S1", zone_, Gross(kMax - 5)).ok());
  ASSERT_TRUE(writer_->Add("S1", zone_, Gross(5)).ok());
  EXPECT_EQ(Stored("measures_15m"), kMax);
  EXPECT_EQ(Stored("measures_day"), kMax);
  EXPECT_EQ(Stored("measures_day", "transactions"), 2);
}

TEST_F(MeasureTableTest, ATotalBeyondTheTopIsRefusedNamingTheMeasureAndTheRow) {
  ASSERT_TRUE(writer_->Add("S1", zone_, Gross(kMax - 5)).ok());
  Status refused = writer_->Add("S1", zone_, Gross(6));
  EXPECT_EQ(refused.code(), StatusCode::kOutOfRange);
  EXPECT_EQ(refused.message(),
            "gross_sales of store S1, 15-minute bucket 2026-11-22T10:00:00.000Z, channel store "
            "would exceed the 64-bit integer range (±9223372036854775807)");
  // Not a REAL, not saturated, not partly written: the row is as it was.
  EXPECT_EQ(Stored("measures_15m"), kMax - 5);
  EXPECT_EQ(Stored("measures_15m", "transactions"), 1);
  EXPECT_EQ(db_.execAndGet("SELECT typeof(gross_sales) FROM measures_15m").getString(), "integer");
  // The statements are usable at once for the next batch.
  ASSERT_TRUE(writer_->Add("S1", zone_, Gross(1, kBucket + 1)).ok());
}

TEST_F(MeasureTableTest, TheDayRowIsCheckedToo) {
  ASSERT_TRUE(writer_->Add("S1", zone_, Gross(kMax - 5)).ok());
  // Another bucket of the same local day: its own row is fine, the day's sum is not.
  Status refused = writer_->Add("S1", zone_, Gross(6, kBucket + 1));
  EXPECT_EQ(refused.code(), StatusCode::kOutOfRange);
  EXPECT_EQ(refused.message(),
            "gross_sales of store S1, local day 2026-11-22, channel store would exceed the 64-bit "
            "integer range (±9223372036854775807)");
}

TEST_F(MeasureTableTest, TwoBucketsOfOneBatchThatOverflowTheirDayAreRefused) {
  MeasureDeltas both = Gross(kMax - 5);
  both.merge(Gross(6, kBucket + 1));
  Status refused = writer_->Add("S1", zone_, both);
  EXPECT_EQ(refused.code(), StatusCode::kOutOfRange);
  EXPECT_EQ(refused.message(),
            "store S1, local day 2026-11-22 (the batch's own sum): gross_sales: "
            "9223372036854775802 + 6 would exceed the 64-bit integer range (±9223372036854775807)");
}

TEST_F(MeasureTableTest, ABreakdownRowNamesItsSkuOrEmployee) {
  Measures m;
  m[Measure::kGrossSales] = kMax;
  ASSERT_TRUE(
      writer_->Add("S1", zone_, DimensionDeltas{{{kBucket, Dimension::kSku, "TSHIRT"}, m}}).ok());
  m[Measure::kGrossSales] = 1;
  Status refused =
      writer_->Add("S1", zone_, DimensionDeltas{{{kBucket, Dimension::kSku, "TSHIRT"}, m}});
  EXPECT_EQ(refused.code(), StatusCode::kOutOfRange);
  EXPECT_EQ(refused.message(),
            "gross_sales of store S1, local day 2026-11-22, SKU \"TSHIRT\" would exceed the 64-bit "
            "integer range (±9223372036854775807)");
}

TEST_F(MeasureTableTest, ATotalAnEarlierVersionOverflowedIsNeitherReadNorAddedTo) {
  ASSERT_TRUE(writer_->Add("S1", zone_, Gross(100)).ok());
  db_.exec("UPDATE measures_day SET gross_sales = 9.3e18");  // what SQLite's + left behind
  StatementCache statements(db_);
  SqliteMeasureReader reader(statements, "S1");
  Status read = reader.ReadDays(0, std::numeric_limits<int64_t>::max(),
                                [](int64_t, Channel, const Measures&) {});
  EXPECT_EQ(read.code(), StatusCode::kOutOfRange);
  EXPECT_NE(read.message().find("measures_day holds gross_sales = 9.3e+18"), std::string::npos)
      << read.message();
  EXPECT_EQ(writer_->Add("S1", zone_, Gross(1, kBucket + 1)).code(), StatusCode::kOutOfRange);
}

}  // namespace
}  // namespace storepulse::common
