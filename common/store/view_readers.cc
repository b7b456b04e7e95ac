#include "common/store/view_readers.h"

#include <algorithm>
#include <map>

namespace storepulse::common {

namespace {

template <typename Key, typename Emit>
void EmitInRange(const std::map<Key, Measures>& rows, int64_t from, int64_t to, const Emit& emit) {
  for (const auto& [key, m] : rows) {
    if (key.bucket >= from && key.bucket < to) emit(key, m);
  }
}

class TailMeasureReader final : public MeasureReader {
 public:
  TailMeasureReader(StatementCache& statements, const std::string& store, const StoreTail& tail)
      : base_(statements, store), tail_(tail) {}

  Status ReadBuckets(int64_t from, int64_t to, const Sink& sink) override {
    RETURN_IF_ERROR(base_.ReadBuckets(from, to, sink));
    EmitInRange(tail_.buckets, from, to,
                [&](const BucketKey& k, const Measures& m) { sink(k.bucket, k.channel, m); });
    return OkStatus();
  }
  Status ReadDays(int64_t from, int64_t to, const Sink& sink) override {
    RETURN_IF_ERROR(base_.ReadDays(from, to, sink));
    EmitInRange(tail_.days, from, to,
                [&](const BucketKey& k, const Measures& m) { sink(k.bucket, k.channel, m); });
    return OkStatus();
  }
  bool InScopeViews() const override { return true; }
  Status ReadPendingDays(int64_t from, int64_t to, const Sink& sink) override {
    EmitInRange(tail_.days, from, to,
                [&](const BucketKey& k, const Measures& m) { sink(k.bucket, k.channel, m); });
    return OkStatus();
  }
  Status ReadDimension(Dimension dimension, Grain grain, int64_t from, int64_t to,
                       const KeyedSink& sink) override {
    RETURN_IF_ERROR(base_.ReadDimension(dimension, grain, from, to, sink));
    EmitInRange(grain == Grain::kDay ? tail_.dim_days : tail_.dim_buckets, from, to,
                [&](const DimensionKey& k, const Measures& m) {
                  if (k.dimension == dimension) sink(k.bucket, k.key, m);
                });
    return OkStatus();
  }

 private:
  SqliteMeasureReader base_;
  const StoreTail& tail_;
};

class TailCustomerReader final : public CustomerReader {
 public:
  TailCustomerReader(StatementCache& statements, const std::string& store, const StoreTail& tail,
                     bool views_current)
      : base_(statements, store), tail_(tail), views_current_(views_current) {}

  // The day sketches and new-customer counts do not hold pending customers: while any store has
  // some, the figures are read from the exact sets, which do (with the tail added).
  StatusOr<bool> ViewsReady() override {
    if (!views_current_) return false;
    return base_.ViewsReady();
  }
  Status ReadDaySketches(int64_t from, int64_t to, const SketchSink& sink) override {
    return base_.ReadDaySketches(from, to, sink);
  }
  Status ReadNewDayCounts(int64_t from, int64_t to, const DayCountSink& sink) override {
    return base_.ReadNewDayCounts(from, to, sink);
  }

  Status ReadSeen(int64_t from, int64_t to, const SeenSink& sink) override {
    RETURN_IF_ERROR(base_.ReadSeen(from, to, sink));
    for (const auto& [bucket, customer] : tail_.seen) {
      if (bucket >= from && bucket < to) sink(bucket, customer);
    }
    return OkStatus();
  }
  // A day with a pending customer has a stale count: not given, so it is read from the sets.
  Status ReadDayCounts(int64_t from, int64_t to, const DayCountSink& sink) override {
    return base_.ReadDayCounts(from, to, [&](int64_t day, int64_t customers) {
      if (!tail_.customer_days.contains(day)) sink(day, customers);
    });
  }
  Status ReadLinks(const LinkSink& sink) override {
    RETURN_IF_ERROR(base_.ReadLinks(sink));
    for (const auto& [customer, alias] : tail_.links) sink(customer, alias);
    return OkStatus();
  }
  Status ReadChannels(int64_t from, int64_t to, const ChannelSink& sink) override {
    RETURN_IF_ERROR(base_.ReadChannels(from, to, sink));
    for (const auto& [bucket, customer, channel] : tail_.channels) {
      if (bucket >= from && bucket < to) sink(bucket, customer, channel);
    }
    return OkStatus();
  }
  StatusOr<std::optional<int64_t>> ReadFirstOf(const std::string& customer) override {
    auto pending = tail_.firsts.find(customer);  // only when earlier than the stored one
    if (pending != tail_.firsts.end()) return std::optional<int64_t>(pending->second.first_ms);
    return base_.ReadFirstOf(customer);
  }
  Status ReadFirsts(int64_t from, int64_t to, const FirstSink& sink) override {
    RETURN_IF_ERROR(base_.ReadFirsts(from, to, [&](int64_t ts, const std::string& customer) {
      if (!tail_.firsts.contains(customer)) sink(ts, customer);  // else superseded by the tail
    }));
    for (const auto& [customer, first] : tail_.firsts) {
      if (first.first_ms >= from && first.first_ms < to) sink(first.first_ms, customer);
    }
    return OkStatus();
  }

 private:
  SqliteCustomerReader base_;
  const StoreTail& tail_;
  const bool views_current_;
};

class TailStockReader final : public StockReader {
 public:
  TailStockReader(StatementCache& statements, const std::string& store, const StoreTail& tail)
      : base_(statements, store), tail_(tail) {}

