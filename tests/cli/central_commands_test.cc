// `storepulse network` and `storepulse fleet`, run in-process against a fake central on loopback
// that serves canned answers: the request they make, what they print and their exit status.
#include <gtest/gtest.h>
#include <httplib.h>

#include <mutex>
#include <nlohmann/json.hpp>
#include <sstream>
#include <thread>

#include "cli/fleet_command.h"
#include "cli/network_command.h"
#include "tests/support/free_port.h"

namespace storepulse::cli {
namespace {

using nlohmann::json;

constexpr std::string_view kByStore = R"({"from":"2026-11-01","to":"2026-11-08","scope":"network",
  "by":"store","rows":[
    {"key":"S1","gross_sales":123456,"net_sales":120000,"transactions":100,"aov":1234.56,
     "upt":2.5,"footfall":400,"conversion_rate":0.25,"return_rate":0.028},
    {"key":"S2","gross_sales":0,"net_sales":0,"transactions":0,"aov":null,"upt":null,
     "footfall":0,"conversion_rate":null,"return_rate":null}]})";

constexpr std::string_view kFleet = R"({"clock":"2026-11-22T10:15:00.000Z",
  "summary":{"stores":2,"online":1,"offline":1,"backlog_events":0,"backlog_value":0,"refusals":0},
  "stores":[{"store":"S1","name":"Paris","region":"FR","timezone":"Europe/Paris","online":true,
             "last_seen":"2026-11-22T10:14:58.000Z","silent_s":2,"acked_seq":7},
            {"store":"S2","name":"Lyon","region":"FR","timezone":"Europe/Paris","online":false,
             "last_seen":null}],
  "refusals":[]})";

// A central that answers /api/v1/kpi with kByStore (404 for scope store:S9) and /api/v1/fleet
// with `fleet`, and remembers the last KPI request.
class FakeCentral {
 public:
  explicit FakeCentral(std::string fleet) : fleet_(std::move(fleet)) {
    server_.Get("/api/v1/kpi", [this](const httplib::Request& req, httplib::Response& res) {
      {
        std::lock_guard lock(mu_);
        last_kpi_query_ = req.target;
      }
      if (req.get_param_value("scope") == "store:S9") {
        res.status = 404;
        res.set_content(R"({"error":"unknown store S9"})", "application/json");
        return;
      }
      res.set_content(std::string(kByStore), "application/json");
    });
    server_.Get("/api/v1/fleet", [this](const httplib::Request&, httplib::Response& res) {
      res.set_content(fleet_, "application/json");
    });
    port_ = server_.bind_to_any_port("127.0.0.1");
    thread_ = std::thread([this] { server_.listen_after_bind(); });
  }
  ~FakeCentral() {
    server_.stop();
    thread_.join();
  }

  std::string url() const { return "http://127.0.0.1:" + std::to_string(port_); }
  std::string last_kpi_query() const {
    std::lock_guard lock(mu_);
    return last_kpi_query_;
  }

 private:
  std::string fleet_;
  httplib::Server server_;
  int port_ = 0;
  std::thread thread_;
  mutable std::mutex mu_;
  std::string last_kpi_query_;  // guarded by mu_
};

struct Outcome {
  int exit_status;
  std::string out;
  std::string err;
};

Outcome Command(CommandFn command, const std::vector<std::string>& args) {
  std::ostringstream out;
  std::ostringstream err;
  CommandIo io{out, err, false};
  const int status = command(args, io);
  return {status, out.str(), err.str()};
}

TEST(NetworkCommandTest, ShowsOneRowPerStoreLikeStorepulseKpi) {
  FakeCentral central{std::string(kFleet)};
  const Outcome run = Command(&RunNetwork, {"--central", central.url(), "--from", "2026-11-01",
                                            "--to", "2026-11-08", "--by", "store"});
  ASSERT_EQ(run.exit_status, 0) << run.err;
  EXPECT_EQ(central.last_kpi_query(),
            "/api/v1/kpi?scope=network&from=2026-11-01&to=2026-11-08&by=store");
  EXPECT_EQ(run.out,
            "Network — 2026-11-01 to 2026-11-07 (each store's local time)\n"
            "\n"
            "Store  Gross sales  Net sales  Transactions    AOV   UPT  Footfall  Conversion  "
            "Return rate\n"
            "─────  ───────────  ─────────  ────────────  ─────  ────  ────────  ──────────  "
            "───────────\n"
            "S1        1,234.56   1,200.00           100  12.35  2.50       400       25.0%  "
            "       2.8%\n"
            "S2            0.00       0.00             0      –     –         0           –  "
            "          –\n");
}

