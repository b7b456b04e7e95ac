#include "cli/progress.h"

#include <chrono>

#include "cli/number_format.h"

namespace storepulse::cli {
namespace {
constexpr int64_t kIntervalMs = 1000;
}  // namespace

int64_t SteadyNowMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

ProgressMeter::ProgressMeter(std::ostream& err, bool tty, int64_t total_lines, NowMs now)
    : err_(err), tty_(tty), total_lines_(total_lines), now_(std::move(now)), start_ms_(now_()) {}

std::string ProgressMeter::Line(int64_t lines, int64_t total_lines, int64_t events_per_second) {
  std::string text = "ingest: " + GroupThousands(lines);
  if (total_lines > 0) {
    text += " / " + GroupThousands(total_lines) + " lines (" +
            std::to_string(lines * 100 / total_lines) + "%)";
  } else {
    text += " lines";
  }
  return text + ", " + GroupThousands(events_per_second) + " ev/s";
}

void ProgressMeter::Update(int64_t lines, int64_t events) {
  const int64_t now = now_();
  const int64_t elapsed = now - start_ms_;
  if (!tty_ && elapsed < kIntervalMs) return;
  if (last_shown_ms_ >= 0 && now - last_shown_ms_ < kIntervalMs) return;
  last_shown_ms_ = now;
  const int64_t rate = elapsed > 0 ? events * 1000 / elapsed : 0;
  if (tty_) {
    err_ << "\r" << Line(lines, total_lines_, rate) << "\033[K" << std::flush;
  } else {
    err_ << Line(lines, total_lines_, rate) << "\n" << std::flush;
  }
}

void ProgressMeter::Finish() {
  if (tty_ && last_shown_ms_ >= 0) err_ << "\r\033[K" << std::flush;
}

}  // namespace storepulse::cli
