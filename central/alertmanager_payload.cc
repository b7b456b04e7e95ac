#include "central/alertmanager_payload.h"

#include <cinttypes>
#include <cstdio>

#include "common/time_util.h"

namespace storepulse::central {
namespace {

using nlohmann::json;

constexpr const char* kZeroTime = "0001-01-01T00:00:00Z";

std::string Figure(double value) {
  char text[40];
  std::snprintf(text, sizeof text, "%.15g", value);
  return text;
}

// The message's first sentence: "Store S042 has not been heard from for 16m 40s (…)".
std::string Summary(const std::string& message) {
  const size_t end = message.find(": ");
  return end == std::string::npos ? message : message.substr(0, end);
}

}  // namespace

std::string AlertFingerprint(const std::map<std::string, std::string>& labels) {
  uint64_t hash = 14695981039346656037ULL;
  const auto add = [&hash](unsigned char byte) {
    hash ^= byte;
    hash *= 1099511628211ULL;
  };
  for (const auto& [name, value] : labels) {  // std::map: sorted by name
    for (char c : name) add(static_cast<unsigned char>(c));
    add(0xff);
    for (char c : value) add(static_cast<unsigned char>(c));
    add(0xff);
  }
  char text[17];
  std::snprintf(text, sizeof text, "%016" PRIx64, hash);
  return text;
}

json AlertmanagerPayload(const AlertChange& change, const std::string& external_url) {
  const Finding& f = change.finding;
  std::map<std::string, std::string> labels = {
      {"alertname", f.kind}, {"store", f.store}, {"region", f.region}, {"severity", f.severity}};
  if (!f.source_kind.empty()) labels["source"] = f.source_kind + ":" + f.source_id;
  const json annotations = {{"summary", Summary(f.message)}, {"description", f.message},
                            {"id", f.id},                    {"value", Figure(f.value)},
                            {"threshold", Figure(f.threshold)}, {"unit", f.unit}};
  const char* status = change.firing ? "firing" : "resolved";
  const json alert = {
      {"status", status},
      {"labels", labels},
      {"annotations", annotations},
      {"startsAt", common::FormatRfc3339Utc(change.since_ms)},
      {"endsAt", change.firing ? std::string(kZeroTime) : common::FormatRfc3339Utc(change.at_ms)},
      {"generatorURL", external_url + (f.store.empty() ? "" : "#store-" + f.store)},
      {"fingerprint", AlertFingerprint(labels)}};
  return {{"version", "4"},
          {"groupKey", "{}:{alertname=\"" + f.kind + "\", store=\"" + f.store + "\"}"},
          {"truncatedAlerts", 0},
          {"status", status},
          {"receiver", "storepulse"},
          {"groupLabels", {{"alertname", f.kind}, {"store", f.store}}},
          {"commonLabels", labels},
          {"commonAnnotations", annotations},
          {"externalURL", external_url},
          {"alerts", json::array({alert})}};
}

}  // namespace storepulse::central
