#include "tests/integration/view_check.h"

#include <cmath>
#include <functional>

#include "common/kpi/kpi_json.h"

#include <SQLiteCpp/SQLiteCpp.h>

#include <algorithm>
#include <limits>
#include <map>
#include <memory>
#include <optional>

#include "central/central_kpis.h"
#include "central/central_store.h"
#include "common/kpi/kpi_compare.h"
#include "common/store/customer_table.h"
#include "common/store/pending_tail.h"
#include "common/store/stock_table.h"
#include "common/store/view_pass.h"
#include "common/store/view_readers.h"
#include "common/time_util.h"
#include "common/time_zone.h"
#include "edge/edge_kpis.h"
#include "edge/event_store.h"

namespace storepulse::test_support {
namespace {

using common::Status;
using common::StatusOr;

constexpr int64_t kDayMs = 24 * 3600 * 1000;
constexpr int64_t kOutOfStockLimit = 1000;  // every out-of-stock SKU of these tests
constexpr int64_t kFoldTimeoutMs = 60'000;

std::string UtcDate(int64_t utc_ms) {
  static const common::TimeZone utc = *common::TimeZone::Load("UTC");
  return common::TimeZone::FormatLocalDate(utc.LocalDayOf(utc_ms));
}

// The store's stock summary and the asked SKUs, with the tail's movements when there is one.
Status AddStock(SQLite::Database& db, const std::string& store, const common::StoreTail* tail,
                const std::vector<std::string>& skus, nlohmann::json* figures) {
  ASSIGN_OR_RETURN(const common::StockSummary summary,
                   common::ReadStockSummaryNow(db, store, kOutOfStockLimit, tail));
  (*figures)["stock " + store] = {{"ranged", summary.totals.ranged},
                                  {"in_stock", summary.totals.in_stock},
                                  {"on_hand_total", summary.totals.on_hand_total},
                                  {"out_of_stock", summary.out_of_stock}};
  for (const std::string& sku : skus) {
    ASSIGN_OR_RETURN(const std::optional<common::SkuStockRow> row,
                     common::ReadSkuStockNow(db, store, sku, tail));
    (*figures)["sku " + store + " " + sku] = row ? nlohmann::json{{"on_hand", row->stock.on_hand},
                                                                  {"ranged", row->stock.ranged},
                                                                  {"last_ts", row->stock.last_ts}}
                                                 : nlohmann::json(nullptr);
  }
  return common::OkStatus();
}

StatusOr<nlohmann::json> EdgeViewsAlone(SQLite::Database& db, const edge::StoreInfo& info,
                                        const common::TimeZone& zone,
                                        const common::KpiRequest& request, int64_t now_ms) {
  static const common::PendingTail kNothing;
  common::StatementCache statements(db);
  common::StoreViewReaders views(statements, info.store, kNothing);
  std::vector<common::StoreSource> sources = {
      {info.store, "", &zone, views.measures(), 0, views.stock(), views.customers()}};
  common::KpiRequest scoped = request;
  scoped.scope = "store:" + info.store;
  ASSIGN_OR_RETURN(const common::KpiAnswer answer,
                   common::RunKpiQueryCompared(scoped, common::CompareWith::kNone, sources, now_ms));
  return common::KpiAnswerJson(answer);
}

StatusOr<nlohmann::json> CentralViewsAlone(SQLite::Database& db,
                                           const central::StoreDirectory& directory,
                                           const std::string& scope, common::KpiRequest request,
                                           int64_t now_ms) {
  ASSIGN_OR_RETURN(const std::vector<const central::StoreEntry*> stores,
                   central::StoresInScope(directory, scope));
  common::StatementCache statements(db);
  common::SqliteScopeFirstsReader scope_firsts(statements);
  static const common::PendingTail kNothing;
  std::vector<std::unique_ptr<common::StoreViewReaders>> readers;
  std::vector<common::StoreSource> sources;
  for (const central::StoreEntry* entry : stores) {
    auto& views = readers.emplace_back(
        std::make_unique<common::StoreViewReaders>(statements, entry->store, kNothing));
    sources.push_back({entry->store, entry->region, &entry->zone, views->measures(), entry->area_m2,
                       views->stock(), views->customers(), &scope_firsts});
  }
  request.scope = scope == "network" ? "network" : scope;
  ASSIGN_OR_RETURN(const common::KpiAnswer answer,
                   common::RunKpiQueryCompared(request, common::CompareWith::kNone, sources, now_ms));
  return common::KpiAnswerJson(answer);
}

}  // namespace

std::string FigureKey(const std::string& scope, const common::KpiRequest& request) {
  return "kpi " + scope + " " + std::string(common::GroupByName(request.by)) + " " + request.from +
         ".." + request.to;
}

std::vector<common::KpiRequest> EveryKpiRequest(int64_t now_ms, bool central, int days) {
  std::vector<common::GroupBy> groupings = {common::GroupBy::kTotal,    common::GroupBy::kDay,
                                            common::GroupBy::kHour,     common::GroupBy::kChannel,
                                            common::GroupBy::kEmployee, common::GroupBy::kSku};
  if (central)
    groupings.insert(groupings.end(), {common::GroupBy::kStore, common::GroupBy::kRegion});
  const std::vector<std::pair<std::string, std::string>> periods = {
      {UtcDate(now_ms - (days + 1) * kDayMs), UtcDate(now_ms + 2 * kDayMs)},
      {common::FormatRfc3339Utc(now_ms - days * kDayMs / 2 - 7 * 60'000),
       common::FormatRfc3339Utc(now_ms - 5 * 3600'000 - 7 * 60'000)},
      {UtcDate(now_ms - kDayMs), ""}};
  std::vector<common::KpiRequest> requests;
  for (const auto& [from, to] : periods) {
    for (common::GroupBy by : groupings) {
      common::KpiRequest request;
      request.from = from;
      request.to = to;
      request.by = by;
      requests.push_back(request);
    }
  }
  return requests;
}

StatusOr<nlohmann::json> EdgeFigures(SQLite::Database& db, ViewRead read, const FigureSpec& spec,
                                     int64_t now_ms) {
  common::ReadSnapshot snapshot(db);  // one instant for every figure
  ASSIGN_OR_RETURN(const edge::StoreInfo info, edge::ReadStoreInfo(db));
  ASSIGN_OR_RETURN(const common::TimeZone zone, common::TimeZone::Load(info.timezone));
  std::optional<common::PendingTail> tail;
  if (read == ViewRead::kViewsAndTail) {
    ASSIGN_OR_RETURN(tail, edge::ReadEdgeTail(db, info, zone));
  }
  nlohmann::json figures = nlohmann::json::object();
  for (const common::KpiRequest& request : spec.requests) {
    // Views and tail: the daemon's own query; views alone: the same engine without the tail.
    nlohmann::json answer;
    if (tail) {
      ASSIGN_OR_RETURN(const common::KpiAnswer typed, edge::QueryEdgeKpis(db, request, now_ms));
      answer = common::KpiAnswerJson(typed);
    } else {
      ASSIGN_OR_RETURN(answer, EdgeViewsAlone(db, info, zone, request, now_ms));
    }
    figures[FigureKey("store:" + info.store, request)] = std::move(answer);
  }
  RETURN_IF_ERROR(
      AddStock(db, info.store, tail ? tail->ForStore(info.store) : nullptr, spec.skus, &figures));
  return figures;
}

StatusOr<nlohmann::json> CentralFigures(SQLite::Database& db,
                                        const central::StoreDirectory& directory, ViewRead read,
                                        const FigureSpec& spec, int64_t now_ms) {
  common::ReadSnapshot snapshot(db);
  std::optional<common::PendingTail> tail;
  if (read == ViewRead::kViewsAndTail) {
    ASSIGN_OR_RETURN(tail, common::PendingTail::Read(db, common::EventLogKind::kCentral, "",
                                                     central::ResolveFrom(directory)));
  }
  nlohmann::json figures = nlohmann::json::object();
  for (const std::string& scope : spec.scopes) {
    if (tail) {
      // What QueryCentralKpis does, with the tail read once per scope rather than per request.
      ASSIGN_OR_RETURN(const std::vector<const central::StoreEntry*> stores,
                       central::StoresInScope(directory, scope));
      ASSIGN_OR_RETURN(std::unique_ptr<central::CentralSources> sources,
                       central::CentralSources::Read(db, directory, stores));
      for (common::KpiRequest request : spec.requests) {
        request.scope = scope;
        ASSIGN_OR_RETURN(const common::KpiAnswer answer,
                         common::RunKpiQueryCompared(request, common::CompareWith::kNone,
                                                     sources->sources(), now_ms));
        figures[FigureKey(scope, request)] = common::KpiAnswerJson(answer);
      }
      continue;
    }
    for (const common::KpiRequest& request : spec.requests) {
      ASSIGN_OR_RETURN(figures[FigureKey(scope, request)],
                       CentralViewsAlone(db, directory, scope, request, now_ms));
    }
  }
  for (const central::StoreEntry& entry : directory.stores()) {
    RETURN_IF_ERROR(AddStock(db, entry.store, tail ? tail->ForStore(entry.store) : nullptr,
                             spec.skus, &figures));
  }
  return figures;
}

StatusOr<std::vector<nlohmann::json>> RecomputeEdgeSteps(const std::string& scratch_dir,
                                                         const std::string& store,
                                                         const std::string& timezone,
                                                         const std::vector<common::Event>& events,
                                                         const std::vector<size_t>& ends,
                                                         const FigureSpec& spec, int64_t now_ms) {
  ASSIGN_OR_RETURN(const common::TimeZone zone, common::TimeZone::Load(timezone));
  ASSIGN_OR_RETURN(std::unique_ptr<edge::EventStore> log,
                   edge::EventStore::Open(scratch_dir, store, zone, edge::Durability::kNormal));
  common::SystemClock clock;
  common::ViewPassOptions options;
  options.group_ms = kFoldTimeoutMs;  // folds when told, each step in one group
  options.max_group_events = std::max<size_t>(events.size(), 1);
  ASSIGN_OR_RETURN(std::unique_ptr<common::ViewPass> pass, log->OpenViewPass(clock, options));
  pass->Start();
  std::vector<nlohmann::json> steps;
  size_t begin = 0;
  for (size_t end : ends) {
    {
      ASSIGN_OR_RETURN(edge::EventStore::Group group, log->BeginGroup());
      std::vector<edge::AppendOutcome> outcomes;
      const std::vector<common::Event> step(events.begin() + begin, events.begin() + end);
      RETURN_IF_ERROR(group.Append(step, 0, &outcomes));
      RETURN_IF_ERROR(group.Commit());
    }
    pass->Committed(log->info().last_seq);
    RETURN_IF_ERROR(pass->CatchUp(log->info().last_seq, kFoldTimeoutMs));
    ASSIGN_OR_RETURN(std::unique_ptr<SQLite::Database> db, edge::OpenReadOnly(scratch_dir));
    ASSIGN_OR_RETURN(steps.emplace_back(), EdgeFigures(*db, ViewRead::kViewsAlone, spec, now_ms));
    begin = end;
  }
  return steps;
}

StatusOr<nlohmann::json> RecomputeEdge(const std::string& scratch_dir, const std::string& store,
                                       const std::string& timezone,
                                       const std::vector<common::Event>& events,
                                       const FigureSpec& spec, int64_t now_ms) {
  ASSIGN_OR_RETURN(
      std::vector<nlohmann::json> steps,
      RecomputeEdgeSteps(scratch_dir, store, timezone, events, {events.size()}, spec, now_ms));
  return std::move(steps.back());
}

namespace {

// Applies `entries` in one commit, a run of one store's entries as one batch of its stream, so
// that the log keeps their order. `acked`: each store's stream position.
Status ApplyInOrder(central::CentralStore& store, std::vector<common::LogEntry>::const_iterator at,
                    std::vector<common::LogEntry>::const_iterator end,
                    std::map<std::string, int64_t>* acked, int64_t now_ms) {
  ASSIGN_OR_RETURN(central::CentralStore::Group group, store.BeginGroup());
  while (at != end) {
    central::StreamBatch batch{{at->store, "recompute"}, (*acked)[at->store] + 1, {}};
    for (; at != end && at->store == batch.stream.store; ++at) batch.events.push_back(at->event);
    ASSIGN_OR_RETURN(const central::ApplyOutcome outcome, group.Apply(batch, now_ms));
    (*acked)[batch.stream.store] = outcome.acked_seq;
  }
  return group.Commit();
}

}  // namespace

StatusOr<std::vector<nlohmann::json>> RecomputeCentralSteps(
    const std::string& scratch_dir, const central::StoreDirectory& directory,
    const std::vector<common::LogEntry>& log, const std::vector<size_t>& ends,
    const FigureSpec& spec, int64_t now_ms) {
  ASSIGN_OR_RETURN(std::unique_ptr<central::CentralStore> store,
                   central::CentralStore::Open(scratch_dir, false));
  common::SystemClock clock;
  common::ViewPassOptions options;
  options.group_ms = kFoldTimeoutMs;  // folds when told, each step in one group
  options.max_group_events = std::max<size_t>(log.size(), 1);
  ASSIGN_OR_RETURN(std::unique_ptr<common::ViewPass> pass,
                   store->OpenViewPass(central::ResolveFrom(directory), clock, options));
  pass->Start();
  std::vector<nlohmann::json> steps;
  std::map<std::string, int64_t> acked;
  size_t begin = 0;
  for (size_t end : ends) {
    RETURN_IF_ERROR(ApplyInOrder(*store, log.begin() + begin, log.begin() + end, &acked, now_ms));
    pass->Committed(store->log_end());
    RETURN_IF_ERROR(pass->CatchUp(store->log_end(), kFoldTimeoutMs));
    try {
      SQLite::Database db(central::CentralDatabasePath(scratch_dir), SQLite::OPEN_READONLY);
      ASSIGN_OR_RETURN(steps.emplace_back(),
                       CentralFigures(db, directory, ViewRead::kViewsAlone, spec, now_ms));
    } catch (const std::exception& e) {
      return common::Unavailable(std::string("cannot read the recomputed database: ") + e.what());
    }
    begin = end;
  }
  return steps;
}

StatusOr<nlohmann::json> RecomputeCentral(const std::string& scratch_dir,
                                          const central::StoreDirectory& directory,
                                          const std::vector<common::LogEntry>& log,
                                          const FigureSpec& spec, int64_t now_ms) {
  ASSIGN_OR_RETURN(std::vector<nlohmann::json> steps,
                   RecomputeCentralSteps(scratch_dir, directory, log, {log.size()}, spec, now_ms));
  return std::move(steps.back());
}

StatusOr<std::vector<common::LogEntry>> ReadWholeLog(SQLite::Database& db,
                                                     common::EventLogKind kind,
                                                     const std::string& store) {
  std::vector<common::LogEntry> log;
  RETURN_IF_ERROR(
      common::ReadLogAfter(db, kind, store, 0, std::numeric_limits<size_t>::max(), &log));
  return log;
}

namespace {

// Where either side of a KPI row estimates its customer figures (the sketches: folded rows over
// several days or stores; pending customers are read from the exact sets), those figures are
// compared within 3 % (3 standard errors of the sketch: ±2.4 %) and then set aside, with the
// marker, so the rest compares exactly.
void SetEstimatesAside(nlohmann::json* got, nlohmann::json* want,
                       const std::function<void(const std::string&)>& note) {
  static const char* kEstimated[] = {"customers", "recruitment_rate", "purchase_frequency", "clv"};
  for (auto& [key, value] : want->items()) {
    if (!got->contains(key) || !value.is_object() || !value.contains("rows")) continue;
    nlohmann::json& want_rows = value["rows"];
    nlohmann::json& got_rows = (*got)[key]["rows"];
    if (!got_rows.is_array() || got_rows.size() != want_rows.size()) continue;
    for (size_t i = 0; i < want_rows.size(); ++i) {
      nlohmann::json& a = got_rows[i];
      nlohmann::json& b = want_rows[i];
      if (!a.contains("approximate") && !b.contains("approximate")) continue;
      for (const char* field : kEstimated) {
        const bool close = a[field].is_number() && b[field].is_number()
                               ? std::abs(a[field].get<double>() - b[field].get<double>()) <=
                                     0.03 * std::abs(b[field].get<double>()) + 1e-9
                               : a[field] == b[field];
        if (!close) {
          note(key + " /rows/" + std::to_string(i) + "/" + field + ": got " + a[field].dump() +
               ", want " + b[field].dump() + " (an estimate, beyond 3 %)");
        }
        a.erase(field);
        b.erase(field);
      }
      a.erase("approximate");
      b.erase("approximate");
    }
  }
}

}  // namespace

std::string FigureDifferences(const nlohmann::json& got_in, const nlohmann::json& want_in,
                              size_t max) {
  std::string out;
  size_t found = 0;
  auto note = [&](const std::string& line) {
    if (found++ < max) out += line + "\n";
  };
  nlohmann::json got = got_in, want = want_in;
  SetEstimatesAside(&got, &want, note);
  for (const auto& [key, value] : want.items()) {
    if (!got.contains(key)) {
      note(key + ": missing");
      continue;
    }
    if (got[key] == value) continue;
    for (const auto& op : nlohmann::json::diff(value, got[key])) {
      const std::string path = op["path"];
      const nlohmann::json::json_pointer pointer(path);
      note(key + " " + path + ": got " +
           (got[key].contains(pointer) ? got[key][pointer].dump() : "nothing") + ", want " +
           (value.contains(pointer) ? value[pointer].dump() : "nothing"));
    }
  }
  for (const auto& [key, value] : got.items()) {
    if (!want.contains(key)) note(key + ": not expected");
  }
  if (found > max) out += "… " + std::to_string(found - max) + " more\n";
  return out;
}

}  // namespace storepulse::test_support
