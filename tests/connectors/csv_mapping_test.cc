// CSV mapping files: parsed into what the csv connector needs, and every mistake reported with
// the file and the line, so that a bad mapping stops the edge with a clear message.
#include "edge/connectors/csv_mapping.h"

#include <gtest/gtest.h>

#include "tests/connectors/csv_test_support.h"

namespace storepulse::edge {
namespace {

using csv_test::FixturePath;
using csv_test::ParisDec4;

std::string ErrorOf(std::string_view text) {
  auto mapping = ParseCsvMapping(text, "counters.conf", "counters");
  EXPECT_FALSE(mapping.ok()) << text;
  return mapping.ok() ? "" : mapping.status().message();
}

TEST(CsvMappingTest, ReadsSettingsColumnsAndConstants) {
  auto mapping = LoadCsvMapping(FixturePath("csv/till_sales.conf"));
  ASSERT_TRUE(mapping.ok()) << mapping.status().message();
  EXPECT_EQ(mapping->name, "till_sales");
  EXPECT_EQ(mapping->type, "sale");
  EXPECT_EQ(mapping->delimiter, ';');
  EXPECT_TRUE(mapping->header);
  EXPECT_EQ(mapping->decimal, ',');
  EXPECT_EQ(mapping->money, MoneyUnit::kMajor);
  EXPECT_EQ(mapping->date_format.spec(), "%Y-%m-%d %H:%M:%S");
  EXPECT_EQ(mapping->id_fields, (std::vector<std::string>{"till", "txn"}));
  ASSERT_EQ(mapping->fields.size(), 9u);
  const CsvFieldMapping* price = mapping->Find("unit_price");
  ASSERT_NE(price, nullptr);
  EXPECT_EQ(price->column, "Preis");
  EXPECT_EQ(price->kind, CsvValueKind::kMoney);
  EXPECT_TRUE(price->line_item);
  EXPECT_EQ(price->line, 17);
  const CsvFieldMapping* channel = mapping->Find("channel");
  ASSERT_NE(channel, nullptr);
  EXPECT_FALSE(channel->from_column());
  EXPECT_EQ(channel->constant, "store");
  EXPECT_FALSE(mapping->Find("txn")->line_item);
}

TEST(CsvMappingTest, DefaultsAndNumberedColumnsWithoutAHeader) {
  auto mapping = ParseCsvMapping(
      "type = footfall\nheader = no\ndelimiter = tab\n[columns]\nts = 1\nsensor = 2\nin = 3\n"
      "out = 4\n[constants]\nperiod_s = \"3600\"\n",
      "f.conf", "f");
  ASSERT_TRUE(mapping.ok()) << mapping.status().message();
  EXPECT_EQ(mapping->delimiter, '\t');
  EXPECT_FALSE(mapping->header);
  EXPECT_EQ(mapping->decimal, '.');
  EXPECT_EQ(mapping->date_format.spec(), "iso");
  EXPECT_EQ(mapping->id_fields, (std::vector<std::string>{"sensor", "ts"}));
  EXPECT_EQ(mapping->Find("in")->column_number, 3u);
  EXPECT_EQ(mapping->Find("period_s")->constant, "3600");
}

TEST(CsvMappingTest, EveryErrorNamesTheFileAndTheLine) {
  auto bad = LoadCsvMapping(FixturePath("csv/bad/counters.conf"));
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().message(),
            "mapping " + FixturePath("csv/bad/counters.conf") +
                " line 4: unknown field 'sensr' (a footfall mapping has: ts, sensor, period_s, "
                "in, out)");

