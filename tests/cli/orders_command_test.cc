// `storepulse orders` (cli/orders_command.h): the table from the API's answer, the command run
// in-process on an edge data directory (--data-dir, read-only), and its usage errors.
#include "cli/orders_command.h"

#include <gtest/gtest.h>

#include <sstream>

#include "common/time_util.h"
#include "edge/event_store.h"
#include "tests/support/temp_dir.h"

namespace storepulse::cli {
namespace {

using nlohmann::json;

struct Outcome {
  int code = -1;
  std::string out, err;
};

Outcome Orders(const std::vector<std::string>& args) {
  std::ostringstream out, err;
  CommandIo io{out, err, false};
  Outcome run;
  run.code = RunOrders(args, io);
  run.out = out.str();
  run.err = err.str();
  return run;
}

TEST(OrdersCommandTest, ShowsTheOverdueOrdersEarliestPromiseFirst) {
  const json answer = json::parse(R"({"status": "overdue", "at": "2026-11-22T15:00:00.000Z",
    "count": 3, "limit": 2, "orders": [
    {"store": "S1", "order": "o-17", "kind": "click_collect", "source": "store",
     "created": "2026-11-22T10:00:00.000Z", "promised": "2026-11-22T12:00:00.000Z",
     "overdue_minutes": 180.0},
    {"store": "S1", "order": "o-21", "kind": "ship_from_store", "source": "store",
     "created": null, "promised": "2026-11-22T14:00:00.000Z", "overdue_minutes": 60.26}]})");
  auto text = RenderOverdueOrders(answer);
  ASSERT_TRUE(text.ok()) << text.status().ToString();
  EXPECT_EQ(*text,
            "Overdue orders at 2026-11-22 15:00 UTC: 3 (the first 2 listed)\n"
            "Store  Order  Kind             Source  Created           Promised          "
            "Overdue (min)\n"
            "─────  ─────  ───────────────  ──────  ────────────────  ────────────────  "
            "─────────────\n"
            "S1     o-17   click_collect    store   2026-11-22 10:00  2026-11-22 12:00  "
            "        180.0\n"
            "S1     o-21   ship_from_store  store   —                 2026-11-22 14:00  "
            "         60.3\n");
  EXPECT_EQ(*RenderOverdueOrders(
                json::parse(R"({"at": "2026-11-22T15:00:00.000Z", "count": 0, "orders": []})")),
            "Overdue orders at 2026-11-22 15:00 UTC: 0\n");
  EXPECT_FALSE(RenderOverdueOrders(json::object()).ok());
}

TEST(OrdersCommandTest, ReadsAStoppedEdgesDataDirectoryWithItsPendingEvents) {
  test_support::TempDir dir;
  const int64_t now = common::SystemClock().NowMs();
  {
    auto zone = common::TimeZone::Load("Europe/Paris");
    ASSERT_TRUE(zone.ok());
    auto store = edge::EventStore::Open(dir.path(), "S1", *zone, edge::Durability::kNormal);
    ASSERT_TRUE(store.ok()) << store.status().ToString();
    // o1: created 2 h ago, promised 1 h ago, nothing since: overdue by an hour. o2: the same,
    // but ready: not overdue. No view pass runs: both come from the pending events.
    std::vector<common::Event> events;
    for (const char* order : {"o1", "o2"}) {
      common::Event created;
      created.id = std::string(order) + "-created";
      created.type = common::EventType::kOrder;
      created.order = order;
      created.ts_ms = now - 2 * 3'600'000;
      created.promised_ms = now - 3'600'000;
      events.push_back(created);
    }
    common::Event ready = events.back();
    ready.id = "o2-ready";
    ready.status = common::OrderStatus::kReady;
    ready.ts_ms = now - 1'800'000;
    ready.promised_ms.reset();
    events.push_back(ready);
    std::vector<edge::AppendOutcome> outcomes;
    auto group = (*store)->BeginGroup();
    ASSERT_TRUE(group.ok());
    ASSERT_TRUE(group->Append(events, now, &outcomes).ok());
    ASSERT_TRUE(group->Commit().ok());
  }
  Outcome run = Orders({"--data-dir", dir.path(), "--json"});
  ASSERT_EQ(run.code, kExitOk) << run.err;
  const json answer = json::parse(run.out);
  EXPECT_EQ(answer["count"], 1);
  ASSERT_EQ(answer["orders"].size(), 1u) << run.out;
  EXPECT_EQ(answer["orders"][0]["order"], "o1");
  EXPECT_EQ(answer["orders"][0]["promised"], common::FormatRfc3339Utc(now - 3'600'000));
  EXPECT_GE(answer["orders"][0]["overdue_minutes"].get<double>(), 60.0);
  Outcome table = Orders({"--data-dir", dir.path()});
  EXPECT_EQ(table.code, kExitOk) << table.err;
  EXPECT_NE(table.out.find("S1     o1     click_collect"), std::string::npos) << table.out;
}

TEST(OrdersCommandTest, RejectsWhatItDoesNotServe) {
  EXPECT_EQ(Orders({"--status", "open"}).code, kExitUsage);
  EXPECT_EQ(Orders({"--limit", "0"}).code, kExitUsage);
  EXPECT_EQ(Orders({"--limit", "1001"}).code, kExitUsage);
  EXPECT_EQ(Orders({"--scope", "network", "--edge", "http://127.0.0.1:8601"}).code, kExitUsage);
  EXPECT_EQ(Orders({"--edge", "http://x", "--data-dir", "/tmp"}).code, kExitUsage);
  EXPECT_EQ(Orders({"--edge", "http://127.0.0.1:1"}).code, kExitUnreachable);
  EXPECT_EQ(Orders({"--central", "http://127.0.0.1:1"}).code, kExitUnreachable);
  Outcome help = Orders({"--help"});
  EXPECT_EQ(help.code, kExitOk);
  EXPECT_NE(help.out.find("Usage: storepulse orders"), std::string::npos);
}

}  // namespace
}  // namespace storepulse::cli
