#include "common/http/prometheus_text.h"

#include <charconv>
#include <cmath>

namespace storepulse::common {

namespace {

// HELP text escapes \ and newline; label values also ".
std::string Escape(std::string_view text, bool quotes) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    if (c == '\\') {
      out += "\\\\";
    } else if (c == '\n') {
      out += "\\n";
    } else if (c == '"' && quotes) {
      out += "\\\"";
    } else {
      out += c;
    }
  }
  return out;
}

}  // namespace

std::string FormatPrometheusLabels(const PrometheusLabels& labels) {
  if (labels.empty()) return "";
  std::string out = "{";
  for (const auto& [name, value] : labels) {
    if (out.size() > 1) out += ',';
    out += name + "=\"" + Escape(value, true) + "\"";
  }
  return out + "}";
}

std::string FormatPrometheusValue(double value) {
  if (std::isnan(value)) return "NaN";
  if (std::isinf(value)) return value > 0 ? "+Inf" : "-Inf";
  if (value == std::trunc(value) && std::fabs(value) < 1e15) {
    return std::to_string(static_cast<int64_t>(value));
  }
  char buffer[32];
  auto [end, error] = std::to_chars(buffer, buffer + sizeof buffer, value);
  return error == std::errc() ? std::string(buffer, end) : "NaN";
}

PrometheusText& PrometheusText::Family(std::string_view name, std::string_view help,
                                       std::string_view type) {
  text_.append("# HELP ").append(name).append(" ").append(Escape(help, false)).append("\n");
  text_.append("# TYPE ").append(name).append(" ").append(type).append("\n");
  return *this;
}

PrometheusText& PrometheusText::Sample(std::string_view name, const PrometheusLabels& labels,
                                       int64_t value) {
  text_.append(name).append(FormatPrometheusLabels(labels)).append(" ");
  text_.append(std::to_string(value)).append("\n");
  return *this;
}

PrometheusText& PrometheusText::Sample(std::string_view name, const PrometheusLabels& labels,
                                       double value) {
  text_.append(name).append(FormatPrometheusLabels(labels)).append(" ");
  text_.append(FormatPrometheusValue(value)).append("\n");
  return *this;
}

PrometheusText& PrometheusText::Single(std::string_view name, std::string_view help,
                                       std::string_view type, int64_t value) {
  return Family(name, help, type).Sample(name, {}, value);
}

PrometheusText& PrometheusText::Single(std::string_view name, std::string_view help,
                                       std::string_view type, double value) {
  return Family(name, help, type).Sample(name, {}, value);
}

PrometheusText& PrometheusText::Histogram(std::string_view name, const PrometheusLabels& labels,
                                          std::span<const double> bounds,
                                          std::span<const int64_t> counts, double sum) {
  const std::string bucket = std::string(name) + "_bucket";
  int64_t cumulative = 0;
  for (size_t i = 0; i < bounds.size(); ++i) {
    cumulative += counts[i];
    PrometheusLabels with_le = labels;
    with_le.emplace_back("le", FormatPrometheusValue(bounds[i]));
    Sample(bucket, with_le, cumulative);
  }
  cumulative += counts[bounds.size()];
  PrometheusLabels with_inf = labels;
  with_inf.emplace_back("le", "+Inf");
  Sample(bucket, with_inf, cumulative);
  Sample(std::string(name) + "_sum", labels, sum);
  return Sample(std::string(name) + "_count", labels, cumulative);
}

PrometheusText& PrometheusText::Append(std::string_view text) {
  text_.append(text);
  return *this;
}

std::string PrometheusMetric(const char* name, const char* help, int64_t value, const char* type) {
  return PrometheusText().Single(name, help, type, value).Take();
}

}  // namespace storepulse::common
