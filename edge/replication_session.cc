#include "edge/replication_session.h"

#include <algorithm>
#include <string_view>

#include "common/log.h"
#include "common/protocol/message_rules.h"

namespace storepulse::edge {

namespace wire = common::wire;

namespace {
// The start of last_error while central answers retry (cannot store); cleared by the next ack.
constexpr std::string_view kRetryError = "central answered retry: ";
}  // namespace

ReplicationSession::ReplicationSession(ReplicationSessionOptions options, SessionEnv& env)
    : options_(std::move(options)),
      env_(env),
      rotation_(options_.centrals.size(), {500, options_.hello_retry_max_ms}),
      handshake_limit_ms_(options_.handshake_timeout_ms) {
  status_.central = options_.centrals.empty() ? "" : options_.centrals.front().endpoint;
}

common::Status ReplicationSession::Start(int64_t now) {
  if (options_.centrals.empty()) return common::InvalidArgument("no central to replicate to");
  return OpenLink(now);
}

void ReplicationSession::Step(int64_t now) {
  if (!StepLink(now)) return;
  if (connected_ && !welcomed_ && now >= next_hello_ms_) SendHello(now);
  if (welcomed_) {
    if (!in_flight_.empty() && now - in_flight_.front().sent_ms > options_.ack_timeout_ms) {
      common::LogWarning("no ack from central for " + std::to_string(options_.ack_timeout_ms) +
                         " ms: resending from seq " +
                         std::to_string(verify_from_ ? verify_from_ : acked_ + 1));
      Rewind(acked_);
      Stalled("no ack in time", now);
    }
    FillWindow(now);
  }
  if (now - last_heartbeat_ms_ >= options_.heartbeat_ms) SendHeartbeat(now);
}

void ReplicationSession::SendHello(int64_t now) {
  env_.Send(wire::Hello{options_.store, options_.incarnation, env_.Vitals().last_seq,
                        STOREPULSE_VERSION});
  next_hello_ms_ = now + hello_backoff_ms_;
  hello_backoff_ms_ = std::min(hello_backoff_ms_ * 2, options_.hello_retry_max_ms);
}

void ReplicationSession::FillWindow(int64_t now) {
  int64_t last_seq = env_.Vitals().last_seq;
  const size_t window = verify_from_ ? 1 : options_.window;
  if (now < resend_at_ms_) return;  // central answered retry: give it a moment
  while (in_flight_.size() < window && next_send_ <= last_seq) {
    wire::Batch batch{options_.incarnation, next_send_, {}};
    auto first = env_.ReadBodies(next_send_, options_.batch_events, options_.batch_bytes,
                                 &batch.events);
    if (!first.ok()) return SetError(first.status().message());
    if (batch.events.empty()) return;
    if (*first != next_send_) {  // retention pruned next_send_…: central need not wait for them
      batch.first_seq = *first;
      batch.pruned_to = *first - 1;
    }
    int64_t last = batch.first_seq + static_cast<int64_t>(batch.events.size()) - 1;
    if (!env_.Send(batch)) return;  // not connected right now; the next step tries again
    in_flight_.push_back(InFlight{batch.first_seq, last, now});
    next_send_ = last + 1;
  }
}

void ReplicationSession::SendHeartbeat(int64_t now) {
  last_heartbeat_ms_ = now;
  EdgeVitals v = env_.Vitals();
  auto backlog = env_.ReadBacklog(acked_);
  if (!backlog.ok()) return SetError(backlog.status().message());
  status_.backlog = *backlog;
  wire::Heartbeat beat;
  const int64_t wall = env_.WallClockMs();
  beat.clock_ms = wall;
  beat.last_seq = v.last_seq;
  beat.acked_seq = acked_;
  beat.backlog_events = backlog->events;
  beat.backlog_value = backlog->value;
  // Never negative, even when the clock stepped back after the oldest event was stored.
  beat.oldest_unsent_age_ms =
      backlog->oldest_received_ms ? std::max<int64_t>(0, wall - backlog->oldest_received_ms) : 0;
  beat.disk_free_bytes = v.disk_free_bytes;
  beat.disk_accepting = v.disk_accepting;
  beat.version = STOREPULSE_VERSION;
  beat.silent_sources = env_.SilentSources();
  if (status_.central_documents) beat.documents = env_.HeldDocuments();
  env_.Send(beat);
}

// One branch per message type central sends.
void ReplicationSession::OnMessage(const wire::Message& message, int64_t now) {
  if (auto* welcome = std::get_if<wire::Welcome>(&message)) {
    if (common::Status valid = wire::CheckWelcome(*welcome); !valid.ok()) {
      return SetError("central sent an invalid message: " + valid.message());
    }
    if (welcome->incarnation == options_.incarnation) OnWelcome(*welcome, now);
  } else if (auto* ack = std::get_if<wire::Ack>(&message)) {
    OnAck(*ack, now);
  } else if (auto* error = std::get_if<wire::Error>(&message)) {
    OnError(*error, now);
  } else if (auto* beat = std::get_if<wire::Heartbeat>(&message)) {
    if (!wire::CheckHeartbeat(*beat).ok()) return;  // an absurd clock is not an offset to show
    status_.central_clock_offset_ms = beat->clock_ms - env_.WallClockMs();
  }
}

void ReplicationSession::OnAck(const wire::Ack& ack, int64_t now) {
  // An ack equal to ours still retires the batches it covers: the tail resent for checking.
  if (ack.incarnation != options_.incarnation || ack.acked_seq < acked_) return;
  stalled_since_ms_ = 0;
  if (ack.acked_seq > acked_) {  // central applied new events
    CentralWorks();
    retry_pause_ms_ = 0;
    if (status_.last_error.rfind(kRetryError, 0) == 0) status_.last_error.clear();
  }
  acked_ = ack.acked_seq;
  int64_t retired_to = 0;  // the last seq of the batches this ack retires
  while (!in_flight_.empty() && in_flight_.front().last_seq <= acked_) {
    retired_to = in_flight_.front().last_seq;
    in_flight_.pop_front();
  }
  if (retired_to != 0) {
    if (verify_from_) verify_from_ = retired_to >= verify_to_ ? 0 : retired_to + 1;  // checked
    if (!in_flight_.empty()) in_flight_.front().sent_ms = now;  // progress: restart its timer
  }
  if (welcomed_ && verify_from_ == 0) confirmed_ = acked_;
  status_.acked_seq = acked_;
  status_.last_ack_ms = env_.WallClockMs();
}

void ReplicationSession::OnWelcome(const wire::Welcome& welcome, int64_t now) {
  int64_t last_seq = env_.Vitals().last_seq;
  if (welcome.acked_seq > last_seq) {
    return StartNewStream("central acknowledged seq " + std::to_string(welcome.acked_seq) +
                              " of incarnation " + options_.incarnation +
                              " but this database ends at seq " + std::to_string(last_seq),
                          now);
  }
  // `acked_` is the last position central gave this stream (kept across reconnections): a
  // welcome below it means central lost what it acknowledged. Once per occurrence: after it,
  // `acked_` is central's new position, which a later welcome of the same re-send does not fall
  // below.
  if (welcome.acked_seq < acked_) CentralWentBack(welcome.acked_seq);
  // Central holds every event: nothing will be acknowledged to tell that it works, so this does
  // (an idle store's edge must not stay in an outage's back-off after a failover).
  if (welcome.acked_seq == last_seq) CentralWorks();
  welcomed_ = true;
  confirmed_ = 0;  // until central has checked the tail
  hello_backoff_ms_ = 500;
  last_heartbeat_ms_ = 0;  // tell central our backlog at once
  // Resend the tail central acknowledged: it checks that those seqs still hold the same ids.
  verify_from_ = welcome.acked_seq > 0
                     ? std::max<int64_t>(1, welcome.acked_seq - options_.verify_events + 1)
                     : 0;
  verify_to_ = welcome.acked_seq;
  Rewind(welcome.acked_seq);
  status_.welcomed = true;
  const auto advertised = [&welcome](std::string_view capability) {
    return std::find(welcome.capabilities.begin(), welcome.capabilities.end(), capability) !=
           welcome.capabilities.end();
  };
  status_.central_documents = advertised(wire::kCapabilityDocuments);
  status_.central_network_stock = advertised(wire::kCapabilityNetworkStock);
  if (acked_ == 0) status_.acked_seq = 0;  // otherwise published by the ack of the checked tail
  status_.last_error.clear();
  status_.central_clock_offset_ms = welcome.clock_ms - env_.WallClockMs();
}

// The database lost commits central had acknowledged: its seqs now name other events. Streaming
// on would make central skip them as replays, so start over as a new stream.
void ReplicationSession::StartNewStream(const std::string& why, int64_t now) {
  std::string reason = why +
                       ": the database lost commits (restored from a backup, torn WAL, or a "
                       "power cut with durability=normal)";
  welcomed_ = false;
  confirmed_ = 0;
  in_flight_.clear();
  auto renewed = env_.NewIncarnation(reason);
  if (!renewed.ok()) {
    next_hello_ms_ = now + options_.hello_retry_max_ms;
    return SetError(reason + "; cannot start a new stream: " + renewed.status().message());
  }
  common::LogWarning("replication: " + reason + ". Streaming the whole database again as " +
                     "incarnation " + *renewed + " (was " + options_.incarnation +
                     "); central counts only the events it does not have.");
  options_.incarnation = *renewed;
  verify_from_ = 0;
  Rewind(0);
  next_hello_ms_ = 0;
  hello_backoff_ms_ = 500;
  status_.welcomed = false;
  status_.acked_seq = 0;
  status_.stream_restarts++;
}

// Central is behind what it acknowledged (restored from an older backup, a database failover that
// lost its last commits, a new empty database): the stream goes on from central's position, which
// re-sends every acknowledged event still held. Retention cannot prune them meanwhile: it goes
// only up to `confirmed_`, which Rewind brings down to central's position.
void ReplicationSession::CentralWentBack(int64_t central_seq) {
  CentralBehind behind{env_.WallClockMs(),   endpoint(), central_seq, acked_,
                       acked_ - central_seq, 0};
  auto after_central = env_.ReadBacklog(central_seq);  // held after each of the two positions
  auto after_acked = env_.ReadBacklog(acked_);
  if (after_central.ok() && after_acked.ok()) {
    behind.resent = after_central->events - after_acked->events;
    behind.pruned = acked_ - central_seq - behind.resent;
  }
  std::string text = "replication: central at " + endpoint() +
                     " is behind what it acknowledged: it is at seq " +
                     std::to_string(central_seq) + " of incarnation " + options_.incarnation +
                     " but had acknowledged seq " + std::to_string(acked_) +
                     " to this edge (restored from an older backup, a database failover that lost "
                     "its last commits, or a new empty database); re-sending " +
                     std::to_string(behind.resent) + " events this edge holds after seq " +
                     std::to_string(central_seq);
  if (behind.pruned > 0) {  // retention prunes a prefix: the first seqs after central's
    text += "; seqs " + std::to_string(central_seq + 1) + "-" +
            std::to_string(central_seq + behind.pruned) +
            " were pruned here (retention): central lacks those events for good";
  }
  common::LogWarning(text);
  status_.central_behind++;
  status_.last_behind = behind;
}

void ReplicationSession::OnError(const wire::Error& error, int64_t now) {
  if (error.code == "gap") {  // central's committed position is the authority
    if (error.incarnation != options_.incarnation) return;
    if (error.acked_seq < acked_) CentralWentBack(error.acked_seq);  // no reconnection
    Rewind(error.acked_seq);
    return;
  }
  if (error.code == "retry") {
    if (error.incarnation != options_.incarnation) return;
    Rewind(acked_);
    Stalled("central answered retry (" + error.message + ")", now);
    if (now >= resend_at_ms_) {  // not one of the window's other answers to the same failure
      retry_pause_ms_ = std::clamp<int64_t>(retry_pause_ms_ * 2, 500, 5000);
      resend_at_ms_ = now + retry_pause_ms_;
    }
    return SetError(std::string(kRetryError) + error.message);
  }
  if (error.code == "diverged") {
    if (error.incarnation == options_.incarnation) StartNewStream(error.message, now);
    return;
  }
  // Refused: say so, and ask again later (after an operator fixes the key or the stores file) —
  // or, with several centrals, ask the next one (unknown_stream only asks for a new hello).
  SetError("central refused this edge (" + error.code + "): " + error.message);
  welcomed_ = false;
  in_flight_.clear();
  next_hello_ms_ = now + (error.code == "unknown_stream" ? 0 : options_.hello_retry_max_ms);
  if (error.code != "unknown_stream") LeaveCentral("it refused this edge (" + error.code + ")");
  status_.welcomed = false;
  status_.refusals++;
}

void ReplicationSession::Rewind(int64_t new_acked) {
  acked_ = new_acked;
  if (confirmed_ > new_acked) confirmed_ = new_acked;  // central's position is the authority
  next_send_ = verify_from_ ? verify_from_ : acked_ + 1;
  in_flight_.clear();
}

void ReplicationSession::ReportError(const std::string& error) { SetError(error); }

void ReplicationSession::SetError(const std::string& error) {
  if (status_.last_error != error && !QuietOutage()) common::LogWarning(error);
  status_.last_error = error;
}

}  // namespace storepulse::edge
