// One-command enrolment with the real programs: `storepulse enroll` on a fresh configuration
// directory holding the packaged edge.conf, `storepulse stores add` of the line it printed at a
// running central (reloaded by SIGHUP), then a real edge started with nothing but the edge.conf
// enroll wrote (and test ports) replicates its events to that central.
#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <thread>

#include "tests/support/free_port.h"
#include "tests/support/http_probe.h"
#include "tests/support/nodes.h"
#include "tests/support/process.h"
#include "tests/support/temp_dir.h"

namespace storepulse::cli {
namespace {

using nlohmann::json;
using std::chrono::seconds;
using test_support::RunResult;

RunResult Cli(const std::vector<std::string>& args) {
  std::vector<std::string> argv = {STOREPULSE_CLI_BIN};
  argv.insert(argv.end(), args.begin(), args.end());
  auto result = test_support::RunProcess(argv, seconds(60));
  EXPECT_TRUE(result.ok()) << result.status().ToString();
  return result.ok() ? *result : RunResult{};
}

// Polls `condition` every 50 ms until it holds or `deadline` passes.
bool WaitFor(const std::function<bool()>& condition, std::chrono::milliseconds deadline) {
  const auto end = std::chrono::steady_clock::now() + deadline;
  while (std::chrono::steady_clock::now() < end) {
    if (condition()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  return condition();
}

json FleetRow(int central_http_port, const std::string& store) {
  auto fleet = test_support::GetJson(central_http_port, "/api/v1/fleet");
  if (!fleet) return json();
  for (const json& row : (*fleet)["stores"]) {
    if (row["store"] == store) return row;
  }
  return json();
}

TEST(EnrollIntegrationTest, AnEdgeEnrolledInOneCommandReplicatesToCentral) {
  test_support::TempDir dir;
  // Central, as ops runs it: its keys and a stores file listing no store yet.
  test_support::MakeKeys(dir.path(), "central");
  const std::string stores_file =
      dir.Write("stores.csv", "store,public_key,name,region,timezone,area_m2\n");
  test_support::CentralNode central({dir.File("central-data"), dir.File("central.key"),
                                     stores_file, {}});
  ASSERT_TRUE(central.Start());

  // The store server: the package's edge.conf in a fresh configuration directory.
  const std::string etc = dir.File("etc");
  std::filesystem::create_directories(etc);
  std::filesystem::copy_file(STOREPULSE_SOURCE_DIR "/packaging/edge.conf", etc + "/edge.conf");
  const std::string central_port = central.endpoint().substr(central.endpoint().rfind(':') + 1);
  const RunResult enrolled =
      Cli({"enroll", "--store", "S-NEW", "--central", "127.0.0.1:" + central_port,
           "--central-key", dir.File("central.pub"), "--config-dir", etc, "--region", "FR-North",
           "--zone", "Europe/Paris", "--name", "Lille, Flandres", "--data-dir",
           dir.File("edge-data"), "--json"});
  ASSERT_EQ(enrolled.exit_status, 0) << enrolled.out << enrolled.err;
  const json out = json::parse(enrolled.out, nullptr, false);
  ASSERT_TRUE(out.is_object()) << enrolled.out;
  const std::string line = out["stores_line"];
  EXPECT_EQ(line.rfind("S-NEW," + out["public_key"].get<std::string>() +
                           ",\"Lille, Flandres\",FR-North,Europe/Paris,",
                       0),
            0u)
      << line;

  // The edge's own check passes on what enroll wrote (the unit's ExecStartPre).
  const RunResult checked = Cli({"check-config", "--edge-config", etc + "/edge.conf", "--daemon",
                                 STOREPULSE_EDGE_BIN});
  EXPECT_EQ(checked.exit_status, 0) << checked.out << checked.err;

  // At central: the printed line, added and reloaded (SIGHUP to the process run by hand).
  const std::string central_url = "http://127.0.0.1:" + std::to_string(central.http_port());
  const RunResult added = Cli({"stores", "add", line, "--stores-file", stores_file, "--pid",
                               std::to_string(central.pid()), "--central", central_url, "--json"});
  ASSERT_EQ(added.exit_status, 0) << added.out << added.err;
  const json add_out = json::parse(added.out, nullptr, false);
  EXPECT_EQ(add_out["reload"], "signal") << added.out;
  EXPECT_EQ(add_out["central_lists_store"], true) << added.out;
  EXPECT_NE(central.Log().find("stores file reloaded: 1 stores"), std::string::npos)
      << central.Log();

  // The edge, from the written edge.conf alone (ports aside: the test's free ones).
  const auto ports = test_support::FreeTcpPorts(2);
  auto edge = test_support::Process::Spawn(
      {STOREPULSE_EDGE_BIN, "--config", etc + "/edge.conf", "--http-listen",
       "127.0.0.1:" + std::to_string(ports[0]), "--ingest-endpoint",
       "tcp://127.0.0.1:" + std::to_string(ports[1]), "--min-free-bytes", "0"},
      {"", dir.File("edge.log")});
  ASSERT_TRUE(edge.ok()) << edge.status().message();
  ASSERT_TRUE(test_support::WaitForHttpOk("127.0.0.1", ports[0], "/healthz", seconds(20),
                                          [&] { return (*edge)->Running(); }));
  auto posted = test_support::PostBody(
      ports[0], "/api/v1/events",
      R"({"id":"e1","type":"sale","ts":"2026-11-22T10:15:00+01:00","txn":"1","lines":[{"sku":"A","qty":1,"unit_price":500}]})"
      "\n"
      R"({"id":"e2","type":"sale","ts":"2026-11-22T10:16:00+01:00","txn":"2","lines":[{"sku":"B","qty":2,"unit_price":700}]})");
  ASSERT_TRUE(posted && posted->status == 200) << (posted ? posted->body.dump() : "no answer");
  EXPECT_TRUE(WaitFor(
      [&] {
        const json row = FleetRow(central.http_port(), "S-NEW");
        return row.is_object() && row.value("acked_seq", 0) == 2;
      },
      seconds(30)))
      << FleetRow(central.http_port(), "S-NEW").dump() << "\n" << central.Log();
  const json row = FleetRow(central.http_port(), "S-NEW");
  EXPECT_EQ(row["region"], "FR-North");
  EXPECT_EQ(row["name"], "Lille, Flandres");
  auto status = test_support::GetJson(ports[0], "/api/v1/status");
  ASSERT_TRUE(status);
  EXPECT_EQ((*status)["store"], "S-NEW");
  EXPECT_TRUE(std::filesystem::exists(dir.File("edge-data") + "/edge.db"));
  EXPECT_EQ((*edge)->Stop(seconds(20)), 0);
}

}  // namespace
}  // namespace storepulse::cli
