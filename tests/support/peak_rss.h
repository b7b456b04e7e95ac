// A process's peak memory, for tests where memory is the point.
#pragma once

#include <sys/types.h>

#include <cstdint>

namespace storepulse::test_support {

// The peak resident set of process `pid` (VmHWM of /proc/PID/status) in bytes; -1 if unreadable.
int64_t PeakRssBytes(pid_t pid);

// A memory bound of a test, as it applies to this build: the bound itself, or 4 times it in a
// build under AddressSanitizer (`scripts/test --sanitize`), whose shadow memory, redzones and
// quarantine multiply a daemon's resident set. The bounds are checked as written in every other
// build; under ASan they still catch memory that grows with the input.
constexpr int64_t RssBound(int64_t bytes) {
#if defined(__SANITIZE_ADDRESS__)
  return bytes * 4;
#else
  return bytes;
#endif
}

}  // namespace storepulse::test_support
