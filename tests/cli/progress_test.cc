#include "cli/progress.h"

#include <gtest/gtest.h>

#include <sstream>

namespace storepulse::cli {
namespace {

TEST(ProgressTest, LineShowsLinesPercentAndRate) {
  EXPECT_EQ(ProgressMeter::Line(120000, 500000, 95000),
            "ingest: 120,000 / 500,000 lines (24%), 95,000 ev/s");
  EXPECT_EQ(ProgressMeter::Line(10, 0, 5), "ingest: 10 lines, 5 ev/s");
}

TEST(ProgressTest, OffATerminalItSpeaksOnlyAfterASecondAndAtMostOnceASecond) {
  int64_t now = 1000;
  std::ostringstream err;
  ProgressMeter meter(err, /*tty=*/false, 1000, [&] { return now; });
  now = 1500;
  meter.Update(100, 100);
  EXPECT_EQ(err.str(), "");  // a short import stays quiet
  now = 2000;
  meter.Update(200, 200);
  EXPECT_EQ(err.str(), "ingest: 200 / 1,000 lines (20%), 200 ev/s\n");
  now = 2500;
  meter.Update(300, 300);
  EXPECT_EQ(err.str(), "ingest: 200 / 1,000 lines (20%), 200 ev/s\n");
  now = 3000;
  meter.Update(400, 400);
  EXPECT_NE(err.str().find("ingest: 400 / 1,000 lines (40%), 200 ev/s\n"), std::string::npos);
  meter.Finish();
}

TEST(ProgressTest, OnATerminalItRedrawsOneLineAndClearsIt) {
  int64_t now = 0;
  std::ostringstream err;
  ProgressMeter meter(err, /*tty=*/true, 0, [&] { return now; });
  now = 10;
  meter.Update(5, 5);
  EXPECT_EQ(err.str(), "\ringest: 5 lines, 500 ev/s\033[K");
  meter.Finish();
  EXPECT_EQ(err.str(), "\ringest: 5 lines, 500 ev/s\033[K\r\033[K");
}

}  // namespace
}  // namespace storepulse::cli
