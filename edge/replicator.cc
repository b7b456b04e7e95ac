#include "edge/replicator.h"

#include <SQLiteCpp/SQLiteCpp.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <mutex>

#include "common/protocol/message_rules.h"
#include "common/time_util.h"
#include "edge/central_link.h"
#include "edge/day_certifier.h"
#include "edge/event_store.h"
#include "edge/reference_store.h"

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

// The session's world: the link to the current central and the read-only database, the reference
// documents' receiver (its sink writes through the edge's writer) and the stock requests waiting
// for central. Everything but what `mu` and `stock_mu` guard, `confirmed` and `stopping` belongs
// to the replicator's thread.
struct Replicator::Impl final : SessionEnv, DocumentSink {
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
  void OnDocument(const wire::Document& part);
  void OnStockAnswer(const wire::StockAnswer& answer);
  void SendStockRequests();
  void ReadHeldTimes();

  // DocumentSink: on the edge's writer, one transaction each.
  common::Status StoreSnapshot(const std::string& kind, const std::string& version,
                               const common::DocumentRows& rows) override {
    const int64_t now = clock.NowMs();
    return options.write_reference([&](SQLite::Database& writer) {
      return edge::StoreSnapshot(writer, kind, version, rows, now);
    });
  }
  common::Status StoreDelta(const std::string& kind, const std::string& base_version,
                            const std::string& version,
                            const common::DocumentDelta& delta) override {
    const int64_t now = clock.NowMs();
    return options.write_reference([&](SQLite::Database& writer) {
      return edge::StoreDelta(writer, kind, base_version, version, delta, now);
    });
  }
  std::optional<std::map<std::string, std::string>> HeldDocuments() override {
    if (!receiver) return std::nullopt;
    return receiver->held();
  }

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

  std::unique_ptr<DocumentReceiver> receiver;  // null: this edge takes no document

  mutable std::mutex mu;
  SessionStatus published;            // guarded by mu: the session's status, for other threads
  std::atomic<int64_t> confirmed{0};  // ConfirmedSeq()
  std::map<std::string, HeldVersionTime> held_times;  // guarded by mu
  DocumentReceiverStatus receiver_status;             // guarded by mu

  // Stock requests (AskNetworkStock): queued by HTTP workers, sent by the replicator's thread,
  // answered by Receive.
  struct StockWait {
    bool sent = false;
    std::optional<wire::StockAnswer> answer;
    std::string failed;  // not empty: could not be sent
  };
  mutable std::mutex stock_mu;
  mutable std::condition_variable stock_cv;
  mutable int64_t next_request_id = 1;                  // guarded by stock_mu
  mutable std::deque<wire::StockRequest> stock_outbox;  // guarded by stock_mu
  mutable std::map<int64_t, StockWait> stock_waits;     // guarded by stock_mu
};

Replicator::Replicator(ReplicatorOptions options, std::function<EdgeVitals()> vitals,
                       NewIncarnation new_incarnation, const common::Clock& clock,
                       const common::Clock& ticks)
    : impl_(std::make_unique<Impl>(std::move(options), std::move(vitals),
                                   std::move(new_incarnation), clock, ticks)) {}

Replicator::~Replicator() { Stop(); }

common::Status Replicator::Start() {
  ASSIGN_OR_RETURN(impl_->db, OpenReadOnly(impl_->options.data_dir));
  if (impl_->options.write_reference) {
    try {
      impl_->receiver = std::make_unique<DocumentReceiver>(impl_->options.document_limits,
                                                           ReadHeldVersions(*impl_->db));
      impl_->ReadHeldTimes();
    } catch (const std::exception& e) {
      return common::Internal(std::string("cannot read the reference documents held: ") + e.what());
    }
  }
  common::Status started = impl_->session.Start(impl_->ticks.NowMs());
  impl_->Publish();
  RETURN_IF_ERROR(started);
  thread_ = std::thread([this] { impl_->Run(); });
  return common::OkStatus();
}

