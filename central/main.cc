// storepulse-central: merges every store's events into network KPIs and watches the fleet.
// See README.md and `storepulse-central --help`.
#include <malloc.h>

#include "central/central_daemon.h"
#include "central/central_program.h"
#include "common/config/daemon_main.h"
#include "common/store/sqlite_process.h"

namespace sp = storepulse;

int main(int argc, char** argv) {
  // As the edge: a few malloc arenas rather than one per busy thread (each HTTP worker kept its
  // freed customer sets, 25–35 MB a thread, bench/ issue 9), large buffers (batches, a view
  // group) mapped on their own so that they go back when freed; the applier trims the heap once
  // it is quiet.
  sp::common::ConfigureSqliteForProcess();  // before any connection
  mallopt(M_ARENA_MAX, 4);
  mallopt(M_MMAP_THRESHOLD, 128 * 1024);
  sp::central::CentralConfig config;
  sp::common::SystemClock clock;
  return sp::common::RunDaemonMain(
      argc, argv,
      sp::central::CentralProgram(),
      sp::central::CentralOptions(&config),
      [&] { return std::make_unique<sp::central::CentralDaemon>(config, clock); });
}
