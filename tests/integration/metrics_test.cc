// GET /metrics of both daemons with a real fleet: central's per-store series carry each store's
// figures (online, silence, backlog, lag, clock skew, disk, events applied, refusals, net sales),
// the edge its replication state and ingest by path and result, both the process, build and
// request-duration series; and `promtool check metrics` (Debian's prometheus package) finds
// nothing to say of either daemon's answer, every family of which docs/OPERATIONS.md lists.
#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>
#include <map>
#include <optional>
#include <sstream>
#include <string>
#include <vector>
#include <zmq.hpp>

#include "common/event_codec.h"
#include "tests/integration/chain.h"
#include "tests/integration/test_events.h"
#include "tests/support/http_probe.h"

namespace storepulse::test_support {
namespace {

namespace wire = common::wire;
using Samples = std::map<std::string, double>;  // `name{labels}` → value

std::string MetricsText(int port) {
  auto reply = HttpGet("127.0.0.1", port, "/metrics");
  return reply && reply->status == 200 ? reply->body : "";
}

Samples Parse(const std::string& text) {
  Samples samples;
  std::istringstream lines(text);
  for (std::string line; std::getline(lines, line);) {
    if (line.empty() || line[0] == '#') continue;
    const size_t space = line.rfind(' ');
    samples[line.substr(0, space)] = std::stod(line.substr(space + 1));
  }
  return samples;
}

std::optional<double> Value(const Samples& samples, const std::string& key) {
  auto it = samples.find(key);
  return it == samples.end() ? std::nullopt : std::optional<double>(it->second);
}

std::string Store(const std::string& name, const std::string& store, const std::string& region,
                  const std::string& more = "") {
  return name + "{store=\"" + store + "\",region=\"" + region + "\"" + more + "}";
}

// promtool's verdict on `text`, or nothing when promtool is not installed.
std::optional<std::pair<int, std::string>> Promtool(const std::string& text,
                                                    const std::string& file) {
  if (std::system("command -v promtool >/dev/null 2>&1") != 0) return std::nullopt;
  std::ofstream(file) << text;
  FILE* pipe = popen(("promtool check metrics < " + file + " 2>&1").c_str(), "r");
  if (pipe == nullptr) return std::make_pair(-1, std::string("popen failed"));
  std::string output;
  char buffer[4096];
  while (size_t n = fread(buffer, 1, sizeof buffer, pipe)) output.append(buffer, n);
  const int status = pclose(pipe);
  return std::make_pair(WIFEXITED(status) ? WEXITSTATUS(status) : -1, output);
}

// The families of `text` that docs/OPERATIONS.md does not list (as `name`).
std::vector<std::string> Undocumented(const std::string& text) {
  std::ifstream file(STOREPULSE_SOURCE_DIR "/docs/OPERATIONS.md");
  std::stringstream docs;
  docs << file.rdbuf();
  std::vector<std::string> missing;
  std::istringstream lines(text);
  for (std::string line; std::getline(lines, line);) {
    if (line.rfind("# TYPE ", 0) != 0) continue;
    const std::string name = line.substr(7, line.find(' ', 7) - 7);
    if (docs.str().find("`" + name + "`") == std::string::npos) missing.push_back(name);
  }
  return missing;
}

#define EXPECT_PROMTOOL_CLEAN(text, file)                                                         \
  do {                                                                                            \
    auto verdict = Promtool(text, file);                                                          \
    if (!verdict) {                                                                               \
      GTEST_SKIP() << "promtool not installed (Debian package prometheus; scripts/test installs " \
                      "it): the series were checked, their format was not";                       \
    }                                                                                             \
    EXPECT_EQ(verdict->first, 0) << verdict->second;                                              \
    EXPECT_EQ(verdict->second, "") << verdict->second;                                            \
  } while (0)

// One msgpack batch on the edge's ZeroMQ ingest endpoint; the reply (bounded wait).
std::optional<nlohmann::json> ZmqIngest(const std::string& endpoint,
                                        const std::vector<common::Event>& events) {
  zmq::context_t context;
  zmq::socket_t socket(context, zmq::socket_type::req);
  socket.set(zmq::sockopt::linger, 0);
  socket.connect(endpoint);
  socket.send(zmq::buffer(common::EncodeMsgpackBatch(events)));
  zmq::pollitem_t items[] = {{socket.handle(), 0, ZMQ_POLLIN, 0}};
  if (zmq::poll(items, 1, std::chrono::seconds(20)) == 0) return std::nullopt;
  zmq::message_t reply;
  if (!socket.recv(reply)) return std::nullopt;
  return nlohmann::json::from_msgpack(reply.to_string_view(), true, false);
}

// PAR1 is a real edge; LYO1 a hand-driven one whose heartbeat says exactly what it holds; NCE1
// never connects. On central.db and on PostgreSQL (the fleet, the read model's views and KPIs).
class MetricsOnEitherLog : public testing::TestWithParam<Backend> {};

TEST_P(MetricsOnEitherLog, CentralExportsEachStoresFleetFiguresAsSeriesPromtoolAccepts) {
  Chain chain({{"PAR1", "north", "Europe/Paris"},
               {"LYO1", "south", "Europe/Paris"},
               {"NCE1", "south", "Europe/Paris"}},
              {}, GetParam());
  ASSERT_TRUE(chain.StartCentral());
  ASSERT_TRUE(chain.StartEdge(0));
  // Stamped a second ago, not an hour (Sales' default): the gauge is the store's local day, and
  // between 00:00 and 01:00 in Paris an hour ago is yesterday there.
  const std::vector<common::Event> sales = Sales("m", 12, NowMs() - 1000);
  auto posted =
      PostBody(chain.edge(0).http_port(), "/api/v1/events", common::EncodeJsonLines(sales));
  ASSERT_TRUE(posted && posted->status == 200);
  // Stored at central (acknowledged) before central's /metrics is first read: its net sales
  // (a KPI query, made again at most every 15 s) count every event from the first scrape.
  ASSERT_EQ(chain.WaitCaughtUp(0), 12);

  WireClient lyon = chain.Wire(1);
  lyon.Send(wire::Hello{"LYO1", "inc-1", 0, "test"});
  ASSERT_TRUE(lyon.Receive());
  wire::Heartbeat beat;
  beat.clock_ms = NowMs() + 5'500;  // 5 s ahead (whole seconds, rounded towards 0)
  beat.backlog_events = 42;
  beat.backlog_value = 12'345;
  beat.oldest_unsent_age_ms = 7'000;
  beat.disk_free_bytes = int64_t{1} << 33;
  beat.disk_accepting = false;
  beat.version = "test";
  lyon.Send(beat);
  ASSERT_TRUE(lyon.Receive());
  lyon.SendRaw("\xc1\xff garbage");  // refused as malformed, counted for LYO1
  ASSERT_TRUE(lyon.Receive());

  // A path no route takes is counted as "unmatched", never by its own name.
  ASSERT_TRUE(HttpGet("127.0.0.1", chain.central().http_port(), "/no/such/page"));
  const std::string kKpiRequests =
      "storepulse_http_request_duration_seconds_count{route=\"/api/v1/kpi\",method=\"GET\","
      "code=\"200\"}";
  std::string text;
  Samples m;
  const double net_sales = chain.CentralKpis("store:PAR1")[0]["net_sales"].get<double>();
  ASSERT_TRUE(WaitUntil([&] {
    text = MetricsText(chain.central().http_port());
    m = Parse(text);
    // Each request is timed once answered: the KPI request's may come after the next answer.
    return Value(m, kKpiRequests) == 1 &&
           Value(m, Store("storepulse_store_net_sales_today", "PAR1", "north")) == net_sales &&
           Value(m, Store("storepulse_store_refusals_total", "LYO1", "south",
                          ",reason=\"malformed\"")) == 1;
  })) << text;
  EXPECT_GT(net_sales, 0);
  EXPECT_EQ(Value(m, Store("storepulse_store_online", "PAR1", "north")), 1);
  EXPECT_EQ(Value(m, Store("storepulse_store_online", "LYO1", "south")), 1);
  EXPECT_EQ(Value(m, Store("storepulse_store_online", "NCE1", "south")), 0);
  EXPECT_LE(Value(m, Store("storepulse_store_silent_seconds", "PAR1", "north")), 6);
  EXPECT_FALSE(Value(m, Store("storepulse_store_silent_seconds", "NCE1", "south")));
  EXPECT_EQ(Value(m, Store("storepulse_store_backlog_events", "LYO1", "south")), 42);
  EXPECT_EQ(Value(m, Store("storepulse_store_backlog_value", "LYO1", "south")), 12'345);
  EXPECT_EQ(Value(m, Store("storepulse_store_lag_seconds", "LYO1", "south")), 7);
  EXPECT_EQ(Value(m, Store("storepulse_store_clock_skew_seconds", "LYO1", "south")), 5);
  EXPECT_EQ(Value(m, Store("storepulse_store_disk_free_bytes", "LYO1", "south")),
            double(int64_t{1} << 33));
  EXPECT_EQ(Value(m, Store("storepulse_store_disk_accepting", "LYO1", "south")), 0);
  EXPECT_FALSE(Value(m, Store("storepulse_store_backlog_events", "NCE1", "south")));
  EXPECT_EQ(Value(m, Store("storepulse_store_events_applied_total", "PAR1", "north")), 12);
  EXPECT_EQ(Value(m, Store("storepulse_store_events_applied_total", "NCE1", "south")), 0);
  EXPECT_EQ(Value(m, "storepulse_central_refusals_total{reason=\"malformed\"}"), 1);
  EXPECT_EQ(Value(m, "storepulse_central_refusals_total{reason=\"version\"}"),
            0);  // known, none yet
  EXPECT_EQ(Value(m, "storepulse_central_stores_online"), 2);
  EXPECT_EQ(
      Value(m, "storepulse_build_info{version=\"" STOREPULSE_VERSION "\",daemon=\"central\"}"), 1);
  EXPECT_GT(Value(m, "process_resident_memory_bytes").value_or(0), 1 << 20);
  EXPECT_GT(Value(m, "process_open_fds").value_or(0), 3);
  EXPECT_GT(Value(m, "process_start_time_seconds").value_or(0), NowMs() / 1000 - 600);
  EXPECT_GT(Value(m, "storepulse_central_database_bytes").value_or(0), 0);
  EXPECT_EQ(Value(m,
                  "storepulse_http_request_duration_seconds_count{route=\"unmatched\","
                  "method=\"GET\",code=\"404\"}"),
            1);
  EXPECT_EQ(text.find("/no/such/page"), std::string::npos);
  EXPECT_EQ(Undocumented(text), std::vector<std::string>{});

  // The edge goes away: offline once the online window (8 s) has passed, silent since.
  ASSERT_EQ(chain.edge(0).Stop(), 0);
  ASSERT_TRUE(WaitUntil([&] {
    m = Parse(MetricsText(chain.central().http_port()));
    return Value(m, Store("storepulse_store_online", "PAR1", "north")) == 0;
  }));
  EXPECT_GE(Value(m, Store("storepulse_store_silent_seconds", "PAR1", "north")), 8);
  EXPECT_EQ(Value(m, Store("storepulse_store_events_applied_total", "PAR1", "north")), 12);
  EXPECT_PROMTOOL_CLEAN(text, chain.dir().File("central.prom"));  // last: it may skip
}

INSTANTIATE_TEST_SUITE_P(Backends, MetricsOnEitherLog, kBothBackends, BackendName);

TEST(MetricsTest, EdgeExportsReplicationStateAndIngestByPathAsSeriesPromtoolAccepts) {
  Chain chain({{"PAR1", "north", "Europe/Paris"}});
  ASSERT_TRUE(chain.StartAll());
  EdgeNode& edge = chain.edge(0);
  auto post = [&](const std::vector<common::Event>& events) {
    return PostBody(edge.http_port(), "/api/v1/events", common::EncodeJsonLines(events));
  };
  ASSERT_TRUE(post(Sales("h", 5)));
  ASSERT_TRUE(post(Sales("h", 2)));  // duplicates
  std::vector<common::Event> invalid = Sales("bad", 1);
  invalid[0].lines.clear();  // a sale without lines
  ASSERT_TRUE(post(invalid));
  auto zmq_reply = ZmqIngest(edge.ingest_endpoint(), Sales("z", 3));
  ASSERT_TRUE(zmq_reply && (*zmq_reply)["accepted"] == 3) << zmq_reply.value_or(nullptr).dump();
  ASSERT_EQ(chain.WaitCaughtUp(0), 8);

  const std::string ingest = "storepulse_edge_ingest_events_total";
  const std::string kEventRequests =
      "storepulse_http_request_duration_seconds_count{route=\"/api/v1/events\",method=\"POST\","
      "code=\"200\"}";
  std::string text;
  Samples m;
  ASSERT_TRUE(WaitUntil([&] {
    text = MetricsText(edge.http_port());
    m = Parse(text);
    return Value(m, "storepulse_edge_replication_acked_seq") == 8 &&
           Value(m, "storepulse_edge_replication_backlog_events") == 0 &&
           Value(m, kEventRequests) == 3;  // each timed once answered
  })) << text;
  EXPECT_EQ(Value(m, ingest + "{path=\"http\",result=\"accepted\"}"), 5);
  EXPECT_EQ(Value(m, ingest + "{path=\"http\",result=\"duplicate\"}"), 2);
  EXPECT_EQ(Value(m, ingest + "{path=\"http\",result=\"rejected\"}"), 1);
  EXPECT_EQ(Value(m, ingest + "{path=\"zmq\",result=\"accepted\"}"), 3);
  EXPECT_EQ(Value(m, ingest + "{path=\"connector\",result=\"accepted\"}"), 0);
  EXPECT_EQ(Value(m, "storepulse_edge_replication_configured"), 1);
  EXPECT_EQ(Value(m, "storepulse_edge_replication_connected"), 1);
  EXPECT_EQ(Value(m, "storepulse_edge_replication_streaming"), 1);
  EXPECT_EQ(Value(m, "storepulse_edge_replication_oldest_unsent_age_seconds"), 0);
  EXPECT_LT(Value(m, "storepulse_edge_replication_last_ack_age_seconds").value_or(99), 30);
  EXPECT_EQ(Value(m, "storepulse_build_info{version=\"" STOREPULSE_VERSION
                     "\",daemon=\"edge\",store=\"PAR1\"}"),
            1);
  EXPECT_GT(Value(m, "storepulse_edge_database_bytes").value_or(0), 0);
  EXPECT_EQ(Undocumented(text), std::vector<std::string>{});

  // Central goes away: the edge says so, and what it stores meanwhile is its backlog.
  ASSERT_EQ(chain.central().Stop(), 0);
  ASSERT_TRUE(post(Sales("later", 4)));
  ASSERT_TRUE(WaitUntil([&] {
    m = Parse(MetricsText(edge.http_port()));
    return Value(m, "storepulse_edge_replication_streaming") == 0 &&
           Value(m, "storepulse_edge_replication_backlog_events") == 4;
  })) << MetricsText(edge.http_port());
  EXPECT_EQ(Value(m, "storepulse_edge_replication_acked_seq"), 8);
  EXPECT_EQ(Value(m, "storepulse_edge_replication_backlog_value"), GrossValue(Sales("later", 4)));
  EXPECT_GE(Value(m, "storepulse_edge_replication_oldest_unsent_age_seconds"), 0);
  EXPECT_PROMTOOL_CLEAN(text, chain.dir().File("edge.prom"));  // last: it may skip
}

}  // namespace
}  // namespace storepulse::test_support
