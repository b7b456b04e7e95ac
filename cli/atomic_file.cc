#include "cli/atomic_file.h"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace storepulse::cli {
namespace {

common::Status Errno(const std::string& what, const std::string& path) {
  return common::Unavailable("cannot " + what + " " + path + ": " + std::strerror(errno));
}

common::Status WriteAll(int fd, const std::string& text, const std::string& path) {
  size_t done = 0;
  while (done < text.size()) {
    const ssize_t n = write(fd, text.data() + done, text.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return Errno("write", path);
    done += static_cast<size_t>(n);
  }
  return common::OkStatus();
}

// fsync of the directory holding `path`, so that the rename itself survives a power cut.
common::Status SyncDirectoryOf(const std::string& path) {
  std::string dir = std::filesystem::path(path).parent_path().string();
  if (dir.empty()) dir = ".";
  const int fd = open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return Errno("open the directory", dir);
  const int synced = fsync(fd);
  close(fd);
  return synced == 0 ? common::OkStatus() : Errno("sync the directory", dir);
}

}  // namespace

common::Status ReplaceFileAtomically(const std::string& path, const std::string& text,
                                     mode_t mode) {
  struct stat old {};
  const bool exists = stat(path.c_str(), &old) == 0;
  const std::string temp = path + ".tmp-" + std::to_string(getpid());
  const int fd = open(temp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0) return Errno("create", temp);
  common::Status status = WriteAll(fd, text, temp);
  // Owner first, then mode: chown may clear set-id bits, and the mode must be the last word.
  if (status.ok() && exists && fchown(fd, old.st_uid, old.st_gid) != 0 && errno != EPERM) {
    status = Errno("set the owner of", temp);
  }
  if (status.ok() && fchmod(fd, exists ? (old.st_mode & 07777) : mode) != 0) {
    status = Errno("set the mode of", temp);
  }
  if (status.ok() && fsync(fd) != 0) status = Errno("sync", temp);
  close(fd);
  if (status.ok() && rename(temp.c_str(), path.c_str()) != 0) status = Errno("replace", path);
  if (!status.ok()) {
    unlink(temp.c_str());
    return status;
  }
  return SyncDirectoryOf(path);
}

common::StatusOr<std::string> ReadWholeFile(const std::string& path) {
  std::error_code ec;
  if (!std::filesystem::exists(path, ec)) return common::NotFound(path + " does not exist");
  std::ifstream in(path, std::ios::binary);
  if (!in) return common::Unavailable("cannot read " + path + ": " + std::strerror(errno));
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

common::StatusOr<DirectoryLock> DirectoryLock::Acquire(const std::string& directory) {
  const int fd = open(directory.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return Errno("open the directory", directory);
  while (flock(fd, LOCK_EX) != 0) {
    if (errno == EINTR) continue;
    const common::Status status = Errno("lock the directory", directory);
    close(fd);
    return status;
  }
  return DirectoryLock(fd);
}

DirectoryLock::~DirectoryLock() {
  if (fd_ >= 0) close(fd_);  // releases the lock
}

}  // namespace storepulse::cli
