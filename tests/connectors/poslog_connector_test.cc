// The poslog connector: POSLog fixtures (tests/connectors/fixtures/poslog/, written here in the
// shape of ARTS POSLog exports) against events computed by hand, and the real edge answering
// POST /api/v1/connectors/poslog with KPIs computed by hand.
#include "edge/connectors/poslog_connector.h"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "tests/connectors/connector_test_util.h"
#include "tests/support/nodes.h"
#include "tests/support/temp_dir.h"

namespace storepulse::edge {
namespace {

using nlohmann::json;

std::string ReadFixture(const std::string& name) { return test_util::Fixture("poslog/" + name); }

bool StartsWith(const std::string& text, std::string_view prefix) {
  return text.compare(0, prefix.size(), prefix) == 0;
}

json Events(const ConnectorOutput& out) {
  json events = json::array();
  for (const MappedEvent& mapped : out.events) events.push_back(mapped.event());
  return events;
}

json Notes(const RecordNotes& notes) {
  json out = json::array();
  for (const RecordNote& n : notes) out.push_back({n.record, n.source, n.reason});
  return out;
}

// One transaction of till 3 holding `lines` (LineItem elements), for the small cases.
std::string OneTransaction(const std::string& lines, const std::string& store = "S1") {
  return "<POSLog><Transaction><RetailStoreID>" + store +
         "</RetailStoreID><WorkstationID>3</WorkstationID><SequenceNumber>2001</SequenceNumber>"
         "<BusinessDayDate>2026-12-04</BusinessDayDate>"
         "<EndDateTime>2026-12-04T13:00:00</EndDateTime><RetailTransaction>" +
         lines + "</RetailTransaction></Transaction></POSLog>";
}

class PoslogConnectorTest : public ::testing::Test {
 protected:
  common::StatusOr<ConnectorOutput> Map(std::string_view body,
                                        std::map<std::string, std::string> params = {}) {
    ConnectorRequest request;
    request.body = body;
    request.params = std::move(params);
    request.store = "S1";
    request.zone = &zone_;
    request.money_digits = 2;
    request.state = [](const std::string&) { return std::optional<std::string>(); };
    return connector_.Map(request);
  }
  ConnectorOutput MapFixture(const std::string& name) {
    const std::string body = ReadFixture(name);
    common::StatusOr<ConnectorOutput> out = Map(body);
    EXPECT_TRUE(out.ok()) << out.status().message();
    return out.ok() ? *out : ConnectorOutput();
  }

  common::TimeZone zone_ = *common::TimeZone::Load("Europe/Paris");  // UTC+1 in December
  PoslogConnector connector_;
};

TEST_F(PoslogConnectorTest, MapsABasketWithLineDiscountsAndLeavesTheVoidedLineOut) {
  ConnectorOutput out = MapFixture("basket.xml");
  // Line 1: 2 × 19.99 (regular) less its 4.00 modifier = 35.98; line 2: 5.50; line 3 voided;
  // line 4: 3 × 8.00 (a markdown without modifier: the actual price); line 5: 4 × 3.00 less
  // 0.50 + 0.25 = 11.25. 35.98 + 5.50 + 24.00 + 11.25 = 76.73, the till's own total.
  // 10:15:42 in Paris is 09:15:42Z = 1796375742000 ms.
  json expected = json::parse(R"js([{
    "id": "poslog:S1:3:2026-12-04:1042:sale", "type": "sale", "ts": 1796375742000,
    "txn": "1042", "till": "3", "channel": "store", "employee": "107", "customer": "C-5531",
    "lines": [{"sku": "4006381333931", "qty": 2, "unit_price": 1999, "discount": 400},
              {"sku": "5012345678900", "qty": 1, "unit_price": 550, "discount": 0},
              {"sku": "8712345000017", "qty": 3, "unit_price": 800, "discount": 0},
              {"sku": "3017620422003", "qty": 4, "unit_price": 300, "discount": 75}]}])js");
  EXPECT_EQ(Events(out), expected);
  ASSERT_EQ(out.events.size(), 1u);
  EXPECT_EQ(out.events[0].source, "transaction 1042 (till 3, 2026-12-04)");
  EXPECT_TRUE(out.rejected.empty());
  EXPECT_TRUE(out.skipped.empty());
}

