// The shopify connector: signed orders/create and refunds/create webhooks against hand-computed
// events, what is refused (401) and skipped, which orders an edge takes; and through the real edge,
// duplicates, 401s that store nothing, and the KPIs.
#include "edge/connectors/shopify_connector.h"

#include <gtest/gtest.h>
#include <httplib.h>

#include <fstream>
#include <sstream>

#include "common/time_zone.h"
#include "edge/connectors/shopify_signature.h"
#include "tests/connectors/connector_test_util.h"
#include "tests/support/nodes.h"
#include "tests/support/temp_dir.h"

namespace storepulse::edge {
namespace {

using nlohmann::json;

constexpr const char* kSecret = "shpss_0123456789abcdef";

std::string Fixture(const std::string& name) { return test_util::Fixture("shopify/" + name); }

class ShopifyConnectorTest : public ::testing::Test {
 protected:
  // Maps `body` as Shopify would send it: signed, with its topic (none when empty).
  common::StatusOr<ConnectorOutput> Send(const std::string& body, const std::string& topic,
                                         const ShopifyConnector* connector = nullptr) {
    ConnectorRequest request = Request(body, topic, connector);
    request.headers["x-shopify-hmac-sha256"] = ShopifySignature(kSecret, body);
    return Map(request, connector);
  }
  ConnectorRequest Request(const std::string& body, const std::string& topic,
                           const ShopifyConnector* connector = nullptr) {
    body_ = body;
    ConnectorRequest request;
    request.body = body_;
    if (!topic.empty()) request.headers["x-shopify-topic"] = topic;
    request.store = "S1";
    request.zone = &zone_;
    request.money_digits = 2;
    request.state = [this, connector](const std::string& key) -> std::optional<std::string> {
      const auto& kept = StateOf(connector);
      auto it = kept.find(key);
      if (it == kept.end()) return std::nullopt;
      return it->second;
    };
    return request;
  }
  // Maps, then keeps the state as ConnectorIngest would once the events are stored.
  common::StatusOr<ConnectorOutput> Map(const ConnectorRequest& request,
                                        const ShopifyConnector* connector) {
    auto out = (connector ? connector : &connector_)->Map(request);
    if (out.ok()) {
      for (const auto& [key, value] : out->state) StateOf(connector)[key] = value;
    }
    return out;
  }
  // What each connector kept (each stands for an edge of its own).
  std::map<std::string, std::string>& StateOf(const ShopifyConnector* connector) {
    return states_[connector ? connector : &connector_];
  }
  // The one event of a webhook.
  json Event(const std::string& body, const std::string& topic) {
    auto out = Send(body, topic);
    EXPECT_TRUE(out.ok()) << out.status().message();
    if (!out.ok()) return json();
    EXPECT_TRUE(out->rejected.empty()) << out->rejected[0].reason;
    EXPECT_TRUE(out->skipped.empty()) << out->skipped[0].reason;
    EXPECT_EQ(out->events.size(), 1u);
    return out->events.empty() ? json() : out->events[0].event();
  }

