// Many simulated edges in one process, on one thread: each a CURVE DEALER with its own key pair
// speaking the replication protocol (common/protocol/messages.h) to a real storepulse-central —
// hello, batches of contiguous seqs with a window in flight, cumulative acks — so that central can
// be loaded with more stores than a machine can run edge daemons. Owned by one thread.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "common/status.h"
#include "common/transport/curve_keys.h"

namespace storepulse::bench {

struct LoadStore {
  std::string store;
  common::CurveKeyPair keys;  // in central's stores file for `store`
};

struct LoadStats {
  int64_t events_acked = 0;
  int64_t batches_sent = 0;
  int64_t sends_deferred = 0;  // periodic sends skipped because the window was full
  int64_t errors = 0;          // error messages from central
  std::string last_error;
  std::vector<double> ack_ms;  // per batch: sent → acknowledged
  double seconds = 0;          // of the last Stream* call, until the last ack
};

class WireLoad {
 public:
  WireLoad(std::string endpoint, std::string central_public_key, std::vector<LoadStore> stores,
           size_t window);
  // Several centrals sharing one key pair (one database): store i streams to
  // endpoints[i % endpoints.size()].
  WireLoad(std::vector<std::string> endpoints, std::string central_public_key,
           std::vector<LoadStore> stores, size_t window);
  ~WireLoad();
  WireLoad(const WireLoad&) = delete;
  WireLoad& operator=(const WireLoad&) = delete;

  // Connects every store and says hello; OK once every one is welcomed.
  common::Status Connect(std::chrono::seconds deadline);
  // Every store sends `events_per_store` events in batches of `batch` (encoded before the clock
  // starts) as fast as its window allows; returns when central has acknowledged all.
  common::Status StreamBacklog(size_t events_per_store, size_t batch,
                               std::chrono::seconds deadline);
  // Every store sends `batch` events every `period` (staggered) for `duration`, then waits for
  // the acks still due.
  common::Status StreamPeriodic(size_t batch, std::chrono::milliseconds period,
                                std::chrono::seconds duration);

  const LoadStats& stats() const { return stats_; }
  size_t welcomed() const;

 private:
  struct Edge;
  void Poll(int timeout_ms);
  void Receive(Edge& edge);
  void SendBatch(Edge& edge, std::string bytes, int64_t last_seq);

  std::vector<std::unique_ptr<Edge>> edges_;
  struct Transport;
  std::unique_ptr<Transport> transport_;
  LoadStats stats_;
};

}  // namespace storepulse::bench
