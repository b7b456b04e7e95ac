#include "cli/ingest_report.h"

#include <gtest/gtest.h>

#include <sstream>

#include "cli/batcher.h"

namespace storepulse::cli {
namespace {

using nlohmann::json;

TEST(IngestReportTest, MapsEachRejectionIndexBackToItsFileLine) {
  IngestReport report("sales.jsonl", "http://127.0.0.1:8601");
  // Batch 1 held lines 1, 2, 4 (line 3 was blank); batch 2 lines 5 and 7.
  std::vector<SentEvent> first = {{1, ""}, {2, ""}, {4, ""}};
  std::vector<SentEvent> second = {{5, ""}, {7, "csv-id"}};
  ASSERT_TRUE(report
                  .AddAnswer(first, json::parse(R"({"accepted":1,"duplicates":0,
      "rejected":[{"index":2,"id":"s4","error":"field 'ts': missing"},
                  {"index":1,"id":"","error":"line 2 is not valid JSON: x"}]})"))
                  .ok());
  ASSERT_TRUE(report
                  .AddAnswer(second, json::parse(R"({"accepted":0,"duplicates":1,
      "rejected":[{"index":1,"error":"field 'qty': must be at least 1, got 0"}]})"))
                  .ok());
  EXPECT_EQ(report.sent(), 5);
  EXPECT_EQ(report.accepted(), 1);
  EXPECT_EQ(report.duplicates(), 1);
  auto rejected = report.rejections();
  ASSERT_EQ(rejected.size(), 3u);
  EXPECT_EQ(rejected[0].line, 2);
  EXPECT_EQ(rejected[0].error, "not valid JSON: x");  // the body's line number means nothing
  EXPECT_EQ(rejected[1].line, 4);
  EXPECT_EQ(rejected[1].id, "s4");
  EXPECT_EQ(rejected[2].line, 7);
  EXPECT_EQ(rejected[2].id, "csv-id");  // the edge named no id: the CSV's is kept
  EXPECT_FALSE(report.clean());
}

TEST(IngestReportTest, AnIndexOutsideTheBatchHasNoLine) {
  IngestReport report("f", "e");
  ASSERT_TRUE(report
                  .AddAnswer({{3, ""}}, json::parse(R"({"accepted":0,"duplicates":0,
      "rejected":[{"index":5,"error":"x"},{"index":-1,"error":"y"}]})"))
                  .ok());
  ASSERT_EQ(report.rejections().size(), 2u);
  EXPECT_EQ(report.rejections()[0].line, 0);
  EXPECT_NE(report.Summary().find("line ?: x"), std::string::npos);
}

TEST(IngestReportTest, AnAnswerOfTheWrongShapeIsAnError) {
  IngestReport report("f", "e");
  EXPECT_FALSE(report.AddAnswer({{1, ""}}, json::parse(R"({"accepted":"1"})")).ok());
  EXPECT_FALSE(report.AddAnswer({{1, ""}}, json::array()).ok());
  EXPECT_EQ(report.sent(), 0);
}

TEST(IngestReportTest, SummaryShowsTwentyRejectionsAndCountsTheRest) {
  IngestReport report("big.csv", "http://edge:8601");
  for (int line = 30; line > 5; --line) {
    report.AddLocalRejection(SourceEvent{line, "id" + std::to_string(line), "", "bad"});
  }
  report.SetLinesRead(1234);
  const std::string summary = report.Summary();
  EXPECT_NE(summary.find("big.csv → http://edge:8601: 1,234 lines, 0 events sent\n"),
            std::string::npos)
      << summary;
  EXPECT_NE(summary.find("  rejected    25\n"), std::string::npos);
  EXPECT_NE(summary.find("  line 6 (id \"id6\"): bad\n"), std::string::npos);
  EXPECT_NE(summary.find("  line 25 (id \"id25\"): bad\n"), std::string::npos);
  EXPECT_EQ(summary.find("line 26 "), std::string::npos);
  EXPECT_NE(summary.find("… and 5 more (--json lists them all)"), std::string::npos);
  EXPECT_EQ(report.ToJson()["rejected"].size(), 25u);
  EXPECT_EQ(report.ToJson()["rejected"][0]["line"], 6);
}

TEST(IngestReportTest, RefusedBatchesAndAnEarlyStopAreReported) {
  IngestReport report("f.jsonl", "e");
  report.AddRefusal({{1001, ""}, {2000, ""}}, 507, "disk nearly full",
                    json::parse(R"({"accepted":0,"duplicates":0,
                    "rejected":[{"index":1,"id":"x","error":"bad ts"}],"error":"disk"})"));
  report.SetNotSentFrom(2001);
  const std::string summary = report.Summary();
  EXPECT_NE(summary.find("lines 1,001–2,000 (2 events): HTTP 507: disk nearly full"),
            std::string::npos)
      << summary;
  EXPECT_NE(summary.find("line 2,000 (id \"x\"): bad ts"), std::string::npos);
  EXPECT_NE(summary.find("Stopped: line 2,001 and after"), std::string::npos);
  const json j = report.ToJson();
  EXPECT_EQ(j["refused"][0]["http_status"], 507);
  EXPECT_EQ(j["not_sent_from_line"], 2001);
  EXPECT_FALSE(report.clean());
}

// A source handing out prepared events.
class FakeSource final : public EventSource {
 public:
  explicit FakeSource(std::vector<SourceEvent> events) : events_(std::move(events)) {}
  bool Next(SourceEvent* event) override {
    if (next_ == events_.size()) return false;
    *event = events_[next_++];
    return true;
  }
  int64_t lines_read() const override { return next_ == 0 ? 0 : events_[next_ - 1].line; }

