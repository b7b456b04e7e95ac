// Stock through real daemons: two edges in two zones replicate stock events, sales and returns to
// central; each edge's stock view and stock KPIs equal central's for that store, and central's
// network stock view shows the SKU in every store with its freshness.
#include <gtest/gtest.h>

#include "common/event_codec.h"
#include "tests/integration/chain.h"
#include "tests/integration/test_events.h"

namespace storepulse::test_support {
namespace {

using common::Event;
using common::StockKind;
using nlohmann::json;

int64_t TwoHoursAgo() { return NowMs() - 2 * 3600 * 1000; }

Event StockEvent(const std::string& id, StockKind kind, const std::string& sku, int64_t qty) {
  Event e;
  e.id = id;
  e.type = common::EventType::kStock;
  e.ts_ms = TwoHoursAgo();
  e.sku = sku;
  e.stock_kind = kind;
  e.qty = qty;
  return e;
}

Event LineEvent(const std::string& id, common::EventType type, const std::string& sku, int64_t qty,
                bool restock = true) {
  Event e = Sale(id, qty, 250, common::Channel::kStore, TwoHoursAgo());
  e.type = type;
  e.lines[0].sku = sku;
  e.restock = restock;
  return e;
}

// PAR1: SKU-1 receipt 10, sale 3, return restock 1, return no-restock 1, shrink 2, count 20,
// transfer_out 5 → 15; SKU-2 receipt 4, sale 4 → 0 (out of stock).
std::vector<Event> ParisEvents() {
  using common::EventType;
  return {StockEvent("p1", StockKind::kReceipt, "SKU-1", 10),
          LineEvent("p2", EventType::kSale, "SKU-1", 3),
          LineEvent("p3", EventType::kReturn, "SKU-1", 1, true),
          LineEvent("p4", EventType::kReturn, "SKU-1", 1, false),
          StockEvent("p5", StockKind::kShrink, "SKU-1", 2),
          StockEvent("p6", StockKind::kCount, "SKU-1", 20),
          StockEvent("p7", StockKind::kTransferOut, "SKU-1", 5),
          StockEvent("p8", StockKind::kReceipt, "SKU-2", 4),
          LineEvent("p9", EventType::kSale, "SKU-2", 4)};
}

// BOM1: SKU-1 receipt 7, sale 9 → −2 (more sold than recorded: out of stock).
std::vector<Event> MumbaiEvents() {
  return {StockEvent("b1", StockKind::kReceipt, "SKU-1", 7),
          LineEvent("b2", common::EventType::kSale, "SKU-1", 9)};
}

// Rows less sales_per_m2: the sales area is known from central's stores file only.
json WithoutArea(json rows) {
  for (auto& row : rows) row.erase("sales_per_m2");
  return rows;
}

void Ingest(EdgeNode& edge, const std::vector<Event>& events) {
  auto reply = PostBody(edge.http_port(), "/api/v1/events", common::EncodeJsonLines(events));
  ASSERT_TRUE(reply);
  ASSERT_EQ(reply->status, 200) << reply->body.dump();
}

class StockTest : public ::testing::Test {
 protected:
  StockTest() : chain_({{"PAR1", "north", "Europe/Paris"}, {"BOM1", "asia", "Asia/Kolkata"}}) {}

  void SetUp() override {
    ASSERT_TRUE(chain_.StartAll());
    Ingest(chain_.edge(0), ParisEvents());
    Ingest(chain_.edge(1), MumbaiEvents());
    ASSERT_EQ(chain_.WaitCaughtUp(0), 9);
    ASSERT_EQ(chain_.WaitCaughtUp(1), 2);
  }

  json EdgeStock(size_t i, const std::string& query) {
    auto answer = GetJson(chain_.edge(i).http_port(), "/api/v1/stock" + query);
    EXPECT_TRUE(answer.has_value());
    return answer.value_or(json());
  }

