#include "cli/event_source.h"

#include <gtest/gtest.h>

#include <sstream>

#include "tests/support/temp_dir.h"

namespace storepulse::cli {
namespace {

std::vector<SourceEvent> ReadJsonLines(const std::string& text) {
  auto source = MakeJsonLinesSource(std::make_unique<std::istringstream>(text));
  EXPECT_TRUE(source.ok()) << source.status().ToString();
  std::vector<SourceEvent> events;
  SourceEvent event;
  while (source.ok() && (*source)->Next(&event)) events.push_back(event);
  return events;
}

TEST(EventSourceTest, JsonLinesAreSentVerbatimWithTheirLineNumbers) {
  auto events = ReadJsonLines("{\"id\":\"a\"}\r\n\n   \n{not json\n{\"id\":\"c\"}");
  ASSERT_EQ(events.size(), 3u);
  EXPECT_EQ(events[0].line, 1);
  EXPECT_EQ(events[0].json, "{\"id\":\"a\"}");  // CR dropped
  EXPECT_EQ(events[1].line, 4);
  EXPECT_EQ(events[1].json, "{not json");  // the edge rejects it, against line 4
  EXPECT_EQ(events[2].line, 5);
  EXPECT_EQ(events[2].error, "");
}

TEST(EventSourceTest, ALineHoldingAnArrayIsRejectedBeforeSending) {
  auto events = ReadJsonLines("\xEF\xBB\xBF{\"id\":\"a\"}\n  [1, 2]\n");
  ASSERT_EQ(events.size(), 2u);
  EXPECT_EQ(events[0].json, "{\"id\":\"a\"}");  // byte order mark dropped
  EXPECT_EQ(events[1].line, 2);
  EXPECT_EQ(events[1].error, "a JSON array, not an event object");
}

TEST(EventSourceTest, AJsonArrayIsNotJsonLines) {
  auto source = MakeJsonLinesSource(std::make_unique<std::istringstream>("\n  [\n {\"id\":1}\n]"));
  EXPECT_EQ(source.status().code(), common::StatusCode::kInvalidArgument);
  EXPECT_NE(source.status().message().find("jq -c"), std::string::npos);
}

TEST(EventSourceTest, FormatComesFromTheFlagOrTheExtension) {
  EXPECT_EQ(*ResolveFormat("", "till.CSV"), FileFormat::kCsv);
  EXPECT_EQ(*ResolveFormat("", "events.jsonl"), FileFormat::kJsonLines);
  EXPECT_EQ(*ResolveFormat("", "events"), FileFormat::kJsonLines);
  EXPECT_EQ(*ResolveFormat("jsonl", "x.csv"), FileFormat::kJsonLines);
  EXPECT_EQ(*ResolveFormat("csv", "x.txt"), FileFormat::kCsv);
  EXPECT_EQ(ResolveFormat("xml", "x").status().code(), common::StatusCode::kInvalidArgument);
}

TEST(EventSourceTest, OpensFilesAndCountsTheirLines) {
  test_support::TempDir dir;
  const std::string jsonl = dir.Write("a.jsonl", "{}\n{}\n{}");
  const std::string csv = dir.Write("a.csv", "id,type\nx,sale\n");
  EXPECT_EQ(*CountLines(jsonl), 3);
  EXPECT_EQ(*CountLines(csv), 2);
  EXPECT_EQ(*CountLines(dir.Write("empty", "")), 0);
  EXPECT_TRUE(OpenEventSource(jsonl, FileFormat::kJsonLines).ok());
  auto source = OpenEventSource(csv, FileFormat::kCsv);
  ASSERT_TRUE(source.ok());
  SourceEvent event;
  ASSERT_TRUE((*source)->Next(&event));
  EXPECT_EQ(event.json, R"({"id":"x","type":"sale"})");
  EXPECT_FALSE((*source)->Next(&event));
  EXPECT_EQ((*source)->lines_read(), 2);
  EXPECT_EQ(OpenEventSource(dir.File("missing.csv"), FileFormat::kCsv).status().code(),
            common::StatusCode::kInvalidArgument);
  EXPECT_EQ(OpenEventSource(dir.path(), FileFormat::kJsonLines).status().code(),
            common::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace storepulse::cli
