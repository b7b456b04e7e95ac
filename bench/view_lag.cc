#include "bench/view_lag.h"

#include <httplib.h>

#include <cmath>
#include <optional>
#include <sstream>

#include <nlohmann/json.hpp>

namespace storepulse::bench {

namespace {

constexpr double kGoalMs = 1000;  // p99 of the pass's lag under full load

std::optional<ViewSample> FromStatus(const std::string& body) {
  auto json = nlohmann::json::parse(body, nullptr, false);
  if (json.is_discarded() || !json["views"].is_object()) return std::nullopt;
  const auto& views = json["views"];
  ViewSample s;
  s.folded = views.value("folded", int64_t{0});
  s.pending = views.value("pending_events", int64_t{0});
  s.lag_ms = views.value("lag_ms", int64_t{0});
  return s;
}

std::optional<ViewSample> FromMetrics(const std::string& body) {
  ViewSample s;
  int found = 0;
  std::istringstream lines(body);
  for (std::string line; std::getline(lines, line);) {
    for (auto [name, field] : {std::pair{"storepulse_central_views_folded ", &s.folded},
                               std::pair{"storepulse_central_views_pending_events ", &s.pending},
                               std::pair{"storepulse_central_views_lag_seconds ", &s.lag_ms}}) {
      std::string_view key(name);
      if (line.rfind(key, 0) == 0) {
        const std::string value = line.substr(key.size());
        // The lag is in seconds, with a fraction; the other two are integers.
        *field = field == &s.lag_ms ? std::llround(std::stod(value) * 1000) : std::stoll(value);
        ++found;
      }
    }
  }
  if (found != 3) return std::nullopt;
  return s;
}

}  // namespace

ViewLagSampler::ViewLagSampler(int http_port, ViewSource source, std::chrono::milliseconds every)
    : port_(http_port), source_(source), every_(every) {}

ViewLagSampler::~ViewLagSampler() {
  stop_ = true;
  if (thread_.joinable()) thread_.join();
}

void ViewLagSampler::Start() {
  watch_ = Stopwatch();
  thread_ = std::thread([this] { Run(); });
}

void ViewLagSampler::StopWhenCaughtUp(std::chrono::milliseconds deadline) {
  load_end_ms_ = watch_.Ms();
  WaitUntil(
      [&] { return stop_.load(); }, deadline, std::chrono::milliseconds(5));
  stop_ = true;
  if (thread_.joinable()) thread_.join();
}

void ViewLagSampler::Run() {
  httplib::Client client("127.0.0.1", port_);
  client.set_keep_alive(true);
  client.set_tcp_nodelay(true);
  client.set_read_timeout(5, 0);
  const char* path = source_ == ViewSource::kEdgeStatus ? "/api/v1/status" : "/metrics";
  while (!stop_) {
    const double t = watch_.Ms();
    auto res = client.Get(path);
    std::optional<ViewSample> sample;
    if (res && res->status == 200) {
      sample = source_ == ViewSource::kEdgeStatus ? FromStatus(res->body) : FromMetrics(res->body);
    }
    if (!sample) {
      ++failed_;
    } else {
      sample->t_ms = t;
      samples_.push_back(*sample);
      // After the load, the pass has caught up once nothing is pending.
      if (load_end_ms_ >= 0 && t >= load_end_ms_ && sample->pending == 0) stop_ = true;
    }
    std::this_thread::sleep_for(every_);
  }
}

Figure ViewLagSampler::MakeFigure(const std::string& name) const {
  std::vector<double> group_lags, trail;
  int64_t max_pending = 0;
  size_t first_holding = 0;  // the first sample whose log holds the oldest unfolded event
  for (size_t j = 0; j < samples_.size(); ++j) {
    const ViewSample& s = samples_[j];
    max_pending = std::max(max_pending, s.pending);
    if (j > 0 && s.folded != samples_[j - 1].folded) {
      group_lags.push_back(static_cast<double>(s.lag_ms));
    }
    if (s.pending == 0) {
      trail.push_back(0);
      continue;
    }
    // Logs only grow and watermarks only move on: the search resumes where it stopped.
    while (first_holding < j &&
           samples_[first_holding].folded + samples_[first_holding].pending < s.folded + 1) {
      ++first_holding;
    }
    trail.push_back(s.t_ms - samples_[first_holding].t_ms);
  }
  Figure f = BelowFigure(name, Percentile(group_lags, 99), "ms", kGoalMs);
  const double load_end = load_end_ms_;
  const bool caught_up = !samples_.empty() && samples_.back().pending == 0;
  f.extra = {{"p50_ms", Percentile(group_lags, 50)},
             {"max_ms", Percentile(group_lags, 100)},
             {"groups_seen", group_lags.size()},
             {"trail_p50_ms", Percentile(trail, 50)},
             {"trail_p99_ms", Percentile(trail, 99)},
             {"trail_max_ms", Percentile(trail, 100)},
             {"max_pending_events", max_pending},
             {"caught_up_after_load_ms",
              caught_up ? nlohmann::json(samples_.back().t_ms - load_end) : nlohmann::json()},
             {"samples", samples_.size()},
             {"failed_samples", failed_},
             {"sample_every_ms", every_.count()}};
  if (group_lags.empty()) {
    f.met = false;
    f.extra["problem"] = "no group folded while sampled";
  }
  if (!caught_up) {
    f.met = false;
    f.extra["problem"] = "the view pass had not caught up when sampling stopped";
  }
  return f;
}

}  // namespace storepulse::bench
