// Replacing a small configuration file (edge.conf, central's stores file, a copied .pub) so that a
// reader — a daemon reloading on SIGHUP, a power cut — sees the old file or the new one, never
// half of one: write a temporary file beside it, fsync, rename over, fsync the directory.
// Stateless; two writers of the same path must serialise themselves (DirectoryLock).
#pragma once

#include <sys/types.h>

#include <string>

#include "common/status.h"

namespace storepulse::cli {

// Writes `text` to `path` atomically. A new file gets `mode` (whatever the umask); a file that
// exists keeps its mode, owner and group (stores.csv is root:storepulse 0640). The directory must
// exist. Unavailable, naming the file, when it cannot be written.
common::Status ReplaceFileAtomically(const std::string& path, const std::string& text, mode_t mode);

// The whole of a file; NotFound when it does not exist, Unavailable when it cannot be read.
common::StatusOr<std::string> ReadWholeFile(const std::string& path);

// An exclusive flock(2) on a directory, held while alive: the writers of a file in it (two
// `storepulse stores add` at once) take turns, and nothing is left behind. Move-only.
class DirectoryLock {
 public:
  // Blocks until the lock is ours. Unavailable when the directory cannot be opened.
  static common::StatusOr<DirectoryLock> Acquire(const std::string& directory);
  DirectoryLock(DirectoryLock&& other) noexcept : fd_(other.fd_) { other.fd_ = -1; }
  DirectoryLock& operator=(DirectoryLock&&) = delete;
  DirectoryLock(const DirectoryLock&) = delete;
  DirectoryLock& operator=(const DirectoryLock&) = delete;
  ~DirectoryLock();

 private:
  explicit DirectoryLock(int fd) : fd_(fd) {}
  int fd_;
};

}  // namespace storepulse::cli
