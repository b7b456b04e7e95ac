#include "central/fleet_trend.h"

#include <httplib.h>

#include <charconv>

#include "common/http/http_json.h"
#include "common/http/query_params.h"
#include "common/time_util.h"
#include "common/utf8.h"

namespace storepulse::central {

namespace {

constexpr common::QueryParamSpec kStoreParam{"store", 256};
constexpr common::QueryParamSpec kHoursParam{"hours", 4};

common::StatusOr<int> ParseHours(const common::QueryParams& params) {
  if (!params.Has("hours")) return 24;
  const std::string text = params.Get("hours");
  int hours = 0;
  auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), hours);
  if (error != std::errc() || end != text.data() + text.size() || hours < 1 || hours > 24) {
    return common::InvalidArgument("hours: must be a whole number from 1 to 24");
  }
  return hours;
}

nlohmann::json Optional(const std::optional<int64_t>& value) {
  return value ? nlohmann::json(*value) : nlohmann::json(nullptr);
}

// What every answer starts with: the period, whole UTC minutes, the last one under way.
nlohmann::json Period(int64_t first_minute, int minutes, int64_t now_ms) {
  return {{"clock", common::FormatRfc3339Utc(now_ms)},
          {"minute_s", 60},
          {"minutes", minutes},
          {"from", common::FormatRfc3339Utc(first_minute * MinuteHistory::kMinuteMs)},
          {"to", common::FormatRfc3339Utc((first_minute + minutes) * MinuteHistory::kMinuteMs)}};
}

nlohmann::json StoreTrendJson(const std::string& store, const std::vector<MinuteHistory::Point>& points,
                              int64_t now_ms) {
  nlohmann::json answer = Period(points.front().minute, static_cast<int>(points.size()), now_ms);
  nlohmann::json events = nlohmann::json::array(), lag = nlohmann::json::array();
  for (const MinuteHistory::Point& p : points) {
    events.push_back(p.events);
    lag.push_back(Optional(p.lag_s));
  }
  answer["store"] = store;
  answer["events_per_min"] = std::move(events);
  answer["lag_s"] = std::move(lag);
  return answer;
}

nlohmann::json NetworkTrendJson(const std::vector<NetworkMinute>& minutes, int count,
                                int64_t now_ms) {
  const int64_t first = minutes.empty() ? now_ms / MinuteHistory::kMinuteMs - count + 1
                                        : minutes.front().minute;
  nlohmann::json answer = Period(first, count, now_ms);
  nlohmann::json events = nlohmann::json::array(), lag = nlohmann::json::array(),
                 reporting = nlohmann::json::array();
  for (const NetworkMinute& n : minutes) {
    events.push_back(n.events);
    lag.push_back(Optional(n.worst_lag_s));
    reporting.push_back(n.stores_reporting);
  }
  answer["scope"] = "network";
  answer["events_per_min"] = std::move(events);
  answer["worst_lag_s"] = std::move(lag);
  answer["stores_reporting"] = std::move(reporting);
  return answer;
}

}  // namespace

void AddFleetTrendRoute(httplib::Server& server, const CentralHttpContext& context) {
  server.Get("/api/v1/fleet/trend", [&context](const httplib::Request& req,
                                               httplib::Response& res) {
    auto params = common::QueryParams::Read(req, {kStoreParam, kHoursParam});
    if (!params.ok()) return common::SendError(res, 400, params.status().message());
    auto hours = ParseHours(*params);
    if (!hours.ok()) return common::SendError(res, 400, hours.status().message());
    const int minutes = *hours * 60;
    const int64_t now_ms = context.clock->NowMs();
    auto directory = context.directory();
    if (!params->Has("store")) {
      return common::SendJson(
          res, 200,
          NetworkTrendJson(context.fleet->NetworkTrend(*directory, minutes, now_ms), minutes,
                           now_ms));
    }
    const std::string store = params->Get("store");
    if (directory->FindByStore(store) == nullptr) {
      return common::SendError(res, 404, "store: no store " + common::QuoteForMessage(store) + " in the stores file");
    }
    common::SendJson(res, 200,
                     StoreTrendJson(store, context.fleet->Trend(store, minutes, now_ms), now_ms));
  });
}

}  // namespace storepulse::central
