// The KPI engine's readers (common/kpi) over the views plus the pending tail
// (common/store/pending_tail.h): each emits the stored rows, then what the pending events add,
// and where the tail makes a stored figure stale (a day's customer count, a first purchase, a
// stock snapshot) it answers the tail's instead. Not owned: the statements and the tail must
// outlive them.
// One query, one thread.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "common/kpi/customers.h"
#include "common/kpi/kpi_query.h"
#include "common/kpi/stock_kpis.h"
#include "common/store/customer_table.h"
#include "common/store/measure_table.h"
#include "common/store/pending_tail.h"
#include "common/store/stock_table.h"

namespace storepulse::common {

// One store's measure, stock and customer readers over the views and `pending`, on the statements
// of `statements` (one cache for every store of a query).
class StoreViewReaders {
 public:
  StoreViewReaders(StatementCache& statements, const std::string& store,
                   const PendingTail& pending);
  ~StoreViewReaders();
  StoreViewReaders(const StoreViewReaders&) = delete;
  StoreViewReaders& operator=(const StoreViewReaders&) = delete;

  MeasureReader* measures() const { return measures_.get(); }
  StockReader* stock() const { return stock_.get(); }
  CustomerReader* customers() const { return customers_.get(); }

 private:
  std::unique_ptr<MeasureReader> measures_;
  std::unique_ptr<StockReader> stock_;
  std::unique_ptr<CustomerReader> customers_;
};

// First purchases at the region and network scopes (central), with the tail's.
class ViewScopeFirstsReader final : public ScopeFirstsReader {
 public:
  ViewScopeFirstsReader(StatementCache& statements, const PendingTail& tail)
      : base_(statements), tail_(tail) {}
  Status ReadFirsts(const std::string& scope, int64_t from_ms, int64_t to_ms,
                    const Sink& sink) override;
  // Read only while no pending event has a customer (CustomerReader::ViewsReady): the views'.
  Status ReadDaySketches(const std::string& scope, int64_t from_day, int64_t to_day,
                         const SketchSink& sink) override {
    return base_.ReadDaySketches(scope, from_day, to_day, sink);
  }
  Status ReadNewDayCounts(const std::string& scope, int64_t from_day, int64_t to_day,
                          const DayCountSink& sink) override {
    return base_.ReadNewDayCounts(scope, from_day, to_day, sink);
  }
  // Read once per prefix: a query plans its measures and its customers on the same members.
  Status ReadMembers(std::string_view prefix, const MemberSink& sink) override;
  Status ReadAllLinks(const StoreLinkSink& sink) override;
  StatusOr<std::optional<ScopeFirst>> ReadFirstOf(const std::string& scope,
                                                  const std::string& customer) override;
  StatusOr<bool> MeasureDaysReady() override { return base_.MeasureDaysReady(); }
  // The views' only: each store's pending rows come from its own reader (ReadPendingDays).
  Status ReadMeasureDays(
      const std::string& scope, int64_t from_day, int64_t to_day,
      const std::function<void(int64_t, Channel, const Measures&)>& sink) override {
    return base_.ReadMeasureDays(scope, from_day, to_day, sink);
  }

 private:
  struct Member {
    std::string scope, store;
    int64_t first_day, last_day;
  };
  SqliteScopeFirstsReader base_;
  const PendingTail& tail_;
  std::map<std::string, std::vector<Member>, std::less<>> members_;  // by prefix
};

// ReadSkuStock and ReadStockSummary (common/store/stock_table.h) with the tail's movements.
StatusOr<std::optional<SkuStockRow>> ReadSkuStockNow(SQLite::Database& db,
                                                     const std::string& store,
                                                     const std::string& sku,
                                                     const StoreTail* tail);
StatusOr<StockSummary> ReadStockSummaryNow(SQLite::Database& db, const std::string& store,
                                           int64_t limit, const StoreTail* tail);

}  // namespace storepulse::common
