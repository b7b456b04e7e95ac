#include "bench/bench_report.h"

#include <algorithm>
#include <cmath>
#include <iostream>
#include <sstream>

namespace storepulse::bench {

namespace {

// Rates as integers, small values with three decimals: readable, and stable in diffs.
double Rounded(double value) {
  if (std::fabs(value) >= 1000) return std::round(value);
  return std::round(value * 1000) / 1000;
}

std::string Trim(double value) {
  std::ostringstream out;
  out << value;
  return out.str();
}

}  // namespace

Figure PlainFigure(std::string name, double value, std::string unit) {
  Figure f;
  f.name = std::move(name);
  f.value = value;
  f.unit = std::move(unit);
  return f;
}

Figure RatioFigure(std::string name, double value, std::string unit, std::string reference_name,
                   double reference, double min_ratio) {
  Figure f;
  f.name = std::move(name);
  f.value = value;
  f.unit = std::move(unit);
  f.reference_name = std::move(reference_name);
  f.reference = reference;
  if (min_ratio > 0) {
    f.goal = "ratio >= " + Trim(min_ratio);
    f.met = reference > 0 && value / reference >= min_ratio;
  }
  return f;
}

Figure BelowFigure(std::string name, double value, std::string unit, double limit) {
  Figure f;
  f.name = std::move(name);
  f.value = value;
  f.goal = "< " + Trim(limit) + " " + unit;
  f.unit = std::move(unit);
  f.met = value < limit;
  return f;
}

void PrintFigure(const Figure& f) {
  nlohmann::ordered_json line;
  line["name"] = f.name;
  line["value"] = Rounded(f.value);
  line["unit"] = f.unit;
  if (f.reference && *f.reference > 0) {
    line["reference"] = Rounded(*f.reference);
    line["reference_name"] = f.reference_name;
    line["ratio"] = std::round(f.value / *f.reference * 1000) / 1000;
  } else {
    line["reference"] = nullptr;
    line["ratio"] = nullptr;
  }
  line["goal"] = f.goal.empty() ? nlohmann::ordered_json(nullptr) : nlohmann::ordered_json(f.goal);
  line["met"] = f.met ? nlohmann::ordered_json(*f.met) : nlohmann::ordered_json(nullptr);
  for (const auto& [key, value] : f.extra.items()) {
    line[key] = value.is_number_float() ? nlohmann::json(Rounded(value.get<double>())) : value;
  }
  std::cout << line.dump() << std::endl;
}

void Note(const std::string& text) { std::cerr << "[bench] " << text << std::endl; }

double Percentile(std::vector<double> values, double p) {
  if (values.empty()) return 0;
  std::sort(values.begin(), values.end());
  double rank = std::ceil(p / 100.0 * static_cast<double>(values.size()));
  size_t index = rank < 1 ? 0 : static_cast<size_t>(rank) - 1;
  return values[std::min(index, values.size() - 1)];
}

int64_t WallNowMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

}  // namespace storepulse::bench
