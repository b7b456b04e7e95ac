#include "central/alert_rules.h"

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <optional>

namespace storepulse::central {
namespace {

constexpr double kRollbackAlertS = 86'400;  // how long a stream rollback stays raised

using nlohmann::json;

std::string Percent(double fraction) {
  char text[32];
  std::snprintf(text, sizeof text, "%.1f%%", fraction * 100);
  return text;
}

std::string Bytes(double bytes) {
  char text[32];
  if (bytes >= double(1 << 30)) {
    std::snprintf(text, sizeof text, "%.1f GiB", bytes / double(1 << 30));
  } else {
    std::snprintf(text, sizeof text, "%.0f MiB", bytes / double(1 << 20));
  }
  return text;
}

Finding Make(std::string kind, const std::string& store, std::string severity, double value,
             double threshold, std::string unit, std::string message) {
  return Finding{kind + "/" + store, std::move(kind), store, {}, std::move(severity), value,
                 threshold, std::move(unit), std::move(message), {}, {}};
}

// The number `name` of `row`, when there is one.
std::optional<double> NumberOf(const json& row, const char* name) {
  if (!row.contains(name) || !row[name].is_number()) return std::nullopt;
  return row[name].get<double>();
}

int64_t IntOf(const json& row, const char* name) {
  return row.contains(name) && row[name].is_number() ? row[name].get<int64_t>() : 0;
}

void StoreKpiFindings(const json& row, const AlertThresholds& t, std::vector<Finding>* out) {
  const std::string store = row.value("key", "");
  if (auto share = NumberOf(row, "cc_warehouse_share"); share && *share > t.cc_warehouse_share) {
    out->push_back(Make(
        "cc_warehouse_share", store, "warning", *share, t.cc_warehouse_share, "fraction",
        "Store " + store + ": " + Percent(*share) + " of today's " +
            std::to_string(IntOf(row, "cc_orders")) +
            " click & collect orders are sourced from the warehouse (alert above " +
            Percent(t.cc_warehouse_share) +
            "): click & collect is not served from store stock. Check the store's stock "
            "records and the order routing."));
  }
  if (auto rate = NumberOf(row, "sfs_stock_cancel_rate"); rate && *rate > t.sfs_stock_cancel_rate) {
    out->push_back(Make(
        "sfs_stock_cancel_rate", store, "warning", *rate, t.sfs_stock_cancel_rate, "fraction",
        "Store " + store + ": " + Percent(*rate) + " of today's " +
            std::to_string(IntOf(row, "sfs_orders")) +
            " ship-from-store orders were cancelled for a stock error (alert above " +
            Percent(t.sfs_stock_cancel_rate) +
            "): the store's stock records are wrong. Count the SKUs concerned."));
  }
  if (auto available = NumberOf(row, "availability"); available && *available < t.availability) {
    out->push_back(Make(
        "availability", store, "warning", *available, t.availability, "fraction",
        "Store " + store + ": " + Percent(*available) +
            " of its ranged SKUs are in stock (alert below " + Percent(t.availability) +
            "): shelves are running empty. Check replenishment and pending receipts."));
  }
}

// Warning once the fleet view shows the store offline, critical once silent longer than
// offline_s; a store never heard from counts as silent since central started.
void OfflineFinding(const json& s, const AlertThresholds& t, int64_t uptime_s,
                    std::vector<Finding>* out) {
  const std::string store = s.value("store", "");
  const bool seen = s.contains("silent_s") && s["silent_s"].is_number();
  const int64_t silent = seen ? s["silent_s"].get<int64_t>() : uptime_s;
  const bool critical = silent > t.offline_s;
  const bool offline = seen ? !s.value("online", false) : silent > t.offline_warning_s;
  if (!critical && !offline) return;
  const int64_t threshold = critical ? t.offline_s : t.offline_warning_s;
  const std::string what = seen ? "has not been heard from for " + DescribeDuration(silent)
                                : "has not connected since central started " +
                                      DescribeDuration(uptime_s) + " ago";
  out->push_back(Make("store_offline", store, critical ? "critical" : "warning", double(silent),
                      double(threshold), "seconds",
                      "Store " + store + " " + what + " (" + (critical ? "critical" : "warning") +
                          " above " + DescribeDuration(threshold) +
                          "): its edge is down or cut off from central. Check the store server "
                          "and its network (systemctl status storepulse-edge); the edge buffers "
                          "its events meanwhile."));
}

// "10:15" for a time of the store's today, "2026-12-03 18:02" for an earlier day, from the fleet
// view's local time ("2026-12-04T10:15:03+01:00").
std::string LocalSince(const json& source) {
  const std::string local = source.value("last_seen_local", "");
  if (local.size() < 16) return local;
  const std::string hour_minute = local.substr(11, 5);
  return source.value("last_seen_today", false) ? hour_minute
                                                : local.substr(0, 10) + " " + hour_minute;
}

// One alert per till or counter the edge finds silent: "door counter 2 has sent nothing since
// 10:15", in the store's local time.
void SourceSilentFindings(const json& s, std::vector<Finding>* out) {
  if (!s.contains("silent_sources") || !s["silent_sources"].is_array()) return;
  const std::string store = s.value("store", "");
  for (const json& source : s["silent_sources"]) {
    if (!source.is_object()) continue;
    const std::string kind = source.value("kind", ""), id = source.value("id", "");
    const std::string label = source.value("label", kind + " " + id);
    const bool till = kind == "till";
    Finding f = Make("source_silent", store, "warning",
                     NumberOf(source, "sent_nothing_for_s").value_or(0),
                     NumberOf(source, "silent_after_s").value_or(0), "seconds",
                     "Store " + store + ": " + label + " has sent nothing since " +
                         LocalSince(source) +
                         " (store time), for longer than the edge's --source-silent-minutes "
                         "while the store is open: " +
                         (till ? "its sales are missing from the store's figures"
                               : "its visitors are missing from footfall, so conversion is "
                                 "overstated") +
                         ", and today will show incomplete. Check its power, its network and "
                         "where it sends (docs/CONNECTORS.md, \"Source health\"); the alert "
                         "clears when it sends again.");
    f.id += "/" + kind + ":" + id;
    f.source_kind = kind;
    f.source_id = id;
    out->push_back(std::move(f));
  }
}

void HeartbeatFindings(const json& s, const AlertThresholds& t, std::vector<Finding>* out) {
  const std::string store = s.value("store", "");
  if (auto lag = NumberOf(s, "lag_s"); lag && *lag > double(t.lag_s)) {
    const bool critical = t.lag_critical_s > 0 && *lag > double(t.lag_critical_s);
    const int64_t threshold = critical ? t.lag_critical_s : t.lag_s;
    out->push_back(Make("replication_lag", store, critical ? "critical" : "warning", *lag,
                        double(threshold), "seconds",
                        "Store " + store + ": its oldest event not yet at central is " +
                            DescribeDuration(int64_t(*lag)) + " old (" +
                            (critical ? "critical" : "warning") + " above " +
                            DescribeDuration(threshold) +
                            "): replication is falling behind. Check the store's uplink and "
                            "central's load; nothing is lost."));
  }
  if (auto skew = NumberOf(s, "clock_skew_s"); skew && std::fabs(*skew) > double(t.clock_skew_s)) {
    out->push_back(Make("clock_skew", store, "warning", *skew, double(t.clock_skew_s), "seconds",
                        "Store " + store + ": its clock is " +
                            DescribeDuration(int64_t(std::fabs(*skew))) +
                            (*skew > 0 ? " ahead of" : " behind") + " central's (alert above " +
                            DescribeDuration(t.clock_skew_s) +
                            "): event times and local days may be wrong. Fix time sync on the "
                            "store server (timedatectl status)."));
  }
  const double free_bytes = NumberOf(s, "disk_free_bytes").value_or(0);
  if (s.contains("disk_accepting") && s["disk_accepting"] == false) {
    out->push_back(Make("disk_not_accepting", store, "critical", free_bytes, 0, "bytes",
                        "Store " + store + ": its edge refuses new events, its disk is nearly "
                        "full (" + Bytes(free_bytes) + " free). Free space on the store "
                        "server's data disk now: the tills cannot record."));
  } else if (t.disk_free_bytes > 0 && s.contains("disk_free_bytes") &&
             free_bytes < double(t.disk_free_bytes)) {
    out->push_back(Make("disk_low", store, "warning", free_bytes, double(t.disk_free_bytes),
                        "bytes",
                        "Store " + store + ": its edge has " + Bytes(free_bytes) +
                            " of disk free (alert below " + Bytes(double(t.disk_free_bytes)) +
                            "); it refuses events under its own floor. Free space on the data "
                            "disk."));
  }
  SourceSilentFindings(s, out);
}

// Raised for a day after a store's stream went backwards: its edge lost commits central had
// acknowledged. Central lost nothing, but the store's own figures miss those events.
void RollbackFinding(const json& s, std::vector<Finding>* out) {
  if (!s.contains("last_rollback") || !s["last_rollback"].is_object()) return;
  const json& rollback = s["last_rollback"];
  const double age = NumberOf(rollback, "age_s").value_or(kRollbackAlertS);
  if (age >= kRollbackAlertS) return;
  const std::string store = s.value("store", "");
  out->push_back(Make("stream_rollback", store, "warning", age, kRollbackAlertS, "seconds",
                      "Store " + store + ": its edge lost commits central had acknowledged (" +
                          rollback.value("detail", "") + ", " + DescribeDuration(int64_t(age)) +
                          " ago) and resent its events as a new stream: nothing is lost at "
                          "central, but the store's own figures miss the lost events. Check the "
                          "store server's disk and power, and whether edge.db was restored."));
}

// Raised while a closed day of the store still differs at central after its edge sent the day's
// events again (central/day_signoff.h): central's figures of that day are not the store's.
void DayDiffersFinding(const json& s, std::vector<Finding>* out) {
  if (!s.contains("day_signoff") || !s["day_signoff"].is_object()) return;
  const json& differs = s["day_signoff"].value("differs", json::array());
  if (!differs.is_array() || differs.empty()) return;
  const std::string store = s.value("store", "");
  std::string days;
  for (const json& d : differs) {
    if (!d.is_object()) continue;
    days += (days.empty() ? "" : "; ") + d.value("day", "") + " (" + d.value("detail", "") + ")";
  }
  out->push_back(Make("day_differs", store, "warning", double(differs.size()), 0, "days",
                      "Store " + store + ": central's figures of " +
                          std::to_string(differs.size()) +
                          " closed day(s) still differ from its edge's after the edge sent "
                          "them again: " +
                          days + ". Compare `storepulse days --store " + store +
                          "` with the edge's figures; see OPERATIONS.md, \"Day sign-off\"."));
}

// Raised while central itself cannot store what the edges send (its disk full above all): an
// alert of the whole network, so its id is the kind alone.
void CentralStorageFinding(const json& fleet, std::vector<Finding>* out) {
  if (!fleet.contains("central") || !fleet["central"].contains("storage")) return;
  const json& storage = fleet["central"]["storage"];
  if (storage.value("storing", true)) return;
  Finding f = Make("central_not_storing", "", "critical", NumberOf(storage, "for_s").value_or(0), 0,
                   "seconds",
                   std::string("Central is not storing what the edges send") +
                       (storage.value("disk_full", false) ? ", its disk is full" : "") + ": " +
                       storage.value("reason", std::string()) +
                       ". Nothing is lost: the edges keep their events and central takes them "
                       "as soon as a write succeeds; the network figures lag meanwhile. Free "
                       "space on central's data disk (docs/OPERATIONS.md, \"Central's disk "
                       "fills\").");
  f.id = f.kind;
  out->push_back(std::move(f));
}

}  // namespace

bool IsKpiAlertKind(std::string_view kind) {
  return kind == "cc_warehouse_share" || kind == "sfs_stock_cancel_rate" ||
         kind == "availability";
}

std::vector<Finding> KpiFindings(const json& today, const AlertThresholds& thresholds) {
  std::vector<Finding> findings;
  if (!today.contains("rows") || !today["rows"].is_array()) return findings;
  for (const json& row : today["rows"]) StoreKpiFindings(row, thresholds, &findings);
  return findings;
}

std::vector<Finding> FleetFindings(const json& fleet, const AlertThresholds& thresholds,
                                   int64_t uptime_s) {
  std::vector<Finding> findings;
  CentralStorageFinding(fleet, &findings);
  if (!fleet.contains("stores") || !fleet["stores"].is_array()) return findings;
  for (const json& s : fleet["stores"]) {
    RollbackFinding(s, &findings);
    DayDiffersFinding(s, &findings);
    OfflineFinding(s, thresholds, uptime_s, &findings);
    if (s.value("online", false)) HeartbeatFindings(s, thresholds, &findings);
  }
  return findings;
}

std::string DescribeDuration(int64_t seconds) {
  const char* sign = seconds < 0 ? "-" : "";
  const int64_t s = std::llabs(seconds);
  const auto two = [&](int64_t a, const char* ua, int64_t b, const char* ub) {
    return sign + std::to_string(a) + ua + (b ? " " + std::to_string(b) + ub : "");
  };
  if (s < 60) return sign + std::to_string(s) + "s";
  if (s < 3600) return two(s / 60, "m", s % 60, "s");
  if (s < 86400) return two(s / 3600, "h", s % 3600 / 60, "m");
  return two(s / 86400, "d", s % 86400 / 3600, "h");
}

}  // namespace storepulse::central
