// Read-your-writes with the view pass held back (issue 9): the real daemons run with
// --view-group-ms 3600000 and fewer events than a group, so nothing is folded into the KPI
// tables during the test; yet an event acknowledged over HTTP by the edge is in the KPI and
// stock answers requested right after, and an event acknowledged to the edge by central (its
// replication position) is in central's KPI and network stock answers requested right after.
// At the end the pass is shown to have folded nothing: every answer came from the pending tail.
#include <gtest/gtest.h>

#include <set>
#include <sstream>
#include <string>

#include "common/event_codec.h"
#include "tests/integration/chain.h"
#include "tests/integration/chain_calls.h"
#include "tests/integration/test_events.h"
#include "tests/support/http_probe.h"

namespace storepulse::test_support {
namespace {

const std::string kAllTime = "from=2000-01-01&to=2100-01-01";
const std::vector<std::string> kHeldBack = {"--view-group-ms", "3600000"};

// What round `round` of a test sends: an identified sale of a new customer (by a new employee,
// of a new SKU), a receipt of 1 unit of SKU "RYW", and footfall of `round` people.
std::vector<common::Event> Round(const std::string& store, int round) {
  const std::string tag = store + "-" + std::to_string(round);
  common::Event sale = Sale("sale-" + tag, 2, 300);
  sale.customer = "customer-" + tag;
  sale.employee = "employee-" + tag;
  sale.lines[0].sku = "SKU-" + tag;
  common::Event receipt;
  receipt.id = "receipt-" + tag;
  receipt.type = common::EventType::kStock;
  receipt.ts_ms = NowMs() - 60'000;
  receipt.sku = "RYW";
  receipt.stock_kind = common::StockKind::kReceipt;
  receipt.qty = 1;
  common::Event footfall;
  footfall.id = "footfall-" + tag;
  footfall.type = common::EventType::kFootfall;
  footfall.ts_ms = NowMs() - 120'000;
  footfall.sensor = "door";
  footfall.period_s = 60;
  footfall.in = round;
  return {sale, receipt, footfall};
}

TEST(ReadYourWritesTest, AnEventAcknowledgedByTheEdgeIsInItsNextAnswers) {
  TempDir dir;
  EdgeNode edge({"S1", "Europe/Paris", dir.File("edge"), kHeldBack});
  ASSERT_TRUE(edge.Start());
  int64_t footfall = 0;
  for (int round = 1; round <= 12; ++round) {
    SCOPED_TRACE("round " + std::to_string(round));
    auto reply =
        PostBody(edge.http_port(), "/api/v1/events", common::EncodeJsonLines(Round("S1", round)));
    ASSERT_TRUE(reply && reply->status == 200 && reply->body["accepted"] == 3)
        << (reply ? reply->body.dump() : "no reply");
    footfall += round;
    // Right after the acknowledgement, nothing waited for:
    auto total = GetJson(edge.http_port(), "/api/v1/kpi?by=total&" + kAllTime);
    ASSERT_TRUE(total.has_value());
    const nlohmann::json& row = (*total)["rows"][0];
    EXPECT_EQ(row["transactions"], round);
    EXPECT_EQ(row["gross_sales"], round * 600);
    EXPECT_EQ(row["footfall"], footfall);
    EXPECT_EQ(row["customers"], round);
    EXPECT_EQ(row["new_customers"], round);
    auto employees = GetJson(edge.http_port(), "/api/v1/kpi?by=employee&" + kAllTime);
    ASSERT_TRUE(employees.has_value());
    EXPECT_EQ((*employees)["rows"].size(), static_cast<size_t>(round));
    auto skus = GetJson(edge.http_port(), "/api/v1/kpi?by=sku&" + kAllTime);
    ASSERT_TRUE(skus.has_value());
    EXPECT_EQ((*skus)["rows"].size(), static_cast<size_t>(round));
    auto stock = GetJson(edge.http_port(), "/api/v1/stock?sku=RYW");
    ASSERT_TRUE(stock.has_value());
    EXPECT_EQ((*stock)["on_hand"], round);
    EXPECT_EQ((*stock)["ranged"], true);
    auto summary = GetJson(edge.http_port(), "/api/v1/stock");
    ASSERT_TRUE(summary.has_value());
    EXPECT_EQ((*summary)["on_hand_total"], round);
  }
  auto status = GetJson(edge.http_port(), "/api/v1/status");
  ASSERT_TRUE(status.has_value());
  EXPECT_EQ((*status)["views"]["folded"], 0) << "the pass was not held back: the test proves less";
  EXPECT_EQ((*status)["views"]["pending_events"], 36);
  EXPECT_EQ(edge.Stop(), 0);
}

TEST(ReadYourWritesTest, AnEventCentralAcknowledgedIsInItsNextAnswers) {
  Chain chain({{"A1", "north", "Europe/Paris"}, {"B1", "south", "Asia/Kolkata"}}, kHeldBack);
  ASSERT_TRUE(chain.StartAll());
  for (int round = 1; round <= 6; ++round) {
    for (size_t i = 0; i < 2; ++i) {
      const std::string store = chain.spec(i).store;
      SCOPED_TRACE(store + " round " + std::to_string(round));
      auto reply = PostBody(chain.edge(i).http_port(), "/api/v1/events",
                            common::EncodeJsonLines(Round(store, round)));
      ASSERT_TRUE(reply && reply->status == 200 && reply->body["accepted"] == 3);
      // Acknowledged by central: the edge's replication position reached its last event.
      ASSERT_EQ(chain.WaitCaughtUp(i, std::chrono::seconds(20)), 3 * round);
      const nlohmann::json stores = chain.CentralKpis("network", "store");
      ASSERT_EQ(stores.size(), 2u) << stores.dump();
      for (size_t j = 0; j < 2; ++j) {
        // Store j has sent `round` rounds if it is at or before i in this round, else one less.
        const int sent = j <= i ? round : round - 1;
        EXPECT_EQ(stores[j]["key"], chain.spec(j).store);
        EXPECT_EQ(stores[j]["transactions"], sent);
        EXPECT_EQ(stores[j]["customers"], sent);
        EXPECT_EQ(stores[j]["new_customers"], sent);
      }
      const int all = 2 * (round - 1) + static_cast<int>(i) + 1;
      const nlohmann::json network = chain.CentralKpis("network");
      ASSERT_EQ(network.size(), 1u);
      EXPECT_EQ(network[0]["transactions"], all);
      EXPECT_EQ(network[0]["customers"], all);
      EXPECT_EQ(network[0]["new_customers"], all);
      EXPECT_EQ(chain.CentralKpis("network", "employee").size(), static_cast<size_t>(all));
      auto stock = GetJson(chain.central().http_port(), "/api/v1/stock?sku=RYW");
      ASSERT_TRUE(stock.has_value());
      EXPECT_EQ((*stock)["total_on_hand"], all) << stock->dump();
    }
  }
  EXPECT_EQ(Metric(chain.central().http_port(), "storepulse_central_views_folded"), 0)
      << "central's pass was not held back: the test proves less";
  EXPECT_EQ(Metric(chain.central().http_port(), "storepulse_central_views_pending_events"), 36);
  // The same in central's status, as the edge's `views` (docs/OPERATIONS.md, "The KPI views").
  auto fleet = GetJson(chain.central().http_port(), "/api/v1/fleet");
  ASSERT_TRUE(fleet.has_value());
  const nlohmann::json views = fleet->value("/central/views"_json_pointer, nlohmann::json());
  ASSERT_TRUE(views.is_object()) << "no central.views in /api/v1/fleet: " << fleet->dump();
  EXPECT_EQ(views.value("folded", int64_t{-1}), 0) << fleet->dump();
  EXPECT_EQ(views.value("pending_events", int64_t{-1}), 36) << fleet->dump();
  auto edge_status = GetJson(chain.edge(0).http_port(), "/api/v1/status");
  ASSERT_TRUE(edge_status.has_value());
  std::set<std::string> central_keys, edge_keys;
  for (const auto& [key, value] : views.items()) central_keys.insert(key);
  for (const auto& [key, value] : (*edge_status)["views"].items()) edge_keys.insert(key);
  EXPECT_EQ(central_keys, edge_keys) << "central's views block is not shaped as the edge's";
}

}  // namespace
}  // namespace storepulse::test_support
