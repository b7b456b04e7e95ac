// The odoo connector: pos.order JSON read from Odoo's database and sent by the POS, against
// hand-computed events (percentage discounts rounded once, refunds, orders mixing both), and
// through the real edge against the KPIs.
#include "edge/connectors/odoo_connector.h"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "common/time_zone.h"
#include "tests/connectors/connector_test_util.h"
#include "tests/support/nodes.h"
#include "tests/support/temp_dir.h"

namespace storepulse::edge {
namespace {

using nlohmann::json;

std::string Fixture(const std::string& name) { return test_util::Fixture("odoo/" + name); }

class OdooConnectorTest : public ::testing::Test {
 protected:
  // Maps `body`, then keeps the state as ConnectorIngest does once the events are stored.
  ConnectorOutput Map(const std::string& body) {
    ConnectorRequest request;
    request.body = body;
    request.store = "S1";
    request.zone = &zone_;
    request.money_digits = 2;
    request.state = [this](const std::string& key) -> std::optional<std::string> {
      auto it = state_.find(key);
      if (it == state_.end()) return std::nullopt;
      return it->second;
    };
    auto out = connector_.Map(request);
    EXPECT_TRUE(out.ok()) << out.status().message();
    if (!out.ok()) return {};
    for (const auto& [key, value] : out->state) state_[key] = value;
    return *out;
  }
  // An order of one line, in the shape read from Odoo's database.
  static std::string OneLine(const std::string& line) {
    return R"({"pos_reference": "Order 00042-003-0099", "date_order": "2026-12-04 10:00:00",
               "lines": [)" +
           line + "]}";
  }

