// What connectors keep between requests — an Axis counter's last cumulative reading, say — in
// connectors.db beside edge.db: (connector, key) → value, written only once the events mapped
// from a request are durable, so a crash in between makes the re-sent request map to the same
// event ids (duplicates) and then keep its state. Its own small file, so these rare writes never
// queue behind the event writer. Thread-safe.
#pragma once

#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include "common/status.h"

namespace SQLite {
class Database;
}

namespace storepulse::edge {

class ConnectorState {
 public:
  // Opens (creating) DIR/connectors.db.
  static common::StatusOr<std::unique_ptr<ConnectorState>> Open(const std::string& data_dir);
  ~ConnectorState();

  common::StatusOr<std::optional<std::string>> Get(const std::string& connector,
                                                   const std::string& key);
  // All of `values` in one transaction. At most once a day it also forgets what was not written
  // for kForgetAfterMs (an order whose refund comes after that counts as from the web; an Axis
  // counter gone that long starts again from a baseline), so the file stays bounded.
  common::Status Put(const std::string& connector, const std::map<std::string, std::string>& values,
                     int64_t now_ms);

  static constexpr int64_t kForgetAfterMs = 400LL * 86'400'000;

 private:
  explicit ConnectorState(std::unique_ptr<SQLite::Database> db);
  std::mutex mu_;
  int64_t last_forget_ms_ = 0;  // guarded by mu_
  std::unique_ptr<SQLite::Database> db_;
};

}  // namespace storepulse::edge
