#include "edge/zmq_ingest_server.h"

#include <zmq.hpp>
#include <zmq_addon.hpp>

#include "common/event_limits.h"
#include "common/log.h"
#include "common/transport/reply_queue.h"

namespace storepulse::edge {

namespace {
// Stop reading new batches while this many wait for the writer (back-pressure: the producers'
// ZeroMQ queues fill up instead of the edge's memory).
constexpr size_t kMaxBatchesInFlight = 64;

zmq::message_t MsgpackReply(const nlohmann::json& reply) {
  auto bytes = nlohmann::json::to_msgpack(reply);
  return zmq::message_t(bytes.data(), bytes.size());
}
}  // namespace

struct ZmqIngestServer::Impl {
  Impl(IngestService& ingest, std::atomic<int64_t>& received)
      : ingest(ingest), received(received), socket(context, zmq::socket_type::router) {}

  void Run();
  void HandleRequest(zmq::multipart_t& request);

  IngestService& ingest;
  std::atomic<int64_t>& received;
  zmq::context_t context{1};
  zmq::socket_t socket;
  common::ReplyQueue replies;
  std::atomic<bool> stopping{false};
  size_t in_flight = 0;  // owned by the server thread
  std::thread thread;
};

ZmqIngestServer::ZmqIngestServer(IngestService& ingest)
    : impl_(std::make_unique<Impl>(ingest, batches_received_)) {}

ZmqIngestServer::~ZmqIngestServer() { Stop(); }

common::Status ZmqIngestServer::Start(const std::string& endpoint) {
  try {
    impl_->socket.set(zmq::sockopt::maxmsgsize,
                      static_cast<int64_t>(common::kMaxBatchBytes + 64 * 1024));
    impl_->socket.set(zmq::sockopt::linger, 0);
    impl_->socket.bind(endpoint);
  } catch (const zmq::error_t& e) {
    return common::Unavailable("cannot bind the ingest endpoint " + endpoint + ": " + e.what());
  }
  impl_->thread = std::thread([this] { impl_->Run(); });
  return common::OkStatus();
}

void ZmqIngestServer::Stop() {
  if (!impl_->thread.joinable()) return;
  impl_->stopping = true;
  impl_->replies.Wake();
  impl_->thread.join();
}

void ZmqIngestServer::Impl::Run() {
  // Stop only once every batch taken has had its reply: nothing acknowledged is left unsaid.
  while (!stopping || in_flight > 0) {
    zmq::pollitem_t items[] = {{nullptr, replies.fd(), ZMQ_POLLIN, 0},
                               {socket.handle(), 0, ZMQ_POLLIN, 0}};
    bool accept_more = !stopping && in_flight < kMaxBatchesInFlight;
    try {
      zmq::poll(items, accept_more ? 2 : 1, std::chrono::milliseconds(500));
      if (items[0].revents & ZMQ_POLLIN) {
        for (common::Frames& reply : replies.Drain()) {
          --in_flight;
          common::SendFrames(socket, reply);
        }
      }
      if (accept_more && (items[1].revents & ZMQ_POLLIN)) {
        zmq::multipart_t request;
        if (request.recv(socket, ZMQ_DONTWAIT)) HandleRequest(request);
      }
    } catch (const zmq::error_t& e) {
      common::LogWarning(std::string("ingest socket: ") + e.what());
    }
  }
}

void ZmqIngestServer::Impl::HandleRequest(zmq::multipart_t& request) {
  received++;
  if (request.size() < 2) return;  // a ROUTER always prepends the identity; nothing to answer
  zmq::message_t payload = request.remove();
  auto envelope = std::make_shared<common::Frames>();  // identity (+ empty delimiter for REQ)
  while (!request.empty()) envelope->push_back(request.pop());
  auto batch = common::DecodeMsgpackBatch(
      std::string_view(static_cast<const char*>(payload.data()), payload.size()));
  ++in_flight;
  auto reply = [this, envelope](const nlohmann::json& body) {
    envelope->push_back(MsgpackReply(body));
    replies.Post(std::move(*envelope));
  };
  if (!batch.ok()) {
    IngestResult refused;
    refused.status = batch.status();
    return reply(refused.ToJson());
  }
  ingest.Ingest(std::move(batch).value(),
                [reply](IngestResult result) { reply(result.ToJson()); });
}

}  // namespace storepulse::edge
