// Central's alerts (GET /api/v1/alerts): evaluates the rules of alert_rules.h every interval on a
// thread of its own, and keeps what is raised in memory — an alert's `since` is when it was first
// raised and stays while it keeps firing; it clears by itself when the figure recovers and is then
// listed under "recently_cleared" for keep_cleared_ms. In memory only: a restart of central
// raises again, with a new `since`, whatever still fires.
//
// The inputs are injected (the fleet answer and the KPIs by store over local today), as is the
// clock, so tests call Evaluate(now) on canned inputs without a thread. When an input cannot be
// read, the alerts that come from it are kept as they were, and the error is reported.
// Thread-safe: Evaluate, ToJson and the counters may be called from any thread.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "central/alert_rules.h"
#include "common/status.h"
#include "common/time_util.h"

namespace storepulse::central {

// Several centrals over one database (PostgreSQL): one evaluates, the others answer what it
// found (central/pg_alert_leadership.h). Called from the monitor's thread.
class AlertLeadership {
 public:
  virtual ~AlertLeadership() = default;
  // Whether this central evaluates now: it holds the lead, or takes it when free.
  virtual bool Lead() = 0;
  // The leader, after each evaluation: its answer (ToJson), for the others.
  virtual void Publish(const nlohmann::json& state) = 0;
  // The others: the leader's last answer, with "evaluated_by"; nothing when there is none.
  virtual std::optional<nlohmann::json> Fetch() = 0;
};

struct AlertMonitorOptions {
  AlertThresholds thresholds;
  int64_t interval_ms = 15'000;            // between two evaluations
  int64_t keep_cleared_ms = 3'600'000;     // how long a cleared alert stays listed
  size_t max_cleared = 200;                // and at most this many
};

class AlertMonitor {
 public:
  // Either a JSON answer or why it could not be had. Called on the monitor's thread.
  using Source = std::function<common::StatusOr<nlohmann::json>(int64_t now_ms)>;

  // `fleet`: the fleet answer; `kpis_today`: a KPI answer by=store over each store's local today.
  // Central's watch starts now (clock): a store never seen is offline after offline_s of it.
  AlertMonitor(AlertMonitorOptions options, Source fleet, Source kpis_today,
               const common::Clock& clock);
  ~AlertMonitor();
  AlertMonitor(const AlertMonitor&) = delete;
  AlertMonitor& operator=(const AlertMonitor&) = delete;

  // With several centrals: evaluate only while `leadership` gives the lead, answer the leader's
  // evaluation otherwise. Before Start; not owned.
  void set_leadership(AlertLeadership* leadership) { leadership_ = leadership; }

  // Evaluates at once, then every interval_ms until Stop().
  void Start();
  void Stop();

  // One evaluation of every rule at `now_ms`.
  void Evaluate(int64_t now_ms);

  // {"evaluated_at", "alerts":[…], "recently_cleared":[…], "summary":{"raised","critical",
  // "warning"}, "thresholds":{…}, "errors":[…]}; alerts most severe first, then newest first.
  nlohmann::json ToJson() const;
  int64_t raised() const;
  int64_t critical() const;

 private:
  struct Raised {
    Finding finding;
    int64_t since_ms = 0;
  };
  struct Cleared {
    Raised alert;
    int64_t cleared_ms = 0;
  };
  void Apply(std::vector<Finding> findings, bool kpis_read, bool fleet_read, int64_t now_ms);
  void Run();
  // One interval's work under a leadership: evaluate and publish, or follow the leader.
  void Share(int64_t now_ms);
  nlohmann::json LocalJson() const;  // REQUIRES: mu_ held

  const AlertMonitorOptions options_;
  const Source fleet_;
  const Source kpis_today_;
  const common::Clock& clock_;
  const int64_t started_ms_;

  mutable std::mutex mu_;
  std::map<std::string, Raised> raised_;  // by id; guarded by mu_
  std::deque<Cleared> cleared_;           // newest first; guarded by mu_
  std::vector<std::string> errors_;       // of the last evaluation; guarded by mu_
  int64_t evaluated_ms_ = 0;              // 0: not yet; guarded by mu_
  AlertLeadership* leadership_ = nullptr;
  std::optional<nlohmann::json> followed_;          // the leader's answer while not leading; mu_
  std::map<std::string, int64_t> inherited_since_;  // from the last leader, on taking the lead
  bool stop_ = false;                     // guarded by mu_
  std::condition_variable wake_;
  std::thread thread_;
};

}  // namespace storepulse::central
