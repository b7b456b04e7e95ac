#include "edge/source_health.h"

#include "common/time_util.h"

namespace storepulse::edge {

std::vector<SourceHealth> SilenceRule::Judge(const std::vector<SourceRecord>& sources,
                                             int64_t now_ms) const {
  std::vector<SourceHealth> judged;
  judged.reserve(sources.size());
  for (const SourceRecord& record : sources) {
    SourceHealth health{record, false, 0};
    if (hours_.OpenMsBetween(record.last_seen_ms, now_ms, zone_) > threshold_ms_) {
      health.silent = true;
      health.silent_since_ms =
          hours_.InstantAfterOpen(record.last_seen_ms, threshold_ms_, now_ms, zone_)
              .value_or(now_ms);
    }
    judged.push_back(std::move(health));
  }
  return judged;
}

bool SilenceRule::OpenAt(int64_t now_ms) const {
  return hours_.OpenMsBetween(now_ms, now_ms + 1, zone_) > 0;
}

std::vector<common::wire::SilentSource> SilentForHeartbeat(const std::vector<SourceHealth>& all) {
  std::vector<common::wire::SilentSource> silent;
  for (const SourceHealth& h : all) {
    if (!h.silent) continue;
    silent.push_back({std::string(common::SourceKindName(h.record.source.kind)),
                      h.record.source.id, h.record.last_seen_ms, h.silent_since_ms});
  }
  return silent;
}

nlohmann::json SourcesJson(const std::vector<SourceHealth>& all) {
  nlohmann::json list = nlohmann::json::array();
  for (const SourceHealth& h : all) {
    const SourceRecord& r = h.record;
    list.push_back(
        {{"kind", common::SourceKindName(r.source.kind)},
         {"id", r.source.id},
         {"label", common::SourceLabel(r.source)},
         {"first_seen", common::FormatRfc3339Utc(r.first_seen_ms)},
         {"last_seen", common::FormatRfc3339Utc(r.last_seen_ms)},
         {"last_event", common::FormatRfc3339Utc(r.last_event_ms)},
         {"silent", h.silent},
         {"silent_since", h.silent ? nlohmann::json(common::FormatRfc3339Utc(h.silent_since_ms))
                                   : nlohmann::json(nullptr)}});
  }
  return list;
}

}  // namespace storepulse::edge
