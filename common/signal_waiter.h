// Waits for SIGTERM/SIGINT (stop) and SIGHUP (reload) synchronously, on the main thread.
// Construct it before starting any thread: it blocks those signals so every thread inherits the
// mask and only Wait() receives them.
#pragma once

#include <cstdint>

namespace storepulse::common {

enum class SignalEvent { kNone, kStop, kReload };

class SignalWaiter {
 public:
  SignalWaiter();
  // Returns the signal received, or kNone after `timeout_ms`.
  SignalEvent Wait(int64_t timeout_ms);
};

}  // namespace storepulse::common
