// Progress of a long import on stderr: "ingest: 120,000 / 500,000 lines (24%), 95,000 ev/s", at
// most once a second. On a terminal the line is redrawn in place from the start; otherwise (a log,
// a pipe) a line is written only once the import has run for a second, so short imports stay
// quiet. Time comes from an injected millisecond clock. Single-threaded.
#pragma once

#include <cstdint>
#include <functional>
#include <ostream>
#include <string>

namespace storepulse::cli {

class ProgressMeter {
 public:
  using NowMs = std::function<int64_t()>;  // a monotonic clock in milliseconds

  // `total_lines` 0: unknown (no percentage).
  ProgressMeter(std::ostream& err, bool tty, int64_t total_lines, NowMs now);

  void Update(int64_t lines, int64_t events);
  // Clears a redrawn line so the summary starts on a clean one.
  void Finish();

  static std::string Line(int64_t lines, int64_t total_lines, int64_t events_per_second);

 private:
  std::ostream& err_;
  bool tty_;
  int64_t total_lines_;
  NowMs now_;
  int64_t start_ms_;
  int64_t last_shown_ms_ = -1;
};

// A NowMs reading std::chrono::steady_clock.
int64_t SteadyNowMs();

}  // namespace storepulse::cli
