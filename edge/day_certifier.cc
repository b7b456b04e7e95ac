#include "edge/day_certifier.h"

#include <SQLiteCpp/SQLiteCpp.h>

#include <algorithm>

#include "common/event_codec.h"
#include "common/log.h"
#include "common/protocol/message_rules.h"
#include "common/time_util.h"
#include "edge/event_store.h"

namespace storepulse::edge {

namespace wire = common::wire;

namespace {

// A scan reads at most this many new events: a long backlog is looked at over several steps.
constexpr int64_t kScanRows = 100'000;

// "day-20261204-1733300000000": one per resend, shaped like an incarnation (message_rules.h).
std::string ResendTag(int64_t day, int64_t now_ms) {
  std::string date = common::TimeZone::FormatLocalDate(day);
  date.erase(std::remove(date.begin(), date.end(), '-'), date.end());
  return "day-" + date + "-" + std::to_string(now_ms);
}

}  // namespace

DayCertifier::DayCertifier(DayCertifierOptions options) : options_(std::move(options)) {}

DayCertifier::~DayCertifier() = default;

const char* DayCertifier::Name(State state) {
  switch (state) {
    case State::kDue:
      return "due";
    case State::kSent:
      return "sent";
    case State::kResend:
    case State::kResending:
      return "resending";
    case State::kCertified:
      return "certified";
    case State::kDiffers:
      return "differs";
  }
  return "due";
}

bool DayCertifier::Closed(int64_t day, int64_t now_ms) const {
  return now_ms >= options_.zone->LocalDayStartMs(day + 1) + options_.grace_ms;
}

int64_t DayCertifier::FirstDay(int64_t now_ms) const {
  return options_.zone->LocalDayOf(now_ms) - options_.days;
}

void DayCertifier::OnMessage(const wire::Message& message, int64_t now_ms) {
  std::lock_guard lock(mu_);
  if (const auto* welcome = std::get_if<wire::Welcome>(&message)) {
    const auto& caps = welcome->capabilities;
    capable_ = std::find(caps.begin(), caps.end(), wire::kCapabilityDayCertificates) != caps.end();
    for (auto& [day, d] : days_) {  // what was under way on the old connection starts over
      if (d.state == State::kSent || d.state == State::kResend || d.state == State::kResending) {
        d.state = State::kDue;
      }
    }
    return;
  }
  if (const auto* verdict = std::get_if<wire::DayVerdict>(&message)) {
    if (!wire::CheckDayVerdict(*verdict).ok()) return;
    auto day = common::TimeZone::ParseLocalDate(verdict->day);
    auto it = day.ok() ? days_.find(*day) : days_.end();
    if (it == days_.end()) return;
    Day& d = it->second;
    if (verdict->verdict == "resend" && d.state == State::kResending) {  // central failed to apply
      d.state = State::kResend;
      return;
    }
    if (d.state != State::kSent) return;  // an answer to a certificate since superseded
    if (verdict->verdict == "certified") {
      d.state = State::kCertified;
      d.certified_ms = now_ms;
      d.detail.clear();
      d.reopened = false;
      common::LogInfo("day sign-off: central certified " + verdict->day + " (" +
                      std::to_string(d.figures.events) + " events)");
    } else if (verdict->verdict == "resend") {
      d.state = State::kResend;
      common::LogWarning("day sign-off: central's figures of " + verdict->day +
                         " differ from this edge's (" + verdict->detail +
                         "): sending that day's events again");
    } else {
      d.state = State::kDiffers;
      d.detail = verdict->detail;
      common::LogWarning("day sign-off: " + verdict->day +
                         " still differs at central after its events were sent again (" +
                         verdict->detail + "); sent again only when this edge's figures change");
    }
    return;
  }
  const std::string* incarnation = nullptr;
  int64_t acked = -1;
  if (const auto* ack = std::get_if<wire::Ack>(&message)) {
    incarnation = &ack->incarnation;
    acked = ack->acked_seq;
  } else if (const auto* error = std::get_if<wire::Error>(&message)) {
    incarnation = &error->incarnation;
  }
  if (incarnation == nullptr || incarnation->rfind("day-", 0) != 0) return;
  for (auto& [day, d] : days_) {
    if (d.state != State::kResending || d.tag != *incarnation) continue;
    if (acked < 0 || acked >= d.parts_last_seq) d.state = State::kDue;  // applied: certify again
  }
}

void DayCertifier::Step(int64_t now_ms, bool welcomed, int64_t acked, const Send& send) {
  if (options_.zone == nullptr) return;
  std::lock_guard lock(mu_);
  if (now_ms >= next_scan_ms_) {
    next_scan_ms_ = now_ms + options_.scan_interval_ms;
    if (common::Status scanned = Scan(now_ms); !scanned.ok()) {
      common::LogWarning("day sign-off: " + scanned.message());
      return;
    }
  }
  if (!welcomed || !capable_) return;
  for (auto& [day, d] : days_) {
    if (!Closed(day, now_ms)) break;  // nor any later day
    if ((d.state == State::kSent || d.state == State::kResending) &&
        now_ms - d.sent_ms > options_.answer_timeout_ms) {
      d.state = State::kDue;
    }
    common::Status done;
    if (d.state == State::kResend) {
      done = SendEvents(day, d, now_ms, send);
    } else if (d.state == State::kDue && acked >= d.last_seq) {
      done = SendCertificate(day, d, now_ms, send);
    } else {
      continue;
    }
    if (!done.ok()) common::LogWarning("day sign-off: " + done.message());
    return;  // one day's work a step: replication goes on meanwhile
  }
}

common::Status DayCertifier::Scan(int64_t now_ms) {
  try {
    if (!db_) {
      auto opened = OpenReadOnly(options_.data_dir);
      if (!opened.ok()) return opened.status();
      db_ = std::move(opened).value();
    }
    const int64_t first_day = FirstDay(now_ms);
    days_.erase(days_.begin(), days_.lower_bound(first_day));
    const int64_t end = db_->execAndGet("SELECT COALESCE(MAX(seq), 0) FROM events").getInt64();
    SQLite::Statement q(*db_,
                        "SELECT seq, ts FROM events WHERE seq > ? AND seq <= ? AND ts >= ? "
                        "ORDER BY seq LIMIT ?");
    q.bind(1, scanned_seq_);
    q.bind(2, end);
    q.bind(3, options_.zone->LocalDayStartMs(first_day));
    q.bind(4, kScanRows);
    int64_t rows = 0, last = scanned_seq_;
    while (q.executeStep()) {
      ++rows;
      const int64_t seq = q.getColumn(0).getInt64();
      last = seq;
      const int64_t day = options_.zone->LocalDayOf(q.getColumn(1).getInt64());
      if (day < first_day) continue;
      Day& d = days_[day];
      if (d.first_seq == 0 || seq < d.first_seq) d.first_seq = seq;
      d.last_seq = std::max(d.last_seq, seq);
      if (d.state == State::kCertified || d.state == State::kDiffers || d.state == State::kSent) {
        if (d.state != State::kSent) {
          d.reopened = true;
          common::LogInfo("day sign-off: a late event (seq " + std::to_string(seq) + ") re-opens " +
                          common::TimeZone::FormatLocalDate(day) +
                          "; certified again once central has it");
        }
        d.state = State::kDue;
      }
    }
    scanned_seq_ = rows < kScanRows ? end : last;
    // A closed day without events (the store was shut) is certified too, from the first day
    // this edge holds events of: central must hold none either.
    if (!days_.empty()) {
      for (int64_t day = days_.begin()->first; Closed(day, now_ms); ++day) days_.try_emplace(day);
    }
    return common::OkStatus();
  } catch (const std::exception& e) {
    db_.reset();  // opened again at the next scan
    return common::Unavailable(std::string("cannot read the events: ") + e.what());
  }
}

common::StatusOr<common::DayFigures> DayCertifier::Compute(int64_t day, const Day& state) {
  common::DayFiguresBuilder builder;
  SQLite::Statement q(*db_, "SELECT body FROM events WHERE seq >= ? AND ts >= ? AND ts < ?");
  q.bind(1, state.first_seq);
  q.bind(2, options_.zone->LocalDayStartMs(day));
  q.bind(3, options_.zone->LocalDayStartMs(day + 1));
  while (q.executeStep()) {
    const SQLite::Column body = q.getColumn(0);
    auto event = common::DecodeStored(
        std::string_view(static_cast<const char*>(body.getBlob()), body.getBytes()));
    if (!event.ok()) return event.status();
    RETURN_IF_ERROR(builder.Add(*event));
  }
  return builder.Finish();
}

common::Status DayCertifier::SendCertificate(int64_t day, Day& d, int64_t now_ms,
                                             const Send& send) {
  try {
    ASSIGN_OR_RETURN(d.figures, Compute(day, d));
  } catch (const std::exception& e) {
    return common::Unavailable(std::string("cannot read a day's events: ") + e.what());
  }
  wire::DayCertificate certificate{common::TimeZone::FormatLocalDate(day), d.figures.events,
                                   d.figures.totals, d.figures.ids_hash};
  if (!send(certificate)) return common::OkStatus();  // not connected: the next step tries again
  d.state = State::kSent;
  d.sent_ms = now_ms;
  return common::OkStatus();
}

common::Status DayCertifier::SendEvents(int64_t day, Day& d, int64_t now_ms, const Send& send) {
  const std::string date = common::TimeZone::FormatLocalDate(day);
  wire::DayEvents part{ResendTag(day, now_ms), date, 1, {}};
  size_t bytes = 0;
  int64_t sent = 0;
  auto flush = [&]() {
    if (part.events.empty()) return true;
    if (!send(part)) return false;
    sent += std::ssize(part.events);
    part.first_seq = sent + 1;
    part.events.clear();
    bytes = 0;
    return true;
  };
  try {
    SQLite::Statement q(
        *db_, "SELECT body FROM events WHERE seq >= ? AND ts >= ? AND ts < ? ORDER BY seq");
    q.bind(1, d.first_seq);
    q.bind(2, options_.zone->LocalDayStartMs(day));
    q.bind(3, options_.zone->LocalDayStartMs(day + 1));
    while (q.executeStep()) {
      const SQLite::Column body = q.getColumn(0);
      part.events.emplace_back(static_cast<const char*>(body.getBlob()), body.getBytes());
      bytes += part.events.back().size();
      if (part.events.size() >= options_.part_events || bytes >= options_.part_bytes) {
        if (!flush()) return common::OkStatus();  // not connected: the next step starts over
      }
    }
  } catch (const std::exception& e) {
    return common::Unavailable(std::string("cannot read a day's events: ") + e.what());
  }
  if (!flush()) return common::OkStatus();
  d.tag = part.tag;
  d.parts_last_seq = sent;
  d.sent_ms = now_ms;
  d.state = sent == 0 ? State::kDue : State::kResending;
  return common::OkStatus();
}

nlohmann::json DayCertifier::Status() const {
  std::lock_guard lock(mu_);
  nlohmann::json days = nlohmann::json::array();
  for (const auto& [day, d] : days_) {
    days.push_back(
        {{"day", common::TimeZone::FormatLocalDate(day)},
         {"state", Name(d.state)},
         {"events", d.figures.events},
         {"reopened", d.reopened},
         {"certified", d.certified_ms ? nlohmann::json(common::FormatRfc3339Utc(d.certified_ms))
                                      : nlohmann::json(nullptr)},
         {"detail", d.detail.empty() ? nlohmann::json(nullptr) : nlohmann::json(d.detail)}});
  }
  return {{"enabled", capable_},
          {"grace_minutes", options_.grace_ms / 60'000.0},
          {"days_certified", options_.days},
          {"days", days}};
}

}  // namespace storepulse::edge
