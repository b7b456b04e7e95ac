#include "common/http/request_durations.h"

#include <algorithm>
#include <chrono>

namespace storepulse::common {

namespace {

using Clock = std::chrono::steady_clock;
thread_local Clock::time_point t_request_start{};

std::string MethodLabel(const std::string& method) {
  static constexpr std::array<std::string_view, 7> kKnown = {"GET",    "HEAD",    "POST", "PUT",
                                                             "DELETE", "OPTIONS", "PATCH"};
  return std::find(kKnown.begin(), kKnown.end(), method) != kKnown.end() ? method : "other";
}

}  // namespace

std::string RouteLabel(const httplib::Request& req, bool body_route) {
  if (req.matches.empty()) return body_route ? req.path : "unmatched";
  // The whole path matched the route's pattern; what its groups captured is the variable part.
  const std::string path = req.matches.str(0);
  std::string route;
  size_t at = 0;
  for (size_t i = 1; i < req.matches.size(); ++i) {
    if (!req.matches[i].matched) continue;
    const auto position = static_cast<size_t>(req.matches.position(i));
    if (position < at) continue;  // nested in a group already replaced
    route += path.substr(at, position - at) + "{}";
    at = position + static_cast<size_t>(req.matches.length(i));
  }
  return route + path.substr(std::min(at, path.size()));
}

void RequestDurations::BeginRequest() { t_request_start = Clock::now(); }

void RequestDurations::Observe(const httplib::Request& req, const httplib::Response& res,
                               bool body_route) {
  // A request served by a loop that never marked its start (none today) is not timed at all
  // rather than timed from the clock's epoch.
  if (t_request_start == Clock::time_point{}) return;
  const double seconds = std::chrono::duration<double>(Clock::now() - t_request_start).count();
  t_request_start = Clock::time_point{};
  const size_t bucket = std::lower_bound(kBounds.begin(), kBounds.end(), seconds) - kBounds.begin();
  Key key{RouteLabel(req, body_route), MethodLabel(req.method), res.status};
  std::lock_guard lock(mu_);
  Series& series = series_[std::move(key)];
  series.counts[bucket]++;
  series.sum += seconds;
}

void RequestDurations::AppendTo(PrometheusText& text) const {
  constexpr std::string_view kName = "storepulse_http_request_duration_seconds";
  text.Family(kName,
              "Time from a request's first byte to its answer written, by route pattern, method "
              "and status code.",
              "histogram");
  std::lock_guard lock(mu_);
  for (const auto& [key, series] : series_) {
    const auto& [route, method, code] = key;
    text.Histogram(kName, {{"route", route}, {"method", method}, {"code", std::to_string(code)}},
                   kBounds, series.counts, series.sum);
  }
}

}  // namespace storepulse::common