  const std::string footfall = "type = footfall\n[columns]\nts = T\nsensor = S\nin = I\nout = O\n";
  EXPECT_EQ(ErrorOf("# counters\ntype = footfal\n"),
            "mapping counters.conf line 2: type must be one of footfall, sale, return, stock, "
            "order, feedback, customer_link, not \"footfal\"");
  EXPECT_EQ(ErrorOf("type = footfall\ndelimiter = :\n"),
            "mapping counters.conf line 2: delimiter must be ',', ';', '|' or tab, not \":\"");
  EXPECT_EQ(ErrorOf("type = footfall\nseparator = ;\n"),
            "mapping counters.conf line 2: unknown setting 'separator' (settings: type, "
            "delimiter, header, decimal, date_format, money, id; event fields go under [columns] "
            "or [constants])");
  EXPECT_EQ(ErrorOf("type = footfall\n[colums]\n"),
            "mapping counters.conf line 2: unknown section \"[colums]\" (sections: [columns], "
            "[constants])");
  EXPECT_EQ(ErrorOf("type = footfall\nheader\n"),
            "mapping counters.conf line 2: expected key = value, got \"header\"");
  EXPECT_EQ(ErrorOf("type = footfall\ntype = sale\n"),
            "mapping counters.conf line 2: 'type' is set twice (first at line 1)");
  EXPECT_EQ(ErrorOf(footfall + "[constants]\nin = 3\n"),
            "mapping counters.conf line 8: 'in' is set twice (first at line 5)");
  EXPECT_EQ(ErrorOf(footfall + "decimal = ,\n"),
            "mapping counters.conf line 7: 'decimal' is a setting: put it before [columns]");
  EXPECT_EQ(ErrorOf("type = footfall\ndate_format = %d/%m/%y\n"),
            "mapping counters.conf line 2: unknown directive %y in date_format (known: %Y %m %d "
            "%H %M %S, or iso)");
  EXPECT_EQ(ErrorOf("type = footfall\ndate_format = %H:%M\n"),
            "mapping counters.conf line 2: date_format needs %Y, %m and %d (it has no %Y)");
  EXPECT_EQ(ErrorOf("[columns]\nts = T\n"),
            "mapping counters.conf line 2: set type = (footfall, sale, return, stock, order, "
            "feedback, customer_link) before [columns]");
  EXPECT_EQ(ErrorOf(footfall),
            "mapping counters.conf: a footfall mapping needs 'period_s' (under [columns] or "
            "[constants])");
  EXPECT_EQ(ErrorOf(footfall + "[constants]\nperiod_s = 15 min\n"),
            "mapping counters.conf line 8: 'period_s' must be a whole number, not \"15 min\"");
  EXPECT_EQ(ErrorOf("type = footfall\n[constants]\nts = 2026-12-04\n"),
            "mapping counters.conf line 3: 'ts' must come from a column, not a constant");
  EXPECT_EQ(ErrorOf("type = footfall\nheader = no\n[columns]\nts = Date\n"),
            "mapping counters.conf line 4: with header = no a column is named by its number "
            "from 1, not \"Date\"");
  EXPECT_EQ(ErrorOf("type = stock\nts = T\n"),
            "mapping counters.conf line 2: unknown setting 'ts' (settings: type, delimiter, "
            "header, decimal, date_format, money, id; event fields go under [columns] or "
            "[constants])");
  EXPECT_EQ(ErrorOf("type = footfall\n[columns]\nsku = S\n"),
            "mapping counters.conf line 3: unknown field 'sku' (a footfall mapping has: ts, "
            "sensor, period_s, in, out)");
  EXPECT_EQ(ErrorOf("type = footfall\nheader =\n"),
            "mapping counters.conf line 2: no value for 'header'");
}

TEST(CsvMappingTest, SalesNeedTheirMoneyUnitAndIdsOfWholeEvents) {
  const std::string sale = "[columns]\nts = T\ntxn = N\nsku = S\nqty = Q\nunit_price = P\n";
  EXPECT_EQ(ErrorOf("type = sale\n" + sale),
            "mapping counters.conf: a sale mapping needs money = major (amounts like 12.50) or "
            "money = minor (amounts already in cents, like 1250)");
  EXPECT_EQ(ErrorOf("type = sale\nmoney = cents\n" + sale),
            "mapping counters.conf line 2: money must be major (12.50) or minor (1250), not "
            "\"cents\"");
  EXPECT_EQ(ErrorOf("type = sale\nmoney = minor\nid = txn, sku\n" + sale),
            "mapping counters.conf line 3: id field 'sku' is a line item: a sale's id is made of "
            "the fields of the whole sale");
  EXPECT_EQ(ErrorOf("type = sale\nmoney = minor\nid = txn, till\n" + sale),
            "mapping counters.conf line 3: id field 'till' is not mapped (under [columns] or "
            "[constants])");
  auto mapping = ParseCsvMapping("type = sale\nmoney = minor\n" + sale, "s.conf", "s");
  ASSERT_TRUE(mapping.ok()) << mapping.status().message();
  EXPECT_EQ(mapping->id_fields, std::vector<std::string>{"txn"});  // till too when mapped
  EXPECT_EQ(mapping->money, MoneyUnit::kMinor);

  EXPECT_EQ(ErrorOf("type = stock\n[columns]\nts = T\nsku = S\nkind = K\nqty = Q\n"),
            "mapping counters.conf: a stock mapping needs id = the fields that tell one row from "
            "another (e.g. id = sku, kind, ts), so that a re-import is a duplicate");
}

TEST(CsvMappingTest, AMissingFileIsNotFound) {
  auto mapping = LoadCsvMapping(FixturePath("csv/no-such.conf"));
  EXPECT_EQ(mapping.status().code(), common::StatusCode::kNotFound);
}

TEST(DateFormatTest, ReadsPatternsAsLocalTimes) {
  const common::TimeZone& paris = csv_test::Paris();
  auto format = DateFormat::Parse("%d/%m/%Y %H:%M");
  ASSERT_TRUE(format.ok());
  EXPECT_EQ(*format->ToUtcMs("04/12/2026 10:15", paris), ParisDec4(10, 15));
  EXPECT_EQ(*format->ToUtcMs("4/12/2026 9:05", paris), ParisDec4(9, 5));
  EXPECT_EQ(format->ToUtcMs("2026-12-04 10:15", paris).status().message(),
            "\"2026-12-04 10:15\" does not match date_format \"%d/%m/%Y %H:%M\"");
  EXPECT_EQ(format->ToUtcMs("31/02/2026 10:15", paris).status().message(),
            "no such date: \"31/02/2026 10:15\"");
  EXPECT_FALSE(format->ToUtcMs("04/12/2026 24:00", paris).ok());
  EXPECT_FALSE(format->ToUtcMs("04/12/2026 10:15:00", paris).ok());  // text left over

  auto date_only = DateFormat::Parse("%Y%m%d");
  ASSERT_TRUE(date_only.ok());
  EXPECT_EQ(*date_only->ToUtcMs("20261204", paris), ParisDec4(0, 0));
  auto percent = DateFormat::Parse("%Y-%m-%d%%%H");
  ASSERT_TRUE(percent.ok());
  EXPECT_EQ(*percent->ToUtcMs("2026-12-04%10", paris), ParisDec4(10, 0));

  auto iso = DateFormat::Parse("iso");
  ASSERT_TRUE(iso.ok());
  EXPECT_EQ(*iso->ToUtcMs("2026-12-04T10:15:00+01:00", paris), ParisDec4(10, 15));
  EXPECT_EQ(*iso->ToUtcMs("2026-12-04 10:15", paris), ParisDec4(10, 15));
  EXPECT_FALSE(DateFormat::Parse("%d/%m/%Y %H:%M %H").ok());
  EXPECT_FALSE(DateFormat::Parse("%Y-%m-%d %").ok());
}

}  // namespace
}  // namespace storepulse::edge
