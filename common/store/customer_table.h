// The customer tables behind the distinct-customer KPIs (common/kpi/customers.h), in the edge and
// central databases alike. Schema (version 1), WITHOUT ROWID:
//   customer_seen(store TEXT, bucket INTEGER, customer TEXT, PRIMARY KEY(store, bucket, customer))
//   customer_first(store TEXT, customer TEXT, first_ts INTEGER, PRIMARY KEY(store, customer))
//     + index customer_first_ts(store, first_ts)
//   customer_day(store TEXT, day INTEGER, customer TEXT, PRIMARY KEY(store, day, customer))
//   customer_day_count(store TEXT, day INTEGER, customers INTEGER, PRIMARY KEY(store, day))
//     the distinct customers of each local day (the buckets starting in it), counted as they are
//     stored so a one-day query reads one row; a day without a count row is read from
//     customer_seen (days stored before these tables, or before a change of time zone). Written
//     at the edge only: central, whose single writer bounds the network, reads the sets.
// and at central only (`with_scopes`):
//   customer_first_region(region TEXT, customer TEXT, first_ts INTEGER, store TEXT,
//                         first_day INTEGER, PRIMARY KEY(region, customer)) + index on
//                         (region, first_ts)
//   customer_first_network(customer TEXT PRIMARY KEY, first_ts INTEGER, store TEXT,
//                          first_day INTEGER) + index on (first_ts)
//     first_day: the local day of first_ts at `store`, so that moving a first purchase earlier
//     can take it off the day it was counted on (customer_new_day) without the old store's zone;
//     NULL only in rows stored before the column, until BackfillCustomerSketches.
// first_ts is the earliest identified sale by event time, whatever order events arrive in; at a
// region or the network, between sales at the same instant, the one of the first store by id.
// The views — day sketches, new customers per day, the stores of each scope — are in
// customer_views.h.
// Not thread-safe: one writer or reader per connection and thread.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "common/event.h"
#include "common/kpi/customers.h"
#include "common/sketch/hyperloglog.h"
#include "common/status.h"
#include "common/store/customer_identity.h"
#include "common/store/customer_views.h"
#include "common/store/scope_measures.h"
#include "common/time_zone.h"

namespace SQLite {
class Database;
class Statement;
}  // namespace SQLite

namespace storepulse::common {

// Creates the tables and views if missing; in a database made before the views, adds first_day
// and marks the views pending until BackfillCustomerSketches (customer_backfill.h) has run.
Status CreateCustomerTables(SQLite::Database& db, bool with_scopes);

// Records identified sales: the sets, the first purchases and the views, each view row written
// once per batch. REQUIRES: inside the caller's write transaction.
class CustomerWriter {
 public:
  CustomerWriter(SQLite::Database& db, bool with_scopes);
  ~CustomerWriter();
  CustomerWriter(const CustomerWriter&) = delete;
  CustomerWriter& operator=(const CustomerWriter&) = delete;

  // What one batch of a store adds to its tables, gathered in memory by Add and written once by
  // Flush: each distinct (bucket, customer), (day, customer) and customer once per batch, in key
  // order (neighbouring B-tree pages, not a random page per sale). The customer ids point into
  // the batch's events, which must outlive the Flush.
  struct DayTally {
    using ScopeDay = std::pair<std::string, int64_t>;  // (view scope, local day)
    using Keyed = std::pair<int64_t, const std::string*>;
    std::vector<Keyed> seen;  // (bucket, customer) of each identified sale
    std::vector<Keyed> days;  // (local day, customer) of each, at the edge
    // customer → (its id, its earliest sale ts in the batch)
    std::unordered_map<std::string_view, std::pair<const std::string*, int64_t>> earliest;
    std::map<int64_t, int64_t> added;          // customers new to a day
    std::map<ScopeDay, HyperLogLog> sketches;  // the batch's customers
    std::map<ScopeDay, int64_t> firsts;        // first purchases gained (+) or moved away (-)
    // Central: the days of each region and network view the store's sales went into.
    std::map<std::string, std::pair<int64_t, int64_t>> member_days;
    const TimeZone* zone = nullptr;  // the store's, to rebuild an unreadable sketch
  };

