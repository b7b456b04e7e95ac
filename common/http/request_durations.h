// How long each HTTP request took, by route, method and status code: the histogram
// storepulse_http_request_duration_seconds{route,method,code} of both daemons' /metrics. The
// server marks the start of each request (BeginRequest, on the thread that serves it) and
// reports its end once the answer is written (Observe, from httplib's logger on that thread).
//
// The route is the pattern that served the request, never the raw path, so that a client cannot
// grow the series: exact routes are their path, a pattern's captured parts become "{}", and a
// request no route took is "unmatched" (a body route refused before routing keeps its path).
// Methods outside the HTTP set are "other". Thread-safe.
#pragma once

#include <httplib.h>

#include <array>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <tuple>

#include "common/http/prometheus_text.h"

namespace storepulse::common {

class RequestDurations {
 public:
  // Upper bounds in seconds: a KPI over a year of a large store takes seconds, /healthz 100 µs.
  static constexpr std::array<double, 12> kBounds = {0.001, 0.0025, 0.005, 0.01, 0.025, 0.05,
                                                     0.1,   0.25,   0.5,   1,    2.5,   10};

  // The request served on this thread starts now.
  static void BeginRequest();
  // The request served on this thread was answered with `res`. `body_route`: its path is a POST
  // route taking a body (refusals of those come before routing).
  void Observe(const httplib::Request& req, const httplib::Response& res, bool body_route);

  // The family storepulse_http_request_duration_seconds, every series seen since start.
  void AppendTo(PrometheusText& text) const;

 private:
  struct Series {
    std::array<int64_t, kBounds.size() + 1> counts{};
    double sum = 0;
  };
  using Key = std::tuple<std::string, std::string, int>;  // route, method, code
  mutable std::mutex mu_;
  std::map<Key, Series> series_;  // guarded by mu_
};

// The route label of a request (see above).
std::string RouteLabel(const httplib::Request& req, bool body_route);

}  // namespace storepulse::common
