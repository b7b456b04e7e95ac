// storepulse-edge: the store server's daemon. See README.md and `storepulse-edge --help`.
#include "common/config/daemon_main.h"
#include "edge/edge_daemon.h"

namespace sp = storepulse;

int main(int argc, char** argv) {
  sp::edge::EdgeConfig config;
  sp::common::SystemClock clock;
  return sp::common::RunDaemonMain(
      argc, argv,
      {"storepulse-edge",
       "storepulse-edge — captures a store's events offline-first and serves its KPIs.\n"
       "Usage: storepulse-edge --store ID [--timezone ZONE] [--config FILE] [options]"},
      sp::edge::EdgeOptions(&config),
      [&] { return std::make_unique<sp::edge::EdgeDaemon>(config, clock); });
}
