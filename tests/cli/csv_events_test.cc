#include "cli/csv_events.h"

#include <gtest/gtest.h>

#include <sstream>

namespace storepulse::cli {
namespace {

using nlohmann::json;

std::vector<SourceEvent> ReadAll(const std::string& csv) {
  std::istringstream in(csv);
  auto source = CsvEventSource::Open(in);
  EXPECT_TRUE(source.ok()) << source.status().ToString();
  std::vector<SourceEvent> events;
  if (!source.ok()) return events;
  SourceEvent event;
  while ((*source)->Next(&event)) events.push_back(event);
  return events;
}

json Parsed(const SourceEvent& event) {
  EXPECT_EQ(event.error, "") << "line " << event.line;
  return json::parse(event.json);
}

common::Status OpenError(const std::string& csv) {
  std::istringstream in(csv);
  auto source = CsvEventSource::Open(in);
  return source.ok() ? common::OkStatus() : source.status();
}

TEST(CsvEventsTest, ConsecutiveSaleRowsWithTheSameIdFormOneEvent) {
  auto events = ReadAll(
      "id,type,ts,channel,sku,qty,unit_price,discount\n"
      "s1,sale,2026-11-22T10:15:00+01:00,store,A1,2,1250,0\n"
      "s1,,,,B7,1,3990,500\n"
      "s2,sale,2026-11-22T10:20:00+01:00,web,C3,1,100,\n");
  ASSERT_EQ(events.size(), 2u);
  EXPECT_EQ(events[0].line, 2);
  EXPECT_EQ(events[0].id, "s1");
  EXPECT_EQ(Parsed(events[0]),
            json::parse(R"({"id":"s1","type":"sale","ts":"2026-11-22T10:15:00+01:00",
              "channel":"store","lines":[{"sku":"A1","qty":2,"unit_price":1250,"discount":0},
              {"sku":"B7","qty":1,"unit_price":3990,"discount":500}]})"));
  EXPECT_EQ(events[1].line, 4);
  EXPECT_EQ(Parsed(events[1])["lines"], json::parse(R"([{"sku":"C3","qty":1,"unit_price":100}])"));
}

TEST(CsvEventsTest, LaterRowsMayRepeatTheEventFields) {
  auto events = ReadAll(
      "id,type,ts,sku,qty,unit_price\n"
      "r1,return,1764000000000,A1,1,500\n"
      "r1,return,1764000000000,A2,3,200\n");
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(Parsed(events[0])["lines"].size(), 2u);
}

TEST(CsvEventsTest, QuotedCellsKeepCommasQuotesAndLineBreaks) {
  auto events = ReadAll(
      "id,type,ts,customer,sku,qty,unit_price\n"
      "s1,sale,1764000000000,\"Dupont, Marie\",\"B \"\"XL\"\"\",1,100\n"
      "s2,sale,1764000000000,\"two\nlines\",A,1,100\n"
      "s3,sale,1764000000000,,A,1,100\n");
  ASSERT_EQ(events.size(), 3u);
  EXPECT_EQ(Parsed(events[0])["customer"], "Dupont, Marie");
  EXPECT_EQ(Parsed(events[0])["lines"][0]["sku"], "B \"XL\"");
  EXPECT_EQ(Parsed(events[1])["customer"], "two\nlines");
  EXPECT_EQ(events[1].line, 3);
  EXPECT_EQ(events[2].line, 5);  // the quoted line break moved it down one line
}

TEST(CsvEventsTest, IntegerCellsBecomeJsonIntegersAndOthersStayStrings) {
  auto events = ReadAll(
      "id,type,ts,sensor,period_s,in,out\n"
      "f1,footfall,1764000000000,door, 900 ,12,-3\n"
      "f2,footfall,2026-11-22T10:00:00Z,door,15m,1.5,1e3\n");
  ASSERT_EQ(events.size(), 2u);
  json f1 = Parsed(events[0]);
  EXPECT_TRUE(f1["ts"].is_number_integer());
  EXPECT_EQ(f1["ts"], 1764000000000);
  EXPECT_EQ(f1["period_s"], 900);
  EXPECT_EQ(f1["in"], 12);
  EXPECT_EQ(f1["out"], -3);
  EXPECT_EQ(f1["sensor"], "door");
  json f2 = Parsed(events[1]);
  EXPECT_EQ(f2["ts"], "2026-11-22T10:00:00Z");
  EXPECT_EQ(f2["period_s"], "15m");  // left for the edge's validator to name
  EXPECT_EQ(f2["in"], "1.5");
  EXPECT_EQ(f2["out"], "1e3");
}

// Labour (issue 15): `staff` an integer, `hours` any number; a cell that is neither stays a string
// for the edge's validator to name.
TEST(CsvEventsTest, LabourTakesStaffAsAnIntegerAndHoursAsANumber) {
  auto events = ReadAll(
      "id,type,ts,employee,period_s,staff,hours\n"
      "l1,labour,2026-11-22T09:00:00Z,,900,3,\n"
      "l2,labour,2026-11-22T09:00:00Z,emp-7,28800,,7.5\n"
      "l3,labour,2026-11-22T09:00:00Z,,900,,about 2\n");
  ASSERT_EQ(events.size(), 3u);
  json l1 = Parsed(events[0]);
  EXPECT_EQ(l1["staff"], 3);
  EXPECT_FALSE(l1.contains("hours"));
  json l2 = Parsed(events[1]);
  EXPECT_EQ(l2["hours"], 7.5);
  EXPECT_EQ(l2["employee"], "emp-7");
  EXPECT_FALSE(l2.contains("staff"));
  EXPECT_EQ(Parsed(events[2])["hours"], "about 2");
}

TEST(CsvEventsTest, RestockIsABooleanWhenItSaysTrueOrFalse) {
  auto events = ReadAll(
      "id,type,ts,restock,sku,qty,unit_price\n"
      "r1,return,1764000000000,true,A,1,1\n"
      "r2,return,1764000000000,FALSE,A,1,1\n"
      "r3,return,1764000000000,maybe,A,1,1\n");
  ASSERT_EQ(events.size(), 3u);
  EXPECT_EQ(Parsed(events[0])["restock"], true);
  EXPECT_EQ(Parsed(events[1])["restock"], false);
  EXPECT_EQ(Parsed(events[2])["restock"], "maybe");
}

TEST(CsvEventsTest, EmptyCellsLeaveTheFieldOut) {
  auto events = ReadAll(
      "id,type,ts,channel,till,employee,customer,sku,qty,unit_price,discount\n"
      "s1,sale,1764000000000,,  ,e7,,A,1,100,\n");
  ASSERT_EQ(events.size(), 1u);
  json sale = Parsed(events[0]);
  EXPECT_FALSE(sale.contains("channel"));
  EXPECT_FALSE(sale.contains("till"));
  EXPECT_FALSE(sale.contains("customer"));
  EXPECT_EQ(sale["employee"], "e7");
  EXPECT_FALSE(sale["lines"][0].contains("discount"));
}

TEST(CsvEventsTest, StockAndOrderRowsKeepSkuKindQtyAsEventFields) {
  auto events = ReadAll(
      "id,type,ts,sku,kind,qty,order,status,source,promised\n"
      "k1,stock,1764000000000,A1,receipt,24,,,,\n"
      "k1b,stock,1764000000000,A1,adjustment,-2,,,,\n"
      "o1,order,1764000000000,,click_collect,,ORD-9,created,store,2026-11-23T12:00:00Z\n");
  ASSERT_EQ(events.size(), 3u);
  EXPECT_EQ(Parsed(events[0]), json::parse(R"({"id":"k1","type":"stock","ts":1764000000000,
                                               "sku":"A1","kind":"receipt","qty":24})"));
  EXPECT_EQ(Parsed(events[1])["qty"], -2);
  EXPECT_EQ(Parsed(events[2]), json::parse(R"({"id":"o1","type":"order","ts":1764000000000,
      "kind":"click_collect","order":"ORD-9","status":"created","source":"store",
      "promised":"2026-11-23T12:00:00Z"})"));
}

TEST(CsvEventsTest, ARowWithTheWrongNumberOfCellsIsRejectedAtItsLine) {
  auto events = ReadAll(
      "id,type,ts,sku,qty,unit_price\n"
      "s1,sale,1764000000000,A,1,100,surplus\n"
      "s2,sale,1764000000000,A,1\n"
      "s3,sale,1764000000000,A,1,100\n");
  ASSERT_EQ(events.size(), 3u);
  EXPECT_EQ(events[0].line, 2);
  EXPECT_EQ(events[0].id, "s1");
  EXPECT_EQ(events[0].error, "the row has 7 cells but the header has 6");
  EXPECT_EQ(events[1].line, 3);
  EXPECT_EQ(events[1].error, "the row has 5 cells but the header has 6");
  EXPECT_EQ(events[2].error, "");
}

TEST(CsvEventsTest, ABadLineItemRowRejectsItsWholeEventAtTheFirstRow) {
  auto events = ReadAll(
      "id,type,ts,sku,qty,unit_price\n"
      "s1,sale,1764000000000,A,1,100\n"
      "s1,sale,1764000000000,B,2\n"
      "s2,sale,1764000000000,A,1,100\n"
      "s2,sale,1765000000000,B,1,100\n");
  ASSERT_EQ(events.size(), 2u);
  EXPECT_EQ(events[0].line, 2);
  EXPECT_EQ(events[0].error, "line 3: the row has 5 cells but the header has 6");
  EXPECT_EQ(events[1].line, 4);
  EXPECT_NE(events[1].error.find("line 5 continues event \"s2\" with a different ts"),
            std::string::npos)
      << events[1].error;
}

TEST(CsvEventsTest, OnlyConsecutiveSaleOrReturnRowsMerge) {
  auto events = ReadAll(
      "id,type,ts,sku,qty,unit_price\n"
      "s1,sale,1764000000000,A,1,100\n"
      "s1,return,1764000000000,A,1,100\n"
      "k1,stock,1764000000000,A,5,\n"
      "k1,stock,1764000000000,A,5,\n");
  ASSERT_EQ(events.size(), 4u);  // the edge answers the repeated ids as duplicates
}

TEST(CsvEventsTest, BlankRowsAreSkippedAndHeaderNamesAreForgiving) {
  auto events = ReadAll(
      "\xEF\xBB\xBF Id ,TYPE,ts\r\n"
      "\r\n"
      ",,\r\n"
      "f1,feedback,1764000000000\r\n");
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].line, 4);
  EXPECT_EQ(Parsed(events[0]), json::parse(R"({"id":"f1","type":"feedback","ts":1764000000000})"));
}

