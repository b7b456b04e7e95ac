// The figures the view pass's tests compare, read from an edge or a central database: every KPI
// answer of a set of requests (every grouping, several periods, every scope), each store's stock
// summary and the stock of some SKUs. Read either as the daemons answer — the views plus the fold
// of the pending tail (common/store/pending_tail.h) — or from the views alone, and recomputed from
// a list of events by a fresh database of the same kind that folds them all at once. Exactly
// once means: views alone == recomputation of the events up to the watermark, and views + tail ==
// recomputation of every stored event.
//
// Figures are one JSON object keyed by what was asked ("kpi <scope> <by> <from>..<to>",
// "stock <store>", "sku <store> <sku>"), so that a difference names its query. The SKU rows leave
// out `updated` (when this node wrote the row: not a property of the events). Plain functions;
// the database must not be written by this thread meanwhile.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "central/stores_file.h"
#include "common/event.h"
#include "common/kpi/kpi_query.h"
#include "common/status.h"
#include "common/store/event_log.h"

namespace SQLite {
class Database;
}

namespace storepulse::test_support {

enum class ViewRead { kViewsAndTail, kViewsAlone };

struct FigureSpec {
  std::vector<common::KpiRequest> requests;
  std::vector<std::string> scopes;  // central only: "network", "region:R", "store:S"
  std::vector<std::string> skus;
};

// The key of a KPI answer in the figures: "kpi <scope> <by> <from>..<to>"; the edge's scope is
// "store:<store>".
std::string FigureKey(const std::string& scope, const common::KpiRequest& request);

// Every grouping (by=store and by=region only when `central`) over: all the days around the last
// `days` days (whole local days), a ragged range of instants (bucket reads and customer sets), and
// the one whole local day (UTC date) before `now_ms` (the edge's day counts).
std::vector<common::KpiRequest> EveryKpiRequest(int64_t now_ms, bool central, int days = 4);

common::StatusOr<nlohmann::json> EdgeFigures(SQLite::Database& db, ViewRead read,
                                             const FigureSpec& spec, int64_t now_ms);
common::StatusOr<nlohmann::json> CentralFigures(SQLite::Database& db,
                                                const central::StoreDirectory& directory,
                                                ViewRead read, const FigureSpec& spec,
                                                int64_t now_ms);

// A fresh edge database in `scratch_dir` (which must not hold one) with `events` appended in one
// commit and folded by a view pass, and its figures.
common::StatusOr<nlohmann::json> RecomputeEdge(const std::string& scratch_dir,
                                               const std::string& store,
                                               const std::string& timezone,
                                               const std::vector<common::Event>& events,
                                               const FigureSpec& spec, int64_t now_ms);
// The same for central: `log` (store and event, in log order) applied in one commit as one stream
// per store, then folded.
common::StatusOr<nlohmann::json> RecomputeCentral(const std::string& scratch_dir,
                                                  const central::StoreDirectory& directory,
                                                  const std::vector<common::LogEntry>& log,
                                                  const FigureSpec& spec, int64_t now_ms);

// The same in steps: a fresh database appends and folds events [0, ends[0]) in one group, then
// [ends[0], ends[1]) in another, …, and gives its figures after each step (`ends` ascending, the
// last at most the number of events).
common::StatusOr<std::vector<nlohmann::json>> RecomputeEdgeSteps(
    const std::string& scratch_dir, const std::string& store, const std::string& timezone,
    const std::vector<common::Event>& events, const std::vector<size_t>& ends,
    const FigureSpec& spec, int64_t now_ms);
common::StatusOr<std::vector<nlohmann::json>> RecomputeCentralSteps(
    const std::string& scratch_dir, const central::StoreDirectory& directory,
    const std::vector<common::LogEntry>& log, const std::vector<size_t>& ends,
    const FigureSpec& spec, int64_t now_ms);

// The whole log of an edge (store `store`) or central database, in log order.
common::StatusOr<std::vector<common::LogEntry>> ReadWholeLog(SQLite::Database& db,
                                                             common::EventLogKind kind,
                                                             const std::string& store = "");

// Empty when `got` equals `want`; else the first differences (up to `max`), one per line, each
// naming the figure, for a test failure.
std::string FigureDifferences(const nlohmann::json& got, const nlohmann::json& want,
                              size_t max = 8);

}  // namespace storepulse::test_support
