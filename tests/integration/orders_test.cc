// Orders as lifecycles through the real daemons (docs/KPIS.md, "Orders: the promise rule"): the
// issue's fixtures — a promise on `created` only, two `ready` events, a fulfilment that arrives
// before its `created` — sent out of order and partly twice to an edge; the order KPIs and the
// overdue orders, worked out by hand below, are the same from the pending tail, from the views,
// and at central.
#include <gtest/gtest.h>

#include "common/event_codec.h"
#include "common/time_util.h"
#include "tests/integration/chain.h"
#include "tests/integration/chain_calls.h"
#include "tests/integration/test_events.h"

namespace storepulse::test_support {
namespace {

using common::Event;
using common::OrderKind;
using common::OrderStatus;
using nlohmann::json;

constexpr int64_t kMinute = 60'000;

Event Order(const std::string& id, const std::string& order, OrderKind kind, OrderStatus status,
            int64_t ts_ms, std::optional<int64_t> promised = std::nullopt) {
  Event e;
  e.id = id;
  e.type = common::EventType::kOrder;
  e.ts_ms = ts_ms;
  e.order = order;
  e.order_kind = kind;
  e.status = status;
  e.promised_ms = promised;
  if (status == OrderStatus::kCancelled) e.reason = "customer";
  return e;
}

class OrdersTest : public testing::Test {
 protected:
  // T: a 15-minute boundary 4 to 4.25 hours ago; every event within T … T + 150 min.
  const int64_t t_ = (NowMs() - 4 * 60 * kMinute) / (15 * kMinute) * (15 * kMinute);

  std::string Period() const {
    return "from=" + common::FormatRfc3339Utc(t_ - 60 * kMinute) +
           "&to=" + common::FormatRfc3339Utc(NowMs() + 60 * kMinute);
  }
  // Five orders, in the order they arrive:
  //   A (C&C)  created T promising T+120 (a1); ready T+90 with no promise (a2): kept, ready in 90.
  //   B (C&C)  created T promising T+60 (b1); ready T+80 (b2) and again T+100 (b3): judged once,
  //            20 min late, ready in 80.
  //   C (SFS)  delivered T+150 (c2) arrives before its created T promising T+120 (c1): 30 min
  //            late, delivered in 2.5 h.
  //   D (C&C)  created T+10 promising T+30, nothing since: overdue.
  //   E (C&C)  created T promising T+20, cancelled T+15: not overdue.
  std::vector<Event> FirstBatch() const {
    return {
        Order("c2", "C", OrderKind::kShipFromStore, OrderStatus::kDelivered, t_ + 150 * kMinute),
        Order("b3", "B", OrderKind::kClickCollect, OrderStatus::kReady, t_ + 100 * kMinute),
        Order("a2", "A", OrderKind::kClickCollect, OrderStatus::kReady, t_ + 90 * kMinute)};
  }
  std::vector<Event> SecondBatch() const {
    const OrderKind cc = OrderKind::kClickCollect;
    return {
        Order("b2", "B", cc, OrderStatus::kReady, t_ + 80 * kMinute),
        Order("a1", "A", cc, OrderStatus::kCreated, t_, t_ + 120 * kMinute),
        Order("c1", "C", OrderKind::kShipFromStore, OrderStatus::kCreated, t_, t_ + 120 * kMinute),
        Order("b1", "B", cc, OrderStatus::kCreated, t_, t_ + 60 * kMinute),
        Order("d1", "D", cc, OrderStatus::kCreated, t_ + 10 * kMinute, t_ + 30 * kMinute),
        Order("e1", "E", cc, OrderStatus::kCreated, t_, t_ + 20 * kMinute),
        Order("e2", "E", cc, OrderStatus::kCancelled, t_ + 15 * kMinute)};
  }

  // Three orders judged (A, B, C), one kept; late 20 + 30 = 50 min over two; ready 90 and 80 min;
  // one delivery in 150 min.
  static void ExpectOrderKpis(const json& row, const std::string& where) {
    SCOPED_TRACE(where);
    ASSERT_TRUE(row.is_object()) << row.dump();
    EXPECT_DOUBLE_EQ(row["promise_kept_rate"].get<double>(), 1.0 / 3.0);
    EXPECT_DOUBLE_EQ(row["avg_late_minutes"].get<double>(), 25.0);
    EXPECT_DOUBLE_EQ(row["avg_ready_minutes"].get<double>(), 85.0);
    EXPECT_DOUBLE_EQ(row["avg_delivery_hours"].get<double>(), 2.5);
    EXPECT_EQ(row["cc_orders"], 4);  // a1, b1, d1, e1: creations still count per event
    EXPECT_EQ(row["sfs_orders"], 1);
  }

