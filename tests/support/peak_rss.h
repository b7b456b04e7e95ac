// A process's peak memory, for tests where memory is the point.
#pragma once

#include <sys/types.h>

#include <cstdint>

namespace storepulse::test_support {

// The peak resident set of process `pid` (VmHWM of /proc/PID/status) in bytes; -1 if unreadable.
int64_t PeakRssBytes(pid_t pid);

}  // namespace storepulse::test_support
