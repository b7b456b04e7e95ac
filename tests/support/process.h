// Child processes for integration tests: start a program from an argv, signal it, wait for it
// with a deadline, or run it to completion capturing its output. A Process still running when it
// is destroyed is killed (SIGKILL) and reaped, so a failing test leaves nothing behind; children
// also get SIGKILL if the test binary itself dies (PR_SET_PDEATHSIG — which fires when the
// *thread* that started them ends: start them from the test's own thread, as gtest runs tests).
// A Process belongs to one thread.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "common/status.h"

namespace storepulse::test_support {

struct SpawnOptions {
  std::string stdout_path;  // file to write the child's stdout to; empty: inherit the test's
  std::string stderr_path;  // the same for stderr
};

struct RunResult {
  int exit_status = -1;    // as Process::WaitFor
  std::string out;         // everything written to stdout
  std::string err;         // everything written to stderr
  bool timed_out = false;  // killed (SIGKILL) after the timeout
};

class Process {
 public:
  // Starts argv[0] (a path, or a name looked up in PATH) with the test's environment and stdin
  // from /dev/null. Unavailable when it cannot be started (not found, not executable, an output
  // file that cannot be created).
  static common::StatusOr<std::unique_ptr<Process>> Spawn(const std::vector<std::string>& argv,
                                                          const SpawnOptions& options = {});
  ~Process();  // SIGKILL and reap if still running
  Process(const Process&) = delete;
  Process& operator=(const Process&) = delete;

  pid_t pid() const { return pid_; }
  // Whether it has not exited yet (reaps it if it has).
  bool Running();
  // Sends `signal` if it is still running.
  void Signal(int signal);
  // Waits for it to exit for at most `timeout`: its exit status — the exit code, or 128 + the
  // signal that killed it — or nothing if it is still running.
  std::optional<int> WaitFor(std::chrono::milliseconds timeout);
  // SIGTERM, then SIGKILL if it has not exited after `grace`; its exit status.
  int Stop(std::chrono::milliseconds grace = std::chrono::seconds(10));
  // The exit status once it has been reaped.
  std::optional<int> exit_status() const { return exit_status_; }

 private:
  friend common::StatusOr<RunResult> RunProcess(const std::vector<std::string>& argv,
                                                std::chrono::milliseconds timeout);
  explicit Process(pid_t pid) : pid_(pid) {}
  bool Reap(bool block);

  pid_t pid_;
  std::optional<int> exit_status_;
};

// Runs `argv` to completion, capturing stdout and stderr; SIGKILLs it after `timeout`.
common::StatusOr<RunResult> RunProcess(
    const std::vector<std::string>& argv,
    std::chrono::milliseconds timeout = std::chrono::seconds(60));

}  // namespace storepulse::test_support