TEST_F(PoslogConnectorTest, MapsAReturnWithItsOriginalTransactionReasonAndDisposal) {
  ConnectorOutput out = MapFixture("return.xml");
  // A namespace prefix throughout; "+01:00" kept: 15:30+01:00 = 14:30Z = 1796394600000 ms.
  // Line 1: 19.99 less 2.00, DEFECTIVE, written off → not restocked; line 2: 5.50, changed mind,
  // back to stock. Different reasons and disposals: two returns, both of sale 1042.
  json expected = json::parse(R"js([{
    "id": "poslog:S1:3:2026-12-04:1051:return", "type": "return", "ts": 1796394600000,
    "txn": "1051", "till": "3", "channel": "store", "employee": "112", "customer": "L-88",
    "original_txn": "1042", "reason": "defective", "restock": false,
    "lines": [{"sku": "4006381333931", "qty": 1, "unit_price": 1999, "discount": 200}]
  }, {
    "id": "poslog:S1:3:2026-12-04:1051:return:2", "type": "return", "ts": 1796394600000,
    "txn": "1051", "till": "3", "channel": "store", "employee": "112", "customer": "L-88",
    "original_txn": "1042", "reason": "Changed mind", "restock": true,
    "lines": [{"sku": "5012345678900", "qty": 1, "unit_price": 550, "discount": 0}]}])js");
  EXPECT_EQ(Events(out), expected);
}

TEST_F(PoslogConnectorTest, MapsAnExchangeToASaleAndAReturnWithDistinctIds) {
  ConnectorOutput out = MapFixture("exchange.xml");
  // No namespace, only a BeginDateTime: 16:05:10 in Paris = 15:05:10Z = 1796396710000 ms.
  json expected = json::parse(R"js([{
    "id": "poslog:S1:4:2026-12-04:1060:sale", "type": "sale", "ts": 1796396710000,
    "txn": "1060", "till": "4", "channel": "store", "employee": "107",
    "lines": [{"sku": "8712345000024", "qty": 1, "unit_price": 1000, "discount": 200}]
  }, {
    "id": "poslog:S1:4:2026-12-04:1060:return", "type": "return", "ts": 1796396710000,
    "txn": "1060", "till": "4", "channel": "store", "employee": "107",
    "original_txn": "1042", "reason": "WrongSize", "restock": true,
    "lines": [{"sku": "8712345000017", "qty": 1, "unit_price": 800, "discount": 0}]}])js");
  EXPECT_EQ(Events(out), expected);
  ASSERT_EQ(out.events.size(), 2u);
  EXPECT_EQ(out.events[0].record, 0u);
  EXPECT_EQ(out.events[1].record, 0u);
}

TEST_F(PoslogConnectorTest, SkipsVoidedCancelledTrainingAndNonRetailTransactionsSayingWhy) {
  ConnectorOutput out = MapFixture("skipped.xml");
  EXPECT_TRUE(out.events.empty());
  EXPECT_TRUE(out.rejected.empty());
  json expected = json::parse(R"js([
    [0, "transaction 1070 (till 3, 2026-12-04)", "cancelled transaction"],
    [1, "transaction 1071 (till 9, 2026-12-04)", "training mode"],
    [2, "transaction 1072 (till 3, 2026-12-04)", "not a retail transaction (ControlTransaction)"],
    [3, "transaction 1073 (till 3, 2026-12-04)", "voided transaction"],
    [4, "transaction 1074 (till 3, 2026-12-04)", "every line voided"]])js");
  EXPECT_EQ(Notes(out.skipped), expected);
}

TEST_F(PoslogConnectorTest, RejectsAFractionalQuantityNamingTheTransactionAndTheLine) {
  ConnectorOutput out = MapFixture("fractional.xml");
  EXPECT_TRUE(out.events.empty());  // the whole transaction: half a basket would be a wrong sale
  ASSERT_EQ(out.rejected.size(), 1u);
  EXPECT_EQ(out.rejected[0].record, 0u);
  EXPECT_EQ(out.rejected[0].source, "transaction 1080 (till 3, 2026-12-04)");
  EXPECT_EQ(out.rejected[0].reason,
            "line 2 (ItemID 2000001): Quantity \"0.750\" is not a whole number of units: "
            "storepulse lines take an integer qty >= 1 (SPEC §2), so a weighed or measured item "
            "cannot be mapped");
}

TEST_F(PoslogConnectorTest, MapsTheGoodTransactionOfAFileWhereTheOtherIsBad) {
  ConnectorOutput out = MapFixture("two_transactions.xml");
  json expected = json::parse(R"js([{
    "id": "poslog:S1:5:2026-12-04:1090:sale", "type": "sale", "ts": 1796402700000,
    "txn": "1090", "till": "5", "channel": "store", "employee": "115",
    "lines": [{"sku": "5012345678900", "qty": 2, "unit_price": 550, "discount": 0}]}])js");
  EXPECT_EQ(Events(out), expected);
  json rejected = json::parse(R"js([[1, "transaction 1091 (till 5, 2026-12-04)",
    "line 1 (ItemID 7622210449283): ActualSalesUnitPrice: not a decimal number: \"12,50\""]])js");
  EXPECT_EQ(Notes(out.rejected), rejected);
}