TEST(NetworkCommandTest, AStoreScopeNamesTheStoresTimeZoneAndJsonIsTheApis) {
  FakeCentral central{std::string(kFleet)};
  const Outcome table = Command(&RunNetwork, {"--central", central.url(), "--scope", "store:S1"});
  ASSERT_EQ(table.exit_status, 0) << table.err;
  EXPECT_EQ(central.last_kpi_query(), "/api/v1/kpi?scope=store%3AS1&by=total");
  EXPECT_NE(table.out.find("(Europe/Paris)\n"), std::string::npos) << table.out;

  const Outcome as_json = Command(&RunNetwork, {"--central", central.url(), "--json"});
  ASSERT_EQ(as_json.exit_status, 0) << as_json.err;
  EXPECT_EQ(json::parse(as_json.out), json::parse(kByStore));
}

TEST(NetworkCommandTest, ExitStatusesForBadScopesUnknownStoresAndNoCentral) {
  FakeCentral central{std::string(kFleet)};
  EXPECT_EQ(Command(&RunNetwork, {"--central", central.url(), "--scope", "planet"}).exit_status, 2);
  EXPECT_EQ(Command(&RunNetwork, {"--central", central.url(), "--scope", "region:"}).exit_status,
            2);
  EXPECT_EQ(Command(&RunNetwork, {"--central", central.url(), "--by", "week"}).exit_status, 2);
  const Outcome unknown = Command(&RunNetwork, {"--central", central.url(), "--scope", "store:S9"});
  EXPECT_EQ(unknown.exit_status, 1);
  EXPECT_NE(unknown.err.find("answered HTTP 404: unknown store S9"), std::string::npos)
      << unknown.err;

  const std::string nowhere = "http://127.0.0.1:" + std::to_string(test_support::FreeTcpPort());
  const Outcome down = Command(&RunNetwork, {"--central", nowhere});
  EXPECT_EQ(down.exit_status, 3);
  EXPECT_NE(down.err.find("central at " + nowhere +
                          ": connection refused — is "
                          "storepulse-central running?"),
            std::string::npos)
      << down.err;
}

TEST(FleetCommandTest, PrintsTheFleetAndExitsOneWhenAStoreIsOffline) {
  FakeCentral central{std::string(kFleet)};
  const Outcome table = Command(&RunFleet, {"--central", central.url()});
  EXPECT_EQ(table.exit_status, 1) << table.err;
  EXPECT_EQ(table.out.substr(0, table.out.find('\n')),
            "2 stores: 1 online, 1 OFFLINE — backlog 0 events (0.00) — no refusals");
  EXPECT_LT(table.out.find("\nS2     Lyon   FR      never seen"),
            table.out.find("\nS1     Paris  FR      online"))
      << table.out;

  const Outcome as_json = Command(&RunFleet, {"--central", central.url(), "--json"});
  EXPECT_EQ(as_json.exit_status, 1);
  EXPECT_EQ(json::parse(as_json.out), json::parse(kFleet));

  json healthy = json::parse(kFleet);
  healthy["stores"].erase(1);
  FakeCentral healthy_central{healthy.dump()};
  EXPECT_EQ(Command(&RunFleet, {"--central", healthy_central.url()}).exit_status, 0);
}

TEST(FleetCommandTest, SaysWhatToCheckWhenCentralCannotBeReached) {
  const std::string nowhere = "http://127.0.0.1:" + std::to_string(test_support::FreeTcpPort());
  const Outcome down = Command(&RunFleet, {"--central", nowhere});
  EXPECT_EQ(down.exit_status, 3);
  EXPECT_EQ(down.out, "");
  EXPECT_EQ(down.err, "storepulse fleet: cannot reach central at " + nowhere +
                          ": connection refused — is storepulse-central running? (systemctl "
                          "status storepulse-central)\n");
  EXPECT_EQ(Command(&RunFleet, {"--central", "central:8600"}).exit_status, 2);
}

}  // namespace
}  // namespace storepulse::cli
