#include "tests/support/process.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <thread>
#include <utility>

namespace storepulse::test_support {
namespace {

using Clock = std::chrono::steady_clock;

int ExitStatusOf(int wait_status) {
  if (WIFEXITED(wait_status)) return WEXITSTATUS(wait_status);
  if (WIFSIGNALED(wait_status)) return 128 + WTERMSIG(wait_status);
  return -1;
}

// The file descriptors a child gets, prepared before fork so that the child only makes
// async-signal-safe calls (open, dup2, close) between fork and exec. Stdin is always /dev/null.
class Redirections {
 public:
  void OpenForWriting(int fd, const std::string& path) { files_.push_back({fd, path}); }
  void Dup(int from, int to) { dups_.push_back({from, to}); }

  // In the child. False (errno set) if a file cannot be opened.
  bool Apply() const {
    if (!OpenAs(STDIN_FILENO, "/dev/null", O_RDONLY)) return false;
    for (const auto& [fd, path] : files_) {
      if (!OpenAs(fd, path.c_str(), O_WRONLY | O_CREAT | O_APPEND)) return false;  // a restarted daemon adds to its log
    }
    for (const auto& [from, to] : dups_) {
      if (dup2(from, to) < 0) return false;
    }
    return true;
  }

 private:
  static bool OpenAs(int target, const char* path, int flags) {
    const int fd = open(path, flags, 0644);
    if (fd < 0) return false;
    if (fd != target) {
      if (dup2(fd, target) < 0) return false;
      close(fd);
    }
    return true;
  }

