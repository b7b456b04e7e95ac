#include "central/network_context.h"

#include <map>

#include "central/central_kpis.h"
#include "common/kpi/kpi_compare.h"
#include "common/kpi/measures.h"
#include "common/time_util.h"

namespace storepulse::central {
namespace {

using common::ContextFigures;
using common::Kpi;
using common::KpiRow;
using common::KpiValue;

constexpr size_t kNetSalesChange = 1;  // the index of net_sales_change in kContextFigures

// A row and its comparison, or nothing for a key the answer lacks.
struct RowAndChange {
  const KpiRow* row = nullptr;
  const common::RowComparison* compare = nullptr;
};

std::map<std::string, RowAndChange> ByKey(const common::KpiAnswer& answer) {
  std::map<std::string, RowAndChange> rows;
  for (size_t i = 0; i < answer.rows.size(); ++i) {
    const common::RowComparison* compare =
        answer.compare && i < answer.compare->rows.size() ? &answer.compare->rows[i] : nullptr;
    rows[answer.rows[i].key] = {&answer.rows[i], compare};
  }
  return rows;
}

ContextFigures FiguresOf(const RowAndChange& found) {
  ContextFigures figures;
  if (found.row == nullptr) return figures;
  for (size_t i = 0; i < common::kContextFigureCount; ++i) {
    if (i == kNetSalesChange) {
      if (found.compare != nullptr) {
        figures[i] = found.compare->change[static_cast<size_t>(Kpi::kNetSales)];
      }
      continue;
    }
    figures[i] = (*found.row)[*common::FindKpi(common::kContextFigures[i])];
  }
  return figures;
}

// Whether more of figure `f` is better: the catalogue's word for a KPI; a rise in net sales is.
bool HigherIsBetter(size_t f) {
  if (f == kNetSalesChange) return true;
  return common::InfoOf(*common::FindKpi(common::kContextFigures[f])).higher_is_better;
}

bool IsPositive(const KpiValue& value) { return !value.is_null() && value.AsDouble() > 0; }

// No sale, no return and no visitor that day: the store takes no rank.
bool HasData(const RowAndChange& found) {
  if (found.row == nullptr) return false;
  const KpiRow& row = *found.row;
  return IsPositive(row[Kpi::kTransactions]) || IsPositive(row[Kpi::kUnitsReturned]) ||
         IsPositive(row[Kpi::kFootfall]);
}

// Each store's day: its figures, its region's, the network's and its ranks.
std::vector<common::ContextDay> BuildDays(const StoreDirectory& directory,
                                          const ContextAnswers& answers, int64_t now_ms,
                                          int days_back) {
  const std::map<std::string, RowAndChange> stores = ByKey(answers.by_store);
  const std::map<std::string, RowAndChange> regions = ByKey(answers.by_region);
  const ContextFigures network = answers.network.rows.empty()
                                     ? ContextFigures{}
                                     : FiguresOf(ByKey(answers.network).begin()->second);
  std::vector<common::ContextDay> days;
  std::map<std::string, std::vector<size_t>> members;  // region → indexes into days
  std::vector<bool> has_data;
  for (const StoreEntry& entry : directory.stores()) {
    common::ContextDay day;
    day.date = common::TimeZone::FormatLocalDate(entry.zone.LocalDayOf(now_ms) - days_back);
    const auto store = stores.find(entry.store);
    if (store != stores.end()) day.store = FiguresOf(store->second);
    has_data.push_back(store != stores.end() && HasData(store->second));
    members[entry.region].push_back(days.size());
    const auto region = regions.find(entry.region);
    if (region != regions.end()) day.region = FiguresOf(region->second);
    day.network = network;
    days.push_back(std::move(day));
  }
  for (const auto& [region, indexes] : members) {
    for (size_t f = 0; f < common::kContextFigureCount; ++f) {
      std::vector<size_t> ranked;
      for (size_t i : indexes) {
        if (has_data[i] && !days[i].store[f].is_null()) ranked.push_back(i);
      }
      for (size_t i : indexes) days[i].rank[f].of = static_cast<int>(ranked.size());
      const double sense = HigherIsBetter(f) ? 1 : -1;
      for (size_t i : ranked) {
        int better = 0;
        for (size_t j : ranked) {
          if (sense * days[j].store[f].AsDouble() > sense * days[i].store[f].AsDouble()) ++better;
        }
        days[i].rank[f].rank = better + 1;
      }
    }
  }
  return days;
}

common::StatusOr<ContextAnswers> QueryDay(SQLite::Database& db, const StoreDirectory& directory,
                                          const common::KpiRequest& base, int64_t now_ms) {
  ContextAnswers answers;
  const std::pair<common::GroupBy, common::KpiAnswer*> groupings[] = {
      {common::GroupBy::kStore, &answers.by_store},
      {common::GroupBy::kRegion, &answers.by_region},
      {common::GroupBy::kTotal, &answers.network}};
  for (const auto& [by, answer] : groupings) {
    common::KpiRequest request = base;
    request.by = by;
    ASSIGN_OR_RETURN(*answer, QueryCentralKpis(db, directory, "network", request, now_ms,
                                               common::CompareWith::kPreviousWeek));
  }
  return answers;
}

}  // namespace

std::vector<common::NetworkContext> BuildNetworkContexts(const StoreDirectory& directory,
                                                         const ContextAnswers& today,
                                                         const ContextAnswers& yesterday,
                                                         int64_t now_ms) {
  std::vector<common::ContextDay> todays = BuildDays(directory, today, now_ms, 0);
  std::vector<common::ContextDay> yesterdays = BuildDays(directory, yesterday, now_ms, 1);
  std::map<std::string, int> region_stores;
  for (const StoreEntry& entry : directory.stores()) ++region_stores[entry.region];
  std::vector<common::NetworkContext> contexts;
  for (size_t i = 0; i < directory.stores().size(); ++i) {
    const StoreEntry& entry = directory.stores()[i];
    contexts.push_back({entry.store, entry.name, entry.region, now_ms, region_stores[entry.region],
                        static_cast<int>(directory.stores().size()), std::move(todays[i]),
                        std::move(yesterdays[i])});
  }
  return contexts;
}

common::StatusOr<std::vector<common::NetworkContext>> ReadNetworkContexts(
    SQLite::Database& db, const StoreDirectory& directory, int64_t now_ms) {
  if (directory.stores().empty()) return std::vector<common::NetworkContext>();
  common::KpiRequest today;  // from each store's local midnight to the end of the current bucket
  today.to = common::FormatRfc3339Utc((common::BucketOf(now_ms) + 1) * common::kBucketMs);
  ASSIGN_OR_RETURN(const ContextAnswers today_answers, QueryDay(db, directory, today, now_ms));
  int64_t yesterday_ms = 0;  // a "now" in each store's local yesterday
  {
    ASSIGN_OR_RETURN(const std::vector<const StoreEntry*> stores,
                     StoresInScope(directory, "network"));
    ASSIGN_OR_RETURN(std::unique_ptr<CentralSources> sources,
                     CentralSources::Read(db, directory, stores));
    yesterday_ms = common::ShiftedNowMs(sources->sources(), now_ms, 1);
  }
  ASSIGN_OR_RETURN(const ContextAnswers yesterday_answers,
                   QueryDay(db, directory, common::KpiRequest{}, yesterday_ms));
  return BuildNetworkContexts(directory, today_answers, yesterday_answers, now_ms);
}

}  // namespace storepulse::central
