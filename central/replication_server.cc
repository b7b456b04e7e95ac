#include "central/replication_server.h"

#include <zmq_addon.hpp>

#include "central/day_signoff.h"
#include "common/log.h"

namespace storepulse::central {

namespace wire = common::wire;

namespace {
// Back-pressure towards the edges: decoded events waiting for the writer, about a second of its
// work. Beyond it, backlogs wait on the edges' disks rather than in central's memory.
constexpr int64_t kMaxEventsInFlight = 100'000;
constexpr int64_t kMaxFrameBytes = 32 << 20;
}  // namespace

ReplicationServer::ReplicationServer(zmq::context_t& context, DirectoryFn directory,
                                     BatchApplier& applier, LogStore& store, Fleet& fleet,
                                     Refusals& refusals, StorageState& storage,
                                     const common::Clock& clock)
    : context_(context),
      applier_(applier),
      fleet_(fleet),
      clock_(clock),
      admission_(std::move(directory), store, fleet, refusals, storage) {}

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
    // An edge whose connection died without a FIN (power lost, a NAT dropped the flow) comes
    // back on a new one; central kept the dead socket (an fd, a pipe) for ever when it had
    // nothing to send on it, ~15 min (tcp_retries2) when it had. Healthy edges talk every 5 s,
    // so only dead connections are probed: closed after 10 s idle + 3 unanswered probes 5 s
    // apart, or after 30 s of data unacknowledged (TCP_USER_TIMEOUT). TCP-level: a slow link that
    // still acknowledges is never cut.
    socket_->set(zmq::sockopt::tcp_keepalive, 1);
    socket_->set(zmq::sockopt::tcp_keepalive_idle, 10);
    socket_->set(zmq::sockopt::tcp_keepalive_intvl, 5);
    socket_->set(zmq::sockopt::tcp_keepalive_cnt, 3);
    socket_->set(zmq::sockopt::tcp_maxrt, 30'000);
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
  const int64_t now = clock_.NowMs();
  fleet_.Seen(user, now);
  auto message = wire::Decode(payload.to_string_view());
  if (!message.ok()) return Reply(peer, admission_.Undecodable(user, message.status(), now));
  auto reply = [this](const std::string& to, const wire::Message& m) { Reply(to, m); };
  if (day_signoff_ != nullptr && day_signoff_->Handle(peer, user, *message, reply)) return;
  if (auto* hello = std::get_if<wire::Hello>(&*message)) {
    std::optional<wire::Message> answer = admission_.OnHello(peer, user, *hello, now);
    auto* welcome = answer ? std::get_if<wire::Welcome>(&*answer) : nullptr;
    if (welcome != nullptr && day_signoff_ != nullptr) {  // the edge may send day certificates
      welcome->capabilities.emplace_back(wire::kCapabilityDayCertificates);
    }
    if (answer) Reply(peer, *answer);
  } else if (auto* batch = std::get_if<wire::Batch>(&*message)) {
    OnBatch(peer, user, *batch, now);
  } else if (auto* beat = std::get_if<wire::Heartbeat>(&*message)) {
    if (auto answer = admission_.OnHeartbeat(peer, user, *beat, now)) Reply(peer, *answer);
  } else {
    Reply(peer, admission_.Unexpected(user, now));
  }
}

void ReplicationServer::OnBatch(const std::string& peer, const std::string& user,
                                const wire::Batch& m, int64_t now) {
  auto admitted = admission_.OnBatch(peer, user, m, now);
  if (auto* refusal = std::get_if<wire::Message>(&admitted)) return Reply(peer, *refusal);
  AdmittedBatch& batch = std::get<AdmittedBatch>(admitted);
  const int64_t events = std::ssize(batch.batch.events);
  ++in_flight_;
  in_flight_events_ += events;
  applier_.Submit(std::move(batch.batch),
                  [this, peer, user, events, directory = std::move(batch.directory),
                   incarnation = m.incarnation,
                   pruned_to = m.pruned_to](common::StatusOr<ApplyOutcome> outcome) {
                    --in_flight_;
                    in_flight_events_ -= events;
                    Reply(peer, admission_.OnApplied(user, incarnation, pruned_to, outcome,
                                                     clock_.NowMs()));
                  });
}

void ReplicationServer::Reply(const std::string& peer, const wire::Message& message) {
  common::Frames frames;
  frames.emplace_back(peer.data(), peer.size());
  std::string bytes = wire::Encode(message);
  frames.emplace_back(bytes.data(), bytes.size());
  replies_.Post(std::move(frames));
}

}  // namespace storepulse::central
