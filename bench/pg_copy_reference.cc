#include "bench/pg_copy_reference.h"

#include <algorithm>

#include "bench/bench_report.h"
#include "bench/daemons.h"
#include "bench/synthetic_events.h"
#include "central/pg_connection.h"
#include "common/event_codec.h"

namespace storepulse::bench {

namespace {

// The COPY text of every transaction, in order, and the body bytes in all.
struct CopyText {
  std::vector<std::string> transactions;
  size_t body_bytes = 0;
};

CopyText MakeCopyText(const PgCopyOptions& options) {
  const int64_t ts = WallNowMs() - 3'600'000;  // as WireLoad::StreamBacklog
  const std::string run = std::to_string(WallNowMs());
  CopyText text;
  std::string current, body;
  size_t in_current = 0;
  for (size_t first = 0; first < options.events_per_store; first += options.batch) {
    const size_t end = std::min(options.events_per_store, first + options.batch);
    for (size_t s = 0; s < options.stores; ++s) {
      const std::string store = BenchStoreName(s);
      const std::string incarnation = "bench-" + store + "-" + run;
      for (size_t n = first; n < end; ++n) {
        const common::Event event = MakeEvent(store, 1, static_cast<int64_t>(n), ts);
        central::AppendCopyText(store, &current);
        current.push_back('\t');
        central::AppendCopyText(incarnation, &current);
        // (Appended piece by piece: "literal" + std::string makes g++ 12 -O3 warn, -Wrestrict.)
        current.push_back('\t');
        current.append(std::to_string(n + 1));
        current.push_back('\t');
        central::AppendCopyText(event.id, &current);
        current.push_back('\t');
        current.append(std::to_string(event.ts_ms));
        current.push_back('\t');
        body.clear();
        common::AppendStored(event, &body);
        text.body_bytes += body.size();
        central::AppendCopyBytes(body, &current);
        current.push_back('\n');
        if (++in_current == options.rows_per_transaction) {
          text.transactions.push_back(std::move(current));
          current.clear();
          in_current = 0;
        }
      }
    }
  }
  if (in_current > 0) text.transactions.push_back(std::move(current));
  return text;
}

}  // namespace

common::StatusOr<PgCopyResult> MeasurePgCopy(PgServer& server, const std::string& database,
                                             const PgCopyOptions& options) {
  const size_t rows = options.stores * options.events_per_store;
  if (rows == 0) return common::InvalidArgument("no rows to copy");
  const CopyText text = MakeCopyText(options);
  ASSIGN_OR_RETURN(auto db, central::PgConnection::Connect(server.Url(database)));
  PgCopyResult result;
  result.body_bytes_per_row = static_cast<double>(text.body_bytes) / static_cast<double>(rows);
  for (int run = 0; run < options.runs; ++run) {
    ASSIGN_OR_RETURN(
        auto created,
        db->Exec("DROP TABLE IF EXISTS reference; CREATE TABLE reference(store text NOT NULL, "
                 "incarnation text NOT NULL, seq bigint NOT NULL, id text NOT NULL, "
                 "ts bigint NOT NULL, body bytea NOT NULL, PRIMARY KEY(store, incarnation, seq))",
                 "create the reference table"));
    (void)created;
    RETURN_IF_ERROR(server.StartOfRun());
    ASSIGN_OR_RETURN(int64_t wal_before, server.WalPosition());
    const double cpu_before = server.CpuSeconds();
    Stopwatch watch;
    for (const std::string& transaction : text.transactions) {
      RETURN_IF_ERROR(db->CopyIn("COPY reference FROM STDIN", transaction, "copy rows"));
    }
    const double seconds = watch.Seconds();
    const double cpu = server.CpuSeconds() - cpu_before;
    ASSIGN_OR_RETURN(int64_t wal_after, server.WalPosition());
    const double rate = static_cast<double>(rows) / seconds;
    result.runs_rows_per_s.push_back(rate);
    if (rate > result.rows_per_s) {
      result.rows_per_s = rate;
      result.server_cpu_s = cpu;
      result.wal_bytes_per_row =
          static_cast<double>(wal_after - wal_before) / static_cast<double>(rows);
    }
  }
  ASSIGN_OR_RETURN(auto dropped, db->Exec("DROP TABLE reference", "drop the reference table"));
  (void)dropped;
  return result;
}

}  // namespace storepulse::bench