TEST_F(PoslogConnectorTest, RefusesATruncatedOrNonXmlBodyWhole) {
  const std::string basket = ReadFixture("basket.xml");
  common::StatusOr<ConnectorOutput> truncated = Map(basket.substr(0, basket.size() / 2));
  ASSERT_FALSE(truncated.ok());
  EXPECT_EQ(truncated.status().code(), common::StatusCode::kInvalidArgument);
  EXPECT_TRUE(StartsWith(truncated.status().message(), "not a whole XML document: "))
      << truncated.status().message();
  EXPECT_NE(truncated.status().message().find(" at byte "), std::string::npos);

  for (std::string_view body : {"", "sale,1042,19.99", "{\"POSLog\": []}"}) {
    common::StatusOr<ConnectorOutput> out = Map(body);
    ASSERT_FALSE(out.ok()) << body;
    EXPECT_EQ(out.status().code(), common::StatusCode::kInvalidArgument);
  }
  // Cut after a whole transaction, before </POSLog>: still not a document.
  common::StatusOr<ConnectorOutput> cut = Map(basket.substr(0, basket.rfind("</POSLog>")));
  ASSERT_FALSE(cut.ok());
  EXPECT_TRUE(StartsWith(cut.status().message(),
                         "not a whole XML document: Start-end tags mismatch at byte "))
      << cut.status().message();
  common::StatusOr<ConnectorOutput> two = Map(basket + basket);  // concatenated exports
  ASSERT_FALSE(two.ok());
  EXPECT_NE(two.status().message().find("a second root element <POSLog> at byte "),
            std::string::npos)
      << two.status().message();

  common::StatusOr<ConnectorOutput> other = Map("<Invoice><Transaction/></Invoice>");
  ASSERT_FALSE(other.ok());
  EXPECT_EQ(other.status().message(),
            "not a POSLog document: the root element is <Invoice>, not <POSLog>");
}

TEST_F(PoslogConnectorTest, RejectsWhatCannotBeMappedWithTheReason) {
  const std::string sale_line =
      "<LineItem><Sale><ItemID>1</ItemID><ActualSalesUnitPrice>2.00</ActualSalesUnitPrice>"
      "<Quantity>1</Quantity></Sale></LineItem>";
  struct Case {
    std::string body, reason;
  } cases[] = {
      {OneTransaction("<LineItem><Sale><ActualSalesUnitPrice>2.00</ActualSalesUnitPrice>"
                      "<Quantity>1</Quantity></Sale></LineItem>"),
       "line #1: no ItemID"},
      {OneTransaction("<LineItem><SequenceNumber>4</SequenceNumber><Sale><ItemID>1</ItemID>"
                      "<ActualSalesUnitPrice>2.005</ActualSalesUnitPrice><Quantity>1</Quantity>"
                      "</Sale></LineItem>"),
       "line 4 (ItemID 1): ActualSalesUnitPrice: \"2.005\" has more than 2 decimal places (the "
       "currency's minor unit)"},
      {OneTransaction("<LineItem><Return><ItemID>1</ItemID><ActualSalesUnitPrice>2.00"
                      "</ActualSalesUnitPrice><Quantity>-1</Quantity></Return></LineItem>"),
       "line #1 (ItemID 1): Quantity \"-1\" is not >= 1 (a Return states the units coming back "
       "as a positive quantity)"},
      {OneTransaction(sale_line + "<LineItem><Discount><Amount>1.00</Amount></Discount>"
                                  "</LineItem>"),
       "line #2: a transaction-level Discount is not spread over the lines here; have the till "
       "export it as each line's RetailPriceModifier"},
      {OneTransaction("<LineItem><Sale><ItemID>1</ItemID><RegularSalesUnitPrice>2.00"
                      "</RegularSalesUnitPrice><Quantity>1</Quantity><RetailPriceModifier>"
                      "<Amount Action=\"Add\">0.50</Amount></RetailPriceModifier></Sale>"
                      "</LineItem>"),
       "line #1 (ItemID 1): a RetailPriceModifier with Action \"Add\": only discounts "
       "(Subtract) map, a line's value cannot exceed qty x unit price"},
      {OneTransaction(sale_line, "216"),
       "RetailStoreID \"216\" is not this store (\"S1\"): another store's transaction; if the "
       "tills number this store so, post with ?retail_store=216"},
  };
  for (const Case& c : cases) {
    common::StatusOr<ConnectorOutput> out = Map(c.body);
    ASSERT_TRUE(out.ok()) << out.status().message();
    EXPECT_TRUE(out->events.empty()) << c.body;
    EXPECT_EQ(Notes(out->rejected),
              json::array({{0, "transaction 2001 (till 3, 2026-12-04)", c.reason}}));
  }
}

