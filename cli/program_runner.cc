#include "cli/program_runner.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>

extern char** environ;

namespace storepulse::cli {
namespace {

using SteadyClock = std::chrono::steady_clock;

bool IsExecutable(const std::filesystem::path& path) {
  std::error_code ec;
  return std::filesystem::is_regular_file(path, ec) && access(path.c_str(), X_OK) == 0;
}

// Closes a file descriptor when it goes out of scope.
class FdCloser {
 public:
  explicit FdCloser(int fd) : fd_(fd) {}
  ~FdCloser() {
    if (fd_ >= 0) close(fd_);
  }
  FdCloser(const FdCloser&) = delete;
  FdCloser& operator=(const FdCloser&) = delete;

 private:
  int fd_;
};

// Starts argv with stdin from /dev/null and stdout and stderr into `out_fd`.
common::StatusOr<pid_t> Spawn(const std::vector<std::string>& argv, int out_fd) {
  std::vector<char*> args;
  for (const std::string& arg : argv) args.push_back(const_cast<char*>(arg.c_str()));
  args.push_back(nullptr);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_adddup2(&actions, out_fd, STDOUT_FILENO);
  posix_spawn_file_actions_adddup2(&actions, out_fd, STDERR_FILENO);
  pid_t pid = -1;
  const int error = posix_spawn(&pid, args[0], &actions, nullptr, args.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  if (error != 0) {
    return common::Unavailable("cannot run " + argv[0] + ": " + std::strerror(error));
  }
  return pid;
}

// Reads `fd` to its end into `output`; false if `deadline` passed first.
bool ReadAll(int fd, SteadyClock::time_point deadline, std::string* output) {
  char buffer[4096];
  for (;;) {
    const auto left =
        std::chrono::duration_cast<std::chrono::milliseconds>(deadline - SteadyClock::now());
    if (left.count() <= 0) return false;
    pollfd poll_fd{fd, POLLIN, 0};
    const int ready = poll(&poll_fd, 1, static_cast<int>(left.count()));
    if (ready < 0 && errno == EINTR) continue;
    if (ready <= 0) return false;
    const ssize_t n = read(fd, buffer, sizeof buffer);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return true;  // end of output (or an error: nothing more to read)
    output->append(buffer, static_cast<size_t>(n));
  }
}

int WaitExit(pid_t pid) {
  int status = 0;
  while (waitpid(pid, &status, 0) < 0) {
    if (errno != EINTR) return -1;
  }
  if (WIFEXITED(status)) return WEXITSTATUS(status);
  if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
  return -1;
}

}  // namespace

common::StatusOr<std::string> FindProgram(const std::string& name) {
  std::error_code ec;
  const std::filesystem::path self = std::filesystem::read_symlink("/proc/self/exe", ec);
  const std::filesystem::path beside = self.parent_path() / name;
  if (!ec && IsExecutable(beside)) return beside.string();
  const char* path_env = std::getenv("PATH");
  const std::string path = path_env == nullptr ? "" : path_env;
  size_t start = 0;
  while (start <= path.size()) {
    size_t colon = path.find(':', start);
    if (colon == std::string::npos) colon = path.size();
    const std::string dir = path.substr(start, colon - start);
    if (!dir.empty() && IsExecutable(std::filesystem::path(dir) / name)) {
      return (std::filesystem::path(dir) / name).string();
    }
    start = colon + 1;
  }
  return common::NotFound("cannot find " + name + " next to this program (" +
                          (ec ? std::string("?") : self.parent_path().string()) + ") nor in $PATH");
}

common::StatusOr<ProgramResult> RunProgram(const std::vector<std::string>& argv,
                                           std::chrono::milliseconds timeout) {
  if (argv.empty()) return common::InvalidArgument("no program to run");
  int fds[2];
  if (pipe2(fds, O_CLOEXEC) != 0) {
    return common::Unavailable(std::string("cannot make a pipe: ") + std::strerror(errno));
  }
  FdCloser read_end(fds[0]);
  common::StatusOr<pid_t> pid = Spawn(argv, fds[1]);
  close(fds[1]);  // the child holds its own copy: EOF comes when it exits
  if (!pid.ok()) return pid.status();
  ProgramResult result;
  const bool finished = ReadAll(fds[0], SteadyClock::now() + timeout, &result.output);
  if (!finished) kill(*pid, SIGKILL);
  result.exit_status = WaitExit(*pid);
  if (!finished) {
    return common::Unavailable(argv[0] + " did not finish within " +
                               std::to_string(timeout.count() / 1000) + " s; killed it");
  }
  return result;
}

}  // namespace storepulse::cli
