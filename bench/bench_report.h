// What the benchmarks print: one JSON object per figure, one a line on stdout —
//   {"name":…, "value":…, "unit":…, "reference":…, "ratio":…, "goal":…, "met":…, …extras}
// — with the reference (the raw SQLite rate, say) measured in the same run, so that figures compare
// across noisy machines. Progress notes go to stderr. Stateless helpers; thread-safe.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace storepulse::bench {

struct Figure {
  std::string name;
  double value = 0;
  std::string unit;
  std::string reference_name;       // e.g. "sqlite_insert_full"; empty: no reference
  std::optional<double> reference;  // its value in this run
  std::string goal;                 // e.g. "ratio >= 0.5", "< 5 ms"; empty: none
  std::optional<bool> met;
  nlohmann::json extra = nlohmann::json::object();  // counts, percentiles, durations
};

// A figure with neither reference nor goal.
Figure PlainFigure(std::string name, double value, std::string unit);
// A rate compared with its reference: met when value / reference >= min_ratio (no goal when
// min_ratio <= 0).
Figure RatioFigure(std::string name, double value, std::string unit, std::string reference_name,
                   double reference, double min_ratio);
// A figure that must stay below `limit` (latency, memory, duration).
Figure BelowFigure(std::string name, double value, std::string unit, double limit);

void PrintFigure(const Figure& figure);
// A progress line on stderr: "[bench] text".
void Note(const std::string& text);

// The p-th percentile (0..100) of `values`, nearest rank; 0 when empty.
double Percentile(std::vector<double> values, double p);

class Stopwatch {
 public:
  Stopwatch() : start_(std::chrono::steady_clock::now()) {}
  double Seconds() const {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
  }
  double Ms() const { return Seconds() * 1000.0; }

 private:
  std::chrono::steady_clock::time_point start_;
};

// Wall-clock UTC ms (event timestamps).
int64_t WallNowMs();

}  // namespace storepulse::bench
