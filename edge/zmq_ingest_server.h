// The ZeroMQ ingest endpoint: a ROUTER socket where producers (DEALER or REQ) send msgpack batches
// (an array of event maps, SPEC §2) and get one msgpack reply per batch, after the durable commit:
// {"accepted":N,"duplicates":N,"rejected":[{"index":i,"id":"…","error":"…"}]}, plus "error" when
// the batch as a whole was refused (not msgpack, too large, more than one frame, disk full).
// Replies keep the request's envelope (the routing id, and for REQ everything up to the empty
// delimiter), so REQ and DEALER peers both work, and come in request order per peer.
//
// Limits (docs/INGEST.md): a frame of up to kMaxIngestFrameBytes (twice the batch limit) is read
// and, when over the batch limit, answered with the size error; libzmq drops the connection of a
// producer that sends a larger frame, and nothing can answer that. Back-pressure: the server stops
// reading while 64 batches, or 16 MiB of frames, wait for the writer, and libzmq keeps at most two
// unread messages per producer, so a fast producer fills its own queue, not the edge's memory.
//
// Owns one thread that receives, decodes and validates, and sends the replies the writer thread
// hands back through a ReplyQueue. Start/Stop from one thread; Stop joins.
#pragma once

#include <atomic>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "common/status.h"
#include "edge/edge_metrics.h"
#include "edge/ingest_service.h"

namespace storepulse::edge {

class ZmqIngestServer {
 public:
  // `metrics` (may be null) counts each batch's outcome on the zmq path.
  explicit ZmqIngestServer(IngestService& ingest, EdgeMetrics* metrics = nullptr);
  ~ZmqIngestServer();
  ZmqIngestServer(const ZmqIngestServer&) = delete;
  ZmqIngestServer& operator=(const ZmqIngestServer&) = delete;

  // Binds `endpoint` (e.g. tcp://127.0.0.1:7601) and starts serving.
  common::Status Start(const std::string& endpoint);
  void Stop();

  int64_t batches_received() const { return batches_received_; }

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
  std::atomic<int64_t> batches_received_{0};
};

}  // namespace storepulse::edge
