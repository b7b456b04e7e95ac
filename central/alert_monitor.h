// Central's one alert model (GET /api/v1/alerts, docs/OPERATIONS.md "Alerts"): evaluates the
// rules of alert_rules.h every interval on a thread of its own — the rules decide each alert's
// severity, this decides its since-when — and everything that shows an alert reads it from here:
// the API, the ops page (which reads the API), `storepulse alerts`, the `storepulse_alert` gauges
// of /metrics and the webhook receivers. An alert's `since` is when it was first raised and stays
// while it keeps firing, whatever its severity (store_offline: warning, then critical); it clears
// by itself when the figure recovers and is then listed under "recently_cleared" for
// keep_cleared_ms.
//
// Each raise, severity change and clear is logged with a journald priority (err for critical,
// warning for a warning, notice for a clear) and, unless silenced, handed to the outbox (webhook
// delivery, alert_delivery.h). An alert may be acknowledged (until it clears) and silenced until a
// time (listed, marked silenced, not delivered; its clear is still delivered if its raise was).
// With an AlertStore, all of it — raised alerts with their since, acknowledgements, silences,
// recently cleared, what receivers were told — survives a restart; the outbox is written in the
// same transaction as the change it delivers.
//
// The inputs are injected (the fleet answer and the KPIs by store over local today), as is the
// clock, so tests call Evaluate(now) on canned inputs without a thread. When an input cannot be
// read, the alerts that come from it are kept as they were, and the error is reported; so is a
// fleet alert of a store central has not heard from since it started (nothing says it recovered).
// Thread-safe: Evaluate, ToJson, Acknowledge, Silence and the counters may be called from any
// thread.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "central/alert_rules.h"
#include "central/alert_state.h"
#include "central/alert_store.h"
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
  // The others: an acknowledgement or silence made here, for the leader to apply
  // ({"action": "ack"|"silence", "id", "by", "comment", "at_ms", "until_ms"}).
  virtual common::Status Forward(const nlohmann::json& note) = 0;
  // The leader: the notes forwarded since the last call, oldest first, taken.
  virtual std::vector<nlohmann::json> TakeNotes() = 0;
};

// Where changes go to be delivered (central/alert_delivery.h).
class AlertOutbox {
 public:
  virtual ~AlertOutbox() = default;
  // The deliveries of one change, one per receiver; the monitor stores them with the change.
  virtual std::vector<PendingDelivery> DeliveriesFor(const AlertChange& change) const = 0;
  // Called once new deliveries are stored.
  virtual void Wake() = 0;
  // {"receivers", "pending", "delivered", "failed_attempts"}: the answer's "delivery".
  virtual nlohmann::json Stats() const = 0;
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
  // Keeps the state in `store` and reads back what it kept. Before Start; not owned. An error
  // when the kept state cannot be read.
  [[nodiscard]] common::Status Restore(AlertStore* store);
  // Where changes are delivered; needs a store. Before Start; not owned.
  void set_outbox(AlertOutbox* outbox) { outbox_ = outbox; }

  // Evaluates at once, then every interval_ms until Stop().
  void Start();
  void Stop();

  // One evaluation of every rule at `now_ms`.
  void Evaluate(int64_t now_ms);

  // The alert `id`, acknowledged by `by`, or silenced until `until_ms` (> now): the alert's API
  // object. NotFound for an id not raised; InvalidArgument for a silence not in the future. At a
  // central that does not evaluate, the note is forwarded to the leader, which applies it at its
  // next evaluation (Unavailable when it cannot be forwarded).
  common::StatusOr<nlohmann::json> Acknowledge(const std::string& id, const std::string& by,
                                               const std::string& comment, int64_t now_ms);
  common::StatusOr<nlohmann::json> Silence(const std::string& id, int64_t until_ms,
                                           const std::string& by, const std::string& comment,
                                           int64_t now_ms);

  // {"evaluated_at", "alerts":[…], "recently_cleared":[…], "summary":{"raised","critical",
  // "warning","silenced","acknowledged"}, "thresholds":{…}, "errors":[…]} and, with webhooks,
  // "delivery" (AlertOutbox::Stats); alerts most severe first, then newest first.
  nlohmann::json ToJson() const;
  int64_t raised() const;
  int64_t critical() const;

 private:
  struct Cleared {
    RaisedAlert alert;
    int64_t cleared_ms = 0;
  };
  // REQUIRES: mu_ held, for all of these.
  void Apply(std::vector<Finding> findings, bool kpis_read, bool fleet_read,
             const std::set<std::string>& unseen_stores, int64_t now_ms);
  void Raise(RaisedAlert& alert, const std::string& was_severity, int64_t now_ms);
  void Clear(RaisedAlert alert, int64_t now_ms);
  void SyncDelivery(RaisedAlert& alert, int64_t now_ms);
  const AlertSilence* SilenceOf(const std::string& id, int64_t now_ms) const;
  void Persist(int64_t now_ms);
  nlohmann::json LocalJson() const;
  void TakeOver(const nlohmann::json& followed);
  common::StatusOr<nlohmann::json> ForwardNote(const nlohmann::json& note);
  void ApplyForwarded(int64_t now_ms);  // the leader, before it evaluates; REQUIRES: mu_ not held

  void Run();
  // One interval's work under a leadership: evaluate and publish, or follow the leader.
  void Share(int64_t now_ms);

  const AlertMonitorOptions options_;
  const Source fleet_;
  const Source kpis_today_;
  const common::Clock& clock_;
  const int64_t started_ms_;

  mutable std::mutex mu_;
  std::map<std::string, RaisedAlert> raised_;         // by id; guarded by mu_
  std::map<std::string, AlertSilence> silences_;     // by id; guarded by mu_
  std::deque<Cleared> cleared_;                        // newest first; guarded by mu_
  std::vector<std::string> errors_;                    // of the last evaluation; guarded by mu_
  int64_t evaluated_ms_ = 0;                           // 0: not yet; guarded by mu_
  AlertLeadership* leadership_ = nullptr;
  std::optional<nlohmann::json> followed_;  // the leader's answer while not leading; mu_
  AlertStore* store_ = nullptr;
  AlertOutbox* outbox_ = nullptr;
  std::vector<PendingDelivery> unsaved_;  // deliveries of changes not yet persisted; mu_
  std::string saved_shape_;               // what was last persisted, values aside; mu_
  bool stop_ = false;                     // guarded by mu_
  std::condition_variable wake_;
  std::thread thread_;
};

}  // namespace storepulse::central
