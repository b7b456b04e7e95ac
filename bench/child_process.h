// A daemon started by a benchmark: fork/exec with its output in a log file, stopped with SIGTERM
// (SIGKILL after a grace period) and always reaped. A ChildProcess still running when destroyed is
// killed; children also get SIGKILL if the bench itself dies (PR_SET_PDEATHSIG, which fires when
// the *thread* that started them ends: start them from the main thread). Owned by one thread.
// Also: free loopback ports, memory of a process, and waiting on a condition with a deadline.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "common/status.h"

namespace storepulse::bench {

class ChildProcess {
 public:
  // Starts argv[0] (a path) with stdin from /dev/null and stdout/stderr appended to `log_path`.
  static common::StatusOr<std::unique_ptr<ChildProcess>> Spawn(const std::vector<std::string>& argv,
                                                               const std::string& log_path);
  ~ChildProcess();
  ChildProcess(const ChildProcess&) = delete;
  ChildProcess& operator=(const ChildProcess&) = delete;

  pid_t pid() const { return pid_; }
  bool Running();
  // SIGTERM, then SIGKILL once `grace` has passed; the exit status (128 + signal if killed).
  int Stop(std::chrono::milliseconds grace = std::chrono::seconds(30));

 private:
  explicit ChildProcess(pid_t pid) : pid_(pid) {}
  bool Reap(bool block);

  pid_t pid_;
  bool reaped_ = false;
  int exit_status_ = -1;
};

// `count` distinct free TCP ports on 127.0.0.1 (held while choosing, then released).
std::vector<int> FreeTcpPorts(int count);

// A memory line of /proc/<pid>/status in MiB ("VmRSS", "VmHWM", "RssAnon", "RssFile"); -1 when
// unreadable.
double ProcStatusMb(pid_t pid, const std::string& key);
// Resident memory of `pid` in MiB: VmRSS, or VmHWM (the peak) when `peak`.
inline double ResidentMb(pid_t pid, bool peak = false) {
  return ProcStatusMb(pid, peak ? "VmHWM" : "VmRSS");
}

// CPU seconds `pid` has used (user + system), with those of its children it has waited for when
// `reaped_children`; -1 when unreadable.
double ProcessCpuSeconds(pid_t pid, bool reaped_children = false);
// The parent of `pid`; -1 when unreadable.
pid_t ParentOf(pid_t pid);

// Polls `condition` every `every` until it holds or `deadline` passes; whether it held.
bool WaitUntil(const std::function<bool()>& condition, std::chrono::milliseconds deadline,
               std::chrono::milliseconds every = std::chrono::milliseconds(10));

}  // namespace storepulse::bench
