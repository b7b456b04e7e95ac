// AlertMonitor (alert_monitor.h), its second half: what people add to the alerts (acknowledge,
// silence) and what alerts.db keeps of the whole state (Restore, Persist).
#include "central/alert_monitor.h"
#include "common/log.h"

namespace storepulse::central {
namespace {

using nlohmann::json;

// The persisted state without the figures that change every evaluation: saved again only when
// this changes (or deliveries wait), not every interval.
std::string ShapeOf(json state) {
  for (json& alert : state["raised"]) {
    alert.erase("value");
    alert.erase("message");
  }
  return state.dump();
}

// A name or comment for one log line: a control character (a newline that would start a line of
// its own, with a priority of its choosing) becomes a space.
std::string OneLine(std::string text) {
  for (char& c : text) {
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) c = ' ';
  }
  return text;
}

}  // namespace

common::Status AlertMonitor::Restore(AlertStore* store) {
  ASSIGN_OR_RETURN(json state, store->LoadState());
  std::lock_guard lock(mu_);
  store_ = store;
  if (state.is_null()) return common::OkStatus();
  for (const json& object : state.value("raised", json::array())) {
    ASSIGN_OR_RETURN(RaisedAlert alert, AlertFromJson(object));
    raised_[alert.finding.id] = std::move(alert);
  }
  const json silences = state.value("silences", json::object());
  for (const auto& [id, silence] : silences.items()) {
    silences_[id] = SilenceFromJson(silence);
  }
  for (const json& object : state.value("cleared", json::array())) {
    ASSIGN_OR_RETURN(RaisedAlert alert, AlertFromJson(object));
    auto at = common::ParseRfc3339(object.value("cleared_at", ""));
    if (at.ok()) cleared_.push_back(Cleared{std::move(alert), *at});
  }
  common::LogInfo("alerts: " + std::to_string(raised_.size()) + " raised and " +
                  std::to_string(silences_.size()) + " silences read back from " + store->path());
  return common::OkStatus();
}

void AlertMonitor::Persist(int64_t now_ms) {
  if (store_ == nullptr) return;
  json state = {{"raised", json::array()}, {"silences", json::object()},
                {"cleared", json::array()}};
  for (const auto& [id, alert] : raised_) state["raised"].push_back(StoredAlertJson(alert));
  for (const auto& [id, silence] : silences_) state["silences"][id] = SilenceJson(silence);
  for (const Cleared& c : cleared_) {
    json entry = StoredAlertJson(c.alert);
    entry["cleared_at"] = common::FormatRfc3339Utc(c.cleared_ms);
    state["cleared"].push_back(std::move(entry));
  }
  std::string shape = ShapeOf(state);
  if (shape == saved_shape_ && unsaved_.empty()) return;
  common::StatusOr<int64_t> dropped = store_->Save(state, unsaved_, now_ms);
  if (!dropped.ok()) {  // kept in memory: tried again at the next change or evaluation
    common::LogError("alerts not saved: " + dropped.status().message());
    return;
  }
  if (*dropped > 0) {
    common::LogError("alert delivery: outbox full, the " + std::to_string(*dropped) +
                     " oldest undelivered alerts dropped (--alert-webhook-max-pending)");
  }
  const bool woke = !unsaved_.empty();
  unsaved_.clear();
  saved_shape_ = std::move(shape);
  if (woke && outbox_ != nullptr) outbox_->Wake();
}

// At a central that follows the leader: the note goes to the leader through the database; the
// answer is the leader's alert as it will be once applied. REQUIRES: mu_ held.
common::StatusOr<json> AlertMonitor::ForwardNote(const json& note) {
  const std::string id = note.value("id", "");
  for (json alert : followed_->value("alerts", json::array())) {
    if (alert.value("id", "") != id) continue;
    RETURN_IF_ERROR(leadership_->Forward(note));
    if (note["action"] == "ack") {
      alert["acknowledged"] = {{"by", note["by"]},
                               {"at", common::FormatRfc3339Utc(note["at_ms"].get<int64_t>())},
                               {"comment", note["comment"]}};
    } else {
      alert["silenced_until"] = common::FormatRfc3339Utc(note["until_ms"].get<int64_t>());
    }
    return alert;
  }
  return common::NotFound("no alert " + id + " is raised");
}

void AlertMonitor::ApplyForwarded(int64_t now_ms) {
  for (const json& note : leadership_->TakeNotes()) {
    const std::string id = note.value("id", ""), by = note.value("by", "");
    const std::string comment = note.value("comment", "");
    common::StatusOr<json> applied =
        note.value("action", "") == "ack"
            ? Acknowledge(id, by, comment, note.value("at_ms", now_ms))
            : Silence(id, note.value("until_ms", int64_t{0}), by, comment, now_ms);
    if (!applied.ok()) {
      common::LogWarning("alerts: a note from another central not applied: " +
                         applied.status().message());
    }
  }
}

common::StatusOr<json> AlertMonitor::Acknowledge(const std::string& id, const std::string& by,
                                                 const std::string& comment, int64_t now_ms) {
  std::lock_guard lock(mu_);
  if (followed_) {
    return ForwardNote(
        {{"action", "ack"}, {"id", id}, {"by", by}, {"comment", comment}, {"at_ms", now_ms}});
  }
  auto it = raised_.find(id);
  if (it == raised_.end()) return common::NotFound("no alert " + id + " is raised");
  it->second.acknowledged = Acknowledgement{by, now_ms, comment};
  common::LogInfo("alert acknowledged by " + OneLine(by) + ": " + id +
                  (comment.empty() ? "" : " (" + OneLine(comment) + ")"));
  Persist(now_ms);
  return AlertJson(it->second, SilenceOf(id, now_ms));
}

common::StatusOr<json> AlertMonitor::Silence(const std::string& id, int64_t until_ms,
                                             const std::string& by, const std::string& comment,
                                             int64_t now_ms) {
  std::lock_guard lock(mu_);
  if (until_ms <= now_ms) return common::InvalidArgument("a silence must end in the future");
  if (followed_) {
    return ForwardNote({{"action", "silence"},
                        {"id", id},
                        {"by", by},
                        {"comment", comment},
                        {"at_ms", now_ms},
                        {"until_ms", until_ms}});
  }
  auto it = raised_.find(id);
  if (it == raised_.end()) return common::NotFound("no alert " + id + " is raised");
  silences_[id] = AlertSilence{until_ms, by, now_ms, comment};
  common::LogInfo("alert silenced by " + OneLine(by) + " until " +
                  common::FormatRfc3339Utc(until_ms) + ": " + id +
                  (comment.empty() ? "" : " (" + OneLine(comment) + ")"));
  Persist(now_ms);
  return AlertJson(it->second, SilenceOf(id, now_ms));
}

}  // namespace storepulse::central
