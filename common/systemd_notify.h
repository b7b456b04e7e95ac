// sd_notify for daemons run by systemd (Type=notify): READY, STOPPING and the watchdog ping.
// Harmless no-ops when not run under systemd (no NOTIFY_SOCKET). Thread-safe.
#pragma once

#include <cstdint>
#include <string>

namespace storepulse::common {

void NotifyReady(const std::string& status);
void NotifyStopping();
void NotifyStatus(const std::string& status);
void NotifyWatchdog();
// Half of WatchdogSec in ms when systemd expects pings, else 0.
int64_t WatchdogIntervalMs();

}  // namespace storepulse::common
