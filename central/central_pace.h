// The pace of a store's day at central (docs/KPIS.md, "Pace"): the share of a normal day's net
// sales the store has done by now, from its own same weekdays of the last 8 weeks — the edge's
// computation (common/targets/pace.h) over central's copy of the store's figures. Central does not
// know a store's opening hours, so it paces only from history: none when the store has no history
// for today's weekday (the edge then paces flat over its opening hours, central stays pro rata).
// Day periods only (a week or month weighs weekdays central may have no history for).
// Reads through the caller's connection; stateless.
#pragma once

#include <cstdint>
#include <optional>

#include "central/stores_file.h"
#include "common/status.h"
#include "common/targets/pace.h"

namespace SQLite {
class Database;
}

namespace storepulse::central {

struct CentralPace {
  double share = 0;
  int history_days = 0;
};

// REQUIRES: `db` is central's database (read-only is enough).
common::StatusOr<std::optional<CentralPace>> StoreDayPace(SQLite::Database& db,
                                                          const StoreDirectory& directory,
                                                          const StoreEntry& store, int64_t now_ms);

}  // namespace storepulse::central
