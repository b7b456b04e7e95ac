// alerts.db, in central's data dir: what central's alerts must keep across a restart — the raised
// alerts with their since, acknowledgements and what receivers were told, the silences, the
// recently cleared — and the webhook outbox, the deliveries not yet taken by their receiver. A
// file of its own (not central.db): it is the same with SQLite or PostgreSQL as the log of record,
// and it holds no figure.
//
// Schema, version 1 (meta.schema_version):
//   meta(key TEXT PRIMARY KEY, value TEXT)
//   state(id INTEGER PRIMARY KEY CHECK (id = 1), json TEXT NOT NULL)  -- AlertMonitor's, one row
//   outbox(seq INTEGER PRIMARY KEY AUTOINCREMENT, receiver TEXT NOT NULL, payload TEXT NOT NULL,
//          attempts INTEGER NOT NULL, next_attempt_ms INTEGER NOT NULL, last_error TEXT NOT NULL)
// Exactly once: a change of the alerts and its deliveries are written in one transaction
// (Save), and a delivery leaves the outbox only when its receiver answered 2xx (Delivered).
// The outbox is bounded: beyond max_pending the oldest deliveries are dropped, and counted.
//
// Thread-safe: one connection under a mutex (the monitor's thread, the delivery thread and the
// HTTP threads that acknowledge or silence).
#pragma once

#include <cstdint>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "common/status.h"

namespace SQLite {
class Database;
}

namespace storepulse::central {

struct PendingDelivery {
  int64_t seq = 0;  // outbox order; set by the store
  std::string receiver;  // the webhook URL
  std::string payload;   // the body to POST
  int64_t attempts = 0;  // failed so far
  int64_t next_attempt_ms = 0;
};

class AlertStore {
 public:
  // Opens (creating) `path`; `max_pending`: outbox bound (0: none).
  static common::StatusOr<std::unique_ptr<AlertStore>> Open(const std::string& path,
                                                           int64_t max_pending);
  ~AlertStore();
  AlertStore(const AlertStore&) = delete;
  AlertStore& operator=(const AlertStore&) = delete;

  // The last saved state; null when none was ever saved.
  common::StatusOr<nlohmann::json> LoadState();
  // In one transaction: `state` (unless null) and the new deliveries, due at once. Answers how
  // many old deliveries were dropped to keep within max_pending.
  common::StatusOr<int64_t> Save(const nlohmann::json& state,
                                 const std::vector<PendingDelivery>& deliveries, int64_t now_ms);
  // The oldest pending delivery of each receiver (a receiver gets its deliveries in order).
  common::StatusOr<std::vector<PendingDelivery>> Heads();
  common::Status Delivered(int64_t seq);
  common::Status Retry(int64_t seq, int64_t attempts, int64_t next_attempt_ms,
                       const std::string& error);
  common::StatusOr<int64_t> Pending();
  const std::string& path() const { return path_; }

 private:
  AlertStore(std::unique_ptr<SQLite::Database> db, std::string path, int64_t max_pending);

  std::mutex mu_;
  std::unique_ptr<SQLite::Database> db_;  // guarded by mu_
  const std::string path_;
  const int64_t max_pending_;
};

}  // namespace storepulse::central
