#include "central/alert_state.h"

#include <cmath>

#include "common/time_util.h"

namespace storepulse::central {
namespace {

using nlohmann::json;

json Number(double value) {
  if (std::fabs(value) < 9e15 && value == std::trunc(value)) return static_cast<int64_t>(value);
  return value;
}

int64_t TimeOf(const json& object, const char* name) {
  if (!object.contains(name) || !object[name].is_string()) return 0;
  auto ms = common::ParseRfc3339(object[name].get<std::string>());
  return ms.ok() ? *ms : 0;
}

double DoubleOf(const json& object, const char* name) {
  return object.contains(name) && object[name].is_number() ? object[name].get<double>() : 0;
}

}  // namespace

json AlertJson(const RaisedAlert& alert, const AlertSilence* silence) {
  const Finding& f = alert.finding;
  json object = {{"id", f.id},
                 {"kind", f.kind},
                 {"store", f.store},
                 {"region", f.region},
                 {"severity", f.severity},
                 {"since", common::FormatRfc3339Utc(alert.since_ms)},
                 {"value", Number(f.value)},
                 {"threshold", Number(f.threshold)},
                 {"unit", f.unit},
                 {"message", f.message},
                 {"acknowledged", nullptr},
                 {"silenced_until", nullptr}};
  if (alert.acknowledged) {
    object["acknowledged"] = {{"by", alert.acknowledged->by},
                              {"at", common::FormatRfc3339Utc(alert.acknowledged->at_ms)},
                              {"comment", alert.acknowledged->comment}};
  }
  if (silence != nullptr) object["silenced_until"] = common::FormatRfc3339Utc(silence->until_ms);
  if (!f.source_kind.empty()) object["source"] = {{"kind", f.source_kind}, {"id", f.source_id}};
  return object;
}

json StoredAlertJson(const RaisedAlert& alert) {
  json object = AlertJson(alert, nullptr);
  object.erase("silenced_until");  // silences are kept on their own
  object["notified_severity"] = alert.notified_severity;
  return object;
}

common::StatusOr<RaisedAlert> AlertFromJson(const json& o) {
  if (!o.is_object() || !o.contains("id") || !o["id"].is_string() || !o.contains("kind") ||
      !o["kind"].is_string() || TimeOf(o, "since") == 0) {
    return common::Internal("not an alert: " + o.dump().substr(0, 200));
  }
  RaisedAlert alert;
  Finding& f = alert.finding;
  f.id = o["id"].get<std::string>();
  f.kind = o["kind"].get<std::string>();
  f.store = o.value("store", "");
  f.region = o.value("region", "");
  f.severity = o.value("severity", "warning");
  f.value = DoubleOf(o, "value");
  f.threshold = DoubleOf(o, "threshold");
  f.unit = o.value("unit", "");
  f.message = o.value("message", "");
  if (o.contains("source") && o["source"].is_object()) {
    f.source_kind = o["source"].value("kind", "");
    f.source_id = o["source"].value("id", "");
  }
  alert.since_ms = TimeOf(o, "since");
  if (o.contains("acknowledged") && o["acknowledged"].is_object()) {
    const json& ack = o["acknowledged"];
    alert.acknowledged = Acknowledgement{ack.value("by", ""), TimeOf(ack, "at"),
                                         ack.value("comment", "")};
  }
  alert.notified_severity = o.value("notified_severity", "");
  return alert;
}

json SilenceJson(const AlertSilence& s) {
  return {{"until", common::FormatRfc3339Utc(s.until_ms)},
          {"by", s.by},
          {"at", common::FormatRfc3339Utc(s.at_ms)},
          {"comment", s.comment}};
}

AlertSilence SilenceFromJson(const json& o) {
  if (!o.is_object()) return {};
  return AlertSilence{TimeOf(o, "until"), o.value("by", ""), TimeOf(o, "at"), o.value("comment", "")};
}

}  // namespace storepulse::central
