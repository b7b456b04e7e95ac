#include "edge/replicator.h"

#include <SQLiteCpp/SQLiteCpp.h>

#include <atomic>
#include <chrono>
#include <mutex>

#include "common/time_util.h"
#include "edge/central_link.h"
#include "edge/day_certifier.h"
#include "edge/event_store.h"

namespace storepulse::edge {

namespace wire = common::wire;

namespace {

nlohmann::json CentralBehindJson(const CentralBehind& b) {
  if (b.at_ms == 0) return nullptr;
  return {{"at", common::FormatRfc3339Utc(b.at_ms)},
          {"central", b.central},
          {"central_acked_seq", b.central_seq},
          {"acked_seq_before", b.acked_before},
          {"resent_events", b.resent},
          {"pruned_events", b.pruned}};
}

nlohmann::json TimeOrNull(int64_t ms) {
  return ms ? nlohmann::json(common::FormatRfc3339Utc(ms)) : nlohmann::json(nullptr);
}

}  // namespace

// The session's world: the link to the current central and the read-only database. Everything
// but `mu`, `published`, `confirmed` and `stopping` belongs to the replicator's thread.
struct Replicator::Impl final : SessionEnv {
  Impl(ReplicatorOptions o, std::function<EdgeVitals()> v, Replicator::NewIncarnation n,
       const common::Clock& c, const common::Clock& t)
      : options(std::move(o)),
        vitals(std::move(v)),
        new_incarnation(std::move(n)),
        clock(c),
        ticks(t),
        session(options.session, *this),
        published(session.status()) {}

  void Run();
  void Receive();
  void Publish();

  // SessionEnv.
  EdgeVitals Vitals() override { return vitals(); }
  int64_t WallClockMs() override { return clock.NowMs(); }
  common::StatusOr<int64_t> ReadBodies(int64_t first_seq, size_t max_events, size_t max_bytes,
                                       std::vector<std::string>* bodies) override {
    return edge::ReadBodies(*db, first_seq, max_events, max_bytes, bodies);
  }
  common::StatusOr<Backlog> ReadBacklog(int64_t acked_seq) override {
    return edge::ReadBacklog(*db, acked_seq);
  }
  common::StatusOr<std::string> NewIncarnation(const std::string& reason) override {
    return new_incarnation(reason);
  }
  std::vector<wire::SilentSource> SilentSources() override {
    return options.silent_sources ? options.silent_sources() : std::vector<wire::SilentSource>{};
  }
  common::Status OpenLink(const CentralEndpoint& central, int64_t handshake_limit_ms) override {
    ASSIGN_OR_RETURN(link, CentralLink::Open({central.endpoint, central.public_key, options.keys,
                                              handshake_limit_ms}));
    return common::OkStatus();
  }
  void CloseLink() override { link.reset(); }
  void Reconnect() override { link->Reconnect(); }
  bool Send(const wire::Message& message) override {
    return link && link->Send(wire::Encode(message));
  }

  const ReplicatorOptions options;
  std::function<EdgeVitals()> vitals;
  Replicator::NewIncarnation new_incarnation;
  const common::Clock& clock;  // instants: the heartbeat's clock, times shown in the status
  const common::Clock& ticks;  // the session's `now`: intervals only (monotonic)
  std::unique_ptr<SQLite::Database> db;
  std::unique_ptr<CentralLink> link;  // null between two centrals
  ReplicationSession session;
  std::atomic<bool> stopping{false};

  mutable std::mutex mu;
  SessionStatus published;            // guarded by mu: the session's status, for other threads
  std::atomic<int64_t> confirmed{0};  // ConfirmedSeq()
};

Replicator::Replicator(ReplicatorOptions options, std::function<EdgeVitals()> vitals,
                       NewIncarnation new_incarnation, const common::Clock& clock,
                       const common::Clock& ticks)
    : impl_(std::make_unique<Impl>(std::move(options), std::move(vitals),
                                   std::move(new_incarnation), clock, ticks)) {}

Replicator::~Replicator() { Stop(); }

common::Status Replicator::Start() {
  ASSIGN_OR_RETURN(impl_->db, OpenReadOnly(impl_->options.data_dir));
  common::Status started = impl_->session.Start(impl_->ticks.NowMs());
  impl_->Publish();
  RETURN_IF_ERROR(started);
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
  for (const CentralEndpoint& central : impl_->options.session.centrals) {
    centrals.push_back(central.endpoint);
  }
  std::lock_guard lock(impl_->mu);
  const SessionStatus& s = impl_->published;
  return {{"configured", true},
          {"central", s.central},
          {"centrals", centrals},
          {"failovers", s.failovers},
          {"connected", s.connected},
          {"streaming", s.welcomed},
          {"acked_seq", s.acked_seq},
          {"backlog_events", s.backlog.events},
          {"backlog_value", s.backlog.value},
          {"oldest_unsent", TimeOrNull(s.backlog.oldest_received_ms)},
          {"last_ack", TimeOrNull(s.last_ack_ms)},
          {"central_clock_offset_s", s.central_clock_offset_ms / 1000},
          {"stream_restarts", s.stream_restarts},
          {"central_behind", s.central_behind},
          {"last_central_behind", CentralBehindJson(s.last_behind)},
          {"last_error", s.last_error.empty() ? nlohmann::json(nullptr) : nlohmann::json(s.last_error)}};
}

ReplicationState Replicator::State() const {
  std::lock_guard lock(impl_->mu);
  const SessionStatus& s = impl_->published;
  return {s.connected,          s.welcomed,          s.acked_seq,
          s.backlog.events,     s.backlog.value,     s.backlog.oldest_received_ms,
          s.last_ack_ms,        s.failovers,         s.stream_restarts};
}

void Replicator::Impl::Run() {
  while (!stopping) {
    try {
      if (link) {
        for (const LinkEvent& event : link->TakeEvents()) session.OnLinkEvent(event, ticks.NowMs());
      }
      session.Step(ticks.NowMs());
      if (options.day_certifier) {
        const SessionStatus& s = session.status();
        options.day_certifier->Step(clock.NowMs(), s.welcomed, s.acked_seq,
                                    [this](const wire::Message& m) { return Send(m); });
      }
      if (!link) {
        std::this_thread::sleep_for(std::chrono::milliseconds(20));  // between two centrals
      } else if (link->WaitReadable(20)) {
        Receive();
      }
    } catch (const std::exception& e) {
      session.ReportError(std::string("replication: ") + e.what());
    }
    Publish();
  }
}

void Replicator::Impl::Receive() {
  for (int i = 0; i < 1000; ++i) {
    std::optional<std::string> frame = link->Receive();
    if (!frame) return;
    auto message = wire::Decode(*frame);
    if (!message.ok()) {
      session.ReportError("unreadable message from central: " + message.status().message());
      continue;
    }
    if (options.day_certifier) options.day_certifier->OnMessage(*message, clock.NowMs());
    session.OnMessage(*message, ticks.NowMs());
  }
}

void Replicator::Impl::Publish() {
  confirmed = session.confirmed_seq();
  std::lock_guard lock(mu);
  published = session.status();
}

}  // namespace storepulse::edge
