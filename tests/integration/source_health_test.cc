// Source health end to end, with a real edge replicating to a real central: a door counter that
// sent and then stays silent past the edge's threshold raises `source_silent` at central with a
// message in the store's local time; when it sends again the alert clears. And each local day's
// completeness, the same at the edge and at central for a caught-up store.
#include <gtest/gtest.h>
#include <zmq.hpp>

#include <optional>
#include <string>
#include <vector>

#include "common/event_codec.h"
#include "common/time_util.h"
#include "common/time_zone.h"
#include "tests/integration/chain.h"
#include "tests/integration/test_events.h"
#include "tests/support/temp_dir.h"

namespace storepulse::test_support {
namespace {

using nlohmann::json;

common::Event Footfall(const std::string& id, const std::string& sensor, int64_t ts_ms,
                       int64_t in = 3) {
  common::Event e;
  e.id = id;
  e.type = common::EventType::kFootfall;
  e.ts_ms = ts_ms;
  e.sensor = sensor;
  e.period_s = 900;
  e.in = in;
  return e;
}

common::Event TillSale(const std::string& id, const std::string& till, int64_t ts_ms) {
  common::Event e = Sale(id, 1, 1000, common::Channel::kStore, ts_ms);
  e.till = till;
  return e;
}

void Ingest(EdgeNode& edge, const std::vector<common::Event>& events) {
  auto reply = PostBody(edge.http_port(), "/api/v1/events", common::EncodeJsonLines(events));
  ASSERT_TRUE(reply);
  ASSERT_EQ(reply->status, 200) << reply->body.dump();
  ASSERT_EQ(reply->body["accepted"], events.size()) << reply->body.dump();
}

std::optional<json> FindById(const json& list, const std::string& id) {
  for (const json& alert : list) {
    if (alert.value("id", "") == id) return alert;
  }
  return std::nullopt;
}

// The edge's view of counter `id` in GET /api/v1/status.
std::optional<json> EdgeSource(EdgeNode& edge, const std::string& kind, const std::string& id) {
  auto status = GetJson(edge.http_port(), "/api/v1/status");
  if (!status) return std::nullopt;
  for (const json& source : status->value("sources", json::array())) {
    if (source.value("kind", "") == kind && source.value("id", "") == id) return source;
  }
  return std::nullopt;
}

// "10:15": the local wall-clock time of an RFC 3339 instant in `zone`.
std::string LocalHourMinute(const std::string& instant, const common::TimeZone& zone) {
  return zone.FormatLocal(*common::ParseRfc3339(instant)).substr(11, 5);
}

TEST(SourceHealthTest, ASilentCounterRaisesSourceSilentAtCentralAndSendingAgainClearsIt) {
  Chain chain({{"PAR1", "north", "Europe/Paris"}},
              {"--alert-interval-s", "1", "--alert-disk-free-bytes", "0"});
  std::vector<std::string> args = chain.ReplicationArgs(0);
  args.insert(args.end(), {"--source-silent-minutes", "0.1"});  // 6 s, always open
  chain.ResetEdge(0, args);
  ASSERT_TRUE(chain.StartAll());
  EdgeNode& edge = chain.edge(0);
  Ingest(edge, {Footfall("f1", "2", NowMs() - 60'000)});

  // The edge finds it silent 6 s after it last arrived…
  json seen;
  ASSERT_TRUE(WaitUntil([&] {
    auto source = EdgeSource(edge, "counter", "2");
    if (source) seen = *source;
    return source && source->value("silent", false);
  })) << seen.dump(2);
  EXPECT_EQ(seen["label"], "door counter 2");
  const int64_t last_seen = *common::ParseRfc3339(seen["last_seen"].get<std::string>());
  EXPECT_GE(*common::ParseRfc3339(seen["silent_since"].get<std::string>()), last_seen + 6'000);

  // …and central raises source_silent for it, in the store's own time.
  const std::string id = "source_silent/PAR1/counter:2";
  json alerts;
  ASSERT_TRUE(WaitUntil([&] {
    alerts = GetJson(chain.central().http_port(), "/api/v1/alerts").value_or(json::object());
    return FindById(alerts.value("alerts", json::array()), id).has_value();
  })) << alerts.dump(2);
  const json alert = *FindById(alerts["alerts"], id);
  EXPECT_EQ(alert["kind"], "source_silent");
  EXPECT_EQ(alert["store"], "PAR1");
  EXPECT_EQ(alert["severity"], "warning");
  EXPECT_EQ(alert["source"], (json{{"kind", "counter"}, {"id", "2"}}));
  const common::TimeZone paris = *common::TimeZone::Load("Europe/Paris");
  const std::string expected = "door counter 2 has sent nothing since " +
                               LocalHourMinute(seen["last_seen"].get<std::string>(), paris);
  EXPECT_NE(alert["message"].get<std::string>().find(expected), std::string::npos)
      << alert["message"] << " lacks: " << expected;
  auto fleet = GetJson(chain.central().http_port(), "/api/v1/fleet");
  ASSERT_TRUE(fleet);
  const json silent = (*fleet)["stores"][0]["silent_sources"];
  ASSERT_EQ(silent.size(), 1u) << fleet->dump(2);
  EXPECT_EQ(silent[0]["kind"], "counter");
  EXPECT_EQ(silent[0]["last_seen"], seen["last_seen"]);

  // The counter sends again: the next heartbeat no longer lists it, the alert clears.
  Ingest(edge, {Footfall("f2", "2", NowMs() - 1000)});
  ASSERT_TRUE(WaitUntil([&] {
    alerts = GetJson(chain.central().http_port(), "/api/v1/alerts").value_or(json::object());
    return FindById(alerts.value("recently_cleared", json::array()), id).has_value();
  })) << alerts.dump(2);
}

// One msgpack batch to the edge's ZeroMQ ingest, on a fresh DEALER; whether a reply came in time.
bool SendOverZeroMq(const std::string& endpoint, const std::vector<common::Event>& events) {
  zmq::context_t context;
  zmq::socket_t socket(context, zmq::socket_type::dealer);
  socket.set(zmq::sockopt::linger, 0);
  socket.connect(endpoint);
  socket.send(zmq::message_t(), zmq::send_flags::sndmore);
  socket.send(zmq::buffer(common::EncodeMsgpackBatch(events)));
  zmq::pollitem_t items[] = {{socket.handle(), 0, ZMQ_POLLIN, 0}};
  return zmq::poll(items, 1, std::chrono::seconds(20)) > 0;
}

// A till over HTTP and a counter over ZeroMQ are both known, and still known with their first
// sighting after the edge restarts (sources.json).
TEST(SourceHealthTest, TheEdgeLearnsItsSourcesOnEveryPathAndKeepsThemAcrossARestart) {
  TempDir dir;
  EdgeNode edge(EdgeNode::Options{"S1", "Europe/Paris", dir.File("edge"), {}});
  ASSERT_TRUE(edge.Start());
  Ingest(edge, {TillSale("h1", "3", NowMs() - 60'000)});
  ASSERT_TRUE(SendOverZeroMq(edge.ingest_endpoint(), {Footfall("z1", "door 1", NowMs() - 60'000)}));
  json till, counter;
  ASSERT_TRUE(WaitUntil([&] {
    till = EdgeSource(edge, "till", "3").value_or(json());
    counter = EdgeSource(edge, "counter", "door 1").value_or(json());
    return !till.is_null() && !counter.is_null();
  }));
  EXPECT_EQ(till["label"], "till 3");
  EXPECT_EQ(counter["label"], "door counter door 1");
  EXPECT_EQ(counter["silent"], false);
  ASSERT_EQ(edge.Stop(), 0) << edge.Log();
  ASSERT_TRUE(edge.Start());
  EXPECT_EQ(EdgeSource(edge, "till", "3"), till);
  EXPECT_EQ(EdgeSource(edge, "counter", "door 1").value_or(json())["first_seen"],
            counter["first_seen"]);
  EXPECT_EQ(edge.Stop(), 0) << edge.Log();
}

// Counters 1 and 2 count on 2026-11-02; on the 3rd counter 2 is dead: that day is incomplete
// with it named, at the edge and, once caught up, at central for that store.
TEST(SourceHealthTest, ADayACounterWasDeadIsIncompleteAtTheEdgeAndAtCentral) {
  Chain chain({{"PAR1", "north", "Europe/Paris"}});
  ASSERT_TRUE(chain.StartAll());
  const auto at = [](const char* rfc3339) { return *common::ParseRfc3339(rfc3339); };
  Ingest(chain.edge(0), {TillSale("s1", "1", at("2026-11-02T10:00:00Z")),
                         Footfall("a1", "1", at("2026-11-02T10:00:00Z"), 10),
                         Footfall("b1", "2", at("2026-11-02T10:00:00Z"), 10),
                         TillSale("s2", "1", at("2026-11-03T10:00:00Z")),
                         Footfall("a2", "1", at("2026-11-03T10:00:00Z"), 10)});
  ASSERT_EQ(chain.WaitCaughtUp(0), 5);
  const std::string query = "/api/v1/kpi?from=2026-11-02&to=2026-11-04&by=day";
  auto edge = GetJson(chain.edge(0).http_port(), query);
  auto central = GetJson(chain.central().http_port(), query + "&scope=store:PAR1");
  ASSERT_TRUE(edge && central);
  const json missing_counter_2 = {{{"kind", "counter"}, {"id", "2"}, {"label", "door counter 2"}}};
  for (const json& answer : {*edge, *central}) {
    ASSERT_EQ(answer["rows"].size(), 2u) << answer.dump(2);
    EXPECT_EQ(answer["rows"][0]["completeness"]["complete"], true) << answer.dump(2);
    EXPECT_EQ(answer["rows"][1]["completeness"]["complete"], false) << answer.dump(2);
    EXPECT_EQ(answer["rows"][1]["completeness"]["known"], 3);
    EXPECT_EQ(answer["rows"][1]["completeness"]["missing"], missing_counter_2);
    EXPECT_EQ(answer["rows"][1]["conversion_rate"], 0.1);  // 1 sale / 10: counter 2 missing
  }
}

}  // namespace
}  // namespace storepulse::test_support
