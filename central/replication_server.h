// Central's end of replication: a CURVE ROUTER that every edge's DEALER connects to. It answers
// hello with the stream's acknowledged position, hands batches to the BatchApplier and sends the
// cumulative ack once they are committed, answers heartbeats, and refuses (and records) anything
// a store may not do: another store's data, unknown streams, malformed frames, other versions.
// The ZAP handler has already refused unknown keys. One thread owns the socket.
#pragma once

#include <atomic>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <zmq.hpp>

#include "central/batch_applier.h"
#include "central/fleet.h"
#include "central/refusals.h"
#include "central/storage_state.h"
#include "central/stores_file.h"
#include "common/status.h"
#include "common/time_util.h"
#include "common/transport/reply_queue.h"

namespace storepulse::central {

class ReplicationServer {
 public:
  using DirectoryFn = std::function<std::shared_ptr<const StoreDirectory>()>;

  ReplicationServer(zmq::context_t& context, DirectoryFn directory, BatchApplier& applier,
                    LogStore& store, Fleet& fleet, Refusals& refusals, StorageState& storage,
                    const common::Clock& clock);
  ~ReplicationServer();

  // REQUIRES: the ZAP handler is running in `context`. `secret_key` is central's Z85 secret.
  common::Status Start(const std::string& endpoint, const std::string& secret_key);
  void Stop();

 private:
  struct Session {
    StreamKey stream;
    const common::TimeZone* zone = nullptr;
    std::string region;
    std::shared_ptr<const StoreDirectory> directory;  // keeps `zone` alive
  };
  void Run();
  // A batch could not be stored: said once while the same failure lasts (the applier's thread).
  void ApplyFailed(const std::string& store, const common::Status& status);
  void Handle(zmq::message_t& identity, zmq::message_t& payload);
  void OnHello(const std::string& peer, const std::string& user, const common::wire::Hello& m);
  void OnBatch(const std::string& peer, const std::string& user, common::wire::Batch& m);
  void OnHeartbeat(const std::string& peer, const std::string& user,
                   const common::wire::Heartbeat& m);
  void Reply(const std::string& peer, const common::wire::Message& message);
  // Logs and shows in the fleet that a store's stream went backwards. Any thread.
  void RolledBack(const std::string& store, const std::string& detail);
  // The stream's position moved past seqs from…to that the edge pruned before sending them.
  void PassedPruned(const std::string& store, const std::string& incarnation, int64_t from,
                    int64_t to);
  void Refuse(const std::string& peer, const std::string& store, const std::string& code,
              const std::string& detail, const std::string& incarnation, int64_t acked);

  zmq::context_t& context_;
  DirectoryFn directory_;
  BatchApplier& applier_;
  LogStore& store_;
  Fleet& fleet_;
  Refusals& refusals_;
  StorageState& storage_;
  const common::Clock& clock_;
  std::unique_ptr<zmq::socket_t> socket_;
  common::ReplyQueue replies_;
  std::map<std::string, Session> sessions_;  // by ROUTER identity; server thread only
  std::atomic<int64_t> in_flight_{0};         // batches submitted, not yet applied
  std::atomic<int64_t> in_flight_events_{0};  // … and their events
  std::atomic<bool> stopping_{false};
  bool hellos_unanswered_ = false;  // the ZeroMQ thread's
  std::thread thread_;
};

}  // namespace storepulse::central
