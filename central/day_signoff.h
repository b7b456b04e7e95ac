// Central's half of the day sign-off (docs/OPERATIONS.md, "Day sign-off"; docs/PROTOCOL.md, "Day
// sign-off"). An edge sends the certificate of a closed local day (edge/day_certifier.h); central
// computes the same figures over what it applied for that store and day
// (central/central_day_figures.h) and answers:
//   - equal: the day is certified;
//   - different, the first time: "resend" — the edge sends the day's events again (DayEvents,
//     applied through the batch applier as a stream of their own: ids central holds are skipped)
//     and then a new certificate;
//   - still different after that resend: "differs", kept with what differs (count, which totals,
//     the ids hash) and shown in the fleet view, whose alert rule raises day_differs
//     (central/alert_rules.cc).
// A certificate for a certified day whose edge figures changed (a late event) re-opens it: it is
// "reopened" until certified again, and the row counts the re-openings. Records live in days.db
// (central/day_store.h).
//
// Handle() runs on the replication server's thread (its dispatch); the comparisons on a thread of
// this class, so that reading a day's events never holds up replication. Days() from any thread.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <thread>

#include "central/batch_applier.h"
#include "central/day_store.h"
#include "central/fleet.h"
#include "central/refusals.h"
#include "central/stores_file.h"
#include "common/kpi/day_figures.h"
#include "common/protocol/messages.h"
#include "common/status.h"
#include "common/time_util.h"

namespace SQLite {
class Database;
}

namespace storepulse::central {

// What a certificate makes of a day: the new record and the verdict for the edge. Pure.
struct DayDecision {
  DayRecord record;
  std::string verdict;  // "certified", "resend", "differs"
};
DayDecision DecideDay(const std::optional<DayRecord>& previous, const std::string& store,
                      const std::string& day, const common::DayFigures& edge,
                      const common::DayFigures& central, int64_t now_ms);

struct DaySignoffOptions {
  std::string central_db;   // central.db (with PostgreSQL: the read model's file)
  std::string days_db;      // days.db, with central.db…
  std::string pg_conninfo;  // …or with PostgreSQL, its table storepulse.days
  // With PostgreSQL: waits (bounded) until the read model holds what the log of record
  // acknowledged, before central's figures are read. Empty with SQLite.
  std::function<void()> catch_up;
  size_t max_queued = 10'000;  // certificates waiting beyond this are dropped (the edge resends)
};

class DaySignoff {
 public:
  using DirectoryFn = std::function<std::shared_ptr<const StoreDirectory>()>;
  using Reply = std::function<void(const std::string& peer, const common::wire::Message& message)>;

  DaySignoff(DaySignoffOptions options, DirectoryFn directory, BatchApplier& applier, Fleet& fleet,
             Refusals& refusals, const common::Clock& clock);
  ~DaySignoff();
  DaySignoff(const DaySignoff&) = delete;
  DaySignoff& operator=(const DaySignoff&) = delete;

  // Opens days.db, shows what it holds in the fleet view, starts the comparing thread.
  common::Status Start();
  void Stop();

  // The replication server's dispatch: true when `message` is the sign-off's (DayCertificate,
  // DayEvents), handled here; answers go through `reply` (thread-safe, as ReplicationServer's).
  // `store` is the authenticated store (ZAP User-Id).
  bool Handle(const std::string& peer, const std::string& store,
              const common::wire::Message& message, const Reply& reply);

  // GET /api/v1/days: per store of the directory (or `store` alone) and per day from `from` to
  // `to` (YYYY-MM-DD; default the last 7 days before the store's today), its status —
  // certified, differs, pending, reopened, or not_certified when no certificate came.
  common::StatusOr<nlohmann::json> Days(const std::string& store, const std::string& from,
                                        const std::string& to, int64_t now_ms);

 private:
  struct Job {
    std::string peer;
    std::string store;
    common::wire::DayCertificate certificate;
    Reply reply;
  };
  void Run();
  void Compare(const Job& job);
  void HandleEvents(const std::string& peer, const std::string& store,
                    const common::wire::DayEvents& m, const Reply& reply);
  void Publish(const std::string& store);  // the store's summary into the fleet view

  DaySignoffOptions options_;
  DirectoryFn directory_;
  BatchApplier& applier_;
  Fleet& fleet_;
  Refusals& refusals_;
  const common::Clock& clock_;
  std::unique_ptr<DayStore> store_;
  std::unique_ptr<SQLite::Database> central_;  // the comparing thread's

  std::mutex mu_;
  std::condition_variable wake_;
  std::deque<Job> jobs_;   // guarded by mu_
  bool stopping_ = false;  // guarded by mu_
  std::thread thread_;
};

}  // namespace storepulse::central
