// Load generators for the edge's two ingest paths, each driven by several producer threads:
// ZeroMQ (a DEALER per producer, several msgpack batches in flight, one reply per batch after the
// edge's commit) and HTTP (a keep-alive client per producer posting JSON Lines). The batches are
// encoded before the clock starts, so only the edge's work and the transport are timed.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "common/status.h"

namespace storepulse::bench {

// [producer][batch]: the encoded bodies each producer sends, in order.
using ProducerBatches = std::vector<std::vector<std::string>>;

struct IngestTally {
  int64_t batches = 0;
  int64_t accepted = 0;
  int64_t duplicates = 0;
  int64_t rejected = 0;
  double seconds = 0;  // from the first send to the last reply
};

// One thread per producer; `window` batches in flight per producer. An error when a reply did
// not come within a minute or was an error reply.
common::StatusOr<IngestTally> DriveZmqIngest(const std::string& endpoint,
                                             const ProducerBatches& batches, size_t window);
// One thread and one keep-alive connection per producer, one POST in flight each.
common::StatusOr<IngestTally> DriveHttpIngest(int port, const ProducerBatches& batches);

}  // namespace storepulse::bench
