#include "edge/replicator.h"

#include <algorithm>
#include <chrono>
#include <string_view>

#include <SQLiteCpp/SQLiteCpp.h>

#include "common/log.h"
#include "common/protocol/message_rules.h"
#include "edge/replicator_impl.h"

namespace storepulse::edge {

namespace wire = common::wire;

namespace {

// The start of last_error while central answers retry (cannot store); cleared by the next ack.
constexpr std::string_view kRetryError = "central answered retry: ";

nlohmann::json CentralBehindJson(const CentralBehind& b) {
  if (b.at_ms == 0) return nullptr;
  return {{"at", common::FormatRfc3339Utc(b.at_ms)},
          {"central", b.central},
          {"central_acked_seq", b.central_seq},
          {"acked_seq_before", b.acked_before},
          {"resent_events", b.resent},
          {"pruned_events", b.pruned}};
}

}  // namespace

Replicator::Impl::Impl(ReplicatorOptions o, std::function<EdgeVitals()> v, NewIncarnation n,
                       const common::Clock& c, const common::Clock& t)
    : options(std::move(o)),
      vitals(std::move(v)),
      new_incarnation(std::move(n)),
      clock(c),
      ticks(t),
      rotation(options.centrals.size(), {500, options.hello_retry_max_ms}) {
  shared.central = options.centrals.empty() ? "" : options.centrals.front().endpoint;
}

Replicator::Replicator(ReplicatorOptions options, std::function<EdgeVitals()> vitals,
                       NewIncarnation new_incarnation, const common::Clock& clock,
                       const common::Clock& ticks)
    : impl_(std::make_unique<Impl>(std::move(options), std::move(vitals),
                                   std::move(new_incarnation), clock, ticks)) {}

Replicator::~Replicator() { Stop(); }

common::Status Replicator::Start() {
  RETURN_IF_ERROR(impl_->Connect());
  thread_ = std::thread([this] { impl_->Run(); });
  return common::OkStatus();
}

void Replicator::Stop() {
  impl_->stopping = true;
  if (thread_.joinable()) thread_.join();
}

int64_t Replicator::ConfirmedSeq() const { return impl_->confirmed; }

nlohmann::json Replicator::Status() const {
  nlohmann::json centrals = nlohmann::json::array();
  for (const CentralEndpoint& central : impl_->options.centrals) {
    centrals.push_back(central.endpoint);
  }
  std::lock_guard lock(impl_->mu);
  const Shared& s = impl_->shared;
  return {{"configured", true},
          {"central", s.central},
          {"centrals", centrals},
          {"failovers", s.failovers},
          {"connected", s.connected},
          {"streaming", s.welcomed},
          {"acked_seq", s.acked_seq},
          {"backlog_events", s.backlog.events},
          {"backlog_value", s.backlog.value},
          {"oldest_unsent", s.backlog.oldest_received_ms
                                ? nlohmann::json(common::FormatRfc3339Utc(s.backlog.oldest_received_ms))
                                : nlohmann::json(nullptr)},
          {"last_ack", s.last_ack_ms ? nlohmann::json(common::FormatRfc3339Utc(s.last_ack_ms))
                                     : nlohmann::json(nullptr)},
          {"central_clock_offset_s", s.central_clock_offset_ms / 1000},
          {"stream_restarts", s.stream_restarts},
          {"central_behind", s.central_behind},
          {"last_central_behind", CentralBehindJson(s.last_behind)},
          {"last_error", s.last_error.empty() ? nlohmann::json(nullptr) : nlohmann::json(s.last_error)}};
}

ReplicationState Replicator::State() const {
  std::lock_guard lock(impl_->mu);
  const Shared& s = impl_->shared;
  return {s.connected,          s.welcomed,          s.acked_seq,
          s.backlog.events,     s.backlog.value,     s.backlog.oldest_received_ms,
          s.last_ack_ms,        s.failovers,         s.stream_restarts};
}

common::Status Replicator::Impl::Connect() {
  auto opened = OpenReadOnly(options.data_dir);
  if (!opened.ok()) return opened.status();
  db = std::move(opened).value();
  if (options.centrals.empty()) return common::InvalidArgument("no central to replicate to");
  return OpenLink(ticks.NowMs());
}

void Replicator::Impl::Run() {
  while (!stopping) {
    try {
      if (link) {
        for (const LinkEvent& event : link->TakeEvents()) OnLinkEvent(event, ticks.NowMs());
      }
      Step(ticks.NowMs());
      if (!link) {
        std::this_thread::sleep_for(std::chrono::milliseconds(20));  // between two centrals
      } else if (link->WaitReadable(20)) {
        Receive(ticks.NowMs());
      }
    } catch (const std::exception& e) {
      SetError(std::string("replication: ") + e.what());
    }
  }
}

void Replicator::Impl::Step(int64_t now) {
  if (!StepLink(now)) return;
  if (connected && !welcomed && now >= next_hello_ms) SendHello(now);
  if (welcomed) {
    if (!in_flight.empty() && now - in_flight.front().sent_ms > options.ack_timeout_ms) {
      common::LogWarning("no ack from central for " + std::to_string(options.ack_timeout_ms) +
                         " ms: resending from seq " +
                         std::to_string(verify_from ? verify_from : acked + 1));
      Rewind(acked);
      Stalled("no ack in time", now);
    }
    FillWindow(now);
  }
  if (now - last_heartbeat_ms >= options.heartbeat_ms) SendHeartbeat(now);
}

bool Replicator::Impl::Send(const wire::Message& message) {
  return link->Send(wire::Encode(message));
}

void Replicator::Impl::SendHello(int64_t now) {
  Send(wire::Hello{options.store, options.incarnation, vitals().last_seq, STOREPULSE_VERSION});
  next_hello_ms = now + hello_backoff_ms;
  hello_backoff_ms = std::min(hello_backoff_ms * 2, options.hello_retry_max_ms);
}

void Replicator::Impl::FillWindow(int64_t now) {
  int64_t last_seq = vitals().last_seq;
  const size_t window = verify_from ? 1 : options.window;
  if (now < resend_at_ms) return;  // central answered retry: give it a moment
  while (in_flight.size() < window && next_send <= last_seq) {
    wire::Batch batch{options.incarnation, next_send, {}};
    auto first =
        ReadBodies(*db, next_send, options.batch_events, options.batch_bytes, &batch.events);
    if (!first.ok()) return SetError(first.status().message());
    if (batch.events.empty()) return;
    if (*first != next_send) {  // retention pruned next_send…: central need not wait for them
      batch.first_seq = *first;
      batch.pruned_to = *first - 1;
    }
    int64_t last = batch.first_seq + static_cast<int64_t>(batch.events.size()) - 1;
    if (!Send(batch)) return;  // not connected right now; the next step tries again
    in_flight.push_back(InFlight{batch.first_seq, last, now});
    next_send = last + 1;
  }
}

void Replicator::Impl::SendHeartbeat(int64_t now) {
  last_heartbeat_ms = now;
  EdgeVitals v = vitals();
  auto backlog = ReadBacklog(*db, acked);
  if (!backlog.ok()) return SetError(backlog.status().message());
  {
    std::lock_guard lock(mu);
    shared.backlog = *backlog;
  }
  wire::Heartbeat beat;
  const int64_t wall = clock.NowMs();
  beat.clock_ms = wall;
  beat.last_seq = v.last_seq;
  beat.acked_seq = acked;
  beat.backlog_events = backlog->events;
  beat.backlog_value = backlog->value;
  // Never negative, even when the clock stepped back after the oldest event was stored.
  beat.oldest_unsent_age_ms =
      backlog->oldest_received_ms ? std::max<int64_t>(0, wall - backlog->oldest_received_ms) : 0;
  beat.disk_free_bytes = v.disk_free_bytes;
  beat.disk_accepting = v.disk_accepting;
  beat.version = STOREPULSE_VERSION;
  if (options.silent_sources) beat.silent_sources = options.silent_sources();
  Send(beat);
}

void Replicator::Impl::Receive(int64_t now) {
  for (int i = 0; i < 1000; ++i) {
    std::optional<std::string> frame = link->Receive();
    if (!frame) return;
    auto message = wire::Decode(*frame);
    if (!message.ok()) {
      SetError("unreadable message from central: " + message.status().message());
      continue;
    }
    Handle(*message, now);
  }
}

void Replicator::Impl::Handle(const wire::Message& message, int64_t now) {
  if (auto* welcome = std::get_if<wire::Welcome>(&message)) {
    if (common::Status valid = wire::CheckWelcome(*welcome); !valid.ok()) {
      return SetError("central sent an invalid message: " + valid.message());
    }
    if (welcome->incarnation == options.incarnation) OnWelcome(*welcome, now);
  } else if (auto* ack = std::get_if<wire::Ack>(&message)) {
    OnAck(*ack, now);
  } else if (auto* error = std::get_if<wire::Error>(&message)) {
    OnError(*error, now);
  } else if (auto* beat = std::get_if<wire::Heartbeat>(&message)) {
    if (!wire::CheckHeartbeat(*beat).ok()) return;  // an absurd clock is not an offset to show
    std::lock_guard lock(mu);
    shared.central_clock_offset_ms = beat->clock_ms - clock.NowMs();
  }
}

void Replicator::Impl::OnAck(const wire::Ack& ack, int64_t now) {
  // An ack equal to ours still retires the batches it covers: the tail resent for checking.
  if (ack.incarnation != options.incarnation || ack.acked_seq < acked) return;
  stalled_since_ms = 0;
  if (ack.acked_seq > acked) {  // central applied new events
    CentralWorks();
    retry_pause_ms = 0;
    std::lock_guard lock(mu);
    if (shared.last_error.rfind(kRetryError, 0) == 0) shared.last_error.clear();
  }
  acked = ack.acked_seq;
  int64_t retired_to = 0;  // the last seq of the batches this ack retires
  while (!in_flight.empty() && in_flight.front().last_seq <= acked) {
    retired_to = in_flight.front().last_seq;
    in_flight.pop_front();
  }
  if (retired_to != 0) {
    if (verify_from) verify_from = retired_to >= verify_to ? 0 : retired_to + 1;  // checked
    if (!in_flight.empty()) in_flight.front().sent_ms = now;  // progress: restart its timer
  }
  if (welcomed && verify_from == 0) confirmed = acked;
  std::lock_guard lock(mu);
  shared.acked_seq = acked;
  shared.last_ack_ms = clock.NowMs();
}

void Replicator::Impl::OnWelcome(const wire::Welcome& welcome, int64_t now) {
  int64_t last_seq = vitals().last_seq;
  if (welcome.acked_seq > last_seq) {
    return StartNewStream("central acknowledged seq " + std::to_string(welcome.acked_seq) +
                              " of incarnation " + options.incarnation +
                              " but this database ends at seq " + std::to_string(last_seq),
                          now);
  }
  // `acked` is the last position central gave this stream (kept across reconnections): a welcome
  // below it means central lost what it acknowledged. Once per occurrence: after it, `acked` is
  // central's new position, which a later welcome of the same re-send does not fall below.
  if (welcome.acked_seq < acked) CentralWentBack(welcome.acked_seq, now);
  // Central holds every event: nothing will be acknowledged to tell that it works, so this does
  // (an idle store's edge must not stay in an outage's back-off after a failover).
  if (welcome.acked_seq == last_seq) CentralWorks();
  welcomed = true;
  confirmed = 0;  // until central has checked the tail
  hello_backoff_ms = 500;
  last_heartbeat_ms = 0;  // tell central our backlog at once
  // Resend the tail central acknowledged: it checks that those seqs still hold the same ids.
  verify_from = welcome.acked_seq > 0
                    ? std::max<int64_t>(1, welcome.acked_seq - options.verify_events + 1)
                    : 0;
  verify_to = welcome.acked_seq;
  Rewind(welcome.acked_seq);
  std::lock_guard lock(mu);
  shared.welcomed = true;
  if (acked == 0) shared.acked_seq = 0;  // otherwise published by the ack of the checked tail
  shared.last_error.clear();
  shared.central_clock_offset_ms = welcome.clock_ms - clock.NowMs();
}

// The database lost commits central had acknowledged: its seqs now name other events. Streaming
// on would make central skip them as replays, so start over as a new stream.
void Replicator::Impl::StartNewStream(const std::string& why, int64_t now) {
  std::string reason = why +
                       ": the database lost commits (restored from a backup, torn WAL, or a "
                       "power cut with durability=normal)";
  welcomed = false;
  confirmed = 0;
  in_flight.clear();
  auto renewed = new_incarnation(reason);
  if (!renewed.ok()) {
    next_hello_ms = now + options.hello_retry_max_ms;
    return SetError(reason + "; cannot start a new stream: " + renewed.status().message());
  }
  common::LogWarning("replication: " + reason + ". Streaming the whole database again as " +
                     "incarnation " + *renewed + " (was " + options.incarnation +
                     "); central counts only the events it does not have.");
  options.incarnation = *renewed;
  verify_from = 0;
  Rewind(0);
  next_hello_ms = 0;
  hello_backoff_ms = 500;
  std::lock_guard lock(mu);
  shared.welcomed = false;
  shared.acked_seq = 0;
  shared.stream_restarts++;
}

// Central is behind what it acknowledged (restored from an older backup, a database failover that
// lost its last commits, a new empty database): the stream goes on from central's position, which
// re-sends every acknowledged event still held. Retention cannot prune them meanwhile: it goes
// only up to `confirmed`, which Rewind brings down to central's position.
void Replicator::Impl::CentralWentBack(int64_t central_seq, int64_t /*now*/) {
  CentralBehind behind{clock.NowMs(), endpoint(), central_seq, acked, acked - central_seq, 0};
  auto after_central = ReadBacklog(*db, central_seq);  // held after each of the two positions
  auto after_acked = ReadBacklog(*db, acked);
  if (after_central.ok() && after_acked.ok()) {
    behind.resent = after_central->events - after_acked->events;
    behind.pruned = acked - central_seq - behind.resent;
  }
  std::string text = "replication: central at " + endpoint() +
                     " is behind what it acknowledged: it is at seq " +
                     std::to_string(central_seq) + " of incarnation " + options.incarnation +
                     " but had acknowledged seq " + std::to_string(acked) +
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
  std::lock_guard lock(mu);
  shared.central_behind++;
  shared.last_behind = behind;
}

void Replicator::Impl::OnError(const wire::Error& error, int64_t now) {
  if (error.code == "gap") {  // central's committed position is the authority
    if (error.incarnation != options.incarnation) return;
    if (error.acked_seq < acked) CentralWentBack(error.acked_seq, now);  // without a reconnection
    Rewind(error.acked_seq);
    return;
  }
  if (error.code == "retry") {
    if (error.incarnation != options.incarnation) return;
    Rewind(acked);
    Stalled("central answered retry (" + error.message + ")", now);
    if (now >= resend_at_ms) {  // not one of the window's other answers to the same failure
      retry_pause_ms = std::clamp<int64_t>(retry_pause_ms * 2, 500, 5000);
      resend_at_ms = now + retry_pause_ms;
    }
    return SetError(std::string(kRetryError) + error.message);
  }
  if (error.code == "diverged") {
    if (error.incarnation == options.incarnation) StartNewStream(error.message, now);
    return;
  }
  // Refused: say so, and ask again later (after an operator fixes the key or the stores file) —
  // or, with several centrals, ask the next one (unknown_stream only asks for a new hello).
  SetError("central refused this edge (" + error.code + "): " + error.message);
  welcomed = false;
  in_flight.clear();
  next_hello_ms = now + (error.code == "unknown_stream" ? 0 : options.hello_retry_max_ms);
  if (error.code != "unknown_stream") LeaveCentral("it refused this edge (" + error.code + ")");
  std::lock_guard lock(mu);
  shared.welcomed = false;
  shared.refusals++;
}

void Replicator::Impl::Rewind(int64_t new_acked) {
  acked = new_acked;
  if (confirmed > new_acked) confirmed = new_acked;  // central's position is the authority
  next_send = verify_from ? verify_from : acked + 1;
  in_flight.clear();
}

void Replicator::Impl::SetError(const std::string& error) {
  std::lock_guard lock(mu);
  if (shared.last_error != error && !QuietOutage()) common::LogWarning(error);
  shared.last_error = error;
}

}  // namespace storepulse::edge