TEST(CsvEventsTest, ABadHeaderOrBrokenQuotingRefusesTheFile) {
  EXPECT_EQ(OpenError("").code(), common::StatusCode::kInvalidArgument);
  EXPECT_NE(OpenError("id,type,colour\n").message().find("unknown column \"colour\""),
            std::string::npos);
  EXPECT_NE(OpenError("id,type,id\n").message().find("appears twice"), std::string::npos);
  EXPECT_NE(OpenError("id,,ts\n").message().find("column 2"), std::string::npos);
  EXPECT_NE(OpenError("id,type\ns1,\"sale\n").message().find("line 2"), std::string::npos);
  EXPECT_TRUE(OpenError("id,type\n").ok());
}

TEST(CsvEventsTest, TextThatIsNotUtf8IsRejectedHere) {
  auto events = ReadAll("id,type,ts,customer\nf1,feedback,1,Andr\xE9\n");
  ASSERT_EQ(events.size(), 1u);
  EXPECT_NE(events[0].error.find("UTF-8"), std::string::npos);
}

// The CSV reader ends a line at LF, CRLF or a CR alone (old Mac exports); the file's line count
// (the report's "N lines", the progress) counted LF only, so a CR-only file read 4 lines, then
// reported 1 (found by tests/fuzz/cli_csv_import_fuzzer: lines read went down).
TEST(CsvEventsTest, LinesReadCountTheLineEndsTheReaderSees) {
  std::istringstream in("id,type,ts,sensor,period_s,in,out\rf1,footfall,1,d,900,1,2\r\r"
                        "f2,footfall,1,d,900,3,4\r\nf3,footfall,1,d,900,5,6");
  auto source = CsvEventSource::Open(in);
  ASSERT_TRUE(source.ok()) << source.status().ToString();
  SourceEvent event;
  int64_t last = 0;
  std::vector<int64_t> lines;
  while ((*source)->Next(&event)) {
    EXPECT_GE((*source)->lines_read(), last) << "at the event of line " << event.line;
    last = (*source)->lines_read();
    lines.push_back(event.line);
  }
  EXPECT_EQ(lines, (std::vector<int64_t>{2, 4, 5}));
  EXPECT_EQ((*source)->lines_read(), 5);
}

}  // namespace
}  // namespace storepulse::cli
