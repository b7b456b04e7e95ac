#include "tests/faults/disk_fill.h"

#include <gtest/gtest.h>
#include <sys/statvfs.h>

#include <algorithm>
#include <filesystem>
#include <fstream>

#include "tests/integration/test_events.h"
#include "tests/support/process.h"

namespace storepulse::test_support {

namespace fs = std::filesystem;

std::vector<std::string> OnOwnTmpfs(const std::string& dir, int size_mib) {
  const std::string script = "mount -t tmpfs -o size=" + std::to_string(size_mib) +
                             "m storepulse-test \"$0\" && exec \"$@\"";
  return {"unshare", "--mount", "--propagation", "private", "--", "sh", "-c", script, dir};
}

std::string CannotMountTmpfs(const std::string& dir) {
  if (geteuid() != 0) return "mounting a tmpfs for a daemon needs root";
  fs::create_directories(dir);
  std::vector<std::string> probe = OnOwnTmpfs(dir);
  probe.push_back("true");
  auto mounted = RunProcess(probe, std::chrono::seconds(10));
  if (!mounted.ok()) return mounted.status().message();
  if (mounted->exit_status != 0) {  // root without CAP_SYS_ADMIN: an unprivileged container
    return "cannot mount a tmpfs in a mount namespace: " + mounted->err;
  }
  return "";
}

std::string AsSeenBy(int pid, const std::string& dir) {
  return "/proc/" + std::to_string(pid) + "/root" + dir;
}

uint64_t FreeBytes(const std::string& path) {
  struct statvfs fs {};
  if (statvfs(path.c_str(), &fs) != 0) return 0;
  return static_cast<uint64_t>(fs.f_bavail) * fs.f_frsize;
}

bool LeaveRoom(const std::string& dir, uint64_t room) {
  const std::string filler = dir + "/filler";
  const uint64_t free = FreeBytes(dir);
  const uint64_t size = fs::exists(filler) ? fs::file_size(filler) : 0;
  if (free + size <= room) {
    ADD_FAILURE() << dir << " has " << free + size << " bytes to give, not more than " << room;
    return false;
  }
  const uint64_t want = free + size - room;
  if (want < size) {
    fs::resize_file(filler, want);
  } else {
    std::ofstream out(filler, std::ios::binary | std::ios::app);
    const std::string chunk(64 * 1024, '\0');
    for (uint64_t written = size; written < want && out; written += chunk.size()) {
      out.write(chunk.data(),
                static_cast<std::streamsize>(std::min<uint64_t>(chunk.size(), want - written)));
    }
    out.flush();  // a short write at the very end is fine: the disk is full
  }
  return true;
}

void RemoveFiller(const std::string& dir) { fs::remove(dir + "/filler"); }

std::vector<common::Event> BulkySales(const std::string& prefix, int count) {
  std::vector<common::Event> events = Sales(prefix, count);
  for (common::Event& event : events) {
    event.lines.clear();
    for (int j = 0; j < 20; ++j) {
      event.lines.push_back(
          common::Line{"SKU-" + std::string(80, 'x') + "-" + std::to_string(j), 1, 100, 0});
    }
  }
  return events;
}

}  // namespace storepulse::test_support
