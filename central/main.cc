// storepulse-central: merges every store's events into network KPIs and watches the fleet.
// See README.md and `storepulse-central --help`.
#include "central/central_daemon.h"
#include "common/config/daemon_main.h"

namespace sp = storepulse;

int main(int argc, char** argv) {
  sp::central::CentralConfig config;
  sp::common::SystemClock clock;
  return sp::common::RunDaemonMain(
      argc, argv,
      {"storepulse-central",
       "storepulse-central — merges the stores' events into network KPIs and watches the fleet.\n"
       "Usage: storepulse-central [--config FILE] [options]\n"
       "SIGHUP re-reads the stores and targets files; SIGTERM stops cleanly."},
      sp::central::CentralOptions(&config),
      [&] { return std::make_unique<sp::central::CentralDaemon>(config, clock); });
}
