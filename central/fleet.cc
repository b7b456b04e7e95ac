#include "central/fleet.h"

#include <algorithm>

#include "common/checked_math.h"
#include "common/source_ref.h"
#include "common/time_util.h"

namespace storepulse::central {

Fleet::Edge& Fleet::Touch(const std::string& store) {
  changed_.insert(store);
  return edges_[store];
}

void Fleet::Seen(const std::string& store, int64_t now_ms) {
  std::lock_guard lock(mu_);
  Touch(store).last_seen_ms = now_ms;
}

void Fleet::Hello(const std::string& store, const common::wire::Hello& hello, int64_t now_ms) {
  std::lock_guard lock(mu_);
  Edge& edge = Touch(store);
  edge.last_seen_ms = now_ms;
  if (edge.incarnation != hello.incarnation) edge.acked_seq = 0;  // a new stream starts at 0
  edge.incarnation = hello.incarnation;
  edge.version = hello.version;
  edge.edge_last_seq = hello.last_seq;
}

void Fleet::Heartbeat(const std::string& store, const common::wire::Heartbeat& beat,
                      int64_t now_ms) {
  std::lock_guard lock(mu_);
  Edge& edge = Touch(store);
  edge.last_seen_ms = now_ms;
  edge.has_heartbeat = true;
  edge.beat = beat;
  edge.version = beat.version;
  edge.edge_last_seq = std::max(edge.edge_last_seq, beat.last_seq);
  edge.clock_skew_ms = beat.clock_ms - now_ms;
  trends_[store].AddLag(beat.oldest_unsent_age_ms / 1000, now_ms);
}

void Fleet::CountApplied(Edge& edge, int64_t events, int64_t now_ms) const {
  int64_t slot = now_ms / 10'000;
  int64_t advance = std::min<int64_t>(slot - edge.ring_slot, edge.applied_per_10s.size());
  for (int64_t i = 1; i <= advance; ++i) {
    edge.applied_per_10s[(edge.ring_slot + i) % edge.applied_per_10s.size()] = 0;
  }
  if (advance > 0) edge.ring_slot = slot;
  edge.applied_per_10s[slot % edge.applied_per_10s.size()] += events;
}

void Fleet::Applied(const std::string& store, int64_t acked_seq, int64_t events, int64_t now_ms) {
  std::lock_guard lock(mu_);
  Edge& edge = Touch(store);
  edge.acked_seq = std::max(edge.acked_seq, acked_seq);
  edge.edge_last_seq = std::max(edge.edge_last_seq, acked_seq);
  CountApplied(edge, events, now_ms);
  applied_totals_[store] += events;
  trends_[store].AddEvents(events, now_ms);
}

std::map<std::string, int64_t> Fleet::AppliedTotals() const {
  std::lock_guard lock(mu_);
  return applied_totals_;
}

void Fleet::StreamRolledBack(const std::string& store, const std::string& detail,
                             int64_t now_ms) {
  std::lock_guard lock(mu_);
  Edge& edge = Touch(store);
  edge.rollbacks++;
  edge.last_rollback_ms = now_ms;
  edge.last_rollback = detail;
}

namespace {

nlohmann::json SilentRecords(const std::vector<common::wire::SilentSource>& sources) {
  nlohmann::json list = nlohmann::json::array();
  for (const common::wire::SilentSource& s : sources) {
    list.push_back({{"kind", s.kind},
                    {"id", s.id},
                    {"last_seen_ms", s.last_seen_ms},
                    {"silent_since_ms", s.silent_since_ms}});
  }
  return list;
}

std::vector<common::wire::SilentSource> SilentFromRecords(const nlohmann::json& list) {
  std::vector<common::wire::SilentSource> sources;
  if (!list.is_array()) return sources;
  for (const nlohmann::json& s : list) {
    if (!s.is_object()) continue;
    sources.push_back({s.value("kind", ""), s.value("id", ""), s.value("last_seen_ms", int64_t{0}),
                       s.value("silent_since_ms", int64_t{0})});
  }
  return sources;
}

// "door counter 2", or for a kind this central does not know "scale 4".
std::string LabelOf(const common::wire::SilentSource& s) {
  std::optional<common::SourceKind> kind = common::SourceKindFromName(s.kind);
  return kind ? common::SourceLabel({*kind, s.id}) : s.kind + " " + s.id;
}

// The edge's silent sources as the fleet view shows them, times also in the store's zone.
nlohmann::json SilentJson(const std::vector<common::wire::SilentSource>& sources,
                          const common::TimeZone& zone, int64_t now_ms) {
  nlohmann::json list = nlohmann::json::array();
  for (const common::wire::SilentSource& s : sources) {
    list.push_back({{"kind", s.kind},
                    {"id", s.id},
                    {"label", LabelOf(s)},
                    {"last_seen", common::FormatRfc3339Utc(s.last_seen_ms)},
                    {"last_seen_local", zone.FormatLocal(s.last_seen_ms)},
                    {"last_seen_today", zone.LocalDayOf(s.last_seen_ms) == zone.LocalDayOf(now_ms)},
                    {"silent_since", common::FormatRfc3339Utc(s.silent_since_ms)},
                    {"sent_nothing_for_s", std::max<int64_t>(0, now_ms - s.last_seen_ms) / 1000},
                    {"silent_after_s", (s.silent_since_ms - s.last_seen_ms) / 1000}});
  }
  return list;
}

}  // namespace

nlohmann::json Fleet::RecordOf(const Edge& edge) {
  return {
      {"last_seen_ms", edge.last_seen_ms},
      {"incarnation", edge.incarnation},
      {"version", edge.version},
      {"edge_last_seq", edge.edge_last_seq},
      {"acked_seq", edge.acked_seq},
      {"heartbeat",
       edge.has_heartbeat
           ? nlohmann::json{{"clock_ms", edge.beat.clock_ms},
                            {"last_seq", edge.beat.last_seq},
                            {"acked_seq", edge.beat.acked_seq},
                            {"backlog_events", edge.beat.backlog_events},
                            {"backlog_value", edge.beat.backlog_value},
                            {"oldest_unsent_age_ms", edge.beat.oldest_unsent_age_ms},
                            {"disk_free_bytes", edge.beat.disk_free_bytes},
                            {"disk_accepting", edge.beat.disk_accepting},
                            {"version", edge.beat.version},
                            {"silent_sources", SilentRecords(edge.beat.silent_sources)},
                            {"documents", edge.beat.documents ? nlohmann::json(*edge.beat.documents)
                                                              : nlohmann::json()}}
           : nlohmann::json()},
      {"clock_skew_ms", edge.clock_skew_ms},
      {"rollbacks", edge.rollbacks},
      {"last_rollback_ms", edge.last_rollback_ms},
      {"last_rollback", edge.last_rollback},
      {"applied_per_10s", edge.applied_per_10s},
      {"ring_slot", edge.ring_slot}};
}

Fleet::Edge Fleet::EdgeOf(const nlohmann::json& r) {
  Edge edge;
  edge.last_seen_ms = r.value("last_seen_ms", int64_t{0});
  edge.incarnation = r.value("incarnation", "");
  edge.version = r.value("version", "");
  edge.edge_last_seq = r.value("edge_last_seq", int64_t{0});
  edge.acked_seq = r.value("acked_seq", int64_t{0});
  if (const auto beat = r.find("heartbeat"); beat != r.end() && beat->is_object()) {
    edge.has_heartbeat = true;
    edge.beat.clock_ms = beat->value("clock_ms", int64_t{0});
    edge.beat.last_seq = beat->value("last_seq", int64_t{0});
    edge.beat.acked_seq = beat->value("acked_seq", int64_t{0});
    edge.beat.backlog_events = beat->value("backlog_events", int64_t{0});
    edge.beat.backlog_value = beat->value("backlog_value", int64_t{0});
    edge.beat.oldest_unsent_age_ms = beat->value("oldest_unsent_age_ms", int64_t{0});
    edge.beat.disk_free_bytes = beat->value("disk_free_bytes", int64_t{0});
    edge.beat.disk_accepting = beat->value("disk_accepting", true);
    edge.beat.version = beat->value("version", "");
    if (const auto silent = beat->find("silent_sources"); silent != beat->end()) {
      edge.beat.silent_sources = SilentFromRecords(*silent);
    }
    if (const auto documents = beat->find("documents");
        documents != beat->end() && documents->is_object()) {
      auto& held = edge.beat.documents.emplace();
      for (const auto& [kind, version] : documents->items()) {
        if (version.is_string()) held.emplace(kind, version.get<std::string>());
      }
    }
  }
  edge.clock_skew_ms = r.value("clock_skew_ms", int64_t{0});
  edge.rollbacks = r.value("rollbacks", int64_t{0});
  edge.last_rollback_ms = r.value("last_rollback_ms", int64_t{0});
  edge.last_rollback = r.value("last_rollback", "");
  if (const auto ring = r.find("applied_per_10s");
      ring != r.end() && ring->is_array() && ring->size() == edge.applied_per_10s.size()) {
    for (size_t i = 0; i < edge.applied_per_10s.size(); ++i) {
      edge.applied_per_10s[i] = (*ring)[i].is_number_integer() ? (*ring)[i].get<int64_t>() : 0;
    }
  }
  edge.ring_slot = r.value("ring_slot", int64_t{0});
  return edge;
}

std::map<std::string, nlohmann::json> Fleet::TakeChanged() {
  std::lock_guard lock(mu_);
  std::map<std::string, nlohmann::json> records;
  for (const std::string& store : changed_) records[store] = RecordOf(edges_[store]);
  changed_.clear();
  return records;
}

void Fleet::Merge(const std::string& store, const nlohmann::json& record) {
  if (!record.is_object()) return;
  Edge edge = EdgeOf(record);
  std::lock_guard lock(mu_);
  auto it = edges_.find(store);
  if (it != edges_.end() && it->second.last_seen_ms >= edge.last_seen_ms) return;
  edges_[store] = std::move(edge);
}

std::vector<MinuteHistory::Point> Fleet::Trend(const std::string& store, int minutes,
                                               int64_t now_ms) const {
  std::lock_guard lock(mu_);
  auto it = trends_.find(store);
  return (it == trends_.end() ? MinuteHistory() : it->second).Last(minutes, now_ms);
}

std::vector<NetworkMinute> Fleet::NetworkTrend(const StoreDirectory& directory, int minutes,
                                               int64_t now_ms) const {
  minutes = std::clamp(minutes, 1, MinuteHistory::kMinutes);
  std::vector<NetworkMinute> network(minutes);
  const int64_t first = MinuteHistory::MinuteOf(now_ms) - minutes + 1;
  for (int i = 0; i < minutes; ++i) network[i].minute = first + i;
  std::lock_guard lock(mu_);
  for (const StoreEntry& entry : directory.stores()) {
    auto it = trends_.find(entry.store);
    if (it == trends_.end()) continue;
    it->second.ForEach(minutes, now_ms, [&network](int i, int64_t events, int64_t lag_s) {
      NetworkMinute& n = network[i];
      n.events += events;
      if (lag_s < 0) return;
      n.stores_reporting++;
      n.worst_lag_s = std::max(n.worst_lag_s.value_or(0), lag_s);
    });
  }
  return network;
}

bool Fleet::Online(const std::string& store, int64_t now_ms) const {
  std::lock_guard lock(mu_);
  auto it = edges_.find(store);
  return it != edges_.end() && now_ms - it->second.last_seen_ms <= options_.online_window_ms;
}

void Fleet::SetDaySignoff(const std::string& store, nlohmann::json summary) {
  std::lock_guard lock(mu_);
  day_signoff_[store] = std::move(summary);
}

nlohmann::json Fleet::StoreJson(const StoreEntry& entry, const Edge* edge,
                                const Refusals& refusals, int64_t now_ms) const {
  nlohmann::json row = {{"store", entry.store},   {"name", entry.name},
                        {"region", entry.region}, {"timezone", entry.zone.name()},
                        {"online", false},        {"last_seen", nullptr},
                        {"refusals", refusals.CountForStore(entry.store)}};
  if (auto signoff = day_signoff_.find(entry.store); signoff != day_signoff_.end()) {
    row["day_signoff"] = signoff->second;
  }
  if (edge == nullptr) return row;
  bool online = now_ms - edge->last_seen_ms <= options_.online_window_ms;
  row["online"] = online;
  row["last_seen"] = common::FormatRfc3339Utc(edge->last_seen_ms);
  row["silent_s"] = (now_ms - edge->last_seen_ms) / 1000;
  row["incarnation"] = edge->incarnation;
  row["version"] = edge->version;
  row["acked_seq"] = edge->acked_seq;
  row["edge_seq"] = edge->edge_last_seq;
  int64_t per_minute = 0;
  Edge copy = *edge;
  CountApplied(copy, 0, now_ms);  // age the ring to now without counting anything
  for (int64_t n : copy.applied_per_10s) per_minute += n;
  row["events_per_min"] = per_minute;
  if (edge->rollbacks > 0) {
    row["stream_rollbacks"] = edge->rollbacks;
    row["last_rollback"] = {{"at", common::FormatRfc3339Utc(edge->last_rollback_ms)},
                            {"age_s", (now_ms - edge->last_rollback_ms) / 1000},
                            {"detail", edge->last_rollback}};
  }
  if (edge->has_heartbeat) {
    row["backlog_events"] = edge->beat.backlog_events;
    row["backlog_value"] = edge->beat.backlog_value;
    row["lag_s"] = edge->beat.oldest_unsent_age_ms / 1000;
    row["clock_skew_s"] = edge->clock_skew_ms / 1000;
    row["disk_free_bytes"] = edge->beat.disk_free_bytes;
    row["disk_accepting"] = edge->beat.disk_accepting;
    row["silent_sources"] = SilentJson(edge->beat.silent_sources, entry.zone, now_ms);
    // kind → version of the reference documents it holds; null: an edge that takes none.
    row["documents"] =
        edge->beat.documents ? nlohmann::json(*edge->beat.documents) : nlohmann::json(nullptr);
  }
  return row;
}

nlohmann::json Fleet::ToJson(const StoreDirectory& directory, const Refusals& refusals,
                             int64_t now_ms) const {
  std::lock_guard lock(mu_);
  nlohmann::json stores = nlohmann::json::array();
  int64_t online = 0, rollbacks = 0;
  // Stores per catalogue version held ("none": takes documents, holds no catalogue yet).
  nlohmann::json catalogue_versions = nlohmann::json::object();
  // The edges' own figures: a sum that does not fit in int64 is shown as null, never wrapped.
  std::optional<int64_t> backlog_events = 0, backlog_value = 0;
  auto add = [](std::optional<int64_t>& sum, int64_t value) {
    if (sum) sum = common::CheckedAdd(*sum, value);
  };
  for (const StoreEntry& entry : directory.stores()) {
    auto it = edges_.find(entry.store);
    nlohmann::json row = StoreJson(entry, it == edges_.end() ? nullptr : &it->second, refusals,
                                   now_ms);
    online += row["online"].get<bool>() ? 1 : 0;
    add(backlog_events, row.value("backlog_events", int64_t{0}));
    add(backlog_value, row.value("backlog_value", int64_t{0}));
    rollbacks += row.value("stream_rollbacks", int64_t{0});
    if (const auto documents = row.find("documents");
        documents != row.end() && documents->is_object()) {
      const std::string version = documents->value("catalogue", std::string("none"));
      catalogue_versions[version] = catalogue_versions.value(version, int64_t{0}) + 1;
    }
    stores.push_back(std::move(row));
  }
  int64_t total = static_cast<int64_t>(directory.stores().size());
  return {{"clock", common::FormatRfc3339Utc(now_ms)},
          {"summary",
           {{"stores", total},
            {"online", online},
            {"offline", total - online},
            {"backlog_events", backlog_events ? nlohmann::json(*backlog_events) : nullptr},
            {"backlog_value", backlog_value ? nlohmann::json(*backlog_value) : nullptr},
            {"stream_rollbacks", rollbacks},
            {"catalogue_versions", std::move(catalogue_versions)},
            {"refusals", refusals.Total()}}},
          {"stores", std::move(stores)},
          {"refusals", refusals.ToJson()}};
}

}  // namespace storepulse::central
