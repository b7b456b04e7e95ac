#include "common/http/daemon_metrics.h"

#include <filesystem>

#include "common/http/guarded_http_server.h"
#include "common/process_stats.h"

namespace storepulse::common {

namespace {

void AppendProcess(PrometheusText& text) {
  const std::optional<ProcessStats> stats = ReadProcessStats();
  if (!stats) return;  // no /proc: the series are left out rather than shown as 0
  text.Single("process_cpu_seconds_total", "Total user and system CPU time spent in seconds.",
              "counter", stats->cpu_seconds);
  text.Single("process_resident_memory_bytes", "Resident memory size in bytes.", "gauge",
              stats->resident_bytes);
  text.Single("process_virtual_memory_bytes", "Virtual memory size in bytes.", "gauge",
              stats->virtual_bytes);
  text.Single("process_open_fds", "Number of open file descriptors.", "gauge", stats->open_fds);
  if (stats->max_fds > 0) {
    text.Single("process_max_fds", "Maximum number of open file descriptors.", "gauge",
                stats->max_fds);
  }
  text.Single("process_start_time_seconds",
              "Start time of the process since unix epoch in seconds.", "gauge",
              stats->start_time_seconds);
}

}  // namespace

void AppendDaemonMetrics(PrometheusText& text, const GuardedHttpServer& server,
                         const DaemonMetricsInfo& info) {
  PrometheusLabels build = {{"version", STOREPULSE_VERSION}, {"daemon", info.daemon}};
  build.insert(build.end(), info.build_labels.begin(), info.build_labels.end());
  text.Family("storepulse_build_info",
              "Always 1; the labels say which storepulse build runs (version, daemon).", "gauge")
      .Sample("storepulse_build_info", build, int64_t{1});
  AppendProcess(text);
  server.request_durations().AppendTo(text);
  text.Append(HttpGuardMetrics(server, info.prefix));
  std::error_code error;
  const auto bytes = std::filesystem::file_size(info.database_path, error);
  const std::string name = info.prefix + "database_bytes";
  text.Single(
      name,
      "Size of the SQLite database file; its write-ahead log is " + info.prefix + "wal_bytes.",
      "gauge", error ? int64_t{0} : static_cast<int64_t>(bytes));
}

}  // namespace storepulse::common
