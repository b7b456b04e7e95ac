// Central's one alert model with real daemons on loopback (issue 12): a store going silent is a
// warning, then critical, and the API (which the ops page reads), `storepulse alerts` and
// /metrics say the same at each step; a webhook receiver on loopback gets each raise and each
// clear exactly once, also when it comes up late and across a restart of central; acknowledge
// and silence from the API and the CLI survive a restart, and a silenced alert is not delivered.
#include <gtest/gtest.h>
#include <httplib.h>

#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "tests/integration/chain.h"
#include "tests/support/free_port.h"
#include "tests/support/http_probe.h"
#include "tests/support/process.h"

namespace storepulse::test_support {
namespace {

using nlohmann::json;

// A webhook receiver on 127.0.0.1 that keeps every body it is posted, started when the test says.
class Receiver {
 public:
  Receiver() : port_(FreeTcpPort()) {
    server_.Post("/hook", [this](const httplib::Request& req, httplib::Response& res) {
      std::lock_guard lock(mu_);
      bodies_.push_back(json::parse(req.body, nullptr, false));
      res.set_content("{}", "application/json");
    });
  }
  ~Receiver() { Stop(); }
  void Start() {  // bound before it returns: central's next attempt connects
    ASSERT_TRUE(server_.bind_to_port("127.0.0.1", port_));
    thread_ = std::thread([this] { server_.listen_after_bind(); });
  }
  void Stop() {
    server_.stop();
    if (thread_.joinable()) thread_.join();
  }
  std::string url() const { return "http://127.0.0.1:" + std::to_string(port_) + "/hook"; }
  std::vector<json> bodies() {
    std::lock_guard lock(mu_);
    return bodies_;
  }

