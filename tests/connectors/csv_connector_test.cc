// The csv connector: exports mapped by mapping files to events computed by hand, and the real
// edge started with --csv-mapping — its KPIs, re-imports as duplicates, a bad mapping stopping it.
#include "edge/connectors/csv_connector.h"

#include <gtest/gtest.h>

#include "tests/connectors/csv_test_support.h"
#include "tests/support/nodes.h"
#include "tests/support/process.h"
#include "tests/support/temp_dir.h"

namespace storepulse::edge {
namespace {

using csv_test::FixturePath;
using csv_test::ParisDec4;
using csv_test::ReadFixture;
using csv_test::RequestFor;
using nlohmann::json;

std::unique_ptr<CsvConnector> ConnectorFor(const std::vector<std::string>& fixtures) {
  std::vector<std::string> files;
  for (const std::string& name : fixtures) files.push_back(FixturePath(name));
  auto connector = CsvConnector::Create(files);
  EXPECT_TRUE(connector.ok()) << connector.status().message();
  return connector.ok() ? std::move(connector).value() : nullptr;
}

std::unique_ptr<CsvConnector> ConnectorFromText(const std::string& text) {
  auto mapping = ParseCsvMapping(text, "m.conf", "m");
  EXPECT_TRUE(mapping.ok()) << mapping.status().message();
  auto connector = CsvConnector::FromMappings({*mapping});
  EXPECT_TRUE(connector.ok());
  return std::move(connector).value();
}

std::vector<json> Events(const ConnectorOutput& output) {
  std::vector<json> events;
  for (const MappedEvent& mapped : output.events) events.push_back(mapped.event());
  return events;
}

json Footfall(const std::string& id, int64_t ts, const std::string& sensor, int in, int out) {
  return {{"id", id},        {"type", "footfall"}, {"ts", ts},  {"sensor", sensor},
          {"period_s", 900}, {"in", in},           {"out", out}};
}

TEST(CsvConnectorTest, MapsASemicolonExportWithDecimalCommasAndDayMonthYearDates) {
  auto connector = ConnectorFor({"csv/door_counts.conf"});
  const std::string body = ReadFixture("csv/door_counts.csv");
  auto output = connector->Map(RequestFor(body));
  ASSERT_TRUE(output.ok()) << output.status().message();
  EXPECT_TRUE(output->rejected.empty()) << output->rejected[0].reason;
  // Ids: the mapping's name, then its id fields (sensor, ts in UTC); "/" joins them.
  const std::vector<json> expected = {
      Footfall("csv:door_counts:Nord/2026-12-04T09%3A00%3A00.000Z", ParisDec4(10, 0), "Nord", 12,
               10),
      Footfall("csv:door_counts:Sud/2026-12-04T09%3A00%3A00.000Z", ParisDec4(10, 0), "Sud", 4, 3),
      Footfall("csv:door_counts:Nord/2026-12-04T09%3A15%3A00.000Z", ParisDec4(10, 15), "Nord", 8,
               9),  // "8,0"
      Footfall("csv:door_counts:Sud/2026-12-04T09%3A15%3A00.000Z", ParisDec4(10, 15), "Sud", 5,
               5)};  // "4/12/2026"
  EXPECT_EQ(Events(*output), expected);
  EXPECT_EQ(output->events[3].source, "line 5 (sensor Sud)");
  EXPECT_EQ(output->events[3].record, 3u);
}

TEST(CsvConnectorTest, MapsASalesExportInMajorUnitsToExactMinorUnits) {
  auto connector = ConnectorFor({"csv/till_sales.conf"});
  const std::string body = ReadFixture("csv/till_sales.csv");
  auto output = connector->Map(RequestFor(body));
  ASSERT_TRUE(output.ok()) << output.status().message();
  EXPECT_TRUE(output->rejected.empty()) << output->rejected[0].reason;
  // Sale 1's second line was scanned later: the sale's time is its first line's.
  const int64_t t1 = ParisDec4(10, 5) + 12'000, t2 = ParisDec4(10, 20) + 40'000;
  const std::vector<json> expected = {
      {{"id", "csv:till_sales:1/1001"},
       {"type", "sale"},
       {"ts", t1},
       {"txn", "1001"},
       {"till", "1"},
       {"employee", "anna"},
       {"channel", "store"},
       {"lines",
        {{{"sku", "SKU-1"}, {"qty", 2}, {"unit_price", 1250}, {"discount", 0}},
         {{"sku", "SKU-2"}, {"qty", 1}, {"unit_price", 399}, {"discount", 49}}}}},
      {{"id", "csv:till_sales:1/1002"},
       {"type", "sale"},
       {"ts", t2},
       {"txn", "1002"},
       {"till", "1"},
       {"employee", "ben"},
       {"channel", "store"},
       {"lines", {{{"sku", "SKU-3"}, {"qty", 1}, {"unit_price", 1999}}}}},  // no discount
      {{"id", "csv:till_sales:2/1001"},
       {"type", "sale"},
       {"ts", ParisDec4(11, 2)},
       {"txn", "1001"},
       {"till", "2"},
       {"employee", "carla"},
       {"channel", "store"},
       {"lines", {{{"sku", "SKU-1"}, {"qty", 3}, {"unit_price", 1250}, {"discount", 250}}}}}};
  EXPECT_EQ(Events(*output), expected);
  EXPECT_EQ(output->events[0].source, "lines 2-3 (till 1, txn 1001)");
  EXPECT_EQ(output->events[2].record, 3u);

  // The same export in a currency without minor units (--currency-digits 0): "12,50" would need
  // rounding, so those rows are rejected rather than rounded.
  ConnectorRequest yen = RequestFor(body);
  yen.money_digits = 0;
  auto in_yen = connector->Map(yen);
  ASSERT_TRUE(in_yen.ok());
  ASSERT_EQ(in_yen->rejected.size(), 3u);
  EXPECT_EQ(
      in_yen->rejected[0].reason,
      "line 2: 'unit_price' (column \"Preis\"): \"12,50\" has more than 0 decimal places (the "
      "currency's minor unit)");
}

TEST(CsvConnectorTest, TakesMinorUnitsAsTheyAreAndConstantsForEveryRow) {
  auto connector = ConnectorFromText(
      "type = sale\nmoney = minor\nheader = no\n[columns]\nts = 1\ntxn = 2\nsku = 3\nqty = 4\n"
      "unit_price = 5\n[constants]\nchannel = web\n");
  auto output = connector->Map(RequestFor("2026-12-04T10:00:00+01:00,A7,SKU-9,2,1250\n"));
  ASSERT_TRUE(output.ok()) << output.status().message();
  const json expected = {
      {"id", "csv:m:A7"},       {"type", "sale"},
      {"ts", ParisDec4(10, 0)}, {"txn", "A7"},
      {"channel", "web"},       {"lines", {{{"sku", "SKU-9"}, {"qty", 2}, {"unit_price", 1250}}}}};
  ASSERT_EQ(output->events.size(), 1u);
  EXPECT_EQ(output->events[0].event(), expected);
}

TEST(CsvConnectorTest, MapsACrmExportOfLinkedIdsToCustomerLinks) {
  auto connector = ConnectorFromText(
      "type = customer_link\nid = customer, alias\n[columns]\nts = when\ncustomer = card\n"
      "alias = email\n");
  auto output = connector->Map(
      RequestFor("when,card,email\n2026-12-04T10:00:00+01:00,C-1,ann@example.com\n"));
  ASSERT_TRUE(output.ok()) << output.status().message();
  EXPECT_TRUE(output->rejected.empty());
  const json expected = {{"id", "csv:m:C-1/ann@example.com"},
                         {"type", "customer_link"},
                         {"ts", ParisDec4(10, 0)},
                         {"customer", "C-1"},
                         {"alias", "ann@example.com"}};
  ASSERT_EQ(output->events.size(), 1u);
  EXPECT_EQ(output->events[0].event(), expected);
}

TEST(CsvConnectorTest, ABadRowRejectsItsWholeSaleWithTheLineAndTheOthersAreMapped) {
  auto connector = ConnectorFor({"csv/till_sales.conf"});
  auto output = connector->Map(RequestFor(
      "Datum;Kasse;Bon;Verkäufer;Artikel;Menge;Preis;Rabatt\n"
      "2026-12-04 10:05:12;1;1001;anna;SKU-1;2;12,50;0\n"
      "2026-12-04 10:05:12;1;1001;anna;SKU-2;zwei;3,99;0\n"  // line 3: qty
      "2026-12-04 10:20:40;1;1002;ben;SKU-3;1;19,99;\n"
      "2026-12-04 10:31:00;1;1003;ben;SKU-3;1;19,99;\n"
      "2026-12-04 10:31:00;1;1003;anna;SKU-4;1;1,00;\n"  // line 6: another employee
      "2026-12-04 10:40:00;1;1004;ben;SKU-1;1;12,50\n"   // line 7: a cell short
      "2026-12-04 10:50:00;2;1005;carla;SKU-1;1;12,50;\n"
      "2026-12-04 10:51:00;2;1006;carla;SKU-1;1;12,50;\n"
      "2026-12-04 10:50:00;2;1005;carla;SKU-2;1;3,99;\n"));  // line 10: 1005 again, apart
  ASSERT_TRUE(output.ok()) << output.status().message();
  ASSERT_EQ(output->events.size(), 2u);
  EXPECT_EQ(output->events[0].event()["txn"], "1002");
  EXPECT_EQ(output->events[1].event()["txn"], "1006");
  ASSERT_EQ(output->rejected.size(), 5u);
  EXPECT_EQ(output->rejected[0].record, 0u);
  EXPECT_EQ(output->rejected[0].source, "lines 2-3 (till 1, txn 1001)");
  EXPECT_EQ(output->rejected[0].reason,
            "line 3: 'qty' (column \"Menge\"): \"zwei\" is not a whole number");
  EXPECT_EQ(output->rejected[1].source, "lines 5-6 (till 1, txn 1003)");
  EXPECT_EQ(output->rejected[1].reason,
            "line 6 has another employee than line 5 (till 1, txn 1003)");
  EXPECT_EQ(output->rejected[2].source, "line 7 (till 1, txn 1004)");
  EXPECT_EQ(output->rejected[2].reason, "the row has 7 cells, the header 8");
  EXPECT_EQ(output->rejected[3].source, "line 8 (till 2, txn 1005)");
  EXPECT_EQ(output->rejected[3].reason,
            "line 10 is of the same sale (till 2, txn 1005): the rows of one sale must follow each "
            "other");
  EXPECT_EQ(output->rejected[4].source, "line 10 (till 2, txn 1005)");
}

TEST(CsvConnectorTest, ARepeatedFootfallRowIsRejectedAndAReImportHasTheSameIds) {
  auto connector = ConnectorFor({"csv/door_counts.conf"});
  const std::string body = ReadFixture("csv/door_counts.csv");
  auto output = connector->Map(RequestFor(body + "04/12/2026 10:00;Nord;13;10;0,77\n"));
  ASSERT_TRUE(output.ok()) << output.status().message();
  ASSERT_EQ(output->rejected.size(), 1u);
  EXPECT_EQ(output->rejected[0].source, "line 6 (sensor Nord)");
  EXPECT_EQ(output->rejected[0].reason, "repeats line 2 (the same id fields)");
  auto again = connector->Map(RequestFor(body));
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(Events(*again), Events(*output));  // the same ids
}

TEST(CsvConnectorTest, AHeaderWithoutAMappedColumnRefusesTheRequest) {
  auto connector = ConnectorFor({"csv/door_counts.conf"});
  auto output = connector->Map(RequestFor("Date;Porte;Entrees;Sorties\n04/12/2026 10:00;N;1;1\n"));
  ASSERT_FALSE(output.ok());
  EXPECT_EQ(output.status().code(), common::StatusCode::kInvalidArgument);
  EXPECT_EQ(output.status().message(),
            "the CSV header has no column \"Entrées\" (found: Date,Porte,Entrees,Sorties); "
            "mapping door_counts reads it");
}

TEST(CsvConnectorTest, ARequestNamesItsMappingUnlessThereIsOnlyOne) {
  auto none = CsvConnector::Create({});
  ASSERT_TRUE(none.ok());
  EXPECT_EQ((*none)->Map(RequestFor("a\n1\n")).status().message(),
            "no CSV mapping is configured: start the edge with --csv-mapping FILE "
            "(docs/CONNECTORS.md#csv)");

  auto two = ConnectorFor({"csv/door_counts.conf", "csv/till_sales.conf"});
  const std::string body = ReadFixture("csv/door_counts.csv");
  ConnectorRequest request = RequestFor(body);
  EXPECT_EQ(two->Map(request).status().message(),
            "say which CSV mapping: ?mapping=NAME (configured: door_counts, till_sales)");
  request.params["mapping"] = "doors";
  EXPECT_EQ(two->Map(request).status().message(),
            "no CSV mapping named \"doors\" (configured: door_counts, till_sales)");
  request.params["mapping"] = "door_counts";
  auto output = two->Map(request);
  ASSERT_TRUE(output.ok()) << output.status().message();
  EXPECT_EQ(output->events.size(), 4u);

  auto same_name = CsvConnector::Create(
      {FixturePath("csv/door_counts.conf"), FixturePath("csv/door_counts.conf")});
  EXPECT_FALSE(same_name.ok());
}

// The real edge with both mappings: the KPIs are the hand computation's, and a re-import
// changes nothing.
TEST(CsvConnectorTest, TheEdgeCountsMappedExportsOnce) {
  test_support::TempDir dir;
  test_support::EdgeNode edge(
      {.data_dir = dir.path() + "/edge",
       .extra_args = {"--csv-mapping", FixturePath("csv/door_counts.conf"), "--csv-mapping",
                      FixturePath("csv/till_sales.conf")}});
  ASSERT_TRUE(edge.Start());
  for (int round = 0; round < 2; ++round) {
    auto doors =
        test_support::PostBody(edge.http_port(), "/api/v1/connectors/csv?mapping=door_counts",
                               ReadFixture("csv/door_counts.csv"));
    auto sales =
        test_support::PostBody(edge.http_port(), "/api/v1/connectors/csv?mapping=till_sales",
                               ReadFixture("csv/till_sales.csv"));
    ASSERT_TRUE(doors.has_value() && sales.has_value());
    EXPECT_EQ(doors->status, 200) << doors->body.dump();
    EXPECT_EQ(doors->body["accepted"], round == 0 ? 4 : 0) << doors->body.dump();
    EXPECT_EQ(doors->body["duplicates"], round == 0 ? 0 : 4);
    EXPECT_EQ(sales->body["accepted"], round == 0 ? 3 : 0) << sales->body.dump();
    EXPECT_EQ(sales->body["duplicates"], round == 0 ? 0 : 3);

    auto kpi = test_support::GetJson(edge.http_port(), "/api/v1/kpi?from=2026-12-04&to=2026-12-05");
    ASSERT_TRUE(kpi.has_value());
    const json& day = (*kpi)["rows"][0];
    EXPECT_EQ(day["footfall"], 12 + 4 + 8 + 5) << kpi->dump();
    // 2 × 12.50 + 3.99 − 0.49; 19.99; 3 × 12.50 − 2.50.
    EXPECT_EQ(day["gross_sales"], 2850 + 1999 + 3500);
    EXPECT_EQ(day["transactions"], 3);
  }
  auto unknown =
      test_support::PostBody(edge.http_port(), "/api/v1/connectors/csv?mapping=x", "a\n");
  ASSERT_TRUE(unknown.has_value());
  EXPECT_EQ(unknown->status, 400);
  EXPECT_EQ(unknown->body["error"],
            "no CSV mapping named \"x\" (configured: door_counts, till_sales)");
}

// A bad mapping stops the edge at start, and --check-config says why, with the line.
TEST(CsvConnectorTest, AnEdgeWithABadMappingExitsWithTheLineNumberedError) {
  test_support::TempDir dir;
  const std::string bad = FixturePath("csv/bad/counters.conf");
  const std::string expected = "mapping " + bad + " line 4: unknown field 'sensr'";
  const std::vector<std::string> argv = {STOREPULSE_EDGE_BIN,
                                         "--store",
                                         "S1",
                                         "--timezone",
                                         "Europe/Paris",
                                         "--data-dir",
                                         dir.path() + "/edge",
                                         "--http-listen",
                                         "127.0.0.1:0",
                                         "--csv-mapping",
                                         bad};
  auto run = test_support::RunProcess(argv, std::chrono::seconds(20));
  ASSERT_TRUE(run.ok()) << run.status().message();
  EXPECT_FALSE(run->timed_out);
  EXPECT_NE(run->exit_status, 0);
  EXPECT_NE(run->err.find(expected), std::string::npos) << run->err;

  std::vector<std::string> check = argv;
  check.push_back("--check-config");
  auto checked = test_support::RunProcess(check, std::chrono::seconds(20));
  ASSERT_TRUE(checked.ok());
  EXPECT_NE(checked->exit_status, 0);
  EXPECT_NE((checked->err + checked->out).find(expected), std::string::npos)
      << checked->err << checked->out;
}

}  // namespace
}  // namespace storepulse::edge
