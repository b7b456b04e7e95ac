// The silence rule of source health (docs/CONNECTORS.md, "Source health"): a known till or
// counter (edge/source_registry.h) is **silent** when the time the store was open
// (edge/opening_hours.h) since its last arrival exceeds the threshold (--source-silent-minutes).
// So a counter quiet all night is not silent at 09:01, and is at 09:31 with 30 minutes. It stops
// being silent with its next arrival. Silent sources go to central in the heartbeat, where they
// raise `source_silent`. Pure; thread-safe.
#pragma once

#include <cstdint>
#include <vector>

#include <nlohmann/json.hpp>

#include "common/protocol/messages.h"
#include "common/time_zone.h"
#include "edge/opening_hours.h"
#include "edge/source_registry.h"

namespace storepulse::edge {

struct SourceHealth {
  SourceRecord record;
  bool silent = false;
  int64_t silent_since_ms = 0;  // when the open time since its last arrival passed the threshold
};

class SilenceRule {
 public:
  // `zone` must outlive the rule.
  SilenceRule(OpeningHours hours, int64_t threshold_ms, const common::TimeZone& zone)
      : hours_(std::move(hours)), threshold_ms_(threshold_ms), zone_(zone) {}

  std::vector<SourceHealth> Judge(const std::vector<SourceRecord>& sources, int64_t now_ms) const;
  bool OpenAt(int64_t now_ms) const;
  int64_t threshold_ms() const { return threshold_ms_; }

 private:
  OpeningHours hours_;
  int64_t threshold_ms_;
  const common::TimeZone& zone_;
};

// The silent ones, as the heartbeat carries them (docs/PROTOCOL.md).
std::vector<common::wire::SilentSource> SilentForHeartbeat(const std::vector<SourceHealth>& all);

// GET /api/v1/status "sources": [{"kind", "id", "label", "first_seen", "last_seen", "last_event",
// "silent", "silent_since"|null}] (instants in RFC 3339 UTC).
nlohmann::json SourcesJson(const std::vector<SourceHealth>& all);

}  // namespace storepulse::edge
