// Filling a daemon's disk for fault tests: the daemon runs in a mount namespace of its own
// (`unshare -m`) on a small tmpfs mounted over its data directory, so a real file system fills up
// without touching the machine's disks and disappears with the daemon. The test reaches that file
// system as the daemon sees it, through /proc/PID/root, and fills it with a filler file.
// Mounting needs root with CAP_SYS_ADMIN: CanMountTmpfs says why not otherwise.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "common/event.h"

namespace storepulse::test_support {

// The launcher (EdgeNode/CentralNode options) that runs a daemon on a tmpfs of `size_mib` MiB
// mounted over `dir`.
std::vector<std::string> OnOwnTmpfs(const std::string& dir, int size_mib = 32);
// "" when this process can mount a tmpfs over `dir` in a mount namespace; else why not.
std::string CannotMountTmpfs(const std::string& dir);
// `dir` as the daemon `pid` sees it (its own mount namespace).
std::string AsSeenBy(int pid, const std::string& dir);
uint64_t FreeBytes(const std::string& path);
// Grows or shrinks `<dir>/filler` so that about `room` bytes stay free (a 64 KiB step).
// False (with a test failure) when the file system cannot leave that little.
bool LeaveRoom(const std::string& dir, uint64_t room);
void RemoveFiller(const std::string& dir);
// `count` sales of 20 lines with long SKU names: about 2 KB each once stored.
std::vector<common::Event> BulkySales(const std::string& prefix, int count);

}  // namespace storepulse::test_support