TEST_F(PoslogConnectorTest, TakesTheTillsNumberForThisStoreWhenNamed) {
  common::StatusOr<ConnectorOutput> out =
      Map(OneTransaction("<LineItem><Sale><ItemID>1</ItemID><ActualSalesUnitPrice>2.00"
                         "</ActualSalesUnitPrice><Quantity>1</Quantity></Sale></LineItem>",
                         "216"),
          {{"retail_store", "216"}});
  ASSERT_TRUE(out.ok());
  ASSERT_EQ(out->events.size(), 1u);
  EXPECT_EQ(out->events[0].event()["id"], "poslog:S1:3:2026-12-04:2001:sale");  // the edge's store
}

TEST_F(PoslogConnectorTest, IdsComeFromTheTillsNumberingNotFromThePositionInTheFile) {
  // The basket exported again in a day file behind other transactions keeps its id.
  const std::string basket = ReadFixture("basket.xml");
  const std::string skipped = ReadFixture("skipped.xml");
  const size_t open = basket.find("<Transaction ");
  const size_t close = basket.rfind("</POSLog>");
  std::string day = skipped;
  day.insert(day.rfind("</POSLog>"), basket.substr(open, close - open));
  common::StatusOr<ConnectorOutput> out = Map(day);
  ASSERT_TRUE(out.ok()) << out.status().message();
  ASSERT_EQ(out->events.size(), 1u);
  EXPECT_EQ(out->events[0].record, 5u);
  EXPECT_EQ(out->events[0].event(), MapFixture("basket.xml").events[0].event());
}

// The real edge: every fixture posted to /api/v1/connectors/poslog, then again.
TEST(PoslogEdgeTest, StoresOnceAndGivesTheHandComputedKpis) {
  test_support::TempDir dir;
  test_support::EdgeNode edge({"S1", "Europe/Paris", dir.File("edge"), {}});
  ASSERT_TRUE(edge.Start());
  struct Post {
    const char* fixture;
    int events, rejected, skipped;
  } posts[] = {{"basket.xml", 1, 0, 0},     {"return.xml", 2, 0, 0},
               {"exchange.xml", 2, 0, 0},   {"skipped.xml", 0, 0, 5},
               {"fractional.xml", 0, 1, 0}, {"two_transactions.xml", 1, 1, 0}};
  for (int round = 0; round < 2; ++round) {
    for (const Post& post : posts) {
      auto reply = test_support::PostBody(edge.http_port(), "/api/v1/connectors/poslog",
                                          ReadFixture(post.fixture));
      ASSERT_TRUE(reply) << post.fixture;
      ASSERT_EQ(reply->status, 200) << post.fixture << " " << reply->body.dump();
      EXPECT_EQ(reply->body["events"], post.events) << post.fixture;
      EXPECT_EQ(reply->body["accepted"], round == 0 ? post.events : 0) << post.fixture;
      EXPECT_EQ(reply->body["duplicates"], round == 0 ? 0 : post.events) << post.fixture;
      EXPECT_EQ(reply->body["rejected"].size(), static_cast<size_t>(post.rejected))
          << reply->body.dump();
      EXPECT_EQ(reply->body["skipped"].size(), static_cast<size_t>(post.skipped));
    }
  }
  auto truncated = test_support::PostBody(edge.http_port(), "/api/v1/connectors/poslog",
                                          ReadFixture("basket.xml").substr(0, 700));
  ASSERT_TRUE(truncated);
  EXPECT_EQ(truncated->status, 400);

  auto kpi = test_support::GetJson(edge.http_port(), "/api/v1/kpi?from=2026-12-04&to=2026-12-05");
  ASSERT_TRUE(kpi);
  const json& total = (*kpi)["rows"][0];
  // Sales: basket 76.73 (10 units), exchange 8.00 (1), till 5's 11.00 (2).
  EXPECT_EQ(total["gross_sales"], 7673 + 800 + 1100);
  EXPECT_EQ(total["transactions"], 3);
  EXPECT_EQ(total["units_sold"], 10 + 1 + 2);
  // Returns: 17.99 (defective) + 5.50, and the exchange's 8.00.
  EXPECT_EQ(total["returns_value"], 1799 + 550 + 800);
  EXPECT_EQ(total["units_returned"], 3);
  EXPECT_EQ(total["net_sales"], 9573 - 3149);
  EXPECT_EQ(edge.Stop(), 0) << edge.Log();
}

}  // namespace
}  // namespace storepulse::edge
