#include "central/replication_server.h"

#include <zmq_addon.hpp>

#include "central/day_signoff.h"
#include "common/log.h"
#include "common/protocol/message_rules.h"

namespace storepulse::central {

namespace wire = common::wire;

namespace {
// Back-pressure towards the edges: decoded events waiting for the writer, about a second of its
// work. Beyond it, backlogs wait on the edges' disks rather than in central's memory.
constexpr int64_t kMaxEventsInFlight = 100'000;
constexpr int64_t kMaxFrameBytes = 32 << 20;
// Stock requests waiting for the stock thread; beyond, an edge is answered 503 at once.
constexpr size_t kMaxStockWaiting = 64;
}  // namespace

void ReplicationServer::SetDocuments(DocumentBoard* board, DocumentSenderOptions options) {
  documents_ = board ? std::make_unique<DocumentSender>(*board, options) : nullptr;
}

DocumentSenderCounters ReplicationServer::DocumentCounters() const {
  return documents_ ? documents_->counters() : DocumentSenderCounters{};
}

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
  if (network_stock_) stock_thread_ = std::thread([this] { RunStock(); });
  thread_ = std::thread([this] { Run(); });
  return common::OkStatus();
}

void ReplicationServer::Stop() {
  if (!thread_.joinable()) return;
  stopping_ = true;
  {
    std::lock_guard lock(stock_mu_);
    stock_stopping_ = true;
  }
  stock_cv_.notify_all();
  if (stock_thread_.joinable()) stock_thread_.join();
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
      // Documents going out are paced by this loop's steps.
      const bool sending = documents_ && documents_->busy();
      zmq::poll(items, accept_more ? 2 : 1, std::chrono::milliseconds(sending ? 20 : 500));
      if (items[0].revents & ZMQ_POLLIN) {
        for (common::Frames& reply : replies_.Drain()) common::SendFrames(*socket_, reply);
      }
      // Drain what is readable now, a bounded number, then look at the replies again.
      for (int i = 0; accept_more && i < 256 && in_flight_events_ < kMaxEventsInFlight; ++i) {
        zmq::multipart_t request;
        if (!request.recv(*socket_, ZMQ_DONTWAIT)) break;
        if (request.size() == 2) Handle(request[0], request[1]);
      }
      // One document step every 20 ms at most, however often messages wake the loop: a step
      // looks at every edge that takes documents.
      if (documents_ && !stopping_) {
        const int64_t now = clock_.NowMs();
        if (now - last_documents_step_ms_ >= 20 || now < last_documents_step_ms_) {
          last_documents_step_ms_ = now;
          SendDocuments(now);
        }
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
    if (welcome != nullptr && documents_) {  // the edge may say what it holds
      welcome->capabilities.emplace_back(wire::kCapabilityDocuments);
      documents_->OnHello(peer, user);
    }
    if (welcome != nullptr && network_stock_) {
      welcome->capabilities.emplace_back(wire::kCapabilityNetworkStock);
    }
    if (answer) Reply(peer, *answer);
  } else if (auto* batch = std::get_if<wire::Batch>(&*message)) {
    OnBatch(peer, user, *batch, now);
  } else if (auto* beat = std::get_if<wire::Heartbeat>(&*message)) {
    std::optional<wire::Message> answer = admission_.OnHeartbeat(peer, user, *beat, now);
    if (answer && documents_) documents_->OnHeartbeat(peer, user, beat->documents, now);
    if (answer) Reply(peer, *answer);
  } else if (auto* ack = std::get_if<wire::DocumentAck>(&*message); ack && documents_) {
    if (wire::CheckDocumentAck(*ack).ok()) documents_->OnAck(peer, user, *ack, now);
  } else if (auto* ask = std::get_if<wire::StockRequest>(&*message); ask && network_stock_) {
    if (common::Status valid = wire::CheckStockRequest(*ask); !valid.ok()) {
      return Reply(peer, wire::StockAnswer{std::max<int64_t>(ask->request_id, 1), 400,
                                           nlohmann::json{{"error", valid.message()}}.dump()});
    }
    AskStock(peer, *ask);
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

void ReplicationServer::SendDocuments(int64_t now) {
  for (auto& [peer, part] : documents_->Step(now)) {
    common::Frames frames;
    frames.emplace_back(peer.data(), peer.size());
    std::string bytes = wire::Encode(part);
    frames.emplace_back(bytes.data(), bytes.size());
    common::SendFrames(*socket_, frames);
  }
}

void ReplicationServer::AskStock(const std::string& peer, const wire::StockRequest& request) {
  {
    std::lock_guard lock(stock_mu_);
    if (stock_queue_.size() < kMaxStockWaiting) {
      stock_queue_.push_back({peer, request});
      stock_cv_.notify_one();
      return;
    }
  }
  Reply(peer, wire::StockAnswer{request.request_id, 503,
                                nlohmann::json{{"error",
                                                "central is busy: too many stock "
                                                "requests waiting"}}
                                    .dump()});
}

void ReplicationServer::RunStock() {
  while (true) {
    StockAsk ask;
    {
      std::unique_lock lock(stock_mu_);
      stock_cv_.wait(lock, [this] { return stock_stopping_ || !stock_queue_.empty(); });
      if (stock_stopping_) return;
      ask = std::move(stock_queue_.front());
      stock_queue_.pop_front();
    }
    wire::StockAnswer answer{ask.request.request_id, 200, ""};
    common::StatusOr<nlohmann::json> stock = network_stock_(ask.request.sku);
    if (stock.ok()) {
      answer.body = stock->dump();
    } else {
      answer.status = stock.status().code() == common::StatusCode::kInvalidArgument ? 400 : 503;
      answer.body = nlohmann::json{{"error", stock.status().message()}}.dump();
    }
    if (answer.body.size() > (1 << 20)) {  // the wire's bound: 10,000 stores fit well within it
      answer.status = 503;
      answer.body = nlohmann::json{{"error", "the answer is larger than 1 MiB"}}.dump();
    }
    Reply(ask.peer, answer);
  }
}

void ReplicationServer::Reply(const std::string& peer, const wire::Message& message) {
  common::Frames frames;
  frames.emplace_back(peer.data(), peer.size());
  std::string bytes = wire::Encode(message);
  frames.emplace_back(bytes.data(), bytes.size());
  replies_.Post(std::move(frames));
}

}  // namespace storepulse::central