 private:
  const int port_;
  httplib::Server server_;
  std::thread thread_;
  std::mutex mu_;
  std::vector<json> bodies_;  // guarded by mu_
};

// "firing warning", "resolved critical": what one webhook body says of its one alert.
std::string StatusOf(const json& body) {
  if (!body.is_object() || !body.contains("alerts") || body["alerts"].size() != 1) return "?";
  const json& alert = body["alerts"][0];
  return alert.value("status", "?") + " " + alert["labels"].value("severity", "?");
}

std::vector<std::string> Statuses(const std::vector<json>& bodies) {
  std::vector<std::string> out;
  for (const json& body : bodies) out.push_back(StatusOf(body));
  return out;
}

std::optional<json> FindAlert(const json& answer, const std::string& id) {
  for (const json& alert : answer.value("alerts", json::array())) {
    if (alert["id"] == id) return alert;
  }
  return std::nullopt;
}

json Alerts(CentralNode& central) {
  return GetJson(central.http_port(), "/api/v1/alerts").value_or(json::object());
}

std::string Url(CentralNode& central) {
  return "http://127.0.0.1:" + std::to_string(central.http_port());
}

int64_t Pending(CentralNode& central) {
  json answer = Alerts(central);
  return answer.contains("delivery") ? answer["delivery"].value("pending", int64_t{-1}) : -1;
}

// Alerts evaluated every second, critical after `offline_s` of silence (the chain shows a store
// offline after 8 s: the warning); no disk rule (test machines may be short of disk).
std::vector<std::string> FastAlerts(const std::string& offline_s,
                                    std::vector<std::string> more = {}) {
  std::vector<std::string> args = {"--alert-interval-s", "1", "--alert-offline-s", offline_s,
                                   "--alert-disk-free-bytes", "0"};
  args.insert(args.end(), more.begin(), more.end());
  return args;
}

// What each view says of one alert at one evaluation: the API, the CLI's JSON and /metrics, read
// between two API answers of the same evaluation (else read again).
struct Views {
  json api;
  json cli;
  std::string metrics;
};

std::optional<Views> ReadViews(CentralNode& central) {
  for (int attempt = 0; attempt < 20; ++attempt) {
    Views views;
    views.api = Alerts(central);
    auto cli = RunProcess({STOREPULSE_CLI_BIN, "alerts", "--central", Url(central), "--json"});
    auto metrics = HttpGet("127.0.0.1", central.http_port(), "/metrics");
    const json again = Alerts(central);
    if (!cli.ok() || !metrics) return std::nullopt;
    views.cli = json::parse(cli->out, nullptr, false);
    views.metrics = metrics->body;
    if (again.value("evaluated_at", json()) == views.api.value("evaluated_at", json())) {
      return views;
    }
  }
  return std::nullopt;
}

std::string Gauge(const std::string& store, const std::string& severity) {
  return "storepulse_alert{kind=\"store_offline\",store=\"" + store + "\",severity=\"" +
         severity + "\"} 1\n";
}

// The three views agree on store_offline/PAR1 at `severity`, and /metrics has no other severity.
void ExpectAllSay(const Views& views, const std::string& severity) {
  auto api = FindAlert(views.api, "store_offline/PAR1");
  ASSERT_TRUE(api) << views.api.dump(2);
  EXPECT_EQ((*api)["severity"], severity);
  auto cli = FindAlert(views.cli, "store_offline/PAR1");
  ASSERT_TRUE(cli) << views.cli.dump(2);
  EXPECT_EQ((*cli)["severity"], severity);
  EXPECT_EQ((*cli)["since"], (*api)["since"]);
  EXPECT_NE(views.metrics.find(Gauge("PAR1", severity)), std::string::npos) << views.metrics;
  const std::string other = severity == "critical" ? "warning" : "critical";
  EXPECT_EQ(views.metrics.find(Gauge("PAR1", other)), std::string::npos) << views.metrics;
}

TEST(AlertModelTest, ASilentStoreIsAWarningThenCriticalAlikeInTheApiTheCliAndTheMetrics) {
  Chain chain({{"PAR1", "north", "Europe/Paris"}}, FastAlerts("14"));
  ASSERT_TRUE(chain.StartAll());
  ASSERT_TRUE(WaitUntil([&] {
    auto fleet = GetJson(chain.central().http_port(), "/api/v1/fleet");
    return fleet && (*fleet)["summary"]["online"] == 1;
  }));
  chain.edge(0).Kill();

  // As soon as the fleet view shows the store offline (what the ops page used to call CRITICAL
  // on its own), the alert model says warning, everywhere.
  ASSERT_TRUE(WaitUntil([&] {
    auto fleet = GetJson(chain.central().http_port(), "/api/v1/fleet");
    return fleet && (*fleet)["stores"][0]["online"] == false;
  }));
  std::optional<Views> views;
  ASSERT_TRUE(WaitUntil([&] {
    views = ReadViews(chain.central());
    return views && FindAlert(views->api, "store_offline/PAR1");
  }, std::chrono::seconds(5))) << (views ? views->api.dump(2) : "no answer");
  ExpectAllSay(*views, "warning");
  const json since = (*FindAlert(views->api, "store_offline/PAR1"))["since"];

  // Silent longer than --alert-offline-s: critical, the same alert (same since) everywhere.
  ASSERT_TRUE(WaitUntil([&] {
    views = ReadViews(chain.central());
    auto alert = views ? FindAlert(views->api, "store_offline/PAR1") : std::nullopt;
    return alert && (*alert)["severity"] == "critical";
  })) << (views ? views->api.dump(2) : "no answer");
  ExpectAllSay(*views, "critical");
  EXPECT_EQ((*FindAlert(views->api, "store_offline/PAR1"))["since"], since);

  // Raise and severity change are logged with journald priorities: err for critical, warning.
  const std::string log = chain.central().Log();
  EXPECT_NE(log.find("<4>warning: alert raised, warning: store_offline/PAR1"), std::string::npos)
      << log;
  EXPECT_NE(log.find("<3>error: alert now critical (was warning): store_offline/PAR1"),
            std::string::npos)
      << log;

  ASSERT_TRUE(chain.edge(0).Start());
  ASSERT_TRUE(WaitUntil([&] {
    views = ReadViews(chain.central());
    return views && !FindAlert(views->api, "store_offline/PAR1") &&
           !FindAlert(views->cli, "store_offline/PAR1");
  })) << (views ? views->api.dump(2) : "no answer");
  EXPECT_EQ(views->metrics.find("storepulse_alert{kind=\"store_offline\""), std::string::npos);
  EXPECT_NE(chain.central().Log().find("<5>alert cleared: store_offline/PAR1"), std::string::npos);
}

TEST(AlertDeliveryTest, AReceiverUpLateGetsEachRaiseAndClearExactlyOnceInOrder) {
  Receiver receiver;  // not started: central's first deliveries fail and are retried
  Chain chain({{"PAR1", "north", "Europe/Paris"}},
              FastAlerts("14", {"--alert-webhook", receiver.url(), "--alert-webhook-retry-max-s",
                                "1"}));
  ASSERT_TRUE(chain.StartCentral());  // PAR1's edge not yet: never seen, warning then critical
  json answer;
  ASSERT_TRUE(WaitUntil([&] {
    answer = Alerts(chain.central());
    auto alert = FindAlert(answer, "store_offline/PAR1");
    return alert && (*alert)["severity"] == "critical" && answer["delivery"]["failed_attempts"] > 1;
  })) << answer.dump(2);

  receiver.Start();
  ASSERT_TRUE(WaitUntil([&] { return receiver.bodies().size() >= 3; })) << answer.dump(2);
  ASSERT_TRUE(chain.StartEdge(0));
  ASSERT_TRUE(WaitUntil([&] {
    return receiver.bodies().size() >= 4 && Pending(chain.central()) == 0;
  })) << Alerts(chain.central()).dump(2);

  const std::vector<json> bodies = receiver.bodies();
  EXPECT_EQ(Statuses(bodies), (std::vector<std::string>{"firing warning", "resolved warning",
                                                        "firing critical", "resolved critical"}));
  for (const json& body : bodies) {
    EXPECT_EQ(body["version"], "4");
    EXPECT_EQ(body["alerts"][0]["labels"]["alertname"], "store_offline");
    EXPECT_EQ(body["alerts"][0]["labels"]["store"], "PAR1");
    EXPECT_EQ(body["alerts"][0]["labels"]["region"], "north");
    EXPECT_EQ(body["alerts"][0]["annotations"]["id"], "store_offline/PAR1");
  }
  EXPECT_EQ(bodies[0]["alerts"][0]["endsAt"], "0001-01-01T00:00:00Z");
  EXPECT_NE(bodies[3]["alerts"][0]["endsAt"], "0001-01-01T00:00:00Z");
  EXPECT_EQ(bodies[2]["alerts"][0]["fingerprint"], bodies[3]["alerts"][0]["fingerprint"]);
  EXPECT_NE(bodies[0]["alerts"][0]["fingerprint"], bodies[2]["alerts"][0]["fingerprint"]);
  auto metrics = HttpGet("127.0.0.1", chain.central().http_port(), "/metrics");
  ASSERT_TRUE(metrics);
  EXPECT_NE(metrics->body.find("storepulse_central_alert_deliveries_total 4\n"),
            std::string::npos)
      << metrics->body;
  EXPECT_NE(metrics->body.find("storepulse_central_alert_deliveries_pending 0\n"),
            std::string::npos);
}

TEST(AlertDeliveryTest, PendingDeliveriesSurviveARestartOfCentral) {
  Receiver receiver;
  Chain chain({{"PAR1", "north", "Europe/Paris"}},
              FastAlerts("3600", {"--alert-webhook", receiver.url()}));
  ASSERT_TRUE(chain.StartCentral());
  json answer;
  ASSERT_TRUE(WaitUntil([&] {  // never seen: a warning once the online window has passed
    answer = Alerts(chain.central());
    return FindAlert(answer, "store_offline/PAR1") && answer["delivery"]["pending"] == 1 &&
           answer["delivery"]["failed_attempts"] >= 1;
  })) << answer.dump(2);
  const json since = (*FindAlert(answer, "store_offline/PAR1"))["since"];
  EXPECT_EQ(chain.central().Stop(), 0);

  receiver.Start();
  ASSERT_TRUE(chain.StartCentral());
  ASSERT_TRUE(WaitUntil([&] {
    return receiver.bodies().size() >= 1 && Pending(chain.central()) == 0;
  })) << Alerts(chain.central()).dump(2);
  answer = Alerts(chain.central());
  // Kept across the restart: the alert and its since; nothing raised twice.
  ASSERT_TRUE(FindAlert(answer, "store_offline/PAR1")) << answer.dump(2);
  EXPECT_EQ((*FindAlert(answer, "store_offline/PAR1"))["since"], since);
  EXPECT_EQ(Statuses(receiver.bodies()), (std::vector<std::string>{"firing warning"}));
  EXPECT_EQ(receiver.bodies()[0]["alerts"][0]["startsAt"], since);
}

int Cli(const std::vector<std::string>& args, std::string* out = nullptr) {
  std::vector<std::string> argv = {STOREPULSE_CLI_BIN};
  argv.insert(argv.end(), args.begin(), args.end());
  auto run = RunProcess(argv);
  if (!run.ok()) return -1;
  if (out != nullptr) *out = run->out + run->err;
  return run->exit_status;
}

TEST(AlertNotesTest, AckAndSilenceFromTheApiAndTheCliSurviveARestartAndSilenceStopsDelivery) {
  Receiver receiver;
  receiver.Start();
  Chain chain({{"PAR1", "north", "Europe/Paris"}},
              FastAlerts("20", {"--alert-webhook", receiver.url()}));
  ASSERT_TRUE(chain.StartCentral());
  CentralNode& central = chain.central();
  ASSERT_TRUE(WaitUntil([&] { return receiver.bodies().size() == 1; }));  // firing warning

  // Bad bodies: 400 with the reason; an id not raised: 404.
  const int port = central.http_port();
  for (const std::string& bad :
       {std::string("not json"), std::string("[]"), std::string(R"({"id":"store_offline/PAR1"})"),
        std::string(R"({"id":7,"by":"x"})"), std::string(R"({"id":"store_offline/PAR1","by":""})")}) {
    auto reply = PostBody(port, "/api/v1/alerts/ack", bad);
    ASSERT_TRUE(reply);
    EXPECT_EQ(reply->status, 400) << bad;
    EXPECT_TRUE(reply->body["error"].is_string()) << bad;
  }
  for (const std::string& bad :
       {std::string(R"({"id":"store_offline/PAR1","by":"x"})"),
        std::string(R"({"id":"store_offline/PAR1","by":"x","for_s":60,"until":"2030-01-01T00:00:00Z"})"),
        std::string(R"({"id":"store_offline/PAR1","by":"x","until":"2001-01-01T00:00:00Z"})"),
        std::string(R"({"id":"store_offline/PAR1","by":"x","until":"tomorrow"})"),
        std::string(R"({"id":"store_offline/PAR1","by":"x","for_s":-5})")}) {
    auto reply = PostBody(port, "/api/v1/alerts/silence", bad);
    ASSERT_TRUE(reply);
    EXPECT_EQ(reply->status, 400) << bad;
  }
  auto unknown = PostBody(port, "/api/v1/alerts/ack", R"({"id":"store_offline/NOPE","by":"x"})");
  ASSERT_TRUE(unknown);
  EXPECT_EQ(unknown->status, 404);
  EXPECT_EQ(Cli({"alerts", "ack", "store_offline/NOPE", "--central", Url(central)}), 1);
  EXPECT_EQ(Cli({"alerts", "silence", "store_offline/PAR1", "--central", Url(central)}), 2);

  // Acknowledged from the API, silenced from the CLI.
  auto ack = PostBody(port, "/api/v1/alerts/ack",
                      R"({"id":"store_offline/PAR1","by":"alice","comment":"on it"})");
  ASSERT_TRUE(ack);
  ASSERT_EQ(ack->status, 200) << ack->body.dump();
  EXPECT_EQ(ack->body["id"], "store_offline/PAR1");
  EXPECT_EQ(ack->body["acknowledged"]["by"], "alice");
  EXPECT_EQ(ack->body["acknowledged"]["comment"], "on it");
  EXPECT_TRUE(ack->body["silenced_until"].is_null());
  std::string out;
  ASSERT_EQ(Cli({"alerts", "silence", "store_offline/PAR1", "--for", "2h", "--by", "bob",
                 "--central", Url(central)},
                &out),
            0)
      << out;
  EXPECT_NE(out.find("silenced store_offline/PAR1 until"), std::string::npos) << out;

  // Silenced: its escalation to critical is listed but not delivered (the warning's end is).
  json answer;
  ASSERT_TRUE(WaitUntil([&] {
    answer = Alerts(central);
    auto alert = FindAlert(answer, "store_offline/PAR1");
    return alert && (*alert)["severity"] == "critical" && answer["delivery"]["pending"] == 0;
  })) << answer.dump(2);
  EXPECT_EQ(Statuses(receiver.bodies()),
            (std::vector<std::string>{"firing warning", "resolved warning"}));
  json alert = *FindAlert(answer, "store_offline/PAR1");
  EXPECT_TRUE(alert["silenced_until"].is_string());
  EXPECT_EQ(alert["acknowledged"]["by"], "alice");
  EXPECT_EQ(answer["summary"]["silenced"], 1);
  ASSERT_EQ(Cli({"alerts", "--central", Url(central)}, &out), 1);
  EXPECT_NE(out.find("acked by alice, silenced to"), std::string::npos) << out;

  // Both survive a restart.
  EXPECT_EQ(central.Stop(), 0);
  ASSERT_TRUE(central.Start());
  answer = Alerts(central);
  ASSERT_TRUE(FindAlert(answer, "store_offline/PAR1")) << answer.dump(2);
  alert = *FindAlert(answer, "store_offline/PAR1");
  EXPECT_EQ(alert["acknowledged"]["by"], "alice");
  EXPECT_TRUE(alert["silenced_until"].is_string()) << alert.dump();
  EXPECT_EQ(alert["severity"], "critical");
}

}  // namespace
}  // namespace storepulse::test_support
