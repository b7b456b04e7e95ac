// storepulse-soak: the soak of scripts/soak (docs/TESTING.md "The soak", docs/RELIABILITY.md
// "Soak"). Starts one central and N edges, feeds each edge a simulated store for M minutes while
// injecting faults, then repairs everything, waits for the edges to catch up and compares every
// store's totals at central with its edge's and with the producers' ledger. Every process it
// started is stopped on the way out, also on SIGINT/SIGTERM (and killed by the kernel if the soak
// itself dies: PR_SET_PDEATHSIG).
#include <unistd.h>

#include <atomic>
#include <functional>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <nlohmann/json.hpp>
#include <thread>

#include "common/sim/store_simulator.h"
#include "common/time_zone.h"
#include "tests/soak/soak_check.h"
#include "tests/soak/soak_faults.h"
#include "tests/soak/soak_fleet.h"
#include "tests/soak/soak_options.h"
#include "tests/soak/soak_producer.h"
#include "tests/support/http_probe.h"

namespace storepulse::soak {
namespace {

using Clock = std::chrono::steady_clock;
std::atomic<bool> g_stop{false};

void OnSignal(int) { g_stop = true; }

double SecondsSince(Clock::time_point t0) {
  return std::chrono::duration<double>(Clock::now() - t0).count();
}

int64_t WallMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

std::optional<nlohmann::json> GetJson(int port, const std::string& path, int timeout_s = 10) {
  auto reply = test_support::HttpGet("127.0.0.1", port, path, std::chrono::seconds(timeout_s));
  if (!reply || reply->status != 200) return std::nullopt;
  auto json = nlohmann::json::parse(reply->body, nullptr, false);
  if (json.is_discarded()) return std::nullopt;
  return json;
}

// Progress goes to stderr, also with --json (stdout holds only the JSON).
void Progress(const std::string& line) {
  std::cerr << "soak: " << line << std::endl;
}

// Polls `done` every 200 ms until it holds, `deadline` passes or a signal asks to stop.
bool WaitFor(const std::function<bool()>& done, Clock::time_point deadline) {
  while (!g_stop) {
    if (done()) return true;
    if (Clock::now() >= deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
  }
  return false;
}

std::string Mib(int64_t kib) {
  char text[32];
  std::snprintf(text, sizeof text, "%.1f MiB", static_cast<double>(kib) / 1024);
  return text;
}

nlohmann::json FlatJson(const Flatness& f) {
  return {{"flat", f.flat},           {"rss_first_kib", f.rss_first_kib},
          {"rss_last_kib", f.rss_last_kib}, {"fds_first", f.fds_first},
          {"fds_last", f.fds_last},   {"samples", f.samples}};
}

int Run(const SoakOptions& o) {
  const std::vector<std::string> zone_names = {"Europe/Paris",     "America/New_York",
                                               "Asia/Kolkata",     "Europe/London",
                                               "America/Chicago",  "Asia/Tokyo",
                                               "Australia/Sydney", "America/Los_Angeles"};
  std::vector<std::string> stores, zones;
  std::vector<common::StoreSimulator> simulators;
  for (int i = 0; i < o.stores; ++i) {
    char id[16];
    std::snprintf(id, sizeof id, "SK%04d", i + 1);
    stores.push_back(id);
    zones.push_back(zone_names[static_cast<size_t>(i) % zone_names.size()]);
    auto zone = common::TimeZone::Load(zones.back());
    if (!zone.ok()) return std::cerr << zone.status().ToString() << "\n", 1;
    auto sim = common::StoreSimulator::Create(
        common::SimStore{id, *zone, o.size, o.seed + static_cast<uint64_t>(i)});
    if (!sim.ok()) return std::cerr << sim.status().ToString() << "\n", 1;
    simulators.push_back(std::move(*sim));
  }
  std::string work_dir = o.work_dir;
  if (work_dir.empty()) {
    char tmpl[] = "/tmp/storepulse-soak-XXXXXX";
    if (mkdtemp(tmpl) == nullptr) return std::cerr << "soak: cannot make a work dir\n", 1;
    work_dir = tmpl;
  }
  auto fleet_or = SoakFleet::Create(o.bin_dir, work_dir, stores, zones);
  if (!fleet_or.ok()) return std::cerr << "soak: " << fleet_or.status().ToString() << "\n", 1;
  SoakFleet& fleet = **fleet_or;
  const int sampled = std::min(o.sample_edges, o.stores);
  FaultInjector faults(&fleet, o.seed, o.fault_interval_s, o.partitions == "nft", sampled);
  if (o.faults) {
    if (auto status = faults.Setup(); !status.ok()) {
      std::cerr << "soak: " << status.ToString() << "\n";
      return 1;
    }
  }
  Progress("work dir " + work_dir + "; starting central and " + std::to_string(o.stores) +
                  " edges");
  const Clock::time_point start_begin = Clock::now();
  if (auto status = fleet.StartAll(); !status.ok()) {
    std::cerr << "soak: " << status.ToString() << "\n";
    return 1;
  }
  const double start_s = SecondsSince(start_begin);
  Progress("all up in " + std::to_string(static_cast<int>(start_s)) + " s; traffic for " +
                  std::to_string(o.minutes) + " min" + (o.faults ? " with faults" : ""));

  // Simulated time runs `speed` times faster and reaches the present when the traffic ends.
  const double run_s = o.minutes * 60;
  const int64_t sim_start = WallMs() - static_cast<int64_t>(run_s * o.speed * 1000);
  std::vector<int> ports;
  for (int i = 0; i < o.stores; ++i) ports.push_back(fleet.daemon(i).http_port);
  SoakProducers producers(std::move(simulators), ports, sim_start, o.producer_threads);
  std::vector<std::vector<ResourceSample>> samples(static_cast<size_t>(sampled) + 1);
  auto sample_all = [&](double t) {
    for (int d = -1; d < sampled; ++d) {
      auto s = SampleProcess(fleet.daemon(d).pid(), t);
      if (s) samples[static_cast<size_t>(d + 1)].push_back(*s);
    }
  };

  // Quiet start: every edge connected and streaming, no traffic yet.
  auto all_streaming = [&] {
    for (int i = 0; i < o.stores; ++i) {
      auto status = GetJson(fleet.daemon(i).http_port, "/api/v1/status");
      if (!status || (*status)["replication"]["streaming"] != true) return false;
    }
    return true;
  };
  if (!WaitFor(all_streaming, Clock::now() + std::chrono::seconds(o.check_deadline_s))) {
    std::cerr << "soak: the edges did not all stream to central in time\n";
    return 1;
  }
  std::vector<std::optional<ResourceSample>> quiet_start, quiet_end;
  for (int d = -1; d < sampled; ++d) quiet_start.push_back(SampleProcess(fleet.daemon(d).pid(), 0));

  // The producers run on a thread of their own, a round a second (a frozen edge holds its
  // producer for the HTTP timeout, never the faults); this thread injects the faults and samples
  // the daemons — processes are started from this thread only (PR_SET_PDEATHSIG).
  const Clock::time_point t0 = Clock::now();
  std::atomic<int64_t> target{sim_start};
  std::atomic<bool> traffic_done{false};
  std::thread producer_thread([&] {
    while (!traffic_done) {
      const Clock::time_point round_start = Clock::now();
      const int64_t now_target = sim_start + static_cast<int64_t>(SecondsSince(t0) * o.speed * 1000);
      producers.Round(now_target);
      target = now_target;
      std::this_thread::sleep_until(round_start + std::chrono::seconds(1));
    }
  });
  double next_sample = 0;
  while (!g_stop && SecondsSince(t0) < run_s) {
    if (o.faults) faults.Step(Clock::now());
    if (SecondsSince(t0) >= next_sample) {
      sample_all(SecondsSince(t0));
      next_sample += 5;
      Progress(std::to_string(static_cast<int>(SecondsSince(t0))) + " s: " +
                      std::to_string(producers.AckedEvents()) + " events acknowledged, " +
                      std::to_string(faults.total()) + " faults");
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
  }
  traffic_done = true;
  producer_thread.join();
  // The end of the traffic: a final sample (the resource series' end), then repair everything
  // and let every producer finish its last window.
  sample_all(SecondsSince(t0));
  const int64_t final_target = target;
  const Clock::time_point repair_begin = Clock::now();
  bool ok = true;
  std::string failure;
  if (o.faults && !faults.RepairAll()) ok = false, failure = "a daemon did not come back";
  const Clock::time_point deadline = Clock::now() + std::chrono::seconds(o.check_deadline_s);
  if (ok && !WaitFor([&] {
        producers.Round(final_target);
        return producers.AllAcked(final_target);
      }, deadline)) {
    ok = false, failure = "producers not all acknowledged by the deadline";
  }
  // Every edge caught up (central acknowledged its last event) and every view folded.
  if (ok && !WaitFor([&] {
        for (int i = 0; i < o.stores; ++i) {
          auto status = GetJson(fleet.daemon(i).http_port, "/api/v1/status");
          if (!status || (*status)["last_seq"] != (*status)["replication"]["acked_seq"] ||
              (*status)["views"]["pending_events"] != 0) {
            return false;
          }
        }
        auto metrics = test_support::HttpGet("127.0.0.1", fleet.daemon(-1).http_port, "/metrics",
                                             std::chrono::seconds(30));
        return metrics && metrics->body.find("storepulse_central_views_pending_events 0\n") !=
                              std::string::npos;
      }, deadline)) {
    ok = false, failure = "edges not caught up by the deadline";
  }
  const double catch_up_s = SecondsSince(repair_begin);
  // Quiet end. Connections a fault killed without a FIN reaching central (a partition that
  // healed just now, a vanished edge) are central's to close: keepalive and TCP_USER_TIMEOUT
  // give up within 30 s (docs/PROTOCOL.md). So the fds get 60 s to come back within the
  // tolerance; what is still open then is a leak.
  WaitFor([&] {
    for (int d = -1; d < sampled; ++d) {
      auto now = SampleProcess(fleet.daemon(d).pid(), 0);
      const auto& start = quiet_start[static_cast<size_t>(d + 1)];
      if (!now || !start || now->fds > start->fds + 8) return false;
    }
    return true;
  }, Clock::now() + std::chrono::seconds(60));
  for (int d = -1; d < sampled; ++d) {
    quiet_end.push_back(SampleProcess(fleet.daemon(d).pid(), SecondsSince(t0)));
  }

  // Figures: the KPIs over the API while running, the event counts from the databases after.
  std::vector<StoreFigures> edge_figures(stores.size()), central_figures(stores.size());
  const std::string all_time = "from=2000-01-01&to=2100-01-01";
  for (int i = 0; ok && i < o.stores; ++i) {
    auto kpi = GetJson(fleet.daemon(i).http_port, "/api/v1/kpi?by=total&" + all_time);
    if (kpi && (*kpi)["rows"].size() == 1) edge_figures[static_cast<size_t>(i)].kpis = (*kpi)["rows"][0];
  }
  if (ok) {
    auto kpi = GetJson(fleet.daemon(-1).http_port,
                       "/api/v1/kpi?scope=network&by=store&" + all_time, 120);
    if (kpi) {
      for (const auto& row : (*kpi)["rows"]) {
        auto it = std::find(stores.begin(), stores.end(), row.value("key", ""));
        if (it != stores.end()) central_figures[static_cast<size_t>(it - stores.begin())].kpis = row;
      }
    }
  }
  fleet.StopAll();
  faults.Teardown();
  for (int i = 0; i < o.stores; ++i) {
    edge_figures[static_cast<size_t>(i)].events = CountEdgeEvents(fleet.edge_db(i));
  }
  const std::vector<int64_t> central_counts = CountCentralEvents(fleet.central_db(), stores);
  for (size_t i = 0; i < stores.size(); ++i) central_figures[i].events = central_counts[i];

  CheckResult check = CompareTotals(stores, producers.ledgers(), edge_figures, central_figures);
  if (g_stop) ok = false, failure = "interrupted";
  const Flatness central_flat = JudgeFlat(samples[0], run_s, quiet_start[0], quiet_end[0]);
  std::vector<Flatness> edge_flat;
  bool edges_flat = true;
  Flatness edges_worst;
  for (int i = 0; i < sampled; ++i) {
    const size_t k = static_cast<size_t>(i) + 1;
    edge_flat.push_back(JudgeFlat(samples[k], run_s, quiet_start[k], quiet_end[k]));
    edges_flat = edges_flat && edge_flat.back().flat;
    if (edge_flat.back().rss_last_kib > edges_worst.rss_last_kib) edges_worst = edge_flat.back();
  }
  const bool pass = ok && check.mismatches.empty() && central_flat.flat && edges_flat;

  nlohmann::json faults_json = nlohmann::json::object();
  for (const auto& [kind, count] : faults.injected()) faults_json[kind] = count;
  nlohmann::json mismatches = nlohmann::json::array();
  for (size_t m = 0; m < check.mismatches.size() && m < 50; ++m) {
    const Mismatch& x = check.mismatches[m];
    mismatches.push_back({{"store", x.store}, {"what", x.what}, {"where", x.where},
                          {"expected", x.expected}, {"actual", x.actual}});
  }
  nlohmann::json edges_json = nlohmann::json::array();
  for (const Flatness& f : edge_flat) edges_json.push_back(FlatJson(f));
  const nlohmann::json summary = {
      {"pass", pass},
      {"stores", o.stores},
      {"minutes", o.minutes},
      {"seed", o.seed},
      {"speed", o.speed},
      {"partitions", o.faults ? o.partitions : "none"},
      {"faults", faults_json},
      {"faults_total", faults.total()},
      {"events", producers.TotalEvents()},
      {"retried_posts", producers.TotalRetries()},
      {"duplicates_answered", producers.TotalDuplicates()},
      {"lost", check.lost},
      {"doubled", check.doubled},
      {"mismatches", check.mismatches.size()},
      {"mismatch_examples", mismatches},
      {"kpis_compared_per_store", check.kpis_compared},
      {"startup_s", start_s},
      {"catch_up_s", catch_up_s},
      {"failure", failure},
      {"central", FlatJson(central_flat)},
      {"sampled_edges", edges_json},
      {"work_dir", work_dir}};
  if (o.json) {
    std::cout << summary.dump(2) << std::endl;
  } else {
    std::cout << "storepulse soak: " << o.stores << " stores, " << o.minutes << " min, seed "
              << o.seed << (o.faults ? ", faults (partitions: " + o.partitions + ")" : ", no faults")
              << "\n";
    std::cout << "  faults injected: " << faults.total();
    for (const auto& [kind, count] : faults.injected()) std::cout << "  " << kind << " " << count;
    std::cout << "\n  events acknowledged: " << producers.TotalEvents() << " (retried posts "
              << producers.TotalRetries() << ", duplicates answered "
              << producers.TotalDuplicates() << ")\n";
    std::cout << "  lost " << check.lost << ", doubled " << check.doubled << ", mismatches "
              << check.mismatches.size() << " (events + " << check.kpis_compared
              << " KPIs per store, at the edge and at central)\n";
    for (const nlohmann::json& m : mismatches) std::cout << "    " << m.dump() << "\n";
    std::cout << "  central RSS " << Mib(central_flat.rss_first_kib) << " -> "
              << Mib(central_flat.rss_last_kib) << ", fds " << central_flat.fds_first << " -> "
              << central_flat.fds_last << " (quiet start -> end)" << (central_flat.flat ? " (flat)" : " (GROWING)") << "\n";
    std::cout << "  sampled edges (" << sampled << ", worst) RSS " << Mib(edges_worst.rss_first_kib)
              << " -> " << Mib(edges_worst.rss_last_kib) << ", fds " << edges_worst.fds_first
              << " -> " << edges_worst.fds_last << (edges_flat ? " (flat)" : " (GROWING)") << "\n";
    std::cout << "  start " << static_cast<int>(start_s) << " s, catch-up after the faults "
              << static_cast<int>(catch_up_s) << " s; logs in " << work_dir << "\n";
    if (!failure.empty()) std::cout << "  FAILURE: " << failure << "\n";
    std::cout << (pass ? "PASS" : "FAIL") << std::endl;
  }
  if (pass && o.work_dir.empty()) std::filesystem::remove_all(work_dir);
  return pass ? 0 : 1;
}

}  // namespace
}  // namespace storepulse::soak

int main(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  for (const std::string& a : args) {
    if (a == "-h" || a == "--help") {
      std::cout << storepulse::soak::SoakUsage();
      return 0;
    }
  }
  auto options = storepulse::soak::ParseSoakOptions(args);
  if (!options.ok()) {
    std::cerr << "storepulse-soak: " << options.status().message() << "\n";
    return 2;
  }
  std::signal(SIGINT, storepulse::soak::OnSignal);
  std::signal(SIGTERM, storepulse::soak::OnSignal);
  std::signal(SIGHUP, storepulse::soak::OnSignal);
  std::signal(SIGPIPE, SIG_IGN);
  return storepulse::soak::Run(*options);
}