  void ExpectOverdue(int port, const std::string& path, const std::string& where) {
    SCOPED_TRACE(where);
    const int64_t before = NowMs();
    std::optional<json> answer = GetJson(port, path);
    ASSERT_TRUE(answer) << path;
    EXPECT_EQ((*answer)["status"], "overdue");
    EXPECT_EQ((*answer)["count"], 1);
    ASSERT_EQ((*answer)["orders"].size(), 1u) << answer->dump();
    const json& d = (*answer)["orders"][0];
    EXPECT_EQ(d["store"], "PAR1");
    EXPECT_EQ(d["order"], "D");
    EXPECT_EQ(d["kind"], "click_collect");
    EXPECT_EQ(d["created"], common::FormatRfc3339Utc(t_ + 10 * kMinute));
    EXPECT_EQ(d["promised"], common::FormatRfc3339Utc(t_ + 30 * kMinute));
    // now − (T + 30 min), with now read by the server between `before` and now.
    EXPECT_GE(d["overdue_minutes"].get<double>(),
              static_cast<double>(before - t_ - 30 * kMinute) / kMinute);
    EXPECT_LE(d["overdue_minutes"].get<double>(),
              static_cast<double>(NowMs() - t_ - 30 * kMinute) / kMinute);
  }
};

TEST_F(OrdersTest, EachOrderIsJudgedOnceWhateverTheArrivalOrderAtEdgeAndCentral) {
  Chain chain({{"PAR1", "europe", "Europe/Paris"}});
  ASSERT_TRUE(chain.StartAll());
  Ingest(chain.edge(0), FirstBatch());
  Ingest(chain.edge(0), SecondBatch());
  auto again = PostBody(chain.edge(0).http_port(), "/api/v1/events",
                        common::EncodeJsonLines(FirstBatch()));  // duplicates: nothing changes
  ASSERT_TRUE(again && again->status == 200) << (again ? again->body.dump() : "no reply");
  EXPECT_EQ(again->body["duplicates"], 3) << again->body.dump();

  const int port = chain.edge(0).http_port();
  // Right after the ingest (views and the pending tail, whatever the pass has folded), then from
  // the views once everything is folded.
  std::optional<json> edge = GetJson(port, "/api/v1/kpi?" + Period());
  ASSERT_TRUE(edge);
  ExpectOrderKpis((*edge)["rows"][0], "edge, just ingested");
  ExpectOverdue(port, "/api/v1/orders?status=overdue", "edge, just ingested");
  ASSERT_EQ(chain.WaitCaughtUp(0), 10);
  ASSERT_TRUE(chain.WaitViewsFolded());
  edge = GetJson(port, "/api/v1/kpi?" + Period());
  ASSERT_TRUE(edge);
  ExpectOrderKpis((*edge)["rows"][0], "edge, folded");
  ExpectOverdue(port, "/api/v1/orders?status=overdue&limit=10", "edge, folded");

  const int central = chain.central().http_port();
  std::optional<json> network = GetJson(central, "/api/v1/kpi?scope=store:PAR1&" + Period());
  ASSERT_TRUE(network);
  ExpectOrderKpis((*network)["rows"][0], "central");
  ExpectOverdue(central, "/api/v1/orders?status=overdue&scope=region:europe", "central");
  EXPECT_EQ(WithoutArea((*network)["rows"]), WithoutArea((*edge)["rows"]));
}

TEST_F(OrdersTest, TheOrdersListingRefusesWhatItDoesNotServe) {
  Chain chain({{"PAR1", "europe", "Europe/Paris"}});
  ASSERT_TRUE(chain.StartAll());
  for (int port : {chain.edge(0).http_port(), chain.central().http_port()}) {
    for (const char* path : {"/api/v1/orders?status=open", "/api/v1/orders?limit=0",
                             "/api/v1/orders?limit=1001", "/api/v1/orders?limit=ten"}) {
      auto reply = HttpGet("127.0.0.1", port, path);
      ASSERT_TRUE(reply) << path;
      EXPECT_EQ(reply->status, 400) << path << " " << reply->body;
    }
    std::optional<json> empty = GetJson(port, "/api/v1/orders");  // status=overdue by default
    ASSERT_TRUE(empty);
    EXPECT_EQ((*empty)["count"], 0);
    EXPECT_EQ((*empty)["limit"], 100);
    EXPECT_TRUE((*empty)["orders"].empty());
  }
  auto unknown = HttpGet("127.0.0.1", chain.central().http_port(), "/api/v1/orders?scope=store:X");
  ASSERT_TRUE(unknown);
  EXPECT_EQ(unknown->status, 404) << unknown->body;
}

}  // namespace
}  // namespace storepulse::test_support