  common::TimeZone zone_ = *common::TimeZone::Load("Europe/Paris");
  OdooConnector connector_;
  std::map<std::string, std::string> state_;
};

TEST_F(OdooConnectorTest, OrdersReadFromOdooMapWithPercentageDiscountsRoundedOnce) {
  ConnectorOutput out = Map(Fixture("orders_read.json"));
  ASSERT_EQ(out.events.size(), 1u);
  // date_order is UTC without an offset: 09:12:45Z, not 09:12:45 in Paris.
  // 3 × 9.99 at 15 %: 25.4745 → 25.47, discount 29.97 − 25.47 = 4.50; 2.50 at 15 %: 2.125 →
  // 2.13 (half away from zero), discount 0.37; 2 paper bags without a reference at 0.10.
  EXPECT_EQ(out.events[0].event(), json::parse(R"({
    "id": "odoo:order:00042-003-0017", "type": "sale", "ts": 1796375565000,
    "txn": "00042-003-0017", "channel": "store", "till": "3", "employee": "5", "customer": "7",
    "lines": [
      {"sku": "FURN_0269", "qty": 3, "unit_price": 999, "discount": 450},
      {"sku": "DESK_0001", "qty": 1, "unit_price": 250, "discount": 37},
      {"sku": "odoo-product-88", "qty": 2, "unit_price": 10, "discount": 0}]})"));
  EXPECT_EQ(out.events[0].record, 0u);
  ASSERT_EQ(out.skipped.size(), 1u);
  EXPECT_EQ(out.skipped[0].record, 1u);
  EXPECT_EQ(out.skipped[0].source, "order 00042-003-0018");
  EXPECT_EQ(out.skipped[0].reason, "cancelled order");
  EXPECT_EQ(state_, (std::map<std::string, std::string>{{"line:101", "00042-003-0017"},
                                                        {"line:102", "00042-003-0017"},
                                                        {"line:103", "00042-003-0017"}}));
}

TEST_F(OdooConnectorTest, PosJsonWithAWeighedLineAndAGlobalDiscountLine) {
  ConnectorOutput out = Map(Fixture("order_from_pos.json"));
  ASSERT_EQ(out.events.size(), 1u) << (out.rejected.empty() ? "" : out.rejected[0].reason);
  // 0.535 kg at 12.99 = 6.95, one unit; the −5.00 discount line spread over 45.00 and 6.95:
  // 433.1… and 66.89… → 4.33 and 0.67.
  EXPECT_EQ(out.events[0].event(), json::parse(R"({
    "id": "odoo:order:00042-003-0019", "type": "sale", "ts": 1796401800000,
    "txn": "00042-003-0019", "channel": "store", "employee": "5",
    "lines": [
      {"sku": "odoo-product-77", "qty": 1, "unit_price": 4500, "discount": 433},
      {"sku": "odoo-product-78", "qty": 1, "unit_price": 695, "discount": 67}]})"));
  EXPECT_TRUE(state_.empty());  // the POS's own line ids are not the database's
}

TEST_F(OdooConnectorTest, OrderMixingRefundAndSaleLinesIsAReturnOfTheRefundedOrderAndASale) {
  Map(Fixture("orders_read.json"));
  ConnectorOutput out = Map(Fixture("refund_read.json"));
  ASSERT_EQ(out.events.size(), 2u);
  EXPECT_EQ(out.events[0].event(), json::parse(R"({
    "id": "odoo:order:00043-001-0002", "type": "sale", "ts": 1796406310000,
    "txn": "00043-001-0002", "channel": "store", "till": "3", "employee": "2", "customer": "7",
    "lines": [{"sku": "MUG_0002", "qty": 1, "unit_price": 420, "discount": 0}]})"));
  // −1 × 9.99 at 15 %: 8.4915 → 8.49, discount 1.50.
  EXPECT_EQ(out.events[1].event(), json::parse(R"({
    "id": "odoo:order:00043-001-0002:return", "type": "return", "ts": 1796406310000,
    "txn": "00043-001-0002", "original_txn": "00042-003-0017", "original_channel": "store",
    "restock": true, "till": "3", "employee": "2", "customer": "7",
    "lines": [{"sku": "FURN_0269", "qty": 1, "unit_price": 999, "discount": 150}]})"));
}

TEST_F(OdooConnectorTest, RefundOfAnOrderNeverSeenHasNoOriginalTxn) {
  ConnectorOutput out = Map(Fixture("refund_read.json"));
  ASSERT_EQ(out.events.size(), 2u);
  EXPECT_FALSE(out.events[1].event().contains("original_txn"));
  // The order and its refund in one request: the refund still finds its order.
  json both = json::parse(Fixture("orders_read.json"));
  both.push_back(json::parse(Fixture("refund_read.json")));
  state_.clear();
  out = Map(both.dump());
  ASSERT_EQ(out.events.size(), 3u);
  EXPECT_EQ(out.events[2].event()["original_txn"], "00042-003-0017");
}

TEST_F(OdooConnectorTest, AJsonRpcAnswerIsTakenAsItComes) {
  json answer = {
      {"jsonrpc", "2.0"}, {"id", 1}, {"result", json::parse(Fixture("orders_read.json"))}};
  ConnectorOutput out = Map(answer.dump());
  ASSERT_EQ(out.events.size(), 1u);
  EXPECT_EQ(out.events[0].event()["id"], "odoo:order:00042-003-0017");
  ConnectorRequest request;
  request.body = R"({"jsonrpc": "2.0", "id": 1, "error": {"message": "Access Denied"}})";
  EXPECT_EQ(connector_.Map(request).status().code(), common::StatusCode::kInvalidArgument);
}

TEST_F(OdooConnectorTest, OneOrderInEveryShapeHasOneId) {
  json read = json::parse(R"({"pos_reference": "Order 00042-003-0019",
    "date_order": "2026-12-04 16:30:00", "lines": [{"product_id": [77, "Wool blanket"],
    "qty": 1.0, "price_unit": 45.0, "discount": 0.0}]})");
  json pos = json::parse(Fixture("order_from_pos.json"))[0]["data"];  // unwrapped
  EXPECT_EQ(Map(read.dump()).events[0].event()["id"], "odoo:order:00042-003-0019");
  EXPECT_EQ(Map(pos.dump()).events[0].event()["id"], "odoo:order:00042-003-0019");
  EXPECT_EQ(Map(read.dump()).events[0].event()["ts"], Map(pos.dump()).events[0].event()["ts"]);
}

TEST_F(OdooConnectorTest, WhatCannotBeMappedIsRejectedWithItsReason) {
  auto reason = [&](const std::string& body) {
    ConnectorOutput out = Map(body);
    EXPECT_TRUE(out.events.empty()) << body;
    return out.rejected.empty() ? std::string() : out.rejected[0].reason;
  };
  EXPECT_EQ(reason(OneLine(R"({"product_id": 7, "qty": 1, "price_unit": 9.995})")),
            "lines[0].price_unit: \"9.995\" has more than 2 decimal places (the currency's "
            "minor unit)");
  EXPECT_EQ(reason(OneLine(R"({"product_id": 7, "qty": 1, "price_unit": 9.99,
                               "discount": 120})")),
            "lines[0]: a discount percentage outside 0 … 100");
  EXPECT_EQ(reason(OneLine(R"({"qty": 1, "price_unit": 9.99})")), "lines[0] has no product_id");
  EXPECT_EQ(reason(OneLine(R"({"product_id": 7, "price_unit": 9.99})")), "lines[0] has no qty");
  EXPECT_EQ(reason(OneLine("12, 13")),
            "lines[0] is not a line's fields (an object, or [0, 0, {…}]): send the lines' fields "
            "with the order, not their ids");
  EXPECT_EQ(reason(OneLine(R"({"product_id": 7, "qty": 1, "price_unit": -1})")),
            "the negative-price lines of the sale take off more than its lines are worth");
  EXPECT_EQ(reason(R"({"date_order": "2026-12-04 10:00:00", "lines": []})"),
            "no pos_reference, uid nor name");
  EXPECT_EQ(Map("[1]").rejected[0].reason, "not a pos.order object");
  EXPECT_EQ(Map(OneLine("")).skipped[0].reason, "no line with a quantity");
  ConnectorRequest request;
  request.body = "<xml/>";
  EXPECT_EQ(connector_.Map(request).status().code(), common::StatusCode::kInvalidArgument);
}

json DayTotals(int port) {
  auto kpi = test_support::GetJson(port, "/api/v1/kpi?from=2026-12-04&to=2026-12-05");
  EXPECT_TRUE(kpi.has_value());
  if (!kpi || (*kpi)["rows"].empty()) return json::object();
  return (*kpi)["rows"][0];
}

TEST(OdooEdgeTest, OrdersAndARefundThroughTheRealEdgeGiveTheHandComputedKpis) {
  test_support::TempDir dir;
  test_support::EdgeNode edge({"S1", "Europe/Paris", dir.File("edge"), {}});
  ASSERT_TRUE(edge.Start());
  const int port = edge.http_port();
  for (const char* name : {"orders_read.json", "order_from_pos.json", "refund_read.json"}) {
    auto reply = test_support::PostBody(port, "/api/v1/connectors/odoo", Fixture(name));
    ASSERT_TRUE(reply.has_value());
    EXPECT_EQ(reply->status, 200) << name << ": " << reply->body.dump();
  }
  // The export sent again (re-exported the next morning, say): duplicates only.
  auto again = test_support::PostBody(port, "/api/v1/connectors/odoo", Fixture("orders_read.json"));
  ASSERT_TRUE(again.has_value());
  EXPECT_EQ(again->body["accepted"], 0);
  EXPECT_EQ(again->body["duplicates"], 1);
  EXPECT_EQ(again->body["skipped"].size(), 1u);  // the cancelled order

  json day = DayTotals(port);
  // 25.47 + 2.13 + 0.20 = 27.80; 45.00 + 6.95 − 5.00 = 46.95; the mug of the refund order 4.20.
  EXPECT_EQ(day["gross_sales"], 2780 + 4695 + 420);
  EXPECT_EQ(day["transactions"], 3);
  EXPECT_EQ(day["returns_value"], 849);  // one cushion at 9.99 less 15 %
  EXPECT_EQ(edge.Stop(), 0) << edge.Log();
}

}  // namespace
}  // namespace storepulse::edge