  // Gathers one event into `tally` (in memory: nothing is read or written).
  void Add(const std::string& store, const std::string& region, const TimeZone& zone,
           const Event& event, DayTally* tally);
  // Writes what `tally` gathered for `store`. Throws SQLite::Exception on a database error.
  // `region` is used with scopes only.
  void Flush(const std::string& store, const std::string& region, DayTally& tally);
  // After a change of the store's time zone: its day counts are dropped (read from customer_seen
  // until a day is touched again) and its day views rebuilt in the new zone (at the edge; central
  // keeps days in the zone they were stored in).
  static void ForgetDays(SQLite::Database& db, const std::string& store, const TimeZone& zone);

 private:
  void OpenDayCount(const std::string& store, const TimeZone& zone, int64_t day);
  // Keeps the earliest first purchase at the store and counts it on its day.
  void KeepFirst(const std::string& store, const std::string& customer, int64_t ts,
                 const TimeZone& zone, DayTally* tally);
  // The same at a region or the network (central), with the store it happened at.
  void KeepScopeFirst(SQLite::Statement& get, SQLite::Statement& put, const std::string& scope,
                      const std::string& key, const std::string& store,
                      const std::string& customer, int64_t ts, int64_t day, DayTally* tally);

  struct Statements;
  std::unique_ptr<Statements> statements_;
  CustomerViewWriter views_;
};

class SqliteCustomerReader final : public CustomerReader {
 public:
  SqliteCustomerReader(StatementCache& statements, std::string store)
      : statements_(statements), store_(std::move(store)) {}
  Status ReadSeen(int64_t from_bucket, int64_t to_bucket, const SeenSink& sink) override;
  Status ReadDayCounts(int64_t from_day, int64_t to_day, const DayCountSink& sink) override;
  Status ReadFirsts(int64_t from_ms, int64_t to_ms, const FirstSink& sink) override;
  StatusOr<bool> ViewsReady() override { return CustomerViewsReady(statements_); }
  Status ReadDaySketches(int64_t from_day, int64_t to_day, const SketchSink& sink) override;
  Status ReadNewDayCounts(int64_t from_day, int64_t to_day, const DayCountSink& sink) override;
  Status ReadLinks(const LinkSink& sink) override {
    return ReadStoreLinks(statements_, store_, sink);
  }
  Status ReadChannels(int64_t from_bucket, int64_t to_bucket, const ChannelSink& sink) override {
    return ReadStoreChannels(statements_, store_, from_bucket, to_bucket, sink);
  }
  StatusOr<std::optional<int64_t>> ReadFirstOf(const std::string& customer) override {
    return ReadStoreFirstOf(statements_, store_, customer);
  }

 private:
  StatementCache& statements_;
  std::string store_;
};

class SqliteScopeFirstsReader final : public ScopeFirstsReader {
 public:
  explicit SqliteScopeFirstsReader(StatementCache& statements) : statements_(statements) {}
  Status ReadFirsts(const std::string& scope, int64_t from_ms, int64_t to_ms,
                    const Sink& sink) override;
  Status ReadDaySketches(const std::string& scope, int64_t from_day, int64_t to_day,
                         const SketchSink& sink) override;
  Status ReadNewDayCounts(const std::string& scope, int64_t from_day, int64_t to_day,
                          const DayCountSink& sink) override;
  Status ReadMembers(std::string_view prefix, const MemberSink& sink) override;
  Status ReadAllLinks(const StoreLinkSink& sink) override {
    return ReadEveryLink(statements_, sink);
  }
  StatusOr<std::optional<ScopeFirst>> ReadFirstOf(const std::string& scope,
                                                  const std::string& customer) override {
    return ReadScopeFirstOf(statements_, scope, customer);
  }
  StatusOr<bool> MeasureDaysReady() override { return ScopeMeasuresReady(statements_); }
  Status ReadMeasureDays(
      const std::string& scope, int64_t from_day, int64_t to_day,
      const std::function<void(int64_t, Channel, const Measures&)>& sink) override;

 private:
  StatementCache& statements_;
};

}  // namespace storepulse::common
