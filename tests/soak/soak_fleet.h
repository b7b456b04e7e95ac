// The soak's daemons: one storepulse-central and one storepulse-edge per store, each a child
// process with its own ports on 127.0.0.1, data directory and log under the work directory, and
// the faults done to them (kill -9, graceful restart, SIGSTOP/SIGCONT, nftables partitions).
// Every process is started from the main thread (its children die with it: PR_SET_PDEATHSIG) and
// stopped by StopAll or the destructor. Owned and used by the main thread only.
#pragma once

#include <sys/types.h>

#include <memory>
#include <string>
#include <vector>

#include "common/status.h"
#include "tests/support/process.h"

namespace storepulse::soak {

// One daemon: its command line, its HTTP port and its process while it runs.
struct Daemon {
  std::vector<std::string> argv;
  std::string log;
  int http_port = 0;
  std::unique_ptr<test_support::Process> process;
  bool frozen = false;  // SIGSTOPped, waiting for SIGCONT

  pid_t pid() const { return process ? process->pid() : -1; }
  bool Running() const { return process && process->Running(); }
};

class SoakFleet {
 public:
  // Writes keys and the stores file under `work_dir`; starts nothing.
  static common::StatusOr<std::unique_ptr<SoakFleet>> Create(const std::string& bin_dir,
                                                             const std::string& work_dir,
                                                             const std::vector<std::string>& stores,
                                                             const std::vector<std::string>& zones);
  ~SoakFleet();  // StopAll
  SoakFleet(const SoakFleet&) = delete;
  SoakFleet& operator=(const SoakFleet&) = delete;

  // Starts central and every edge, then waits (bounded) until each answers /healthz.
  common::Status StartAll();
  // Spawns daemon `d` (central: index -1) without waiting; WaitUp waits for its /healthz.
  common::Status Spawn(int d);
  bool WaitUp(int d, int seconds);
  void Kill(int d);             // SIGKILL, reaped
  void Terminate(int d);        // SIGTERM, waits (then SIGKILL after 20 s)
  void Freeze(int d);           // SIGSTOP
  void Thaw(int d);             // SIGCONT
  void StopAll();               // SIGCONT to the frozen, SIGTERM to all, SIGKILL after a grace

  Daemon& daemon(int d) { return d < 0 ? central_ : edges_[static_cast<size_t>(d)]; }
  int edge_count() const { return static_cast<int>(edges_.size()); }
  int central_zmq_port() const { return central_zmq_port_; }
  std::string edge_db(int i) const;
  std::string central_db() const;
  const std::string& work_dir() const { return work_dir_; }

 private:
  SoakFleet() = default;
  std::string work_dir_;
  int central_zmq_port_ = 0;
  Daemon central_;
  std::vector<Daemon> edges_;
  std::vector<std::string> stores_;
};

}  // namespace storepulse::soak
