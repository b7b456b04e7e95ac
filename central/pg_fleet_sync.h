// The fleet view shared by the centrals of one PostgreSQL: an edge speaks to one central at a
// time, so each central publishes the fleet records its edges changed (central/fleet.h,
// TakeChanged) to `storepulse.fleet` and merges the records the others wrote, every second. A
// store's newer record wins (last seen later), so after a failover every central shows the
// store as its new central hears it. Each central also publishes the refusals it made
// (`storepulse.shared_state`, name `refusals/<central>`) and shows the others' beside its own.
//
// One thread with a connection of its own; a lost connection is made again on the next round.
#pragma once

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <string>
#include <thread>

#include "central/fleet.h"
#include "central/pg_connection.h"
#include "central/refusals.h"

namespace storepulse::central {

class PgFleetSync {
 public:
  // `central`: this central's name in the table (host and pid).
  PgFleetSync(std::string conninfo, std::string central, Fleet& fleet, Refusals& refusals,
              int64_t interval_ms = 1000);
  ~PgFleetSync();
  PgFleetSync(const PgFleetSync&) = delete;
  PgFleetSync& operator=(const PgFleetSync&) = delete;

  void Start();
  void Stop();
  // One round: publish, then merge. For the thread and for tests.
  common::Status Sync();

 private:
  void Run();
  common::Status SyncRefusals();

  const std::string conninfo_;
  const std::string central_;
  Fleet& fleet_;
  Refusals& refusals_;
  std::string published_refusals_;  // the thread's: what it last published, and when
  std::chrono::steady_clock::time_point published_at_;
  const int64_t interval_ms_;
  std::unique_ptr<PgConnection> db_;  // the thread's
  int64_t merged_to_ms_ = 0;          // server time of the last merge, less a margin
  std::mutex mu_;
  std::condition_variable wake_;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace storepulse::central
