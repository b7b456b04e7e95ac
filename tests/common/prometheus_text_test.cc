// The Prometheus exposition helpers (common/http/prometheus_text.h) and the route label of the
// request-duration histogram (common/http/request_durations.h): label values escaped, numbers
// as Prometheus reads them, cumulative buckets, and a route that never carries what a client put
// in its path.
#include "common/http/prometheus_text.h"

#include <gtest/gtest.h>

#include <regex>

#include "common/http/request_durations.h"

namespace storepulse::common {
namespace {

TEST(PrometheusTextTest, LabelValuesAreEscapedAndNumbersWrittenAsPrometheusReadsThem) {
  EXPECT_EQ(FormatPrometheusLabels({}), "");
  EXPECT_EQ(FormatPrometheusLabels({{"store", "a\"b\\c\nd"}, {"region", "north"}}),
            "{store=\"a\\\"b\\\\c\\nd\",region=\"north\"}");
  EXPECT_EQ(FormatPrometheusValue(3), "3");
  EXPECT_EQ(FormatPrometheusValue(0.75), "0.75");
  EXPECT_EQ(FormatPrometheusValue(1e300), "1e+300");
  EXPECT_EQ(FormatPrometheusValue(std::numeric_limits<double>::infinity()), "+Inf");
  EXPECT_EQ(FormatPrometheusValue(std::nan("")), "NaN");
  const std::string text = PrometheusText()
                               .Family("x_total", "Help with \\ and\nnewline.", "counter")
                               .Sample("x_total", {{"reason", "version"}}, int64_t{7})
                               .Take();
  EXPECT_EQ(text,
            "# HELP x_total Help with \\\\ and\\nnewline.\n# TYPE x_total counter\n"
            "x_total{reason=\"version\"} 7\n");
}

TEST(PrometheusTextTest, HistogramBucketsAreCumulativeWithInfTheCount) {
  const std::array<double, 2> bounds = {0.1, 1};
  const std::array<int64_t, 3> counts = {2, 3, 1};  // ≤0.1, ≤1, above
  const std::string text =
      PrometheusText().Histogram("d_seconds", {{"route", "/x"}}, bounds, counts, 4.5).Take();
  EXPECT_EQ(text,
            "d_seconds_bucket{route=\"/x\",le=\"0.1\"} 2\n"
            "d_seconds_bucket{route=\"/x\",le=\"1\"} 5\n"
            "d_seconds_bucket{route=\"/x\",le=\"+Inf\"} 6\n"
            "d_seconds_sum{route=\"/x\"} 4.5\n"
            "d_seconds_count{route=\"/x\"} 6\n");
}

TEST(RequestDurationsTest, RouteIsThePatternNeverThePathAClientSent) {
  httplib::Request req;
  req.path = "/api/v1/stores/PAR1/page";
  ASSERT_TRUE(
      std::regex_match(req.path, req.matches, std::regex(R"(/api/v1/stores/([^/]+)/page)")));
  EXPECT_EQ(RouteLabel(req, false), "/api/v1/stores/{}/page");
  req.path = "/metrics";
  ASSERT_TRUE(std::regex_match(req.path, req.matches, std::regex("/metrics")));
  EXPECT_EQ(RouteLabel(req, false), "/metrics");
  req.path = "/anything/a/client/makes/up";
  req.matches = std::smatch();  // no route took it
  EXPECT_EQ(RouteLabel(req, false), "unmatched");
  req.path = "/api/v1/events";  // a body route refused before routing (its token)
  EXPECT_EQ(RouteLabel(req, true), "/api/v1/events");
}

TEST(RequestDurationsTest, EachAnswerIsCountedInItsBucketByRouteMethodAndCode) {
  RequestDurations durations;
  httplib::Request req;
  req.method = "BREW";
  req.path = "/x";
  httplib::Response res;
  res.status = 404;
  RequestDurations::BeginRequest();
  durations.Observe(req, res, false);
  durations.Observe(req, res, false);  // no start marked for this one: not timed
  PrometheusText text;
  durations.AppendTo(text);
  EXPECT_NE(text.text().find("storepulse_http_request_duration_seconds_count{route=\"unmatched\","
                             "method=\"other\",code=\"404\"} 1\n"),
            std::string::npos)
      << text.text();
  EXPECT_NE(text.text().find("# TYPE storepulse_http_request_duration_seconds histogram\n"),
            std::string::npos);
}

}  // namespace
}  // namespace storepulse::common