  Chain chain_;
};

TEST_F(StockTest, TheEdgeKnowsEachSkusOnHand) {
  json sku = EdgeStock(0, "?sku=SKU-1");
  EXPECT_EQ(sku["store"], "PAR1");
  EXPECT_EQ(sku["on_hand"], 15);
  EXPECT_EQ(sku["ranged"], true);
  EXPECT_TRUE(sku["last_movement"].is_string()) << sku.dump();
  json unknown = EdgeStock(0, "?sku=NEVER");
  EXPECT_EQ(unknown["on_hand"], 0);
  EXPECT_EQ(unknown["ranged"], false);
  EXPECT_TRUE(unknown["last_movement"].is_null());
  json summary = EdgeStock(0, "");
  EXPECT_EQ(summary["ranged"], 2);
  EXPECT_EQ(summary["in_stock"], 1);
  EXPECT_EQ(summary["out_of_stock_skus"], json::array({"SKU-2"}));
  EXPECT_EQ(summary["availability"], 0.5);
  EXPECT_EQ(EdgeStock(1, "?sku=SKU-1")["on_hand"], -2);
  // Sent again, the events are duplicates and move nothing.
  Ingest(chain_.edge(0), ParisEvents());
  EXPECT_EQ(EdgeStock(0, "?sku=SKU-1")["on_hand"], 15);
}

TEST_F(StockTest, EachStoresStockKpisAreTheSameAtTheEdgeAndAtCentral) {
  for (size_t i = 0; i < 2; ++i) {
    const std::string scope = "store:" + chain_.spec(i).store;
    for (const char* by : {"total", "day"}) {
      json edge = WithoutArea(chain_.EdgeKpis(i, by));
      EXPECT_EQ(edge, WithoutArea(chain_.CentralKpis(scope, by))) << scope << " by " << by;
      ASSERT_FALSE(edge.empty());
      EXPECT_TRUE(edge[0].contains("availability")) << edge.dump();
    }
  }
  EXPECT_EQ(chain_.EdgeKpis(0)[0]["availability"], 0.5);
  EXPECT_EQ(chain_.EdgeKpis(0)[0]["out_of_stock_skus"], 1);
  // The network: 1 of 3 ranged SKUs in stock (PAR1 SKU-1; not PAR1 SKU-2, not BOM1 SKU-1).
  json network = chain_.CentralKpis("network")[0];
  EXPECT_EQ(network["availability"], 1.0 / 3.0);
  EXPECT_EQ(network["out_of_stock_skus"], 2);
}

TEST_F(StockTest, CentralShowsTheSkuInEveryStoreWithItsFreshness) {
  auto view = GetJson(chain_.central().http_port(), "/api/v1/stock?sku=SKU-1");
  ASSERT_TRUE(view.has_value());
  EXPECT_EQ((*view)["sku"], "SKU-1");
  EXPECT_EQ((*view)["total_on_hand"], 15);  // BOM1's −2 counts as none
  EXPECT_EQ((*view)["stores_in_stock"], 1);
  const json& stores = (*view)["stores"];
  ASSERT_EQ(stores.size(), 2u);
  EXPECT_EQ(stores[0]["store"], "PAR1");
  EXPECT_EQ(stores[0]["name"], "Store PAR1");
  EXPECT_EQ(stores[0]["region"], "north");
  EXPECT_EQ(stores[0]["on_hand"], 15);
  EXPECT_EQ(stores[1]["on_hand"], -2);
  for (size_t i = 0; i < 2; ++i) {
    EXPECT_EQ(stores[i]["on_hand"], EdgeStock(i, "?sku=SKU-1")["on_hand"]);
    EXPECT_EQ(stores[i]["last_movement"], EdgeStock(i, "?sku=SKU-1")["last_movement"]);
    ASSERT_TRUE(stores[i]["freshness_s"].is_number_integer()) << stores.dump();
    EXPECT_GE(stores[i]["freshness_s"].get<int64_t>(), 0);
    EXPECT_LT(stores[i]["freshness_s"].get<int64_t>(), 120);
    EXPECT_EQ(stores[i]["online"], true);
  }
  auto missing = GetJson(chain_.central().http_port(), "/api/v1/stock");
  ASSERT_TRUE(missing.has_value());
  EXPECT_TRUE(missing->contains("error")) << missing->dump();
}

// Central's network stock less the figures that move with time (seconds since the last batch).
json WithoutFreshness(json view) {
  for (json& store : view["stores"]) store.erase("freshness_s");
  return view;
}

// The network's stock at the store (docs/PROTOCOL.md, "The network's stock at the store"): the
// edge asks central over the replication connection and shows central's own answer beside the
// store's stock; with central stopped it says so plainly and still shows the store's stock.
TEST_F(StockTest, TheEdgeShowsTheNetworksStockFromCentralAndSaysPlainlyWhenCentralIsAway) {
  json asked = EdgeStock(1, "?sku=SKU-1&network=1");  // BOM1 asks where else SKU-1 is
  EXPECT_EQ(asked["sku"], "SKU-1");
  EXPECT_EQ(asked["here"]["on_hand"], -2);
  EXPECT_EQ(asked["reason"], nullptr) << asked.dump();
  auto central = GetJson(chain_.central().http_port(), "/api/v1/stock?sku=SKU-1");
  ASSERT_TRUE(central.has_value());
  EXPECT_EQ(WithoutFreshness(asked["network"]), WithoutFreshness(*central));
  EXPECT_EQ(asked["network"]["stores"][0]["store"], "PAR1");
  EXPECT_EQ(asked["network"]["stores"][0]["on_hand"], 15);
  EXPECT_EQ(asked["network"]["total_on_hand"], 15);
  // Without network=1, the store's own answer as before.
  EXPECT_EQ(EdgeStock(1, "?sku=SKU-1")["on_hand"], -2);
  EXPECT_FALSE(EdgeStock(1, "?sku=SKU-1").contains("network"));
  auto bad = GetJson(chain_.edge(1).http_port(), "/api/v1/stock?sku=SKU-1&network=2");
  ASSERT_TRUE(bad.has_value());
  EXPECT_TRUE(bad->contains("error"));

  ASSERT_EQ(chain_.central().Stop(), 0);
  json away = EdgeStock(1, "?sku=SKU-1&network=1");
  EXPECT_EQ(away["network"], "unavailable");
  ASSERT_TRUE(away["reason"].is_string()) << away.dump();
  EXPECT_NE(away["reason"].get<std::string>(), "");
  EXPECT_EQ(away["here"]["on_hand"], -2);  // the store's own stock, still
}

}  // namespace
}  // namespace storepulse::test_support
