#include "edge/zmq_ingest_server.h"

#include <zmq.hpp>
#include <zmq_addon.hpp>

#include "common/event_limits.h"
#include "common/log.h"
#include "common/transport/reply_queue.h"

namespace storepulse::edge {

namespace {
// Stop reading new batches while this many wait for the writer, or while those that wait came in
// frames of this many bytes (back-pressure: the producers' ZeroMQ queues fill up instead of the
// edge's memory; a decoded batch takes about its frame's size).
constexpr size_t kMaxBatchesInFlight = 64;
constexpr size_t kMaxBytesInFlight = common::kMaxBatchBytes;
// Frames libzmq may hold for each producer that the server thread has not read yet (the default,
// 1,000, would let one producer park 1,000 frames of up to kMaxIngestFrameBytes in the edge).
constexpr int kReceiveHighWaterMark = 2;

zmq::message_t MsgpackReply(const nlohmann::json& reply) {
  auto bytes = nlohmann::json::to_msgpack(reply);
  return zmq::message_t(bytes.data(), bytes.size());
}

IngestResult Refused(common::Status why) {
  IngestResult refused;
  refused.status = std::move(why);
  return refused;
}

// Takes a request's envelope off its front: the producer's routing id, then — for a REQ socket,
// or a DEALER that writes the same delimiter, through any brokers — every frame up to and
// including the first empty one. The reply goes back with it; what remains should be the batch.
common::Frames TakeEnvelope(zmq::multipart_t& request) {
  common::Frames envelope;
  envelope.push_back(request.pop());
  for (size_t i = 0; i < request.size(); ++i) {
    if (request[i].size() != 0) continue;
    for (size_t taken = 0; taken <= i; ++taken) envelope.push_back(request.pop());
    break;
  }
  return envelope;
}
}  // namespace

struct ZmqIngestServer::Impl {
  Impl(IngestService& ingest, std::atomic<int64_t>& received, EdgeMetrics* metrics)
      : ingest(ingest),
        received(received),
        metrics(metrics),
        socket(context, zmq::socket_type::router) {}

  void Run();
  void HandleRequest(zmq::multipart_t& request);

  IngestService& ingest;
  std::atomic<int64_t>& received;
  EdgeMetrics* metrics;  // may be null
  zmq::context_t context{1};
  zmq::socket_t socket;
  common::ReplyQueue replies;
  std::atomic<bool> stopping{false};
  size_t in_flight = 0;                    // owned by the server thread
  std::atomic<size_t> bytes_in_flight{0};  // frame bytes of the batches awaiting their reply
  std::thread thread;
};

ZmqIngestServer::ZmqIngestServer(IngestService& ingest, EdgeMetrics* metrics)
    : impl_(std::make_unique<Impl>(ingest, batches_received_, metrics)) {}

ZmqIngestServer::~ZmqIngestServer() { Stop(); }

common::Status ZmqIngestServer::Start(const std::string& endpoint) {
  try {
    // Twice the batch limit, so that a batch over the limit is still received and answered with
    // the size error (a larger frame drops the producer's connection: libzmq cannot answer it).
    impl_->socket.set(zmq::sockopt::maxmsgsize, static_cast<int64_t>(common::kMaxIngestFrameBytes));
    impl_->socket.set(zmq::sockopt::rcvhwm, kReceiveHighWaterMark);
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
    const bool accept_more =
        !stopping && in_flight < kMaxBatchesInFlight && bytes_in_flight < kMaxBytesInFlight;
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
  auto envelope = std::make_shared<common::Frames>(TakeEnvelope(request));
  const size_t bytes = request.size() == 1 ? request.front().size() : 0;
  ++in_flight;
  bytes_in_flight += bytes;
  auto reply = [this, envelope, bytes](const nlohmann::json& body) {
    envelope->push_back(MsgpackReply(body));
    bytes_in_flight -= bytes;
    replies.Post(std::move(*envelope));
  };
  if (request.size() != 1) {  // never echo or keep a producer's extra frames
    const size_t frames = request.size();
    request.clear();
    if (metrics != nullptr) ++metrics->batches_refused;
    return reply(Refused(common::InvalidArgument("a batch is one frame after the envelope, got " +
                                                 std::to_string(frames) + " frames"))
                     .ToJson());
  }
  const zmq::message_t payload = request.pop();
  auto batch = common::DecodeMsgpackBatch(
      std::string_view(static_cast<const char*>(payload.data()), payload.size()));
  if (!batch.ok()) {
    if (metrics != nullptr) ++metrics->batches_refused;
    return reply(Refused(batch.status()).ToJson());
  }
  ingest.Ingest(std::move(batch).value(), [this, reply](IngestResult result) {
    if (metrics != nullptr) metrics->Count(metrics->zmq, result);
    reply(result.ToJson());
  });
}

}  // namespace storepulse::edge