  // The stored rows and the tail's day rows, merged (the tail's win), then cut as the base does:
  // the row carried into from_day, then the rows of [from_day, to_day).
  Status ReadStockDays(int64_t from_day, int64_t to_day,
                       std::vector<StockSnapshot>* rows) override {
    std::vector<StockSnapshot> stored;
    RETURN_IF_ERROR(base_.ReadStockDays(from_day, to_day, &stored));
    std::map<int64_t, StockTotals> merged;
    for (const StockSnapshot& s : stored) merged[s.day] = s.totals;
    for (const auto& [day, totals] : tail_.stock_days) {
      if (day < to_day) merged[day] = totals;
    }
    auto first = merged.upper_bound(from_day);  // the carried row is the last one ≤ from_day
    if (first != merged.begin()) --first;
    for (auto it = first; it != merged.end(); ++it) rows->push_back({it->first, it->second});
    return OkStatus();
  }

 private:
  SqliteStockReader base_;
  const StoreTail& tail_;
};

}  // namespace

StoreViewReaders::StoreViewReaders(StatementCache& statements, const std::string& store,
                                   const PendingTail& pending) {
  static const StoreTail kNothingPending;
  const StoreTail* tail = pending.ForStore(store);
  customers_ = std::make_unique<TailCustomerReader>(
      statements, store, tail ? *tail : kNothingPending, !pending.has_customers());
  if (tail == nullptr) {
    measures_ = std::make_unique<SqliteMeasureReader>(statements, store);
    stock_ = std::make_unique<SqliteStockReader>(statements, store);
    return;
  }
  measures_ = std::make_unique<TailMeasureReader>(statements, store, *tail);
  stock_ = std::make_unique<TailStockReader>(statements, store, *tail);
}

StoreViewReaders::~StoreViewReaders() = default;

Status ViewScopeFirstsReader::ReadMembers(std::string_view prefix, const MemberSink& sink) {
  auto it = members_.find(prefix);
  if (it == members_.end()) {
    std::vector<Member> read;
    RETURN_IF_ERROR(base_.ReadMembers(
        prefix,
        [&](const std::string& scope, const std::string& store, int64_t first, int64_t last) {
          read.push_back({scope, store, first, last});
        }));
    it = members_.emplace(std::string(prefix), std::move(read)).first;
  }
  for (const Member& m : it->second) sink(m.scope, m.store, m.first_day, m.last_day);
  return OkStatus();
}

Status ViewScopeFirstsReader::ReadAllLinks(const StoreLinkSink& sink) {
  RETURN_IF_ERROR(base_.ReadAllLinks(sink));
  for (const auto& [store, tail] : tail_.stores()) {
    for (const auto& [customer, alias] : tail.links) sink(store, customer, alias);
  }
  return OkStatus();
}

StatusOr<std::optional<ScopeFirstsReader::ScopeFirst>> ViewScopeFirstsReader::ReadFirstOf(
    const std::string& scope, const std::string& customer) {
  const std::map<std::string, TailFirst>* firsts = tail_.ForScope(scope);
  if (firsts != nullptr) {
    auto pending = firsts->find(customer);  // only when earlier than the stored one
    if (pending != firsts->end()) {
      return std::optional<ScopeFirst>(ScopeFirst{pending->second.first_ms, pending->second.store});
    }
  }
  return base_.ReadFirstOf(scope, customer);
}

Status ViewScopeFirstsReader::ReadFirsts(const std::string& scope, int64_t from_ms, int64_t to_ms,
                                         const Sink& sink) {
  const std::map<std::string, TailFirst>* firsts = tail_.ForScope(scope);
  if (firsts == nullptr) return base_.ReadFirsts(scope, from_ms, to_ms, sink);
  RETURN_IF_ERROR(base_.ReadFirsts(
      scope, from_ms, to_ms, [&](int64_t ts, const std::string& store, const std::string& customer) {
        if (!firsts->contains(customer)) sink(ts, store, customer);
      }));
  for (const auto& [customer, first] : *firsts) {
    if (first.first_ms >= from_ms && first.first_ms < to_ms) sink(first.first_ms, first.store, customer);
  }
  return OkStatus();
}

StatusOr<std::optional<SkuStockRow>> ReadSkuStockNow(SQLite::Database& db,
                                                     const std::string& store,
                                                     const std::string& sku,
                                                     const StoreTail* tail) {
  ASSIGN_OR_RETURN(std::optional<SkuStockRow> row, ReadSkuStock(db, store, sku));
  if (tail == nullptr) return row;
  auto moved = tail->skus.find(sku);
  if (moved == tail->skus.end()) return row;
  // Not written yet: `updated` is the stored row's (or unknown).
  return std::optional<SkuStockRow>(
      SkuStockRow{store, sku, moved->second, row ? row->updated_ms : 0});
}

StatusOr<StockSummary> ReadStockSummaryNow(SQLite::Database& db, const std::string& store,
                                           int64_t limit, const StoreTail* tail) {
  const int64_t moved = tail == nullptr ? 0 : static_cast<int64_t>(tail->skus.size());
  ASSIGN_OR_RETURN(StockSummary summary, ReadStockSummary(db, store, limit + moved));
  if (tail != nullptr && tail->stock_totals) {
    summary.totals = *tail->stock_totals;
    std::vector<std::string> out;
    for (const std::string& sku : summary.out_of_stock) {
      if (!tail->skus.contains(sku)) out.push_back(sku);
    }
    for (const auto& [sku, state] : tail->skus) {
      if (state.ranged && state.on_hand <= 0) out.push_back(sku);
    }
    std::sort(out.begin(), out.end());
    summary.out_of_stock = std::move(out);
  }
  if (static_cast<int64_t>(summary.out_of_stock.size()) > limit) summary.out_of_stock.resize(limit);
  return summary;
}

}  // namespace storepulse::common
