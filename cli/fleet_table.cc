#include "cli/fleet_table.h"

#include <algorithm>
#include <optional>
#include <vector>

#include "cli/json_fields.h"
#include "cli/number_format.h"
#include "cli/table.h"
#include "common/time_util.h"

namespace storepulse::cli {
namespace {

using nlohmann::json;

std::string Counted(int64_t n, const std::string& one, const std::string& many) {
  return GroupThousands(n) + " " + (n == 1 ? one : many);
}

std::string OrDash(const std::optional<int64_t>& value, std::string (*format)(int64_t)) {
  return value ? format(*value) : "–";
}

std::string SummaryLine(const json& summary) {
  const int64_t offline = IntField(summary, "offline").value_or(0);
  const int64_t refusals = IntField(summary, "refusals").value_or(0);
  std::string line = Counted(IntField(summary, "stores").value_or(0), "store", "stores") + ": " +
                     GroupThousands(IntField(summary, "online").value_or(0)) + " online";
  if (offline > 0) line += ", " + GroupThousands(offline) + " OFFLINE";
  line += " — backlog " +
          Counted(IntField(summary, "backlog_events").value_or(0), "event", "events") + " (" +
          FormatMoney(IntField(summary, "backlog_value").value_or(int64_t{0})) + ")";
  line += " — " + (refusals == 0 ? "no refusals" : Counted(refusals, "refusal", "refusals"));
  return line + "\n";
}

// "10:15:03" for an RFC 3339 UTC instant on the day of `clock`, "2026-11-21 22:00:00" on
// another day, "–" for none.
std::string TimeText(const std::string& instant, const std::string& clock) {
  if (instant.empty()) return "–";
  if (instant.size() < 19 || instant[10] != 'T') return instant;
  const std::string time = instant.substr(11, 8);
  if (clock.size() >= 10 && clock.compare(0, 10, instant, 0, 10) == 0) return time;
  return instant.substr(0, 10) + " " + time;
}

std::string StateText(const json& row, const std::string& clock) {
  if (BoolField(row, "online", false)) return "online";
  const std::string last_seen = StringField(row, "last_seen");
  if (last_seen.empty()) return "never seen";
  std::string text = "OFFLINE since " + TimeText(last_seen, clock);
  if (auto silent = IntField(row, "silent_s")) text += " (silent " + FormatDuration(*silent) + ")";
  return text;
}

bool Skewed(const json& row) {
  const int64_t skew = IntField(row, "clock_skew_s").value_or(0);
  return skew > kMaxClockSkew.count() || skew < -kMaxClockSkew.count();
}

std::string SkewText(const json& row) {
  const std::optional<int64_t> skew = IntField(row, "clock_skew_s");
  if (!skew) return "–";
  std::string text = (*skew > 0 ? "+" : "") + FormatDuration(*skew);
  return Skewed(row) ? text + " SKEWED" : text;
}

// "1,204 (12,345.67)": events and their value; "0" when nothing waits.
std::string BacklogText(const json& row) {
  const std::optional<int64_t> events = IntField(row, "backlog_events");
  if (!events) return "–";
  if (*events == 0) return "0";
  return GroupThousands(*events) + " (" +
         FormatMoney(IntField(row, "backlog_value").value_or(int64_t{0})) + ")";
}

std::string DiskText(const json& row) {
  const std::optional<int64_t> free = IntField(row, "disk_free_bytes");
  if (!free) return "–";
  return FormatBytes(*free) + (BoolField(row, "disk_accepting", true) ? "" : " FULL");
}

// 0: offline, 1: never seen, 2: online but lagging, disk full or clock skewed, 3: fine.
int Rank(const json& row) {
  if (!BoolField(row, "online", false)) return StringField(row, "last_seen").empty() ? 1 : 0;
  const bool lagging = IntField(row, "lag_s").value_or(0) >= kLagging.count();
  if (lagging || !BoolField(row, "disk_accepting", true) || Skewed(row)) return 2;
  return 3;
}

// Needing attention first; the longest silent or lagging first within a rank; then by store.
bool ComesFirst(const json& a, const json& b) {
  const int rank_a = Rank(a);
  const int rank_b = Rank(b);
  if (rank_a != rank_b) return rank_a < rank_b;
  const char* by = rank_a == 0 ? "silent_s" : "lag_s";
  const int64_t a_value = IntField(a, by).value_or(0);
  const int64_t b_value = IntField(b, by).value_or(0);
  if (a_value != b_value) return a_value > b_value;
  return StringField(a, "store") < StringField(b, "store");
}

// The catalogue version the edge holds, its first 8 hex digits; "–" when it holds none or takes no
// documents (an older edge).
std::string CatalogueText(const json& row) {
  const auto documents = row.find("documents");
  if (documents == row.end() || !documents->is_object()) return "–";
  const std::string version = StringField(*documents, "catalogue");
  return version.empty() ? "–" : version.substr(0, 8);
}

std::vector<std::string> StoreCells(const json& row, const std::string& clock) {
  const std::string version = StringField(row, "version");
  return {StringField(row, "store"),
          StringField(row, "name"),
          StringField(row, "region"),
          StateText(row, clock),
          TimeText(StringField(row, "last_seen"), clock),
          OrDash(IntField(row, "acked_seq"), &GroupThousands),
          BacklogText(row),
          OrDash(IntField(row, "lag_s"), &FormatDuration),
          SkewText(row),
          OrDash(IntField(row, "events_per_min"), &GroupThousands),
          DiskText(row),
          version.empty() ? "–" : version,
          CatalogueText(row)};
}

std::string StoresTable(const json& stores, const std::string& clock) {
  if (stores.empty()) return "No stores: central's stores file lists none.\n";
  std::vector<json> rows(stores.begin(), stores.end());
  std::stable_sort(rows.begin(), rows.end(), ComesFirst);
  Table table;
  for (const char* header : {"Store", "Name", "Region", "State", "Last seen"}) {
    table.AddColumn(header, Align::kLeft);
  }
  for (const char* header :
       {"Acked seq", "Backlog", "Lag", "Clock skew", "Events/min", "Disk free"}) {
    table.AddColumn(header, Align::kRight);
  }
  table.AddColumn("Version", Align::kLeft);
  table.AddColumn("Catalogue", Align::kLeft);
  for (const json& row : rows) table.AddRow(StoreCells(row, clock));
  return table.Render();
}

std::string RefusalLine(const json& refusal, const std::string& clock) {
  std::string key = StringField(refusal, "key");
  if (key.size() > 8) key = key.substr(0, 8) + "…";
  const std::string store = StringField(refusal, "store");
  const std::string address = StringField(refusal, "address");
  std::string line = "  " + StringField(refusal, "reason") + " —";
  if (!store.empty()) line += " store " + store;
  if (!key.empty()) line += store.empty() ? " key " + key : " (key " + key + ")";
  if (!address.empty()) line += " from " + address;
  line += " — " + Counted(IntField(refusal, "count").value_or(0), "time", "times") + ", last " +
          TimeText(StringField(refusal, "last"), clock) + "\n";
  const std::string detail = StringField(refusal, "detail");
  return detail.empty() ? line : line + "    " + detail + "\n";
}

// Stores whose edge lost commits central had acknowledged (central/fleet.h: last_rollback).
std::string RollbacksSection(const json& stores, const std::string& clock) {
  std::string text;
  for (const json& row : stores) {
    if (!row.contains("last_rollback") || !row["last_rollback"].is_object()) continue;
    const json& last = row["last_rollback"];
    text += "  " + StringField(row, "store") + " — " +
            Counted(IntField(row, "stream_rollbacks").value_or(1), "time", "times") + ", last " +
            TimeText(StringField(last, "at"), clock) + "\n    " + StringField(last, "detail") +
            "\n";
  }
  if (text.empty()) return "";
  return "\nStreams that went backwards (the edge lost commits central had acknowledged and resent "
         "its events as a new stream; nothing is lost at central):\n" + text;
}

std::string RefusalsSection(const json& refusals, const std::string& clock) {
  if (!refusals.is_array() || refusals.empty()) return "";
  std::vector<json> rows(refusals.begin(), refusals.end());
  std::stable_sort(rows.begin(), rows.end(), [](const json& a, const json& b) {
    return StringField(a, "last") > StringField(b, "last");  // most recent first
  });
  std::string text = "\nRefused connections (most recent first):\n";
  for (const json& refusal : rows) text += RefusalLine(refusal, clock);
  return text;
}

}  // namespace

common::StatusOr<std::string> RenderFleet(const json& fleet) {
  if (!fleet.is_object() || !fleet.contains("summary") || !fleet["summary"].is_object() ||
      !fleet.contains("stores") || !fleet["stores"].is_array()) {
    return common::Internal("the fleet answer has no \"summary\" and \"stores\": " +
                            fleet.dump().substr(0, 200));
  }
  const json& stores = fleet["stores"];
  if (!std::all_of(stores.begin(), stores.end(), [](const json& s) { return s.is_object(); })) {
    return common::Internal("the fleet answer has a store that is not an object");
  }
  const std::string clock = StringField(fleet, "clock");
  std::string text = SummaryLine(fleet["summary"]);
  if (clock.size() >= 19) {
    text += "Central's clock: " + clock.substr(0, 10) + " " + clock.substr(11, 8) +
            " UTC (times below are UTC)\n";
  }
  return text + "\n" + StoresTable(stores, clock) + RollbacksSection(stores, clock) +
         RefusalsSection(fleet.value("refusals", json()), clock);
}

bool FleetNeedsAttention(const json& fleet) {
  for (const json& row : fleet.value("stores", json::array())) {
    if (!row.is_object()) continue;
    if (!BoolField(row, "online", false) || !BoolField(row, "disk_accepting", true)) return true;
    if (row.contains("last_rollback") && row["last_rollback"].is_object() &&
        IntField(row["last_rollback"], "age_s").value_or(0) < kRecentRollbackS) {
      return true;
    }
  }
  const auto clock = common::ParseRfc3339(StringField(fleet, "clock"));
  const int64_t window_ms = std::chrono::milliseconds(kRecentRefusal).count();
  for (const json& refusal : fleet.value("refusals", json::array())) {
    if (!refusal.is_object()) continue;
    const auto last = common::ParseRfc3339(StringField(refusal, "last"));
    if (!clock.ok() || !last.ok() || *clock - *last <= window_ms) return true;
  }
  return false;
}

std::string FormatDuration(int64_t seconds) {
  const uint64_t s =
      seconds < 0 ? uint64_t{0} - static_cast<uint64_t>(seconds) : static_cast<uint64_t>(seconds);
  const std::string sign = seconds < 0 ? "-" : "";
  auto part = [](uint64_t n, const char* unit) { return std::to_string(n) + unit; };
  if (s < 60) return sign + part(s, "s");
  if (s < 3600) return sign + part(s / 60, "m") + " " + part(s % 60, "s");
  if (s < 86400) return sign + part(s / 3600, "h") + " " + part(s / 60 % 60, "m");
  return sign + part(s / 86400, "d") + " " + part(s / 3600 % 24, "h");
}

std::string FormatBytes(int64_t bytes) {
  constexpr double kMiB = 1024.0 * 1024.0;
  constexpr double kGiB = 1024.0 * kMiB;
  const auto value = static_cast<double>(bytes);
  if (value >= kGiB || value <= -kGiB) return FormatDecimal(value / kGiB, 1) + " GiB";
  return FormatDecimal(value / kMiB, 0) + " MiB";
}

}  // namespace storepulse::cli
