// One raised alert as central keeps it (central/alert_monitor.h): the rule's finding, since when
// it is raised, who acknowledged it, and what the webhook receivers were told; and a silence.
// The JSON here is both the API's alert object (GET /api/v1/alerts, docs/OPERATIONS.md "Alerts")
// and what alerts.db keeps of it (central/alert_store.h), so a restart reads back what it wrote.
// Plain values and pure functions; thread-safe.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "central/alert_rules.h"
#include "common/status.h"

namespace storepulse::central {

struct Acknowledgement {
  std::string by;
  int64_t at_ms = 0;
  std::string comment;
};

// An alert silenced until a time: it is listed (shown as silenced) but not delivered. It outlives
// the alert: a flapping store stays silent until `until_ms`.
struct AlertSilence {
  int64_t until_ms = 0;
  std::string by;
  int64_t at_ms = 0;
  std::string comment;
};

struct RaisedAlert {
  Finding finding;
  int64_t since_ms = 0;  // first raised, whatever its severity since
  std::optional<Acknowledgement> acknowledged;  // forgotten when the alert clears
  // The severity the receivers were last told is firing; empty: they were told nothing (not yet,
  // or the alert was silenced when raised). A clear is delivered only when this is set.
  std::string notified_severity;
};

// What receivers are told (central/alertmanager_payload.h): an alert started firing at a
// severity, or stopped (a clear, or a severity it no longer has).
struct AlertChange {
  bool firing = true;
  Finding finding;       // with the severity that fires or stops
  int64_t since_ms = 0;  // the alert's since
  int64_t at_ms = 0;     // when central saw the change
};

// The API's object: id, kind, store, region, severity, since, value, threshold, unit, message,
// acknowledged ({by, at, comment} or null), silenced_until (RFC 3339 or null), source (silent
// sources only). `silence`: the alert's silence in force now, if any.
nlohmann::json AlertJson(const RaisedAlert& alert, const AlertSilence* silence);

// What alerts.db keeps: AlertJson plus "notified_severity".
nlohmann::json StoredAlertJson(const RaisedAlert& alert);
// Back from StoredAlertJson (or from the API's object: then nothing was notified). Internal when
// the object lacks an id, a kind or a since.
common::StatusOr<RaisedAlert> AlertFromJson(const nlohmann::json& object);

nlohmann::json SilenceJson(const AlertSilence& silence);
AlertSilence SilenceFromJson(const nlohmann::json& object);

}  // namespace storepulse::central
