// Issue 8, failure 6: money sums overflowing int64. A producer (or a hostile edge) sending sales
// whose values no till reaches gets a refusal with a reason — at the edge and at central; enough
// valid sales to take a stored total past 2^63 − 1 are kept out of the views and counted. Every
// KPI stays exact and non-negative: one store never corrupts the network.
#include <SQLiteCpp/SQLiteCpp.h>
#include <gtest/gtest.h>

#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include "common/event_codec.h"
#include "tests/integration/chain.h"
#include "tests/integration/test_events.h"
#include "tests/support/http_probe.h"
#include "tests/support/wire_client.h"

namespace storepulse::test_support {
namespace {

namespace wire = common::wire;

constexpr int64_t kInt64Max = std::numeric_limits<int64_t>::max();
constexpr int64_t kMaxEventValue = 10'000'000'000;  // docs/KPIS.md, "Limits and overflow"

// The sale of the attack: 1,000 lines × qty 100,000 × unit_price 10^9 (10^17 minor units), every
// field inside the per-field limits.
common::Event HugeSale(const std::string& id) {
  common::Event e = Sale(id, 100'000, 1'000'000'000);
  e.lines.resize(1000, e.lines[0]);
  for (size_t i = 0; i < e.lines.size(); ++i) e.lines[i].sku = "SKU-" + std::to_string(i);
  return e;
}

nlohmann::json PostEvents(int port, const std::vector<common::Event>& events) {
  auto reply = PostBody(port, "/api/v1/events", common::EncodeJsonLines(events));
  EXPECT_TRUE(reply.has_value());
  if (!reply) return nullptr;
  nlohmann::json body = reply->body;
  body["http_status"] = reply->status;
  return body;
}

// Sets gross_sales of every measure row of `store` (its 15-minute and its day rows) in the
// SQLite file `path`, as if that much had been sold: the daemon's own connection keeps running.
void SeedGrossSales(const std::string& path, const std::string& store, int64_t gross) {
  SQLite::Database db(path, SQLite::OPEN_READWRITE, 10'000);
  for (const char* table : {"measures_15m", "measures_day"}) {
    SQLite::Statement update(db, std::string("UPDATE ") + table +
                                     " SET gross_sales = ? WHERE store = ? AND channel = 0");
    update.bind(1, gross);
    update.bind(2, store);
    ASSERT_EQ(update.exec(), 1) << table;
  }
  // Central also sums the store's days into its region's and the network's (the store's alone
  // there: the other store has sold nothing yet).
  if (db.tableExists("scope_measures_day")) {
    SQLite::Statement update(db, "UPDATE scope_measures_day SET gross_sales = ? WHERE channel = 0");
    update.bind(1, gross);
    ASSERT_EQ(update.exec(), 2) << "scope_measures_day";
  }
}

TEST(MoneyOverflowTest, SalesNoTillReachesAreRefusedAndTheKpisStayExact) {
  Chain chain({{"S1", "north", "Europe/Paris"}, {"S2", "south", "Europe/Madrid"}});
  ASSERT_TRUE(chain.StartAll());
  // The attack of the issue: 100 sales of 10^17 each, ten per request.
  int64_t rejected = 0;
  for (int request = 0; request < 10; ++request) {
    std::vector<common::Event> batch;
    for (int i = 0; i < 10; ++i) {
      batch.push_back(HugeSale("huge-" + std::to_string(request * 10 + i)));
    }
    nlohmann::json answer = PostEvents(chain.edge(0).http_port(), batch);
    ASSERT_EQ(answer["http_status"], 200) << answer.dump();
    EXPECT_EQ(answer["accepted"], 0) << answer.dump();
    for (const auto& r : answer["rejected"]) {
      ++rejected;
      EXPECT_NE(r["error"].get<std::string>().find("qty*unit_price must be at most 10000000000"),
                std::string::npos)
          << r.dump();
    }
  }
  EXPECT_EQ(rejected, 100);
  // Nothing of the attack counts anywhere: zero, not a wrapped or saturated total.
  ASSERT_EQ(PostEvents(chain.edge(1).http_port(), Sales("other", 5))["accepted"], 5);
  const int64_t other = GrossValue(Sales("other", 5));
  ASSERT_GE(chain.WaitCaughtUp(0), 0);
  ASSERT_GE(chain.WaitCaughtUp(1), 0);
  EXPECT_EQ(chain.EdgeKpis(0)[0]["gross_sales"], 0);
  EXPECT_EQ(chain.CentralKpis("store:S1")[0]["gross_sales"], 0);
  EXPECT_EQ(chain.CentralKpis("network")[0]["gross_sales"], other);
  // At the bounds: one line of exactly the maximum line value, an event of exactly the maximum
  // event value over several lines; one minor unit more is refused.
  common::Event at_line_bound = Sale("line-max", 10, 1'000'000'000);
  common::Event at_event_bound = Sale("event-max", 4, 1'000'000'000);
  at_event_bound.lines.push_back({"SKU-2", 6, 1'000'000'000, 0});
  common::Event over_event_bound = at_event_bound;
  over_event_bound.id = "event-max-plus-1";
  over_event_bound.lines.push_back({"SKU-3", 1, 1, 0});
  const std::vector<common::Event> small = Sales("small", 20);
  std::vector<common::Event> batch = small;
  batch.push_back(at_line_bound);
  batch.push_back(at_event_bound);
  batch.push_back(over_event_bound);
  nlohmann::json answer = PostEvents(chain.edge(0).http_port(), batch);
  ASSERT_EQ(answer["http_status"], 200) << answer.dump();
  EXPECT_EQ(answer["accepted"], 22) << answer.dump();
  ASSERT_EQ(answer["rejected"].size(), 1u) << answer.dump();
  EXPECT_EQ(answer["rejected"][0]["id"], "event-max-plus-1");
  EXPECT_NE(answer["rejected"][0]["error"].get<std::string>().find("at most 10000000000"),
            std::string::npos);

  const int64_t expected = GrossValue(small) + 2 * kMaxEventValue;
  EXPECT_EQ(chain.EdgeKpis(0)[0]["gross_sales"], expected);
  EXPECT_EQ(chain.EdgeKpis(0)[0]["transactions"], 22);
  ASSERT_GE(chain.WaitCaughtUp(0), 0);
  EXPECT_EQ(chain.CentralKpis("store:S1")[0]["gross_sales"], expected);
  EXPECT_EQ(chain.CentralKpis("network")[0]["gross_sales"], expected + other);
}

TEST(MoneyOverflowTest, CentralRefusesReplicatedSalesNoTillReaches) {
  Chain chain({{"S1", "north", "Europe/Paris"}});
  ASSERT_TRUE(chain.StartCentral());
  // A hostile edge with a valid key sends what its own edge would have refused.
  WireClient client = chain.Wire(0);
  client.Send(wire::Hello{"S1", "inc-1", 2, "test"});
  ASSERT_TRUE(client.Receive());
  client.Send(wire::Batch{"inc-1", 1, {common::EncodeStored(HugeSale("huge"))}});
  auto reply = client.Receive();
  ASSERT_TRUE(reply && std::holds_alternative<wire::Error>(*reply));
  EXPECT_EQ(std::get<wire::Error>(*reply).code, "malformed");
  EXPECT_NE(std::get<wire::Error>(*reply).message.find("qty*unit_price"), std::string::npos)
      << std::get<wire::Error>(*reply).message;
  client.Send(wire::Batch{"inc-1", 1, {common::EncodeStored(Sale("fine", 2, 150))}});
  auto ack = client.Receive();
  ASSERT_TRUE(ack && std::holds_alternative<wire::Ack>(*ack));
  EXPECT_EQ(chain.CentralKpis("network")[0]["gross_sales"], 300);
}

// The edge's view pass, caught up with everything it stored.
nlohmann::json EdgeViewsWhenFolded(int port) {
  nlohmann::json views;
  WaitUntil([&] {
    auto status = GetJson(port, "/api/v1/status");
    if (!status) return false;
    views = (*status)["views"];
    return views.is_object() && views["pending_events"] == 0 && views["folded"] == (*status)["last_seq"];
  });
  return views;
}

// Central's view pass, caught up (its /metrics).
bool CentralViewsFolded(int port, int64_t unfolded) {
  return WaitUntil([&] {
    auto metrics = HttpGet("127.0.0.1", port, "/metrics");
    return metrics && metrics->body.find("storepulse_central_views_pending_events 0\n") !=
                          std::string::npos &&
           metrics->body.find("storepulse_central_views_unfolded_events " +
                              std::to_string(unfolded) + "\n") != std::string::npos;
  });
}

// With the log and its views (issue 9) a valid event is stored and acknowledged whatever the
// totals it would add to: the view pass leaves out of the views an event that would take a stored
// total past the int64 range, logs it and counts it — the totals stay exact, never wrapped.
TEST(MoneyOverflowTest, AnEventThatWouldOverflowAStoredTotalIsKeptOutOfTheEdgesViews) {
  Chain chain({{"S1", "north", "Europe/Paris"}});
  chain.ResetEdge(0, {"--durability", "full"});  // no central: the edge alone
  ASSERT_TRUE(chain.StartEdge(0));
  const int port = chain.edge(0).http_port();
  const int64_t ts = NowMs() - 3600 * 1000;
  ASSERT_EQ(PostEvents(port, {Sale("first", 1, 100, common::Channel::kStore, ts)})["accepted"], 1);
  EdgeViewsWhenFolded(port);
  // Years of hostile (or mistaken) sales later, the bucket and its day are one sale from the top.
  SeedGrossSales(chain.dir().File("edge-S1") + "/edge.db", "S1", kInt64Max - kMaxEventValue);
  // Exactly up to the top: stored and counted.
  ASSERT_EQ(PostEvents(port, {Sale("to-the-top", 10, 1'000'000'000, common::Channel::kStore,
                                   ts)})["accepted"],
            1);
  // One minor unit more: stored, but kept out of the views, and counted as such.
  nlohmann::json stored = PostEvents(port, {Sale("one-more", 1, 1, common::Channel::kStore, ts),
                                            Sale("its-neighbour", 1, 0, common::Channel::kStore, ts)});
  EXPECT_EQ(stored["http_status"], 200) << stored.dump();
  EXPECT_EQ(stored["accepted"], 2) << stored.dump();
  nlohmann::json views = EdgeViewsWhenFolded(port);
  EXPECT_EQ(views["folded"], 4) << views.dump();
  EXPECT_EQ(views["unfolded_events"], 1) << views.dump();
  // The totals are exact, not wrapped, not saturated.
  nlohmann::json total = chain.EdgeKpis(0)[0];
  EXPECT_EQ(total["gross_sales"], kInt64Max);
  EXPECT_EQ(total["transactions"], 3);
  auto metrics = HttpGet("127.0.0.1", port, "/metrics");
  ASSERT_TRUE(metrics);
  EXPECT_NE(metrics->body.find("storepulse_edge_views_unfolded_events 1\n"), std::string::npos);
  // Other buckets are untouched.
  nlohmann::json other_day =
      PostEvents(port, {Sale("yesterday", 1, 100, common::Channel::kStore, ts - 24 * 3600 * 1000)});
  EXPECT_EQ(other_day["accepted"], 1) << other_day.dump();
}

TEST(MoneyOverflowTest, CentralKeepsAnOverflowingEventOutOfItsViewsAndOthersFlow) {
  Chain chain({{"S1", "north", "Europe/Paris"}, {"S2", "south", "Europe/Madrid"}});
  ASSERT_TRUE(chain.StartAll());
  const int64_t ts = NowMs() - 3600 * 1000;
  ASSERT_EQ(PostEvents(chain.edge(0).http_port(),
                       {Sale("first", 1, 100, common::Channel::kStore, ts)})["accepted"],
            1);
  ASSERT_EQ(chain.WaitCaughtUp(0), 1);
  ASSERT_TRUE(CentralViewsFolded(chain.central().http_port(), 0));
  // Central holds more for S1 than S1's edge (say, an edge reinstalled with an empty database).
  const int64_t seeded = kInt64Max - 50;
  SeedGrossSales(chain.dir().File("central") + "/central.db", "S1", seeded);
  ASSERT_EQ(PostEvents(chain.edge(0).http_port(),
                       {Sale("second", 1, 100, common::Channel::kStore, ts)})["accepted"],
            1);
  ASSERT_EQ(chain.WaitCaughtUp(0), 2);  // acknowledged: the log has it
  EXPECT_TRUE(CentralViewsFolded(chain.central().http_port(), 1)) << chain.central().Log();
  // The other store keeps flowing and counting.
  const std::vector<common::Event> other = Sales("other", 10);
  ASSERT_EQ(PostEvents(chain.edge(1).http_port(), other)["accepted"], 10);
  ASSERT_EQ(chain.WaitCaughtUp(1), 10);
  // Per store, exact: S1 as its views hold it, S2 what it sold.
  nlohmann::json by_store = chain.CentralKpis("network", "store");
  ASSERT_EQ(by_store.size(), 2u) << by_store.dump();
  EXPECT_EQ(by_store[0]["key"], "S1");
  EXPECT_EQ(by_store[0]["gross_sales"], seeded);
  EXPECT_EQ(by_store[0]["transactions"], 1);
  EXPECT_EQ(by_store[1]["gross_sales"], GrossValue(other));
  // The network's sum does not fit: a refusal with a reason, never a wrapped negative number.
  auto network = HttpGet("127.0.0.1", chain.central().http_port(),
                         "/api/v1/kpi?scope=network&from=2000-01-01&to=2100-01-01");
  ASSERT_TRUE(network);
  EXPECT_EQ(network->status, 422) << network->body;
  EXPECT_NE(network->body.find("gross_sales"), std::string::npos) << network->body;
}

}  // namespace
}  // namespace storepulse::test_support