  std::vector<std::pair<int, std::string>> files_;
  std::vector<std::pair<int, int>> dups_;
};

// In the child: dies with the test (even if it crashes), redirects, execs; reports errno on the
// CLOEXEC pipe `report` when anything fails.
[[noreturn]] void RunChild(char* const* args, const Redirections& redirections, pid_t parent,
                           int report) {
  prctl(PR_SET_PDEATHSIG, SIGKILL);
  if (getppid() != parent) _exit(127);  // the test is already gone
  if (redirections.Apply()) execvp(args[0], args);
  const int error = errno;
  ssize_t ignored = write(report, &error, sizeof error);
  (void)ignored;
  _exit(127);
}

common::StatusOr<pid_t> Launch(const std::vector<std::string>& argv,
                               const Redirections& redirections) {
  if (argv.empty()) return common::InvalidArgument("no program to run");
  std::vector<char*> args;
  for (const std::string& arg : argv) args.push_back(const_cast<char*>(arg.c_str()));
  args.push_back(nullptr);
  int report[2];
  if (pipe2(report, O_CLOEXEC) != 0) return common::Unavailable("pipe failed");
  const pid_t parent = getpid();
  const pid_t pid = fork();
  if (pid == 0) RunChild(args.data(), redirections, parent, report[1]);
  close(report[1]);
  int error = 0;
  ssize_t n = 0;
  do {
    n = pid > 0 ? read(report[0], &error, sizeof error) : 0;  // EOF: exec succeeded
  } while (n < 0 && errno == EINTR);
  close(report[0]);
  if (pid < 0) return common::Unavailable("fork failed: " + std::string(std::strerror(errno)));
  if (n == sizeof error) {
    waitpid(pid, nullptr, 0);
    return common::Unavailable("cannot start " + argv[0] + ": " + std::strerror(error));
  }
  return pid;
}

// Reads what is available on `fd` into `out`; false at end of file.
bool Drain(int fd, std::string* out) {
  char buffer[4096];
  const ssize_t n = read(fd, buffer, sizeof buffer);
  if (n > 0) out->append(buffer, static_cast<size_t>(n));
  return n > 0 || (n < 0 && errno == EINTR);
}

}  // namespace

common::StatusOr<std::unique_ptr<Process>> Process::Spawn(const std::vector<std::string>& argv,
                                                          const SpawnOptions& options) {
  Redirections redirections;
  if (!options.stdout_path.empty()) redirections.OpenForWriting(STDOUT_FILENO, options.stdout_path);
  if (!options.stderr_path.empty()) redirections.OpenForWriting(STDERR_FILENO, options.stderr_path);
  ASSIGN_OR_RETURN(pid_t pid, Launch(argv, redirections));
  return std::unique_ptr<Process>(new Process(pid));
}

Process::~Process() {
  if (Running()) {
    kill(pid_, SIGKILL);
    Reap(/*block=*/true);
  }
}

bool Process::Reap(bool block) {
  if (exit_status_) return true;
  int status = 0;
  pid_t done = 0;
  do {
    done = waitpid(pid_, &status, block ? 0 : WNOHANG);
  } while (done < 0 && errno == EINTR);
  if (done == pid_) exit_status_ = ExitStatusOf(status);
  if (done < 0) exit_status_ = -1;  // not our child any more: nothing left to wait for
  return exit_status_.has_value();
}

bool Process::Running() { return !Reap(/*block=*/false); }

void Process::Signal(int signal) {
  if (Running()) kill(pid_, signal);
}

std::optional<int> Process::WaitFor(std::chrono::milliseconds timeout) {
  const auto deadline = Clock::now() + timeout;
  while (!Reap(/*block=*/false)) {
    if (Clock::now() >= deadline) return std::nullopt;
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  return exit_status_;
}

int Process::Stop(std::chrono::milliseconds grace) {
  Signal(SIGTERM);
  if (auto status = WaitFor(grace)) return *status;
  kill(pid_, SIGKILL);
  Reap(/*block=*/true);
  return exit_status_.value_or(-1);
}

namespace {

// Reads both pipes until the child closes them or `deadline` passes (then sets timed_out).
void CaptureOutput(int out_fd, int err_fd, Clock::time_point deadline, RunResult* result) {
  pollfd fds[2] = {{out_fd, POLLIN, 0}, {err_fd, POLLIN, 0}};
  std::string* sinks[2] = {&result->out, &result->err};
  int open_fds = 2;
  while (open_fds > 0) {
    const auto left =
        std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
    const int ready = left > 0 ? poll(fds, 2, static_cast<int>(left)) : 0;
    if (ready == 0) {
      result->timed_out = true;
      return;
    }
    if (ready < 0) continue;  // EINTR
    for (int i = 0; i < 2; ++i) {
      if (fds[i].fd >= 0 && fds[i].revents != 0 && !Drain(fds[i].fd, sinks[i])) {
        fds[i].fd = -1;
        --open_fds;
      }
    }
  }
}

}  // namespace

common::StatusOr<RunResult> RunProcess(const std::vector<std::string>& argv,
                                       std::chrono::milliseconds timeout) {
  int out[2];
  int err[2];
  if (pipe2(out, O_CLOEXEC) != 0) return common::Unavailable("pipe failed");
  if (pipe2(err, O_CLOEXEC) != 0) {
    close(out[0]);
    close(out[1]);
    return common::Unavailable("pipe failed");
  }
  Redirections redirections;
  redirections.Dup(out[1], STDOUT_FILENO);
  redirections.Dup(err[1], STDERR_FILENO);
  common::StatusOr<pid_t> pid = Launch(argv, redirections);
  close(out[1]);
  close(err[1]);
  RunResult result;
  if (pid.ok()) {
    Process child(*pid);  // killed and reaped on every path out of here
    const auto deadline = Clock::now() + timeout;
    CaptureOutput(out[0], err[0], deadline, &result);
    std::optional<int> status;
    if (!result.timed_out) {  // the pipes closed: it is exiting, or has daemonized a child
      status = child.WaitFor(
          std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()));
    }
    result.timed_out = !status.has_value();
    if (!status) {
      child.Signal(SIGKILL);
      status = child.WaitFor(std::chrono::seconds(10));
    }
    result.exit_status = status.value_or(-1);
  }
  close(out[0]);
  close(err[0]);
  if (!pid.ok()) return pid.status();
  return result;
}

}  // namespace storepulse::test_support
