#include "central/pg_log.h"

#include <algorithm>
#include <chrono>

#include "central/batch_plan.h"
#include "central/pg_schema.h"
#include "common/event_codec.h"
#include "common/log.h"

namespace storepulse::central {

namespace {

void AppendCopyRow(const StreamKey& stream, int64_t seq, const common::Event& event,
                   std::string* body, std::string* out) {
  AppendCopyText(stream.store, out);
  out->push_back('\t');
  AppendCopyText(stream.incarnation, out);
  out->append("\t" + std::to_string(seq) + "\t");
  AppendCopyText(event.id, out);
  out->append("\t" + std::to_string(event.ts_ms) + "\t");
  body->clear();
  common::AppendStored(event, body);
  AppendCopyBytes(*body, out);
  out->push_back('\n');
}

}  // namespace

common::StatusOr<std::unique_ptr<PgLog>> PgLog::Open(const std::string& conninfo) {
  std::unique_ptr<PgLog> log(new PgLog(conninfo));
  RETURN_IF_ERROR(log->ConnectWriter());
  return log;
}

PgLog::~PgLog() = default;

common::Status PgLog::ConnectWriter() {
  writer_.reset();
  // While the database is away the edges resend at once: try again at most every 2 s rather
  // than open a connection (a server process) for every group.
  const auto now = std::chrono::steady_clock::now();
  if (!writer_error_.empty() && now - last_writer_attempt_ < std::chrono::seconds(2)) {
    return common::Unavailable(writer_error_);  // the same words: said once (the server's log)
  }
  last_writer_attempt_ = now;
  ASSIGN_OR_RETURN(auto writer, PgConnection::Connect(conninfo_));
  ASSIGN_OR_RETURN(std::string id, MigratePgSchema(*writer));
  // A central that stops mid-transaction (a frozen host or process: no FIN, no RST) must not keep
  // its stores' locks: the server ends such a session after 15 s idle in its transaction. One
  // frozen mid-COPY waits for its data, active, where no timeout reaches it: the central that
  // finds the store busy ends it (EndStuckHolder). The statement timeout bounds the rest.
  RETURN_IF_ERROR(writer
                      ->Exec("SET idle_in_transaction_session_timeout = '15s'; "
                             "SET statement_timeout = '20s'",
                             "set the writer's timeouts")
                      .status());
  // A batch's new events are copied here first, then moved into the log in one statement that
  // skips the ids the store sent already. Emptied at each commit: a temporary table is never
  // vacuumed, so the space of the rows moved out would stay, and every move would scan it.
  RETURN_IF_ERROR(writer
                      ->Exec("CREATE TEMP TABLE incoming(store text, incarnation text, "
                             "seq bigint, id text, ts bigint, body bytea) "
                             "ON COMMIT DELETE ROWS",
                             "create the staging table")
                      .status());
  RETURN_IF_ERROR(PgReportingDeltas::Prepare(*writer));
  writer_ = std::move(writer);
  std::lock_guard lock(mu_);
  database_id_ = std::move(id);
  return common::OkStatus();
}

std::string PgLog::database_id() const {
  std::lock_guard lock(mu_);
  return database_id_;
}

common::Status PgLog::ApplyGroup(const std::vector<const StreamBatch*>& batches, int64_t now_ms,
                                 std::vector<ApplyOutcome>* outcomes) {
  if (writer_ == nullptr || !writer_->ok()) {
    common::Status connected = ConnectWriter();
    writer_error_ = connected.message();
    RETURN_IF_ERROR(connected);
  }
  std::map<StreamKey, int64_t> positions;  // this group's, as it moves them
  reporting_.Clear();                      // what a failed group left
  auto run = [&]() -> common::Status {
    RETURN_IF_ERROR(writer_->Exec("BEGIN", "begin a group of batches").status());
    for (const StreamBatch* batch : batches) {
      ASSIGN_OR_RETURN(ApplyOutcome outcome, Apply(*batch, now_ms, &positions));
      outcomes->push_back(outcome);
    }
    RETURN_IF_ERROR(reporting_.Flush(*writer_));
    RETURN_IF_ERROR(
        writer_->Exec(std::string("NOTIFY ") + kLogChannel, "notify the followers").status());
    RETURN_IF_ERROR(writer_->Exec("COMMIT", "commit replicated events to PostgreSQL").status());
    return common::OkStatus();
  };
  if (common::Status status = run(); !status.ok()) {
    outcomes->clear();
    // A lost connection ends its transaction; otherwise end it here. Committed or not, the edges
    // resend: what did commit is skipped as a replay.
    if (writer_->ok()) (void)writer_->Exec("ROLLBACK", "roll back a group of batches");
    return status;
  }
  std::lock_guard lock(mu_);
  for (const auto& [stream, acked] : positions) last_positions_[stream] = acked;
  return common::OkStatus();
}

common::StatusOr<int64_t> PgLog::Insert(const StreamBatch& batch, size_t first,
                                         std::vector<const common::Event*>* inserted) {
  // Straight into the log first (a COPY, under a savepoint): the store's lock keeps other
  // centrals out, so only an id the store sent on another stream (a reinstalled edge's new
  // incarnation) can collide. Then the staging table, moved in with ON CONFLICT DO NOTHING, which
  // says which rows it inserted. The direct COPY does about twice the rows per second
  // (docs/BENCHMARKS.md, "Issue 10").
  RETURN_IF_ERROR(writer_->Exec("SAVEPOINT batch", "begin a batch").status());
  common::Status direct = writer_->CopyIn("COPY storepulse.events FROM STDIN", copy_,
                                          "copy a batch's events into the log");
  if (direct.ok()) {
    RETURN_IF_ERROR(writer_->Exec("RELEASE SAVEPOINT batch", "end a batch").status());
    for (size_t i = first; i < batch.events.size(); ++i) inserted->push_back(&batch.events[i]);
    return std::ssize(batch.events) - static_cast<int64_t>(first);
  }
  if (direct.code() != common::StatusCode::kAlreadyExists) return direct;
  RETURN_IF_ERROR(writer_->Exec("ROLLBACK TO SAVEPOINT batch", "undo a batch's copy").status());
  RETURN_IF_ERROR(writer_->CopyIn("COPY incoming FROM STDIN", copy_, "copy a batch's events"));
  ASSIGN_OR_RETURN(PgResult moved,
                   writer_->Exec("WITH moved AS (DELETE FROM incoming RETURNING *) "
                                 "INSERT INTO storepulse.events SELECT * FROM moved "
                                 "ON CONFLICT DO NOTHING RETURNING seq",
                                 "store a batch's events"));
  for (int row = 0; row < moved.rows(); ++row) {
    const int64_t index = moved.integer(row, 0) - batch.first_seq;
    inserted->push_back(&batch.events[static_cast<size_t>(index)]);
  }
  return static_cast<int64_t>(moved.rows());
}

common::StatusOr<ApplyOutcome> PgLog::Apply(const StreamBatch& batch, int64_t now_ms,
                                            std::map<StreamKey, int64_t>* positions) {
  const StreamKey& stream = batch.stream;
  ApplyOutcome outcome;
  ASSIGN_OR_RETURN(PgResult lock,
                   writer_->Exec("SELECT pg_try_advisory_xact_lock(hashtextextended($1, 0))",
                                 PgParams().text(stream.store), "lock the store's stream"));
  if (lock.text(0, 0) != "t") {
    RETURN_IF_ERROR(EndStuckHolder(stream));
    outcome.busy = true;
    outcome.acked_seq = AckedSeq(stream);
    return outcome;
  }
  auto known = positions->find(stream);
  int64_t acked = 0;
  if (known != positions->end()) {
    acked = known->second;
  } else {
    ASSIGN_OR_RETURN(PgResult row,
                     writer_->Exec("SELECT acked_seq FROM storepulse.streams WHERE store = $1 AND "
                                   "incarnation = $2",
                                   PgParams().text(stream.store).text(stream.incarnation),
                                   "read the stream's position"));
    if (row.rows() > 0) acked = row.integer(0, 0);
  }
  outcome.acked_seq = acked;
  const BatchPlan plan = PlanBatch(batch, acked);
  if (plan.gap) {
    outcome.gap = true;
    return outcome;
  }
  auto find = [&](const std::string& id) -> common::StatusOr<std::optional<StoredAt>> {
    ASSIGN_OR_RETURN(PgResult row,
                     writer_->Exec("SELECT incarnation, seq FROM storepulse.events WHERE "
                                   "store = $1 AND id = $2",
                                   PgParams().text(stream.store).text(id),
                                   "check a replayed batch"));
    if (row.rows() == 0) return std::optional<StoredAt>();
    return std::optional<StoredAt>(StoredAt{std::string(row.text(0, 0)), row.integer(0, 1)});
  };
  ASSIGN_OR_RETURN(outcome.diverged, CheckReplayed(batch, acked, find));
  if (!outcome.diverged.empty()) return outcome;
  outcome.passed_pruned = plan.passed_pruned;
  outcome.skipped = static_cast<int64_t>(plan.first_new);
  acked = plan.acked;
  const int64_t fresh = std::ssize(batch.events) - static_cast<int64_t>(plan.first_new);
  if (fresh > 0) {
    copy_.clear();
    std::string body;
    for (size_t i = plan.first_new; i < batch.events.size(); ++i) {
      AppendCopyRow(stream, batch.first_seq + static_cast<int64_t>(i), batch.events[i], &body,
                    &copy_);
    }
    if (batch.zone == nullptr) {
      return common::Internal("a batch of store " + stream.store + " came without its time zone");
    }
    // Only the rows really inserted are folded into the day figures: an id the store sent on
    // another stream is stored, and counted, already.
    std::vector<const common::Event*> inserted;
    ASSIGN_OR_RETURN(outcome.applied, Insert(batch, plan.first_new, &inserted));
    RETURN_IF_ERROR(reporting_.Fold(stream.store, *batch.zone, inserted));
    RETURN_IF_ERROR(reporting_.FoldOrders(*writer_, stream.store, *batch.zone, inserted));
    outcome.skipped += fresh - outcome.applied;  // ids the store sent on another stream
    acked = std::max(acked, batch.first_seq + std::ssize(batch.events) - 1);
  }
  RETURN_IF_ERROR(
      writer_
          ->Exec(
              "INSERT INTO storepulse.streams VALUES($1, $2, $3, $4, $4) "
              "ON CONFLICT(store, incarnation) DO UPDATE SET "
              "acked_seq = excluded.acked_seq, "
              "last_applied = excluded.last_applied",
              PgParams().text(stream.store).text(stream.incarnation).integer(acked).integer(now_ms),
              "move the stream's position")
          .status());
  (*positions)[stream] = acked;
  outcome.acked_seq = acked;
  return outcome;
}

common::Status PgLog::EndStuckHolder(const StreamKey& stream) {
  // The lock of pg_advisory_xact_lock(key) shows in pg_locks as classid = the key's high 32 bits,
  // objid = its low 32 bits. A session "active" but waiting to read from its client is inside a
  // COPY FROM STDIN (a batch's takes milliseconds); after 15 s its central has stopped feeding it,
  // and PostgreSQL would wait for that central's TCP connection to die (hours). Ending it rolls
  // its transaction back: nothing it wrote was acknowledged, its edges resend. Only sessions of
  // this central's own role, which it may end (a refusal would fail the group).
  ASSIGN_OR_RETURN(
      PgResult ended,
      writer_->Exec(
          "WITH k AS (SELECT hashtextextended($1, 0) AS key) "
          "SELECT a.pid, pg_terminate_backend(a.pid) FROM k, pg_locks l "
          "JOIN pg_stat_activity a USING (pid) WHERE l.locktype = 'advisory' AND l.granted "
          "AND l.objsubid = 1 AND l.classid = ((k.key >> 32) & 4294967295)::oid "
          "AND l.objid = (k.key & 4294967295)::oid AND a.usename = current_user "
          "AND a.state = 'active' AND a.wait_event = 'ClientRead' "
          "AND a.state_change < clock_timestamp() - interval '15 s'",
          PgParams().text(stream.store), "look for a stuck holder of the store's lock"));
  for (int row = 0; row < ended.rows(); ++row) {
    common::LogWarning("ended PostgreSQL session " + std::string(ended.text(row, 0)) +
                       ", stuck 15 s mid-COPY holding store " + stream.store +
                       "'s lock (a frozen central?); its batch rolls back and is resent");
  }
  return common::OkStatus();
}

int64_t PgLog::AckedSeq(const StreamKey& stream) const {
  if (std::optional<int64_t> fresh = FreshAckedSeq(stream)) return *fresh;
  std::lock_guard lock(mu_);
  auto it = last_positions_.find(stream);
  return it == last_positions_.end() ? 0 : it->second;
}

std::optional<int64_t> PgLog::FreshAckedSeq(const StreamKey& stream) const {
  std::lock_guard lock(mu_);
  if (reader_ == nullptr || !reader_->ok()) {
    // The replication server's thread asks on every hello and heartbeat: while the database is
    // away, try again at most every few seconds rather than wait for a connection each time.
    reader_.reset();
    const auto now = std::chrono::steady_clock::now();
    if (now - last_connect_attempt_ < std::chrono::seconds(5)) return std::nullopt;
    last_connect_attempt_ = now;
    auto connected = PgConnection::Connect(conninfo_);
    if (connected.ok()) reader_ = std::move(*connected);
  }
  if (reader_ != nullptr) {
    // The replication server's thread waits here: at most a second.
    auto row = reader_->ExecWithin(
        "SELECT acked_seq FROM storepulse.streams WHERE store = $1 AND incarnation = $2",
        PgParams().text(stream.store).text(stream.incarnation), "read a stream's position", 1000);
    if (row.ok()) {
      const int64_t acked = row->rows() > 0 ? row->integer(0, 0) : 0;
      last_positions_[stream] = acked;
      read_error_.clear();
      return acked;
    }
    if (row.status().message() != read_error_) {  // once per outage, not per heartbeat
      read_error_ = row.status().message();
      common::LogWarning(read_error_ + "; answering the last position seen");
    }
  }
  return std::nullopt;
}

}  // namespace storepulse::central
