// Central's alerts with a real edge replicating to a real central: crafted order events raise the
// click & collect and ship-from-store alerts, more events clear them (keeping `since` while they
// fire); killing the edge raises the offline alert, restarting it clears it.
#include <gtest/gtest.h>

#include <optional>
#include <string>
#include <vector>

#include "common/event_codec.h"
#include "tests/integration/chain.h"
#include "tests/integration/test_events.h"
#include "tests/support/http_probe.h"

namespace storepulse::test_support {
namespace {

using nlohmann::json;

// An order status change `ts_ms` (default: a second ago, in the store's local today).
common::Event Order(const std::string& id, common::OrderKind kind, common::OrderStatus status,
                    common::OrderSource source = common::OrderSource::kStore,
                    const std::string& reason = "") {
  common::Event e;
  e.id = id;
  e.type = common::EventType::kOrder;
  e.ts_ms = NowMs() - 1000;
  e.order = "o-" + id;
  e.order_kind = kind;
  e.status = status;
  e.source = source;
  e.reason = reason;
  return e;
}

std::vector<common::Event> ClickCollect(const std::string& prefix, int count,
                                        common::OrderSource source) {
  std::vector<common::Event> events;
  for (int i = 0; i < count; ++i) {
    events.push_back(Order(prefix + std::to_string(i), common::OrderKind::kClickCollect,
                           common::OrderStatus::kCreated, source));
  }
  return events;
}

std::vector<common::Event> ShipFromStore(const std::string& prefix, int count) {
  std::vector<common::Event> events;
  for (int i = 0; i < count; ++i) {
    events.push_back(Order(prefix + std::to_string(i), common::OrderKind::kShipFromStore,
                           common::OrderStatus::kCreated));
  }
  return events;
}

void Ingest(EdgeNode& edge, const std::vector<common::Event>& events) {
  auto reply = PostBody(edge.http_port(), "/api/v1/events", common::EncodeJsonLines(events));
  ASSERT_TRUE(reply);
  ASSERT_EQ(reply->status, 200) << reply->body.dump();
  ASSERT_EQ(reply->body["accepted"], events.size()) << reply->body.dump();
}

json Alerts(Chain& chain) {
  return GetJson(chain.central().http_port(), "/api/v1/alerts").value_or(json::object());
}

std::optional<json> FindAlert(const json& answer, const std::string& id) {
  for (const json& alert : answer.value("alerts", json::array())) {
    if (alert["id"] == id) return alert;
  }
  return std::nullopt;
}

bool Cleared(const json& answer, const std::string& id) {
  if (FindAlert(answer, id)) return false;
  for (const json& alert : answer.value("recently_cleared", json::array())) {
    if (alert["id"] == id) return true;
  }
  return false;
}

// Alerts evaluated every second; no disk rule (test machines may be short of disk).
std::vector<std::string> FastAlerts(const std::string& offline_s) {
  return {"--alert-interval-s", "1", "--alert-disk-free-bytes", "0", "--alert-offline-s",
          offline_s};
}

TEST(AlertsTest, OrderKpiAlertsRaiseFromCraftedEventsAndClearWhenTheyRecover) {
  Chain chain({{"PAR1", "north", "Europe/Paris"}}, FastAlerts("3600"));
  ASSERT_TRUE(chain.StartAll());
  // Click & collect: 2 of 3 from the warehouse (66.7% > 50%). Ship-from-store: 1 of 1 cancelled
  // for a stock error (100% > 5%).
  std::vector<common::Event> events = ClickCollect("cw", 2, common::OrderSource::kWarehouse);
  events.push_back(ClickCollect("cs", 1, common::OrderSource::kStore)[0]);
  events.push_back(ShipFromStore("sf", 1)[0]);
  events.push_back(Order("sx", common::OrderKind::kShipFromStore, common::OrderStatus::kCancelled,
                         common::OrderSource::kStore, "stock_error"));
  events.back().order = "o-sf0";
  Ingest(chain.edge(0), events);
  ASSERT_EQ(chain.WaitCaughtUp(0), 5);

  json answer;
  ASSERT_TRUE(WaitUntil([&] {
    answer = Alerts(chain);
    return FindAlert(answer, "cc_warehouse_share/PAR1") &&
           FindAlert(answer, "sfs_stock_cancel_rate/PAR1");
  })) << answer.dump(2);
  json cc = *FindAlert(answer, "cc_warehouse_share/PAR1");
  EXPECT_EQ(cc["kind"], "cc_warehouse_share");
  EXPECT_EQ(cc["store"], "PAR1");
  EXPECT_EQ(cc["severity"], "warning");
  EXPECT_NEAR(cc["value"].get<double>(), 2.0 / 3, 1e-9);
  EXPECT_EQ(cc["threshold"], 0.5);
  EXPECT_NE(cc["message"].get<std::string>().find("not served from store stock"),
            std::string::npos);
  json sfs = *FindAlert(answer, "sfs_stock_cancel_rate/PAR1");
  EXPECT_EQ(sfs["value"], 1);
  EXPECT_DOUBLE_EQ(sfs["threshold"].get<double>(), 0.05);
  const json since = cc["since"];
  auto metrics = HttpGet("127.0.0.1", chain.central().http_port(), "/metrics");
  ASSERT_TRUE(metrics);
  EXPECT_NE(metrics->body.find("storepulse_central_alerts_raised 2"), std::string::npos)
      << metrics->body;

  // One more warehouse order: still above, since kept. Then the shares recover: 3 of 6 (50%, not
  // above) and 1 of 21 (4.8%).
  Ingest(chain.edge(0), ClickCollect("cw-more", 1, common::OrderSource::kWarehouse));
  ASSERT_TRUE(WaitUntil([&] {
    answer = Alerts(chain);
    auto alert = FindAlert(answer, "cc_warehouse_share/PAR1");
    return alert && (*alert)["value"] == 0.75;
  })) << answer.dump(2);
  EXPECT_EQ((*FindAlert(answer, "cc_warehouse_share/PAR1"))["since"], since);
  Ingest(chain.edge(0), ClickCollect("cs-more", 2, common::OrderSource::kStore));
  Ingest(chain.edge(0), ShipFromStore("sf-more", 20));
  ASSERT_TRUE(WaitUntil([&] {
    answer = Alerts(chain);
    return Cleared(answer, "cc_warehouse_share/PAR1") &&
           Cleared(answer, "sfs_stock_cancel_rate/PAR1");
  })) << answer.dump(2);
  EXPECT_EQ(answer["summary"]["raised"], 0);
}

TEST(AlertsTest, AKilledEdgeRaisesTheOfflineAlertAndItsReturnClearsIt) {
  // Edges send a heartbeat every 5 s when idle: 6 s of silence means the edge is gone.
  Chain chain({{"PAR1", "north", "Europe/Paris"}}, FastAlerts("6"));
  ASSERT_TRUE(chain.StartAll());
  ASSERT_TRUE(WaitUntil([&] {
    auto fleet = GetJson(chain.central().http_port(), "/api/v1/fleet");
    return fleet && (*fleet)["summary"]["online"] == 1;
  }));
  json answer;
  ASSERT_TRUE(WaitUntil([&] {  // an evaluation made before the edge's hello may say otherwise
    answer = Alerts(chain);
    return !answer["evaluated_at"].is_null() && !FindAlert(answer, "store_offline/PAR1");
  })) << answer.dump(2);

  chain.edge(0).Kill();
  ASSERT_TRUE(WaitUntil([&] {
    answer = Alerts(chain);
    return FindAlert(answer, "store_offline/PAR1").has_value();
  })) << answer.dump(2);
  json offline = *FindAlert(answer, "store_offline/PAR1");
  EXPECT_EQ(offline["severity"], "critical");
  EXPECT_GT(offline["value"].get<int64_t>(), 6);
  EXPECT_EQ(offline["threshold"], 6);
  EXPECT_EQ(offline["unit"], "seconds");
  EXPECT_EQ(answer["alerts"][0]["id"], "store_offline/PAR1");  // critical first

  ASSERT_TRUE(chain.edge(0).Start());
  ASSERT_TRUE(WaitUntil([&] {
    answer = Alerts(chain);
    return Cleared(answer, "store_offline/PAR1");
  })) << answer.dump(2);
}

}  // namespace
}  // namespace storepulse::test_support
