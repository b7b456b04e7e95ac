// storepulse-edge: the store server's daemon. See README.md and `storepulse-edge --help`.
#include <malloc.h>

#include "common/config/daemon_main.h"
#include "common/store/sqlite_process.h"
#include "edge/edge_daemon.h"
#include "edge/edge_program.h"

namespace sp = storepulse;

int main(int argc, char** argv) {
  // A store server is small (SPEC §8: RSS < 30 MB): two malloc arenas rather than one per busy
  // thread, and large buffers (ingest batches) mapped on their own so that they go back to the
  // system when freed; the writer trims the heap once it is quiet (GroupCommitWriter). bench/:
  // RSS 3 s after an ingest 54 MB -> 25 MB, rate within the run-to-run noise.
  sp::common::ConfigureSqliteForProcess();  // before any connection
  mallopt(M_ARENA_MAX, 2);
  mallopt(M_MMAP_THRESHOLD, 128 * 1024);
  sp::edge::EdgeConfig config;
  sp::common::SystemClock clock;
  return sp::common::RunDaemonMain(
      argc, argv,
      sp::edge::EdgeProgram(),
      sp::edge::EdgeOptions(&config),
      [&] { return std::make_unique<sp::edge::EdgeDaemon>(config, clock); });
}
