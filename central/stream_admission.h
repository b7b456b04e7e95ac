// Central's side of the replication protocol as decisions without a socket or a database
// (docs/PROTOCOL.md, "Failures, and what happens"): which stream a hello opens and where it
// resumes (the welcome, a stream gone backwards), whether a batch may go to the applier (a stream
// said hello, a well-formed batch, events of this store and valid), what to answer once the
// applier reports its outcome (ack, gap, retry, diverged, seqs passed as pruned), and how to
// answer a heartbeat (central's record behind what the edge was acknowledged: gap). Where a
// batch's seqs fall — replay, overlap, gap, pruned — is central/batch_plan.h's decision, made by
// the store of record in the transaction that applies it.
//
// It reads stream positions from a LogStore (never writes), records what it sees in the Fleet and
// the Refusals, and returns the message to send; central/replication_server.cc is its ZeroMQ
// adapter and hands admitted batches to the BatchApplier. Thread: the server's thread, except
// OnApplied, which the applier's thread calls (it touches only thread-safe parts).
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <variant>

#include "central/fleet.h"
#include "central/log_store.h"
#include "central/refusals.h"
#include "central/storage_state.h"
#include "central/stores_file.h"
#include "common/protocol/messages.h"
#include "common/status.h"

namespace storepulse::central {

// A batch central accepts to apply, and the directory that keeps its zone alive until then.
struct AdmittedBatch {
  StreamBatch batch;
  std::shared_ptr<const StoreDirectory> directory;
};

class StreamAdmission {
 public:
  using DirectoryFn = std::function<std::shared_ptr<const StoreDirectory>()>;

  // Every reference must outlive the admission.
  StreamAdmission(DirectoryFn directory, const LogStore& store, Fleet& fleet, Refusals& refusals,
                  StorageState& storage);
  StreamAdmission(const StreamAdmission&) = delete;
  StreamAdmission& operator=(const StreamAdmission&) = delete;

  // `peer` is the connection (the ROUTER identity), `user` the store its CURVE key belongs to.
  // A frame that is not a message of this protocol version: the refusal to send.
  common::wire::Message Undecodable(const std::string& user, const common::Status& why,
                                    int64_t now);
  // A message of a type no edge sends.
  common::wire::Message Unexpected(const std::string& user, int64_t now);
  // The welcome, or a refusal; nothing while the stream's position cannot be read (the edge says
  // hello again, here or to another central).
  std::optional<common::wire::Message> OnHello(const std::string& peer, const std::string& user,
                                               const common::wire::Hello& m, int64_t now);
  // The batch to apply, or the refusal to send.
  std::variant<AdmittedBatch, common::wire::Message> OnBatch(const std::string& peer,
                                                             const std::string& user,
                                                             const common::wire::Batch& m,
                                                             int64_t now);
  // The answer to a heartbeat; nothing for an absurd one (counted, not shown, not answered).
  std::optional<common::wire::Message> OnHeartbeat(const std::string& peer,
                                                   const std::string& user,
                                                   const common::wire::Heartbeat& m, int64_t now);
  // The answer to a batch of `user`'s stream `incarnation` once the applier is done with it.
  // Thread-safe.
  common::wire::Message OnApplied(const std::string& user, const std::string& incarnation,
                                  int64_t pruned_to,
                                  const common::StatusOr<ApplyOutcome>& outcome, int64_t now);

 private:
  struct Session {
    StreamKey stream;
    const common::TimeZone* zone = nullptr;
    std::shared_ptr<const StoreDirectory> directory;  // keeps `zone` alive
  };
  common::wire::Message Refuse(const std::string& store, const std::string& code,
                               const std::string& detail, const std::string& incarnation,
                               int64_t acked, int64_t now);
  // Logs and shows in the fleet that a store's stream went backwards. Any thread.
  void RolledBack(const std::string& store, const std::string& detail, int64_t now);
  // A batch could not be stored: said once while the same failure lasts. Any thread.
  void ApplyFailed(const std::string& store, const common::Status& status, int64_t now);

  DirectoryFn directory_;
  const LogStore& store_;
  Fleet& fleet_;
  Refusals& refusals_;
  StorageState& storage_;
  std::map<std::string, Session> sessions_;  // by peer; the server's thread only
  bool hellos_unanswered_ = false;           // the server's thread only
};

}  // namespace storepulse::central
