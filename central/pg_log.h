// The log of record in PostgreSQL (central/log_store.h), shared by every central of a chain:
// each central may serve any store's stream, and exactly-once holds across them. A batch is
// applied under its store's transaction-scoped advisory lock, taken without waiting: while
// another central's transaction holds it (an edge that just failed over, its old central still
// committing), the batch is answered "busy" and the edge resends it. Under the lock the stream's
// position is read from the table — never from memory, another central may have moved it — and
// the events and the new position commit together.
//
// The same transaction folds the events it inserted into the day tables of the reporting views
// (central/pg_reporting.h), with the store's zone the batch carries.
//
// Each commit notifies channel `storepulse_log`, which the centrals' followers wait on
// (central/log_follower.h). A lost connection fails the group in flight (the edges resend) and
// is made again for the next one. Schema: central/pg_schema.h.
#pragma once

#include <chrono>
#include <map>
#include <memory>
#include <mutex>
#include <string>

#include "central/log_store.h"
#include "central/pg_connection.h"
#include "central/pg_reporting.h"

namespace storepulse::central {

inline constexpr char kLogChannel[] = "storepulse_log";

class PgLog final : public LogStore {
 public:
  // Connects, migrates the schema (central/pg_schema.h) and keeps the connection for the group
  // commits. Unavailable / PermissionDenied from the connection; FailedPrecondition for a
  // database of a newer schema.
  static common::StatusOr<std::unique_ptr<PgLog>> Open(const std::string& conninfo);
  ~PgLog() override;

  common::Status ApplyGroup(const std::vector<const StreamBatch*>& batches, int64_t now_ms,
                            std::vector<ApplyOutcome>* outcomes) override;
  // Read from the database (another central may have moved it); the last position seen when the
  // database cannot be reached. Thread-safe.
  int64_t AckedSeq(const StreamKey& stream) const override;
  std::optional<int64_t> FreshAckedSeq(const StreamKey& stream) const override;
  // The database's id (meta database_id) as of the last connection.
  std::string database_id() const;

 private:
  explicit PgLog(std::string conninfo) : conninfo_(std::move(conninfo)) {}
  common::Status ConnectWriter();
  common::StatusOr<ApplyOutcome> Apply(const StreamBatch& batch, int64_t now_ms,
                                       std::map<StreamKey, int64_t>* positions);
  // Ends the session that holds `stream`'s store lock if it has been stuck mid-COPY for 15 s.
  common::Status EndStuckHolder(const StreamKey& stream);
  // Stores the events of `batch` from index `first` on (their COPY rows in copy_); how many were
  // new, and those in `inserted`. The rest were stored already (ids sent on another stream).
  common::StatusOr<int64_t> Insert(const StreamBatch& batch, size_t first,
                                   std::vector<const common::Event*>* inserted);

  const std::string conninfo_;
  std::unique_ptr<PgConnection> writer_;  // the applier's thread
  std::chrono::steady_clock::time_point last_writer_attempt_;  // the applier's thread
  std::string writer_error_;              // why the last connection failed; the applier's thread
  std::string copy_;                      // the applier's thread: a batch's rows for COPY
  PgReportingDeltas reporting_;           // the applier's thread: the group's day figures
  mutable std::mutex mu_;
  mutable std::unique_ptr<PgConnection> reader_;       // AckedSeq; guarded by mu_
  mutable std::map<StreamKey, int64_t> last_positions_;  // guarded by mu_
  mutable std::string read_error_;  // the last failed read's, said once; guarded by mu_
  mutable std::chrono::steady_clock::time_point last_connect_attempt_;  // of reader_; mu_
  std::string database_id_;                            // guarded by mu_
};

}  // namespace storepulse::central