 private:
  std::vector<SourceEvent> events_;
  size_t next_ = 0;
};

TEST(BatcherTest, SplitsByCountAndBytesAndKeepsLines) {
  FakeSource source({{1, "", "{\"id\":\"a\"}", ""},
                     {2, "", "", "bad row"},
                     {3, "", "{\"id\":\"bb\"}", ""},
                     {4, "", "{\"id\":\"ccc\"}", ""},
                     {6, "", std::string(100, 'x'), ""}});
  IngestReport report("f", "e");
  Batcher batcher(source, report, /*max_events=*/2, /*max_bytes=*/30);
  Batch batch;
  ASSERT_TRUE(batcher.Next(&batch));
  EXPECT_EQ(batch.body, "{\"id\":\"a\"}\n{\"id\":\"bb\"}\n");
  ASSERT_EQ(batch.events.size(), 2u);
  EXPECT_EQ(batch.events[1].line, 3);
  EXPECT_EQ(batcher.NextLine(), 4);
  ASSERT_TRUE(batcher.Next(&batch));
  ASSERT_EQ(batch.events.size(), 1u);
  EXPECT_EQ(batch.events[0].line, 4);
  EXPECT_FALSE(batcher.Next(&batch));
  EXPECT_EQ(batcher.NextLine(), 0);
  ASSERT_EQ(report.rejections().size(), 2u);
  EXPECT_EQ(report.rejections()[0].line, 2);
  EXPECT_EQ(report.rejections()[1].line, 6);  // larger than any batch may be
}

TEST(BatcherTest, StartsANewBatchWhenTheNextEventWouldNotFit) {
  FakeSource source({{1, "", std::string(20, 'a'), ""}, {2, "", std::string(20, 'b'), ""}});
  IngestReport report("f", "e");
  Batcher batcher(source, report, /*max_events=*/10, /*max_bytes=*/30);
  Batch batch;
  ASSERT_TRUE(batcher.Next(&batch));
  EXPECT_EQ(batch.events.size(), 1u);
  ASSERT_TRUE(batcher.Next(&batch));
  EXPECT_EQ(batch.events[0].line, 2);
  EXPECT_TRUE(report.clean());
}

}  // namespace
}  // namespace storepulse::cli
