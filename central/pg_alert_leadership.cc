#include "central/pg_alert_leadership.h"

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

}  // namespace storepulse::central
