// storepulse-central: merges every store's events into network KPIs and watches the fleet.
// See README.md and `storepulse-central --help`.
#include <iostream>

#include "central/central_daemon.h"
#include "common/config/command_line.h"
#include "common/log.h"
#include "common/signal_waiter.h"
#include "common/systemd_notify.h"

namespace sp = storepulse;

int main(int argc, char** argv) {
  try {
    sp::common::SignalWaiter signals;  // before any thread starts
    sp::central::CentralConfig config;
    boost::program_options::variables_map values;
    auto action = sp::common::ParseCommandLine(
        argc, argv,
        "storepulse-central — merges the stores' events into network KPIs and watches the fleet.\n"
        "Usage: storepulse-central [--config FILE] [options]\n"
        "SIGHUP re-reads the stores file; SIGTERM stops cleanly.",
        sp::central::CentralOptions(&config), &values, std::cout);
    if (!action.ok()) {
      std::cerr << "storepulse-central: " << action.status().message() << "\n";
      return 2;
    }
    if (*action == sp::common::DaemonAction::kHelp) return 0;
    if (*action == sp::common::DaemonAction::kVersion) {
      std::cout << sp::common::VersionLine("storepulse-central") << "\n";
      return 0;
    }
    sp::common::SystemClock clock;
    sp::central::CentralDaemon daemon(config, clock);
    if (*action == sp::common::DaemonAction::kCheckConfig) {
      sp::common::Status status = daemon.Check();
      std::cout << (status.ok() ? "configuration OK" : "configuration error: " + status.message())
                << "\n";
      return status.ok() ? 0 : 1;
    }
    if (sp::common::Status started = daemon.Start(); !started.ok()) {
      sp::common::LogError("cannot start: " + started.message());
      return 1;
    }
    sp::common::NotifyReady("replicating");
    int64_t watchdog_ms = sp::common::WatchdogIntervalMs();
    for (;;) {
      auto event = signals.Wait(watchdog_ms > 0 ? watchdog_ms : 60'000);
      if (event == sp::common::SignalEvent::kStop) break;
      if (event == sp::common::SignalEvent::kReload) (void)daemon.ReloadStores();
      sp::common::NotifyWatchdog();
    }
    sp::common::NotifyStopping();
    sp::common::LogInfo("stopping: finishing the commit in flight");
    daemon.Stop();
    sp::common::LogInfo("stopped cleanly");
    return 0;
  } catch (const std::exception& e) {  // last resort: a bug, not an input error
    sp::common::LogError(std::string("fatal: ") + e.what());
    return 70;
  }
}
