#include "common/csv.h"

#include <gtest/gtest.h>

namespace storepulse::common {
namespace {

TEST(CsvTest, ReadsQuotedFieldsDoubledQuotesAndLineBreaksInQuotes) {
  auto rows = ParseCsv("a,b,c\r\n1,\"x, y\",\"say \"\"hi\"\"\"\n\n2,\"two\nlines\",\n");
  ASSERT_TRUE(rows.ok());
  ASSERT_EQ(rows->size(), 3u);
  EXPECT_EQ((*rows)[1].fields, (std::vector<std::string>{"1", "x, y", "say \"hi\""}));
  EXPECT_EQ((*rows)[1].line, 2u);
  EXPECT_EQ((*rows)[2].fields, (std::vector<std::string>{"2", "two\nlines", ""}));
  EXPECT_EQ((*rows)[2].line, 4u);
}

TEST(CsvTest, BrokenQuotingNamesTheLine) {
  auto open = ParseCsv("a\n\"never closed\n");
  ASSERT_FALSE(open.ok());
  EXPECT_NE(open.status().message().find("line 2"), std::string::npos);
  EXPECT_FALSE(ParseCsv("\"a\"b\n").ok());
}

TEST(CsvTest, ReadsAnotherDelimiterWithCommasInsideFields) {
  auto rows = ParseCsv("Date;In\n04/12/2026;\"12,50\";x\n", ';');
  ASSERT_TRUE(rows.ok()) << rows.status().message();
  ASSERT_EQ(rows->size(), 2u);
  EXPECT_EQ((*rows)[1].fields, (std::vector<std::string>{"04/12/2026", "12,50", "x"}));
  EXPECT_FALSE(ParseCsv("\"a\",b\n", ';').ok());  // after a closing quote: ';' or a line end
}

TEST(CsvTest, ACarriageReturnAloneEndsARow) {
  // Classic Mac line ends, as some spreadsheets still save CSV: one row each, never one long row.
  auto rows = ParseCsv("a,b\r1,\"x\ry\"\r\r2,z\r");
  ASSERT_TRUE(rows.ok()) << rows.status().message();
  ASSERT_EQ(rows->size(), 3u);
  EXPECT_EQ((*rows)[1].fields, (std::vector<std::string>{"1", "x\ry"}));
  EXPECT_EQ((*rows)[1].line, 2u);
  EXPECT_EQ((*rows)[2].fields, (std::vector<std::string>{"2", "z"}));
  EXPECT_EQ((*rows)[2].line, 5u);
}

}  // namespace
}  // namespace storepulse::common
