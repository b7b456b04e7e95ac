#include "common/signal_waiter.h"

#include <csignal>
#include <ctime>

namespace storepulse::common {

namespace {
sigset_t HandledSignals() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGTERM);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGHUP);
  return set;
}
}  // namespace

SignalWaiter::SignalWaiter() {
  sigset_t set = HandledSignals();
  pthread_sigmask(SIG_BLOCK, &set, nullptr);
  signal(SIGPIPE, SIG_IGN);  // a peer closing a socket is an error value, not a death
}

SignalEvent SignalWaiter::Wait(int64_t timeout_ms) {
  sigset_t set = HandledSignals();
  timespec timeout{static_cast<time_t>(timeout_ms / 1000),
                   static_cast<long>((timeout_ms % 1000) * 1'000'000)};
  int sig = sigtimedwait(&set, nullptr, &timeout);
  if (sig == SIGTERM || sig == SIGINT) return SignalEvent::kStop;
  if (sig == SIGHUP) return SignalEvent::kReload;
  return SignalEvent::kNone;
}

}  // namespace storepulse::common
