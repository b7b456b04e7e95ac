// The bodies of POST /api/v1/alerts/ack and /api/v1/alerts/silence (docs/OPERATIONS.md,
// "Acknowledge and silence"), read into plain values; and the storepulse_alert gauges of
// /metrics, from the alerts answer itself so that they say what GET /api/v1/alerts says. Pure
// functions; thread-safe.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>

#include "common/status.h"

namespace storepulse::central {

struct AckRequest {
  std::string id;       // "store_offline/S042"
  std::string by;       // who: a name, "ops page"
  std::string comment;  // optional
};

struct SilenceRequest {
  std::string id;
  int64_t until_ms = 0;  // from "until" (RFC 3339) or now + "for_s"
  std::string by;
  std::string comment;
};

// InvalidArgument saying what is wrong: not JSON, "id" or "by" missing or not a string, a
// comment that is not a string, text too long.
common::StatusOr<AckRequest> ParseAckRequest(const std::string& body);
// Also: neither or both of "until" and "for_s", "until" not RFC 3339 or not after now, "for_s"
// not a whole number of seconds between 1 and a year.
common::StatusOr<SilenceRequest> ParseSilenceRequest(const std::string& body, int64_t now_ms);

// One line per kind, store and severity of the raised alerts, value the number of them (1 but
// for source_silent, one per silent till or counter):
//   storepulse_alert{kind="store_offline",store="S042",severity="critical"} 1
// with its HELP and TYPE lines even when nothing is raised; and, with webhooks, the delivery
// gauges (storepulse_central_alert_deliveries_pending, _deliveries_total, _delivery_failures_total).
std::string AlertGauges(const nlohmann::json& alerts_answer);

}  // namespace storepulse::central
