#include "common/process_stats.h"

#include <dirent.h>
#include <sys/resource.h>
#include <unistd.h>

#include <fstream>
#include <sstream>
#include <string>
#include <vector>

namespace storepulse::common {

namespace {

// The fields of /proc/self/stat after the command name (which may hold spaces and parentheses):
// fields[0] is the state, field N of proc(5) is fields[N - 3].
std::vector<std::string> StatFields() {
  std::ifstream file("/proc/self/stat");
  std::string line;
  if (!std::getline(file, line)) return {};
  const size_t close = line.rfind(')');
  if (close == std::string::npos) return {};
  std::istringstream rest(line.substr(close + 1));
  std::vector<std::string> fields;
  for (std::string field; rest >> field;) fields.push_back(field);
  return fields;
}

// The system's boot time (Unix seconds), from /proc/stat; 0 when unknown.
int64_t BootTime() {
  std::ifstream file("/proc/stat");
  for (std::string line; std::getline(file, line);) {
    if (line.rfind("btime ", 0) == 0) return std::stoll(line.substr(6));
  }
  return 0;
}

int64_t CountOpenFds() {
  DIR* dir = opendir("/proc/self/fd");
  if (dir == nullptr) return 0;
  int64_t count = 0;
  while (const dirent* entry = readdir(dir)) {
    if (entry->d_name[0] != '.') ++count;
  }
  closedir(dir);
  return count - 1;  // the directory's own descriptor
}

}  // namespace

std::optional<ProcessStats> ReadProcessStats() {
  const std::vector<std::string> f = StatFields();
  if (f.size() < 22) return std::nullopt;  // up to rss, field 24
  try {
    const double ticks = static_cast<double>(sysconf(_SC_CLK_TCK));
    ProcessStats stats;
    stats.cpu_seconds = static_cast<double>(std::stoll(f[11]) + std::stoll(f[12])) / ticks;
    stats.start_time_seconds =
        static_cast<double>(BootTime()) + static_cast<double>(std::stoll(f[19])) / ticks;
    stats.virtual_bytes = std::stoll(f[20]);
    stats.resident_bytes = std::stoll(f[21]) * sysconf(_SC_PAGESIZE);
    stats.open_fds = CountOpenFds();
    rlimit limit{};
    if (getrlimit(RLIMIT_NOFILE, &limit) == 0 && limit.rlim_cur != RLIM_INFINITY) {
      stats.max_fds = static_cast<int64_t>(limit.rlim_cur);
    }
    return stats;
  } catch (const std::exception&) {  // a field that is not a number: not the /proc we know
    return std::nullopt;
  }
}

}  // namespace storepulse::common
