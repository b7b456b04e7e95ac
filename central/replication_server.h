// Central's end of replication: a CURVE ROUTER that every edge's DEALER connects to — the ZeroMQ
// adapter of central/stream_admission.h, which decides what each hello, batch and heartbeat gets
// (a welcome, a refusal, a batch for the applier, the answer to the outcome). This file reads the
// socket, dispatches on the message type, hands admitted batches to the BatchApplier and sends
// the answers, and holds back reading while too many decoded events wait for the writer. The ZAP
// handler has already refused unknown keys. One thread owns the socket.
#pragma once

#include <atomic>
#include <condition_variable>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>
#include <zmq.hpp>

#include "central/batch_applier.h"
#include "central/document_board.h"
#include "central/document_sender.h"
#include "central/fleet.h"
#include "central/refusals.h"
#include "central/storage_state.h"
#include "central/stores_file.h"
#include "central/stream_admission.h"
#include "common/status.h"
#include "common/time_util.h"
#include "common/transport/reply_queue.h"

namespace storepulse::central {

class DaySignoff;

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
  // The day sign-off (central/day_signoff.h), handed its messages by the dispatch; not owned,
  // outlives the server's thread; null: no day is certified. Before Start.
  void SetDaySignoff(DaySignoff* signoff) { day_signoff_ = signoff; }
  // The reference documents to send down (docs/PROTOCOL.md, "Reference documents"): the welcome
  // then advertises `documents`, and each edge whose heartbeat says what it holds is sent what it
  // lacks. Not owned, outlives the server; null: no document is sent. Before Start.
  void SetDocuments(DocumentBoard* board, DocumentSenderOptions options = {});
  // Answers the edges' StockRequest (the welcome then advertises `network_stock`) with what
  // central's GET /api/v1/stock?sku= gives, on a thread of its own. Before Start.
  using NetworkStockFn = std::function<common::StatusOr<nlohmann::json>(const std::string& sku)>;
  void SetNetworkStock(NetworkStockFn stock) { network_stock_ = std::move(stock); }
  // Documents sent since the start (/metrics); zeros without documents. Any thread.
  DocumentSenderCounters DocumentCounters() const;

 private:
  void Run();
  // One message of `peer`, whose CURVE key is store `user`'s: one branch per type an edge sends.
  void Handle(zmq::message_t& identity, zmq::message_t& payload);
  void OnBatch(const std::string& peer, const std::string& user, const common::wire::Batch& m,
               int64_t now);
  // Queues `message` for `peer`. Any thread.
  void Reply(const std::string& peer, const common::wire::Message& message);
  // Sends the document parts due now (the server's thread).
  void SendDocuments(int64_t now);
  // Queues a stock request for the stock thread; answers 503 at once when too many wait.
  void AskStock(const std::string& peer, const common::wire::StockRequest& request);
  void RunStock();

  zmq::context_t& context_;
  DaySignoff* day_signoff_ = nullptr;
  BatchApplier& applier_;
  Fleet& fleet_;
  const common::Clock& clock_;
  StreamAdmission admission_;
  std::unique_ptr<zmq::socket_t> socket_;
  common::ReplyQueue replies_;
  std::atomic<int64_t> in_flight_{0};         // batches submitted, not yet applied
  std::atomic<int64_t> in_flight_events_{0};  // … and their events
  std::atomic<bool> stopping_{false};
  std::unique_ptr<DocumentSender> documents_;  // null without a board
  int64_t last_documents_step_ms_ = 0;         // the server's thread
  NetworkStockFn network_stock_;
  struct StockAsk {
    std::string peer;
    common::wire::StockRequest request;
  };
  std::mutex stock_mu_;
  std::condition_variable stock_cv_;
  std::deque<StockAsk> stock_queue_;  // guarded by stock_mu_
  bool stock_stopping_ = false;       // guarded by stock_mu_
  std::thread stock_thread_;
  std::thread thread_;
};

}  // namespace storepulse::central
