#include "central/alert_requests.h"

#include <map>
#include <tuple>

#include "common/http/http_json.h"
#include "common/time_util.h"

namespace storepulse::central {
namespace {

using nlohmann::json;

constexpr size_t kMaxId = 300;
constexpr size_t kMaxBy = 200;
constexpr size_t kMaxComment = 2000;
constexpr int64_t kMaxSilenceS = 366 * 86'400;

common::StatusOr<json> ParseObject(const std::string& body) {
  json object = json::parse(body, nullptr, false);
  if (object.is_discarded() || !object.is_object()) {
    return common::InvalidArgument("the body must be a JSON object");
  }
  return object;
}

common::StatusOr<std::string> Text(const json& object, const char* name, size_t max,
                                   bool required) {
  if (!object.contains(name) || object[name].is_null()) {
    if (required) return common::InvalidArgument(std::string("\"") + name + "\" is missing");
    return std::string();
  }
  if (!object[name].is_string()) {
    return common::InvalidArgument(std::string("\"") + name + "\" must be a string");
  }
  std::string text = object[name].get<std::string>();
  if (required && text.empty()) {
    return common::InvalidArgument(std::string("\"") + name + "\" is empty");
  }
  if (text.size() > max) {
    return common::InvalidArgument(std::string("\"") + name + "\" is longer than " +
                                   std::to_string(max) + " bytes");
  }
  return text;
}

// Prometheus label values: backslash, double quote and newline escaped.
std::string LabelValue(const std::string& text) {
  std::string out;
  for (char c : text) {
    if (c == '\\') {
      out += "\\\\";
    } else if (c == '"') {
      out += "\\\"";
    } else if (c == '\n') {
      out += "\\n";
    } else {
      out += c;
    }
  }
  return out;
}

}  // namespace

common::StatusOr<AckRequest> ParseAckRequest(const std::string& body) {
  ASSIGN_OR_RETURN(json object, ParseObject(body));
  AckRequest request;
  ASSIGN_OR_RETURN(request.id, Text(object, "id", kMaxId, true));
  ASSIGN_OR_RETURN(request.by, Text(object, "by", kMaxBy, true));
  ASSIGN_OR_RETURN(request.comment, Text(object, "comment", kMaxComment, false));
  return request;
}

common::StatusOr<SilenceRequest> ParseSilenceRequest(const std::string& body, int64_t now_ms) {
  ASSIGN_OR_RETURN(json object, ParseObject(body));
  SilenceRequest request;
  ASSIGN_OR_RETURN(request.id, Text(object, "id", kMaxId, true));
  ASSIGN_OR_RETURN(request.by, Text(object, "by", kMaxBy, true));
  ASSIGN_OR_RETURN(request.comment, Text(object, "comment", kMaxComment, false));
  const bool has_until = object.contains("until") && !object["until"].is_null();
  const bool has_for = object.contains("for_s") && !object["for_s"].is_null();
  if (has_until == has_for) {
    return common::InvalidArgument("give either \"until\" (RFC 3339) or \"for_s\" (seconds)");
  }
  if (has_until) {
    if (!object["until"].is_string()) {
      return common::InvalidArgument("\"until\" must be an RFC 3339 time");
    }
    common::StatusOr<int64_t> until = common::ParseRfc3339(object["until"].get<std::string>());
    if (!until.ok()) return common::InvalidArgument("\"until\": " + until.status().message());
    request.until_ms = *until;
  } else {
    const json& for_s = object["for_s"];
    if (!for_s.is_number_integer() || for_s.get<int64_t>() < 1 ||
        for_s.get<int64_t>() > kMaxSilenceS) {
      return common::InvalidArgument("\"for_s\" must be a whole number of seconds from 1 to " +
                                     std::to_string(kMaxSilenceS));
    }
    request.until_ms = now_ms + for_s.get<int64_t>() * 1000;
  }
  if (request.until_ms <= now_ms) {
    return common::InvalidArgument("\"until\" must be in the future");
  }
  if (request.until_ms > now_ms + kMaxSilenceS * 1000) {
    return common::InvalidArgument("a silence lasts a year at most");
  }
  return request;
}

std::string AlertGauges(const json& answer) {
  std::map<std::tuple<std::string, std::string, std::string>, int64_t> counts;
  for (const json& alert : answer.value("alerts", json::array())) {
    if (!alert.is_object()) continue;
    counts[{alert.value("kind", ""), alert.value("store", ""), alert.value("severity", "")}]++;
  }
  std::string text =
      "# HELP storepulse_alert Alerts raised now, by kind, store and severity (GET "
      "/api/v1/alerts): 1, or the number of silent sources for source_silent.\n"
      "# TYPE storepulse_alert gauge\n";
  for (const auto& [labels, count] : counts) {
    const auto& [kind, store, severity] = labels;
    text += "storepulse_alert{kind=\"" + LabelValue(kind) + "\",store=\"" + LabelValue(store) +
            "\",severity=\"" + LabelValue(severity) + "\"} " + std::to_string(count) + "\n";
  }
  const json delivery = answer.value("delivery", json());
  if (!delivery.is_object()) return text;
  const auto number = [&](const char* name) { return delivery.value(name, int64_t{0}); };
  return text +
         common::PrometheusMetric("storepulse_central_alert_deliveries_pending",
                                  "Webhook deliveries of alerts waiting for their receiver.",
                                  delivery["pending"].is_number() ? number("pending") : 0,
                                  "gauge") +
         common::PrometheusMetric("storepulse_central_alert_deliveries_total",
                                  "Webhook deliveries of alerts taken by their receiver (2xx).",
                                  number("delivered"), "counter") +
         common::PrometheusMetric("storepulse_central_alert_delivery_failures_total",
                                  "Webhook delivery attempts that failed (retried with back-off).",
                                  number("failed_attempts"), "counter");
}

}  // namespace storepulse::central