  common::TimeZone zone_ = *common::TimeZone::Load("Europe/Paris");
  ShopifyConnector connector_{kSecret, {}};
  std::map<const ShopifyConnector*, std::map<std::string, std::string>> states_;
  std::string body_;
};

TEST(ShopifySignatureTest, IsBase64OfHmacSha256OfTheRawBody) {
  // printf '{"id":1}' | openssl dgst -sha256 -hmac shpss_0123456789abcdef -binary | base64
  EXPECT_EQ(ShopifySignature(kSecret, R"({"id":1})"),
            "mVaTwgHeRFG9h7nunXf4I2RRT/RAupBuaK+zJ+BUAaA=");
  EXPECT_TRUE(VerifyShopifySignature(kSecret, R"({"id":1})",
                                     " mVaTwgHeRFG9h7nunXf4I2RRT/RAupBuaK+zJ+BUAaA=\t")
                  .ok());
  EXPECT_EQ(
      VerifyShopifySignature(kSecret, R"({"id":2})", "mVaTwgHeRFG9h7nunXf4I2RRT/RAupBuaK+zJ+BUAaA=")
          .code(),
      common::StatusCode::kPermissionDenied);
  EXPECT_FALSE(VerifyShopifySignature(kSecret, R"({"id":1})", "mVaTwgHe").ok());
  EXPECT_FALSE(VerifyShopifySignature(kSecret, R"({"id":1})", "").ok());
}

TEST_F(ShopifyConnectorTest, WebOrderIsAWebSaleWithItsDiscountAllocationsAndDecimalMoney) {
  json sale = Event(Fixture("order_web.json"), "orders/create");
  // 2 × 19.99 less 2.86 of the WINTER4 code; 15.99 less the other 1.14; a 0.10 line without SKU.
  EXPECT_EQ(sale, json::parse(R"({
    "id": "shopify:order:5830000000001", "type": "sale", "ts": 1796378537000,
    "txn": "5830000000001", "channel": "web", "customer": "7010000000042",
    "lines": [
      {"sku": "SCARF-RED", "qty": 2, "unit_price": 1999, "discount": 286},
      {"sku": "MUG-01", "qty": 1, "unit_price": 1599, "discount": 114},
      {"sku": "shopify-variant-41000000000103", "qty": 1, "unit_price": 10, "discount": 0}]})"));
  EXPECT_EQ(json::parse(StateOf(nullptr).at("order:5830000000001")),
            json({{"channel", "web"}, {"customer", "7010000000042"}}));
}

TEST_F(ShopifyConnectorTest, PosOrderIsAStoreSaleWithTillAndEmployeeAndItsDiscountCountedOnce) {
  json sale = Event(Fixture("order_pos.json"), "orders/create");
  // total_discount repeats the line's one allocation (3.75): counted once.
  EXPECT_EQ(sale, json::parse(R"({
    "id": "shopify:order:5830000000002", "type": "sale", "ts": 1796395269000,
    "txn": "5830000000002", "channel": "store", "till": "4400000003", "employee": "9100000007",
    "lines": [
      {"sku": "TEE-BLK-M", "qty": 3, "unit_price": 1250, "discount": 375},
      {"sku": "SOCKS-3P", "qty": 1, "unit_price": 900, "discount": 0}]})"));
}

TEST_F(ShopifyConnectorTest, RefundWithRestockIsAReturnOfItsOrderAtTheRefundedValue) {
  Event(Fixture("order_web.json"), "orders/create");
  json ret = Event(Fixture("refund_restock.json"), "refunds/create");
  // One scarf of 19.99, refunded 18.56 (its share of the code taken off): discount 1.43.
  EXPECT_EQ(ret, json::parse(R"({
    "id": "shopify:refund:9200000000001", "type": "return", "ts": 1796401200000,
    "txn": "9200000000001", "original_txn": "5830000000001", "original_channel": "web",
    "restock": true, "employee": "9100000007", "customer": "7010000000042",
    "lines": [{"sku": "SCARF-RED", "qty": 1, "unit_price": 1999, "discount": 143}]})"));
}

TEST_F(ShopifyConnectorTest, RefundWithoutRestockIsAReturnNotPutBackInStock) {
  Event(Fixture("order_pos.json"), "orders/create");
  json ret = Event(Fixture("refund_no_restock.json"), "refunds/create");
  EXPECT_EQ(ret, json::parse(R"({
    "id": "shopify:refund:9200000000002", "type": "return", "ts": 1796403930000,
    "txn": "9200000000002", "original_txn": "5830000000002", "original_channel": "store",
    "restock": false, "employee": "9100000007",
    "lines": [{"sku": "TEE-BLK-M", "qty": 1, "unit_price": 1250, "discount": 125}]})"));
}

TEST_F(ShopifyConnectorTest, RefundOfAnOrderNeverSeenIsTakenAsOfTheWebShop) {
  json ret = Event(Fixture("refund_no_restock.json"), "refunds/create");
  EXPECT_EQ(ret["original_channel"], "web");
  EXPECT_FALSE(ret.contains("customer"));
}

TEST_F(ShopifyConnectorTest, RefundMixingRestockedAndNotIsTwoReturnsWithDistinctIds) {
  json refund = json::parse(Fixture("refund_restock.json"));
  json kept = refund["refund_line_items"][0];
  kept["restock_type"] = "no_restock";
  kept["line_item"]["sku"] = "MUG-01";
  kept["line_item"]["price"] = "15.99";
  kept.erase("subtotal_set");
  kept["subtotal"] = 14.85;  // an older payload: the subtotal as a JSON number
  refund["refund_line_items"].push_back(kept);
  auto out = Send(refund.dump(), "refunds/create");
  ASSERT_TRUE(out.ok()) << out.status().message();
  ASSERT_EQ(out->events.size(), 2u);
  EXPECT_EQ(out->events[0].event()["id"], "shopify:refund:9200000000001:restock");
  EXPECT_EQ(out->events[0].event()["restock"], true);
  EXPECT_EQ(out->events[1].event()["id"], "shopify:refund:9200000000001:no-restock");
  EXPECT_EQ(out->events[1].event()["restock"], false);
  EXPECT_EQ(out->events[1].event()["lines"],
            json::parse(R"([{"sku": "MUG-01", "qty": 1, "unit_price": 1599, "discount": 114}])"));
}

TEST_F(ShopifyConnectorTest, MissingWrongOrUnconfiguredSignatureIsRefusedWhole) {
  const std::string body = Fixture("order_web.json");
  ConnectorRequest unsigned_request = Request(body, "orders/create");
  auto missing = Map(unsigned_request, nullptr);
  EXPECT_EQ(missing.status().code(), common::StatusCode::kPermissionDenied);
  EXPECT_NE(missing.status().message().find("X-Shopify-Hmac-Sha256"), std::string::npos);

  ConnectorRequest wrong = Request(body, "orders/create");
  wrong.headers["x-shopify-hmac-sha256"] = ShopifySignature("another secret", body);
  EXPECT_EQ(Map(wrong, nullptr).status().code(), common::StatusCode::kPermissionDenied);

  ConnectorRequest tampered = Request(body + " ", "orders/create");
  tampered.headers["x-shopify-hmac-sha256"] = ShopifySignature(kSecret, body);
  EXPECT_EQ(Map(tampered, nullptr).status().code(), common::StatusCode::kPermissionDenied);

  ShopifyConnector no_secret("", {});
  auto refused = Send(body, "orders/create", &no_secret);
  EXPECT_EQ(refused.status().code(), common::StatusCode::kPermissionDenied);
  EXPECT_NE(refused.status().message().find("--shopify-secret-file"), std::string::npos);
  EXPECT_TRUE(StateOf(nullptr).empty());
}

TEST_F(ShopifyConnectorTest, WithoutTopicHeaderTheBodysShapeTellsOrderFromRefund) {
  EXPECT_EQ(Event(Fixture("order_pos.json"), "")["type"], "sale");
  EXPECT_EQ(Event(Fixture("refund_no_restock.json"), "")["type"], "return");
  EXPECT_EQ(Send(R"({"id": 1})", "").status().code(), common::StatusCode::kInvalidArgument);
  EXPECT_EQ(Send("not json", "orders/create").status().code(),
            common::StatusCode::kInvalidArgument);
}

TEST_F(ShopifyConnectorTest, OtherTopicsAndTestOrdersAreSkippedNotRefused) {
  auto other = Send(Fixture("order_web.json"), "orders/updated");
  ASSERT_TRUE(other.ok());
  EXPECT_TRUE(other->events.empty());
  ASSERT_EQ(other->skipped.size(), 1u);
  EXPECT_NE(other->skipped[0].reason.find("orders/updated"), std::string::npos);

  json order = json::parse(Fixture("order_web.json"));
  order["test"] = true;
  auto test = Send(order.dump(), "orders/create");
  ASSERT_TRUE(test.ok());
  ASSERT_EQ(test->skipped.size(), 1u);
  EXPECT_EQ(test->skipped[0].reason, "test order");
  EXPECT_EQ(test->skipped[0].source, "order #1001 (id 5830000000001)");
}

TEST_F(ShopifyConnectorTest, MoneyThatWouldNeedRoundingRejectsTheOrderWithTheField) {
  json order = json::parse(Fixture("order_pos.json"));
  order["line_items"][1]["price"] = "9.005";
  auto out = Send(order.dump(), "orders/create");
  ASSERT_TRUE(out.ok());
  EXPECT_TRUE(out->events.empty());
  ASSERT_EQ(out->rejected.size(), 1u);
  EXPECT_EQ(out->rejected[0].reason,
            "line_items[1].price: \"9.005\" has more than 2 decimal places (the currency's minor "
            "unit)");
  EXPECT_TRUE(StateOf(nullptr).empty());

  // Beyond the input contract's limits, where quantity × price could overflow.
  order["line_items"][1]["price"] = "1000000000000.00";
  order["line_items"][1]["quantity"] = 100'001;
  EXPECT_EQ(Send(order.dump(), "orders/create")->rejected[0].reason,
            "line_items[1].quantity is not an integer in 0 … 100000");
  order["line_items"][1]["quantity"] = 100'000;
  EXPECT_EQ(Send(order.dump(), "orders/create")->rejected[0].reason,
            "line_items[1].price is negative or too large");
}

TEST_F(ShopifyConnectorTest, WithLocationsAnEdgeTakesItsPosOrdersAndTheirRefundsOnly) {
  ShopifyConnector store("shpss_0123456789abcdef", {"65000000011"});
  ShopifyConnector other_store("shpss_0123456789abcdef", {"65000000099"});
  ShopifyConnector web("shpss_0123456789abcdef", {"web"});

  auto pos_here = Send(Fixture("order_pos.json"), "orders/create", &store);
  EXPECT_EQ(pos_here->events.size(), 1u);
  auto pos_elsewhere = Send(Fixture("order_pos.json"), "orders/create", &other_store);
  ASSERT_EQ(pos_elsewhere->skipped.size(), 1u);
  EXPECT_EQ(pos_elsewhere->skipped[0].reason,
            "POS order of location 65000000011, not this edge's (--shopify-location 65000000099)");
  EXPECT_EQ(Send(Fixture("order_pos.json"), "orders/create", &web)->skipped.size(), 1u);

  EXPECT_EQ(Send(Fixture("order_web.json"), "orders/create", &store)->skipped.size(), 1u);
  EXPECT_EQ(Send(Fixture("order_web.json"), "orders/create", &web)->events.size(), 1u);

  // The web order's scarf came back to store 65000000011: that store takes the refund, as a web
  // return in store; the web edge, which took the order, leaves it.
  auto back_in_store = Send(Fixture("refund_restock.json"), "refunds/create", &store);
  ASSERT_EQ(back_in_store->events.size(), 1u);
  EXPECT_EQ(back_in_store->events[0].event()["original_channel"], "web");
  EXPECT_EQ(Send(Fixture("refund_restock.json"), "refunds/create", &web)->skipped.size(), 1u);

  // A refund made in the admin names no location: the edge that took the order takes it.
  json admin = json::parse(Fixture("refund_no_restock.json"));
  admin["transactions"][0]["location_id"] = nullptr;
  EXPECT_EQ(Send(admin.dump(), "refunds/create", &store)->events.size(), 1u);
  EXPECT_EQ(Send(admin.dump(), "refunds/create", &other_store)->skipped.size(), 1u);
}

// POSTs a webhook as Shopify does: JSON, its topic, and the given signature (none when empty).
std::pair<int, json> PostWebhook(int port, const std::string& body, const std::string& topic,
                                 const std::string& signature) {
  httplib::Client client("127.0.0.1", port);
  client.set_read_timeout(30, 0);
  httplib::Headers headers = {{"X-Shopify-Topic", topic},
                              {"X-Shopify-Shop-Domain", "example-shop.myshopify.com"}};
  if (!signature.empty()) headers.emplace("X-Shopify-Hmac-Sha256", signature);
  auto res = client.Post("/api/v1/connectors/shopify", headers, body, "application/json");
  if (!res) return {0, json()};
  return {res->status, json::parse(res->body, nullptr, false)};
}

json DayTotals(int port) {
  auto kpi = test_support::GetJson(port, "/api/v1/kpi?from=2026-12-04&to=2026-12-05");
  EXPECT_TRUE(kpi.has_value());
  if (!kpi || (*kpi)["rows"].empty()) return json::object();
  return (*kpi)["rows"][0];
}

TEST(ShopifyEdgeTest, SignedWebhooksGiveTheHandComputedKpisAndUnsignedOnesStoreNothing) {
  test_support::TempDir dir;
  // The producer token is set, and Shopify does not send it: its signature stands instead.
  test_support::EdgeNode edge({"S1",
                               "Europe/Paris",
                               dir.File("edge"),
                               {"--shopify-secret-file", dir.Write("shopify.secret", kSecret),
                                "--http-token-file", dir.Write("token", "producer-token")}});
  ASSERT_TRUE(edge.Start());
  const int port = edge.http_port();
  const std::string web = Fixture("order_web.json"), pos = Fixture("order_pos.json");

  auto unsigned_post = PostWebhook(port, web, "orders/create", "");
  EXPECT_EQ(unsigned_post.first, 401) << unsigned_post.second.dump();
  auto forged = PostWebhook(port, web, "orders/create", ShopifySignature("guessed", web));
  EXPECT_EQ(forged.first, 401) << forged.second.dump();
  EXPECT_NE(forged.second["error"].get<std::string>().find("X-Shopify-Hmac-Sha256"),
            std::string::npos);
  EXPECT_EQ(DayTotals(port).value("transactions", 0), 0);
  EXPECT_EQ(DayTotals(port).value("gross_sales", 0), 0);

  for (const std::string* order : {&web, &pos}) {
    auto reply = PostWebhook(port, *order, "orders/create", ShopifySignature(kSecret, *order));
    EXPECT_EQ(reply.first, 200) << reply.second.dump();
    EXPECT_EQ(reply.second["accepted"], 1) << reply.second.dump();
  }
  // Shopify retries a webhook it thinks failed: the same order again is a duplicate.
  auto again = PostWebhook(port, web, "orders/create", ShopifySignature(kSecret, web));
  EXPECT_EQ(again.second["accepted"], 0);
  EXPECT_EQ(again.second["duplicates"], 1);
  for (const char* name : {"refund_restock.json", "refund_no_restock.json"}) {
    const std::string refund = Fixture(name);
    auto reply = PostWebhook(port, refund, "refunds/create", ShopifySignature(kSecret, refund));
    EXPECT_EQ(reply.second["accepted"], 1) << name << ": " << reply.second.dump();
  }

  json day = DayTotals(port);
  // Sales: (2×19.99 − 2.86) + (15.99 − 1.14) + 0.10 = 52.07, and (3×12.50 − 3.75) + 9.00 = 42.75.
  EXPECT_EQ(day["gross_sales"], 5207 + 4275);
  EXPECT_EQ(day["transactions"], 2);
  // Returns: a scarf refunded 18.56 (of the web order) and a T-shirt refunded 11.25.
  EXPECT_EQ(day["returns_value"], 1856 + 1125);
  EXPECT_EQ(day["web_returns_in_store_value"], 1856);
  EXPECT_EQ(edge.Stop(), 0) << edge.Log();
}

}  // namespace
}  // namespace storepulse::edge
