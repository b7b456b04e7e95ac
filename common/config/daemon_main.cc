#include "common/config/daemon_main.h"

#include <iostream>

#include "common/config/command_line.h"
#include "common/config/man_page.h"
#include "common/log.h"
#include "common/signal_waiter.h"
#include "common/systemd_notify.h"

namespace storepulse::common {

namespace {

// Serves until SIGTERM/SIGINT, pinging the watchdog and reloading on SIGHUP.
void Serve(SignalWaiter& signals, Daemon& daemon) {
  const int64_t watchdog_ms = WatchdogIntervalMs();
  for (;;) {
    SignalEvent event = signals.Wait(watchdog_ms > 0 ? watchdog_ms : 60'000);
    if (event == SignalEvent::kStop) return;
    if (event == SignalEvent::kReload) daemon.Reload();
    NotifyWatchdog();
  }
}

void WriteDaemonManPage(const DaemonProgram& program,
                        const boost::program_options::options_description& options) {
  std::string config_file;
  const boost::program_options::options_description general = DaemonGeneralOptions(&config_file);
  ManPage page{program.name,
               8,
               program.summary,
               {"[--config FILE] [options]", "--check-config [--config FILE] [options]"},
               program.description,
               {{"General", "", &general, ""},
                {program.name + " options (also keys of --config)", "", &options, ""}},
               "",
               program.files,
               program.see_also};
  WriteManPage(page, std::cout);
}

int Run(int argc, char** argv, const DaemonProgram& program,
        const boost::program_options::options_description& options,
        const std::function<std::unique_ptr<Daemon>()>& make) {
  SignalWaiter signals;  // before any thread starts: every thread inherits the blocked signals
  boost::program_options::variables_map values;
  auto action = ParseCommandLine(argc, argv, program.usage, options, &values, std::cout,
                                 program.help_footer);
  if (!action.ok()) {
    std::cerr << program.name << ": " << action.status().message() << "\n";
    return 2;
  }
  if (*action == DaemonAction::kHelp) return 0;
  if (*action == DaemonAction::kMan) {
    WriteDaemonManPage(program, options);
    return 0;
  }
  if (*action == DaemonAction::kVersion) {
    std::cout << VersionLine(program.name) << "\n";
    return 0;
  }
  std::unique_ptr<Daemon> daemon = make();
  if (*action == DaemonAction::kCheckConfig) {
    Status status = daemon->Check();
    std::cout << (status.ok() ? "configuration OK" : "configuration error: " + status.message())
              << "\n";
    return status.ok() ? 0 : 1;
  }
  if (Status started = daemon->Start(); !started.ok()) {
    LogError("cannot start: " + started.message());
    return 1;
  }
  NotifyReady(daemon->ReadyStatus());
  Serve(signals, *daemon);
  NotifyStopping();
  LogInfo("stopping: finishing the commit in flight");
  daemon->Stop();
  LogInfo("stopped cleanly");
  return 0;
}

}  // namespace

int RunDaemonMain(int argc, char** argv, const DaemonProgram& program,
                  const boost::program_options::options_description& options,
                  const std::function<std::unique_ptr<Daemon>()>& make) {
  try {
    return Run(argc, argv, program, options, make);
  } catch (const std::exception& e) {  // last resort: a bug, not an input error
    LogError(std::string("fatal: ") + e.what());
    return 70;
  }
}

}  // namespace storepulse::common
