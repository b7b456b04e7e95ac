#include "tests/faults/net/net_scenario.h"

#include <SQLiteCpp/SQLiteCpp.h>
#include <gtest/gtest.h>

#include <cstdlib>
#include <iostream>
#include <map>

#include "common/event_codec.h"
#include "common/sim/store_simulator.h"
#include "common/time_zone.h"
#include "tests/integration/chain.h"
#include "tests/integration/view_check.h"
#include "tests/support/http_probe.h"

namespace storepulse::test_support {
namespace {

using Clock = std::chrono::steady_clock;
const std::string kAllTime = "from=2000-01-01&to=2100-01-01";

double SecondsSince(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

// How many times each event id is in a database's log (edge.db: all; central.db: the store's).
std::map<std::string, int> LogIds(const std::string& path, common::EventLogKind kind,
                                  const std::string& store) {
  std::map<std::string, int> ids;
  try {
    SQLite::Database db(path, SQLite::OPEN_READONLY);
    auto log = ReadWholeLog(db, kind, store);
    EXPECT_TRUE(log.ok()) << path << ": " << log.status().message();
    if (log.ok()) {
      for (const auto& entry : *log) ++ids[entry.event.id];
    }
  } catch (const std::exception& e) {
    ADD_FAILURE() << "cannot read " << path << ": " << e.what();
  }
  return ids;
}

// The first differences between the acknowledged ids and a log's: missing, doubled, unknown.
std::string IdDifferences(const std::set<std::string>& acked,
                          const std::map<std::string, int>& log) {
  std::string out;
  int shown = 0;
  auto note = [&](const std::string& line) {
    if (shown++ < 8) out += "  " + line + "\n";
  };
  for (const std::string& id : acked) {
    auto it = log.find(id);
    if (it == log.end())
      note(id + " acknowledged, missing");
    else if (it->second != 1)
      note(id + " stored " + std::to_string(it->second) + " times");
  }
  for (const auto& [id, count] : log) {
    if (!acked.count(id)) note(id + " stored, never acknowledged to the producer");
  }
  if (shown > 8) out += "  … " + std::to_string(shown - 8) + " more\n";
  return out;
}

nlohmann::json WithoutArea(nlohmann::json rows) {
  for (auto& row : rows) row.erase("sales_per_m2");  // central knows the area, the edge not
  return rows;
}

}  // namespace

std::chrono::seconds ScenarioSeconds(const char* name, std::chrono::seconds issue_value) {
  const char* value = std::getenv(name);
  if (value == nullptr || *value == '\0') return issue_value;
  return std::chrono::seconds(std::max(1, std::atoi(value)));
}

common::StatusOr<std::unique_ptr<NetScenario>> NetScenario::Create(const std::string& name,
                                                                   bool through_proxy) {
  ASSIGN_OR_RETURN(std::unique_ptr<NetnsLink> link, NetnsLink::Create());
  std::unique_ptr<NetScenario> scenario(new NetScenario());
  scenario->name_ = name;
  scenario->link_ = std::move(link);
  const TempDir& dir = scenario->dir_;
  const common::CurveKeyPair central_keys = MakeKeys(dir.path(), "central");
  const common::CurveKeyPair edge_keys = MakeKeys(dir.path(), scenario->store_);
  dir.Write("stores.csv", "store,public_key,name,region,timezone,area_m2\n" + scenario->store_ +
                              "," + edge_keys.public_key + ",Store " + scenario->store_ +
                              ",europe," + scenario->timezone_ + ",1000\n");
  scenario->central_ =
      std::make_unique<CentralNode>(CentralNode::Options{dir.File("central"),
                                                         dir.File("central.key"),
                                                         dir.File("stores.csv"),
                                                         {"--online-window-s", "8"},
                                                         scenario->link_->central_ip()});
  std::string endpoint = scenario->central_->endpoint();
  if (through_proxy) {
    const int central_port = std::stoi(endpoint.substr(endpoint.rfind(':') + 1));
    ASSIGN_OR_RETURN(
        scenario->proxy_,
        FaultProxy::Start({scenario->link_->central_ns(), scenario->link_->central_ip(), 0,
                           scenario->link_->central_ip(), central_port}));
    endpoint =
        "tcp://" + scenario->link_->central_ip() + ":" + std::to_string(scenario->proxy_->port());
  }
  scenario->edge_ = std::make_unique<EdgeNode>(EdgeNode::Options{
      scenario->store_,
      scenario->timezone_,
      dir.File("edge"),
      {"--central-endpoint", endpoint, "--central-public-key", dir.File("central.pub"),
       "--secret-key-file", dir.File(scenario->store_ + ".key")}});
  return scenario;
}

NetScenario::~NetScenario() {
  stop_producer_.store(true);  // a test that failed early does not wait out the schedule
  if (producer_.joinable()) producer_.join();
  if (edge_) edge_->Kill();
  if (central_) {
    central_->Signal(SIGCONT);  // a stopped process takes SIGKILL too, but be plain about it
    central_->Kill();
  }
  proxy_.reset();
  link_.reset();  // the namespaces, once nothing runs in them
}

bool NetScenario::Start() {
  started_ = Clock::now();
  {
    NetnsScope in_central(link_->central_ns());
    if (!central_->Start()) return false;
  }
  {
    NetnsScope in_edge(link_->edge_ns());
    if (!edge_->Start()) return false;
  }
  const bool streaming =
      WaitUntil([&] { return EdgeStatus()["replication"].value("streaming", false); },
                std::chrono::seconds(30));
  EXPECT_TRUE(streaming) << "the edge never streamed: " << EdgeStatus().dump();
  return streaming;
}

nlohmann::json NetScenario::EdgeStatus() {
  NetnsScope in_edge(link_->edge_ns());
  return GetJson(edge_->http_port(), "/api/v1/status").value_or(nlohmann::json::object());
}

bool NetScenario::Behind() {
  nlohmann::json status = EdgeStatus();
  return status.contains("last_seq") &&
         status["replication"].value("acked_seq", int64_t{-1}) != status["last_seq"];
}

void NetScenario::StartTraffic(size_t events, std::chrono::milliseconds over) {
  auto zone = common::TimeZone::Load(timezone_);
  ASSERT_TRUE(zone.ok());
  auto simulator = common::StoreSimulator::Create({store_, *zone, 1.0, 13});
  ASSERT_TRUE(simulator.ok()) << simulator.status().message();
  const int64_t now_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                             std::chrono::system_clock::now().time_since_epoch())
                             .count();
  // The store's last ten days (about 870 events a day), from the same first instant at every
  // call, so that each call sends the events after those sent before.
  if (traffic_from_ms_ == 0) traffic_from_ms_ = now_ms - 10 * 86'400'000LL;
  const size_t before = sent_;
  sent_ += events;
  std::vector<common::Event> all = simulator->Generate(traffic_from_ms_, now_ms);
  ASSERT_GE(all.size(), sent_) << "the simulator made fewer events than asked";
  all.resize(sent_);
  all.erase(all.begin(), all.begin() + static_cast<std::ptrdiff_t>(before));
  // About two batches a second.
  const size_t batches = std::max<size_t>(1, static_cast<size_t>(over.count() / 500));
  const size_t per_batch = (events + batches - 1) / batches;
  std::vector<std::string> bodies;
  std::vector<std::vector<std::string>> ids;
  for (size_t at = 0; at < all.size(); at += per_batch) {
    std::vector<common::Event> batch(all.begin() + at,
                                     all.begin() + std::min(all.size(), at + per_batch));
    bodies.push_back(common::EncodeJsonLines(batch));
    ids.emplace_back();
    for (const auto& e : batch) ids.back().push_back(e.id);
  }
  const auto interval = over / static_cast<int64_t>(std::max<size_t>(1, bodies.size()));
  producer_ = std::thread(&NetScenario::Feed, this, std::move(bodies), std::move(ids), interval);
}

void NetScenario::Feed(std::vector<std::string> bodies, std::vector<std::vector<std::string>> ids,
                       std::chrono::milliseconds interval) {
  NetnsScope in_edge(link_->edge_ns());  // this thread's sockets reach the edge's 127.0.0.1
  auto next = Clock::now();
  for (size_t b = 0; b < bodies.size() && !stop_producer_.load(); ++b) {
    std::this_thread::sleep_until(next);  // the producer's pace, not a wait for a condition
    next += interval;
    bool acked = false;
    for (int attempt = 0; attempt < 5 && !acked; ++attempt) {
      auto reply = PostBody(edge_->http_port(), "/api/v1/events", bodies[b]);
      acked =
          reply && reply->status == 200 &&
          reply->body.value("accepted", size_t{0}) + reply->body.value("duplicates", size_t{0}) ==
              ids[b].size();
      if (!acked) {
        std::lock_guard lock(mu_);
        ++resent_batches_;
      }
    }
    if (!acked) {
      ADD_FAILURE() << "the edge did not acknowledge batch " << b << " in 5 attempts";
      continue;
    }
    std::lock_guard lock(mu_);
    acked_.insert(ids[b].begin(), ids[b].end());
  }
}

void NetScenario::WaitTraffic() {
  if (producer_.joinable()) producer_.join();
}

size_t NetScenario::CentralLogSize() {
  return LogIds(dir_.File("central") + "/central.db", common::EventLogKind::kCentral, store_)
      .size();
}

size_t NetScenario::acked_events() {
  std::lock_guard lock(mu_);
  return acked_.size();
}

nlohmann::json NetScenario::KpiRows(bool at_central, const std::string& by) {
  std::optional<nlohmann::json> kpi;
  if (at_central) {
    NetnsScope in_central(link_->central_ns());
    kpi = GetJson(central_->http_port(),
                  "/api/v1/kpi?scope=store:" + store_ + "&by=" + by + "&" + kAllTime);
  } else {
    NetnsScope in_edge(link_->edge_ns());
    kpi = GetJson(edge_->http_port(), "/api/v1/kpi?by=" + by + "&" + kAllTime);
  }
  EXPECT_TRUE(kpi.has_value()) << (at_central ? "central" : "the edge") << " gave no KPIs";
  return kpi ? WithoutArea((*kpi)["rows"]) : nlohmann::json();
}

void NetScenario::FaultEnded() { fault_ended_ = Clock::now(); }

double NetScenario::ExpectConverged(std::chrono::seconds deadline) {
  if (fault_ended_ == Clock::time_point()) FaultEnded();
  WaitTraffic();
  const bool caught_up = WaitUntil([&] { return !Behind(); }, deadline);
  const double seconds = SecondsSince(fault_ended_);
  const nlohmann::json status = EdgeStatus();
  EXPECT_TRUE(caught_up) << name_ << ": central had not acknowledged every event after "
                         << deadline.count() << " s: " << status.dump();

  std::set<std::string> acked;
  int64_t resent = 0;
  {
    std::lock_guard lock(mu_);
    acked = acked_;
    resent = resent_batches_;
  }
  const auto edge_ids =
      LogIds(edge_->options().data_dir + "/edge.db", common::EventLogKind::kEdge, "");
  const auto central_ids =
      LogIds(dir_.File("central") + "/central.db", common::EventLogKind::kCentral, store_);
  EXPECT_EQ(IdDifferences(acked, edge_ids), "") << name_ << ": the edge's log";
  EXPECT_EQ(IdDifferences(acked, central_ids), "") << name_ << ": central's log";
  EXPECT_EQ(central_ids.size(), acked.size());
  // Both answer from their views alone once those folded everything (the customer figures are
  // estimated there alike: an answer with a pending tail counts some of them exactly).
  const bool folded = WaitUntil(
      [&] {
        if (EdgeStatus()["views"].value("pending_events", int64_t{-1}) != 0) return false;
        NetnsScope in_central(link_->central_ns());
        auto metrics = HttpGet("127.0.0.1", central_->http_port(), "/metrics");
        return metrics && metrics->body.find("storepulse_central_views_pending_events 0\n") !=
                              std::string::npos;
      },
      std::chrono::seconds(60));
  EXPECT_TRUE(folded) << name_ << ": the views did not fold everything within 60 s";
  for (const std::string by : {"total", "day"}) {
    const nlohmann::json at_edge = KpiRows(false, by);
    EXPECT_FALSE(at_edge.empty()) << by;
    EXPECT_EQ(KpiRows(true, by), at_edge) << name_ << ": KPI rows by " << by;
  }
  std::cout << "NETFAULT " << name_ << ": " << acked.size() << " events acknowledged (" << resent
            << " batches posted again), edge log " << edge_ids.size() << ", central log "
            << central_ids.size() << "; caught up " << seconds
            << " s after the fault ended; scenario " << SecondsSince(started_) << " s; "
            << "stream_restarts " << status["replication"].value("stream_restarts", int64_t{-1})
            << "\n";
  return caught_up ? seconds : -1;
}

}  // namespace storepulse::test_support
