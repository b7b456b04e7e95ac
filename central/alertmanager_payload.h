// The webhook body central posts for each alert change (--alert-webhook, docs/OPERATIONS.md
// "Alert delivery"): Alertmanager's webhook format, version "4", so that whatever reads
// Alertmanager's webhooks (or Alertmanager's own receivers behind a relay) reads central's.
//
//   {"version": "4", "groupKey": "{}:{alertname=\"store_offline\", store=\"S042\"}",
//    "truncatedAlerts": 0, "status": "firing" | "resolved", "receiver": "storepulse",
//    "groupLabels": {"alertname", "store"}, "commonLabels": <the alert's labels>,
//    "commonAnnotations": <its annotations>, "externalURL": <central's ops page>,
//    "alerts": [{"status", "labels": {"alertname", "store", "region", "severity"[, "source"]},
//                "annotations": {"summary", "description", "id", "value", "threshold", "unit"},
//                "startsAt", "endsAt", "generatorURL", "fingerprint"}]}
//
// One alert per body. endsAt is "0001-01-01T00:00:00Z" while firing (Alertmanager's zero time),
// the time central saw it clear once resolved. A severity change is two bodies: the old severity
// resolved, the new one firing — each severity is an alert of its own to a receiver, as with two
// Prometheus rules. The fingerprint is Prometheus's: FNV-1a 64 of the sorted labels. Pure
// functions; thread-safe.
#pragma once

#include <map>
#include <nlohmann/json.hpp>
#include <string>

#include "central/alert_state.h"

namespace storepulse::central {

// "%016x" of FNV-1a 64 over each label, sorted by name: name, 0xff, value, 0xff.
std::string AlertFingerprint(const std::map<std::string, std::string>& labels);

// `external_url`: central's ops page ("http://central.example:8600/").
nlohmann::json AlertmanagerPayload(const AlertChange& change, const std::string& external_url);

}  // namespace storepulse::central
