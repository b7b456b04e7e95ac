#include "tests/soak/soak_fleet.h"

#include <csignal>
#include <filesystem>
#include <fstream>

#include "common/transport/curve_keys.h"
#include "tests/support/free_port.h"
#include "tests/support/http_probe.h"

namespace storepulse::soak {
namespace {

using common::Status;
using common::StatusOr;

}  // namespace

StatusOr<std::unique_ptr<SoakFleet>> SoakFleet::Create(const std::string& bin_dir,
                                                       const std::string& work_dir,
                                                       const std::vector<std::string>& stores,
                                                       const std::vector<std::string>& zones) {
  std::unique_ptr<SoakFleet> fleet(new SoakFleet());
  fleet->work_dir_ = work_dir;
  fleet->stores_ = stores;
  std::filesystem::create_directories(work_dir + "/keys");
  ASSIGN_OR_RETURN(common::CurveKeyPair central_keys, common::GenerateCurveKeyPair());
  RETURN_IF_ERROR(common::WriteCurveKeyPair(work_dir + "/keys/central", central_keys));
  std::ofstream stores_file(work_dir + "/stores.csv");
  stores_file << "store,public_key,name,region,timezone,area_m2\n";
  // Ports: two per edge, two for central; free on 127.0.0.1 now (a daemon restarted later binds
  // the same ones again: nothing else in the soak takes ports).
  const std::vector<int> ports = test_support::FreeTcpPorts(2 * static_cast<int>(stores.size()) + 2);
  fleet->central_zmq_port_ = ports[0];
  const std::string central_endpoint = "tcp://127.0.0.1:" + std::to_string(ports[0]);
  fleet->central_.http_port = ports[1];
  for (size_t i = 0; i < stores.size(); ++i) {
    ASSIGN_OR_RETURN(common::CurveKeyPair keys, common::GenerateCurveKeyPair());
    const std::string prefix = work_dir + "/keys/" + stores[i];
    RETURN_IF_ERROR(common::WriteCurveKeyPair(prefix, keys));
    const char* region = i % 3 == 0 ? "europe" : i % 3 == 1 ? "americas" : "asia";
    stores_file << stores[i] << "," << keys.public_key << ",Soak " << stores[i] << "," << region
                << "," << zones[i] << ",1000\n";
    Daemon edge;
    edge.http_port = ports[2 + 2 * i];
    const std::string dir = work_dir + "/edge-" + stores[i];
    edge.log = dir + ".log";
    edge.argv = {bin_dir + "/edge/storepulse-edge",
                 "--store", stores[i],
                 "--timezone", zones[i],
                 "--data-dir", dir,
                 "--http-listen", "127.0.0.1:" + std::to_string(edge.http_port),
                 "--ingest-endpoint", "tcp://127.0.0.1:" + std::to_string(ports[3 + 2 * i]),
                 "--min-free-bytes", "0",
                 "--central-endpoint", central_endpoint,
                 "--central-public-key", work_dir + "/keys/central.pub",
                 "--secret-key-file", prefix + ".key"};
    fleet->edges_.push_back(std::move(edge));
  }
  stores_file.close();
  if (!stores_file) return common::Internal("cannot write " + work_dir + "/stores.csv");
  fleet->central_.log = work_dir + "/central.log";
  fleet->central_.argv = {bin_dir + "/central/storepulse-central",
                          "--data-dir", work_dir + "/central",
                          "--listen", central_endpoint,
                          "--http-listen", "127.0.0.1:" + std::to_string(fleet->central_.http_port),
                          "--secret-key-file", work_dir + "/keys/central.key",
                          "--stores-file", work_dir + "/stores.csv",
                          "--online-window-s", "8"};
  return fleet;
}

SoakFleet::~SoakFleet() { StopAll(); }

std::string SoakFleet::edge_db(int i) const {
  return work_dir_ + "/edge-" + stores_[static_cast<size_t>(i)] + "/edge.db";
}
std::string SoakFleet::central_db() const { return work_dir_ + "/central/central.db"; }

Status SoakFleet::Spawn(int d) {
  Daemon& daemon = this->daemon(d);
  if (daemon.Running()) return common::OkStatus();
  // The log is appended to, so every incarnation's lines stay (a restart after kill -9 shows
  // what recovery did).
  ASSIGN_OR_RETURN(daemon.process,
                   test_support::Process::Spawn(daemon.argv, {daemon.log, daemon.log}));
  daemon.frozen = false;
  return common::OkStatus();
}

bool SoakFleet::WaitUp(int d, int seconds) {
  Daemon& daemon = this->daemon(d);
  test_support::Process* p = daemon.process.get();
  if (p == nullptr) return false;
  return test_support::WaitForHttpOk("127.0.0.1", daemon.http_port, "/healthz",
                                     std::chrono::seconds(seconds), [p] { return p->Running(); },
                                     std::chrono::milliseconds(50));
}

Status SoakFleet::StartAll() {
  RETURN_IF_ERROR(Spawn(-1));
  if (!WaitUp(-1, 60)) return common::Unavailable("central did not come up: see " + central_.log);
  // Edges are spawned in groups of 50 and waited for together: 1,000 of them start in about a
  // minute instead of one after the other.
  constexpr int kGroup = 50;
  for (int first = 0; first < edge_count(); first += kGroup) {
    const int end = std::min(edge_count(), first + kGroup);
    for (int i = first; i < end; ++i) RETURN_IF_ERROR(Spawn(i));
    for (int i = first; i < end; ++i) {
      if (!WaitUp(i, 120)) {
        return common::Unavailable("edge " + std::to_string(i) + " did not come up: see " +
                                   edges_[static_cast<size_t>(i)].log);
      }
    }
  }
  return common::OkStatus();
}

void SoakFleet::Kill(int d) {
  Daemon& daemon = this->daemon(d);
  if (!daemon.process) return;
  daemon.process->Signal(SIGKILL);
  daemon.process->WaitFor(std::chrono::seconds(10));
  daemon.process.reset();
  daemon.frozen = false;
}

void SoakFleet::Terminate(int d) {
  Daemon& daemon = this->daemon(d);
  if (!daemon.process) return;
  if (daemon.frozen) daemon.process->Signal(SIGCONT);
  daemon.process->Stop(std::chrono::seconds(20));
  daemon.process.reset();
  daemon.frozen = false;
}

void SoakFleet::Freeze(int d) {
  Daemon& daemon = this->daemon(d);
  if (!daemon.Running() || daemon.frozen) return;
  daemon.process->Signal(SIGSTOP);
  daemon.frozen = true;
}

void SoakFleet::Thaw(int d) {
  Daemon& daemon = this->daemon(d);
  if (!daemon.process || !daemon.frozen) return;
  daemon.process->Signal(SIGCONT);
  daemon.frozen = false;
}

void SoakFleet::StopAll() {
  // SIGTERM to everyone first, then wait for each: a thousand edges shut down in parallel.
  std::vector<Daemon*> all = {&central_};
  for (Daemon& edge : edges_) all.push_back(&edge);
  for (Daemon* daemon : all) {
    if (!daemon->process) continue;
    if (daemon->frozen) daemon->process->Signal(SIGCONT);
    daemon->process->Signal(SIGTERM);
  }
  for (Daemon* daemon : all) {
    if (!daemon->process) continue;
    if (!daemon->process->WaitFor(std::chrono::seconds(20))) {
      daemon->process->Signal(SIGKILL);
      daemon->process->WaitFor(std::chrono::seconds(10));
    }
    daemon->process.reset();
    daemon->frozen = false;
  }
}

}  // namespace storepulse::soak
