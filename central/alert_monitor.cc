#include "central/alert_monitor.h"

#include <algorithm>

#include "common/log.h"

namespace storepulse::central {
namespace {

using nlohmann::json;

json ThresholdsJson(const AlertThresholds& t) {
  return {{"cc_warehouse_share", t.cc_warehouse_share},
          {"sfs_stock_cancel_rate", t.sfs_stock_cancel_rate},
          {"availability", t.availability},
          {"offline_warning_s", t.offline_warning_s},
          {"offline_s", t.offline_s},
          {"lag_s", t.lag_s},
          {"lag_critical_s", t.lag_critical_s},
          {"clock_skew_s", t.clock_skew_s},
          {"disk_free_bytes", t.disk_free_bytes}};
}

// Each store's region, and the stores central has not heard from since it started.
void ReadStores(const json& fleet, std::map<std::string, std::string>* regions,
                std::set<std::string>* unseen) {
  if (!fleet.contains("stores") || !fleet["stores"].is_array()) return;
  for (const json& s : fleet["stores"]) {
    const std::string store = s.value("store", "");
    (*regions)[store] = s.value("region", "");
    if (!s.contains("silent_s")) unseen->insert(store);
  }
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
    if (followed_) {  // taking over: what the last leader raised goes on from where it was
      TakeOver(*followed_);
      followed_.reset();
    }
  }
  ApplyForwarded(now_ms);
  Evaluate(now_ms);
  json state;
  {
    std::lock_guard lock(mu_);
    state = LocalJson();
  }
  leadership_->Publish(state);
}

// The last leader's answer as this central's own state: its alerts (which its receivers were
// told of, unless silenced), acknowledgements, silences and recently cleared.
void AlertMonitor::TakeOver(const json& followed) {
  raised_.clear();
  for (const json& object : followed.value("alerts", json::array())) {
    common::StatusOr<RaisedAlert> alert = AlertFromJson(object);
    if (!alert.ok()) continue;
    const json silenced = object.value("silenced_until", json());
    auto until = common::ParseRfc3339(silenced.is_string() ? silenced.get<std::string>() : "");
    if (until.ok()) silences_[alert->finding.id] = AlertSilence{*until, "", 0, ""};
    if (outbox_ != nullptr && !until.ok()) alert->notified_severity = alert->finding.severity;
    raised_[alert->finding.id] = std::move(*alert);
  }
  cleared_.clear();
  for (const json& object : followed.value("recently_cleared", json::array())) {
    common::StatusOr<RaisedAlert> alert = AlertFromJson(object);
    auto at = common::ParseRfc3339(object.value("cleared_at", ""));
    if (alert.ok() && at.ok()) cleared_.push_back(Cleared{std::move(*alert), *at});
  }
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
  std::map<std::string, std::string> regions;
  std::set<std::string> unseen;
  if (fleet.ok()) {
    const int64_t uptime_s = (now_ms - started_ms_) / 1000;
    for (Finding& f : FleetFindings(*fleet, options_.thresholds, uptime_s)) {
      findings.push_back(std::move(f));
    }
    ReadStores(*fleet, &regions, &unseen);
  } else {
    errors.push_back("fleet not read, fleet alerts kept as they were: " +
                     fleet.status().message());
  }
  for (Finding& f : findings) {
    if (auto region = regions.find(f.store); region != regions.end()) f.region = region->second;
  }
  std::lock_guard lock(mu_);
  if (errors != errors_) {  // say it once, not every interval
    for (const std::string& error : errors) common::LogWarning("alerts: " + error);
  }
  errors_ = std::move(errors);
  Apply(std::move(findings), kpis.ok(), fleet.ok(), unseen, now_ms);
}

void AlertMonitor::Apply(std::vector<Finding> findings, bool kpis_read, bool fleet_read,
                         const std::set<std::string>& unseen_stores, int64_t now_ms) {
  std::map<std::string, RaisedAlert> next;
  for (Finding& f : findings) {
    const std::string id = f.id;
    auto previous = raised_.find(id);
    if (previous == raised_.end()) {
      next[id] = RaisedAlert{std::move(f), now_ms, std::nullopt, ""};
      Raise(next[id], "", now_ms);
      continue;
    }
    RaisedAlert alert = std::move(previous->second);
    const std::string was = alert.finding.severity;
    // A fleet view not read this time leaves a KPI alert without its region: keep the one it had
    // (receivers tell alerts apart by their labels).
    if (f.region.empty()) f.region = alert.finding.region;
    alert.finding = std::move(f);
    if (was != alert.finding.severity) Raise(alert, was, now_ms);
    next[id] = std::move(alert);
  }
  for (auto& [id, alert] : raised_) {
    if (next.count(id)) continue;
    const bool kpi = IsKpiAlertKind(alert.finding.kind);
    // Its input could not be read, or its store has not spoken since central started: nothing
    // says it recovered.
    if ((kpi ? !kpis_read : !fleet_read) || (!kpi && unseen_stores.count(alert.finding.store))) {
      next[id] = std::move(alert);
    } else {
      Clear(std::move(alert), now_ms);
    }
  }
  raised_ = std::move(next);
  std::erase_if(silences_, [now_ms](const auto& s) { return s.second.until_ms <= now_ms; });
  for (auto& [id, alert] : raised_) SyncDelivery(alert, now_ms);
  while (!cleared_.empty() && (cleared_.size() > options_.max_cleared ||
                               now_ms - cleared_.back().cleared_ms > options_.keep_cleared_ms)) {
    cleared_.pop_back();
  }
  evaluated_ms_ = now_ms;
  Persist(now_ms);
}

void AlertMonitor::Raise(RaisedAlert& alert, const std::string& was_severity, int64_t now_ms) {
  const Finding& f = alert.finding;
  const AlertSilence* silence = SilenceOf(f.id, now_ms);
  const std::string line =
      (was_severity.empty() ? "alert raised, " + f.severity
                            : "alert now " + f.severity + " (was " + was_severity + ")") +
      ": " + f.id + (silence ? " (silenced until " + common::FormatRfc3339Utc(silence->until_ms) +
                                   ")"
                             : "") +
      ": " + f.message;
  if (f.severity == "critical") {
    common::LogError(line);
  } else {
    common::LogWarning(line);
  }
}

void AlertMonitor::Clear(RaisedAlert alert, int64_t now_ms) {
  common::LogNotice("alert cleared: " + alert.finding.id + " (" + alert.finding.severity +
                    ", raised " + common::FormatRfc3339Utc(alert.since_ms) + ")");
  if (outbox_ != nullptr && !alert.notified_severity.empty()) {
    Finding told = alert.finding;
    told.severity = alert.notified_severity;
    for (PendingDelivery& d : outbox_->DeliveriesFor({false, told, alert.since_ms, now_ms})) {
      unsaved_.push_back(std::move(d));
    }
  }
  alert.notified_severity.clear();
  alert.acknowledged.reset();
  cleared_.push_front(Cleared{std::move(alert), now_ms});
}

// Tells the receivers what they were not told yet: a severity that ended, a raise (unless
// silenced; at the end of its silence otherwise).
void AlertMonitor::SyncDelivery(RaisedAlert& alert, int64_t now_ms) {
  if (outbox_ == nullptr) return;
  const auto queue = [&](bool firing, const Finding& finding) {
    for (PendingDelivery& d : outbox_->DeliveriesFor({firing, finding, alert.since_ms, now_ms})) {
      unsaved_.push_back(std::move(d));
    }
  };
  if (!alert.notified_severity.empty() && alert.notified_severity != alert.finding.severity) {
    Finding ended = alert.finding;
    ended.severity = alert.notified_severity;
    queue(false, ended);
    alert.notified_severity.clear();
  }
  if (alert.notified_severity.empty() && SilenceOf(alert.finding.id, now_ms) == nullptr) {
    queue(true, alert.finding);
    alert.notified_severity = alert.finding.severity;
  }
}

const AlertSilence* AlertMonitor::SilenceOf(const std::string& id, int64_t now_ms) const {
  auto it = silences_.find(id);
  return it != silences_.end() && it->second.until_ms > now_ms ? &it->second : nullptr;
}

json AlertMonitor::ToJson() const {
  std::lock_guard lock(mu_);
  return followed_ ? *followed_ : LocalJson();
}

json AlertMonitor::LocalJson() const {
  const int64_t now_ms = clock_.NowMs();
  std::vector<const RaisedAlert*> order;
  for (const auto& [id, alert] : raised_) order.push_back(&alert);
  std::sort(order.begin(), order.end(), [](const RaisedAlert* a, const RaisedAlert* b) {
    const bool a_critical = a->finding.severity == "critical";
    const bool b_critical = b->finding.severity == "critical";
    if (a_critical != b_critical) return a_critical;
    if (a->since_ms != b->since_ms) return a->since_ms > b->since_ms;
    return a->finding.id < b->finding.id;
  });
  json alerts = json::array();
  int64_t critical = 0, silenced = 0, acknowledged = 0;
  for (const RaisedAlert* alert : order) {
    const AlertSilence* silence = SilenceOf(alert->finding.id, now_ms);
    alerts.push_back(AlertJson(*alert, silence));
    critical += alert->finding.severity == "critical" ? 1 : 0;
    silenced += silence ? 1 : 0;
    acknowledged += alert->acknowledged ? 1 : 0;
  }
  json cleared = json::array();
  for (const Cleared& c : cleared_) {
    json entry = AlertJson(c.alert, nullptr);
    entry["cleared_at"] = common::FormatRfc3339Utc(c.cleared_ms);
    cleared.push_back(std::move(entry));
  }
  const int64_t raised = static_cast<int64_t>(order.size());
  json answer = {{"evaluated_at", evaluated_ms_ ? json(common::FormatRfc3339Utc(evaluated_ms_)) : json()},
          {"alerts", std::move(alerts)},
          {"recently_cleared", std::move(cleared)},
          {"summary",
           {{"raised", raised},
            {"critical", critical},
            {"warning", raised - critical},
            {"silenced", silenced},
            {"acknowledged", acknowledged}}},
          {"thresholds", ThresholdsJson(options_.thresholds)},
          {"errors", errors_}};
  if (outbox_ != nullptr) answer["delivery"] = outbox_->Stats();
  return answer;
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
