#include "central/alert_monitor.h"

#include <algorithm>
#include <cmath>

#include "common/log.h"

namespace storepulse::central {
namespace {

using nlohmann::json;

json Number(double value) {
  if (std::fabs(value) < 9e15 && value == std::trunc(value)) return static_cast<int64_t>(value);
  return value;
}

json AlertJson(const Finding& f, int64_t since_ms) {
  json alert = {{"id", f.id},
                {"kind", f.kind},
                {"store", f.store},
                {"severity", f.severity},
                {"since", common::FormatRfc3339Utc(since_ms)},
                {"value", Number(f.value)},
                {"threshold", Number(f.threshold)},
                {"unit", f.unit},
                {"message", f.message}};
  if (!f.source_kind.empty()) alert["source"] = {{"kind", f.source_kind}, {"id", f.source_id}};
  return alert;
}

json ThresholdsJson(const AlertThresholds& t) {
  return {{"cc_warehouse_share", t.cc_warehouse_share},
          {"sfs_stock_cancel_rate", t.sfs_stock_cancel_rate},
          {"availability", t.availability},
          {"offline_s", t.offline_s},
          {"lag_s", t.lag_s},
          {"clock_skew_s", t.clock_skew_s},
          {"disk_free_bytes", t.disk_free_bytes}};
}

}  // namespace

AlertMonitor::AlertMonitor(AlertMonitorOptions options, Source fleet, Source kpis_today,
                           const common::Clock& clock)
    : options_(options),
      fleet_(std::move(fleet)),
      kpis_today_(std::move(kpis_today)),
      clock_(clock),
      started_ms_(clock.NowMs()) {}

AlertMonitor::~AlertMonitor() { Stop(); }

void AlertMonitor::Start() {
  if (thread_.joinable()) return;
  thread_ = std::thread([this] { Run(); });
}

void AlertMonitor::Stop() {
  {
    std::lock_guard lock(mu_);
    stop_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void AlertMonitor::Run() {
  std::unique_lock lock(mu_);
  while (!stop_) {
    lock.unlock();
    if (leadership_ != nullptr) {
      Share(clock_.NowMs());
    } else {
      Evaluate(clock_.NowMs());
    }
    lock.lock();
    wake_.wait_for(lock, std::chrono::milliseconds(options_.interval_ms), [this] { return stop_; });
  }
}

void AlertMonitor::Share(int64_t now_ms) {
  if (!leadership_->Lead()) {
    std::optional<json> state = leadership_->Fetch();
    std::lock_guard lock(mu_);
    followed_ = state ? std::move(state)
                      : json{{"alerts", json::array()},
                             {"recently_cleared", json::array()},
                             {"summary", {{"raised", 0}, {"critical", 0}, {"warning", 0}}},
                             {"errors", {"no central has evaluated the alerts yet"}}};
    return;
  }
  {
    std::lock_guard lock(mu_);
    if (followed_) {  // taking over: what still fires keeps the since the last leader gave it
      for (const json& alert : (*followed_)["alerts"]) {
        auto since = common::ParseRfc3339(alert.value("since", ""));
        if (since.ok()) inherited_since_[alert.value("id", "")] = *since;
      }
      followed_.reset();
    }
  }
  Evaluate(now_ms);
  json state;
  {
    std::lock_guard lock(mu_);
    state = LocalJson();
  }
  leadership_->Publish(state);
}

void AlertMonitor::Evaluate(int64_t now_ms) {
  std::vector<Finding> findings;
  std::vector<std::string> errors;
  common::StatusOr<json> kpis = kpis_today_(now_ms);
  if (kpis.ok()) {
    findings = KpiFindings(*kpis, options_.thresholds);
  } else {
    errors.push_back("KPIs not read, KPI alerts kept as they were: " + kpis.status().message());
  }
  common::StatusOr<json> fleet = fleet_(now_ms);
  if (fleet.ok()) {
    const int64_t uptime_s = (now_ms - started_ms_) / 1000;
    for (Finding& f : FleetFindings(*fleet, options_.thresholds, uptime_s)) {
      findings.push_back(std::move(f));
    }
  } else {
    errors.push_back("fleet not read, fleet alerts kept as they were: " +
                     fleet.status().message());
  }
  std::lock_guard lock(mu_);
  if (errors != errors_) {  // say it once, not every interval
    for (const std::string& error : errors) common::LogWarning("alerts: " + error);
  }
  errors_ = std::move(errors);
  Apply(std::move(findings), kpis.ok(), fleet.ok(), now_ms);
}

// REQUIRES: mu_ held.
void AlertMonitor::Apply(std::vector<Finding> findings, bool kpis_read, bool fleet_read,
                         int64_t now_ms) {
  std::map<std::string, Raised> next;
  for (Finding& f : findings) {
    auto previous = raised_.find(f.id);
    auto inherited = inherited_since_.find(f.id);
    const int64_t since = previous != raised_.end()             ? previous->second.since_ms
                          : inherited != inherited_since_.end() ? inherited->second
                                                                : now_ms;
    std::string id = f.id;
    next[id] = Raised{std::move(f), since};
  }
  for (auto& [id, alert] : raised_) {
    if (next.count(id)) continue;
    const bool unread = IsKpiAlertKind(alert.finding.kind) ? !kpis_read : !fleet_read;
    if (unread) {
      next[id] = alert;  // its input could not be read: nothing says it recovered
    } else {
      cleared_.push_front(Cleared{alert, now_ms});
    }
  }
  raised_ = std::move(next);
  inherited_since_.clear();  // kept for the first evaluation of a new leader only
  while (!cleared_.empty() && (cleared_.size() > options_.max_cleared ||
                               now_ms - cleared_.back().cleared_ms > options_.keep_cleared_ms)) {
    cleared_.pop_back();
  }
  evaluated_ms_ = now_ms;
}

json AlertMonitor::ToJson() const {
  std::lock_guard lock(mu_);
  return followed_ ? *followed_ : LocalJson();
}

json AlertMonitor::LocalJson() const {
  std::vector<const Raised*> order;
  for (const auto& [id, alert] : raised_) order.push_back(&alert);
  std::sort(order.begin(), order.end(), [](const Raised* a, const Raised* b) {
    const bool a_critical = a->finding.severity == "critical";
    const bool b_critical = b->finding.severity == "critical";
    if (a_critical != b_critical) return a_critical;
    if (a->since_ms != b->since_ms) return a->since_ms > b->since_ms;
    return a->finding.id < b->finding.id;
  });
  json alerts = json::array();
  int64_t critical = 0;
  for (const Raised* alert : order) {
    alerts.push_back(AlertJson(alert->finding, alert->since_ms));
    critical += alert->finding.severity == "critical" ? 1 : 0;
  }
  json cleared = json::array();
  for (const Cleared& c : cleared_) {
    json entry = AlertJson(c.alert.finding, c.alert.since_ms);
    entry["cleared_at"] = common::FormatRfc3339Utc(c.cleared_ms);
    cleared.push_back(std::move(entry));
  }
  const int64_t raised = static_cast<int64_t>(order.size());
  return {{"evaluated_at", evaluated_ms_ ? json(common::FormatRfc3339Utc(evaluated_ms_)) : json()},
          {"alerts", std::move(alerts)},
          {"recently_cleared", std::move(cleared)},
          {"summary", {{"raised", raised}, {"critical", critical}, {"warning", raised - critical}}},
          {"thresholds", ThresholdsJson(options_.thresholds)},
          {"errors", errors_}};
}

int64_t AlertMonitor::raised() const {
  std::lock_guard lock(mu_);
  if (followed_) return (*followed_)["summary"].value("raised", int64_t{0});
  return static_cast<int64_t>(raised_.size());
}

int64_t AlertMonitor::critical() const {
  std::lock_guard lock(mu_);
  if (followed_) return (*followed_)["summary"].value("critical", int64_t{0});
  return std::count_if(raised_.begin(), raised_.end(), [](const auto& entry) {
    return entry.second.finding.severity == "critical";
  });
}

}  // namespace storepulse::central
