// storepulse-edge: the store server's daemon. See README.md and `storepulse-edge --help`.
#include <iostream>

#include "common/config/command_line.h"
#include "common/log.h"
#include "common/signal_waiter.h"
#include "common/systemd_notify.h"
#include "edge/edge_daemon.h"

namespace sp = storepulse;

int main(int argc, char** argv) {
  try {
    sp::common::SignalWaiter signals;  // before any thread starts
    sp::edge::EdgeConfig config;
    boost::program_options::variables_map values;
    auto action = sp::common::ParseCommandLine(
        argc, argv,
        "storepulse-edge — captures a store's events offline-first and serves its KPIs.\n"
        "Usage: storepulse-edge --store ID [--timezone ZONE] [--config FILE] [options]",
        sp::edge::EdgeOptions(&config), &values, std::cout);
    if (!action.ok()) {
      std::cerr << "storepulse-edge: " << action.status().message() << "\n";
      return 2;
    }
    if (*action == sp::common::DaemonAction::kHelp) return 0;
    if (*action == sp::common::DaemonAction::kVersion) {
      std::cout << sp::common::VersionLine("storepulse-edge") << "\n";
      return 0;
    }
    sp::common::SystemClock clock;
    sp::edge::EdgeDaemon daemon(config, clock);
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
    sp::common::NotifyReady("store " + config.store + " ingesting");
    int64_t watchdog_ms = sp::common::WatchdogIntervalMs();
    for (;;) {
      auto event = signals.Wait(watchdog_ms > 0 ? watchdog_ms : 60'000);
      if (event == sp::common::SignalEvent::kStop) break;
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
