#include "central/replication_server.h"

#include <zmq_addon.hpp>

#include "common/event_codec.h"
#include "common/event_validator.h"
#include "common/log.h"
#include "common/protocol/message_rules.h"

namespace storepulse::central {

namespace wire = common::wire;

namespace {
// Back-pressure towards the edges: decoded events waiting for the writer, about a second of its
// work. Beyond it, backlogs wait on the edges' disks rather than in central's memory.
constexpr int64_t kMaxEventsInFlight = 100'000;
constexpr int64_t kMaxFrameBytes = 32 << 20;
constexpr int64_t kEdgeClockSkewMs = 7LL * 24 * 3600 * 1000;

// Decodes one replicated event of `store`'s stream, or says why central refuses it (nothing of
// the batch is then stored). The edge validated it already; central checks again so that a
// hostile edge can neither store garbage nor overflow the sums. The edge's clock may run ahead of
// central's: a week of skew is allowed on top of the 24 h rule (refusing would stall the stream).
Refusal Vet(const std::string& body, const std::string& store, int64_t now_ms,
            common::Event* out) {
  auto event = common::DecodeStored(body);
  if (!event.ok()) return {"malformed", "", "", "", "undecodable event: " + event.status().message()};
  if (!event->store.empty() && event->store != store) {
    return {"wrong_store", "", "", "",
            "event " + event->id + " names store " + event->store + "; nothing stored"};
  }
  common::Status valid = common::ValidateEvent(*event, {store, now_ms, kEdgeClockSkewMs});
  if (!valid.ok()) {
    return {"malformed", "", "", "", "invalid event " + event->id + ": " + valid.message()};
  }
  *out = std::move(event).value();
  return {};
}
}  // namespace

ReplicationServer::ReplicationServer(zmq::context_t& context, DirectoryFn directory,
                                     BatchApplier& applier, LogStore& store, Fleet& fleet,
                                     Refusals& refusals, StorageState& storage,
                                     const common::Clock& clock)
    : context_(context),
      directory_(std::move(directory)),
      applier_(applier),
      store_(store),
      fleet_(fleet),
      refusals_(refusals),
      storage_(storage),
      clock_(clock) {}

ReplicationServer::~ReplicationServer() { Stop(); }

common::Status ReplicationServer::Start(const std::string& endpoint,
                                        const std::string& secret_key) {
  try {
    socket_ = std::make_unique<zmq::socket_t>(context_, zmq::socket_type::router);
    socket_->set(zmq::sockopt::curve_server, 1);
    socket_->set(zmq::sockopt::curve_secretkey, secret_key);
    socket_->set(zmq::sockopt::zap_domain, "storepulse");
    socket_->set(zmq::sockopt::maxmsgsize, kMaxFrameBytes);
    socket_->set(zmq::sockopt::linger, 0);
    socket_->set(zmq::sockopt::rcvhwm, 100'000);
    socket_->set(zmq::sockopt::sndhwm, 100'000);
    socket_->bind(endpoint);
  } catch (const zmq::error_t& e) {
    return common::Unavailable("cannot bind the replication endpoint " + endpoint + ": " +
                               e.what());
  }
  thread_ = std::thread([this] { Run(); });
  return common::OkStatus();
}

void ReplicationServer::Stop() {
  if (!thread_.joinable()) return;
  stopping_ = true;
  replies_.Wake();
  thread_.join();
  socket_.reset();
}

void ReplicationServer::Run() {
  while (!stopping_ || in_flight_ > 0) {
    bool accept_more = !stopping_ && in_flight_events_ < kMaxEventsInFlight;
    zmq::pollitem_t items[] = {{nullptr, replies_.fd(), ZMQ_POLLIN, 0},
                               {socket_->handle(), 0, ZMQ_POLLIN, 0}};
    try {
      zmq::poll(items, accept_more ? 2 : 1, std::chrono::milliseconds(500));
      if (items[0].revents & ZMQ_POLLIN) {
        for (common::Frames& reply : replies_.Drain()) common::SendFrames(*socket_, reply);
      }
      // Drain what is readable now, a bounded number, then look at the replies again.
      for (int i = 0; accept_more && i < 256 && in_flight_events_ < kMaxEventsInFlight; ++i) {
        zmq::multipart_t request;
        if (!request.recv(*socket_, ZMQ_DONTWAIT)) break;
        if (request.size() == 2) Handle(request[0], request[1]);
      }
    } catch (const zmq::error_t& e) {
      common::LogWarning(std::string("replication socket: ") + e.what());
    }
  }
}

void ReplicationServer::Handle(zmq::message_t& identity, zmq::message_t& payload) {
  std::string peer = identity.to_string();
  std::string user;
  try {
    user = payload.gets("User-Id");  // the store the ZAP handler matched to the CURVE key
  } catch (const zmq::error_t&) {
    return;  // no authenticated identity: cannot happen behind ZAP; ignore
  }
  fleet_.Seen(user, clock_.NowMs());
  auto message = wire::Decode(payload.to_string_view());
  if (!message.ok()) {
    std::string code = message.status().code() == common::StatusCode::kFailedPrecondition
                           ? "version" : "malformed";
    return Refuse(peer, user, code, message.status().message(), "", 0);
  }
  if (auto* hello = std::get_if<wire::Hello>(&*message)) return OnHello(peer, user, *hello);
  if (auto* batch = std::get_if<wire::Batch>(&*message)) return OnBatch(peer, user, *batch);
  if (auto* beat = std::get_if<wire::Heartbeat>(&*message)) return OnHeartbeat(peer, user, *beat);
  Refuse(peer, user, "malformed", "unexpected message type from an edge", "", 0);
}

void ReplicationServer::OnHello(const std::string& peer, const std::string& user,
                                const wire::Hello& m) {
  if (m.store != user) {
    return Refuse(peer, user, "wrong_store",
                  "the key of store " + user + " cannot send for store " + m.store, m.incarnation,
                  0);
  }
  if (common::Status valid = wire::CheckHello(m); !valid.ok()) {
    return Refuse(peer, user, "malformed", valid.message(), "", 0);
  }
  auto directory = directory_();
  const StoreEntry* entry = directory->FindByStore(user);
  if (entry == nullptr) {
    return Refuse(peer, user, "unknown_stream", "store not in the stores file", m.incarnation, 0);
  }
  for (auto it = sessions_.begin(); it != sessions_.end();) {  // one live session per store
    it = it->second.stream.store == user ? sessions_.erase(it) : std::next(it);
  }
  StreamKey stream{user, m.incarnation};
  sessions_[peer] = Session{stream, &entry->zone, entry->region, directory};
  fleet_.Hello(user, m, clock_.NowMs());
  // The welcome tells the edge where to resume: never a position central could not read now (a
  // stale one would make the edge resend, or take central for behind what it acknowledged).
  // Unanswered, the edge says hello again, here or to the next central.
  const std::optional<int64_t> position = store_.FreshAckedSeq(stream);
  if (!position) {
    if (!hellos_unanswered_) {  // once per outage, not per hello
      common::LogWarning("hellos not answered while the streams' positions cannot be read (store " +
                         user + " first); the edges say hello again");
    }
    hellos_unanswered_ = true;
    return;
  }
  hellos_unanswered_ = false;
  const int64_t acked = *position;
  if (m.last_seq < acked) {  // the edge starts a new incarnation on this welcome (SPEC §4)
    RolledBack(user, "the edge's database ends at seq " + std::to_string(m.last_seq) +
                         " but central acknowledged seq " + std::to_string(acked) +
                         " of incarnation " + m.incarnation);
  }
  fleet_.Applied(user, acked, 0, clock_.NowMs());
  Reply(peer, wire::Welcome{m.incarnation, acked, clock_.NowMs()});
}

void ReplicationServer::OnBatch(const std::string& peer, const std::string& user,
                                wire::Batch& m) {
  auto session = sessions_.find(peer);
  if (session == sessions_.end() || session->second.stream.incarnation != m.incarnation) {
    return Refuse(peer, user, "unknown_stream", "batch before hello: say hello again",
                  m.incarnation, 0);
  }
  if (common::Status valid = wire::CheckBatch(m); !valid.ok()) {
    return Refuse(peer, user, "malformed", valid.message(), m.incarnation,
                  store_.AckedSeq(session->second.stream));
  }
  // Central's disk is full: turned away before decoding, the edge waits and sends it again.
  if (std::string full = storage_.TurnAway(clock_.NowMs()); !full.empty()) {
    return Reply(peer, wire::Error{"retry", full, m.incarnation, 0});
  }
  const Session& live = session->second;
  StreamBatch batch{live.stream, m.first_seq, {}, m.pruned_to, live.zone};
  batch.events.reserve(m.events.size());
  for (const std::string& body : m.events) {
    common::Event event;
    if (Refusal why = Vet(body, user, clock_.NowMs(), &event); !why.reason.empty()) {
      return Refuse(peer, user, why.reason, why.detail, m.incarnation,
                    store_.AckedSeq(batch.stream));
    }
    batch.events.push_back(std::move(event));
  }
  const int64_t events = static_cast<int64_t>(batch.events.size());
  ++in_flight_;
  in_flight_events_ += events;
  auto directory = session->second.directory;  // keeps the zone alive until applied
  applier_.Submit(std::move(batch), [this, peer, user, directory, events, stream = live.stream,
                                     incarnation = m.incarnation, pruned_to = m.pruned_to](
                                        common::StatusOr<ApplyOutcome> outcome) {
    --in_flight_;
    in_flight_events_ -= events;
    if (!outcome.ok()) {
      ApplyFailed(user, outcome.status());
      Reply(peer, wire::Error{"retry", "central is not storing: " + outcome.status().message(),
                              incarnation, 0});
      return;
    }
    if (outcome->applied > 0) {
      if (std::string ended = storage_.Stored(clock_.NowMs()); !ended.empty()) {
        common::LogInfo(ended);
      }
    }
    fleet_.Applied(user, outcome->acked_seq, outcome->applied, clock_.NowMs());
    if (outcome->passed_pruned > 0) {
      PassedPruned(user, incarnation, pruned_to - outcome->passed_pruned + 1, pruned_to);
    }
    if (!outcome->diverged.empty()) {
      RolledBack(user, outcome->diverged);
      refusals_.Record({"diverged", "", user, "", outcome->diverged, 0, 0}, clock_.NowMs());
      Reply(peer, wire::Error{"diverged", outcome->diverged + "; start a new incarnation",
                              incarnation, outcome->acked_seq});
    } else if (outcome->busy) {  // another central has it: resend in a moment, here or there
      Reply(peer, wire::Error{"retry", "another central is applying this store's stream",
                              incarnation, outcome->acked_seq});
    } else if (outcome->gap) {
      Reply(peer, wire::Error{"gap", "resume after the acknowledged seq", incarnation,
                              outcome->acked_seq});
    } else {
      Reply(peer, wire::Ack{incarnation, outcome->acked_seq});
    }
  });
}

void ReplicationServer::OnHeartbeat(const std::string& peer, const std::string& user,
                                    const wire::Heartbeat& m) {
  if (common::Status valid = wire::CheckHeartbeat(m); !valid.ok()) {
    // Counted, not shown and not answered: an edge whose clock is off must keep streaming.
    refusals_.Record({"malformed", "", user, "", valid.message() + "; not shown in the fleet", 0,
                      0},
                     clock_.NowMs());
    return;
  }
  int64_t now = clock_.NowMs();
  fleet_.Heartbeat(user, m, now);
  wire::Heartbeat answer;
  answer.clock_ms = now;
  auto session = sessions_.find(peer);
  if (session != sessions_.end()) {
    const StreamKey& stream = session->second.stream;
    // Below what the edge was acknowledged, the record lost commits (restored from a backup, a
    // PostgreSQL failover, recreated): a gap makes the edge resend from the record's position.
    // An idle edge would otherwise never find out.
    const std::optional<int64_t> record = store_.FreshAckedSeq(stream);
    if (record && *record < m.acked_seq) {
      common::LogWarning("store " + user + ", incarnation " + stream.incarnation +
                         ": the database holds the stream up to seq " + std::to_string(*record) +
                         " but the edge was acknowledged seq " + std::to_string(m.acked_seq) +
                         ": asking it to resend from there");
      return Reply(peer, wire::Error{"gap", "central's database is behind what it acknowledged",
                                     stream.incarnation, *record});
    }
    answer.acked_seq = record ? *record : store_.AckedSeq(stream);
  }
  Reply(peer, answer);
}

void ReplicationServer::ApplyFailed(const std::string& store, const common::Status& status) {
  // Every edge sends again while it lasts: each distinct failure once, not once per batch.
  if (storage_.Failed(status, clock_.NowMs())) {
    common::LogError("cannot apply a batch of store " + store + ": " + status.message() +
                     ". Central is not storing: the edges keep their events and send them again "
                     "until a write succeeds (said once while it lasts)");
  }
}

void ReplicationServer::RolledBack(const std::string& store, const std::string& detail) {
  common::LogWarning("store " + store + ": its stream went backwards: " + detail +
                     ". Its edge lost commits (restored backup, torn WAL, power cut) and starts a "
                     "new incarnation; the events central acknowledged stay counted.");
  fleet_.StreamRolledBack(store, detail, clock_.NowMs());
}

void ReplicationServer::PassedPruned(const std::string& store, const std::string& incarnation,
                                     int64_t from, int64_t to) {
  common::LogWarning(
      "store " + store + ", incarnation " + incarnation + ": seqs " + std::to_string(from) + "-" +
      std::to_string(to) +
      " were pruned at the edge (retention) before this stream delivered them; central moved past "
      "them. Expected when the edge started a new incarnation (central holds them from the "
      "earlier one); otherwise central's database is older than the edge's retention (restored "
      "from a backup) and lacks them.");
}

void ReplicationServer::Reply(const std::string& peer, const wire::Message& message) {
  common::Frames frames;
  frames.emplace_back(peer.data(), peer.size());
  std::string bytes = wire::Encode(message);
  frames.emplace_back(bytes.data(), bytes.size());
  replies_.Post(std::move(frames));
}

void ReplicationServer::Refuse(const std::string& peer, const std::string& store,
                               const std::string& code, const std::string& detail,
                               const std::string& incarnation, int64_t acked) {
  refusals_.Record({code, "", store, "", detail, 0, 0}, clock_.NowMs());
  Reply(peer, wire::Error{code, detail, incarnation, acked});
}

}  // namespace storepulse::central
