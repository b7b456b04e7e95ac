#include "central/pg_alert_leadership.h"

#include <algorithm>

#include "common/log.h"

namespace storepulse::central {

namespace {
constexpr int64_t kAlertLeaderLock = 0x7370616c;  // "spal": any constant of our own
}  // namespace

PgAlertLeadership::PgAlertLeadership(std::string conninfo, std::string central)
    : conninfo_(std::move(conninfo)), central_(std::move(central)) {}

bool PgAlertLeadership::Connected() {
  if (db_ != nullptr && db_->ok()) return true;
  if (leading_) common::LogWarning("alerts: lost the connection that held the lead");
  leading_ = false;  // the lock went with the session
  auto connected = PgConnection::Connect(conninfo_);
  if (!connected.ok()) return false;
  db_ = std::move(*connected);
  return true;
}

bool PgAlertLeadership::Lead() {
  std::lock_guard lock(mu_);
  if (!Connected()) return false;
  if (leading_) {
    // Still ours while the session lives; a query tells whether it does.
    if (db_->Exec("SELECT 1", "check the alert lead").ok()) return true;
    leading_ = false;
    return false;
  }
  auto taken = db_->Exec("SELECT pg_try_advisory_lock(" + std::to_string(kAlertLeaderLock) + ")",
                         "take the alert lead");
  leading_ = taken.ok() && taken->text(0, 0) == "t";
  if (leading_) common::LogInfo("alerts: this central evaluates them (leader)");
  return leading_;
}

void PgAlertLeadership::Publish(const nlohmann::json& state) {
  std::lock_guard lock(mu_);
  if (!leading_ || !Connected()) return;
  auto written = db_->Exec(
      "INSERT INTO storepulse.shared_state VALUES('alerts', $1::jsonb, "
      "(extract(epoch from clock_timestamp()) * 1000)::bigint, $2) ON CONFLICT(name) DO UPDATE "
      "SET value = excluded.value, written_ms = excluded.written_ms, central = excluded.central",
      PgParams().text(state.dump()).text(central_), "publish the alerts");
  if (!written.ok()) common::LogWarning("alerts: " + written.status().message());
}

std::optional<nlohmann::json> PgAlertLeadership::Fetch() {
  std::lock_guard lock(mu_);
  if (!Connected()) return std::nullopt;
  auto row = db_->Exec(
      "SELECT value::text, central FROM storepulse.shared_state WHERE name = 'alerts'",
      "read the leader's alerts");
  if (!row.ok() || row->rows() == 0) return std::nullopt;
  auto state = nlohmann::json::parse(row->text(0, 0), nullptr, /*allow_exceptions=*/false);
  if (!state.is_object()) return std::nullopt;
  state["evaluated_by"] = std::string(row->text(0, 1));
  return state;
}

common::Status PgAlertLeadership::Forward(const nlohmann::json& note) {
  std::lock_guard lock(mu_);
  if (!Connected()) return common::Unavailable("alerts: PostgreSQL cannot be reached");
  const std::string name = "alert_note/" + central_ + "/" + std::to_string(++notes_) + "/" +
                           std::to_string(note.value("at_ms", int64_t{0}));
  auto written = db_->Exec(
      "INSERT INTO storepulse.shared_state VALUES($1, $2::jsonb, "
      "(extract(epoch from clock_timestamp()) * 1000)::bigint, $3)",
      PgParams().text(name).text(note.dump()).text(central_), "forward an alert note");
  return written.status();
}

std::vector<nlohmann::json> PgAlertLeadership::TakeNotes() {
  std::lock_guard lock(mu_);
  std::vector<nlohmann::json> notes;
  if (!leading_ || !Connected()) return notes;
  auto rows = db_->Exec(
      "DELETE FROM storepulse.shared_state WHERE name LIKE 'alert\\_note/%' "
      "RETURNING value::text, written_ms",
      "take the forwarded alert notes");
  if (!rows.ok()) {
    common::LogWarning("alerts: " + rows.status().message());
    return notes;
  }
  std::vector<std::pair<std::string, std::string>> taken;
  for (int i = 0; i < rows->rows(); ++i) taken.emplace_back(rows->text(i, 1), rows->text(i, 0));
  std::sort(taken.begin(), taken.end(), [](const auto& a, const auto& b) {
    return std::stoll(a.first) < std::stoll(b.first);
  });
  for (const auto& [written, value] : taken) {
    auto note = nlohmann::json::parse(value, nullptr, /*allow_exceptions=*/false);
    if (note.is_object()) notes.push_back(std::move(note));
  }
  return notes;
}

}  // namespace storepulse::central