void Replicator::Stop() {
  {
    std::lock_guard lock(impl_->stock_mu);  // an HTTP worker waiting for central returns now
    impl_->stopping = true;
  }
  impl_->stock_cv.notify_all();
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
      // Parts staged on a connection that is gone: central starts again from part 0.
      if (receiver && !session.status().connected) receiver->Reset();
      SendStockRequests();
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

void Replicator::Impl::ReadHeldTimes() {
  std::map<std::string, HeldVersionTime> times = ReadHeldVersionTimes(*db);
  std::lock_guard lock(mu);
  held_times = std::move(times);
}

void Replicator::Impl::OnDocument(const wire::Document& part) {
  if (!receiver) return;  // never advertised: central sends none
  std::optional<wire::DocumentAck> ack = receiver->OnDocument(part, *this, clock.NowMs());
  if (!ack) return;
  if (ack->detail.empty()) ReadHeldTimes();  // committed: the read connection sees it
  Send(*ack);
}

void Replicator::Impl::OnStockAnswer(const wire::StockAnswer& answer) {
  if (!wire::CheckStockAnswer(answer).ok()) return;  // the asker times out
  std::lock_guard lock(stock_mu);
  auto wait = stock_waits.find(answer.request_id);
  if (wait == stock_waits.end()) return;  // too late: the asker gave up
  wait->second.answer = answer;
  stock_cv.notify_all();
}

void Replicator::Impl::SendStockRequests() {
  std::lock_guard lock(stock_mu);
  while (!stock_outbox.empty()) {
    wire::StockRequest request = std::move(stock_outbox.front());
    stock_outbox.pop_front();
    auto wait = stock_waits.find(request.request_id);
    if (wait == stock_waits.end()) continue;
    if (!session.status().welcomed || !session.status().central_network_stock) {
      wait->second.failed = "not connected to central";
    } else if (!Send(request)) {
      wait->second.failed = "central's connection is not up";
    }
    wait->second.sent = true;
    stock_cv.notify_all();
  }
}

common::StatusOr<nlohmann::json> Replicator::AskNetworkStock(const std::string& sku) const {
  {
    std::lock_guard lock(impl_->mu);
    if (!impl_->published.welcomed) {
      return common::Unavailable("not connected to central" +
                                 (impl_->published.last_error.empty()
                                      ? std::string()
                                      : " (" + impl_->published.last_error + ")"));
    }
    if (!impl_->published.central_network_stock) {
      return common::Unavailable("central does not answer stock requests (an older version)");
    }
  }
  std::unique_lock lock(impl_->stock_mu);
  if (impl_->stopping) return common::Unavailable("the edge is stopping");
  if (impl_->stock_waits.size() >= 64) {
    return common::Unavailable("too many network stock requests waiting for central");
  }
  const int64_t id = impl_->next_request_id++;
  impl_->stock_waits[id];
  impl_->stock_outbox.push_back({id, sku});
  const auto deadline =
      std::chrono::steady_clock::now() + std::chrono::milliseconds(impl_->options.stock_timeout_ms);
  impl_->stock_cv.wait_until(lock, deadline, [&] {
    const Impl::StockWait& wait = impl_->stock_waits[id];
    return wait.answer.has_value() || !wait.failed.empty() || impl_->stopping;
  });
  Impl::StockWait wait = std::move(impl_->stock_waits[id]);
  impl_->stock_waits.erase(id);
  lock.unlock();
  if (!wait.failed.empty()) return common::Unavailable(wait.failed);
  if (!wait.answer && impl_->stopping) return common::Unavailable("the edge is stopping");
  if (!wait.answer) {
    return common::Unavailable("central did not answer within " +
                               std::to_string(impl_->options.stock_timeout_ms) + " ms");
  }
  nlohmann::json body = nlohmann::json::parse(wait.answer->body, nullptr, false);
  if (body.is_discarded()) return common::Unavailable("central's answer is not JSON");
  if (wait.answer->status == 200) return body;
  const std::string error = body.is_object() ? body.value("error", std::string()) : "";
  if (wait.answer->status == 400) return common::InvalidArgument(error);
  return common::Unavailable("central answered " + std::to_string(wait.answer->status) + ": " +
                             error);
}

nlohmann::json Replicator::DocumentsJson(int64_t now_ms) const {
  std::lock_guard lock(impl_->mu);
  nlohmann::json held = nlohmann::json::array();
  for (const auto& [kind, time] : impl_->held_times) {
    held.push_back({{"kind", kind},
                    {"version", time.version},
                    {"received_at", common::FormatRfc3339Utc(time.received_ms)},
                    {"age_s", std::max<int64_t>(0, (now_ms - time.received_ms) / 1000)}});
  }
  const DocumentReceiverStatus& r = impl_->receiver_status;
  return {{"takes_documents", impl_->receiver != nullptr},
          {"central_sends", impl_->published.central_documents},
          {"held", std::move(held)},
          {"stored", r.stored},
          {"refused", r.refused},
          {"restarts", r.restarts},
          {"last_refusal",
           r.last_refusal.empty() ? nlohmann::json(nullptr) : nlohmann::json(r.last_refusal)},
          {"last_refusal_at", TimeOrNull(r.last_refusal_ms)}};
}

std::map<std::string, std::pair<std::string, int64_t>> Replicator::HeldDocuments() const {
  std::lock_guard lock(impl_->mu);
  std::map<std::string, std::pair<std::string, int64_t>> held;
  for (const auto& [kind, time] : impl_->held_times) held[kind] = {time.version, time.received_ms};
  return held;
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
    if (auto* part = std::get_if<wire::Document>(&*message)) {
      OnDocument(*part);
    } else if (auto* answer = std::get_if<wire::StockAnswer>(&*message)) {
      OnStockAnswer(*answer);
    } else {
      session.OnMessage(*message, ticks.NowMs());
    }
  }
}

void Replicator::Impl::Publish() {
  confirmed = session.confirmed_seq();
  std::lock_guard lock(mu);
  published = session.status();
  if (receiver) receiver_status = receiver->status();
}

}  // namespace storepulse::edge
