// The Prometheus text exposition format (0.0.4) that both daemons answer on GET /metrics: metric
// families with HELP and TYPE, samples with escaped labels, histograms. Only text is built here;
// which series exist is decided by each daemon's metrics file. Not thread-safe: one per answer.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace storepulse::common {

// Label names and values, in the order they are printed. Names are ours (snake_case); values may
// be anything (store ids, reasons) and are escaped.
using PrometheusLabels = std::vector<std::pair<std::string, std::string>>;

// `{name="value",…}` with \, " and newline escaped; "" for no labels.
std::string FormatPrometheusLabels(const PrometheusLabels& labels);
// Integral values exactly, others with up to 17 significant digits; NaN, +Inf, -Inf as spelled by
// Prometheus.
std::string FormatPrometheusValue(double value);

class PrometheusText {
 public:
  // Starts a family: its HELP and TYPE lines. `type`: "counter", "gauge" or "histogram".
  // REQUIRES: each name once per text, before its samples.
  PrometheusText& Family(std::string_view name, std::string_view help, std::string_view type);
  PrometheusText& Sample(std::string_view name, const PrometheusLabels& labels, int64_t value);
  PrometheusText& Sample(std::string_view name, const PrometheusLabels& labels, double value);
  // A family of one unlabelled sample.
  PrometheusText& Single(std::string_view name, std::string_view help, std::string_view type,
                         int64_t value);
  PrometheusText& Single(std::string_view name, std::string_view help, std::string_view type,
                         double value);
  // The samples of one histogram series: `counts[i]` observations fell at or below
  // `bounds[i]` (not cumulative), `sum` their total; the +Inf bucket is the count of all.
  // REQUIRES: counts.size() == bounds.size() + 1 (the last: above every bound).
  PrometheusText& Histogram(std::string_view name, const PrometheusLabels& labels,
                            std::span<const double> bounds, std::span<const int64_t> counts,
                            double sum);
  // Text built elsewhere (a whole family), appended as it is.
  PrometheusText& Append(std::string_view text);

  const std::string& text() const { return text_; }
  std::string Take() { return std::move(text_); }

 private:
  std::string text_;
};

// One family of one unlabelled sample, with its HELP and TYPE lines.
std::string PrometheusMetric(const char* name, const char* help, int64_t value, const char* type);

}  // namespace storepulse::common
