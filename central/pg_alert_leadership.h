// One central of several evaluates the alerts (central/alert_monitor.h): the one holding a
// session advisory lock on PostgreSQL. It publishes each evaluation to `storepulse.shared_state`
// (name `alerts`), and the others answer that, so /api/v1/alerts, the CLI and /metrics say the
// same at every central. When the leader dies its session ends, the lock is free, and the next
// central to ask takes the lead, keeping the `since` of the alerts still firing.
//
// Thread-safe (one connection, under a mutex); called from the alert monitor's thread.
#pragma once

#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include "central/alert_monitor.h"
#include "central/pg_connection.h"

namespace storepulse::central {

class PgAlertLeadership final : public AlertLeadership {
 public:
  PgAlertLeadership(std::string conninfo, std::string central);
  bool Lead() override;
  void Publish(const nlohmann::json& state) override;
  std::optional<nlohmann::json> Fetch() override;
  // A note is a row of storepulse.shared_state named "alert_note/<central>/<n>", taken (deleted)
  // by the leader.
  common::Status Forward(const nlohmann::json& note) override;
  std::vector<nlohmann::json> TakeNotes() override;

 private:
  bool Connected();  // REQUIRES: mu_ held

  const std::string conninfo_;
  const std::string central_;
  std::mutex mu_;
  std::unique_ptr<PgConnection> db_;  // its session holds the lock while leading
  bool leading_ = false;
  int64_t notes_ = 0;  // forwarded by this central; guarded by mu_
};

}  // namespace storepulse::central
